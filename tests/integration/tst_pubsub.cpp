// The Pub/Sub capture against real redis-servers: the controller, its subscriber connection,
// the log ring and the traffic counts, as the page uses them.
#include "commandwait.h"
#include "gui/pubsubcontroller.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/messagelogview.h"
#include "pubsub/pubsubpage.h"
#include "pubsub/trafficstatsmodel.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QPushButton>
#include <QTest>
#include <QThread>

#include <memory>

using namespace bd;
using connectors::PushMessage;
using connectors::RedisClient;
using connectors::RedisResult;
using models::LoggedMessage;
using models::MessageLogModel;
using models::TrafficStatsModel;

namespace {

connectors::ConnectionSettings settingsFor(const QString &url)
{
    return connectors::RedisUrl::parse(url).settings;
}

// What the Pub/Sub page runs on: the browser's connection, the page, its two models and the
// controller.
struct Capture
{
    explicit Capture(const QString &url)
        : commands(settingsFor(url))
        , log(MessageLogModel::Mode::PubSub)
        , traffic(TrafficStatsModel::Mode::Channels)
        , page(&log, &traffic)
        , controller(&commands, &page, &log, &traffic)
    {
        commands.open();
    }
    RedisClient commands;
    MessageLogModel log;
    TrafficStatsModel traffic;
    ui::PubSubPage page;
    app::PubSubController controller;
};

// Sends count PUBLISH commands without waiting between them; returns how many were answered.
std::shared_ptr<int> publishMany(RedisClient &publisher, int count,
                                 const std::function<QList<QByteArray>(int)> &command)
{
    auto answered = std::make_shared<int>(0);
    for (int i = 0; i < count; ++i)
        publisher.send(command(i), &publisher, [answered](const RedisResult &) { ++*answered; });
    return answered;
}

} // namespace

class TestPubSub : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exactDeliveryInOrderWithChannelsAndPatterns();
    void binaryPayloadsArriveIntact();
    void reconnectRestoresSubscriptionsAndMarksTheGap();
    void slowConsumerStaysWithinItsBounds();
    void pauseKeepsCounting();

private:
    test::RedisFixture m_fixture;
};

void TestPubSub::initTestCase()
{
    m_fixture = test::RedisFixture::load();
    QVERIFY2(m_fixture.ok, qPrintable(m_fixture.error));
}

void TestPubSub::exactDeliveryInOrderWithChannelsAndPatterns()
{
    constexpr int kMessages = 100000;
    Capture capture(m_fixture.url());
    capture.controller.subscribe({"exact:a", "exact:b*"});
    QTRY_COMPARE(capture.controller.confirmedSubscriptions(), qint64(2));
    RedisClient publisher(settingsFor(m_fixture.url()));
    publisher.open();
    // Even numbers on the channel, odd ones on a channel the pattern matches.
    const auto answered = publishMany(publisher, kMessages, [](int i) {
        return QList<QByteArray>{"PUBLISH", i % 2 ? QByteArray("exact:b1") : QByteArray("exact:a"),
                                 QByteArray::number(i).rightJustified(8, '0')};
    });
    QTRY_COMPARE_WITH_TIMEOUT(capture.log.receivedCount(), quint64(kMessages), 120000);
    QTRY_COMPARE(*answered, kMessages);
    capture.log.flush();
    QCOMPARE(capture.log.rowCount(), kMessages); // the default ring holds them all
    QCOMPARE(capture.log.lostCount(), quint64(0));
    QCOMPARE(capture.log.evictedCount(), quint64(0));
    quint64 sent = 0;
    quint64 received = 0;
    for (int i = 0; i < kMessages; ++i) {
        const LoggedMessage *m = capture.log.messageAt(i);
        QVERIFY(m);
        const QByteArray expected = QByteArray::number(i).rightJustified(8, '0');
        sent = sent * 31 + qHash(expected);
        received = received * 31 + qHash(m->payload);
        if (m->payload != expected)
            QFAIL(qPrintable(
                QStringLiteral("row %1 holds %2").arg(i).arg(QString::fromUtf8(m->payload))));
        QCOMPARE(m->name, i % 2 ? QByteArray("exact:b1") : QByteArray("exact:a"));
        QCOMPARE(m->origin, i % 2 ? QByteArray("exact:b*") : QByteArray());
    }
    QCOMPARE(received, sent);
    QCOMPARE(capture.traffic.totalFor("exact:a"), qint64(kMessages / 2));
    QCOMPARE(capture.traffic.totalFor("exact:b1"), qint64(kMessages / 2));
}

