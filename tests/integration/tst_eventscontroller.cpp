// The events pipeline against a real redis-server: a worker's task events published in kombu
// envelopes, followed by the Redis broker adapter, applied to a timeline that holds few tasks,
// and handed to the store while it is free. Every task reaches the store in its last state,
// also those that left memory before the store took them, and a flood goes through intact.
#include "celery/rediscelerybroker.h"
#include "commandwait.h"
#include "events/eventstore.h"
#include "events/tasktimelinemodel.h"
#include "eventstorewait.h"
#include "gui/eventscontroller.h"
#include "redis/redisclient.h"
#include "testredis.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <hiredis/hiredis.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <thread>

using namespace bd;
using connectors::TaskEventState;
using json = nlohmann::json;

namespace {

QByteArray envelope(const json &body, const char *routingKey)
{
    const json e{{"body", QByteArray::fromStdString(body.dump()).toBase64().toStdString()},
                 {"content-encoding", "utf-8"},
                 {"content-type", "application/json"},
                 {"headers", {{"hostname", "w1@test"}}},
                 {"properties",
                  {{"delivery_mode", 1},
                   {"delivery_info", {{"exchange", "celeryev"}, {"routing_key", routingKey}}},
                   {"priority", 0},
                   {"body_encoding", "base64"},
                   {"delivery_tag", "tag"}}}};
    return QByteArray::fromStdString(e.dump());
}

json taskEvent(const char *type, int task, double t)
{
    json e{{"hostname", "w1@test"},
           {"utcoffset", 0},
           {"pid", 7},
           {"clock", task},
           {"uuid", "task-" + std::to_string(task)},
           {"timestamp", t},
           {"type", type}};
    if (std::string_view(type) == "task-received") {
        e["name"] = "tasks.add";
        e["args"] = "(" + std::to_string(task) + ", 2)";
        e["kwargs"] = "{}";
    } else if (std::string_view(type) == "task-succeeded") {
        e["result"] = std::to_string(task + 2);
        e["runtime"] = 0.01;
    }
    return e;
}

// Opens the connections and starts the pipeline; true once the events subscription is in
// place (the server counts it, asked through other).
bool startFollowing(connectors::RedisClient &client, connectors::CeleryBroker &broker,
                    app::EventsController &events, connectors::RedisClient &other)
{
    QSignalSpy followed(&broker, &connectors::CeleryBroker::eventsFollowed);
    client.open();
    events.start();
    if (!QTest::qWaitFor([&] { return !followed.isEmpty(); }, 10000))
        return false;
    other.open();
    return QTest::qWaitFor(
        [&] {
            return test::runCommand(other, {"PUBSUB", "NUMPAT"}).reply.toInteger() == 1;
        },
        10000);
}

// True when the server holds nothing more to send to the client named name.
bool serverSentAll(quint16 port, const char *name)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    bool sent = false;
    if (c && !c->err) {
        auto *r = static_cast<redisReply *>(redisCommand(c, "CLIENT LIST"));
        if (r && r->type == REDIS_REPLY_STRING) {
            for (const QByteArray &line : QByteArray(r->str, qsizetype(r->len)).split('\n')) {
                if (line.contains(QByteArray(" name=") + name + ' '))
                    sent = line.contains(" omem=0 ");
            }
        }
        freeReplyObject(r);
    }
    redisFree(c);
    return sent;
}

} // namespace

class TestEventsController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyTaskReachesTheStoreInItsLastState_data();
    void everyTaskReachesTheStoreInItsLastState();
    void publishesPastTheBoundsAreCounted();
};

void TestEventsController::everyTaskReachesTheStoreInItsLastState_data()
{
    QTest::addColumn<qint64>("maxUnstored");
    // The bound on what waits for a busy store: far above this flood, then below it (a disk
    // far slower than the events: the oldest that waited are not stored, and counted).
    QTest::newRow("all wait") << app::EventsController::kMaxUnstoredTasks;
    QTest::newRow("store too slow") << qint64(100);
}

