#include "celery/celeryevent.h"
#include "celery/celeryresultfollower.h"
#include "celery/celerytaskmessage.h"
#include "celery/workerinspection.h"
#include "celerycaptures.h"
#include "codec/untrustedjson.h"

#include <QTest>

using namespace bd;
using connectors::CeleryEvent;
using connectors::CeleryEventBatch;
using connectors::CeleryTaskMessage;
using connectors::decodeCeleryEvents;
using connectors::decodePidboxMessage;
using connectors::PidboxMessage;
using nlohmann::json;

// Task messages decoded field by field, from real Celery captures and from broken ones.
class TestCeleryTaskMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void protocol2AsCeleryWroteIt();
    void protocol1AsCeleryWroteIt();
    void chainsComeNextStepFirst();
    void pickleShowsTheReprOnly();
    void prioritiesAndChordCallbacks();
    void resultMetasAsCeleryStoresThem();
    void eventsSingleAndBatched();
    void remoteControlRequestsAndReplies();
    void inspectRepliesReadAndSecretsHidden();
    void brokenMessagesSayWhy_data();
    void brokenMessagesSayWhy();
};

namespace {

QByteArray envelope(const QByteArray &headers, const QByteArray &body,
                    const QByteArray &contentType = "application/json", int priority = 0,
                    const QByteArray &queue = "celery")
{
    json e{{"body", body.toBase64().toStdString()},
           {"content-encoding", "utf-8"},
           {"content-type", contentType.toStdString()},
           {"headers", json::parse(headers.toStdString())},
           {"properties",
            {{"correlation_id", "x"},
             {"delivery_mode", 2},
             {"delivery_info", {{"exchange", ""}, {"routing_key", queue.toStdString()}}},
             {"priority", priority},
             {"body_encoding", "base64"},
             {"delivery_tag", "557ec495-f999-41e5-8bb6-8dd6f69d0102"}}}};
    return QByteArray::fromStdString(e.dump());
}

} // namespace

namespace {

// An envelope as Celery publishes events and pidbox messages (celery.md §5, §6).
QByteArray controlEnvelope(const QByteArray &headers, const QByteArray &body, const char *exchange,
                           const char *key)
{
    json e{{"body", body.toBase64().toStdString()},
           {"content-encoding", "utf-8"},
           {"content-type", "application/json"},
           {"headers", json::parse(headers.toStdString())},
           {"properties",
            {{"delivery_mode", 1},
             {"delivery_info", {{"exchange", exchange}, {"routing_key", key}}},
             {"priority", 0},
             {"body_encoding", "base64"},
             {"delivery_tag", "ff8ce60c-336d-4467-8eca-4ce4e17b6dad"}}}};
    return QByteArray::fromStdString(e.dump());
}

} // namespace

