// The Cache page's figures against a real redis-server seeded like the demo's caches.
#include "cache/namespacestatsmodel.h"
#include "commandwait.h"
#include "redis/cacheanalysisjob.h"
#include "redis/cacheratetracker.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "redis/serverstatusprobe.h"
#include "testredis.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace bd::connectors;
using bd::models::NamespaceStatsModel;

namespace {

RedisResult run(RedisClient &client, const QList<QByteArray> &args)
{
    return bd::test::runCommand(client, args);
}

QHash<QByteArray, NamespaceStats> analyse(RedisClient &client, int depth,
                                          bool *memoryDenied = nullptr)
{
    CacheAnalysisJob job(&client, ":", depth);
    QSignalSpy finished(&job, &CacheAnalysisJob::finished);
    job.start();
    QHash<QByteArray, NamespaceStats> out;
    if (!finished.wait(30000))
        return out;
    for (const NamespaceStats &s : job.snapshot())
        out.insert(s.prefix, s);
    if (memoryDenied)
        *memoryDenied = job.memoryDenied();
    return out;
}

} // namespace

class TestCacheAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void bucketsAndNamespaces_data();
    void bucketsAndNamespaces();
    void groupsTheDemoCachesByTtl();
    void deeperNamespaces();
    void worksForAUserWithoutMemoryOrInfo();
    void ratesFollowHitsAndMisses();
    void rateTrackerStartsOverWhenCountersGoBack();
    void modelStaysConsistent();

private:
    std::unique_ptr<bd::test::PrivateRedisServer> m_server;
    std::unique_ptr<RedisClient> m_client;
};

void TestCacheAnalysis::initTestCase()
{
    m_server = std::make_unique<bd::test::PrivateRedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    m_client = std::make_unique<RedisClient>(RedisUrl::parse(m_server->url()).settings);
    m_client->open();
    for (int i = 0; i < 200; ++i)
        m_client->send(
            {"SET", "user:" + QByteArray::number(i), "{}", "EX", QByteArray::number(15 * 60 - i)},
            nullptr, {});
    for (int i = 0; i < 3; ++i)
        m_client->send({"SET", "user:forgotten:" + QByteArray::number(i), "{}"}, nullptr,
                       {}); // no TTL
    for (int i = 0; i < 100; ++i)
        m_client->send({"HSET", "shift:" + QByteArray::number(i), "f", "v"}, nullptr, {});
    for (int i = 0; i < 100; ++i)
        m_client->send({"EXPIRE", "shift:" + QByteArray::number(i), "290"}, nullptr, {});
    for (int i = 0; i < 10; ++i)
        m_client->send({"SET", "analytics:" + QByteArray::number(i), "1", "EX", "3600"}, nullptr,
                       {});
    m_client->send({"SET", "config:flags", "{}"}, nullptr, {});
    m_client->send({"SET", "soon:1", "x", "PX", "30000"}, nullptr, {});
    QCOMPARE(run(*m_client, {"SET", "registry", "{}"}).reply, RedisReply::status("OK"));
}

