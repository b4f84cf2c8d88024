// The task and worker state built from Celery events (CeleryEventState): Celery's own merge
// rules for events in and out of order, duplicates, eviction, and worker liveness by heartbeat.
#include "celery/celeryeventstate.h"

#include <QtTest>

using bd::connectors::CeleryEvent;
using bd::connectors::CeleryEventState;
using bd::connectors::EventStateChanges;
using bd::connectors::TaskEventState;

namespace {

constexpr double kT0 = 1795315898.0;

CeleryEvent taskEvent(const QString &type, const QString &uuid, double timestamp, qint64 clock,
                      const QString &host = QStringLiteral("w1@vm"))
{
    CeleryEvent e;
    e.type = type;
    e.uuid = uuid;
    e.timestamp = timestamp;
    e.clock = clock;
    e.hostname = host;
    return e;
}

CeleryEvent received(const QString &uuid, double timestamp, qint64 clock)
{
    CeleryEvent e = taskEvent(QStringLiteral("task-received"), uuid, timestamp, clock);
    e.name = QStringLiteral("tasks.add");
    e.args = QStringLiteral("(2, 3)");
    e.kwargs = QStringLiteral("{}");
    e.retries = 0;
    e.rootId = uuid;
    return e;
}

CeleryEvent heartbeat(const QString &host, double timestamp, double freq = 2.0)
{
    CeleryEvent e;
    e.type = QStringLiteral("worker-heartbeat");
    e.hostname = host;
    e.timestamp = timestamp;
    e.freq = freq;
    e.active = 1;
    e.processed = 7;
    e.loadavg = {0.5, 0.25, 0.1};
    return e;
}

} // namespace

class TestCeleryEventState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aTaskInOrder();
    void outOfOrderNeverMovesBack();
    void retryAlwaysMoves();
    void duplicatesCountedOnce();
    void oldestEvictedFirst();
    void customStateAndIgnoredEvents();
    void workerLivenessByArrival();
    void heartbeatFloodUnderMadeUpNames();
    void restoredTasksComeFirst();
};

void TestCeleryEventState::aTaskInOrder()
{
    CeleryEventState state;
    CeleryEvent sent = taskEvent(QStringLiteral("task-sent"), QStringLiteral("a"), kT0, 1,
                                 QStringLiteral("gen42@client"));
    sent.name = QStringLiteral("tasks.add");
    sent.queue = QStringLiteral("celery");
    EventStateChanges c = state.apply({sent}, kT0 + 0.01);
    QCOMPARE(c.newTasks, 1);
    QCOMPARE(state.task(QStringLiteral("a"))->state, TaskEventState::Pending);
    QVERIFY(state.task(QStringLiteral("a"))->worker.isEmpty()); // the producer is no worker
    QVERIFY(state.workers().isEmpty());

    CeleryEvent succeeded =
        taskEvent(QStringLiteral("task-succeeded"), QStringLiteral("a"), kT0 + 0.3, 4);
    succeeded.result = QStringLiteral("5");
    succeeded.runtime = 0.25;
    c = state.apply({received(QStringLiteral("a"), kT0 + 0.1, 2),
                     taskEvent(QStringLiteral("task-started"), QStringLiteral("a"), kT0 + 0.2, 3),
                     succeeded},
                    kT0 + 0.4);
    QCOMPARE(c.newTasks, 0);
    QCOMPARE(c.changed, std::vector<qint64>{1});
    QCOMPARE(c.events, 3);
    const auto *t = state.task(QStringLiteral("a"));
    QCOMPARE(t->state, TaskEventState::Success);
    QCOMPARE(t->stateName(), QStringLiteral("SUCCESS"));
    QCOMPARE(t->name, QStringLiteral("tasks.add"));
    QCOMPARE(t->worker, QStringLiteral("w1@vm"));
    QCOMPARE(t->queue, QStringLiteral("celery"));
    QCOMPARE(t->result, QStringLiteral("5"));
    QCOMPARE(t->runtime, 0.25);
    QCOMPARE(t->sent, kT0);
    QCOMPARE(t->started, kT0 + 0.2);
    QCOMPARE(t->finished, kT0 + 0.3);
    QCOMPARE(t->firstSeen, kT0 + 0.01);
    QCOMPARE(t->lastSeen, kT0 + 0.4);
    QCOMPARE(int(t->history.size()), 4);
    QCOMPARE(t->history.front().type, QStringLiteral("task-sent"));
    QCOMPARE(t->history.back().type, QStringLiteral("task-succeeded"));
    QVERIFY(c.workers.contains(QStringLiteral("w1@vm")));
}

