#include "timelinefilter.h"

#include "tasktimelinemodel.h"

namespace bd::models {

void TimelineFilter::setState(const QString &state)
{
    m_state = state;
    invalidateFilter();
}

void TimelineFilter::setName(const QString &text)
{
    m_name = text.trimmed();
    invalidateFilter();
}

void TimelineFilter::setWorker(const QString &text)
{
    m_worker = text.trimmed();
    invalidateFilter();
}

void TimelineFilter::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

void TimelineFilter::setSince(double epochSeconds)
{
    m_since = epochSeconds;
    invalidateFilter();
}

bool TimelineFilter::isFiltering() const
{
    return !m_state.isEmpty() || !m_name.isEmpty() || !m_worker.isEmpty() || !m_text.isEmpty()
           || m_since > 0;
}

bool TimelineFilter::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const auto *timeline = qobject_cast<const TaskTimelineModel *>(sourceModel());
    const connectors::TaskEventRecord *t = timeline ? timeline->taskAt(sourceRow) : nullptr;
    if (!t)
        return false;
    if (!m_state.isEmpty() && t->stateName() != m_state)
        return false;
    if (!m_name.isEmpty() && !t->name.contains(m_name, Qt::CaseInsensitive))
        return false;
    if (!m_worker.isEmpty() && !t->worker.contains(m_worker, Qt::CaseInsensitive))
        return false;
    if (m_since > 0) {
        const double at = t->received > 0 ? t->received : t->sent > 0 ? t->sent : t->firstSeen;
        if (at < m_since)
            return false;
    }
    if (!m_text.isEmpty()) {
        const QString &text = m_text;
        if (!t->args.contains(text, Qt::CaseInsensitive)
            && !t->kwargs.contains(text, Qt::CaseInsensitive)
            && !t->result.contains(text, Qt::CaseInsensitive)
            && !t->exception.contains(text, Qt::CaseInsensitive)
            && !t->traceback.contains(text, Qt::CaseInsensitive)
            && !t->uuid.contains(text, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace bd::models
