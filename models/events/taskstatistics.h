#pragma once

#include "celery/celeryeventstate.h"

#include <QList>
#include <QString>

namespace bd::models {

// Per task name, over the tasks the timeline holds that were received (or sent) since a time:
// how many, how many failed, and the runtimes of those that succeeded.
struct TaskNameStatistics
{
    QString name;
    qint64 count = 0;
    qint64 finished = 0; // SUCCESS or FAILURE
    qint64 failed = 0;
    double p50 = -1, p95 = -1, max = -1; // seconds; -1: no runtime known
    double failureRate() const { return finished > 0 ? double(failed) / double(finished) : 0; }
};

// Sorted by count, largest first, then by name.
QList<TaskNameStatistics> taskStatistics(const connectors::CeleryEventState &state, double since);

} // namespace bd::models
