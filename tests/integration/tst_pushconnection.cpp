// Push connections (SUBSCRIBE / PSUBSCRIBE / MONITOR) and the key event follower against a real
// redis-server: exact, ordered delivery; binary payloads; subscriptions restored after the
// server dies and comes back; a bounded queue for a consumer that falls behind; and the glob
// matcher checked against the server's own SCAN MATCH.
#include "commandwait.h"
#include "redis/keyeventfollower.h"
#include "redis/keyspacenotifications.h"
#include "redis/redisclient.h"
#include "redis/redisglob.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTest>

using namespace bd::connectors;

namespace {

RedisResult run(RedisClient &client, const QList<QByteArray> &args)
{
    return bd::test::runCommand(client, args);
}

// Takes push messages as they come until `enough` says stop or the time is up.
std::vector<PushMessage>
collect(RedisClient &client, const std::function<bool(const std::vector<PushMessage> &)> &enough,
        int timeoutMs = 20000)
{
    std::vector<PushMessage> all;
    QElapsedTimer clock;
    clock.start();
    while (!enough(all) && clock.elapsed() < timeoutMs) {
        QTest::qWait(5);
        for (PushMessage &m : client.takePushMessages())
            all.push_back(std::move(m));
    }
    return all;
}

qsizetype countKind(const std::vector<PushMessage> &all, PushMessage::Kind kind)
{
    return std::count_if(all.begin(), all.end(),
                         [kind](const PushMessage &m) { return m.kind == kind; });
}

} // namespace

class TestPushConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void deliversEveryMessageInOrder();
    void binaryPayloadsArriveIntact();
    void unsubscribeStopsDelivery();
    void restoresSubscriptionsAfterTheServerComesBack();
    void slowConsumerKeepsOnlyTheNewest();
    void monitorStreamsCommands();
    void keyEventsFollowChanges();
    void keyEventFlags();
    void globMatchesLikeTheServer();

private:
    std::unique_ptr<RedisClient> subscriber(int maxQueued = 1000000)
    {
        auto c = std::make_unique<RedisClient>(RedisUrl::parse(m_fixture.url()).settings);
        c->enablePushMode(maxQueued);
        c->open();
        return c;
    }

    bd::test::RedisFixture m_fixture;
    std::unique_ptr<RedisClient> m_client;
};

void TestPushConnection::initTestCase()
{
    m_fixture = bd::test::RedisFixture::load();
    QVERIFY2(m_fixture.ok, qPrintable(m_fixture.error));
    m_client = std::make_unique<RedisClient>(RedisUrl::parse(m_fixture.url()).settings);
    m_client->open();
    QVERIFY(run(*m_client, {"PING"}).ok());
}

