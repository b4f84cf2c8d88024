// The key browser's connector path against a real redis-server: SCAN into the tree model,
// per-key facts, binary keys, the cap, and an ACL user who may not use MEMORY, INFO or CONFIG.
#include "keys/keytreemodel.h"
#include "redis/backgroundkeyscan.h"
#include "redis/keyfactsloader.h"
#include "redis/keyinspector.h"
#include "redis/serverinfo.h"
#include "redis/keyscanjob.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "commandwait.h"
#include "testredis.h"

#include <QSignalSpy>

#include <optional>
#include <QThread>
#include <QTest>

using namespace bd::connectors;
using bd::models::KeyTreeModel;
using bd::test::PrivateRedisServer;

namespace {

RedisResult run(RedisClient &client, const QList<QByteArray> &args)
{
    return bd::test::runCommand(client, args);
}

struct ScanOutcome
{
    QList<QByteArray> keys;
    bool complete = false;
    bool capped = false;
    RedisError error;
};

ScanOutcome scan(RedisClient &client, KeyScanJob::Options options)
{
    ScanOutcome out;
    KeyScanJob job(&client, options);
    bool done = false;
    QObject::connect(&job, &KeyScanJob::keysFound, [&](const QList<QByteArray> &keys) { out.keys += keys; });
    QObject::connect(&job, &KeyScanJob::finished, [&](bool complete, bool capped, const RedisError &e) {
        out.complete = complete;
        out.capped = capped;
        out.error = e;
        done = true;
    });
    job.start();
    if (!QTest::qWaitFor([&] { return done; }, 30000))
        out.error = RedisError{RedisError::Kind::CommandTimeout, QStringLiteral("scan did not finish")};
    return out;
}

} // namespace

class TestKeyBrowsing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scansEveryKeyExactlyOnce();
    void filtersByPatternAndType();
    void stopsAtTheCapAndSaysSo();
    void binaryKeysRoundTripThroughRenameTtlAndDelete();
    void factsForAUserWithoutMemoryInfoOrConfig();
    void scanFillsTheTreeModel();

private:
    std::unique_ptr<PrivateRedisServer> m_server;
    std::unique_ptr<RedisClient> m_client;
    QList<QByteArray> m_seeded;
};

void TestKeyBrowsing::initTestCase()
{
    m_server = std::make_unique<PrivateRedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    m_client = std::make_unique<RedisClient>(RedisUrl::parse(m_server->url()).settings);
    m_client->open();
    for (int i = 0; i < 3000; ++i) {
        const QByteArray key = "user:" + QByteArray::number(i);
        m_client->send({"SET", key, "x", "EX", "900"}, nullptr, {});
        m_seeded << key;
    }
    for (int i = 0; i < 500; ++i) {
        const QByteArray key = "shift:" + QByteArray::number(i);
        m_client->send({"HSET", key, "f", "v"}, nullptr, {});
        m_seeded << key;
    }
    const QByteArray binary("bin:\xff\xfe\x00:k", 9);
    QVERIFY(run(*m_client, {"SET", binary, "b"}).ok());
    m_seeded << binary;
    QCOMPARE(run(*m_client, {"DBSIZE"}).reply.toInteger(), qint64(m_seeded.size()));
}

void TestKeyBrowsing::scansEveryKeyExactlyOnce()
{
    const ScanOutcome out = scan(*m_client, {});
    QVERIFY2(!out.error.isError(), qPrintable(out.error.toString()));
    QVERIFY(out.complete);
    QVERIFY(!out.capped);
    QList<QByteArray> found = out.keys;
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end()); // SCAN may repeat a key
    QList<QByteArray> expected = m_seeded;
    std::sort(expected.begin(), expected.end());
    QCOMPARE(found, expected);
}

void TestKeyBrowsing::filtersByPatternAndType()
{
    KeyScanJob::Options byPattern;
    byPattern.match = "shift:*";
    ScanOutcome out = scan(*m_client, byPattern);
    QVERIFY(out.complete);
    QSet<QByteArray> unique(out.keys.begin(), out.keys.end());
    QCOMPARE(unique.size(), 500);
    for (const QByteArray &k : unique)
        QVERIFY(k.startsWith("shift:"));

    KeyScanJob::Options byType;
    byType.type = "hash";
    out = scan(*m_client, byType);
    unique = QSet<QByteArray>(out.keys.begin(), out.keys.end());
    QCOMPARE(unique.size(), 500);
}

