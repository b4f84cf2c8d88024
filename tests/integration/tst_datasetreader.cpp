// DatasetReader against the fixture's redis-server (db 19): a large string in GETRANGE chunks,
// the size limit, a hash of JSON records, a key pattern, wrong types and a missing key.
#include "commandwait.h"
#include "data/datasetreader.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QTest>

using namespace bd::connectors;
using bd::test::RedisFixture;
using bd::test::runCommand;

class TestDatasetReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void largeStringIsReadInChunks();
    void pastTheLimitIsRefusedUntilRaised();
    void hashOfJsonRecords();
    void keyPatternReadsHashesAndJsonStrings();
    void wrongTypeAndMissingKeyAreSaid();

private:
    DatasetRead read(const DatasetDefinition &d, const DatasetReadOptions &options = {});

    std::unique_ptr<RedisClient> m_client;
};

void TestDatasetReader::initTestCase()
{
    const RedisFixture fixture = RedisFixture::load();
    QVERIFY2(fixture.ok, qPrintable(fixture.error));
    m_client = std::make_unique<RedisClient>(RedisUrl::parse(fixture.url(19)).settings);
    m_client->open();
    QVERIFY(runCommand(*m_client, {"FLUSHDB"}).ok());
}

DatasetRead TestDatasetReader::read(const DatasetDefinition &d, const DatasetReadOptions &options)
{
    DatasetReader reader(m_client.get());
    DatasetRead out;
    bool done = false;
    reader.read(d, options, this, [&](const DatasetRead &r) {
        out = r;
        done = true;
    });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
    }();
    return out;
}

static QByteArray records(int count)
{
    QByteArray json = "[";
    for (int i = 0; i < count; ++i)
        json += (i ? "," : "") + QByteArray(R"({"id":)") + QByteArray::number(i)
                + R"(,"name":"Сотрудник )" + QByteArray::number(i) + R"(","note":")"
                + QByteArray(40, 'x') + "\"}";
    return json + "]";
}

void TestDatasetReader::largeStringIsReadInChunks()
{
    const QByteArray json = records(30000); // about 2.6 MB
    QVERIFY(runCommand(*m_client, {"SET", "ds:big", json, "EX", "600"}).ok());
    DatasetDefinition d;
    d.key = "ds:big";
    d.idField = QStringLiteral("id");
    DatasetReadOptions options;
    options.chunkBytes = 64 * 1024; // 40-odd GETRANGEs
    const DatasetRead r = read(d, options);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(r.table);
    QCOMPARE(r.table->recordCount(), 30000);
    QCOMPARE(r.table->bytes, json.size());
    QCOMPARE(r.table->cell(29999, r.table->columnOf(QStringLiteral("name"))),
             QStringLiteral("Сотрудник 29999"));
    QCOMPARE(r.size, json.size());
    QVERIFY(r.pttlMs > 590000 && r.pttlMs <= 600000);
    QCOMPARE(r.type, QByteArray("string"));
}

void TestDatasetReader::pastTheLimitIsRefusedUntilRaised()
{
    const QByteArray json = records(30000);
    QVERIFY(runCommand(*m_client, {"SET", "ds:limit", json}).ok());
    DatasetDefinition d;
    d.key = "ds:limit";
    DatasetReadOptions options;
    options.maxBytes = 1 << 20;
    DatasetRead r = read(d, options);
    QVERIFY(r.tooLarge);
    QVERIFY(!r.table);
    QVERIFY2(r.error.contains(QLatin1String("more than the 1.0 MB limit")), qPrintable(r.error));
    options.maxBytes = 4 << 20;
    r = read(d, options);
    QVERIFY(!r.tooLarge);
    QCOMPARE(r.table->recordCount(), 30000);
    QCOMPARE(r.pttlMs, -1); // no TTL
}

void TestDatasetReader::hashOfJsonRecords()
{
    QVERIFY(runCommand(*m_client, {"DEL", "ds:hash"}).ok());
    QVERIFY(runCommand(*m_client, {"HSET", "ds:hash", "e1", R"({"id":1,"name":"Анна"})", "e2",
                                   "{broken", "e3", "[1]", "e4", R"({"id":2,"name":"Lars"})"})
                .ok());
    DatasetDefinition d;
    d.source = DatasetDefinition::Source::JsonHash;
    d.key = "ds:hash";
    d.idField = QStringLiteral("id");
    const DatasetRead r = read(d);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.table->recordCount(), 2);
    QCOMPARE(r.table->problemCount(), 2);
    QStringList problems;
    for (const DatasetProblem &p : r.table->problems())
        problems << p.text;
    problems.sort();
    QVERIFY2(problems.at(0).startsWith(QLatin1String("field e2: not valid JSON at line 1")),
             qPrintable(problems.at(0)));
    QCOMPARE(problems.at(1), QStringLiteral("field e3: an array, not an object"));
    QStringList origins;
    for (qsizetype i = 0; i < r.table->recordCount(); ++i)
        origins << QString::fromUtf8(r.table->record(i).origin);
    origins.sort();
    QCOMPARE(origins, QStringList({QStringLiteral("e1"), QStringLiteral("e4")}));
}

void TestDatasetReader::keyPatternReadsHashesAndJsonStrings()
{
    QVERIFY(runCommand(*m_client, {"HSET", "ds:emp:1", "id", "1", "name", "Иван"}).ok());
    QVERIFY(runCommand(*m_client, {"EXPIRE", "ds:emp:1", "100"}).ok());
    QVERIFY(
        runCommand(*m_client, {"SET", "ds:emp:2", R"({"id":2,"name":"Emma"})", "EX", "50"}).ok());
    QVERIFY(runCommand(*m_client, {"RPUSH", "ds:emp:3", "not a record"}).ok());
    QVERIFY(runCommand(*m_client, {"SET", "ds:emp:4", "plain text"}).ok());
    DatasetDefinition d;
    d.source = DatasetDefinition::Source::KeyPattern;
    d.key = "ds:emp:*";
    d.idField = QStringLiteral("id");
    const DatasetRead r = read(d);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.table->recordCount(), 2);
    QCOMPARE(r.table->record(0).origin, QByteArray("ds:emp:1")); // keys in name order
    QCOMPARE(r.table->cell(0, r.table->columnOf(QStringLiteral("name"))), QStringLiteral("Иван"));
    QCOMPARE(r.table->id(1), QStringLiteral("2"));
    QCOMPARE(r.table->problemCount(), 1); // ds:emp:4 is no JSON; the list is no record
    QVERIFY(
        r.table->problems().at(0).text.startsWith(QLatin1String("key ds:emp:4: not valid JSON")));
    QVERIFY(r.pttlMs > 40000 && r.pttlMs <= 50000); // the soonest
}

void TestDatasetReader::wrongTypeAndMissingKeyAreSaid()
{
    DatasetDefinition d;
    d.key = "ds:hash";
    DatasetRead r = read(d);
    QVERIFY(!r.table);
    QVERIFY2(r.error.contains(QLatin1String("is a hash"))
                 && r.error.contains(QLatin1String("json-hash")),
             qPrintable(r.error));
    d.key = "ds:none";
    r = read(d);
    QVERIFY(r.missing);
    QCOMPARE(r.pttlMs, -2);
    d.source = DatasetDefinition::Source::KeyPattern;
    d.key = "ds:nothing:*";
    r = read(d);
    QVERIFY(r.missing);
}

QTEST_GUILESS_MAIN(TestDatasetReader)
#include "tst_datasetreader.moc"