void TestPushConnection::deliversEveryMessageInOrder()
{
    auto sub = subscriber();
    sub->send({"SUBSCRIBE", "bd:push:a", "bd:push:b"}, nullptr, nullptr);
    sub->send({"PSUBSCRIBE", "bd:pat:*"}, nullptr, nullptr);
    auto confirmations = collect(*sub, [](const auto &all) { return all.size() >= 3; });
    QCOMPARE(confirmations.size(), size_t(3));
    QCOMPARE(confirmations[0].kind, PushMessage::Kind::Subscribed);
    QCOMPARE(confirmations[1].count, 2);
    QCOMPARE(confirmations[2].kind, PushMessage::Kind::PatternSubscribed);
    QCOMPARE(confirmations[2].pattern, QByteArray("bd:pat:*"));

    // 100,000 messages over two channels and a pattern, pipelined by one publisher.
    constexpr int kMessages = 100000;
    QCryptographicHash sent(QCryptographicHash::Sha256);
    int answered = 0;
    for (int i = 0; i < kMessages; ++i) {
        const QByteArray channel = i % 3 == 0   ? "bd:push:a"
                                   : i % 3 == 1 ? "bd:push:b"
                                                : "bd:pat:" + QByteArray::number(i % 7);
        const QByteArray payload = "message " + QByteArray::number(i);
        sent.addData(channel + '\0' + payload + '\0');
        m_client->send({"PUBLISH", channel, payload}, this,
                       [&answered](const RedisResult &) { ++answered; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, kMessages, 60000);
    auto all = collect(
        *sub, [](const auto &all) { return all.size() >= size_t(kMessages); }, 60000);
    QCOMPARE(all.size(), size_t(kMessages));
    QCryptographicHash received(QCryptographicHash::Sha256);
    for (int i = 0; i < kMessages; ++i) {
        const PushMessage &m = all[size_t(i)];
        if (m.payload != "message " + QByteArray::number(i))
            QFAIL(qPrintable(QStringLiteral("message %1 out of order: %2")
                                 .arg(i)
                                 .arg(QString::fromUtf8(m.payload))));
        QCOMPARE(m.kind,
                 i % 3 == 2 ? PushMessage::Kind::PatternMessage : PushMessage::Kind::Message);
        if (m.kind == PushMessage::Kind::PatternMessage)
            QCOMPARE(m.pattern, QByteArray("bd:pat:*"));
        QVERIFY(m.receivedMs > 0);
        received.addData(m.channel + '\0' + m.payload + '\0');
    }
    QCOMPARE(received.result(), sent.result());
}

void TestPushConnection::binaryPayloadsArriveIntact()
{
    auto sub = subscriber();
    const QByteArray channel("bd:bin:\xff\x00\r\n", 11);
    sub->send({"SUBSCRIBE", channel}, nullptr, nullptr);
    QCOMPARE(collect(*sub, [](const auto &all) { return !all.empty(); }).size(), size_t(1));
    QByteArray payload;
    for (int i = 0; i < 256; ++i)
        payload += char(i);
    payload += QByteArray("\r\n*3\r\n$7\r\nmessage\r\n", 21); // RESP inside the payload
    QCOMPARE(run(*m_client, {"PUBLISH", channel, payload}).reply.toInteger(), 1);
    auto all = collect(*sub, [](const auto &all) { return !all.empty(); });
    QCOMPARE(all.size(), size_t(1));
    QCOMPARE(all[0].channel, channel);
    QCOMPARE(all[0].payload, payload);
}

void TestPushConnection::unsubscribeStopsDelivery()
{
    auto sub = subscriber();
    sub->send({"SUBSCRIBE", "bd:unsub:1", "bd:unsub:2"}, nullptr, nullptr);
    collect(*sub, [](const auto &all) { return all.size() >= 2; });
    sub->send({"UNSUBSCRIBE", "bd:unsub:1"}, nullptr, nullptr);
    auto un = collect(*sub, [](const auto &all) { return !all.empty(); });
    QCOMPARE(un.size(), size_t(1));
    QCOMPARE(un[0].kind, PushMessage::Kind::Unsubscribed);
    QCOMPARE(un[0].count, 1);
    QCOMPARE(run(*m_client, {"PUBLISH", "bd:unsub:1", "x"}).reply.toInteger(), 0);
    QCOMPARE(run(*m_client, {"PUBLISH", "bd:unsub:2", "y"}).reply.toInteger(), 1);
    auto all = collect(*sub, [](const auto &all) { return !all.empty(); });
    QCOMPARE(all.size(), size_t(1));
    QCOMPARE(all[0].payload, QByteArray("y"));
}

void TestPushConnection::restoresSubscriptionsAfterTheServerComesBack()
{
    bd::test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    ConnectionSettings settings = RedisUrl::parse(server.url()).settings;
    settings.reconnect.initialDelayMs = 50;
    settings.reconnect.maxDelayMs = 200;
    RedisClient sub(settings);
    sub.enablePushMode(1000);
    QSignalSpy states(&sub, &RedisClient::stateChanged);
    sub.open();
    sub.send({"SUBSCRIBE", "jobs"}, nullptr, nullptr);
    sub.send({"PSUBSCRIBE", "events.*"}, nullptr, nullptr);
    QCOMPARE(collect(sub, [](const auto &all) { return all.size() >= 2; }).size(), size_t(2));

    server.kill();
    QVERIFY(server.restart());
    // The subscriptions come back on their own: confirmations again, then messages flow.
    auto again = collect(sub, [](const auto &all) { return all.size() >= 2; });
    QCOMPARE(countKind(again, PushMessage::Kind::Subscribed), 1);
    QCOMPARE(countKind(again, PushMessage::Kind::PatternSubscribed), 1);
    bool lost = false;
    for (const auto &s : states)
        lost |= s.first().value<ConnectionState>() == ConnectionState::WaitingToReconnect;
    QVERIFY2(lost, "the outage was reported to the owner");

    RedisClient publisher(RedisUrl::parse(server.url()).settings);
    publisher.open();
    QCOMPARE(run(publisher, {"PUBLISH", "jobs", "1"}).reply.toInteger(), 1);
    QCOMPARE(run(publisher, {"PUBLISH", "events.x", "2"}).reply.toInteger(), 1);
    auto all = collect(sub, [](const auto &all) { return all.size() >= 2; });
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[0].payload, QByteArray("1"));
    QCOMPARE(all[1].channel, QByteArray("events.x"));
}

void TestPushConnection::slowConsumerKeepsOnlyTheNewest()
{
    constexpr int kLimit = 1000;
    constexpr int kMessages = 20000;
    auto sub = subscriber(kLimit);
    QSignalSpy available(sub.get(), &RedisClient::pushMessagesAvailable);
    sub->send({"SUBSCRIBE", "bd:slow"}, nullptr, nullptr);
    QVERIFY(available.wait());
    quint64 dropped = 0;
    QCOMPARE(sub->takePushMessages(&dropped).size(), size_t(1));
    // Nobody takes anything while the flood arrives: the waiting queue stays at the limit.
    int answered = 0;
    for (int i = 0; i < kMessages; ++i)
        m_client->send({"PUBLISH", "bd:slow", QByteArray::number(i)}, this,
                       [&answered](const RedisResult &) { ++answered; });
    QTRY_COMPARE_WITH_TIMEOUT(answered, kMessages, 30000);
    // Every PUBLISH answered: the server has handed them all to the subscriber's socket; its
    // thread reads the last of them.
    QTRY_COMPARE_WITH_TIMEOUT(sub->pushMessagesArrived(), quint64(kMessages + 1), 10000);
    std::deque<PushMessage> kept = sub->takePushMessages(&dropped);
    QCOMPARE(qsizetype(kept.size()), kLimit);
    QCOMPARE(dropped, quint64(kMessages - kLimit));
    QCOMPARE(kept.front().payload, QByteArray::number(kMessages - kLimit));
    QCOMPARE(kept.back().payload, QByteArray::number(kMessages - 1));
}

void TestPushConnection::monitorStreamsCommands()
{
    ConnectionSettings settings = RedisUrl::parse(m_fixture.url()).settings;
    settings.clientName =
        QByteArrayLiteral("tst_pushconnection:monitor"); // its own, on a shared server
    auto mon = std::make_unique<RedisClient>(settings);
    mon->enablePushMode(1000000);
    mon->open();
    mon->send({"MONITOR"}, nullptr, nullptr);
    // Monitoring once the server lists the connection with the O flag.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QByteArray &line :
                 run(*m_client, {"CLIENT", "LIST"}).reply.bytes().split('\n'))
                if (line.contains("name=tst_pushconnection:monitor") && line.contains("flags=O"))
                    return true;
            return false;
        }(),
        5000);
    QVERIFY(run(*m_client, {"SET", "bd:monitored", "v\xff"}).ok());
    auto lines = collect(*mon, [](const auto &all) {
        return std::any_of(all.begin(), all.end(),
                           [](const PushMessage &m) { return m.payload.contains("bd:monitored"); });
    });
    const auto it = std::find_if(lines.begin(), lines.end(), [](const PushMessage &m) {
        return m.payload.contains("bd:monitored");
    });
    QVERIFY(it != lines.end());
    QCOMPARE(it->kind, PushMessage::Kind::Monitor);
    QVERIFY2(it->payload.contains("\"SET\" \"bd:monitored\" \"v\\xff\""), it->payload.constData());
}