void TestEventsController::everyTaskReachesTheStoreInItsLastState()
{
    QFETCH(qint64, maxUnstored);
    const bool tooSlow = maxUnstored < app::EventsController::kMaxUnstoredTasks;
    test::PrivateRedisServer server;
    QVERIFY(server.start());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("events.sqlite"));
    constexpr int kTasks = 600;
    constexpr int kHeld = 40; // far fewer than the tasks: most leave memory while they change
    qint64 notStored = 0;
    {
        connectors::ConnectionSettings settings;
        settings.port = server.port();
        connectors::RedisClient client(settings);
        connectors::RedisCeleryBroker broker(&client);
        models::TaskTimelineModel timeline(kHeld);
        store::EventStore store(path, {});
        app::EventsController events(&broker, &timeline, &store);
        events.setMaxUnstoredTasks(maxUnstored);
        QSignalSpy status(&events, &app::EventsController::statusChanged);
        QSignalSpy opened(&store, &store::EventStore::opened);
        connectors::RedisClient publisher(settings);
        QVERIFY(startFollowing(client, broker, events, publisher));

        // The store is held up (another connection holds the database's write lock, as a
        // slow disk would) while the flood comes: tasks change and leave memory before the
        // store can take them.
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 10000);
        std::unique_ptr<QSqlQuery> lock;
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            lock = std::make_unique<QSqlQuery>(db);
            QVERIFY(lock->exec(QStringLiteral("BEGIN IMMEDIATE")));
        }

        status.clear(); // from here, only what the flood causes
        // As a worker's hub sends them: task-sent alone, the others in task.multi arrays,
        // one task's events spread over several publishes. In waves, each applied before the
        // next comes: the last tasks of a wave leave memory in the next, unchanged there.
        auto answered = std::make_shared<int>(0);
        int publishes = 0;
        const double t0 = 1.7e9;
        const auto publish = [&](const QByteArray &channel, const QByteArray &payload) {
            ++publishes;
            publisher.send({"PUBLISH", channel, payload}, &publisher,
                           [answered](const connectors::RedisResult &) { ++*answered; });
        };
        constexpr int kWave = 100;
        for (int wave = 0; wave < kTasks; wave += kWave) {
            json multi = json::array();
            for (int i = wave; i < wave + kWave; ++i) {
                const double t = t0 + i;
                publish("/0.celeryev/task.sent",
                        envelope(taskEvent("task-sent", i, t), "task.sent"));
                multi.push_back(taskEvent("task-received", i, t + 0.1));
                multi.push_back(taskEvent("task-started", i, t + 0.2));
                if (i >= wave + 2) // succeeded two tasks later: a change in another publish
                    multi.push_back(taskEvent("task-succeeded", i - 2, t - 2 + 0.3));
                if (multi.size() >= 24) {
                    publish("/0.celeryev/task.multi", envelope(multi, "task.multi"));
                    multi = json::array();
                }
            }
            for (int i = wave + kWave - 2; i < wave + kWave; ++i)
                multi.push_back(taskEvent("task-succeeded", i, t0 + i + 0.3));
            publish("/0.celeryev/task.multi", envelope(multi, "task.multi"));
            QTRY_COMPARE_WITH_TIMEOUT(events.eventsApplied(), qint64(wave + kWave) * 4, 20000);
        }
        QCOMPARE(*answered, publishes);
        QVERIFY(store.isWriting()); // still held up (its busy timeout is 5 s)
        QVERIFY(lock->exec(QStringLiteral("ROLLBACK")));
        lock.reset();
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        QTRY_VERIFY_WITH_TIMEOUT(store.isIdle(), 20000);
        QVERIFY(!store.isDegraded());
        QCOMPARE(timeline.rowCount(), kHeld);
        QCOMPARE(timeline.state().taskBySeq(timeline.state().firstSeq())->state,
                 TaskEventState::Success);
        notStored = events.notStored();
        QCOMPARE(notStored > 0, tooSlow);
        if (tooSlow)
            QVERIFY(!status.isEmpty()); // the status line says it
        QVERIFY(store.tasksWritten() >= kTasks - notStored);
    } // the page closes: the store writes what was queued and closes

    store::EventStore reopened(path, {});
    QVERIFY(test::openStore(reopened));
    const store::StoredTimeline stored = test::loadStored(reopened, 100000);
    QVERIFY2(stored.problem.isEmpty(), qPrintable(stored.problem));
    QCOMPARE(stored.workers.size(), 1);
    // Stored in its last state: every task, or all but those counted as not stored (a task
    // written before and dropped after a later change keeps its older row).
    int complete = 0;
    for (const connectors::TaskEventRecord &t : stored.tasks) {
        if (t.state != TaskEventState::Success)
            continue;
        const int i = t.uuid.mid(5).toInt();
        QCOMPARE(t.args, QStringLiteral("(%1, 2)").arg(i));
        QCOMPARE(t.worker, QStringLiteral("w1@test"));
        QCOMPARE(int(t.history.size()), 4);
        QCOMPARE(t.result, QString::number(i + 2));
        ++complete;
    }
    if (!tooSlow) {
        QCOMPARE(int(stored.tasks.size()), kTasks);
        QCOMPARE(stored.tasksStored, qint64(kTasks));
        QCOMPARE(complete, kTasks);
    } else {
        QVERIFY(complete < kTasks);
        QVERIFY2(
            complete + notStored >= kTasks,
            qPrintable(QStringLiteral("%1 complete, %2 not stored").arg(complete).arg(notStored)));
    }
}

