// Bulk delete and bulk TTL by pattern against a real redis-server: exactly the matching keys
// are touched, counted before and after; neighbours with similar names are left alone.
#include "commandwait.h"
#include "redis/bulkkeyjob.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QSignalSpy>
#include <QTest>

using namespace bd::connectors;

namespace {

RedisResult run(RedisClient &client, const QList<QByteArray> &args)
{
    return bd::test::runCommand(client, args);
}

BulkKeyJob::Report runJob(RedisClient &client, BulkKeyJob::Action action, const QByteArray &pattern,
                          qint64 ttl = 0)
{
    BulkKeyJob job(&client, action, pattern, ttl);
    QSignalSpy finished(&job, &BulkKeyJob::finished);
    job.start();
    if (finished.isEmpty() && !finished.wait(60000))
        return {};
    return finished.first().first().value<BulkKeyJob::Report>();
}

} // namespace

class TestBulkKeyJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void dryRunCountsAndSamplesWithoutChanging();
    void deletesExactlyTheMatchingKeys();
    void setsTtlOnExactlyTheMatchingKeys();
    void stopsWhenCancelled();
    void readOnlyConnectionsChangeNothing();
    void refusesAnEmptyPattern();

private:
    void seed();
    qint64 dbsize() { return run(*m_client, {"DBSIZE"}).reply.toInteger(); }

    std::unique_ptr<bd::test::PrivateRedisServer> m_server;
    std::unique_ptr<RedisClient> m_client;
};

void TestBulkKeyJob::init()
{
    if (!m_server) {
        m_server = std::make_unique<bd::test::PrivateRedisServer>();
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        m_client = std::make_unique<RedisClient>(RedisUrl::parse(m_server->url()).settings);
        m_client->open();
    }
    seed();
}

void TestBulkKeyJob::seed()
{
    run(*m_client, {"FLUSHALL"});
    for (int i = 0; i < 3000; ++i)
        m_client->send({"SET", "session:" + QByteArray::number(i), "x"}, nullptr, {});
    // Near misses: a different separator, a prefix of the prefix, the pattern inside a name.
    for (const QByteArray &other :
         {QByteArray("sessions:1"), QByteArray("session"), QByteArray("user:session:1"),
          QByteArray("Session:1"), QByteArray("session-1")})
        m_client->send({"SET", other, "keep"}, nullptr, {});
    QCOMPARE(dbsize(), 3005);
}

void TestBulkKeyJob::dryRunCountsAndSamplesWithoutChanging()
{
    const BulkKeyJob::Report r = runJob(*m_client, BulkKeyJob::Action::DryRun, "session:*");
    QVERIFY2(!r.error.isError(), qPrintable(r.error.toString()));
    QCOMPARE(r.matched, 3000);
    QCOMPARE(r.affected, 0);
    QCOMPARE(r.samples.size(), BulkKeyJob::kSampleCount);
    for (const QByteArray &k : r.samples)
        QVERIFY(k.startsWith("session:"));
    QCOMPARE(dbsize(), 3005);
}

void TestBulkKeyJob::deletesExactlyTheMatchingKeys()
{
    const BulkKeyJob::Report r = runJob(*m_client, BulkKeyJob::Action::Delete, "session:*");
    QVERIFY2(!r.error.isError(), qPrintable(r.error.toString()));
    QCOMPARE(r.affected, 3000);
    QVERIFY(!r.cancelled);
    QCOMPARE(dbsize(), 5);
    for (const QByteArray &other :
         {QByteArray("sessions:1"), QByteArray("session"), QByteArray("user:session:1"),
          QByteArray("Session:1"), QByteArray("session-1")})
        QCOMPARE(run(*m_client, {"GET", other}).reply, RedisReply::string("keep"));
}

void TestBulkKeyJob::setsTtlOnExactlyTheMatchingKeys()
{
    const BulkKeyJob::Report r =
        runJob(*m_client, BulkKeyJob::Action::SetTtl, "session:1*", 120'000);
    QVERIFY2(!r.error.isError(), qPrintable(r.error.toString()));
    QCOMPARE(r.affected, 1111); // session:1, session:10…19, session:100…199, session:1000…1999
    const qint64 ttl = run(*m_client, {"PTTL", "session:1500"}).reply.toInteger();
    QVERIFY(ttl > 100'000 && ttl <= 120'000);
    QCOMPARE(run(*m_client, {"PTTL", "session:2500"}).reply.toInteger(), -1);
    QCOMPARE(run(*m_client, {"PTTL", "sessions:1"}).reply.toInteger(), -1);
    QCOMPARE(dbsize(), 3005);
}

void TestBulkKeyJob::stopsWhenCancelled()
{
    BulkKeyJob job(m_client.get(), BulkKeyJob::Action::Delete, "session:*");
    QSignalSpy finished(&job, &BulkKeyJob::finished);
    connect(&job, &BulkKeyJob::progress, &job, [&job](qint64, qint64 affected) {
        if (affected > 0)
            job.cancel();
    });
    job.start();
    QVERIFY(finished.wait(30000));
    const auto r = finished.first().first().value<BulkKeyJob::Report>();
    QVERIFY(r.cancelled);
    QVERIFY(r.affected > 0 && r.affected < 3000);
    QCOMPARE(dbsize(), 3005 - r.affected); // the report says exactly what was done
}

void TestBulkKeyJob::readOnlyConnectionsChangeNothing()
{
    ConnectionSettings s = RedisUrl::parse(m_server->url()).settings;
    s.readOnly = true;
    RedisClient readOnly(s);
    readOnly.open();
    const BulkKeyJob::Report r = runJob(readOnly, BulkKeyJob::Action::Delete, "session:*");
    QCOMPARE(r.error.kind, RedisError::Kind::ReadOnlyRefused);
    QCOMPARE(r.affected, 0);
    QCOMPARE(dbsize(), 3005);
    // A dry run only reads: it works on a read-only profile.
    QCOMPARE(runJob(readOnly, BulkKeyJob::Action::DryRun, "session:*").matched, 3000);
}

void TestBulkKeyJob::refusesAnEmptyPattern()
{
    const BulkKeyJob::Report r = runJob(*m_client, BulkKeyJob::Action::Delete, "");
    QCOMPARE(r.error.kind, RedisError::Kind::InvalidArguments);
    QCOMPARE(dbsize(), 3005);
}

QTEST_GUILESS_MAIN(TestBulkKeyJob)
#include "tst_bulkkeyjob.moc"