void TestPushConnection::keyEventsFollowChanges()
{
    bd::test::PrivateRedisServer server(
        {QStringLiteral("--notify-keyspace-events"), QStringLiteral("KEA")});
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    RedisClient writer(RedisUrl::parse(server.url(3)).settings);
    writer.open();
    KeyEventFollower follower(RedisUrl::parse(server.url()).settings);
    QList<KeyEvent> events;
    connect(&follower, &KeyEventFollower::eventsArrived, this,
            [&events](const QList<KeyEvent> &batch, quint64) { events += batch; });
    follower.follow(3);
    QTRY_VERIFY(run(writer, {"PUBSUB", "NUMPAT"}).reply.toInteger() == 1);

    const QByteArray binary("bin:\xff\x01", 6);
    QVERIFY(run(writer, {"SET", binary, "1"}).ok());
    QVERIFY(run(writer, {"HSET", "h", "f", "v"}).ok());
    QVERIFY(run(writer, {"PEXPIRE", "h", "10"}).ok());
    QVERIFY(run(writer, {"DEL", binary}).ok());
    // Events of another db are not this follower's.
    RedisClient other(RedisUrl::parse(server.url(4)).settings);
    other.open();
    QVERIFY(run(other, {"SET", "elsewhere", "1"}).ok());
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                         [](const KeyEvent &e) { return e.event == "expired"; }),
                             5000);
    QStringList seen;
    for (const KeyEvent &e : events)
        seen << QString::fromLatin1(e.event) + QLatin1Char(' ')
                    + QString::fromLatin1(e.key.toHex());
    QCOMPARE(seen, (QStringList{
                       QStringLiteral("set ") + QString::fromLatin1(binary.toHex()),
                       QStringLiteral("hset ") + QString::fromLatin1(QByteArray("h").toHex()),
                       QStringLiteral("expire ") + QString::fromLatin1(QByteArray("h").toHex()),
                       QStringLiteral("del ") + QString::fromLatin1(binary.toHex()),
                       QStringLiteral("expired ") + QString::fromLatin1(QByteArray("h").toHex())}));
    QCOMPARE(events[0].effect, KeyEvent::Effect::Touched);
    QCOMPARE(events[3].effect, KeyEvent::Effect::Removed);
    QCOMPARE(events[4].effect, KeyEvent::Effect::Removed);

    // Switching the db follows the new one only. The follower unsubscribes from db 3 before it
    // subscribes to db 4: once an event of db 4 arrives, db 3's subscription is gone.
    follower.follow(4);
    int probes = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            run(other, {"SET", "probe4", QByteArray::number(++probes)});
            return std::any_of(events.cbegin(), events.cend(),
                               [](const KeyEvent &e) { return e.key == "probe4"; });
        }(),
        5000);
    events.clear();
    // Published in this order: an event of db 3 would arrive before the one of db 4.
    QVERIFY(run(writer, {"SET", "in3", "1"}).ok());
    QVERIFY(run(other, {"SET", "in4", "1"}).ok());
    QTRY_VERIFY(std::any_of(events.cbegin(), events.cend(),
                            [](const KeyEvent &e) { return e.key == "in4"; }));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].key, QByteArray("in4"));
}

