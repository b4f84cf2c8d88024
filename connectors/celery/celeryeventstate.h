#pragma once

#include "celery/celeryevent.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <array>
#include <deque>
#include <limits>
#include <vector>

namespace bd::connectors {

// A task's state as its events tell it (celery.md §5), Celery's own names.
enum class TaskEventState : quint8 {
    Pending,  // task-sent
    Received, // task-received
    Started,
    Retry,
    Success,
    Failure,
    Revoked,
    Rejected,
    Custom, // task-<other>: a state of the application's own (its name in customState)
};
QString taskEventStateName(TaskEventState state);
// A state's name back (as stored); Custom for any other.
TaskEventState taskEventStateFromName(const QString &name);
bool isReadyState(TaskEventState state); // SUCCESS, FAILURE, REVOKED: the task is done

// One event of a task's history.
struct TaskEventEntry
{
    QString type;          // "task-started", …
    QString hostname;      // who sent it
    double timestamp = 0;  // the sender's clock, epoch seconds
    double receivedAt = 0; // this machine's clock when it arrived, epoch seconds
    qint64 clock = 0;      // the Lamport clock
    QString detail;        // what the event adds: the exception of a retry, a revoke's signal
    bool operator==(const TaskEventEntry &) const = default;
};

// Everything the events said about one task.
struct TaskEventRecord
{
    QString uuid;
    QString name;
    TaskEventState state = TaskEventState::Pending;
    QString customState;
    QString worker; // the worker that received or ran it (not the producer of task-sent)
    double sent = 0, received = 0, started = 0, finished = 0; // the sender's clock; 0: not seen
    double firstSeen = 0; // this machine's clock, when its first event arrived
    double lastSeen = 0;  // this machine's clock, when its last event arrived
    double runtime = -1;  // seconds, from task-succeeded; -1: not known
    qint64 retries = 0;
    QString args, kwargs; // reprs, as events carry them (may be cut short by the sender)
    QString result;       // a repr, from task-succeeded
    QString exception;    // a repr, from task-failed / task-retried
    QString traceback;
    QString rootId, parentId, eta, expires, queue, exchange, routingKey;
    bool terminated = false;
    QString signum;
    bool expired = false;
    std::vector<TaskEventEntry> history; // oldest first, at most kMaxHistory
    qint64 seq = 0;                      // arrival order of the task, from 1
    qint64 lastBatch = 0;                // the apply() that changed it last

    QString stateName() const;
    bool operator==(const TaskEventRecord &) const = default;
};

// A worker as its heartbeats and task events tell it.
struct WorkerEventRecord
{
    QString hostname;
    qint64 pid = 0;
    double freq = 0;          // heartbeat interval, seconds (Celery's default 2)
    double lastHeartbeat = 0; // this machine's clock when the last heartbeat arrived; 0: none
    double lastTimestamp = 0; // the worker's clock in it
    double clockSkew = 0;     // worker clock minus ours at the last heartbeat, seconds
    double firstSeen = 0;
    double lastEvent = 0; // this machine's clock, any event of this worker
    qint64 active = -1, processed = -1;
    QList<double> loadavg;
    QString swIdent, swVer, swSys;
    bool offline = false; // said goodbye (worker-offline)
    qint64 heartbeats = 0;

    // Alive while a heartbeat is younger than 2 × freq (Celery's HEARTBEAT_EXPIRE_WINDOW).
    bool alive(double now) const;
    // When it stops counting as alive (0: no heartbeat yet).
    double expiresAt() const;
};

// What one apply() changed, for a model to announce and a store to write.
struct EventStateChanges
{
    qint64 newTasks = 0;         // appended at the newest end (seqs newestSeq-newTasks+1 …)
    qint64 evicted = 0;          // dropped from the oldest end
    std::vector<qint64> changed; // seqs of tasks already held before, changed; ascending
    QSet<QString> workers;       // hostnames whose record changed
    qint64 events = 0;           // events applied
    qint64 duplicates = 0;       // events seen before (same task, type, clock and time)
    qint64 malformed = 0;        // events with fields of the wrong type
    qint64 ignored = 0;          // task events without a task id, events of unknown kinds
    // Tasks this batch created or changed that the limit then pushed out of memory: their
    // last records, for a store to keep.
    std::vector<TaskEventRecord> evictedChanged;
};

// Celery's events.state.State (what Flower runs), in C++: tasks by id and workers by name,
// merged as Celery merges them — an event that logically happened before the task's current
// state (task-received after task-succeeded) adds its fields but does not move the state back;
// RETRY always moves it. At most maxTasks tasks are held: the oldest go first.
// Not thread-safe: one thread applies and reads.
class CeleryEventState
{
public:
    explicit CeleryEventState(qint64 maxTasks = 20000);
    // Not copied: it points into itself (the last worker found).
    CeleryEventState(const CeleryEventState &) = delete;
    CeleryEventState &operator=(const CeleryEventState &) = delete;

