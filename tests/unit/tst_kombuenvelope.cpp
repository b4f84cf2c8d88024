#include "celery/kombuenvelope.h"
#include "celerycaptures.h"
#include "pubsub/payloaddetail.h"
#include "redis/monitorline.h"

#include <QTest>

#include <zlib.h>

using namespace bd;
using connectors::KombuEnvelope;

// Decoding kombu envelopes (celery.md §2) and MONITOR lines: pure functions over untrusted bytes.
class TestKombuEnvelope : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesTheCapturedTaskMessage();
    void decodesEventsAndPidbox();
    void bodyEncodingsAndCompression();
    void bodyEncodingsAndCompression_data();
    void malformedPayloadsAreReasonsNotCrashes();
    void malformedPayloadsAreReasonsNotCrashes_data();
    void detailSummarisesEvents();
    void parsesMonitorLines();
    void parsesMonitorLines_data();
};

namespace {

QByteArray envelope(const QByteArray &body, const QByteArray &contentType,
                    const QByteArray &bodyEncoding, const QByteArray &extraHeaders = {},
                    const QByteArray &exchange = "celeryev")
{
    const QByteArray encoded = bodyEncoding == "base64" ? body.toBase64() : body;
    nlohmann::json e{
        {"body", encoded.toStdString()},
        {"content-encoding", "utf-8"},
        {"content-type", contentType.toStdString()},
        {"headers", extraHeaders.isEmpty() ? nlohmann::json{{"hostname", "w1@vm"}}
                                           : nlohmann::json::parse(extraHeaders.toStdString())},
        {"properties",
         {{"delivery_mode", 1},
          {"delivery_info", {{"exchange", exchange.toStdString()}, {"routing_key", "task.multi"}}},
          {"priority", 0},
          {"delivery_tag", "3b3c3f0e-0000-4000-8000-000000000001"}}}};
    if (!bodyEncoding.isEmpty())
        e["properties"]["body_encoding"] = bodyEncoding.toStdString();
    return QByteArray::fromStdString(e.dump());
}

QByteArray zlibCompress(const QByteArray &data)
{
    uLongf size = compressBound(uLong(data.size()));
    QByteArray out(qsizetype(size), Qt::Uninitialized);
    compress(reinterpret_cast<Bytef *>(out.data()), &size,
             reinterpret_cast<const Bytef *>(data.constData()), uLong(data.size()));
    out.resize(qsizetype(size));
    return out;
}

} // namespace

void TestKombuEnvelope::decodesTheCapturedTaskMessage()
{
    const KombuEnvelope e = connectors::decodeKombuEnvelope(test::kCapturedTask);
    QVERIFY(e.isEnvelope);
    QCOMPARE(e.contentType, QStringLiteral("application/json"));
    QCOMPARE(e.bodyEncoding, QStringLiteral("base64"));
    QCOMPARE(e.bodyKind, KombuEnvelope::BodyKind::Json);
    QVERIFY(e.bodyError.isEmpty());
    QVERIFY(e.bodyJson[0] == nlohmann::json({2, 3}));
    QVERIFY(e.bodyJson[1].is_object() && e.bodyJson[1].empty());
    QVERIFY(e.bodyJson[2]["chain"].is_null());
    QCOMPARE(e.headers["task"].get<std::string>(), std::string("tasks.add"));
    QCOMPARE(e.properties["delivery_info"]["routing_key"].get<std::string>(),
             std::string("celery"));
}

void TestKombuEnvelope::decodesEventsAndPidbox()
{
    // A task.multi publish: the body is a JSON array of events (celery.md §5).
    const QByteArray events =
        R"([{"hostname": "w1@vm", "type": "task-received", "uuid": "a"}, )"
        R"({"hostname": "w1@vm", "type": "task-succeeded", "uuid": "a", "result": "5"}])";
    const KombuEnvelope e =
        connectors::decodeKombuEnvelope(envelope(events, "application/json", "base64"));
    QVERIFY(e.isEnvelope);
    QVERIFY(e.bodyJson.is_array());
    QCOMPARE(e.bodyJson.size(), size_t(2));
    QCOMPARE(e.bodyJson[1]["result"].get<std::string>(), std::string("5"));

    // The pidbox reply captured in celery.md §6.
    const QByteArray reply =
        R"({"body": "eyJ3MUB2bSI6IHsib2siOiAicG9uZyJ9fQ==", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"ticket": "b04b7382", "clock": 13}, "properties": {"delivery_mode": 1, "delivery_info": {"exchange": "reply.celery.pidbox", "routing_key": "063fb93b"}, "priority": 0, "body_encoding": "base64", "delivery_tag": "ff8ce60c"}})";
    const KombuEnvelope r = connectors::decodeKombuEnvelope(reply);
    QVERIFY(r.isEnvelope);
    QCOMPARE(r.bodyJson["w1@vm"]["ok"].get<std::string>(), std::string("pong"));
}

