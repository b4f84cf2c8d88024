#pragma once

#include "events/eventstore.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <deque>

namespace bd::connectors {
class CeleryBroker;
struct CeleryEvent;
struct RedisError;
} // namespace bd::connectors
namespace bd::models {
class TaskTimelineModel;
}

namespace bd::app {

// The events pipeline of a session: the broker's events (decoded off the GUI thread) applied
// to the timeline's state in batches, every task and worker they changed handed to the store,
// and the time the events connection was down recorded as a gap. At start the store's newest
// tasks are read back first, then the events are followed.
class EventsController : public QObject
{
    Q_OBJECT

public:
    // store: may be null (no store for this session: memory only).
    EventsController(connectors::CeleryBroker *broker, models::TaskTimelineModel *timeline,
                     store::EventStore *store, QObject *parent = nullptr);

    // Opens the store, reads it back, and follows the broker's events.
    void start();

    qint64 eventsApplied() const { return m_applied; }
    qint64 duplicates() const { return m_duplicates; }
    qint64 malformed() const { return m_malformed; }
    qint64 ignored() const { return m_ignored; }
    const QList<store::EventGap> &gaps() const { return m_gaps; }
    bool isRestored() const { return m_restored; }
    QString storeProblem() const { return m_storeProblem; }
    // Tasks that left memory while the store was too slow to take them (past
    // maxUnstoredTasks() waiting): not stored.
    qint64 notStored() const { return m_notStored; }
    qint64 maxUnstoredTasks() const { return m_maxUnstored; }
    // For tests: a smaller bound than kMaxUnstoredTasks.
    void setMaxUnstoredTasks(qint64 tasks) { m_maxUnstored = std::max<qint64>(1, tasks); }

    // Only the newest tasks stay in memory; the store holds the rest.
    static constexpr qint64 kTasksInMemory = 20000;
    // Events are applied at most this often: a flood reaches the views (and their repaints)
    // twenty times a second, each batch with one insert.
    static constexpr int kApplyIntervalMs = 50;
    // A backlog is applied in slices of kSliceEvents while one pass of the event loop has
    // taken less than kMaxApplyMs (the views are repainted between passes), unless more than
    // kMaxWaitingEvents wait.
    static constexpr qint64 kSliceEvents = 2000;
    static constexpr int kMaxApplyMs = 20;
    static constexpr qint64 kMaxWaitingEvents = 100000;
    // Tasks that left memory while the store was writing wait for it, at most this many (about
    // 1-2 KB each); past that the oldest are not stored, and counted (a disk far slower than
    // the events).
    static constexpr qint64 kMaxUnstoredTasks = 50000;
    // After this many events, once none has come for kReleaseAfterMs, the allocator hands the
    // memory a flood's buffers took back to the system (glibc keeps it otherwise).
    static constexpr qint64 kReleaseAfterEvents = 20000;
    static constexpr int kReleaseAfterMs = 1000;

Q_SIGNALS:
    // Counts, gaps or the store's state changed (for the page's status line).
    void statusChanged();
    // A batch of events is in the timeline.
    void applied(qint64 eventsApplied);

private:
    void take(const QList<connectors::CeleryEvent> &events);
    void applyArrived();
    // Hands the store what changed since the last time, unless it is writing.
    void handOver();
    void apply(const QList<QList<connectors::CeleryEvent>> &batches);
    void lost(const connectors::RedisError &error);
    void followed();

    connectors::CeleryBroker *m_broker;    // Not owned: the session's.
    models::TaskTimelineModel *m_timeline; // Not owned.
    QPointer<store::EventStore> m_store;   // Not owned.
    // What the store has not been handed yet: tasks changed in batches after m_storedBatch
    // (still in memory), those that left memory meanwhile, and workers.
    qint64 m_storedBatch = 0;
    std::deque<connectors::TaskEventRecord> m_evictedUnstored; // oldest first
    QSet<QString> m_workersUnstored;
    qint64 m_maxUnstored = kMaxUnstoredTasks;
    qint64 m_notStored = 0;
    bool m_restored = false;
    // Batches waiting for the next apply, as they came (shared with the broker's signal: no
    // event is copied on the way).
    QList<QList<connectors::CeleryEvent>> m_arrived;
    qint64 m_arrivedEvents = 0;     // in m_arrived
    QTimer *m_applyTimer = nullptr; // Owned (child).
    QElapsedTimer m_sinceApply;
    QTimer *m_release = nullptr; // Owned (child): memory handed back once a flood is over
    qint64 m_sinceRelease = 0;   // events applied since memory was last handed back
    qint64 m_applied = 0;
    qint64 m_duplicates = 0;
    qint64 m_malformed = 0;
    qint64 m_ignored = 0;
    double m_lostSince = 0; // epoch seconds; 0 while events are followed
    QList<store::EventGap> m_gaps;
    QString m_storeProblem;
};

} // namespace bd::app
