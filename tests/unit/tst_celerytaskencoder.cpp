#include "celery/celerytaskencoder.h"
#include "celery/celerytaskmessage.h"

#include <QTest>
#include <QUuid>

using namespace bd;
using connectors::CeleryTaskRequest;
using nlohmann::json;

// The task messages Brokerdesk writes: every field Celery 5 writes, read back by the decoder,
// and refusals for what would kill a worker or never run.
class TestCeleryTaskEncoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesAFullProtocol2Message();
    void priorityBucketsAndPrefix_data();
    void priorityBucketsAndPrefix();
    void reprsAsPythonWritesThem_data();
    void reprsAsPythonWritesThem();
    void refusesWhatWouldFail_data();
    void refusesWhatWouldFail();
};

void TestCeleryTaskEncoder::writesAFullProtocol2Message()
{
    CeleryTaskRequest r;
    r.task = QStringLiteral("tasks.add");
    r.args = json::array({2, 3});
    r.kwargs = json{{"name", "Zoë"}};
    r.queue = QStringLiteral("reports");
    r.priority = 4;
    const QDateTime now =
        QDateTime::fromString(QStringLiteral("2026-11-22T02:51:00Z"), Qt::ISODate);
    r.eta = now.addSecs(60);
    r.expires = now.addSecs(600);
    r.replayOf = QStringLiteral("66666666-6666-6666-6666-666666666666");
    const connectors::EncodedCeleryTask e = connectors::encodeCeleryTask(r, "myapp:", now);
    QVERIFY2(e.ok, qPrintable(e.error));
    QCOMPARE(e.listKey, QByteArray("myapp:reports\x06\x16"
                                   "3"));
    QCOMPARE(QUuid::fromString(e.id).version(), QUuid::Random);
    QVERIFY(e.deliveryTag != e.id);

    const json raw = json::parse(e.envelope.toStdString());
    for (const char *key :
         {"lang", "task", "id", "shadow", "eta", "expires", "group", "group_index", "retries",
          "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin", "ignore_result"})
        QVERIFY2(raw["headers"].contains(key), key); // every v2 header (celery.md §3.1)
    QCOMPARE(raw["headers"]["eta"].get<std::string>(),
             std::string("2026-11-22T02:52:00.000000+00:00"));
    QVERIFY(raw["headers"]["origin"].get<std::string>().starts_with("brokerdesk@"));
    QCOMPARE(raw["properties"]["delivery_info"]["routing_key"].get<std::string>(),
             std::string("reports"));
    QCOMPARE(raw["properties"]["delivery_info"]["exchange"].get<std::string>(), std::string(""));
    QCOMPARE(raw["properties"]["correlation_id"].get<std::string>(), e.id.toStdString());
    QCOMPARE(raw["properties"]["delivery_mode"].get<int>(), 2);

    const connectors::CeleryTaskMessage m = connectors::decodeCeleryTaskMessage(e.envelope);
    QVERIFY2(m.isTask, qPrintable(m.error));
    QCOMPARE(m.protocol, 2);
    QCOMPARE(m.id, e.id);
    QCOMPARE(m.rootId, e.id);
    QVERIFY(m.args == json({2, 3}));
    QCOMPARE(QString::fromStdString(m.kwargs["name"].get<std::string>()), QStringLiteral("Zoë"));
    QCOMPARE(m.argsRepr, QStringLiteral("(2, 3)"));
    QCOMPARE(m.kwargsRepr, QStringLiteral("{'name': 'Zoë'}"));
    QCOMPARE(m.priority, qint64(4));
    QCOMPARE(m.expires, QStringLiteral("2026-11-22T03:01:00.000000+00:00"));
    QCOMPARE(m.envelope.headers["brokerdesk_replay_of"].get<std::string>(),
             r.replayOf.toStdString());
}