void TestKombuEnvelope::bodyEncodingsAndCompression_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("bodyError");

    const QByteArray json = R"([[1, "a"], {"k": 2.5}, {}])";
    QTest::newRow("json, plain string body (no body_encoding)")
        << envelope(json, "application/json", {}) << int(KombuEnvelope::BodyKind::Json) << json
        << false;
    QTest::newRow("json, zlib (application/x-gzip)")
        << envelope(zlibCompress(json), "application/json", "base64",
                    R"({"compression": "application/x-gzip"})")
        << int(KombuEnvelope::BodyKind::Json) << json << false;
    const QByteArray msgpack = QByteArray::fromHex("9392 01a1 61 81a1 6bcb 4004 0000 0000 0000 80");
    QTest::newRow("msgpack") << envelope(msgpack, "application/x-msgpack", "base64")
                             << int(KombuEnvelope::BodyKind::MessagePack) << msgpack << false;
    const QByteArray pickle = QByteArray::fromHex("80049505000000000000008c01619442");
    QTest::newRow("pickle stays bytes")
        << envelope(pickle, "application/x-python-serialize", "base64")
        << int(KombuEnvelope::BodyKind::Pickle) << pickle << false;
    const QByteArray yaml = "- - 1\n  - a\n- k: !!python/object:os.system ls\n";
    QTest::newRow("yaml stays text") << envelope(yaml, "application/x-yaml", "base64")
                                     << int(KombuEnvelope::BodyKind::Yaml) << yaml << false;
    QTest::newRow("bz2 is not inflated")
        << envelope("BZh91AY", "application/json", "base64",
                    R"({"compression": "application/x-bz2"})")
        << int(KombuEnvelope::BodyKind::Binary) << QByteArray("BZh91AY") << true;
    QTest::newRow("json content type, body not json")
        << envelope("{not json", "application/json", "base64") << int(KombuEnvelope::BodyKind::Text)
        << QByteArray("{not json") << true;
}

void TestKombuEnvelope::bodyEncodingsAndCompression()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, kind);
    QFETCH(QByteArray, body);
    QFETCH(bool, bodyError);
    const KombuEnvelope e = connectors::decodeKombuEnvelope(payload);
    QVERIFY(e.isEnvelope);
    QCOMPARE(int(e.bodyKind), kind);
    QCOMPARE(e.body, body);
    QCOMPARE(!e.bodyError.isEmpty(), bodyError);
    if (kind == int(KombuEnvelope::BodyKind::MessagePack))
        QCOMPARE(e.bodyJson[1]["k"].get<double>(), 2.5);
}

void TestKombuEnvelope::malformedPayloadsAreReasonsNotCrashes_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("isEnvelope");
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("plain text") << QByteArray("registry_updated") << false;
    QTest::newRow("json array") << QByteArray("[1,2]") << false;
    QTest::newRow("json object, not kombu")
        << QByteArray(R"({"event":"registry_updated"})") << false;
    QTest::newRow("truncated envelope")
        << test::kCapturedTask.left(test::kCapturedTask.size() / 2) << false;
    QTest::newRow("binary") << QByteArray::fromHex("00ff7b22626f6479223a") << false;
    QTest::newRow("bad base64")
        << envelope("x", "application/json", "base64").replace("eA==", "@@@") << true;
    QTest::newRow("zlib garbage") << envelope("not zlib at all", "application/json", "base64",
                                              R"({"compression": "application/x-gzip"})")
                                  << true;
    QTest::newRow("headers not an object") << QByteArray(
        R"({"body": "e30=", "headers": 7, "properties": {"body_encoding": "base64"}, "content-type": "application/json"})")
                                           << true;
    QTest::newRow("msgpack garbage")
        << envelope(QByteArray::fromHex("c1c1c1"), "application/x-msgpack", "base64") << true;
}

void TestKombuEnvelope::malformedPayloadsAreReasonsNotCrashes()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, isEnvelope);
    const KombuEnvelope e = connectors::decodeKombuEnvelope(payload);
    QCOMPARE(e.isEnvelope, isEnvelope);
    if (!isEnvelope)
        QVERIFY(!e.error.isEmpty());
    // The detail pane copes with every one of them, and always has the hex.
    const models::PayloadDetail d = models::describePayload(payload);
    QCOMPARE(d.isEnvelope, isEnvelope);
    QVERIFY(payload.isEmpty() || !d.hex.isEmpty());
}