void TestCeleryTaskMessage::eventsSingleAndBatched()
{
    // A producer's task-sent (03_events_decoded.txt, line 1): one object.
    const QByteArray sent =
        R"j({"hostname": "gen9194@vm", "utcoffset": 0, "pid": 9194, "clock": 1, "uuid": "11111111-1111-1111-1111-111111111111", "root_id": "11111111-1111-1111-1111-111111111111", "parent_id": null, "name": "tasks.add", "args": "(2, 3)", "kwargs": "{}", "retries": 0, "eta": null, "expires": null, "queue": "celery", "exchange": "", "routing_key": "celery", "timestamp": 1795315882.9889648, "type": "task-sent"})j";
    CeleryEventBatch batch = decodeCeleryEvents(
        controlEnvelope(R"j({"hostname": "gen9194@vm"})j", sent, "celeryev", "task.sent"));
    QVERIFY2(batch.ok, qPrintable(batch.error));
    QCOMPARE(batch.events.size(), 1);
    const CeleryEvent &e = batch.events.first();
    QCOMPARE(e.type, QStringLiteral("task-sent"));
    QVERIFY(e.isTaskEvent());
    QCOMPARE(e.hostname, QStringLiteral("gen9194@vm"));
    QCOMPARE(e.uuid, QStringLiteral("11111111-1111-1111-1111-111111111111"));
    QCOMPARE(e.clock, qint64(1));
    QCOMPARE(e.pid, qint64(9194));
    QCOMPARE(e.timestamp, 1795315882.9889648);
    QCOMPARE(e.args, QStringLiteral("(2, 3)")); // a repr, as events carry them
    QCOMPARE(e.name, QStringLiteral("tasks.add"));
    QCOMPARE(e.retries, qint64(0));
    QCOMPARE(e.routingKey, QStringLiteral("celery"));
    QVERIFY(e.eta.isEmpty());
    QCOMPARE(e.malformed, 0u);

    // A worker's task.multi: an array, one element of which is not an event.
    const QByteArray multi =
        R"j([{"hostname": "w1@vm", "utcoffset": 0, "pid": 9515, "clock": 8, "uuid": "11111111-1111-1111-1111-111111111111", "result": "5", "runtime": 0.0111886, "timestamp": 1795315898.1488771, "type": "task-succeeded"},)j"
        R"j( {"hostname": "w1@vm", "uuid": "x", "timestamp": 1795315898.2, "type": "task-started"}, 7])j";
    batch = decodeCeleryEvents(
        controlEnvelope(R"j({"hostname": "w1@vm"})j", multi, "celeryev", "task.multi"));
    QVERIFY(batch.ok);
    QCOMPARE(batch.events.size(), 2);
    QCOMPARE(batch.skipped, 1);
    QCOMPARE(batch.events[0].type, QStringLiteral("task-succeeded"));
    QCOMPARE(batch.events[0].result, QStringLiteral("5"));
    QCOMPARE(batch.events[0].runtime, 0.0111886);
    QCOMPARE(batch.events[1].type, QStringLiteral("task-started"));

    // RabbitMQ: the bare JSON, no envelope (25_rmq_events.txt).
    batch = decodeCeleryEvents(
        R"j([{"hostname": "w1@vm", "type": "worker-heartbeat", "freq": 2.0, "active": 0}])j");
    QVERIFY(batch.ok);
    QVERIFY(batch.events.first().isWorkerEvent());
    QCOMPARE(batch.events.first().freq, 2.0);
    QCOMPARE(batch.events.first().active, qint64(0));

    // Not events: said, never thrown.
    QVERIFY(!decodeCeleryEvents("garbage").ok);
    QVERIFY(!decodeCeleryEvents(R"j({"hostname": "w1@vm"})j").ok);
    QVERIFY(!decodeCeleryEvents("[1, 2]").ok);
    QVERIFY(decodeCeleryEvents(controlEnvelope("{}", "\x80\x04K\x05.", "celeryev", "task.multi"))
                .error.size()
            > 0);
}

