// What the Tasks page is made of, without a server: the task catalog, the Run task dialog's
// draft (JSON checked, the exact message previewed), the runs and audit models, the audit
// log read back, and a message readdressed for a move.
#include "audit/auditlog.h"
#include "audit/auditlogmodel.h"
#include "celery/celerytaskmessage.h"
#include "celery/kombuenvelope.h"
#include "celery/taskcatalog.h"
#include "common/tones.h"
#include "queues/queuemessagesmodel.h"
#include "queues/taskdraft.h"
#include "queues/taskrunsmodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bd;

class TestTaskTools : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void catalogMergesFilesAndSaysWhatItSkipped();
    void shippedCatalogHasTheRefreshAction();
    void draftChecksFieldsAndEncodesTheMessage();
    void draftChecksFieldsAndEncodesTheMessage_data();
    void draftTimesComeFromTheForm();
    void runsFollowStatesAndNeverGoBack();
    void runsAreBounded();
    void auditLogReadsBackItsTail();
    void rerouteReaddressesOnlyEnvelopes();
    void exportKeepsEveryMessageReadable();
};

void TestTaskTools::catalogMergesFilesAndSaysWhatItSkipped()
{
    connectors::TaskCatalog catalog;
    catalog.load(R"({"tasks": [
        {"name": "app.refresh", "label": "Refresh", "queue": "refresh", "args": [1], "kwargs": {"full": true}},
        {"name": "app.add", "args": [2, 3]},
        {"label": "no name"},
        {"name": "app.bad", "args": {"not": "a list"}}]})",
                 QStringLiteral("shipped"));
    QCOMPARE(catalog.names(),
             (QStringList{QStringLiteral("app.refresh"), QStringLiteral("app.add")}));
    QCOMPARE(catalog.problems().size(), 2);
    QVERIFY(catalog.problems().at(0).contains(QLatin1String("shipped: task 2 has no name")));
    QVERIFY(catalog.problems().at(1).contains(QLatin1String("args must be a JSON array")));
    QCOMPARE(catalog.find(QStringLiteral("app.refresh"))->queue, QStringLiteral("refresh"));
    QCOMPARE(catalog.find(QStringLiteral("app.add"))->queue,
             QStringLiteral("celery")); // the default
    QCOMPARE(catalog.actions().size(), 1);

    // The operator's file overrides a task by name, and adds its own.
    catalog.load(
        R"({"tasks": [{"name": "app.add", "label": "Add", "args": [5, 5]}, {"name": "app.mine"}]})",
        QStringLiteral("user"));
    QCOMPARE(catalog.tasks().size(), 3);
    QVERIFY(catalog.find(QStringLiteral("app.add"))->args == nlohmann::json::array({5, 5}));
    QCOMPARE(catalog.find(QStringLiteral("app.add"))->source, QStringLiteral("user"));
    QCOMPARE(catalog.actions().size(), 2);

    catalog.load("[1, 2]", QStringLiteral("broken"));
    catalog.loadFile(QStringLiteral("/nonexistent/tasks.json"), true); // optional: silent
    catalog.loadFile(QStringLiteral("/nonexistent/tasks.json"), false);
    QCOMPARE(catalog.problems().size(), 4);
    QVERIFY(catalog.problems().at(2).startsWith(QLatin1String("broken: not a task catalog")));
    QCOMPARE(catalog.tasks().size(), 3);
}

void TestTaskTools::shippedCatalogHasTheRefreshAction()
{
    connectors::TaskCatalog catalog;
    catalog.loadFile(QStringLiteral(BROKERDESK_CATALOG), false);
    QVERIFY2(catalog.problems().isEmpty(), qPrintable(catalog.problems().join(QLatin1Char('\n'))));
    const connectors::CatalogTask *refresh =
        catalog.find(QStringLiteral("tasks.celery_tasks.fetch_and_store_employee_data"));
    QVERIFY(refresh);
    QCOMPARE(refresh->label, QStringLiteral("Refresh employees"));
    QCOMPARE(catalog.actions().first().name, refresh->name);
}

