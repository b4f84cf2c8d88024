#include "eventscontroller.h"

#include "allocator.h"
#include "celery/celerybroker.h"
#include "events/tasktimelinemodel.h"

#include <QDateTime>

#include <iterator>

namespace bd::app {

namespace {

double nowSeconds()
{
    return QDateTime::currentMSecsSinceEpoch() / 1000.0;
}

} // namespace

EventsController::EventsController(connectors::CeleryBroker *broker,
                                   models::TaskTimelineModel *timeline, store::EventStore *store,
                                   QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_timeline(timeline)
    , m_store(store)
{
    m_release = new QTimer(this);
    m_release->setSingleShot(true);
    m_release->setInterval(kReleaseAfterMs);
    connect(m_release, &QTimer::timeout, this, [this] {
        m_sinceRelease = 0;
        releaseFreeMemory();
    });
    m_applyTimer = new QTimer(this);
    m_applyTimer->setSingleShot(true);
    connect(m_applyTimer, &QTimer::timeout, this, &EventsController::applyArrived);
    connect(m_broker, &connectors::CeleryBroker::eventsArrived, this, &EventsController::take);
    connect(m_broker, &connectors::CeleryBroker::eventsProblem, this, &EventsController::lost);
    connect(m_broker, &connectors::CeleryBroker::eventsFollowed, this, &EventsController::followed);
    if (m_store) {
        connect(m_store, &store::EventStore::written, this, &EventsController::handOver);
        connect(m_store, &store::EventStore::problem, this, [this](const QString &text) {
            // Nothing more is written: what waited for the store goes.
            m_evictedUnstored.clear();
            m_workersUnstored.clear();
            m_storeProblem = text;
            Q_EMIT statusChanged();
        });
    }
}

void EventsController::start()
{
    if (!m_store) {
        m_restored = true;
        m_broker->followEvents(true);
        return;
    }
    m_store->open();
    m_store->loadRecent(kTasksInMemory, this, [this](const store::StoredTimeline &stored) {
        if (!stored.problem.isEmpty() && m_storeProblem.isEmpty())
            m_storeProblem = stored.problem;
        m_timeline->restore(stored.tasks);
        m_timeline->restoreWorkers(stored.workers);
        m_gaps = stored.gaps;
        m_restored = true;
        // Followed from here: the restored tasks are the oldest rows, live ones come on top.
        m_broker->followEvents(true);
        Q_EMIT statusChanged();
    });
}

void EventsController::take(const QList<connectors::CeleryEvent> &events)
{
    m_arrived << events;
    m_arrivedEvents += events.size();
    if (m_applyTimer->isActive())
        return;
    const qint64 since = m_sinceApply.isValid() ? m_sinceApply.elapsed() : kApplyIntervalMs;
    if (since >= kApplyIntervalMs)
        applyArrived();
    else
        m_applyTimer->start(int(kApplyIntervalMs - since));
}

void EventsController::applyArrived()
{
    // Slices, while this pass of the event loop is young: a backlog goes in passes of about
    // kMaxApplyMs, the views repainted between them, on a slow machine as on a fast one.
    // Past kMaxWaitingEvents all goes at once: memory over smoothness.
    QElapsedTimer pass;
    pass.start();
    do {
        QList<QList<connectors::CeleryEvent>> slice;
        if (m_arrivedEvents <= kSliceEvents || m_arrivedEvents > kMaxWaitingEvents) {
            slice = std::exchange(m_arrived, {});
            m_arrivedEvents = 0;
        } else {
            qsizetype batches = 0;
            qint64 events = 0;
            while (batches < m_arrived.size() && events < kSliceEvents)
                events += m_arrived[batches++].size();
            slice = m_arrived.first(batches);
            m_arrived.remove(0, batches);
            m_arrivedEvents -= events;
        }
        apply(slice);
    } while (!m_arrived.isEmpty() && pass.elapsed() < kMaxApplyMs);
    if (!m_arrived.isEmpty())
        m_applyTimer->start(0);
}

void EventsController::apply(const QList<QList<connectors::CeleryEvent>> &batches)
{
    m_sinceApply.start();
    qint64 arrived = 0;
    for (const QList<connectors::CeleryEvent> &events : batches)
        arrived += events.size();
    if (arrived == 0)
        return;
    connectors::EventStateChanges changes = m_timeline->apply(batches, nowSeconds());
    m_applied += changes.events;
    m_sinceRelease += arrived;
    if (m_sinceRelease >= kReleaseAfterEvents)
        m_release->start(); // restarted by every batch: it fires once they stop
    m_duplicates += changes.duplicates;
    m_malformed += changes.malformed;
    m_ignored += changes.ignored;
    if (m_store && !m_store->isDegraded()) {
        for (connectors::TaskEventRecord &task : changes.evictedChanged)
            m_evictedUnstored.push_back(std::move(task));
        if (const qint64 over = qint64(m_evictedUnstored.size()) - m_maxUnstored; over > 0) {
            m_evictedUnstored.erase(m_evictedUnstored.begin(), m_evictedUnstored.begin() + over);
            m_notStored += over;
            Q_EMIT statusChanged();
        }
        for (const QString &hostname : changes.workers)
            m_workersUnstored.insert(hostname);
        handOver();
    }
    Q_EMIT applied(m_applied);
}

void EventsController::handOver()
{
    // What changed since the last hand-over, copied now: a task that changed ten times while
    // the store wrote is copied once.
    if (!m_store || m_store->isDegraded() || m_store->isWriting())
        return;
    const connectors::CeleryEventState &state = m_timeline->state();
    qint64 changed = 0;
    for (qint64 i = 0; i < state.taskCount(); ++i)
        changed += state.taskAt(i).lastBatch > m_storedBatch;
    std::vector<connectors::TaskEventRecord> tasks;
    tasks.reserve(m_evictedUnstored.size() + size_t(changed));
    std::move(m_evictedUnstored.begin(), m_evictedUnstored.end(), std::back_inserter(tasks));
    m_evictedUnstored.clear();
    for (qint64 i = 0; i < state.taskCount(); ++i) {
        const connectors::TaskEventRecord &task = state.taskAt(i);
        if (task.lastBatch > m_storedBatch)
            tasks.push_back(task);
    }
    std::vector<connectors::WorkerEventRecord> workers;
    for (const QString &hostname : std::as_const(m_workersUnstored)) {
        const auto it = state.workers().constFind(hostname);
        if (it != state.workers().cend())
            workers.push_back(*it);
    }
    m_workersUnstored.clear();
    m_storedBatch = state.batchCount();
    // Tasks that leave memory before the next hand-over come back in evictedChanged.
    m_timeline->keepEvictedChangedSince(m_storedBatch + 1);
    m_store->write(std::move(tasks), std::move(workers));
}

void EventsController::lost(const connectors::RedisError &)
{
    if (m_lostSince > 0)
        return;
    m_lostSince = nowSeconds();
    Q_EMIT statusChanged();
}

void EventsController::followed()
{
    if (m_lostSince <= 0)
        return;
    const store::EventGap gap{m_lostSince, nowSeconds()};
    m_lostSince = 0;
    m_gaps << gap;
    if (m_store)
        m_store->recordGap(gap);
    Q_EMIT statusChanged();
}

} // namespace bd::app