void TestKombuEnvelope::detailSummarisesEvents()
{
    const QByteArray events =
        R"([{"hostname": "w1@vm", "type": "task-received"}, {"hostname": "w1@vm", "type": "task-succeeded"}, {"hostname": "w1@vm", "type": "task-succeeded"}])";
    const models::PayloadDetail d =
        models::describePayload(envelope(events, "application/json", "base64"));
    QVERIFY(d.isEnvelope);
    QCOMPARE(d.envelopeSummary,
             QStringLiteral("Celery event: task-received, task-succeeded ×2 from w1@vm"));
    QVERIFY(d.envelope.contains(QLatin1String("\"type\": \"task-received\"")));
    const models::PayloadDetail task = models::describePayload(test::kCapturedTask);
    QCOMPARE(task.envelopeSummary,
             QStringLiteral("Celery task tasks.add [11111111-1111-1111-1111-111111111111]"));
    const models::PayloadDetail pickle = models::describePayload(
        envelope(QByteArray::fromHex("8004950500"), "application/x-python-serialize", "base64"));
    QVERIFY(pickle.envelope.contains(QLatin1String("never deserialised")));
}

void TestKombuEnvelope::parsesMonitorLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("timeUs");
    QTest::addColumn<int>("db");
    QTest::addColumn<QByteArray>("client");
    QTest::addColumn<QList<QByteArray>>("args");
    QTest::newRow("set") << QByteArray(
        R"(1700000000.123456 [0 127.0.0.1:50312] "SET" "user:1" "v")")
                         << true << Q_INT64_C(1700000000123456) << 0
                         << QByteArray("127.0.0.1:50312")
                         << QList<QByteArray>{"SET", "user:1", "v"};
    QTest::newRow("escapes") << QByteArray(
        R"(1700000000.000001 [3 unix:/tmp/r.sock] "set" "a\"b\\c" "\x00\xff\n")")
                             << true << Q_INT64_C(1700000000000001) << 3
                             << QByteArray("unix:/tmp/r.sock")
                             << QList<QByteArray>{"set", "a\"b\\c", QByteArray("\x00\xff\n", 3)};
    QTest::newRow("lua") << QByteArray(R"(1700000000.5 [0 lua] "GET" "k")") << true
                         << Q_INT64_C(1700000000500000) << 0 << QByteArray("lua")
                         << QList<QByteArray>{"GET", "k"};
    QTest::newRow("ipv6") << QByteArray(R"(1.000000 [12 [::1]:6379] "PING")") << true
                          << Q_INT64_C(1000000) << 12 << QByteArray("[::1]:6379")
                          << QList<QByteArray>{"PING"};
    QTest::newRow("unterminated") << QByteArray(R"(1.0 [0 x:1] "GET" "k)") << false << Q_INT64_C(0)
                                  << 0 << QByteArray() << QList<QByteArray>{};
    QTest::newRow("bad hex") << QByteArray(R"(1.0 [0 x:1] "\xZZ")") << false << Q_INT64_C(0) << 0
                             << QByteArray() << QList<QByteArray>{};
    QTest::newRow("not monitor") << QByteArray("OK") << false << Q_INT64_C(0) << 0 << QByteArray()
                                 << QList<QByteArray>{};
    QTest::newRow("no args") << QByteArray("1.0 [0 x:1] ") << false << Q_INT64_C(0) << 0
                             << QByteArray() << QList<QByteArray>{};
    // Found by libFuzzer (UBSan: seconds * 1e6 overflowed); times no server writes.
    QTest::newRow("time overflows") << QByteArray(R"(17000000000000000.1 [0 x:1] "PING")") << false
                                    << Q_INT64_C(0) << 0 << QByteArray() << QList<QByteArray>{};
    QTest::newRow("negative time") << QByteArray(R"(-1.5 [0 x:1] "PING")") << false << Q_INT64_C(0)
                                   << 0 << QByteArray() << QList<QByteArray>{};
    QTest::newRow("negative fraction") << QByteArray(R"(1.-5 [0 x:1] "PING")") << false
                                       << Q_INT64_C(0) << 0 << QByteArray() << QList<QByteArray>{};
}

void TestKombuEnvelope::parsesMonitorLines()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, ok);
    const connectors::MonitorLine m = connectors::parseMonitorLine(line);
    QCOMPARE(m.ok, ok);
    if (!ok)
        return;
    QTEST(m.timeUs, "timeUs");
    QTEST(m.db, "db");
    QTEST(m.client, "client");
    QTEST(m.args, "args");
}

QTEST_GUILESS_MAIN(TestKombuEnvelope)
#include "tst_kombuenvelope.moc"