void TestCeleryTaskMessage::remoteControlRequestsAndReplies()
{
    // 05_cli_pidbox_decoded.txt: celery inspect ping, and w1@vm's reply.
    const QByteArray request =
        R"j({"method": "ping", "arguments": {}, "destination": null, "pattern": null, "matcher": null, "ticket": "b04b7382-fd51-4d34-9a6d-1cf4457c393c", "reply_to": {"exchange": "reply.celery.pidbox", "routing_key": "063fb93b-8f06-3b97-b1cd-39f1f5991da6"}})j";
    PidboxMessage m = decodePidboxMessage(controlEnvelope(
        R"j({"clock": 1, "expires": 1795315963.1065505})j", request, "celery.pidbox", ""));
    QCOMPARE(m.kind, PidboxMessage::Kind::Request);
    QCOMPARE(m.method, QStringLiteral("ping"));
    QVERIFY(m.destination.isEmpty());
    QCOMPARE(m.ticket, QStringLiteral("b04b7382-fd51-4d34-9a6d-1cf4457c393c"));
    QCOMPARE(m.replyExchange, QStringLiteral("reply.celery.pidbox"));
    QCOMPARE(m.replyRoutingKey, QStringLiteral("063fb93b-8f06-3b97-b1cd-39f1f5991da6"));

    m = decodePidboxMessage(
        controlEnvelope(R"j({"ticket": "b04b7382-fd51-4d34-9a6d-1cf4457c393c", "clock": 13})j",
                        R"j({"w1@vm": {"ok": "pong"}})j", "reply.celery.pidbox",
                        "063fb93b-8f06-3b97-b1cd-39f1f5991da6"));
    QCOMPARE(m.kind, PidboxMessage::Kind::Reply);
    QCOMPARE(m.node, QStringLiteral("w1@vm"));
    QVERIFY(m.answer == json({{"ok", "pong"}}));
    QCOMPARE(m.ticket, QStringLiteral("b04b7382-fd51-4d34-9a6d-1cf4457c393c"));

    // A revoke aimed at some workers.
    m = decodePidboxMessage(controlEnvelope(
        "{}",
        R"j({"method": "revoke", "arguments": {"task_id": ["a"]}, "destination": ["w1@vm", "w2@vm"]})j",
        "celery.pidbox", ""));
    QCOMPARE(m.destination, (QStringList{QStringLiteral("w1@vm"), QStringLiteral("w2@vm")}));
    QVERIFY(m.arguments["task_id"] == json::array({"a"}));
    QVERIFY(m.ticket.isEmpty()); // a cast: no reply wanted

    QCOMPARE(decodePidboxMessage(R"j({"method": 3})j").kind, PidboxMessage::Kind::Invalid);
    QCOMPARE(decodePidboxMessage(R"j({"a": 1, "b": 2})j").kind, PidboxMessage::Kind::Invalid);
    QCOMPARE(decodePidboxMessage("not json").kind, PidboxMessage::Kind::Invalid);
    QVERIFY(!decodePidboxMessage("[]").error.isEmpty());
}

void TestCeleryTaskMessage::protocol2AsCeleryWroteIt()
{
    const CeleryTaskMessage m = connectors::decodeCeleryTaskMessage(test::kCapturedTask);
    QVERIFY2(m.isTask, qPrintable(m.error));
    QCOMPARE(m.protocol, 2);
    QCOMPARE(m.task, QStringLiteral("tasks.add"));
    QCOMPARE(m.id, QStringLiteral("11111111-1111-1111-1111-111111111111"));
    QCOMPARE(m.rootId, m.id);
    QVERIFY(m.parentId.isEmpty());
    QVERIFY(m.argsDecoded);
    QVERIFY(m.args == json({2, 3}));
    QVERIFY(m.kwargs == json::object());
    QCOMPARE(m.argsRepr, QStringLiteral("(2, 3)"));
    QCOMPARE(m.kwargsRepr, QStringLiteral("{}"));
    QCOMPARE(m.origin, QStringLiteral("gen9194@vm"));
    QCOMPARE(m.retries, qint64(0));
    QVERIFY(m.eta.isEmpty() && m.expires.isEmpty());
    QVERIFY(m.timelimit == json({nullptr, nullptr}));
    QCOMPARE(m.routingKey, QStringLiteral("celery"));
    QCOMPARE(m.exchange, QString());
    QCOMPARE(m.deliveryTag, QStringLiteral("557ec495-f999-41e5-8bb6-8dd6f69d0102"));
    QCOMPARE(m.priority, qint64(0));
    QVERIFY(m.nextSteps.isEmpty() && !m.chordCallback && m.callbacks.isEmpty());
}

void TestCeleryTaskMessage::protocol1AsCeleryWroteIt()
{
    const CeleryTaskMessage m = connectors::decodeCeleryTaskMessage(test::kCapturedProtocol1);
    QVERIFY2(m.isTask, qPrintable(m.error));
    QCOMPARE(m.protocol, 1);
    QCOMPARE(m.task, QStringLiteral("tasks.add"));
    QCOMPARE(m.id, QStringLiteral("10101010-1010-1010-1010-101010101010"));
    QVERIFY(m.args == json({5, 6}));
    QCOMPARE(m.eta, QStringLiteral("2026-11-22T02:55:30.663204+00:00"));
    QCOMPARE(m.routingKey, QStringLiteral("v1q"));
    QVERIFY(m.argsRepr.isEmpty()); // protocol 1 has none
}

