#include "trafficstatsmodel.h"

#include "redis/replyformatter.h"

#include <QFont>
#include <QLocale>
#include <QTimer>

namespace bd::models {

namespace {
constexpr int kTickIntervalMs = 1000;
}

TrafficStatsModel::TrafficStatsModel(Mode mode, QObject *parent)
    : QAbstractTableModel(parent)
    , m_mode(mode)
    , m_tickTimer(new QTimer(this))
{
    m_tickTimer->setInterval(kTickIntervalMs);
    connect(m_tickTimer, &QTimer::timeout, this, [this] { tick(); });
}

int TrafficStatsModel::rowFor(const QByteArray &name, bool create)
{
    const auto it = m_rowOf.constFind(name);
    if (it != m_rowOf.constEnd())
        return *it;
    if (!create)
        return -1;
    if (int(m_rows.size()) >= kMaxRows) {
        if (m_otherRow < 0) {
            m_otherRow = int(m_rows.size());
            beginInsertRows({}, m_otherRow, m_otherRow);
            Row other;
            other.other = true;
            m_rows.push_back(std::move(other));
            endInsertRows();
        }
        return m_otherRow;
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    Row r;
    r.name = name;
    m_rows.push_back(std::move(r));
    m_rowOf.insert(name, row);
    endInsertRows();
    return row;
}

void TrafficStatsModel::count(const QByteArray &name, qint64 messages)
{
    m_rows[size_t(rowFor(name, true))].total += messages;
    m_total += messages;
    if (!m_tickTimer->isActive()) {
        m_sinceTick.start();
        m_tickTimer->start();
    }
}

void TrafficStatsModel::tick(qint64 elapsedMs)
{
    if (elapsedMs < 0)
        elapsedMs = m_sinceTick.isValid() ? m_sinceTick.restart() : kTickIntervalMs;
    else
        m_sinceTick.restart();
    const double seconds = qMax<qint64>(1, elapsedMs) / 1000.0;
    for (Row &r : m_rows) {
        r.rate = (r.total - r.totalAtTick) / seconds;
        r.totalAtTick = r.total;
        if (r.history.size() >= size_t(kHistoryPoints))
            r.history.erase(r.history.begin());
        r.history.push_back(float(r.rate));
    }
    m_totalRate = (m_total - m_totalAtTick) / seconds;
    m_totalAtTick = m_total;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, SubscribersColumn), index(int(m_rows.size()) - 1, GraphColumn));
    Q_EMIT ticked();
}

void TrafficStatsModel::setServerChannels(const QList<QPair<QByteArray, qint64>> &channels)
{
    QHash<QByteArray, qint64> now;
    for (const auto &[name, subscribers] : channels)
        now.insert(name, subscribers);
    for (Row &r : m_rows) {
        r.onServer = false;
        r.subscribers = -1;
    }
    for (auto it = now.constBegin(); it != now.constEnd(); ++it) {
        const int row = rowFor(it.key(), true);
        if (m_rows[size_t(row)].other)
            continue;
        m_rows[size_t(row)].onServer = true;
        m_rows[size_t(row)].subscribers = it.value();
    }
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, NameColumn), index(int(m_rows.size()) - 1, SubscribersColumn));
}

void TrafficStatsModel::setSubscriptions(const QSet<QByteArray> &names)
{
    for (Row &r : m_rows)
        r.subscribed = names.contains(r.name) && !r.other;
    for (const QByteArray &name : names) {
        const int row = rowFor(name, true);
        if (!m_rows[size_t(row)].other)
            m_rows[size_t(row)].subscribed = true;
    }
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, NameColumn), index(int(m_rows.size()) - 1, NameColumn));
}

void TrafficStatsModel::clearCounts()
{
    beginResetModel();
    std::vector<Row> kept;
    for (Row &r : m_rows) {
        if (r.other || (!r.subscribed && !r.onServer))
            continue;
        r.total = r.totalAtTick = 0;
        r.rate = 0;
        r.history.clear();
        kept.push_back(std::move(r));
    }
    m_rows.swap(kept);
    m_rowOf.clear();
    for (int i = 0; i < int(m_rows.size()); ++i)
        m_rowOf.insert(m_rows[size_t(i)].name, i);
    m_otherRow = -1;
    m_total = m_totalAtTick = 0;
    m_totalRate = 0;
    endResetModel();
}

qint64 TrafficStatsModel::totalFor(const QByteArray &name) const
{
    const auto it = m_rowOf.constFind(name);
    return it == m_rowOf.constEnd() ? 0 : m_rows[size_t(*it)].total;
}

double TrafficStatsModel::rateFor(const QByteArray &name) const
{
    const auto it = m_rowOf.constFind(name);
    return it == m_rowOf.constEnd() ? 0 : m_rows[size_t(*it)].rate;
}

int TrafficStatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TrafficStatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrafficStatsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            if (r.other)
                return m_mode == Mode::Channels ? tr("(other channels, past %1)").arg(kMaxRows)
                                                : tr("(other commands)");
            return connectors::ReplyFormatter::escapeBytes(r.name, false);
        case SubscribersColumn:
            return r.subscribers >= 0 ? locale.toString(r.subscribers) : QString();
        case TotalColumn:
            return locale.toString(r.total);
        case RateColumn:
            return r.rate >= 100 ? locale.toString(qRound64(r.rate))
                                 : locale.toString(r.rate, 'f', 1);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SubscribersColumn || index.column() == TotalColumn
            || index.column() == RateColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (index.column() == NameColumn && r.subscribed) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == NameColumn && m_mode == Mode::Channels) {
            QStringList what{connectors::ReplyFormatter::escapeBytes(r.name, false)};
            if (r.subscribed)
                what << tr("subscribed by this capture");
            if (r.onServer)
                what << tr("active on the server");
            return what.join(QStringLiteral("; "));
        }
        return {};
    case RawValueRole:
        switch (index.column()) {
        case NameColumn:
            return r.name;
        case SubscribersColumn:
            return r.subscribers;
        case TotalColumn:
            return r.total;
        case RateColumn:
        case GraphColumn:
            return r.rate;
        }
        return {};
    case NameBytesRole:
        return r.name;
    case HistoryRole: {
        QList<qreal> points;
        points.reserve(qsizetype(r.history.size()));
        for (float v : r.history)
            points << v;
        return QVariant::fromValue(points);
    }
    case SubscribedRole:
        return r.subscribed;
    case OtherRole:
        return r.other;
    }
    return {};
}

QVariant TrafficStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == SubscribersColumn)
        return tr("Subscribers on the server (PUBSUB NUMSUB), this console included");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return m_mode == Mode::Channels ? tr("Channel") : tr("Command");
    case SubscribersColumn:
        return m_mode == Mode::Channels ? tr("Subs") : QString();
    case TotalColumn:
        return m_mode == Mode::Channels ? tr("Messages") : tr("Calls");
    case RateColumn:
        return tr("Rate /s");
    case GraphColumn:
        return tr("Last minute");
    }
    return {};
}

} // namespace bd::models