void TestCeleryEventState::outOfOrderNeverMovesBack()
{
    CeleryEventState state;
    CeleryEvent failed =
        taskEvent(QStringLiteral("task-failed"), QStringLiteral("b"), kT0 + 0.3, 4);
    failed.exception = QStringLiteral("KeyError('x')");
    failed.traceback = QStringLiteral("Traceback (most recent call last):\n…");
    // The worker's batch arrives before the receive event (two publishes, two paths).
    state.apply({failed}, kT0 + 1);
    state.apply({taskEvent(QStringLiteral("task-started"), QStringLiteral("b"), kT0 + 0.2, 3),
                 received(QStringLiteral("b"), kT0 + 0.1, 2)},
                kT0 + 2);
    const auto *t = state.task(QStringLiteral("b"));
    QCOMPARE(t->state, TaskEventState::Failure);
    QCOMPARE(t->name, QStringLiteral("tasks.add")); // merged from the late task-received
    QCOMPARE(t->args, QStringLiteral("(2, 3)"));
    QCOMPARE(t->exception, QStringLiteral("KeyError('x')"));
    QCOMPARE(t->received, kT0 + 0.1);
    // The history is in the senders' order, whatever the arrival order.
    QCOMPARE(t->history[0].type, QStringLiteral("task-received"));
    QCOMPARE(t->history[1].type, QStringLiteral("task-started"));
    QCOMPARE(t->history[2].type, QStringLiteral("task-failed"));
    QCOMPARE(t->history[2].detail, QStringLiteral("KeyError('x')"));
}

void TestCeleryEventState::retryAlwaysMoves()
{
    CeleryEventState state;
    CeleryEvent retried =
        taskEvent(QStringLiteral("task-retried"), QStringLiteral("c"), kT0 + 0.3, 4);
    retried.exception = QStringLiteral("Retry in 5s");
    state.apply({received(QStringLiteral("c"), kT0, 1),
                 taskEvent(QStringLiteral("task-started"), QStringLiteral("c"), kT0 + 0.1, 2),
                 retried},
                kT0 + 1);
    QCOMPARE(state.task(QStringLiteral("c"))->state, TaskEventState::Retry);
    CeleryEvent again = received(QStringLiteral("c"), kT0 + 5, 5);
    again.retries = 1;
    state.apply({again}, kT0 + 6); // the retry's message, received again
    QCOMPARE(state.task(QStringLiteral("c"))->state, TaskEventState::Received);
    QCOMPARE(state.task(QStringLiteral("c"))->retries, 1);
    state.apply({taskEvent(QStringLiteral("task-succeeded"), QStringLiteral("c"), kT0 + 6, 6)},
                kT0 + 7);
    QCOMPARE(state.task(QStringLiteral("c"))->state, TaskEventState::Success);
}

void TestCeleryEventState::duplicatesCountedOnce()
{
    CeleryEventState state;
    const CeleryEvent e = received(QStringLiteral("d"), kT0, 1);
    EventStateChanges c = state.apply({e, e}, kT0);
    QCOMPARE(c.events, 1);
    QCOMPARE(c.duplicates, 1);
    c = state.apply({e}, kT0 + 1);
    QCOMPARE(c.duplicates, 1);
    QVERIFY(c.changed.empty());
    QCOMPARE(int(state.task(QStringLiteral("d"))->history.size()), 1);
}

