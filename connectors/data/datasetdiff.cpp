#include "datasetdiff.h"

#include <QCoreApplication>

#include <algorithm>

namespace bd::connectors {

namespace {

// A record's identity across reads: its id, else everything it holds.
QByteArray identity(const DatasetTable &table, qsizetype row)
{
    if (const QByteArrayView id = table.idUtf8(row); !id.isEmpty())
        return QByteArray("i:").append(id);
    QList<QByteArray> fields;
    for (int c = 0; c < table.columnCount(); ++c) {
        if (const QByteArrayView cell = table.cellUtf8(row, c); !cell.isEmpty())
            fields << QByteArray(table.columns().at(c).toUtf8() + '\x1f').append(cell);
    }
    if (fields.isEmpty()) // nothing in the columns: what it holds past them, if anything
        return QByteArray("j:").append(table.recordJson(row));
    std::sort(fields.begin(), fields.end());
    return QByteArray("r:") + fields.join('\x1e');
}

} // namespace

QString DatasetDiff::summary() const
{
    return QCoreApplication::translate("bd::connectors::DatasetDiff",
                                       "%1 added, %2 removed, %3 changed")
        .arg(added)
        .arg(qint64(removed.size()))
        .arg(changed);
}

DatasetDiff diffDatasets(const DatasetTable &before, const DatasetTable &after)
{
    DatasetDiff diff;
    // The earlier read's records by identity; each list in record order.
    QHash<QByteArray, QList<qsizetype>> earlier;
    earlier.reserve(before.recordCount());
    for (qsizetype i = 0; i < before.recordCount(); ++i)
        earlier[identity(before, i)].append(i);
    std::vector<bool> matched(size_t(before.recordCount()), false);
    // The later read's columns in the earlier one.
    std::vector<int> beforeColumn(size_t(after.columnCount()), -1);
    for (int c = 0; c < after.columnCount(); ++c)
        beforeColumn[size_t(c)] = before.columnOf(after.columns().at(c));
    // The earlier read's columns the later one lost.
    QList<int> lostColumns;
    for (int c = 0; c < before.columnCount(); ++c) {
        if (after.columnOf(before.columns().at(c)) < 0)
            lostColumns << c;
    }

    diff.byRecord.resize(size_t(after.recordCount()), DatasetDiff::Change::Same);
    diff.earlierRecord.resize(size_t(after.recordCount()), -1);
    for (qsizetype i = 0; i < after.recordCount(); ++i) {
        auto found = earlier.find(identity(after, i));
        if (found == earlier.end() || found->isEmpty()) {
            diff.byRecord[size_t(i)] = DatasetDiff::Change::Added;
            ++diff.added;
            continue;
        }
        const qsizetype j = found->takeFirst();
        matched[size_t(j)] = true;
        diff.earlierRecord[size_t(i)] = j;
        QList<int> columns;
        for (int c = 0; c < after.columnCount(); ++c) {
            if (after.cellUtf8(i, c) != before.cellUtf8(j, beforeColumn[size_t(c)]))
                columns << c;
        }
        const bool lostSomething =
            std::any_of(lostColumns.begin(), lostColumns.end(),
                        [&before, j](int c) { return !before.cellUtf8(j, c).isEmpty(); });
        if (!columns.isEmpty() || lostSomething) {
            diff.byRecord[size_t(i)] = DatasetDiff::Change::Changed;
            diff.changedColumns.insert(qint64(i), columns);
            ++diff.changed;
        }
    }
    for (size_t j = 0; j < matched.size(); ++j) {
        if (!matched[j])
            diff.removed.push_back(qint64(j));
    }
    return diff;
}

} // namespace bd::connectors