void TestCeleryTaskMessage::chainsComeNextStepFirst()
{
    const CeleryTaskMessage m = connectors::decodeCeleryTaskMessage(
        envelope(test::kCapturedChainHeaders, test::kCapturedChainBody));
    QVERIFY2(m.isTask, qPrintable(m.error));
    QCOMPARE(m.nextSteps.size(), 2);
    // Celery stores the chain reversed: add(10) runs next, then echo.
    QCOMPARE(m.nextSteps[0].task, QStringLiteral("tasks.add"));
    QVERIFY(m.nextSteps[0].args == json({10}));
    QCOMPARE(m.nextSteps[0].taskId, QStringLiteral("0fc25009-e2eb-42e8-8826-07aa068b709d"));
    QCOMPARE(m.nextSteps[1].task, QStringLiteral("tasks.echo"));
}

void TestCeleryTaskMessage::pickleShowsTheReprOnly()
{
    const QByteArray headers =
        R"json({"task": "tasks.echo", "id": "p1", "argsrepr": "(1, 'a')", "kwargsrepr": "{'k': 2.5}"})json";
    const CeleryTaskMessage m = connectors::decodeCeleryTaskMessage(
        envelope(headers, QByteArray::fromHex("80049516000000000000008c"),
                 "application/x-python-serialize"));
    QVERIFY2(m.isTask, qPrintable(m.error));
    QVERIFY(!m.argsDecoded);
    QCOMPARE(m.argsRepr, QStringLiteral("(1, 'a')"));
    QCOMPARE(m.kwargsRepr, QStringLiteral("{'k': 2.5}"));
    QCOMPARE(m.envelope.bodyKind, connectors::KombuEnvelope::BodyKind::Pickle);
}

void TestCeleryTaskMessage::prioritiesAndChordCallbacks()
{
    const QByteArray headers =
        R"({"task": "tasks.add", "id": "c1", "group": "g1", "group_index": 2, "retries": 3,
        "eta": "2026-11-22T03:00:00+00:00", "expires": "2026-11-22T04:00:00+00:00", "shadow": "nice name"})";
    const QByteArray body =
        R"([[1], {"ü": "ünïcode"}, {"callbacks": [{"task": "tasks.log", "args": [], "kwargs": {}}],
        "errbacks": null, "chain": null, "chord": {"task": "tasks.tsum", "args": [], "kwargs": {}, "options": {"task_id": "cb"}}}])";
    const CeleryTaskMessage m = connectors::decodeCeleryTaskMessage(
        envelope(headers, body, "application/json", 7, "reports"));
    QVERIFY2(m.isTask, qPrintable(m.error));
    QCOMPARE(m.priority, qint64(7));
    QCOMPARE(m.routingKey, QStringLiteral("reports"));
    QCOMPARE(m.group, QStringLiteral("g1"));
    QCOMPARE(m.groupIndex, std::optional<qint64>(2));
    QCOMPARE(m.retries, qint64(3));
    QCOMPARE(m.shadow, QStringLiteral("nice name"));
    QCOMPARE(m.expires, QStringLiteral("2026-11-22T04:00:00+00:00"));
    QCOMPARE(QString::fromStdString(m.kwargs["ü"].get<std::string>()), QStringLiteral("ünïcode"));
    QVERIFY(m.chordCallback);
    QCOMPARE(m.chordCallback->task, QStringLiteral("tasks.tsum"));
    QCOMPARE(m.chordCallback->taskId, QStringLiteral("cb"));
    QCOMPARE(m.callbacks.size(), 1);
}