void TestCeleryEventState::oldestEvictedFirst()
{
    CeleryEventState state(3);
    QList<CeleryEvent> batch;
    for (int i = 0; i < 5; ++i)
        batch << received(QString::number(i), kT0 + i, i + 1);
    EventStateChanges c = state.apply(batch, kT0 + 10);
    QCOMPARE(state.taskCount(), 3);
    QCOMPARE(c.evicted, 2);
    QCOMPARE(c.newTasks, 3); // two of the five were evicted in the same batch
    // Those two are handed over, so a store still gets them.
    QCOMPARE(int(c.evictedChanged.size()), 2);
    QCOMPARE(c.evictedChanged[0].uuid, QStringLiteral("0"));
    QCOMPARE(state.firstSeq(), 3);
    QVERIFY(!state.task(QStringLiteral("0")));
    QVERIFY(!state.taskBySeq(2));
    QCOMPARE(state.taskBySeq(5)->uuid, QStringLiteral("4"));
    // A change to a held task and a new task: one changed, one new, one evicted.
    c = state.apply({taskEvent(QStringLiteral("task-started"), QStringLiteral("3"), kT0 + 11, 9),
                     received(QStringLiteral("5"), kT0 + 12, 10)},
                    kT0 + 12);
    QCOMPARE(c.changed, std::vector<qint64>{4});
    QCOMPARE(c.newTasks, 1);
    QCOMPARE(c.evicted, 1);
    QVERIFY(c.evictedChanged.empty()); // task 2 left unchanged: already handed over before
    QCOMPARE(state.taskAt(0).uuid, QStringLiteral("3"));
}

void TestCeleryEventState::customStateAndIgnoredEvents()
{
    CeleryEventState state;
    CeleryEvent bad = received(QStringLiteral("e"), kT0, 1);
    bad.malformed = CeleryEvent::Retries;
    CeleryEvent noId = taskEvent(QStringLiteral("task-started"), QString(), kT0, 2);
    CeleryEvent other;
    other.type = QStringLiteral("scheduler-tick");
    EventStateChanges c = state.apply(
        {bad, taskEvent(QStringLiteral("task-progress"), QStringLiteral("e"), kT0 + 1, 3), noId,
         other},
        kT0 + 1);
    QCOMPARE(c.malformed, 1);
    QCOMPARE(c.ignored, 2);
    QCOMPARE(state.task(QStringLiteral("e"))->stateName(), QStringLiteral("PROGRESS"));
    // An application's state comes after STARTED and before SUCCESS (Celery's precedence).
    state.apply({taskEvent(QStringLiteral("task-started"), QStringLiteral("e"), kT0 + 0.5, 2)},
                kT0 + 2);
    QCOMPARE(state.task(QStringLiteral("e"))->stateName(), QStringLiteral("PROGRESS"));
    QCOMPARE(bd::connectors::taskEventStateFromName(QStringLiteral("REVOKED")),
             TaskEventState::Revoked);
}

