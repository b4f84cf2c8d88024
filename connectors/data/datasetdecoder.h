#pragma once

#include "data/datasettable.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <string>
#include <string_view>
#include <unordered_map>

namespace bd::connectors {

struct DatasetDecodeOptions
{
    QStringList columns; // shown first, in this order; every other field follows
    QString idField;     // the field that names a record across reads; empty: none
};

// Records from one JSON value (a string key's value): an array of objects, one record each.
// An object whose members are all objects is read as records named by the members (and said);
// any other value is an error. Elements that are not objects are skipped and said by index.
//
// The hot path: simdjson's On-Demand API, straight into rows. Bytes it cannot read
// (malformed, too deep, a number out of range) are handed to the reference decoder for the
// error and its position; the records read before that point stay. Nothing throws.
DatasetTable decodeDatasetJson(const QByteArray &bytes, const DatasetDecodeOptions &options);

// The same through the untrusted-JSON gate (nlohmann): the reference the hot path is fuzzed
// against. Every input gives the same table both ways, or the same error.
DatasetTable decodeDatasetJsonReference(const QByteArray &bytes,
                                        const DatasetDecodeOptions &options);

// Records from values read one by one (a hash's fields, the keys of a pattern) or from a
// decoder: the columns, ids, duplicate ids and problems, counted the same way for all.
class DatasetTableBuilder
{
public:
    explicit DatasetTableBuilder(const DatasetDecodeOptions &options);

    // The records' JSON are spans of bytes (the value decoded), not copies.
    void setSource(QByteArray bytes);
    void reserve(qint64 records);

    void beginRecord(qint64 index, const QByteArray &origin = {});
    // A field's value as UTF-8; a name seen twice in one record keeps the later value.
    void field(std::string_view name, QByteArrayView utf8);
    void setRecordJsonSpan(qint64 start, qint64 length); // within setSource's bytes
    void appendRecordJson(QByteArrayView json);          // copied
    void endRecord();
    // A record that cannot be read (not an object, not JSON): said, and not shown.
    void addProblem(qint64 record, const QString &text) { m_table.addProblem(record, text); }
    // Decodes one JSON object as the next record (the value of a hash field or a key).
    void addJsonRecord(qint64 index, const QByteArray &origin, QByteArrayView json);

    qint64 recordCount() const { return m_table.recordCount(); }
    DatasetTable &table() { return m_table; }
    DatasetTable take();

private:
    int columnFor(std::string_view name);
    // Drops what a record that was begun and not ended wrote.
    void trimToRecords();
    void reportDuplicateIds();

    DatasetTable m_table;
    QString m_idField;
    std::unordered_map<std::string, int> m_columnByName;
    std::vector<std::string> m_names; // by column, as the records spell them
    std::vector<int> m_hint;          // by field position: the column the last record had there
    int m_fieldNo = 0;
    // (hash of the id, row) of every record with an id: duplicates are found at take(). Two
    // different ids with one hash are told apart by their bytes.
    std::vector<std::pair<size_t, qint64>> m_idHashes;
    DatasetTable::Record m_record;
};

// Number texts as both decoders write them: the shortest form that reads back the same.
QByteArray datasetNumberText(qint64 value);
QByteArray datasetNumberText(quint64 value);
QByteArray datasetNumberText(double value);

} // namespace bd::connectors
