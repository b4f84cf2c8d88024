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

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <memory>

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

} // namespace

class TestEventsController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyTaskReachesTheStoreInItsLastState();
};

void TestEventsController::everyTaskReachesTheStoreInItsLastState()
{
    test::PrivateRedisServer server;
    QVERIFY(server.start());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("events.sqlite"));
    constexpr int kTasks = 600;
    constexpr int kHeld = 40; // far fewer than the tasks: most leave memory while they change
    {
        connectors::ConnectionSettings settings;
        settings.port = server.port();
        connectors::RedisClient client(settings);
        connectors::RedisCeleryBroker broker(&client);
        models::TaskTimelineModel timeline(kHeld);
        store::EventStore store(path, {});
        app::EventsController events(&broker, &timeline, &store);
        QSignalSpy followed(&broker, &connectors::CeleryBroker::eventsFollowed);
        QSignalSpy opened(&store, &store::EventStore::opened);
        client.open();
        events.start();
        QTRY_VERIFY_WITH_TIMEOUT(!followed.isEmpty(), 10000);
        // The subscription is in place once the server counts it.
        connectors::RedisClient publisher(settings);
        publisher.open();
        QTRY_VERIFY_WITH_TIMEOUT(
            test::runCommand(publisher, {"PUBSUB", "NUMPAT"}).reply.toInteger() == 1, 10000);

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
        QVERIFY(store.tasksWritten() >= kTasks);
    } // the page closes: the store writes what was queued and closes

    store::EventStore reopened(path, {});
    QVERIFY(test::openStore(reopened));
    const store::StoredTimeline stored = test::loadStored(reopened, 100000);
    QVERIFY2(stored.problem.isEmpty(), qPrintable(stored.problem));
    QCOMPARE(int(stored.tasks.size()), kTasks);
    QCOMPARE(stored.tasksStored, qint64(kTasks));
    int succeeded = 0;
    for (const connectors::TaskEventRecord &t : stored.tasks) {
        const int i = t.uuid.mid(5).toInt();
        QCOMPARE(t.state, TaskEventState::Success);
        QCOMPARE(int(t.history.size()), 4);
        QCOMPARE(t.result, QString::number(i + 2));
        QCOMPARE(t.args, QStringLiteral("(%1, 2)").arg(i));
        QCOMPARE(t.worker, QStringLiteral("w1@test"));
        ++succeeded;
    }
    QCOMPARE(succeeded, kTasks);
    QCOMPARE(stored.workers.size(), 1);
}

QTEST_GUILESS_MAIN(TestEventsController)
#include "tst_eventscontroller.moc"