void TestKeyBrowsing::stopsAtTheCapAndSaysSo()
{
    KeyScanJob::Options capped;
    capped.cap = 1234;
    capped.count = 100;
    const ScanOutcome out = scan(*m_client, capped);
    QVERIFY(out.capped);
    QVERIFY(!out.complete);
    QCOMPARE(out.keys.size(), 1234);
}

void TestKeyBrowsing::binaryKeysRoundTripThroughRenameTtlAndDelete()
{
    KeyScanJob::Options options;
    options.match = "bin:*";
    const ScanOutcome out = scan(*m_client, options);
    QCOMPARE(out.keys.size(), 1);
    const QByteArray key = out.keys.first(); // the bytes as the server gave them
    QCOMPARE(key, QByteArray("bin:\xff\xfe\x00:k", 9));
    const QByteArray renamed = key + "\x01";
    QVERIFY(run(*m_client, {"RENAME", key, renamed}).ok());
    QCOMPARE(run(*m_client, {"PEXPIRE", renamed, "60000"}).reply.toInteger(), 1);
    const qint64 pttl = run(*m_client, {"PTTL", renamed}).reply.toInteger();
    QVERIFY(pttl > 50000 && pttl <= 60000);
    QCOMPARE(run(*m_client, {"UNLINK", renamed}).reply.toInteger(), 1);
    QCOMPARE(run(*m_client, {"EXISTS", key}).reply.toInteger(), 0);
    QCOMPARE(run(*m_client, {"EXISTS", renamed}).reply.toInteger(), 0);
    QVERIFY(run(*m_client, {"SET", key, "b"}).ok()); // as it was, for the other tests
}

void TestKeyBrowsing::factsForAUserWithoutMemoryInfoOrConfig()
{
    QVERIFY(run(*m_client, {"ACL", "SETUSER", "browser", "on", ">browse-pw", "~*", "+@read", "+scan", "+type",
                            "+pttl", "+ping", "-memory", "-info", "-config", "+client|setname"})
                .ok());
    RedisClient limited(RedisUrl::parse(QStringLiteral("redis://browser:browse-pw@127.0.0.1:%1/0").arg(m_server->port()))
                            .settings);
    limited.open();
    QCOMPARE(run(limited, {"INFO"}).reply.errorCode(), QByteArray("NOPERM"));

    KeyScanJob::Options options;
    options.match = "user:1*";
    const ScanOutcome out = scan(limited, options);
    QVERIFY2(out.complete, qPrintable(out.error.toString()));
    QVERIFY(out.keys.size() > 100);

    KeyFactsLoader loader(&limited);
    QList<KeyFacts> facts;
    loader.load({"user:1", "shift:1", "no-such"}, this, [&](const QList<KeyFacts> &f) { facts = f; });
    QTRY_COMPARE(facts.size(), 3);
    QCOMPARE(facts[0].type, QByteArray("string"));
    QVERIFY(facts[0].pttlMs > 0 && facts[0].pttlMs <= 900'000);
    QCOMPARE(facts[0].memoryBytes, qint64(-1));
    QCOMPARE(facts[1].type, QByteArray("hash"));
    QCOMPARE(facts[1].pttlMs, qint64(-1));
    QCOMPARE(facts[2].type, QByteArray("none"));
    QCOMPARE(facts[2].pttlMs, qint64(-2));
    QVERIFY(loader.memoryDenied());
    QVERIFY2(loader.memoryDeniedReason().contains(QLatin1String("NOPERM")), qPrintable(loader.memoryDeniedReason()));

    // The default user may: memory comes back.
    KeyFactsLoader full(m_client.get());
    facts.clear();
    full.load({"user:1"}, this, [&](const QList<KeyFacts> &f) { facts = f; });
    QTRY_COMPARE(facts.size(), 1);
    QVERIFY(facts[0].memoryBytes > 0);
    QVERIFY(!full.memoryDenied());
}

void TestKeyBrowsing::scanFillsTheTreeModel()
{
    KeyTreeModel model;
    KeyScanJob job(m_client.get(), {});
    connect(&job, &KeyScanJob::keysFound, &model, &KeyTreeModel::appendKeys);
    QSignalSpy finished(&job, &KeyScanJob::finished);
    job.start();
    QVERIFY(finished.wait(30000));
    model.flush();
    // SCAN may return a key twice while the table rehashes; here nothing is written meanwhile.
    QCOMPARE(model.keyCount(), qint64(m_seeded.size()));
    QCOMPARE(model.rowCount(), 3); // user:, shift:, bin:
}

QTEST_GUILESS_MAIN(TestKeyBrowsing)
#include "tst_keybrowsing.moc"
