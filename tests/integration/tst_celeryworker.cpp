// A stock Celery worker executes a task message that Brokerdesk's connector writes to Redis
// (the minimal message of protocol/celery.md §3.3), and stores its result where the connector
// reads it back. Proves the worker helper that the Celery features' tests build on.
#include "celery/celerytaskencoder.h"
#include "celeryworker.h"
#include "commandwait.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace bd::connectors;

class TestCeleryWorker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workerRunsAMessageWrittenByTheConnector();
    void workerRunsWhatTheEncoderWrites();
};

namespace {

// The result meta of a task once it is final (SUCCESS or FAILURE), or an empty object.
QJsonObject finalMeta(RedisClient &client, const QString &id, int timeoutMs = 30000)
{
    QJsonObject meta;
    const bool final = QTest::qWaitFor(
        [&] {
            const RedisResult r = bd::test::runCommand(client, {"GET", "celery-task-meta-" + id.toLatin1()});
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

void TestCeleryWorker::workerRunsWhatTheEncoderWrites()
{
    bd::test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    bd::test::CeleryWorker worker(server.url(0));
    QVERIFY2(worker.start(), qPrintable(worker.log()));
    RedisClient client(RedisUrl::parse(server.url(0)).settings);
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
    QCOMPARE(first.listKey, QByteArray("celery\x06\x16" "6"));
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
    QDateTime done = QDateTime::fromString(meta.value(QStringLiteral("date_done")).toString(), Qt::ISODateWithMs);
    done.setTimeSpec(Qt::UTC); // Celery writes naive UTC (celery.md §4)
    QVERIFY2(done >= eta.addMSecs(-100), qPrintable(done.toString(Qt::ISODateWithMs) + QLatin1String(" < ")
                                                      + eta.toString(Qt::ISODateWithMs)));
    worker.stop();
    QVERIFY(worker.log().contains(QStringLiteral("Task tasks.celery_tasks.add[%1] received").arg(first.id)));
}

void TestCeleryWorker::workerRunsAMessageWrittenByTheConnector()
{
    bd::test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    bd::test::CeleryWorker worker(server.url(0));
    QVERIFY2(worker.start(), qPrintable(worker.log()));

    RedisClient client(RedisUrl::parse(server.url(0)).settings);
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

    QJsonObject meta;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QFuture<RedisResult> get = client.send({"GET", "celery-task-meta-" + id});
            if (!QTest::qWaitFor([&] { return get.isFinished(); }, 5000)
                || !get.result().reply.isString())
                return false;
            meta = QJsonDocument::fromJson(get.result().reply.bytes()).object();
            return meta.value(QStringLiteral("status")).toString() == QLatin1String("SUCCESS");
        }(),
        30000);
    QCOMPARE(meta.value(QStringLiteral("result")).toInt(), 5);
    QCOMPARE(meta.value(QStringLiteral("name")).toString(),
             QStringLiteral("tasks.celery_tasks.add"));
    worker.stop(); // warm shutdown, and the rest of its log
    QVERIFY(worker.log().contains(
        QStringLiteral("Task tasks.celery_tasks.add[%1] received").arg(QString::fromLatin1(id))));
}

QTEST_GUILESS_MAIN(TestCeleryWorker)
#include "tst_celeryworker.moc"
