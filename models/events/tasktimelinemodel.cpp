#include "tasktimelinemodel.h"

#include "common/tones.h"

#include <QDateTime>
#include <QLocale>

namespace bd::models {

using connectors::TaskEventRecord;
using connectors::TaskEventState;

namespace {

constexpr int kMaxCellChars = 300; // a repr in a cell; the detail pane shows it whole

QString cell(const QString &text)
{
    QString oneLine = text.left(kMaxCellChars);
    oneLine.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return oneLine;
}

Tone stateTone(TaskEventState state)
{
    switch (state) {
    case TaskEventState::Success:
        return Tone::Success;
    case TaskEventState::Failure:
    case TaskEventState::Rejected:
        return Tone::Error;
    case TaskEventState::Retry:
    case TaskEventState::Revoked:
        return Tone::Warning;
    case TaskEventState::Started:
        return Tone::Info;
    default:
        return Tone::Muted;
    }
}

} // namespace

TaskTimelineModel::TaskTimelineModel(qint64 maxTasks, QObject *parent)
    : QAbstractTableModel(parent)
    , m_state(maxTasks)
{}

connectors::EventStateChanges TaskTimelineModel::apply(const QList<connectors::CeleryEvent> &events,
                                                       double now)
{
    return apply(QList<QList<connectors::CeleryEvent>>{events}, now);
}

connectors::EventStateChanges
TaskTimelineModel::apply(const QList<QList<connectors::CeleryEvent>> &batches, double now)
{
    // The state changes first; rows are then announced in the order that keeps every row a
    // view can ask for valid: those that left (their seqs no longer held) go before any other
    // announcement reads a row.
    const qint64 announcedOldest = m_topSeq - m_rows + 1;
    connectors::EventStateChanges changes = m_state.apply(batches, now);
    const qint64 heldOldest = m_state.firstSeq();
    const int gone = int(std::clamp<qint64>(heldOldest - announcedOldest, 0, m_rows));
    if (gone > 0) {
        beginRemoveRows({}, m_rows - gone, m_rows - 1);
        m_rows -= gone;
        endRemoveRows();
    }
    if (changes.newTasks > 0) {
        beginInsertRows({}, 0, int(changes.newTasks) - 1);
        m_rows += int(changes.newTasks);
        m_topSeq = m_state.firstSeq() + m_state.taskCount() - 1;
        endInsertRows();
    }
    // Changed tasks, newest first is row order: one signal per run of neighbouring rows.
    int runEnd = -1;
    int runStart = -1;
    for (auto it = changes.changed.crbegin(); it != changes.changed.crend(); ++it) {
        const int row = int(m_topSeq - *it);
        if (row < 0 || row >= m_rows)
            continue;
        if (runStart >= 0 && row == runEnd + 1) {
            runEnd = row;
            continue;
        }
        if (runStart >= 0)
            Q_EMIT dataChanged(index(runStart, 0), index(runEnd, ColumnCount - 1));
        runStart = runEnd = row;
    }
    if (runStart >= 0)
        Q_EMIT dataChanged(index(runStart, 0), index(runEnd, ColumnCount - 1));
    return changes;
}

void TaskTimelineModel::restore(std::vector<TaskEventRecord> tasks)
{
    beginResetModel();
    m_state.restore(std::move(tasks));
    m_rows = int(m_state.taskCount());
    m_topSeq = m_state.firstSeq() + m_state.taskCount() - 1;
    endResetModel();
}

const TaskEventRecord *TaskTimelineModel::taskAt(int row) const
{
    if (row < 0 || row >= m_rows)
        return nullptr;
    return m_state.taskBySeq(m_topSeq - row);
}

int TaskTimelineModel::rowOf(const QString &uuid) const
{
    const TaskEventRecord *task = m_state.task(uuid);
    if (!task)
        return -1;
    const qint64 row = m_topSeq - task->seq;
    return row >= 0 && row < m_rows ? int(row) : -1;
}

int TaskTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int TaskTimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TaskTimelineModel::timeText(double epochSeconds)
{
    if (epochSeconds <= 0)
        return {};
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(qint64(epochSeconds * 1000));
    if (at.date() == QDate::currentDate())
        return QLocale().toString(at.time(), QStringLiteral("HH:mm:ss.zzz"));
    return QLocale().toString(at, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QVariant TaskTimelineModel::data(const QModelIndex &index, int role) const
{
    const TaskEventRecord *t = index.isValid() ? taskAt(index.row()) : nullptr;
    if (!t)
        return {};
    const double received = t->received > 0 ? t->received : t->sent;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StateColumn:
            return t->stateName();
        case NameColumn:
            return t->name;
        case IdColumn:
            return t->uuid;
        case WorkerColumn:
            return t->worker;
        case ReceivedColumn:
            return timeText(received);
        case StartedColumn:
            return timeText(t->started);
        case FinishedColumn:
            return timeText(t->finished);
        case RuntimeColumn:
            return t->runtime >= 0 ? QLocale().toString(t->runtime, 'f', 3) + QStringLiteral(" s")
                                   : QString();
        case RetriesColumn:
            return t->retries > 0 ? QString::number(t->retries) : QString();
        case ArgsColumn:
            return cell(t->args);
        case KwargsColumn:
            return cell(t->kwargs);
        case OutcomeColumn:
            return cell(t->exception.isEmpty() ? t->result : t->exception);
        case RootColumn:
            return t->rootId != t->uuid ? t->rootId : QString();
        case ParentColumn:
            return t->parentId;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ArgsColumn || index.column() == KwargsColumn)
            return tr("As the worker's event carried it: a Python repr, possibly cut short");
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StateColumn || index.column() == OutcomeColumn)
            return toneColor(stateTone(t->state));
        return {};
    case RawValueRole:
        switch (index.column()) {
        case ReceivedColumn:
            return received;
        case StartedColumn:
            return t->started;
        case FinishedColumn:
            return t->finished;
        case RuntimeColumn:
            return t->runtime;
        case RetriesColumn:
            return t->retries;
        default:
            return data(index, Qt::DisplayRole);
        }
    case UuidRole:
        return t->uuid;
    case StateRole:
        return t->stateName();
    default:
        return {};
    }
}

QVariant TaskTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StateColumn:
        return tr("State");
    case NameColumn:
        return tr("Task");
    case IdColumn:
        return tr("ID");
    case WorkerColumn:
        return tr("Worker");
    case ReceivedColumn:
        return tr("Received");
    case StartedColumn:
        return tr("Started");
    case FinishedColumn:
        return tr("Finished");
    case RuntimeColumn:
        return tr("Runtime");
    case RetriesColumn:
        return tr("Retries");
    case ArgsColumn:
        return tr("Args (repr)");
    case KwargsColumn:
        return tr("Kwargs (repr)");
    case OutcomeColumn:
        return tr("Result / exception");
    case RootColumn:
        return tr("Root");
    case ParentColumn:
        return tr("Parent");
    default:
        return {};
    }
}

} // namespace bd::models