    // now: this machine's clock (epoch seconds) when the events arrived.
    EventStateChanges apply(const QList<CeleryEvent> &events, double now);
    // Several batches as one (as they arrived, in order): one set of changes for them all.
    EventStateChanges apply(const QList<QList<CeleryEvent>> &batches, double now);
    // Records read back from a store, oldest first, before live events are applied.
    void restore(std::vector<TaskEventRecord> tasks);
    // Workers read back from a store; live events then update them (none is alive until its
    // next heartbeat arrives: the stored heartbeats are from before).
    void restoreWorkers(const QList<WorkerEventRecord> &workers);

    // apply() calls so far; a record's lastBatch says which one changed it last.
    qint64 batchCount() const { return m_batch; }
    // Tasks that leave memory go into EventStateChanges::evictedChanged when they changed in
    // this batch or since batch (a store that takes what changed only when it is free: what
    // it has not taken yet). By default, this batch's only.
    void keepEvictedChangedSince(qint64 batch) { m_keepEvictedSince = batch; }

    void setMaxTasks(qint64 maxTasks);
    qint64 maxTasks() const { return m_maxTasks; }
    qint64 taskCount() const { return qint64(m_tasks.size()); }
    // The task of arrival order seq, or null when it is not held (evicted, never seen).
    const TaskEventRecord *taskBySeq(qint64 seq) const;
    const TaskEventRecord *task(const QString &uuid) const;
    // Held tasks, oldest first: index 0 is the oldest.
    const TaskEventRecord &taskAt(qint64 index) const { return m_tasks[size_t(index)]; }
    qint64 firstSeq() const { return m_tasks.empty() ? m_nextSeq : m_tasks.front().seq; }

    const QHash<QString, WorkerEventRecord> &workers() const { return m_workers; }

    static constexpr int kMaxHistory = 64; // events per task (a task retried for ever)
    // Workers held; the events of others are ignored (counted in refusedWorkers()): a flood
    // of heartbeats under made-up names does not grow memory without end.
    static constexpr qsizetype kMaxWorkers = 5000;
    // Events ignored because they named a worker past kMaxWorkers.
    qint64 refusedWorkers() const { return m_refusedWorkers; }
    // Celery warns when a worker's clock is further off than this (HEARTBEAT_DRIFT_MAX).
    static constexpr double kMaxClockSkew = 16.0;

private:
    void applyTask(const CeleryEvent &event, double now, EventStateChanges &changes);
    void applyWorker(const CeleryEvent &event, double now, EventStateChanges &changes);
    // Null for a new worker past kMaxWorkers.
    WorkerEventRecord *worker(const QString &hostname, double now);
    QString intern(const QString &text);
    void evict(EventStateChanges &changes, qint64 touchedSince);

    qint64 m_maxTasks;
    std::deque<TaskEventRecord> m_tasks; // by arrival, oldest first
    QHash<QString, qint64> m_seqByUuid;
    qint64 m_nextSeq = 1;
    qint64 m_batch = 0; // apply() calls so far: a task's lastBatch says which changed it
    qint64 m_keepEvictedSince = std::numeric_limits<qint64>::max();
    QHash<QString, WorkerEventRecord> m_workers;
    QSet<QString> m_strings; // task names and hostnames, shared by every record that has one
    struct RecentText
    {
        QString arrived; // as an event brought it
        QString held;    // the one in m_strings
    };
    std::array<RecentText, 256> m_recent; // by the address of what arrived
    qint64 m_refusedWorkers = 0;
    WorkerEventRecord *m_lastWorker = nullptr; // the last worker() found (into m_workers)
    QString m_lastChangedWorker; // the last hostname put in this apply's changes.workers
};

} // namespace bd::connectors
