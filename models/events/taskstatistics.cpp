#include "taskstatistics.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <vector>

namespace bd::models {

using connectors::TaskEventState;

namespace {

// The nearest-rank percentile of sorted values.
double percentile(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return -1;
    const size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

} // namespace

QList<TaskNameStatistics> taskStatistics(const connectors::CeleryEventState &state, double since)
{
    QHash<QString, TaskNameStatistics> byName;
    QHash<QString, std::vector<double>> runtimes;
    for (qint64 i = state.taskCount() - 1; i >= 0; --i) {
        const connectors::TaskEventRecord &t = state.taskAt(i);
        const double at = t.received > 0 ? t.received : t.sent > 0 ? t.sent : t.firstSeen;
        if (at < since)
            continue;
        const QString name = t.name.isEmpty() ? QStringLiteral("(unknown)") : t.name;
        TaskNameStatistics &s = byName[name];
        s.name = name;
        ++s.count;
        if (t.state == TaskEventState::Success || t.state == TaskEventState::Failure)
            ++s.finished;
        if (t.state == TaskEventState::Failure)
            ++s.failed;
        if (t.state == TaskEventState::Success && t.runtime >= 0)
            runtimes[name].push_back(t.runtime);
    }
    QList<TaskNameStatistics> out;
    for (auto it = byName.begin(); it != byName.end(); ++it) {
        std::vector<double> &r = runtimes[it.key()];
        std::sort(r.begin(), r.end());
        it->p50 = percentile(r, 50);
        it->p95 = percentile(r, 95);
        it->max = r.empty() ? -1 : r.back();
        out << *it;
    }
    std::sort(out.begin(), out.end(), [](const TaskNameStatistics &a, const TaskNameStatistics &b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    return out;
}

} // namespace bd::models
