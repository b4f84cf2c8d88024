#pragma once

#include "celery/celeryeventstate.h"

#include <QHash>
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

    // The settings file (<GenericConfigLocation>/Brokerdesk/settings.json, shared with the
    // other settings), member "event_store": {"max_age_days", "max_tasks", "failed_age_days"}.
    static QString defaultPath();
    // The limits the file holds; the defaults for what it lacks, or when it cannot be read.
    static EventStoreLimits load(const QString &path);
    // Writes them into the file, keeping its other members; false when it cannot be written.
    bool save(const QString &path) const;
    bool operator==(const EventStoreLimits &) const = default;
};

// The task event store of one profile: an SQLite file (Qt SQL's QSQLITE driver, WAL), so the
// timeline survives a restart and holds more than memory does. A task is one row: the columns
// retention and queries look at, and the rest of its record with its history packed. What changed
// waits until the writer is free and goes in one transaction: a task that changed ten times
// meanwhile is written once, so the store keeps up with any event rate and the writer is never more
// than one transaction behind. Old tasks go by age and count (EventStoreLimits), checked when the
// store opens and every few minutes. The file and its folder are readable by their owner only.
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

    // The latest records of tasks and workers that changed.
    void write(const connectors::TaskEventRecord &task);
    void write(const connectors::WorkerEventRecord &worker);
    // Records handed over together: written at once in one transaction when the writer is
    // free (no copy is made), else they wait with the others. A caller that hands over what
    // changed only while isWriting() is false (and again on written()) copies each record
    // once per transaction, however often it changed meanwhile.
    void write(std::vector<connectors::TaskEventRecord> tasks,
               std::vector<connectors::WorkerEventRecord> workers);
    // A transaction is running.
    bool isWriting() const { return m_writing; }
    // Records written since the store was made (counted here as transactions complete).
    qint64 tasksWritten() const { return m_tasksWritten; }
    // Nothing waits to be written and no transaction is running.
    bool isIdle() const
    {
        return !m_writing && m_pendingTasks.isEmpty() && m_pendingWorkers.isEmpty();
    }
    void recordGap(const EventGap &gap);
    void setLimits(const EventStoreLimits &limits);

    using TimelineHandler = std::function<void(const StoredTimeline &)>;
    // The newest limit tasks with their histories, the workers and the gaps.
    void loadRecent(qint64 limit, const QObject *context, TimelineHandler handler);
    using HistoryHandler = std::function<void(const std::vector<connectors::TaskEventEntry> &)>;
    void loadHistory(const QString &uuid, const QObject *context, HistoryHandler handler);

    // A task's record packed as the store keeps it (all but the columns: history included),
    // and back; false for bytes that are not one.
    static QByteArray packRecord(const connectors::TaskEventRecord &task);
    static void packRecord(const connectors::TaskEventRecord &task, QByteArray *into);
    static bool unpackRecord(const QByteArray &bytes, connectors::TaskEventRecord *task);

    // Where Qt's SQLite driver links the system's SQLite, tasks are written through SQLite's
    // own API on the driver's connection; stores opened after setPortableWrites(true) write
    // through Qt SQL alone, as builds for other systems do (for tests).
    static void setPortableWrites(bool portable);

Q_SIGNALS:
    void opened(qint64 tasksStored);
    // The store stopped: opening or writing failed; events are kept in memory only.
    void problem(const QString &text);
    // A transaction is on disk: tasks, the records written so far.
    void written(qint64 tasks);

private:
    void degrade(const QString &text);
    // Runs job on the writer's thread.
    void post(std::function<void(EventStoreWriter *)> job);
    // Runs then on this object's thread (called from the writer's).
    void answer(std::function<void()> then);
    // Hands what waits to the writer, unless a transaction is running.
    void flush();
    void startWriting(std::vector<connectors::TaskEventRecord> tasks,
                      std::vector<connectors::WorkerEventRecord> workers);

    QString m_path;
    QThread *m_thread = nullptr;          // Owned; joined in the destructor.
    EventStoreWriter *m_writer = nullptr; // Lives in m_thread; deleted when it finishes.
    bool m_degraded = false;
    QString m_problem;
    QHash<QString, connectors::TaskEventRecord> m_pendingTasks;     // by uuid
    QHash<QString, connectors::WorkerEventRecord> m_pendingWorkers; // by hostname
    bool m_writing = false;                                         // a transaction is running
    bool m_flushQueued = false;
    qint64 m_tasksWritten = 0;
};

} // namespace bd::store
