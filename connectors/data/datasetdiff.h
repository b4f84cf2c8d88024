#pragma once

#include "data/datasettable.h"

#include <QHash>
#include <QList>
#include <QString>

#include <vector>

namespace bd::connectors {

// What changed between two reads of a dataset. Records are matched by id (the definition's id
// field), or, for records without one, by their whole content; a duplicated id matches its
// occurrences in order.
struct DatasetDiff
{
    enum class Change : quint8 { Same, Added, Changed };

    std::vector<Change> byRecord;             // for each record of the later read
    std::vector<qint64> earlierRecord;        // for each record of the later read: its match, or -1
    QHash<qint64, QList<int>> changedColumns; // by later record: its columns that changed
    std::vector<qint64> removed;              // records of the earlier read that are gone
    qint64 added = 0;
    qint64 changed = 0;

    bool isEmpty() const { return added == 0 && changed == 0 && removed.empty(); }
    // "3 added, 1 removed, 5 changed"
    QString summary() const;
};

DatasetDiff diffDatasets(const DatasetTable &before, const DatasetTable &after);

} // namespace bd::connectors