// More publishes than the events connection keeps while the GUI thread is busy: those past its
// bound are dropped and counted, the others applied; none is lost uncounted.
void TestEventsController::publishesPastTheBoundsAreCounted()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    connectors::ConnectionSettings settings;
    settings.port = server.port();
    connectors::RedisClient client(settings);
    connectors::RedisCeleryBroker broker(&client);
    models::TaskTimelineModel timeline(100);
    app::EventsController events(&broker, &timeline, nullptr); // memory only
    connectors::RedisClient observer(settings);
    QVERIFY(startFollowing(client, broker, events, observer));

    // A bare heartbeat per publish (as RabbitMQ carries them), pipelined from another thread
    // while this one (the GUI thread) takes nothing.
    constexpr int kPublishes = 110000;
    const QByteArray heartbeat =
        R"({"type": "worker-heartbeat", "hostname": "w1@test", "timestamp": 1.7e9, "freq": 2})";
    bool published = false;
    std::thread publisher([&] {
        redisContext *c = redisConnect("127.0.0.1", server.port());
        if (!c || c->err)
            return;
        bool ok = true;
        for (int i = 0; i < kPublishes && ok; i += 1000) {
            for (int j = i; j < i + 1000; ++j)
                redisAppendCommand(c, "PUBLISH /0.celeryev/worker.heartbeat %b",
                                   heartbeat.constData(), size_t(heartbeat.size()));
            for (int j = i; j < i + 1000 && ok; ++j) {
                void *reply = nullptr;
                ok = redisGetReply(c, &reply) == REDIS_OK;
                freeReplyObject(reply);
            }
        }
        redisFree(c);
        published = ok;
    });
    publisher.join();
    QVERIFY(published);
    // Still busy until the events connection's thread has read them all from the server
    // (asked on a blocking connection: no event loop runs here).
    QElapsedTimer since;
    since.start();
    while (!serverSentAll(server.port(), "brokerdesk:events") && since.elapsed() < 10000)
        QThread::msleep(50);
    QThread::msleep(200); // what the socket holds

    QTRY_COMPARE_WITH_TIMEOUT(events.eventsApplied() + broker.droppedEvents(), qint64(kPublishes),
                              30000);
    QVERIFY2(broker.droppedEvents() > 0, "the connection keeps at most 100,000");
    QVERIFY(events.eventsApplied() >= 100000);
    QCOMPARE(broker.undecodableEvents(), 0);
}

QTEST_GUILESS_MAIN(TestEventsController)
#include "tst_eventscontroller.moc"
