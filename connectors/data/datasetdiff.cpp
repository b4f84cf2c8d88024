#include "datasetdiff.h"

#include <QCoreApplication>

#include <algorithm>

namespace bd::connectors {

namespace {

// A record's identity across reads: its id, else everything it holds.
QString identity(const DatasetTable &table, const DatasetRecord &record)
{
    if (!record.id.isEmpty())
        return QStringLiteral("i:") + record.id;
    QStringList fields;
    for (size_t c = 0; c < record.cells.size(); ++c) {
        if (!record.cells[c].isEmpty())
            fields << table.columns.at(qsizetype(c)) + QLatin1Char('\x1f') + record.cells[c];
    }
    fields.sort();
    return QStringLiteral("r:") + fields.join(QLatin1Char('\x1e'))
           + (fields.isEmpty() ? QString::fromLatin1(record.json) : QString());
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

QString datasetRecordName(const DatasetRecord &record)
{
    if (!record.id.isEmpty())
        return record.id;
    if (!record.origin.isEmpty())
        return QString::fromUtf8(record.origin);
    return QStringLiteral("#%1").arg(record.index);
}

DatasetDiff diffDatasets(const DatasetTable &before, const DatasetTable &after)
{
    DatasetDiff diff;
    // The earlier read's records by identity; each list in record order.
    QHash<QString, QList<qsizetype>> earlier;
    earlier.reserve(qsizetype(before.records.size()));
    for (size_t i = 0; i < before.records.size(); ++i)
        earlier[identity(before, before.records[i])].append(qsizetype(i));
    std::vector<bool> matched(before.records.size(), false);
    // The later read's columns in the earlier one.
    std::vector<int> beforeColumn(size_t(after.columns.size()), -1);
    for (qsizetype c = 0; c < after.columns.size(); ++c)
        beforeColumn[size_t(c)] = before.columnOf(after.columns.at(c));
    // The earlier read's columns the later one lost.
    QList<int> lostColumns;
    for (qsizetype c = 0; c < before.columns.size(); ++c) {
        if (after.columnOf(before.columns.at(c)) < 0)
            lostColumns << int(c);
    }

    diff.byRecord.resize(after.records.size(), DatasetDiff::Change::Same);
    for (size_t i = 0; i < after.records.size(); ++i) {
        const DatasetRecord &record = after.records[i];
        auto found = earlier.find(identity(after, record));
        if (found == earlier.end() || found->isEmpty()) {
            diff.byRecord[i] = DatasetDiff::Change::Added;
            ++diff.added;
            continue;
        }
        const qsizetype j = found->takeFirst();
        matched[size_t(j)] = true;
        const DatasetRecord &old = before.records[size_t(j)];
        QList<int> columns;
        for (qsizetype c = 0; c < after.columns.size(); ++c) {
            if (record.cell(int(c)) != old.cell(beforeColumn[size_t(c)]))
                columns << int(c);
        }
        const bool lostSomething = std::any_of(lostColumns.begin(), lostColumns.end(),
                                               [&old](int c) { return !old.cell(c).isEmpty(); });
        if (!columns.isEmpty() || lostSomething) {
            diff.byRecord[i] = DatasetDiff::Change::Changed;
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
