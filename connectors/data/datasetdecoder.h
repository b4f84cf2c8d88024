#pragma once

#include "data/datasettable.h"

#include <QByteArrayView>
#include <QHash>
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
DatasetTable decodeDatasetJson(QByteArrayView bytes, const DatasetDecodeOptions &options);

// The same through the untrusted-JSON gate (nlohmann): the reference the hot path is fuzzed
// against. Every input gives the same table both ways, or the same error.
DatasetTable decodeDatasetJsonReference(QByteArrayView bytes, const DatasetDecodeOptions &options);

// Records from values read one by one (a hash's fields, the keys of a pattern): the
// columns, ids, duplicate ids and problems, counted as decodeDatasetJson counts them.
class DatasetTableBuilder
{
public:
    explicit DatasetTableBuilder(const DatasetDecodeOptions &options);

    void beginRecord(qint64 index, const QByteArray &origin = {});
    void field(std::string_view name, QString text);
    void setRecordJson(QByteArray json);
    void endRecord();
    // A record that cannot be read (not an object, not JSON): said, and not shown.
    void addProblem(qint64 record, const QString &text) { m_table.addProblem(record, text); }
    // Decodes one JSON object as the next record (the value of a hash field or a key).
    void addJsonRecord(qint64 index, const QByteArray &origin, QByteArrayView json);

    qint64 recordCount() const { return qint64(m_table.records.size()); }
    DatasetTable &table() { return m_table; }
    DatasetTable take();

private:
    int columnFor(std::string_view name);

    DatasetTable m_table;
    QString m_idField;
    int m_idColumn = -1;
    std::unordered_map<std::string, int> m_columnByName;
    std::vector<std::string> m_names; // by column, as the records spell them
    std::vector<int> m_hint;          // by field position: the column the last record had there
    int m_fieldNo = 0;
    QHash<QString, qint64> m_firstById;
    DatasetRecord m_record;
};

// Number texts as both decoders write them: the shortest form that reads back the same.
QString datasetNumberText(qint64 value);
QString datasetNumberText(quint64 value);
QString datasetNumberText(double value);

} // namespace bd::connectors
