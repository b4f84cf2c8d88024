#pragma once

#include "celery/celeryeventstate.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <vector>

class QThread;

namespace bd::store {

class EventStoreWriter;

// A stretch of time in which no events could have arrived (the events connection was down):
// shown in the timeline, never hidden.
struct EventGap
{
    double from = 0; // epoch seconds, this machine's clock
    double to = 0;
    bool operator==(const EventGap &) const = default;
};

// One task event as written: the task's id and the entry of its history.
struct StoredTaskEvent
{
    QString uuid;
    connectors::TaskEventEntry entry;
};

// What the store holds, read back: the newest tasks (oldest first, with their histories),
// the workers, and the gaps.
struct StoredTimeline
{
    std::vector<connectors::TaskEventRecord> tasks;
    QList<connectors::WorkerEventRecord> workers;
    QList<EventGap> gaps;
    qint64 tasksStored = 0; // in the whole store
    QString problem;        // the store could not be read: why
};

// How long the store keeps what it holds (settings).
struct EventStoreLimits
{
    double maxAgeDays = 7;
    qint64 maxTasks = 2'000'000;
    double failedAgeDays = 30; // failed tasks outlive the others
};

// The task event store of one profile: an SQLite file (Qt SQL's QSQLITE driver, WAL), so the
// timeline survives a restart and holds more than memory does. Every batch of events is one
// transaction: the task events, the tasks they changed (their whole record) and the workers.
// Old tasks go by age and count (EventStoreLimits), checked when the store opens and every few
// minutes. The file and its folder are readable by their owner only.
//
// A store that cannot be opened or written (a broken disk, a full one, a corrupt file)
// degrades: problem() says why once, and nothing more is written; the views keep what they
// hold in memory.
//
// Threading contract: EventStore is used on the thread that created it (the GUI thread);
// the database connection lives on a private QThread (QtSql connections belong to the thread
// that opened them), and every call crosses to it queued. Answers come back on the owner
// thread through handlers bound to a context (dropped when it dies). The destructor writes
// what was queued, then closes the database and joins the thread.
class EventStore : public QObject
{
    Q_OBJECT

public:
    EventStore(QString path, EventStoreLimits limits, QObject *parent = nullptr);
    ~EventStore() override;

    const QString &path() const { return m_path; }
    // Opens (creating the file and its tables); opened() or problem() says how it went.
    void open();
    bool isDegraded() const { return m_degraded; }
    QString problemText() const { return m_problem; }

    // One batch, one transaction.
    void write(std::vector<StoredTaskEvent> events, std::vector<connectors::TaskEventRecord> tasks,
               QList<connectors::WorkerEventRecord> workers);
    void recordGap(const EventGap &gap);
    void setLimits(const EventStoreLimits &limits);

    using TimelineHandler = std::function<void(const StoredTimeline &)>;
    // The newest limit tasks with their histories, the workers and the gaps.
    void loadRecent(qint64 limit, const QObject *context, TimelineHandler handler);
    using HistoryHandler = std::function<void(const std::vector<connectors::TaskEventEntry> &)>;
    void loadHistory(const QString &uuid, const QObject *context, HistoryHandler handler);

    // Batches written (counted on the writer's thread, read here when the answer arrives).
    qint64 batchesWritten() const { return m_batchesWritten; }

    // A record as the store keeps it: everything but the history (written as events).
    static connectors::TaskEventRecord withoutHistory(const connectors::TaskEventRecord &task);

Q_SIGNALS:
    void opened(qint64 tasksStored);
    // The store stopped: opening or writing failed; events are kept in memory only.
    void problem(const QString &text);
    // A batch is on disk.
    void written(qint64 batches);

private:
    void degrade(const QString &text);
    // Runs job on the writer's thread.
    void post(std::function<void(EventStoreWriter *)> job);
    // Runs then on this object's thread (called from the writer's).
    void answer(std::function<void()> then);

    QString m_path;
    QThread *m_thread = nullptr;          // Owned; joined in the destructor.
    EventStoreWriter *m_writer = nullptr; // Lives in m_thread; deleted when it finishes.
    bool m_degraded = false;
    QString m_problem;
    qint64 m_batchesWritten = 0;
};

} // namespace bd::store
