// Queues as real Celery writes them (tests/fixtures/celery_produce.py: apply_async with
// priority, eta, expires, a chain, a chord, pickle, msgpack and yaml, protocol 1, a key
// prefix), listed, paged in consumption order and decoded field by field; and a list of
// garbage that pages and decodes without breaking anything.
#include "celery/celeryevent.h"
#include "celery/celeryresultfollower.h"
#include "celery/celerytaskmessage.h"
#include "celery/rediscelerybroker.h"
#include "commandwait.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace bd;
using connectors::CeleryQueueInfo;
using connectors::CeleryQueuePage;
using connectors::CeleryTaskMessage;
using connectors::RedisCeleryBroker;
using connectors::RedisClient;
using connectors::RedisError;
using nlohmann::json;

class TestCeleryBroker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listsQueuesWithTheirPriorities();
    void pagesInConsumptionOrder();
    void decodesWhatCeleryWrote();
    void prefixedBrokerAndProtocol1();
    void garbageShowsAsUndecodable();
    void readingsBetweenDiscoveriesOnlyMeasure();
    void resultFollowerEndsWhileMessagesArrive();
    void eventsStopWhileTheyArrive();

private:
    QList<CeleryQueueInfo> queues(RedisCeleryBroker &broker);
    CeleryQueuePage peek(RedisCeleryBroker &broker, const QByteArray &queue, qint64 offset,
                         int limit);
    QHash<QString, CeleryTaskMessage> decodedById(const CeleryQueuePage &page);

    std::unique_ptr<test::PrivateRedisServer> m_server;
    std::unique_ptr<RedisClient> m_client;
    QJsonObject m_sent; // what the producer sent, by case
};

void TestCeleryBroker::initTestCase()
{
    m_server = std::make_unique<test::PrivateRedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    QProcess producer;
    producer.start(QStringLiteral(BROKERDESK_PYTHON),
                   {QStringLiteral(BROKERDESK_FIXTURES "/celery_produce.py"), m_server->url(0)});
    QVERIFY(producer.waitForFinished(60000));
    QVERIFY2(producer.exitCode() == 0, producer.readAllStandardError().constData());
    m_sent = QJsonDocument::fromJson(producer.readAllStandardOutput()).object();
    QVERIFY(m_sent.contains(QStringLiteral("plain")));
    m_client =
        std::make_unique<RedisClient>(connectors::RedisUrl::parse(m_server->url(0)).settings);
    m_client->open();
}