void TestPushConnection::keyEventFlags()
{
    using bd::connectors::KeyspaceNotifications;
    const auto live = KeyspaceNotifications::Use::LiveKeys;
    const auto preset = KeyspaceNotifications::Use::ChannelPreset;
    QVERIFY(!KeyspaceNotifications::suffices("", live));
    QVERIFY(!KeyspaceNotifications::suffices("KA", live)); // keyspace channels only
    QVERIFY(!KeyspaceNotifications::suffices("Ex", live)); // expired only
    QVERIFY(KeyspaceNotifications::suffices("AE", live));
    QVERIFY(KeyspaceNotifications::suffices("Eg$lshzxet", live));
    QCOMPARE(KeyspaceNotifications::completed("", live), QByteArray("EA"));
    QCOMPARE(KeyspaceNotifications::completed("Kx", live), QByteArray("KxEA"));
    QCOMPARE(KeyspaceNotifications::completed("KEA", live), QByteArray("KEA"));
    // The Pub/Sub preset shows both channel kinds, with any class of event.
    QVERIFY(KeyspaceNotifications::suffices("KEx", preset));
    QVERIFY(!KeyspaceNotifications::suffices("KEx", live));
    QVERIFY(!KeyspaceNotifications::suffices("EA", preset)); // keyevent channels only
    QVERIFY(!KeyspaceNotifications::suffices("KE", preset)); // no class: nothing published
    QCOMPARE(KeyspaceNotifications::completed("Ex", preset), QByteArray("ExKA"));
    QCOMPARE(KeyEventFollower::impliedType("lpush"), QByteArray("list"));
    QCOMPARE(KeyEventFollower::impliedType("expire"), QByteArray());
    QCOMPARE(KeyEventFollower::effectOf("rename_from"), KeyEvent::Effect::Removed);
    QCOMPARE(KeyEventFollower::effectOf("rename_to"), KeyEvent::Effect::Touched);
}