void TestTaskTools::draftChecksFieldsAndEncodesTheMessage_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("kwargs");
    QTest::addColumn<double>("expires");
    QTest::addColumn<QString>("argsError");
    QTest::addColumn<QString>("kwargsError");
    QTest::addColumn<QString>("error");

    QTest::newRow("fine") << "app.add"
                          << "[2, 3]"
                          << "{}" << 0.0 << ""
                          << ""
                          << "";
    QTest::newRow("empty fields are defaults") << "app.add"
                                               << "  "
                                               << "" << 0.0 << ""
                                               << ""
                                               << "";
    QTest::newRow("args not JSON") << "app.add"
                                   << "[2,\n 3"
                                   << "{}" << 0.0 << "line 2, column 3"
                                   << ""
                                   << "";
    QTest::newRow("args an object") << "app.add"
                                    << "{}"
                                    << "{}" << 0.0 << "must be a JSON array"
                                    << ""
                                    << "";
    QTest::newRow("kwargs a list") << "app.add"
                                   << "[]"
                                   << "[1]" << 0.0 << ""
                                   << "must be a JSON object"
                                   << "";
    QTest::newRow("no task") << "  "
                             << "[]"
                             << "{}" << 0.0 << ""
                             << ""
                             << "task";
    QTest::newRow("negative expiry") << "app.add"
                                     << "[]"
                                     << "{}" << -1.0 << ""
                                     << ""
                                     << "expires";
}

void TestTaskTools::draftChecksFieldsAndEncodesTheMessage()
{
    QFETCH(QString, task);
    QFETCH(QString, args);
    QFETCH(QString, kwargs);
    QFETCH(double, expires);
    QFETCH(QString, argsError);
    QFETCH(QString, kwargsError);
    QFETCH(QString, error);
    models::TaskForm form;
    form.task = task;
    form.args = args;
    form.kwargs = kwargs;
    form.queue = QStringLiteral("reports");
    form.priority = 9;
    form.expiresS = expires;
    form.id = QStringLiteral("0b5e2a8e-0d8e-4f8e-9d4b-2c1f6e7a9b10");
    const QDateTime now =
        QDateTime::fromString(QStringLiteral("2026-12-02T10:00:00Z"), Qt::ISODate);
    const models::TaskDraft draft = models::draftTask(form, QByteArrayLiteral("app:"), now);
    QVERIFY2(argsError.isEmpty() ? draft.argsError.isEmpty() : draft.argsError.contains(argsError),
             qPrintable(draft.argsError));
    QVERIFY2(kwargsError.isEmpty() ? draft.kwargsError.isEmpty()
                                   : draft.kwargsError.contains(kwargsError),
             qPrintable(draft.kwargsError));
    QVERIFY2(error.isEmpty() ? draft.error.isEmpty() : draft.error.contains(error),
             qPrintable(draft.error));
    const bool fine = argsError.isEmpty() && kwargsError.isEmpty() && error.isEmpty();
    QCOMPARE(draft.ok(), fine);
    if (!fine) {
        QVERIFY(draft.preview.isEmpty());
        return;
    }
    // What would be sent decodes back to what was asked, in the prefixed priority-9 list.
    QCOMPARE(draft.encoded.listKey, QByteArray("app:reports\x06\x16"
                                               "9"));
    QCOMPARE(draft.encoded.id, form.id);
    const connectors::CeleryTaskMessage m =
        connectors::decodeCeleryTaskMessage(draft.encoded.envelope);
    QVERIFY(m.isTask);
    QCOMPARE(m.task, QStringLiteral("app.add"));
    QCOMPARE(m.id, form.id);
    QVERIFY(m.args
            == (args.trimmed().isEmpty() ? nlohmann::json::array()
                                         : nlohmann::json::parse(args.toStdString())));
    QVERIFY(draft.preview.startsWith(QLatin1String("LPUSH app:reports\\x06\\x169")));
    QVERIFY(draft.preview.contains(QStringLiteral(R"("id": "%1")").arg(form.id)));
}

void TestTaskTools::draftTimesComeFromTheForm()
{
    models::TaskForm form;
    form.task = QStringLiteral("app.add");
    form.id = QStringLiteral("0b5e2a8e-0d8e-4f8e-9d4b-2c1f6e7a9b10");
    const QDateTime now =
        QDateTime::fromString(QStringLiteral("2026-12-02T10:00:00Z"), Qt::ISODate);
    // Now: no ETA, no expiry.
    connectors::CeleryTaskMessage m =
        connectors::decodeCeleryTaskMessage(models::draftTask(form, {}, now).encoded.envelope);
    QVERIFY(m.eta.isEmpty() && m.expires.isEmpty());
    // A countdown and an expiry count from now.
    form.when = models::TaskForm::When::Countdown;
    form.countdownS = 90;
    form.expiresS = 600;
    m = connectors::decodeCeleryTaskMessage(models::draftTask(form, {}, now).encoded.envelope);
    QCOMPARE(m.eta, QStringLiteral("2026-12-02T10:01:30.000000+00:00"));
    QCOMPARE(m.expires, QStringLiteral("2026-12-02T10:10:00.000000+00:00"));
    // An ETA given with an offset: the same instant, written in UTC; an expiry before it is
    // refused (the worker would drop it).
    form.when = models::TaskForm::When::Eta;
    form.eta = QDateTime::fromString(QStringLiteral("2026-12-02T12:30:00+02:00"), Qt::ISODate);
    form.expiresS = 0;
    m = connectors::decodeCeleryTaskMessage(models::draftTask(form, {}, now).encoded.envelope);
    QCOMPARE(m.eta, QStringLiteral("2026-12-02T10:30:00.000000+00:00"));
    form.expiresS = 60;
    QVERIFY(!models::draftTask(form, {}, now).ok());
    form.eta = QDateTime();
    QVERIFY(models::draftTask(form, {}, now).error.contains(QLatin1String("ETA")));
}