void TestPubSub::binaryPayloadsArriveIntact()
{
    Capture capture(m_fixture.url());
    capture.controller.subscribe({"binary:ch"});
    QTRY_COMPARE(capture.controller.confirmedSubscriptions(), qint64(1));
    QByteArray all;
    for (int b = 0; b < 256; ++b)
        all.append(char(b));
    const QByteArray resp =
        QByteArrayLiteral("*3\r\n$7\r\nmessage\r\n$-1\r\n\r\n"); // RESP inside a payload
    const QByteArray big(3 * 1024 * 1024, '\xfe');
    RedisClient publisher(settingsFor(m_fixture.url()));
    publisher.open();
    for (const QByteArray &payload : {all, resp, QByteArray(), big})
        QVERIFY(test::runCommand(publisher, {"PUBLISH", "binary:ch", payload}).ok());
    QTRY_COMPARE(capture.log.rowCount(), 4);
    QCOMPARE(capture.log.messageAt(0)->payload, all);
    QCOMPARE(capture.log.messageAt(1)->payload, resp);
    QCOMPARE(capture.log.messageAt(2)->payload, QByteArray());
    QCOMPARE(capture.log.messageAt(3)->payload, big);
    // Shown as hex in the table, never decoded as text.
    QVERIFY(capture.log.index(0, MessageLogModel::PayloadColumn)
                .data()
                .toString()
                .startsWith(QLatin1String("hex: 00 01 02")));
}

void TestPubSub::reconnectRestoresSubscriptionsAndMarksTheGap()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    Capture capture(server.url());
    capture.controller.subscribe({"gap:ch", "gap:p*"});
    QTRY_COMPARE(capture.controller.confirmedSubscriptions(), qint64(2));
    {
        RedisClient publisher(settingsFor(server.url()));
        publisher.open();
        QCOMPARE(test::runCommand(publisher, {"PUBLISH", "gap:ch", "before"}).reply.toInteger(),
                 qint64(1));
    }
    QTRY_COMPARE(capture.log.receivedCount(), quint64(1));
    server.kill();
    QVERIFY(server.restart());
    // Back, with both subscriptions restored by the connection, and the time it was down shown.
    QTRY_COMPARE_WITH_TIMEOUT(capture.log.gapCount(), quint64(1), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(capture.controller.confirmedSubscriptions(), qint64(2), 10000);
    RedisClient publisher(settingsFor(server.url()));
    publisher.open();
    QCOMPARE(test::runCommand(publisher, {"PUBLISH", "gap:ch", "after"}).reply.toInteger(),
             qint64(1));
    QCOMPARE(
        test::runCommand(publisher, {"PUBLISH", "gap:p1", "after, by pattern"}).reply.toInteger(),
        qint64(1));
    QTRY_COMPARE(capture.log.receivedCount(), quint64(3));
    capture.log.flush();
    QCOMPARE(capture.log.rowCount(), 4);
    QCOMPARE(capture.log.messageAt(0)->payload, QByteArray("before"));
    QCOMPARE(capture.log.messageAt(1)->kind, LoggedMessage::Kind::Gap);
    QVERIFY(capture.log.messageAt(1)->payload.contains("not received"));
    QCOMPARE(capture.log.messageAt(2)->payload, QByteArray("after"));
    QCOMPARE(capture.log.messageAt(3)->origin, QByteArray("gap:p*"));
}