void TestCeleryEventState::workerLivenessByArrival()
{
    CeleryEventState state;
    // The worker's clock is 100 s ahead of ours: liveness counts our clock, the skew is kept.
    EventStateChanges c = state.apply({heartbeat(QStringLiteral("w2@vm"), kT0 + 100)}, kT0);
    QVERIFY(c.workers.contains(QStringLiteral("w2@vm")));
    const auto &w = state.workers().value(QStringLiteral("w2@vm"));
    QVERIFY(w.alive(kT0 + 3.9));
    QVERIFY(!w.alive(kT0 + 4.1)); // 2 × freq without a heartbeat
    QCOMPARE(w.expiresAt(), kT0 + 4);
    QCOMPARE(w.clockSkew, 100.0);
    QVERIFY(w.clockSkew > CeleryEventState::kMaxClockSkew);
    QCOMPARE(w.processed, 7);
    QCOMPARE(w.loadavg.size(), 3);
    state.apply({heartbeat(QStringLiteral("w2@vm"), kT0 + 105, 5.0)}, kT0 + 5);
    QVERIFY(state.workers().value(QStringLiteral("w2@vm")).alive(kT0 + 14));
    CeleryEvent bye = heartbeat(QStringLiteral("w2@vm"), kT0 + 106);
    bye.type = QStringLiteral("worker-offline");
    state.apply({bye}, kT0 + 6);
    QVERIFY(!state.workers().value(QStringLiteral("w2@vm")).alive(kT0 + 6));
    QVERIFY(state.workers().value(QStringLiteral("w2@vm")).offline);
}

void TestCeleryEventState::heartbeatFloodUnderMadeUpNames()
{
    // A heartbeat flood: the known worker's, then ones under more names than any pool has.
    CeleryEventState state;
    QList<CeleryEvent> flood;
    for (int i = 0; i < 200; ++i)
        flood << heartbeat(QStringLiteral("w1@vm"), kT0 + i * 0.01);
    const qsizetype made = CeleryEventState::kMaxWorkers + 500;
    for (qsizetype i = 0; i < made; ++i)
        flood << heartbeat(QStringLiteral("x%1@nowhere").arg(i), kT0);
    EventStateChanges c = state.apply(flood, kT0 + 2);
    QCOMPARE(state.workers().size(), CeleryEventState::kMaxWorkers);
    QCOMPARE(c.events, 200 + CeleryEventState::kMaxWorkers - 1);
    QCOMPARE(c.ignored, made - (CeleryEventState::kMaxWorkers - 1));
    QCOMPARE(state.refusedWorkers(), c.ignored);
    QCOMPARE(state.workers().value(QStringLiteral("w1@vm")).heartbeats, 200);
    // The workers held go on; a task event from a worker past the limit still moves its task.
    c = state.apply({heartbeat(QStringLiteral("w1@vm"), kT0 + 3),
                     taskEvent(QStringLiteral("task-started"), QStringLiteral("t"), kT0 + 3, 1,
                               QStringLiteral("late@nowhere"))},
                    kT0 + 3);
    QCOMPARE(c.events, 2);
    QCOMPARE(state.workers().value(QStringLiteral("w1@vm")).heartbeats, 201);
    QCOMPARE(state.task(QStringLiteral("t"))->state, TaskEventState::Started);
    QCOMPARE(state.task(QStringLiteral("t"))->worker, QStringLiteral("late@nowhere"));
    QVERIFY(!state.workers().contains(QStringLiteral("late@nowhere")));
    QVERIFY(!c.workers.contains(QStringLiteral("late@nowhere")));
}

void TestCeleryEventState::restoredTasksComeFirst()
{
    CeleryEventState state(10);
    std::vector<bd::connectors::TaskEventRecord> stored(2);
    stored[0].uuid = QStringLiteral("old1");
    stored[0].state = TaskEventState::Success;
    stored[1].uuid = QStringLiteral("old2");
    stored[1].state = TaskEventState::Failure;
    state.restore(stored);
    QCOMPARE(state.taskCount(), 2);
    QCOMPARE(state.taskAt(0).uuid, QStringLiteral("old1"));
    state.apply({taskEvent(QStringLiteral("task-started"), QStringLiteral("old2"), kT0, 1)}, kT0);
    // A late event of a stored task changes it in place; FAILURE is not moved back.
    QCOMPARE(state.task(QStringLiteral("old2"))->state, TaskEventState::Failure);
    QCOMPARE(state.taskCount(), 2);
}

QTEST_GUILESS_MAIN(TestCeleryEventState)
#include "tst_celeryeventstate.moc"