void TestTaskTools::runsFollowStatesAndNeverGoBack()
{
    models::TaskRunsModel runs;
    QAbstractItemModelTester tester(&runs, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&runs, &models::TaskRunsModel::runChanged);
    models::TaskRun run;
    run.id = QStringLiteral("a");
    run.task = QStringLiteral("app.add");
    run.queue = QStringLiteral("celery");
    run.sentAt = QDateTime::currentDateTimeUtc();
    runs.addRun(run);
    run.id = QStringLiteral("b");
    runs.addRun(run);
    QCOMPARE(runs.rowOf(QStringLiteral("b")), 0); // newest first
    QCOMPARE(runs.runAt(1)->status, QStringLiteral("SENDING"));

    // The worker was quicker than the broker's answer: STARTED stays STARTED.
    runs.setResult(connectors::CeleryTaskResult::parse(
        QStringLiteral("a"), R"({"status": "STARTED", "result": {"pid": 1}})"));
    runs.setSent(QStringLiteral("a"));
    QCOMPARE(runs.runAt(1)->status, QStringLiteral("STARTED"));
    // A PENDING read (the key expired, or not written yet) never takes a state back.
    runs.setResult(connectors::CeleryTaskResult::parse(QStringLiteral("a"), {}));
    QCOMPARE(runs.runAt(1)->status, QStringLiteral("STARTED"));
    runs.setResult(connectors::CeleryTaskResult::parse(
        QStringLiteral("a"),
        R"({"status": "FAILURE", "result": {"exc_type": "KeyError", "exc_message": ["no report", 7], "exc_module": "builtins"},
            "traceback": "Traceback (most recent call last):\n  ...\nKeyError: 'no report'", "date_done": "2026-12-02T10:00:01"})"));
    const models::TaskRun *a = runs.runAt(1);
    QCOMPARE(a->status, QStringLiteral("FAILURE"));
    QCOMPARE(a->summary, QStringLiteral("KeyError: no report, 7"));
    QVERIFY(a->traceback.startsWith(QLatin1String("Traceback")));
    QVERIFY(a->final);
    QCOMPARE(runs.data(runs.index(1, models::TaskRunsModel::StateColumn), Qt::ForegroundRole)
                 .value<QBrush>()
                 .color(),
             models::toneColor(models::Tone::Error));
    // Final is final.
    runs.setResult(connectors::CeleryTaskResult::parse(QStringLiteral("a"),
                                                       R"({"status": "SUCCESS", "result": 5})"));
    QCOMPARE(runs.runAt(1)->status, QStringLiteral("FAILURE"));

    runs.setNotSent(QStringLiteral("b"), QStringLiteral("connection refused"));
    QCOMPARE(runs.runAt(0)->status, QStringLiteral("NOT SENT"));
    QCOMPARE(runs.index(0, models::TaskRunsModel::ResultColumn).data().toString(),
             QStringLiteral("connection refused"));
    QCOMPARE(changed.count(), 4); // STARTED, the PENDING read (state kept), FAILURE, NOT SENT
}

void TestTaskTools::runsAreBounded()
{
    models::TaskRunsModel runs;
    QAbstractItemModelTester tester(&runs, QAbstractItemModelTester::FailureReportingMode::QtTest);
    models::TaskRun stillFollowed;
    stillFollowed.id = QStringLiteral("first");
    runs.addRun(stillFollowed);
    for (int i = 0; i < models::TaskRunsModel::kMaxRuns + 20; ++i) {
        models::TaskRun run;
        run.id = QString::number(i);
        runs.addRun(run);
        runs.setNotSent(run.id, QStringLiteral("refused")); // final
    }
    QCOMPARE(runs.rowCount(), models::TaskRunsModel::kMaxRuns);
    QVERIFY(runs.rowOf(QStringLiteral("first")) >= 0); // not final: kept
    QCOMPARE(runs.rowOf(QStringLiteral("0")), -1);     // the oldest finished went
    QVERIFY(runs.rowOf(QString::number(models::TaskRunsModel::kMaxRuns + 19)) == 0);
}

