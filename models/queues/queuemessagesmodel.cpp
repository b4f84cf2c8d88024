#include "queuemessagesmodel.h"

#include "codec/untrustedjson.h"
#include "common/tones.h"
#include "redis/replyformatter.h"

#include <QBrush>
#include <QLocale>

namespace bd::models {

using connectors::CeleryTaskMessage;

namespace {

constexpr qint64 kMaxRows = 100000000; // QAbstractItemModel counts rows in int
constexpr qsizetype kMaxSeenTasks = 1000;

QString compact(const nlohmann::json &value)
{
    return connectors::jsonToText(value);
}

} // namespace

QueueMessagesModel::QueueMessagesModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void QueueMessagesModel::setQueue(const QByteArray &queue, qint64 depth)
{
    beginResetModel();
    m_queue = queue;
    m_depth = qBound<qint64>(0, depth, kMaxRows);
    m_pages.clear();
    m_requested.clear();
    endResetModel();
}

void QueueMessagesModel::setDepth(qint64 depth)
{
    depth = qBound<qint64>(0, depth, kMaxRows);
    if (depth == m_depth)
        return;
    if (depth > m_depth) {
        beginInsertRows({}, int(m_depth), int(depth) - 1);
        m_depth = depth;
        endInsertRows();
    } else {
        beginRemoveRows({}, int(depth), int(m_depth) - 1);
        m_depth = depth;
        endRemoveRows();
    }
    refresh(); // positions moved: what is shown is read again
}

void QueueMessagesModel::refresh()
{
    m_pages.clear();
    m_requested.clear();
    if (m_depth > 0)
        Q_EMIT dataChanged(index(0, 0), index(int(m_depth) - 1, ColumnCount - 1));
}

void QueueMessagesModel::setPage(const connectors::CeleryQueuePage &page)
{
    if (page.queue != m_queue || page.offset % kPageSize != 0)
        return; // another queue's, or not one of ours
    // The queue's length moved since: rows follow it (and the other pages are read again,
    // when painted, which happens after this page is in).
    if (page.depth != m_depth)
        setDepth(page.depth);
    const qint64 pageIndex = page.offset / kPageSize;
    auto *p = new Page;
    p->raw = page.messages;
    p->steps = page.steps;
    p->decoded.reserve(size_t(page.messages.size()));
    for (const QByteArray &m : page.messages) {
        p->decoded.push_back(connectors::decodeCeleryTaskMessage(m));
        const connectors::CeleryTaskMessage &d = p->decoded.back();
        if (d.isTask && !d.task.isEmpty() && m_seenTasks.size() < kMaxSeenTasks)
            m_seenTasks.insert(d.task);
    }
    m_pages.insert(pageIndex, p);
    m_requested.remove(pageIndex);
    const int first = int(page.offset);
    const int last = int(std::min<qint64>(m_depth, page.offset + kPageSize)) - 1;
    if (first <= last)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

const QueueMessagesModel::Page *QueueMessagesModel::pageFor(int row) const
{
    const qint64 pageIndex = row / kPageSize;
    if (const Page *p = m_pages.object(pageIndex))
        return p;
    if (!m_requested.contains(pageIndex)) {
        m_requested.insert(pageIndex);
        Q_EMIT const_cast<QueueMessagesModel *>(this)->pageWanted(m_queue, pageIndex * kPageSize,
                                                                  kPageSize);
    }
    return nullptr;
}

const CeleryTaskMessage *QueueMessagesModel::messageAt(int row) const
{
    const Page *p = row >= 0 && row < m_depth ? pageFor(row) : nullptr;
    const qsizetype i = row % kPageSize;
    return p && i < qsizetype(p->decoded.size()) ? &p->decoded[size_t(i)] : nullptr;
}

QByteArray QueueMessagesModel::rawAt(int row) const
{
    const Page *p = row >= 0 && row < m_depth ? pageFor(row) : nullptr;
    const qsizetype i = row % kPageSize;
    return p && i < p->raw.size() ? p->raw[i] : QByteArray();
}

QList<QueuedMessage> QueueMessagesModel::messagesAt(const QList<int> &rows, int *notLoaded) const
{
    QList<QueuedMessage> out;
    *notLoaded = 0;
    for (const int row : rows) {
        const Page *p = row >= 0 && row < m_depth ? m_pages.object(row / kPageSize) : nullptr;
        const qsizetype i = row % kPageSize;
        if (!p || i >= p->raw.size()) {
            ++*notLoaded;
            continue;
        }
        const CeleryTaskMessage &m = p->decoded[size_t(i)];
        out << QueuedMessage{row, p->steps.value(i), p->raw[i], m.isTask ? m.id : QString(),
                             m.isTask ? m.task : QString()};
    }
    return out;
}

QByteArray exportJsonLines(const QByteArray &queue, const QList<QueuedMessage> &messages)
{
    QByteArray out;
    for (const QueuedMessage &m : messages) {
        nlohmann::ordered_json line{{"queue", std::string(queue.constData(), size_t(queue.size()))},
                                    {"position", m.position},
                                    {"priority_step", m.step}};
        if (!m.task.isEmpty()) {
            line["task"] = m.task.toStdString();
            line["id"] = m.taskId.toStdString();
        }
        auto parsed = connectors::parseUntrustedOrderedJson(m.raw);
        if (!parsed.ok())
            line["raw_base64"] = m.raw.toBase64().toStdString();
        else
            line["envelope"] = std::move(parsed.value);
        out += connectors::jsonToBytes(line);
        out += '\n';
    }
    return out;
}

int QueueMessagesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_depth);
}

int QueueMessagesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueMessagesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_depth)
        return {};
    if (role == Qt::DisplayRole && index.column() == PositionColumn)
        return QLocale().toString(index.row());
    const Page *p = pageFor(index.row());
    const qsizetype i = index.row() % kPageSize;
    if (role == LoadedRole)
        return p != nullptr;
    if (!p || i >= qsizetype(p->decoded.size())) {
        if (role == Qt::DisplayRole && index.column() == TaskColumn)
            return tr("loading…");
        return {};
    }
    const CeleryTaskMessage &m = p->decoded[size_t(i)];
    const QByteArray &raw = p->raw[i];
    if (role == RawRole)
        return raw;
    if (role == StepRole)
        return p->steps.value(i); // the priority list it waits in
    // A plain list queue's JSON or text is a message like any other; a kombu envelope that
    // does not decode as a task is marked.
    const bool brokenTask = !m.isTask && m.envelope.isEnvelope;
    if (role == Qt::ForegroundRole && index.column() == TaskColumn && !m.isTask)
        return QBrush(toneColor(brokenTask ? Tone::Error : Tone::Muted));
    if (role == Qt::ToolTipRole && index.column() == TaskColumn && !m.isTask)
        return brokenTask ? m.error : tr("Not a Celery task: a plain message (%1)").arg(m.error);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TaskColumn:
        if (!m.isTask) {
            const QString preview = connectors::ReplyFormatter::escapeBytes(raw.left(120), false);
            return m.envelope.isEnvelope ? tr("(undecodable) %1").arg(preview) : preview;
        }
        return m.shadow.isEmpty() ? m.task : tr("%1 (as %2)").arg(m.task, m.shadow);
    case IdColumn:
        return m.id;
    case ArgsColumn:
        return m.argsDecoded ? compact(m.args) : m.argsRepr;
    case KwargsColumn:
        return m.argsDecoded ? compact(m.kwargs) : m.kwargsRepr;
    case EtaColumn:
        return m.eta;
    case ExpiresColumn:
        return m.expires;
    case RetriesColumn:
        return m.isTask ? QVariant(m.retries) : QVariant();
    case PriorityColumn:
        return m.isTask ? QVariant(m.priority) : QVariant(p->steps.value(i));
    case ContentTypeColumn:
        return m.envelope.contentType;
    case SizeColumn:
        return QLocale().formattedDataSize(raw.size());
    case OriginColumn:
        return m.origin;
    }
    return {};
}

QVariant QueueMessagesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PositionColumn:
        return tr("#");
    case TaskColumn:
        return tr("Task");
    case IdColumn:
        return tr("ID");
    case ArgsColumn:
        return tr("Args");
    case KwargsColumn:
        return tr("Kwargs");
    case EtaColumn:
        return tr("ETA");
    case ExpiresColumn:
        return tr("Expires");
    case RetriesColumn:
        return tr("Retries");
    case PriorityColumn:
        return tr("Priority");
    case ContentTypeColumn:
        return tr("Content type");
    case SizeColumn:
        return tr("Size");
    case OriginColumn:
        return tr("Origin");
    }
    return {};
}

} // namespace bd::models