void TestCacheAnalysis::bucketsAndNamespaces_data()
{
    QTest::addColumn<qint64>("pttl");
    QTest::addColumn<int>("bucket");
    QTest::newRow("no ttl") << qint64(-1) << int(TtlNone);
    QTest::newRow("30 s") << qint64(30'000) << int(TtlUnder1m);
    QTest::newRow("1 min") << qint64(60'000) << int(Ttl1to5m);
    QTest::newRow("4m59") << qint64(299'999) << int(Ttl1to5m);
    QTest::newRow("15 min") << qint64(900'000) << int(Ttl15to60m);
    QTest::newRow("14m59") << qint64(899'000) << int(Ttl5to15m);
    QTest::newRow("1 h") << qint64(3'600'000) << int(Ttl1to24h);
    QTest::newRow("2 d") << qint64(172'800'000) << int(TtlOver24h);
}

void TestCacheAnalysis::bucketsAndNamespaces()
{
    QFETCH(qint64, pttl);
    QFETCH(int, bucket);
    QCOMPARE(ttlBucketOf(pttl), bucket);
    QCOMPARE(CacheAnalysisJob::namespaceOf("user:1:profile", ":", 1), QByteArray("user:"));
    QCOMPARE(CacheAnalysisJob::namespaceOf("user:1:profile", ":", 2), QByteArray("user:1:"));
    QCOMPARE(CacheAnalysisJob::namespaceOf("user:1:profile", ":", 5), QByteArray("user:1:"));
    QCOMPARE(CacheAnalysisJob::namespaceOf("registry", ":", 1), QByteArray());
    QCOMPARE(CacheAnalysisJob::namespaceOf("a::b", ":", 2), QByteArray("a::"));
}

void TestCacheAnalysis::groupsTheDemoCachesByTtl()
{
    bool memoryDenied = true;
    const auto stats = analyse(*m_client, 1, &memoryDenied);
    QVERIFY(!memoryDenied);
    const NamespaceStats user = stats.value("user:");
    QCOMPARE(user.keys, 203);
    QCOMPARE(user.buckets[Ttl5to15m] + user.buckets[Ttl15to60m], 200); // the 15 min cache
    QCOMPARE(user.buckets[TtlNone], 3);
    QVERIFY(user.possibleLeak()); // 3 forgotten keys among 200 that expire
    QVERIFY(user.memoryEstimate() > 0);
    const NamespaceStats shift = stats.value("shift:");
    QCOMPARE(shift.buckets[Ttl1to5m], 100); // the 5 min cache
    QCOMPARE(stats.value("analytics:").buckets[Ttl15to60m]
                 + stats.value("analytics:").buckets[Ttl1to24h],
             10);
    const NamespaceStats config = stats.value("config:");
    QCOMPARE(config.buckets[TtlNone], 1);
    QVERIFY(!config.possibleLeak()); // nothing there expires: configuration, not a leak
    QCOMPARE(stats.value("soon:").expiringSoon, 1);
    QCOMPARE(stats.value("").keys, 1); // registry
}

void TestCacheAnalysis::deeperNamespaces()
{
    const auto stats = analyse(*m_client, 2);
    QCOMPARE(stats.value("user:forgotten:").keys, 3);
    QCOMPARE(stats.value("user:").keys, 200); // user:<id> has no second separator
}

void TestCacheAnalysis::worksForAUserWithoutMemoryOrInfo()
{
    QVERIFY(run(*m_client, {"ACL", "SETUSER", "cachewatch", "on", ">pw", "~*", "+scan", "+pttl",
                            "+ping", "+client|setname", "-memory", "-info", "-config"})
                .ok());
    RedisClient limited(
        RedisUrl::parse(
            QStringLiteral("redis://cachewatch:pw@127.0.0.1:%1/0").arg(m_server->port()))
            .settings);
    limited.open();
    bool memoryDenied = false;
    const auto stats = analyse(limited, 1, &memoryDenied);
    QVERIFY(memoryDenied);
    QCOMPARE(stats.value("user:").keys, 203); // the rest works
    QCOMPARE(stats.value("user:").memoryEstimate(), qint64(-1));

    // The INFO poller says INFO is refused (the rates will not come); PING still measures.
    ServerStatusProbe probe(&limited);
    QSignalSpy refused(&probe, &ServerStatusProbe::infoRefused);
    QTRY_COMPARE(limited.state(), ConnectionState::Connected);
    probe.setInfoEverySample(true);
    probe.start(100);
    QVERIFY(refused.wait(5000));
    QVERIFY(refused.first().first().toString().contains(QLatin1String("NOPERM")));
    QVERIFY(probe.status().latencyMs >= 0);
}

void TestCacheAnalysis::ratesFollowHitsAndMisses()
{
    // As the Cache page gets them: the session's INFO poller, every sample, into the tracker.
    ServerStatusProbe probe(m_client.get());
    CacheRateTracker tracker;
    QList<CacheRates> samples;
    connect(&probe, &ServerStatusProbe::infoRead, this, [&](const ServerInfo &info, qint64 atMs) {
        if (const auto r = tracker.add(info, atMs))
            samples << *r;
    });
    probe.setInfoEverySample(true);
    probe.start(300);
    QTRY_VERIFY(!samples.isEmpty());
    const CacheRates before = samples.last();
    samples.clear();
    for (int i = 0; i < 30; ++i)
        m_client->send({"GET", "user:" + QByteArray::number(i)}, nullptr, {}); // hits
    for (int i = 0; i < 10; ++i)
        m_client->send({"GET", "nothing:" + QByteArray::number(i)}, nullptr, {}); // misses
    // However the lookups fall across sampling intervals, the intervals add up to them.
    QTRY_VERIFY_WITH_TIMEOUT(!samples.isEmpty() && samples.last().totalHits - before.totalHits == 30
                                 && samples.last().totalMisses - before.totalMisses == 10,
                             5000);
    double hits = 0, misses = 0;
    for (const CacheRates &r : samples) {
        QVERIFY(r.hitRatio == -1 || (r.hitRatio >= 0 && r.hitRatio <= 1));
        hits += r.hitsPerSecond;
        misses += r.missesPerSecond;
    }
    QVERIFY(hits > 0 && misses > 0);
    if (samples.size() == 1)
        QCOMPARE(samples.first().hitRatio, 0.75);
}

void TestCacheAnalysis::rateTrackerStartsOverWhenCountersGoBack()
{
    CacheRateTracker tracker;
    const auto info = [](int hits, int misses) {
        return ServerInfo::parse(
            QStringLiteral("# Stats\r\nkeyspace_hits:%1\r\nkeyspace_misses:%2\r\n")
                .arg(hits)
                .arg(misses)
                .toUtf8());
    };
    QVERIFY(!tracker.add(info(100, 10), 1000)); // the first reading has nothing to compare with
    const auto r = tracker.add(info(130, 20), 3000);
    QVERIFY(r);
    QCOMPARE(r->hitsPerSecond, 15.0);
    QCOMPARE(r->missesPerSecond, 5.0);
    QCOMPARE(r->hitRatio, 0.75);
    // CONFIG RESETSTAT or a restart: no negative rates, the next interval counts again.
    QVERIFY(!tracker.add(info(5, 1), 5000));
    QCOMPARE(tracker.add(info(9, 1), 7000)->hitsPerSecond, 2.0);
}

void TestCacheAnalysis::modelStaysConsistent()
{
    NamespaceStatsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    CacheAnalysisJob job(m_client.get(), ":", 1);
    connect(&job, &CacheAnalysisJob::updated, &model, [&] { model.setStats(job.snapshot()); });
    QSignalSpy finished(&job, &CacheAnalysisJob::finished);
    job.start();
    QVERIFY(finished.wait(30000));
    QCOMPARE(model.rowCount(), 6); // user:, shift:, analytics:, config:, soon:, (no namespace)
    const NamespaceStats *user = model.statsFor("user:");
    QVERIFY(user);
    QCOMPARE(user->keys, 203);
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.index(r, 0).data(NamespaceStatsModel::PrefixRole).toByteArray() == "user:") {
            QVERIFY(model.index(r, NamespaceStatsModel::NoteColumn)
                        .data()
                        .toString()
                        .contains(QLatin1String("possible leak")));
            QCOMPARE(model.index(r, NamespaceStatsModel::WithTtlColumn).data().toString(),
                     QStringLiteral("99%"));
        }
    }
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestCacheAnalysis)
#include "tst_cacheanalysis.moc"