void TestCeleryTaskMessage::resultMetasAsCeleryStoresThem()
{
    using connectors::CeleryTaskResult;
    // Captured values (celery.md §4).
    const CeleryTaskResult success = CeleryTaskResult::parse(
        QStringLiteral("1"),
        R"({"status": "SUCCESS", "result": 5, "traceback": null, "children": [], "date_done": "2026-11-22T02:51:38.144156", "name": "tasks.add", "args": [2, 3], "kwargs": {}, "worker": "w1@vm", "retries": 0, "queue": "celery", "task_id": "1"})");
    QCOMPARE(success.status, QStringLiteral("SUCCESS"));
    QVERIFY(success.isFinal() && !success.failed());
    QVERIFY(success.result == json(5));
    QCOMPARE(success.dateDone, QStringLiteral("2026-11-22T02:51:38.144156"));
    const CeleryTaskResult failure = CeleryTaskResult::parse(
        QStringLiteral("6"),
        R"({"status": "FAILURE", "result": {"exc_type": "ValueError", "exc_message": ["kaput"], "exc_module": "builtins"}, "traceback": "Traceback (most recent call last):\n  ValueError: kaput\n", "children": [], "date_done": "x", "task_id": "6"})");
    QVERIFY(failure.failed());
    QVERIFY(failure.traceback.startsWith(QLatin1String("Traceback")));
    QCOMPARE(failure.result["exc_type"].get<std::string>(), std::string("ValueError"));
    const CeleryTaskResult started = CeleryTaskResult::parse(
        QStringLiteral("2"), R"({"status": "STARTED", "result": {"pid": 1}})");
    QVERIFY(!started.isFinal());
    const CeleryTaskResult pending = CeleryTaskResult::parse(QStringLiteral("3"), QByteArray());
    QCOMPARE(pending.status, QStringLiteral("PENDING"));
    const CeleryTaskResult pickled =
        CeleryTaskResult::parse(QStringLiteral("4"), QByteArray::fromHex("80049505"));
    QCOMPARE(pickled.status, QStringLiteral("UNKNOWN"));
    QVERIFY(pickled.error.contains(QLatin1String("not JSON")));
}

void TestCeleryTaskMessage::brokenMessagesSayWhy_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("isTask");
    QTest::addColumn<QString>("why");
    QTest::newRow("not json") << QByteArray("{not json") << false
                              << QStringLiteral("not valid JSON: line 1, column 3: ");
    QTest::newRow("number out of range")
        << QByteArray(R"({"body": 1e400})") << false
        << QStringLiteral("not valid JSON: line 1, column 10: number overflow");
    QTest::newRow("20000 deep") << QByteArray(R"({"a":)").repeated(20'000) << false
                                << QStringLiteral(
                                       "line 1, column 2561: nested deeper than 512 levels");
    QTest::newRow("JSON but no object")
        << QByteArray("[1, 2]") << false << QStringLiteral("not a JSON object");
    QTest::newRow("plain list element") << QByteArray(R"({"to": "a@b.c", "subject": "hi"})")
                                        << false << QStringLiteral("without a kombu body");
    QTest::newRow("envelope without a task")
        << envelope(R"({"hostname": "w1"})", R"({"type": "worker-heartbeat"})") << false
        << QStringLiteral("without a task name");
    QTest::newRow("pickle without headers")
        << envelope("{}", QByteArray::fromHex("8004"), "application/x-python-serialize") << false
        << QStringLiteral("application/x-python-serialize body that is not read");
    QTest::newRow("v2 body not a triple")
        << envelope(R"({"task": "tasks.add", "id": "x"})", "[1, 2]") << true
        << QStringLiteral("not [args, kwargs, embed]");
    QTest::newRow("v2 task name is a number")
        << envelope(R"({"task": 12, "id": 3})", "[[], {}, {}]") << true << QString();
    QTest::newRow("empty task name") << envelope(R"({"task": "", "id": "x"})", "[[], {}, {}]")
                                     << false << QStringLiteral("empty");
    QTest::newRow("embed of the wrong types")
        << envelope(R"({"task": "t", "id": "x", "ignore_result": "yes", "group_index": "2"})",
                    R"([[], {}, {"chain": 5, "chord": [1], "callbacks": "x"}])")
        << true << QString();
}