void TestCeleryTaskEncoder::priorityBucketsAndPrefix_data()
{
    QTest::addColumn<int>("priority");
    QTest::addColumn<QByteArray>("key");
    QTest::newRow("0") << 0 << QByteArray("celery");
    QTest::newRow("2") << 2 << QByteArray("celery");
    QTest::newRow("3") << 3
                       << QByteArray("celery\x06\x16"
                                     "3");
    QTest::newRow("5") << 5
                       << QByteArray("celery\x06\x16"
                                     "3");
    QTest::newRow("6") << 6
                       << QByteArray("celery\x06\x16"
                                     "6");
    QTest::newRow("8") << 8
                       << QByteArray("celery\x06\x16"
                                     "6");
    QTest::newRow("9") << 9
                       << QByteArray("celery\x06\x16"
                                     "9");
}

void TestCeleryTaskEncoder::priorityBucketsAndPrefix()
{
    QFETCH(int, priority);
    QFETCH(QByteArray, key);
    QCOMPARE(connectors::priorityListKey("celery", priority), key);
    QCOMPARE(connectors::priorityListKey("celery", priority, "p:"), "p:" + key);
}

void TestCeleryTaskEncoder::reprsAsPythonWritesThem_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("tuple");
    QTest::addColumn<QString>("repr");
    QTest::newRow("empty args") << QByteArray("[]") << true << QStringLiteral("()");
    QTest::newRow("one arg") << QByteArray("[1]") << true << QStringLiteral("(1,)");
    QTest::newRow("mixed") << QByteArray(R"([1, "two", null, true, 2.5, [false]])") << true
                           << QStringLiteral("(1, 'two', None, True, 2.5, [False])");
    QTest::newRow("kwargs") << QByteArray(R"({"k": [1, 2]})") << false
                            << QStringLiteral("{'k': [1, 2]}");
    QTest::newRow("quote inside") << QByteArray(R"(["it's"])") << true
                                  << QStringLiteral("(\"it's\",)");
    QTest::newRow("both quotes") << QByteArray(R"(["it's \"x\""])") << true
                                 << QStringLiteral("('it\\'s \"x\"',)");
    QTest::newRow("control") << QByteArray(R"(["a\nb\u0001"])") << true
                             << QStringLiteral("('a\\nb\\x01',)");
}

void TestCeleryTaskEncoder::reprsAsPythonWritesThem()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, tuple);
    QFETCH(QString, repr);
    QCOMPARE(connectors::pythonRepr(json::parse(value.toStdString()), tuple), repr);
}

void TestCeleryTaskEncoder::refusesWhatWouldFail_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("why");
    QTest::newRow("no name") << QStringLiteral("name") << QStringLiteral("task name is needed");
    QTest::newRow("args object") << QStringLiteral("args")
                                 << QStringLiteral("args must be a JSON array");
    QTest::newRow("kwargs array") << QStringLiteral("kwargs")
                                  << QStringLiteral("kwargs must be a JSON object");
    QTest::newRow("priority 10") << QStringLiteral("priority") << QStringLiteral("0 to 9");
    QTest::newRow("expired") << QStringLiteral("expired")
                             << QStringLiteral("expire before it is sent");
    QTest::newRow("expires before eta")
        << QStringLiteral("order") << QStringLiteral("before its ETA");
    QTest::newRow("no queue") << QStringLiteral("queue") << QStringLiteral("queue is needed");
}

void TestCeleryTaskEncoder::refusesWhatWouldFail()
{
    QFETCH(QString, what);
    QFETCH(QString, why);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    CeleryTaskRequest r;
    r.task = QStringLiteral("tasks.add");
    if (what == QLatin1String("name"))
        r.task = QStringLiteral("  ");
    else if (what == QLatin1String("args"))
        r.args = json::object();
    else if (what == QLatin1String("kwargs"))
        r.kwargs = json::array();
    else if (what == QLatin1String("priority"))
        r.priority = 10;
    else if (what == QLatin1String("expired"))
        r.expires = now.addSecs(-1);
    else if (what == QLatin1String("order")) {
        r.eta = now.addSecs(600);
        r.expires = now.addSecs(60);
    } else if (what == QLatin1String("queue"))
        r.queue.clear();
    const connectors::EncodedCeleryTask e = connectors::encodeCeleryTask(r, {}, now);
    QVERIFY(!e.ok);
    QVERIFY(e.envelope.isEmpty());
    QVERIFY2(e.error.contains(why), qPrintable(e.error));
}

QTEST_GUILESS_MAIN(TestCeleryTaskEncoder)
#include "tst_celerytaskencoder.moc"
