// A stock Celery worker executes a task message that Brokerdesk's connector writes to Redis
// (the minimal message of protocol/celery.md §3.3), and stores its result where the connector
// reads it back. Proves the worker helper that the Celery features' tests build on.
#include "audit/auditlog.h"
#include "celery/celerybroker.h"
#include "celery/celerytaskencoder.h"
#include "celery/celerytaskmessage.h"
#include "celery/rediscelerybroker.h"
#include "celeryworker.h"
#include "commandwait.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <memory>

using namespace bd::connectors;

class TestCeleryWorker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void workerRunsAMessageWrittenByTheConnector();
    void workerRunsWhatTheEncoderWrites();
    void messagesAWorkerHoldsAreInFlight();
    void remoteControlReachesTheWorker();
    void eventsOfASentTaskArriveDecoded();
    void cliListsWorkersControlsThemAndFollowsEvents();
    void cleanupTestCase();

private:
    // One server and one worker for every test (a worker takes seconds to start).
    std::unique_ptr<bd::test::PrivateRedisServer> m_server;
    std::unique_ptr<bd::test::CeleryWorker> m_worker;
    QStringList m_sentIds; // the worker's log must show each received
};

void TestCeleryWorker::initTestCase()
{
    m_server = std::make_unique<bd::test::PrivateRedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    m_worker = std::make_unique<bd::test::CeleryWorker>(m_server->url(0));
    QVERIFY2(m_worker->start(), qPrintable(m_worker->log()));
}

void TestCeleryWorker::cleanupTestCase()
{
    if (!m_worker)
        return;
    m_worker->stop(); // warm shutdown, and the rest of its log
    for (const QString &id : std::as_const(m_sentIds))
        QVERIFY2(m_worker->log().contains(
                     QStringLiteral("Task tasks.celery_tasks.add[%1] received").arg(id)),
                 qPrintable(id));
}

namespace {

// The result meta of a task once it is final (SUCCESS or FAILURE), or an empty object.
QJsonObject finalMeta(RedisClient &client, const QString &id, int timeoutMs = 30000)
{
    QJsonObject meta;
    const bool final = QTest::qWaitFor(
        [&] {
            const RedisResult r =
                bd::test::runCommand(client, {"GET", "celery-task-meta-" + id.toLatin1()});
            if (!r.ok() || !r.reply.isString())
                return false;
            meta = QJsonDocument::fromJson(r.reply.bytes()).object();
            const QString status = meta.value(QStringLiteral("status")).toString();
            return status == QLatin1String("SUCCESS") || status == QLatin1String("FAILURE");
        },
        timeoutMs);
    return final ? meta : QJsonObject();
}

} // namespace

void TestCeleryWorker::remoteControlReachesTheWorker()
{
    RedisClient client(RedisUrl::parse(m_server->url(0)).settings);
    client.open();
    RedisCeleryBroker broker(&client);
    QObject context;

    // ping: one reply, from the worker's node.
    bool done = false;
    QList<CeleryControlReply> replies;
    RedisError error;
    broker.control(QStringLiteral("ping"), nlohmann::json::object(), {}, 1000, &context,
                   [&](const QList<CeleryControlReply> &r, const RedisError &e) {
                       replies = r;
                       error = e;
                       done = true;
                   });
    QTRY_VERIFY_WITH_TIMEOUT(done, 5000);
    QVERIFY2(!error.isError(), qPrintable(error.toString()));
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.first().node, m_worker->nodeName());
    QVERIFY(replies.first().answer == nlohmann::json({{"ok", "pong"}}));

    // registered, aimed at that node: answered as soon as it replies, with the demo's tasks.
    done = false;
    QElapsedTimer took;
    took.start();
    broker.control(QStringLiteral("registered"),
                   nlohmann::json{{"taskinfoitems", nlohmann::json::array()}},
                   {m_worker->nodeName()}, 5000, &context,
                   [&](const QList<CeleryControlReply> &r, const RedisError &e) {
                       replies = r;
                       error = e;
                       done = true;
                   });
    QTRY_VERIFY_WITH_TIMEOUT(done, 8000);
    QVERIFY(took.elapsed() < 4000); // did not wait for the whole timeout
    QCOMPARE(replies.size(), 1);
    QVERIFY(replies.first().answer.is_array());
    QVERIFY(std::find(replies.first().answer.begin(), replies.first().answer.end(),
                      "tasks.celery_tasks.add")
            != replies.first().answer.end());
    // Nothing left behind: the reply binding member and lists are gone.
    QTRY_COMPARE(bd::test::runCommand(client, {"SCARD", "_kombu.binding.reply.celery.pidbox"})
                     .reply.toInteger(),
                 qint64(0));

    // A read-only profile writes nothing, so it cannot ask.
    ConnectionSettings readOnly = RedisUrl::parse(m_server->url(0)).settings;
    readOnly.readOnly = true;
    RedisClient viewer(readOnly);
    viewer.open();
    RedisCeleryBroker viewerBroker(&viewer);
    done = false;
    viewerBroker.control(QStringLiteral("ping"), nlohmann::json::object(), {}, 1000, &context,
                         [&](const QList<CeleryControlReply> &r, const RedisError &e) {
                             replies = r;
                             error = e;
                             done = true;
                         });
    QTRY_VERIFY(done);
    QCOMPARE(error.kind, RedisError::Kind::ReadOnlyRefused);
    QVERIFY(replies.isEmpty());
}