void TestPubSub::slowConsumerStaysWithinItsBounds()
{
    // A consumer that does not take its messages: the connection keeps at most its limit, the
    // ring at most its capacity, and everything else is counted, never hidden.
    constexpr int kLimit = 1000;
    constexpr int kMessages = 20000;
    RedisClient subscriber(settingsFor(m_fixture.url()));
    subscriber.enablePushMode(kLimit);
    subscriber.open();
    subscriber.send({"SUBSCRIBE", "slow:ch"}, &subscriber, [](const RedisResult &) {});
    MessageLogModel log(MessageLogModel::Mode::PubSub);
    log.setCapacity(kLimit / 2);
    bool subscribed = false;
    QTRY_VERIFY([&] {
        for (const PushMessage &m : subscriber.takePushMessages())
            subscribed = subscribed || m.kind == PushMessage::Kind::Subscribed;
        return subscribed;
    }());
    RedisClient publisher(settingsFor(m_fixture.url()));
    publisher.open();
    const auto answered = publishMany(publisher, kMessages, [](int i) {
        return QList<QByteArray>{"PUBLISH", "slow:ch", QByteArray::number(i)};
    });
    // This thread is busy elsewhere while the flood arrives (the publisher's socket thread
    // sends without it).
    QThread::msleep(1500);
    quint64 taken = 0;
    quint64 dropped = 0;
    qsizetype largestTake = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            quint64 d = 0;
            std::deque<PushMessage> batch = subscriber.takePushMessages(&d);
            largestTake = qMax(largestTake, qsizetype(batch.size()));
            taken += batch.size();
            dropped += d;
            log.appendPushMessages(batch, d);
            log.flush();
            return taken + dropped == quint64(kMessages);
        }(),
        30000);
    QTRY_COMPARE(*answered, kMessages);
    QVERIFY(largestTake <= kLimit);
    QVERIFY2(dropped > 0,
             "the consumer was slow: some messages must have been dropped and counted");
    QVERIFY(log.storedCount() <= kLimit / 2);
    QCOMPARE(log.lostCount(), dropped);
    QCOMPARE(log.lostCount() + log.evictedCount() + quint64(log.storedCount()), quint64(kMessages));
    // The newest made it: the ring ends with the last message published.
    QCOMPARE(log.messageAt(log.rowCount() - 1)->payload, QByteArray::number(kMessages - 1));
}

void TestPubSub::pauseKeepsCounting()
{
    constexpr int kMessages = 5000;
    Capture capture(m_fixture.url());
    capture.controller.subscribe({"pause:ch"});
    QTRY_COMPARE(capture.controller.confirmedSubscriptions(), qint64(1));
    auto *pause = capture.page.findChild<QPushButton *>(QStringLiteral("pubsubPause"));
    QVERIFY(pause);
    pause->click();
    QVERIFY(capture.log.isPaused());
    RedisClient publisher(settingsFor(m_fixture.url()));
    publisher.open();
    publishMany(publisher, kMessages, [](int i) {
        return QList<QByteArray>{"PUBLISH", "pause:ch", QByteArray::number(i)};
    });
    QTRY_COMPARE_WITH_TIMEOUT(capture.traffic.totalFor("pause:ch"), qint64(kMessages), 30000);
    QCOMPARE(capture.log.receivedCount(), quint64(kMessages));
    QCOMPARE(capture.log.rowCount(), 0); // frozen
    QCOMPARE(capture.log.heldCount(), kMessages);
    QTRY_VERIFY(capture.page.logView()->statusText().contains(
        QStringLiteral("paused: %1 new").arg(QLocale().toString(kMessages))));
    pause->click();
    QCOMPARE(capture.log.rowCount(), kMessages);
    QCOMPARE(capture.log.messageAt(kMessages - 1)->payload, QByteArray::number(kMessages - 1));
}

QTEST_MAIN(TestPubSub)
#include "tst_pubsub.moc"
