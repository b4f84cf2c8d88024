#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace bd::connectors {

// One record of a dataset, as text ready to show: one cell per column of its table (a string
// as it is, a number, boolean or null as JSON writes it, an object or array as compact JSON).
struct DatasetRecord
{
    QString id;                 // the id field's value as a cell writes it; empty when it has none
    std::vector<QString> cells; // by column; shorter than the columns when the last are absent
    QByteArray json;            // the record as the server holds it (for the detail pane)
    QByteArray origin;          // the hash field or key it came from; empty for an array element
    qint64 index = 0;           // its position where it came from (array index, field, key order)

    const QString &cell(int column) const
    {
        static const QString none;
        return column >= 0 && size_t(column) < cells.size() ? cells[size_t(column)] : none;
    }
};

// What could not be read as a record, said where: "record 17: a number, not an object".
struct DatasetProblem
{
    qint64 record = -1; // the record's index; -1 for the value as a whole
    QString text;
};

// The records of one read of a dataset. Columns are every field seen, in the order the
// definition names them and then in the order they first appear.
struct DatasetTable
{
    QStringList columns;
    std::vector<DatasetRecord> records;
    QList<DatasetProblem> problems; // the first kMaxProblems of them
    qint64 problemCount = 0;        // all of them
    QString error;                  // why the value is not (all) records; records read so far stay
    qint64 bytes = 0;               // the size of what was decoded

    static constexpr int kMaxProblems = 200;
    static constexpr int kMaxColumns = 256; // fields past this many are kept in the JSON only

    bool ok() const { return error.isEmpty(); }
    int columnOf(const QString &name) const { return int(columns.indexOf(name)); }
    void addProblem(qint64 record, const QString &text)
    {
        if (problems.size() < kMaxProblems)
            problems.append({record, text});
        ++problemCount;
    }
};

using DatasetTablePtr = std::shared_ptr<const DatasetTable>;

} // namespace bd::connectors