void TestCeleryTaskMessage::brokenMessagesSayWhy()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, isTask);
    QFETCH(QString, why);
    const CeleryTaskMessage m = connectors::decodeCeleryTaskMessage(payload);
    QCOMPARE(m.isTask, isTask);
    if (!why.isEmpty())
        QVERIFY2((m.error + m.bodyError).contains(why),
                 qPrintable(m.error + QLatin1Char('|') + m.bodyError));
}

void TestCeleryTaskMessage::inspectRepliesReadAndSecretsHidden()
{
    using bd::connectors::CeleryControlReply;
    using bd::connectors::WorkerInspection;
    QHash<QString, WorkerInspection> workers;
    // stats as Celery 5.2 answers (05_cli_pidbox_decoded.txt), its broker info with a password.
    auto stats = nlohmann::json::parse(
        R"j({"total": {"tasks.add": 3, "tasks.echo": 2}, "pid": 9515, "clock": "25", "uptime": 61,
            "pool": {"max-concurrency": 2, "processes": [1, 2]}, "prefetch_count": 8,
            "broker": {"hostname": "10.0.0.5", "userid": "svc", "password": "s3cret",
                       "port": 5672, "transport": "amqp", "virtual_host": "/"}})j");
    bd::connectors::takeInspectReplies(workers, QStringLiteral("stats"),
                                       {CeleryControlReply{QStringLiteral("w1@vm"), stats}});
    bd::connectors::takeInspectReplies(
        workers, QStringLiteral("registered"),
        {CeleryControlReply{QStringLiteral("w1@vm"),
                            nlohmann::json::array({"tasks.add [rate_limit=10/m]", "tasks.echo"})}});
    bd::connectors::takeInspectReplies(
        workers, QStringLiteral("conf"),
        {CeleryControlReply{QStringLiteral("w1@vm"),
                            {{"broker_url", "redis://:hunter2@cache:6379/0"},
                             {"result_backend", "redis://cache/1"}}}});
    const WorkerInspection &w = workers[QStringLiteral("w1@vm")];
    QCOMPARE(w.pid, 9515);
    QCOMPARE(w.pool, QStringLiteral("prefork")); // 5.2 does not name it: processes say prefork
    QCOMPARE(w.concurrency, 2);
    QCOMPARE(w.processed, 5);
    QCOMPARE(w.prefetchCount, 8);
    QCOMPARE(w.broker, QStringLiteral("amqp://svc@10.0.0.5:5672/"));
    QCOMPARE(w.registered,
             (QStringList{QStringLiteral("tasks.add"), QStringLiteral("tasks.echo")}));
    QCOMPARE(w.rateLimits.value(QStringLiteral("tasks.add")), QStringLiteral("10/m"));
    QVERIFY(w.hasAnswered(QStringLiteral("stats")));
    QVERIFY(!w.hasAnswered(QStringLiteral("active"))); // not answering, not "none active"
    QCOMPARE(w.active, -1);
    const QByteArray shown =
        bd::connectors::jsonToBytes(w.stats) + bd::connectors::jsonToBytes(w.conf);
    QVERIFY2(!shown.contains("s3cret") && !shown.contains("hunter2"), shown.constData());
    QVERIFY(shown.contains("redis://:(hidden)@cache:6379/0"));
    QVERIFY(shown.contains("redis://cache/1"));

    QCOMPARE(bd::connectors::controlReplyText({{"ok", "pool will grow"}}),
             QStringLiteral("ok: pool will grow"));
    QCOMPARE(bd::connectors::controlReplyText({{"error", "No such task"}}),
             QStringLiteral("error: No such task"));
    QVERIFY(bd::connectors::isInspectMethod(QStringLiteral("stats")));
    QVERIFY(!bd::connectors::isInspectMethod(QStringLiteral("shutdown")));
}

QTEST_GUILESS_MAIN(TestCeleryTaskMessage)
#include "tst_celerytaskmessage.moc"
