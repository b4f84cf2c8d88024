#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace bd::connectors {

// What could not be read as a record, said where: "record 17: a number, not an object".
struct DatasetProblem
{
    qint64 record = -1; // the record's index; -1 for the value as a whole
    QString text;
};

// The records of one read of a dataset, stored by column: each column's cells are UTF-8 text
// back to back (a string as it is, a number, boolean as JSON writes it, null and absent
// fields empty, an object or array as compact JSON). No allocation per record or per cell:
// 100,000 records are a few large buffers. Columns are every field seen, the definition's
// first, then in the order they first appear.
class DatasetTable
{
public:
    struct Record
    {
        qint64 index = 0;     // where it came from: array index, or position of field / key
        qint64 jsonStart = 0; // the record's JSON in jsonStore()
        qint64 jsonLength = 0;
        QByteArray origin; // the hash field or key it came from; empty for an array element
    };

    static constexpr int kMaxProblems = 200;
    static constexpr int kMaxColumns = 256; // fields past this many stay in the record's JSON

    const QStringList &columns() const { return m_columns; }
    int columnCount() const { return int(m_columns.size()); }
    int columnOf(const QString &name) const { return int(m_columns.indexOf(name)); }
    int idColumn() const { return m_idColumn; }
    qsizetype recordCount() const { return qsizetype(m_records.size()); }
    const Record &record(qsizetype row) const { return m_records[size_t(row)]; }

    QByteArrayView cellUtf8(qsizetype row, int column) const;
    QString cell(qsizetype row, int column) const
    {
        return QString::fromUtf8(cellUtf8(row, column));
    }
    // The id field's value; empty when the record has none (or the dataset names no id field).
    QByteArrayView idUtf8(qsizetype row) const { return cellUtf8(row, m_idColumn); }
    QString id(qsizetype row) const { return QString::fromUtf8(idUtf8(row)); }
    QByteArrayView recordJson(qsizetype row) const;
    // A record's name in a summary: its id, or where it came from, or its position.
    QString recordName(qsizetype row) const;

    const QList<DatasetProblem> &problems() const { return m_problems; }
    qint64 problemCount() const { return m_problemCount; }
    void addProblem(qint64 record, const QString &text);
    QList<DatasetProblem> &problemList() { return m_problems; }

    // Why the value is not (all) records; the records read before the problem stay.
    QString error;
    qint64 bytes = 0; // the size of what was decoded

    bool ok() const { return error.isEmpty(); }

private:
    friend class DatasetTableBuilder;

    struct Column
    {
        QByteArray text;           // the cells, back to back
        std::vector<quint32> ends; // by record: where its cell ends in text
    };

    QStringList m_columns;
    std::vector<Column> m_cells; // by column
    std::vector<Record> m_records;
    QByteArray m_jsonStore; // the decoded value itself, or the records' JSON back to back
    int m_idColumn = -1;
    QList<DatasetProblem> m_problems; // the first kMaxProblems
    qint64 m_problemCount = 0;
};

using DatasetTablePtr = std::shared_ptr<const DatasetTable>;

} // namespace bd::connectors