void TestCeleryWorker::eventsOfASentTaskArriveDecoded()
{
    RedisClient client(RedisUrl::parse(m_server->url(0)).settings);
    client.open();
    RedisCeleryBroker broker(&client);
    QList<CeleryEvent> events;
    connect(&broker, &CeleryBroker::eventsArrived, this,
            [&](const QList<CeleryEvent> &batch) { events += batch; });
    broker.followEvents(true);
    // Subscribed once a heartbeat arrives (every 2 s).
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                         [](const CeleryEvent &e) {
                                             return e.type == QLatin1String("worker-heartbeat");
                                         }),
                             10000);
    CeleryTaskRequest add;
    add.task = QStringLiteral("tasks.celery_tasks.add");
    add.args = nlohmann::json::array({4, 4});
    const EncodedCeleryTask e = encodeCeleryTask(add);
    QVERIFY(bd::test::runCommand(client, {"LPUSH", e.listKey, e.envelope}).ok());
    m_sentIds << e.id;
    const auto has = [&](const char *type) {
        return std::any_of(events.cbegin(), events.cend(), [&](const CeleryEvent &ev) {
            return ev.uuid == e.id && ev.type == QLatin1String(type);
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(has("task-succeeded"), 15000);
    QVERIFY(has("task-received"));
    QVERIFY(has("task-started"));
    const auto succeeded = std::find_if(events.cbegin(), events.cend(), [&](const CeleryEvent &ev) {
        return ev.uuid == e.id && ev.type == QLatin1String("task-succeeded");
    });
    QCOMPARE(succeeded->result, QStringLiteral("8")); // a repr, as events carry results
    QCOMPARE(succeeded->hostname, m_worker->nodeName());
    QVERIFY(succeeded->timestamp > 0);
    broker.followEvents(false);
    const qsizetype seen = events.size();
    // A second follower sees the worker's next heartbeat: the stopped one, by then, must not
    // have had it (nor anything else).
    RedisCeleryBroker control(&client);
    int heartbeats = 0;
    connect(&control, &CeleryBroker::eventsArrived, this, [&](const QList<CeleryEvent> &batch) {
        for (const CeleryEvent &ev : batch)
            heartbeats += ev.type == QLatin1String("worker-heartbeat") ? 1 : 0;
    });
    control.followEvents(true);
    QTRY_VERIFY_WITH_TIMEOUT(heartbeats >= 2, 10000); // the second surely came after the stop
    QCOMPARE(events.size(), seen);
}

void TestCeleryWorker::workerRunsWhatTheEncoderWrites()
{
    RedisClient client(RedisUrl::parse(m_server->url(0)).settings);
    client.open();
    const auto send = [&](const CeleryTaskRequest &request) {
        const EncodedCeleryTask e = encodeCeleryTask(request);
        if (!e.ok)
            qWarning("not encoded: %s", qPrintable(e.error));
        const RedisResult pushed = bd::test::runCommand(client, {"LPUSH", e.listKey, e.envelope});
        return pushed.ok() ? e : EncodedCeleryTask();
    };

    // A priority bucket: add(2, 3) at priority 7 goes to celery\x06\x166.
    CeleryTaskRequest add;
    add.task = QStringLiteral("tasks.celery_tasks.add");
    add.args = nlohmann::json::array({2, 3});
    add.priority = 7;
    const EncodedCeleryTask first = send(add);
    QVERIFY(first.ok);
    QCOMPARE(first.listKey, QByteArray("celery\x06\x16"
                                       "6"));
    QJsonObject meta = finalMeta(client, first.id);
    QCOMPARE(meta.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCESS"));
    QCOMPARE(meta.value(QStringLiteral("result")).toInt(), 5);

    // Unicode kwargs, on a queue of its own, with an expiry ahead.
    CeleryTaskRequest unicode;
    unicode.task = add.task;
    unicode.kwargs = nlohmann::json{{"x", "Zoë "}, {"y", "Ñandú ✓"}};
    unicode.queue = QStringLiteral("reports");
    unicode.expires = QDateTime::currentDateTimeUtc().addSecs(600);
    const EncodedCeleryTask second = send(unicode);
    QVERIFY(second.ok);
    meta = finalMeta(client, second.id);
    QCOMPARE(meta.value(QStringLiteral("result")).toString(), QStringLiteral("Zoë Ñandú ✓"));
    QCOMPARE(meta.value(QStringLiteral("queue")).toString(), QStringLiteral("reports"));

    // A countdown: not run before its ETA.
    CeleryTaskRequest later = add;
    later.priority = 0;
    const QDateTime eta = QDateTime::currentDateTimeUtc().addSecs(3);
    later.eta = eta;
    const EncodedCeleryTask third = send(later);
    QVERIFY(third.ok);
    meta = finalMeta(client, third.id);
    QCOMPARE(meta.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCESS"));
    QDateTime done = QDateTime::fromString(meta.value(QStringLiteral("date_done")).toString(),
                                           Qt::ISODateWithMs);
    done.setTimeSpec(Qt::UTC); // Celery writes naive UTC (celery.md §4)
    QVERIFY2(done >= eta.addMSecs(-100),
             qPrintable(done.toString(Qt::ISODateWithMs) + QLatin1String(" < ")
                        + eta.toString(Qt::ISODateWithMs)));
    m_sentIds << first.id << second.id << third.id;
}

void TestCeleryWorker::messagesAWorkerHoldsAreInFlight()
{
    // A task due in a minute: the worker takes it at once and holds it (unacked) until then.
    RedisClient client(RedisUrl::parse(m_server->url(0)).settings);
    client.open();
    CeleryTaskRequest later;
    later.task = QStringLiteral("tasks.celery_tasks.add");
    later.args = nlohmann::json::array({1, 1});
    later.eta = QDateTime::currentDateTimeUtc().addSecs(60);
    const EncodedCeleryTask e = encodeCeleryTask(later);
    QVERIFY(bd::test::runCommand(client, {"LPUSH", e.listKey, e.envelope}).ok());
    RedisCeleryBroker broker(&client);
    QList<CeleryInFlight> held;
    qint64 total = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            bool done = false;
            broker.inFlight(
                100, this,
                [&](const QList<CeleryInFlight> &items, qint64 count, const RedisError &) {
                    held = items;
                    total = count;
                    done = true;
                });
            return QTest::qWaitFor([&] { return done; }, 5000) && total == 1;
        }(),
        20000);
    QCOMPARE(held.size(), 1);
    QCOMPARE(held[0].queue, QByteArray("celery"));
    QCOMPARE(held[0].deliveryTag, e.deliveryTag.toLatin1());
    QVERIFY(held[0].deliveredAt > QDateTime::currentSecsSinceEpoch() - 30);
    QCOMPARE(decodeCeleryTaskMessage(held[0].message).id, e.id);
    // Not in the queue any more: a worker holds it.
    QCOMPARE(bd::test::runCommand(client, {"LLEN", "celery"}).reply.toInteger(), qint64(0));
}

void TestCeleryWorker::workerRunsAMessageWrittenByTheConnector()
{
    RedisClient client(RedisUrl::parse(m_server->url(0)).settings);
    client.open();
    const QByteArray id = QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
    const QByteArray body =
        QByteArray(
            R"([[2, 3], {}, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}])")
            .toBase64();
    const QByteArray envelope =
        R"({"body": ")" + body
        + R"(", "content-encoding": "utf-8", "content-type": "application/json", )"
          R"("headers": {"task": "tasks.celery_tasks.add", "id": ")"
        + id
        + R"("}, )"
          R"("properties": {"delivery_tag": ")"
        + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1()
        + R"(", "delivery_info": {"exchange": "", "routing_key": "celery"}, "body_encoding": "base64"}})";
    QFuture<RedisResult> pushed = client.send({"LPUSH", "celery", envelope});
    QTRY_VERIFY(pushed.isFinished());
    QVERIFY2(pushed.result().ok(), qPrintable(pushed.result().error.toString()));

    const QJsonObject meta = finalMeta(client, QString::fromLatin1(id));
    QCOMPARE(meta.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCESS"));
    QCOMPARE(meta.value(QStringLiteral("result")).toInt(), 5);
    QCOMPARE(meta.value(QStringLiteral("name")).toString(),
             QStringLiteral("tasks.celery_tasks.add"));
    m_sentIds << QString::fromLatin1(id);
}