void TestPushConnection::globMatchesLikeTheServer()
{
    // The server is the oracle: for each pattern, SCAN MATCH over the same keys must select
    // exactly what globMatches selects.
    RedisClient db(RedisUrl::parse(m_fixture.url(17)).settings);
    db.open();
    QVERIFY(run(db, {"FLUSHDB"}).ok());
    const QList<QByteArray> keys{"user:1",
                                 "user:10",
                                 "user:1:profile",
                                 "users",
                                 "user",
                                 "a*b",
                                 "a?b",
                                 "axb",
                                 "[x]",
                                 "x",
                                 "-",
                                 "b",
                                 "c",
                                 "\\",
                                 "a\\b",
                                 QByteArray("\xff:1", 3),
                                 "",
                                 "ab",
                                 "aXb"};
    QList<QByteArray> args{"MSET"};
    for (const QByteArray &k : keys)
        if (!k.isEmpty())
            args << k << "1";
    QVERIFY(run(db, args).ok());
    const QList<QByteArray> patterns{
        "*",      "user:*", "user:?",  "user:1*",   "*:*",      "a?b", "a\\*b", "a\\?b", "[a-c]",
        "[^a-c]", "[c-a]",  "\\[x\\]", "[[]x]",     "a[\\\\]b", "*b",  "a*",    "??",    "*1*1*",
        "\xff*",  "[xX]",   "a[^x]b",  "user[:s]*", "[",        "a[",  "*\\",   "[]"};
    for (const QByteArray &pattern : patterns) {
        QByteArray cursor = "0";
        QSet<QByteArray> server;
        do {
            const RedisResult r = run(db, {"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
            QVERIFY(r.ok());
            cursor = r.reply.elements()[0].bytes();
            for (const RedisReply &k : r.reply.elements()[1].elements())
                server.insert(k.bytes());
        } while (cursor != "0");
        QSet<QByteArray> ours;
        for (const QByteArray &k : keys)
            if (!k.isEmpty() && globMatches(pattern, k))
                ours.insert(k);
        if (ours != server) {
            QStringList a, b;
            for (const auto &k : ours)
                a << QString::fromLatin1(k);
            for (const auto &k : server)
                b << QString::fromLatin1(k);
            QFAIL(qPrintable(QStringLiteral("pattern %1: ours {%2} server {%3}")
                                 .arg(QString::fromLatin1(pattern), a.join(QLatin1Char(',')),
                                      b.join(QLatin1Char(',')))));
        }
    }
    QVERIFY(run(db, {"FLUSHDB"}).ok());
}

QTEST_GUILESS_MAIN(TestPushConnection)
#include "tst_pushconnection.moc"