void TestTaskTools::auditLogReadsBackItsTail()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/audit.jsonl"));
    const connectors::AuditLog log(path);
    int skipped = -1;
    QString error;
    QVERIFY(log.readLast(10, &skipped, &error).isEmpty()); // no file yet: an empty log
    QVERIFY(error.isEmpty());
    for (int i = 0; i < 5; ++i)
        QVERIFY(log.append({QStringLiteral("prod"),
                            QStringLiteral("send"),
                            QStringLiteral("celery"),
                            {QStringLiteral("id-%1").arg(i)},
                            QStringLiteral("sent app.add")}));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write("not json\n{\"action\": \"purge\"}\n"); // a hand edit, a record without time
    }
    QVERIFY(log.append({QStringLiteral("prod"),
                        QStringLiteral("purge"),
                        QStringLiteral("reports"),
                        {},
                        QStringLiteral("failed: connection lost")}));
    const QList<connectors::AuditLog::Record> records = log.readLast(3, &skipped, &error);
    QCOMPARE(skipped, 2);
    QCOMPARE(records.size(), 3);
    QCOMPARE(records.at(0).entry.taskIds, QStringList{QStringLiteral("id-3")});
    QCOMPARE(records.at(2).entry.action, QStringLiteral("purge"));
    QVERIFY(records.at(2).time.isValid());

    models::AuditLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRecords(records);
    QCOMPARE(model.index(0, models::AuditLogModel::TargetColumn).data().toString(),
             QStringLiteral("reports"));
    QCOMPARE(model.index(0, models::AuditLogModel::OutcomeColumn)
                 .data(Qt::ForegroundRole)
                 .value<QBrush>()
                 .color(),
             models::toneColor(models::Tone::Error));
    QCOMPARE(model.index(2, models::AuditLogModel::TaskIdsColumn).data().toString(),
             QStringLiteral("id-3"));
}

void TestTaskTools::rerouteReaddressesOnlyEnvelopes()
{
    const QByteArray envelope =
        R"({"body": "W10=", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"id": "x"},)"
        R"( "properties": {"delivery_info": {"exchange": "", "routing_key": "celery"}, "priority": 3, "delivery_tag": "t"}})";
    const QByteArray moved = connectors::rerouteEnvelope(envelope, "reports");
    const nlohmann::json j = nlohmann::json::parse(moved.toStdString());
    QVERIFY(j["properties"]["delivery_info"]["routing_key"] == "reports");
    QVERIFY(j["properties"]["delivery_info"]["exchange"] == "");
    QVERIFY(j["properties"]["priority"] == 3);
    QVERIFY(j["headers"]["id"] == "x");
    // Field order is kept: body first, as kombu wrote it.
    QVERIFY(moved.startsWith(R"({"body":"W10=")"));
    // Not an envelope: the bytes as they were.
    QCOMPARE(connectors::rerouteEnvelope("plain text", "reports"), QByteArray("plain text"));
    QCOMPARE(connectors::rerouteEnvelope(R"({"to": "a@example.com"})", "reports"),
             QByteArray(R"({"to": "a@example.com"})"));
    QCOMPARE(connectors::rerouteEnvelope(R"({"body": "x", "properties": null})", "q"),
             QByteArray(R"({"body": "x", "properties": null})"));
}

void TestTaskTools::exportKeepsEveryMessageReadable()
{
    const QList<models::QueuedMessage> messages{
        {0, 0, R"({"body": "W10=", "headers": {"id": "a"}, "properties": {}})", QStringLiteral("a"),
         QStringLiteral("app.add")},
        {1, 9, QByteArray("not json \xff\x00", 11), {}, {}},
        {2, 0, R"({"to": "ops@example.com"})", {}, {}}};
    const QList<QByteArray> lines =
        models::exportJsonLines(QByteArray("q\xfe", 2), messages).split('\n');
    QCOMPARE(lines.size(), 4); // three lines, each ended
    QVERIFY(lines[3].isEmpty());
    const nlohmann::json task = nlohmann::json::parse(lines[0].toStdString());
    QVERIFY(task["envelope"]["headers"]["id"] == "a");
    QVERIFY(task["task"] == "app.add");
    // A binary element: its exact bytes, in base64; a queue name that is not UTF-8, replaced.
    const nlohmann::json binary = nlohmann::json::parse(lines[1].toStdString());
    QCOMPARE(
        QByteArray::fromBase64(QByteArray::fromStdString(binary["raw_base64"].get<std::string>())),
        messages[1].raw);
    QVERIFY(binary["priority_step"] == 9);
    QVERIFY(!binary.contains("task"));
    QVERIFY(nlohmann::json::parse(lines[2].toStdString())["envelope"]["to"] == "ops@example.com");
}

QTEST_MAIN(TestTaskTools)
#include "tst_tasktools.moc"