QList<CeleryQueueInfo> TestCeleryBroker::queues(RedisCeleryBroker &broker)
{
    QList<CeleryQueueInfo> out;
    bool done = false;
    broker.listQueues(this, [&](const QList<CeleryQueueInfo> &q, const RedisError &error) {
        if (error.isError())
            qWarning("listQueues: %s", qPrintable(error.toString()));
        out = q;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        qWarning("listQueues did not answer");
    return out;
}

CeleryQueuePage TestCeleryBroker::peek(RedisCeleryBroker &broker, const QByteArray &queue,
                                       qint64 offset, int limit)
{
    CeleryQueuePage out;
    bool done = false;
    broker.peek(queue, offset, limit, this, [&](const CeleryQueuePage &p, const RedisError &error) {
        if (error.isError())
            qWarning("peek: %s", qPrintable(error.toString()));
        out = p;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        qWarning("peek did not answer");
    return out;
}

QHash<QString, CeleryTaskMessage> TestCeleryBroker::decodedById(const CeleryQueuePage &page)
{
    QHash<QString, CeleryTaskMessage> out;
    for (const QByteArray &m : page.messages) {
        const CeleryTaskMessage t = connectors::decodeCeleryTaskMessage(m);
        out.insert(t.id, t);
    }
    return out;
}

void TestCeleryBroker::listsQueuesWithTheirPriorities()
{
    RedisCeleryBroker broker(m_client.get());
    broker.addQueue("email_queue"); // named by the operator, empty for now
    const QList<CeleryQueueInfo> list = queues(broker);
    QHash<QByteArray, CeleryQueueInfo> byName;
    for (const CeleryQueueInfo &q : list)
        byName.insert(q.name, q);
    QVERIFY2(byName.contains("celery") && byName.contains("reports") && byName.contains("v1q"),
             QByteArrayList(byName.keys()).join(',').constData());
    QVERIFY(!byName.contains("prefixedq")); // under another prefix
    const CeleryQueueInfo celery = byName.value("celery");
    QVERIFY(celery.declared);
    // plain, eta, expires, the chain's first, two chord headers, pickle, msgpack, yaml: step 0;
    // priority 7: step 6. The depth is the sum of the four lists (Flower #439).
    QCOMPARE(celery.byStep[0], qint64(9));
    QCOMPARE(celery.byStep[2], qint64(1));
    QCOMPARE(celery.depth(), qint64(10));
    QCOMPARE(byName.value("reports").depth(), qint64(1));
    QVERIFY(byName.value("email_queue").added);
    QCOMPARE(byName.value("email_queue").depth(), qint64(0));
}

void TestCeleryBroker::pagesInConsumptionOrder()
{
    RedisCeleryBroker broker(m_client.get());
    const CeleryQueuePage all = peek(broker, "celery", 0, 100);
    QCOMPARE(all.depth, qint64(10));
    QCOMPARE(all.messages.size(), 10);
    // The oldest step-0 message goes first; the priority-7 one after every step-0 message.
    QCOMPARE(connectors::decodeCeleryTaskMessage(all.messages.first()).id,
             m_sent.value(QStringLiteral("plain")).toString());
    QCOMPARE(connectors::decodeCeleryTaskMessage(all.messages.last()).id,
             m_sent.value(QStringLiteral("priority7")).toString());
    QCOMPARE(all.steps.last(), 6);
    // A page in the middle, across the two lists, is the same slice.
    const CeleryQueuePage middle = peek(broker, "celery", 7, 3);
    QCOMPARE(middle.offset, qint64(7));
    QCOMPARE(middle.messages, all.messages.mid(7, 3));
    QCOMPARE(middle.steps, (QList<int>{0, 0, 6}));
    QVERIFY(peek(broker, "celery", 10, 5).messages.isEmpty());
}

void TestCeleryBroker::decodesWhatCeleryWrote()
{
    RedisCeleryBroker broker(m_client.get());
    const QHash<QString, CeleryTaskMessage> byId = decodedById(peek(broker, "celery", 0, 100));
    const auto sent = [this](const char *name) {
        return m_sent.value(QLatin1String(name)).toString();
    };

    const CeleryTaskMessage plain = byId.value(sent("plain"));
    QVERIFY2(plain.isTask, qPrintable(plain.error));
    QCOMPARE(plain.task, QStringLiteral("tasks.celery_tasks.add"));
    QVERIFY(plain.args == json({2, 3}));
    QCOMPARE(plain.argsRepr, QStringLiteral("(2, 3)"));
    QCOMPARE(plain.routingKey, QStringLiteral("celery"));
    QVERIFY(!plain.deliveryTag.isEmpty());

    QCOMPARE(byId.value(sent("priority7")).priority, qint64(7));
    QCOMPARE(byId.value(sent("eta")).eta, sent("eta_iso"));
    QVERIFY(!byId.value(sent("expires")).expires.isEmpty());

    const CeleryTaskMessage first = byId.value(sent("chain"));
    QCOMPARE(first.nextSteps.size(), 2);
    QVERIFY(first.nextSteps[0].args == json({10})); // next, then the last
    QVERIFY(first.nextSteps[1].args == json({100}));

    int chordHeaders = 0;
    for (const CeleryTaskMessage &m : byId) {
        if (m.group == sent("chord_group")) {
            ++chordHeaders;
            QVERIFY(m.chordCallback);
            QCOMPARE(m.chordCallback->task, QStringLiteral("tasks.celery_tasks.tsum"));
        }
    }
    QCOMPARE(chordHeaders, 2);

    const CeleryTaskMessage pickle = byId.value(sent("pickle"));
    QVERIFY2(pickle.isTask, qPrintable(pickle.error));
    QVERIFY(!pickle.argsDecoded); // never unpickled
    QCOMPARE(pickle.argsRepr, QStringLiteral("(6, 7)"));
    QCOMPARE(pickle.envelope.bodyKind, connectors::KombuEnvelope::BodyKind::Pickle);

    const CeleryTaskMessage msgpack = byId.value(sent("msgpack"));
    QVERIFY(msgpack.argsDecoded);
    QVERIFY(msgpack.args == json({8, 9}));

    const CeleryTaskMessage yaml = byId.value(sent("yaml"));
    QVERIFY(!yaml.argsDecoded); // text, never evaluated
    QCOMPARE(yaml.argsRepr, QStringLiteral("(1, 2)"));
    QCOMPARE(yaml.envelope.bodyKind, connectors::KombuEnvelope::BodyKind::Yaml);

    const CeleryTaskMessage kwargs =
        decodedById(peek(broker, "reports", 0, 10)).value(sent("kwargs"));
    QCOMPARE(QString::fromStdString(kwargs.kwargs["x"].get<std::string>()), QStringLiteral("Zoë "));
    QCOMPARE(kwargs.routingKey, QStringLiteral("reports"));
}

void TestCeleryBroker::prefixedBrokerAndProtocol1()
{
    RedisCeleryBroker plainBroker(m_client.get());
    const CeleryTaskMessage v1 = decodedById(peek(plainBroker, "v1q", 0, 10))
                                     .value(m_sent.value(QStringLiteral("protocol1")).toString());
    QVERIFY2(v1.isTask, qPrintable(v1.error));
    QCOMPARE(v1.protocol, 1);
    QVERIFY(v1.args == json({5, 6}));

    RedisCeleryBroker prefixed(m_client.get(), "myapp:");
    const QList<CeleryQueueInfo> list = queues(prefixed);
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().name, QByteArray("prefixedq"));
    QCOMPARE(list.first().depth(), qint64(1));
    const CeleryTaskMessage m = decodedById(peek(prefixed, "prefixedq", 0, 10))
                                    .value(m_sent.value(QStringLiteral("prefixed")).toString());
    QVERIFY2(m.isTask, qPrintable(m.error));
    QVERIFY(m.args == json({3, 4}));
}

void TestCeleryBroker::garbageShowsAsUndecodable()
{
    const QList<QByteArray> junk{
        "{not json",
        R"({"body": "@@@", "content-type": "application/json", "properties": {"body_encoding": "base64"}, "headers": {"task": "t"}})",
        R"({"headers": {"task": "t"}})", QByteArray(2 * 1024 * 1024, 'z'),
        R"({"to": "ops@example.com", "subject": "shift swap"})"};
    for (const QByteArray &j : junk)
        QVERIFY(test::runCommand(*m_client, {"LPUSH", "junk", j}).ok());
    RedisCeleryBroker broker(m_client.get());
    broker.addQueue("junk");
    const CeleryQueuePage page = peek(broker, "junk", 0, 10);
    QCOMPARE(page.messages.size(), junk.size());
    for (int i = 0; i < junk.size(); ++i) {
        QCOMPARE(page.messages[i], junk[i]); // raw bytes, exact, oldest first
        const CeleryTaskMessage m = connectors::decodeCeleryTaskMessage(page.messages[i]);
        if (i == 1) {
            QVERIFY(m.isTask); // a task whose body cannot be read: shown with the reason
            QVERIFY(m.bodyError.contains(QLatin1String("base64")));
        } else {
            QVERIFY(!m.isTask);
            QVERIFY(!m.error.isEmpty());
        }
    }
    // The queue list goes on working around it.
    bool found = false;
    for (const CeleryQueueInfo &q : queues(broker))
        found = found || (q.name == "junk" && q.depth() == junk.size());
    QVERIFY(found);
}

void TestCeleryBroker::readingsBetweenDiscoveriesOnlyMeasure()
{
    // A reading a second must not SCAN the whole db each time: the queues are looked for on
    // the first reading and when asked, and only measured between.
    RedisCeleryBroker broker(m_client.get());
    const auto names = [&] {
        QSet<QByteArray> out;
        for (const CeleryQueueInfo &q : queues(broker))
            out.insert(q.name);
        return out;
    };
    const auto scans = [&] {
        const QByteArray stats =
            test::runCommand(*m_client, {"INFO", "commandstats"}).reply.bytes();
        const qsizetype at = stats.indexOf("cmdstat_scan:calls=");
        return at < 0 ? 0 : stats.mid(at + 19, stats.indexOf(',', at) - at - 19).toInt();
    };
    QVERIFY(names().contains("celery"));
    QVERIFY(test::runCommand(*m_client, {"SADD", "_kombu.binding.late",
                                         QByteArrayLiteral("late\x06\x16\x06\x16late")})
                .ok());
    QVERIFY(test::runCommand(*m_client, {"LPUSH", "late", "x"}).ok());
    const int before = scans();
    QVERIFY(!names().contains("late")); // measured, not looked for
    QCOMPARE(scans(), before);
    broker.rediscover();
    QVERIFY(names().contains("late"));
    QVERIFY(scans() > before);
}

// A task already final when its result is first read, while its channel keeps carrying
// messages (the worker publishing, a late duplicate): the follower says SUCCESS once and never
// touches the subscription it dropped, whatever push arrives after.
void TestCeleryBroker::resultFollowerEndsWhileMessagesArrive()
{
    const QByteArray meta =
        R"({"status": "SUCCESS", "result": 5, "traceback": null, "children": [],)"
        R"( "date_done": "2026-12-02T19:00:00.000000+00:00"})";
    RedisClient publisher(connectors::RedisUrl::parse(m_server->url(0)).settings);
    publisher.open();
    QByteArray channel;
    // Publications keep arriving on the channel while the follower subscribes and reads.
    QTimer pump;
    pump.setInterval(0);
    connect(&pump, &QTimer::timeout, this, [&] {
        if (!channel.isEmpty() && publisher.pendingCount() < 50)
            publisher.send({"PUBLISH", channel, meta}, this,
                           [](const connectors::RedisResult &) {});
    });
    pump.start();
    for (int round = 0; round < 20; ++round) {
        const QString id = QStringLiteral("race-%1").arg(round);
        const QByteArray key = connectors::CeleryResultFollower::metaKey(id);
        QVERIFY(test::runCommand(*m_client, {"SET", key, meta}).ok());
        channel = key;
        connectors::CeleryResultFollower follower(
            connectors::RedisUrl::parse(m_server->url(0)).settings, id);
        QSignalSpy states(&follower, &connectors::CeleryResultFollower::stateChanged);
        follower.start();
        QTRY_COMPARE_WITH_TIMEOUT(states.size(), 1, 10000);
        QTest::qWait(100); // a "nothing happens" check: what was queued before the end is delivered
        QCOMPARE(states.size(), 1);
        QCOMPARE(states.first().first().value<connectors::CeleryTaskResult>().status,
                 QStringLiteral("SUCCESS"));
    }
}

// Events stopped while they stream in: nothing touches the dropped connection (a push queued
// before the stop is dropped with it) and no batch is announced after the stop.
void TestCeleryBroker::eventsStopWhileTheyArrive()
{
    const QByteArray event =
        R"({"type": "worker-heartbeat", "hostname": "w@host", "timestamp": 1764700000.5})";
    RedisClient publisher(connectors::RedisUrl::parse(m_server->url(0)).settings);
    publisher.open();
    QTimer pump;
    pump.setInterval(0);
    connect(&pump, &QTimer::timeout, this, [&] {
        if (publisher.pendingCount() < 50)
            publisher.send({"PUBLISH", "/0.celeryev/worker.heartbeat", event}, this,
                           [](const connectors::RedisResult &) {});
    });
    pump.start();
    RedisCeleryBroker broker(m_client.get());
    qsizetype batches = 0;
    connect(&broker, &connectors::CeleryBroker::eventsArrived, this,
            [&](const QList<connectors::CeleryEvent> &batch) {
                QVERIFY(!batch.isEmpty());
                QCOMPARE(batch.first().type, QStringLiteral("worker-heartbeat"));
                ++batches;
            });
    for (int round = 0; round < 20; ++round) {
        broker.followEvents(true);
        const qsizetype before = batches;
        QTRY_VERIFY_WITH_TIMEOUT(batches > before, 10000);
        broker.followEvents(false);
        const qsizetype atStop = batches;
        QTest::qWait(150); // "nothing happens": three batch intervals (50 ms), delivered or dropped
        QCOMPARE(batches, atStop);
    }
}

QTEST_GUILESS_MAIN(TestCeleryBroker)
#include "tst_celerybroker.moc"
