#include "workerlistmodel.h"

#include "common/tones.h"
#include "events/tasktimelinemodel.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace bd::models {

using connectors::WorkerEventRecord;
using connectors::WorkerInspection;

namespace {

double nowSeconds()
{
    return QDateTime::currentMSecsSinceEpoch() / 1000.0;
}

QString number(qint64 n)
{
    return n < 0 ? QString() : QLocale().toString(n);
}

} // namespace

WorkerListModel::WorkerListModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_now(nowSeconds())
{}

QString WorkerListModel::statusText(Status status)
{
    switch (status) {
    case Status::Online:
        return tr("online");
    case Status::OnlineNoEvents:
        return tr("online (no events)");
    case Status::Offline:
        return tr("offline");
    case Status::NotAnswering:
        return tr("not answering");
    }
    return {};
}

QString WorkerListModel::durationText(double seconds)
{
    if (seconds < 0)
        return {};
    const qint64 s = qint64(seconds);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

void WorkerListModel::ensureRows(const QStringList &hostnames)
{
    for (const QString &name : hostnames) {
        const auto at = std::lower_bound(m_hostnames.begin(), m_hostnames.end(), name);
        if (at != m_hostnames.end() && *at == name)
            continue;
        const int row = int(at - m_hostnames.begin());
        beginInsertRows({}, row, row);
        m_hostnames.insert(row, name);
        endInsertRows();
    }
}

void WorkerListModel::setEventWorkers(const QHash<QString, WorkerEventRecord> &workers)
{
    for (auto it = workers.cbegin(); it != workers.cend(); ++it)
        m_events.insert(it.key(), it.value());
    ensureRows(workers.keys());
    if (!m_hostnames.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void WorkerListModel::setInspection(const QHash<QString, WorkerInspection> &inspection)
{
    m_inspection = inspection;
    m_inspected = true;
    ensureRows(inspection.keys());
    if (!m_hostnames.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void WorkerListModel::tick(double now)
{
    m_now = now;
    if (!m_hostnames.isEmpty())
        Q_EMIT dataChanged(index(0, StatusColumn), index(rowCount() - 1, LastSeenColumn));
}

QString WorkerListModel::hostname(int row) const
{
    return row >= 0 && row < m_hostnames.size() ? m_hostnames[row] : QString();
}

int WorkerListModel::rowOf(const QString &hostname) const
{
    const auto at = std::lower_bound(m_hostnames.cbegin(), m_hostnames.cend(), hostname);
    return at != m_hostnames.cend() && *at == hostname ? int(at - m_hostnames.cbegin()) : -1;
}

const WorkerInspection *WorkerListModel::inspection(const QString &hostname) const
{
    const auto it = m_inspection.constFind(hostname);
    return it == m_inspection.cend() ? nullptr : &*it;
}

const WorkerEventRecord *WorkerListModel::eventRecord(const QString &hostname) const
{
    const auto it = m_events.constFind(hostname);
    return it == m_events.cend() ? nullptr : &*it;
}

WorkerListModel::Status WorkerListModel::status(int row) const
{
    const QString name = hostname(row);
    const WorkerEventRecord *events = eventRecord(name);
    const WorkerInspection *answer = inspection(name);
    // Heartbeats decide when there are any (they are seconds fresh; inspections are up to
    // ten seconds old); a worker without them is judged by its answers.
    if (events && events->offline)
        return Status::Offline;
    if (events && events->lastHeartbeat > 0)
        return events->alive(m_now) ? Status::Online : Status::Offline;
    if (answer && answer->hasAnswered(QStringLiteral("ping")))
        return Status::OnlineNoEvents;
    return Status::NotAnswering;
}

int WorkerListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hostnames.size());
}

int WorkerListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WorkerListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_hostnames.size())
        return {};
    const QString name = m_hostnames[index.row()];
    const WorkerEventRecord *e = eventRecord(name);
    const WorkerInspection *a = inspection(name);
    const Status st = status(index.row());
    const double lastSeen = e ? std::max(e->lastHeartbeat, e->lastEvent) : 0;
    const auto processed = [&] {
        return a && a->processed >= 0 ? a->processed : e ? e->processed : -1;
    };
    const auto active = [&] {
        return a && a->active >= 0 ? a->active : e ? e->active : -1;
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case HostnameColumn:
            return name;
        case StatusColumn:
            return statusText(st);
        case LastSeenColumn:
            if (lastSeen <= 0)
                return {};
            return st == Status::Online ? TaskTimelineModel::timeText(lastSeen)
                                        : tr("%1 ago").arg(durationText(m_now - lastSeen));
        case PidColumn:
            return a && a->pid > 0   ? QString::number(a->pid)
                   : e && e->pid > 0 ? QString::number(e->pid)
                                     : QString();
        case PoolColumn:
            return a ? a->pool : QString();
        case ConcurrencyColumn:
            return a ? number(a->concurrency) : QString();
        case ProcessedColumn:
            return number(processed());
        case ActiveColumn:
            return number(active());
        case LoadColumn: {
            if (!e || e->loadavg.isEmpty())
                return {};
            QStringList parts;
            for (double l : e->loadavg)
                parts << QLocale().toString(l, 'f', 2);
            return parts.join(QLatin1String(" "));
        }
        case QueuesColumn:
            if (a && !a->hasAnswered(QStringLiteral("active_queues")))
                return tr("(not answering)");
            return a ? a->queues.join(QLatin1String(", ")) : QString();
        case UptimeColumn:
            return a && a->uptime >= 0 ? durationText(a->uptime) : QString();
        case PrefetchColumn:
            return a ? number(a->prefetchCount) : QString();
        case BrokerColumn:
            return a ? a->broker : QString();
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn) {
            switch (st) {
            case Status::Online:
            case Status::OnlineNoEvents:
                return toneColor(Tone::Success);
            case Status::NotAnswering:
                return toneColor(Tone::Warning);
            case Status::Offline:
                return toneColor(Tone::Muted);
            }
        }
        if (st == Status::Offline)
            return toneColor(Tone::Muted); // greyed, still listed
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn && e
            && std::abs(e->clockSkew) > connectors::CeleryEventState::kMaxClockSkew)
            return tr("This worker's clock is %1 s off this machine's: its times are shown as "
                      "it sent them; online/offline counts this machine's clock.")
                .arg(QLocale().toString(e->clockSkew, 'f', 1));
        if (index.column() == StatusColumn && st == Status::OnlineNoEvents)
            return tr("It answers remote control but sends no events: enable events to see its "
                      "tasks in the timeline.");
        return {};
    case RawValueRole:
        switch (index.column()) {
        case StatusColumn:
            return int(st);
        case LastSeenColumn:
            return lastSeen;
        case ProcessedColumn:
            return processed();
        case ActiveColumn:
            return active();
        case ConcurrencyColumn:
            return a ? a->concurrency : -1;
        case UptimeColumn:
            return a ? a->uptime : -1;
        default:
            return data(index, Qt::DisplayRole);
        }
    case HostnameRole:
        return name;
    case StatusRole:
        return int(st);
    default:
        return {};
    }
}

QVariant WorkerListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HostnameColumn:
        return tr("Worker");
    case StatusColumn:
        return tr("Status");
    case LastSeenColumn:
        return tr("Last seen");
    case PidColumn:
        return tr("PID");
    case PoolColumn:
        return tr("Pool");
    case ConcurrencyColumn:
        return tr("Concurrency");
    case ProcessedColumn:
        return tr("Processed");
    case ActiveColumn:
        return tr("Active");
    case LoadColumn:
        return tr("Load");
    case QueuesColumn:
        return tr("Queues");
    case UptimeColumn:
        return tr("Uptime");
    case PrefetchColumn:
        return tr("Prefetch");
    case BrokerColumn:
        return tr("Broker");
    default:
        return {};
    }
}

} // namespace bd::models