namespace {

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

CliRun cli(const QStringList &args, int timeoutMs = 30000)
{
    QProcess p;
    p.start(QStringLiteral(BROKERDESK_CLI), args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

} // namespace

void TestCeleryWorker::cliListsWorkersControlsThemAndFollowsEvents()
{
    const QString url = m_server->url(0);
    const QString node = m_worker->nodeName();
    // workers: the worker, online, with its pool, queues and tasks.
    CliRun r =
        cli({QStringLiteral("--url"), url, QStringLiteral("workers"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonArray workers = QJsonDocument::fromJson(r.out).array();
    const auto found = std::find_if(workers.begin(), workers.end(), [&](const QJsonValue &w) {
        return w[QLatin1String("hostname")].toString() == node;
    });
    QVERIFY2(found != workers.end(), r.out.constData());
    const QJsonObject w = found->toObject();
    QVERIFY(w[QLatin1String("online")].toBool());
    QCOMPARE(w[QLatin1String("pool")].toString(), QStringLiteral("prefork"));
    QCOMPARE(w[QLatin1String("concurrency")].toInt(), 1);
    const QJsonArray queues = w[QLatin1String("queues")].toArray();
    QVERIFY(queues.contains(QStringLiteral("celery"))
            && queues.contains(QStringLiteral("reports")));
    QVERIFY(w[QLatin1String("registered")].toArray().contains(
        QStringLiteral("tasks.celery_tasks.add")));
    QVERIFY(!w[QLatin1String("broker")].toString().isEmpty());

    // control: a change answered "ok" by the worker, and audited with its reply.
    r = cli({QStringLiteral("--url"), url, QStringLiteral("control"), QStringLiteral("rate_limit"),
             QStringLiteral("--destination"), node, QStringLiteral("--arg"),
             QStringLiteral("task_name=tasks.celery_tasks.add"), QStringLiteral("--arg"),
             QStringLiteral("rate_limit=10/m")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, node.toUtf8() + "\tok: new rate limit set successfully\n");
    r = cli({QStringLiteral("--url"), url, QStringLiteral("control"), QStringLiteral("pool_grow"),
             QStringLiteral("--arg"), QStringLiteral("n=1"), QStringLiteral("--destination"),
             node});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, node.toUtf8() + "\tok: pool will grow\n");
    QFile audit(AuditLog::defaultPath());
    QVERIFY(audit.open(QIODevice::ReadOnly));
    const QByteArray records = audit.readAll();
    QVERIFY2(records.contains("control rate_limit") && records.contains("control pool_grow")
                 && records.contains("ok: pool will grow"),
             records.constData());
    // The rate limit is in force: registered says so.
    r = cli({QStringLiteral("--url"), url, QStringLiteral("control"), QStringLiteral("registered"),
             QStringLiteral("--json")});
    QVERIFY2(r.out.contains("tasks.celery_tasks.add [rate_limit=10/m]"), r.out.constData());
    // Inspect calls are not audited; nobody answering is exit 1.
    r = cli({QStringLiteral("--url"), url, QStringLiteral("control"), QStringLiteral("ping"),
             QStringLiteral("--destination"), QStringLiteral("nobody@nowhere"),
             QStringLiteral("--timeout"), QStringLiteral("0.5")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("no worker answered"));
    audit.seek(0);
    QVERIFY(!audit.readAll().contains("control ping"));
    // A bad --arg is a usage error.
    QCOMPARE(cli({QStringLiteral("--url"), url, QStringLiteral("control"),
                  QStringLiteral("rate_limit"), QStringLiteral("--arg"), QStringLiteral("oops")})
                 .exitCode,
             2);

    // events: the worker's heartbeats (every 2 s), decoded, as JSON lines.
    r = cli({QStringLiteral("--url"), url, QStringLiteral("events"), QStringLiteral("--count"),
             QStringLiteral("1"), QStringLiteral("--timeout"), QStringLiteral("15"),
             QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject event = QJsonDocument::fromJson(r.out.trimmed()).object();
    QVERIFY2(event[QLatin1String("type")].toString().startsWith(QLatin1String("worker-"))
                 || event[QLatin1String("type")].toString().startsWith(QLatin1String("task-")),
             r.out.constData());
    QCOMPARE(event[QLatin1String("hostname")].toString().isEmpty(), false);
}

QTEST_GUILESS_MAIN(TestCeleryWorker)
#include "tst_celeryworker.moc"
