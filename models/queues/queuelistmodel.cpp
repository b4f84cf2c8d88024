#include "queuelistmodel.h"

#include "common/tones.h"
#include "redis/replyformatter.h"

#include <QBrush>
#include <QLocale>

namespace bd::models {

QueueListModel::QueueListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void QueueListModel::setQueues(const QList<connectors::CeleryQueueInfo> &queues, qint64 timeMs)
{
    QHash<QByteArray, const connectors::CeleryQueueInfo *> now;
    for (const connectors::CeleryQueueInfo &q : queues)
        now.insert(q.name, &q);
    // Queues gone (their binding removed): one removal each, from the end.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!now.contains(m_rows[size_t(row)].info.name)) {
            beginRemoveRows({}, row, row);
            m_rows.erase(m_rows.begin() + row);
            endRemoveRows();
        }
    }
    m_rowOf.clear();
    for (int row = 0; row < int(m_rows.size()); ++row)
        m_rowOf.insert(m_rows[size_t(row)].info.name, row);
    // Known ones change in place; new ones are added in one insertion.
    std::vector<Row> added;
    for (const connectors::CeleryQueueInfo &q : queues) {
        const auto it = m_rowOf.constFind(q.name);
        Row *row = nullptr;
        if (it == m_rowOf.constEnd()) {
            Row fresh;
            fresh.info = q;
            added.push_back(std::move(fresh));
            row = &added.back();
        } else {
            row = &m_rows[size_t(*it)];
            if (!row->history.empty()) {
                const auto &[lastMs, lastDepth] = row->history.back();
                if (timeMs > lastMs)
                    row->rate = (q.depth() - lastDepth) * 1000.0 / double(timeMs - lastMs);
            }
            row->info = q;
        }
        if (row->history.size() >= size_t(kHistoryPoints))
            row->history.erase(row->history.begin());
        row->history.push_back({timeMs, q.depth()});
    }
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    if (!added.empty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (Row &r : added) {
            m_rowOf.insert(r.info.name, int(m_rows.size()));
            m_rows.push_back(std::move(r));
        }
        endInsertRows();
    }
}

void QueueListModel::setInFlight(const QHash<QByteArray, InFlight> &byQueue,
                                 double visibilityTimeoutS)
{
    m_visibilityTimeoutS = visibilityTimeoutS;
    for (Row &r : m_rows)
        r.inFlight = byQueue.value(r.info.name);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, InFlightColumn), index(int(m_rows.size()) - 1, InFlightColumn));
}

QStringList QueueListModel::names() const
{
    QStringList out;
    for (int row = 0; row < rowCount(); ++row) {
        if (const connectors::CeleryQueueInfo *q = queueAt(row))
            out << QString::fromUtf8(q->name);
    }
    return out;
}

const connectors::CeleryQueueInfo *QueueListModel::queueAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)].info : nullptr;
}

QList<QPair<qint64, qint64>> QueueListModel::history(const QByteArray &name) const
{
    const int row = rowOf(name);
    if (row < 0)
        return {};
    const auto &h = m_rows[size_t(row)].history;
    return QList<QPair<qint64, qint64>>(h.begin(), h.end());
}

int QueueListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int QueueListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    const QLocale l;
    static constexpr int kSteps[4] = {0, 3, 6, 9};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return connectors::ReplyFormatter::escapeBytes(r.info.name, false);
        case DepthColumn:
            return l.toString(r.info.depth());
        case PrioritiesColumn: {
            QStringList parts;
            for (int i = 0; i < 4; ++i) {
                if (r.info.byStep[size_t(i)] > 0)
                    parts << tr("p%1: %2").arg(kSteps[i]).arg(l.toString(r.info.byStep[size_t(i)]));
            }
            return parts.join(QStringLiteral(" · "));
        }
        case InFlightColumn:
            if (r.inFlight.count == 0)
                return QString();
            return tr("%1 (oldest %2 s)")
                .arg(l.toString(r.inFlight.count))
                .arg(qRound64(r.inFlight.oldestAgeS));
        case RateColumn:
            return r.history.size() < 2 ? QString()
                                        : (r.rate > 0 ? QStringLiteral("+") : QString())
                                              + l.toString(r.rate, 'f', 1);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == NameColumn)
            return r.info.declared ? tr("declared by Celery (kombu binding)") : tr("added by you");
        if (index.column() == InFlightColumn)
            return tr("Taken by workers, not acknowledged yet (prefetched, waiting for an ETA, or "
                      "running with "
                      "acks_late); past the visibility timeout (%1 s) Celery hands them out again")
                .arg(qRound64(m_visibilityTimeoutS));
        if (index.column() == RateColumn)
            return tr("Change of depth per second since the last reading: positive, the queue "
                      "fills faster "
                      "than workers take from it");
        return {};
    case Qt::ForegroundRole:
        if (index.column() == InFlightColumn && r.inFlight.oldestAgeS > m_visibilityTimeoutS)
            return QBrush(toneColor(Tone::Error));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == DepthColumn || index.column() == RateColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RawValueRole:
        switch (index.column()) {
        case NameColumn:
            return r.info.name;
        case DepthColumn:
        case GraphColumn:
            return r.info.depth();
        case PrioritiesColumn:
            return r.info.byStep[1] + r.info.byStep[2] + r.info.byStep[3];
        case RateColumn:
            return r.rate;
        case InFlightColumn:
            return r.inFlight.count;
        }
        return {};
    case NameBytesRole:
        return r.info.name;
    case HistoryRole: {
        QList<qreal> points;
        for (const auto &[t, d] : r.history)
            points << qreal(d);
        return QVariant::fromValue(points);
    }
    }
    return {};
}

QVariant QueueListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Queue");
    case DepthColumn:
        return tr("Depth");
    case PrioritiesColumn:
        return tr("By priority");
    case InFlightColumn:
        return tr("In flight");
    case RateColumn:
        return tr("Change /s");
    case GraphColumn:
        return tr("Depth, last 2 min");
    }
    return {};
}

} // namespace bd::models
