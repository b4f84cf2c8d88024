// A stock Celery worker executes a task message that Brokerdesk's connector writes to Redis
// (the minimal message of protocol/celery.md §3.3), and stores its result where the connector
// reads it back. Proves the worker helper that the Celery features' tests build on.
#include "celeryworker.h"
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
};

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
