// The Tasks page, driven offscreen through a real Session: tasks sent from the Run task
// dialog and from the catalog's one-click actions run on a real Celery worker, and their
// states arrive live from the result backend.
#include "audit/auditlog.h"
#include "audit/auditlogmodel.h"
#include "celeryworker.h"
#include "commandwait.h"
#include "gui/taskscontroller.h"
#include "guitest.h"
#include "queues/queuelistmodel.h"
#include "queues/queuespage.h"
#include "queues/taskrunsmodel.h"
#include "tasks/runtaskdialog.h"
#include "tasks/taskspage.h"
#include "testredis.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTabWidget>
#include <QTcpServer>

#include <memory>

using namespace bd;
using models::TaskRunsModel;

class TestTasksPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dialogChecksJsonAsItIsTypedAndPreviewsTheMessage();
    void taskRunFromTheDialogEndsInSuccess();
    void failingTaskShowsItsTraceback();
    void refreshEmployeesSendsOneMessagePerPress();
    void readOnlyProfileSendsNothing();
    void auditLogTabShowsTheSends();
    void runTaskFromTheQueuesPageTakesItsQueue();
    void keyPrefixAndResultBackendComeFromTheProfile();
    void cleanupTestCase();

private:
    ui::RunTaskDialog *openDialog(OpenSession &session);
    QString sendFromDialog(OpenSession &session, const QString &task, const QString &args);

    std::unique_ptr<test::PrivateRedisServer> m_server;
    std::unique_ptr<test::CeleryWorker> m_worker;
    std::unique_ptr<QProcess> m_feed; // the demo's HR change feed, for Refresh employees
    QStringList m_sent;
};

void TestTasksPage::initTestCase()
{
    m_server = std::make_unique<test::PrivateRedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 feedPort = probe.serverPort();
    probe.close();
    m_feed = std::make_unique<QProcess>();
    m_feed->setWorkingDirectory(QStringLiteral(BROKERDESK_DEMO_DIR));
    m_feed->start(QStringLiteral(BROKERDESK_PYTHON),
                  {QStringLiteral("employee_feed.py"), QString::number(feedPort)});
    QVERIFY(m_feed->waitForStarted());
    qputenv("DEMO_EMPLOYEE_FEED_URL",
            QByteArray("http://127.0.0.1:") + QByteArray::number(feedPort) + "/employee-changes");
    m_worker = std::make_unique<test::CeleryWorker>(m_server->url(0));
    QVERIFY2(m_worker->start(), qPrintable(m_worker->log()));
}

void TestTasksPage::cleanupTestCase()
{
    if (m_worker)
        m_worker->stop();
    if (m_feed) {
        m_feed->kill();
        m_feed->waitForFinished();
    }
    // Each message sent once: the worker received each id exactly once.
    for (const QString &id : std::as_const(m_sent))
        QCOMPARE(m_worker->log().count(QStringLiteral("[%1] received").arg(id)), 1);
}

ui::RunTaskDialog *TestTasksPage::openDialog(OpenSession &session)
{
    ui::TasksPage *page = session->tasksPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QTest::mouseClick(child<QPushButton>(page, "tasksRunTask"), Qt::LeftButton);
    auto *dialog = page->findChild<ui::RunTaskDialog *>();
    return dialog && dialog->isVisible() ? dialog : nullptr;
}

// Types a task into the dialog, sends it, and returns its id once the dialog closed.
QString TestTasksPage::sendFromDialog(OpenSession &session, const QString &task,
                                      const QString &args)
{
    ui::RunTaskDialog *dialog = openDialog(session);
    if (!dialog)
        return {};
    QTest::keyClicks(child<QLineEdit>(dialog, "runTaskName"), task);
    auto *argsEdit = child<QPlainTextEdit>(dialog, "runTaskArgs");
    argsEdit->selectAll();
    QTest::keyClicks(argsEdit, args);
    auto *send = child<QPushButton>(dialog, "runTaskSend");
    if (!send->isEnabled())
        return {};
    const QString id = dialog->taskId();
    QPointer<ui::RunTaskDialog> guard(dialog);
    QTest::mouseClick(send, Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return !guard || !guard->isVisible(); }, 10000))
        return {};
    m_sent << id;
    return id;
}

void TestTasksPage::dialogChecksJsonAsItIsTypedAndPreviewsTheMessage()
{
    OpenSession session = openSession(m_server->url(0));
    QTRY_VERIFY(session->client()->state() == connectors::ConnectionState::Connected);
    ui::RunTaskDialog *dialog = openDialog(session);
    QVERIFY(dialog);
    auto *send = child<QPushButton>(dialog, "runTaskSend");
    auto *preview = child<QPlainTextEdit>(dialog, "runTaskPreview");
    QVERIFY(!send->isEnabled()); // no task name yet
    QVERIFY(child<QLabel>(dialog, "runTaskProblem")->text().contains(QLatin1String("task")));

    // The catalog's task, chosen: its queue, args and kwargs filled in, its description shown.
    dialog->chooseTask(QStringLiteral("tasks.celery_tasks.rebuild_analytics"));
    QCOMPARE(child<QPlainTextEdit>(dialog, "runTaskKwargs")->toPlainText(),
             QStringLiteral(R"({"name":"daily_sales","seconds":20})"));
    QVERIFY(
        child<QLabel>(dialog, "runTaskDescription")->text().contains(QLatin1String("analytics")));
    QVERIFY(send->isEnabled());

    auto *args = child<QPlainTextEdit>(dialog, "runTaskArgs");
    args->selectAll();
    QTest::keyClicks(args, QStringLiteral("[1, "));
    auto *argsError = child<QLabel>(dialog, "runTaskArgsError");
    QVERIFY(argsError->isVisible());
    QVERIFY2(argsError->text().contains(QLatin1String("line 1, column")),
             qPrintable(argsError->text()));
    QVERIFY(!send->isEnabled());
    QVERIFY(preview->toPlainText().isEmpty());
    QTest::keyClicks(args, QStringLiteral("2]"));
    QVERIFY(!argsError->isVisible());
    QVERIFY(send->isEnabled());

    auto *kwargs = child<QPlainTextEdit>(dialog, "runTaskKwargs");
    kwargs->selectAll();
    QTest::keyClicks(kwargs, QStringLiteral("[]"));
    QVERIFY(
        child<QLabel>(dialog, "runTaskKwargsError")->text().contains(QLatin1String("JSON object")));
    QVERIFY(!send->isEnabled());
    kwargs->setPlainText(QStringLiteral(R"({"name": "Zoë"})")); // keyClicks types ASCII only
    QVERIFY(send->isEnabled());

    // The preview is the message: its list (priority 7 waits in the 6-8 list, as kombu
    // rounds down to its steps), its id, its headers and its decoded body.
    child<QSpinBox>(dialog, "runTaskPriority")->setValue(7);
    const QString text = preview->toPlainText();
    QVERIFY2(text.startsWith(QLatin1String("LPUSH celery\\x06\\x166")), qPrintable(text.left(80)));
    QVERIFY(text.contains(QStringLiteral(R"("id": "%1")").arg(dialog->taskId())));
    QVERIFY(text.contains(QLatin1String(R"("priority": 7)")));
    QVERIFY(text.contains(QLatin1String(R"x("argsrepr": "(1, 2)")x")));
    QVERIFY(text.contains(QStringLiteral(R"("kwargsrepr": "{'name': 'Zoë'}")")));
    QVERIFY(text.contains(QLatin1String("body, decoded")));
    dialog->reject();
}

void TestTasksPage::taskRunFromTheDialogEndsInSuccess()
{
    OpenSession session = openSession(m_server->url(0));
    QTRY_VERIFY(session->client()->state() == connectors::ConnectionState::Connected);
    const QString id =
        sendFromDialog(session, QStringLiteral("tasks.celery_tasks.add"), QStringLiteral("[2, 3]"));
    QVERIFY(!id.isEmpty());
    TaskRunsModel *runs = session->taskRuns();
    const int row = runs->rowOf(id);
    QVERIFY(row >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(runs->runAt(runs->rowOf(id))->status, QStringLiteral("SUCCESS"),
                              30000);
    QCOMPARE(runs->index(runs->rowOf(id), TaskRunsModel::ResultColumn).data().toString(),
             QStringLiteral("5"));
    // The new run is selected; its detail says what came back.
    const QString detail =
        child<QPlainTextEdit>(session->tasksPage(), "tasksRunDetail")->toPlainText();
    QVERIFY2(detail.contains(id) && detail.contains(QLatin1String("SUCCESS"))
                 && detail.contains(QLatin1String("Result:\n5")),
             qPrintable(detail));
    QVERIFY(child<QLabel>(session->tasksPage(), "tasksStatus")->text().contains(id));
    // Followed no more once final.
    QTRY_COMPARE(session->tasks()->followed(), 0);
}

void TestTasksPage::failingTaskShowsItsTraceback()
{
    OpenSession session = openSession(m_server->url(0));
    QTRY_VERIFY(session->client()->state() == connectors::ConnectionState::Connected);
    const QString id = sendFromDialog(
        session, QStringLiteral("tasks.celery_tasks.parse_shift_report"), QStringLiteral("[7]"));
    QVERIFY(!id.isEmpty());
    TaskRunsModel *runs = session->taskRuns();
    QTRY_COMPARE_WITH_TIMEOUT(runs->runAt(runs->rowOf(id))->status, QStringLiteral("FAILURE"),
                              30000);
    QCOMPARE(runs->index(runs->rowOf(id), TaskRunsModel::ResultColumn).data().toString(),
             QStringLiteral("KeyError: no report for shift 7"));
    const QString detail =
        child<QPlainTextEdit>(session->tasksPage(), "tasksRunDetail")->toPlainText();
    QVERIFY2(detail.contains(QLatin1String("Traceback:\nTraceback (most recent call last):"))
                 && detail.contains(QLatin1String("raise KeyError")),
             qPrintable(detail));
}

void TestTasksPage::refreshEmployeesSendsOneMessagePerPress()
{
    OpenSession session = openSession(m_server->url(0));
    QTRY_VERIFY(session->client()->state() == connectors::ConnectionState::Connected);
    ui::TasksPage *page = session->tasksPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    auto *refresh = page->findChild<QPushButton *>(
        QStringLiteral("tasksAction:tasks.celery_tasks.fetch_and_store_employee_data"));
    QVERIFY(refresh);
    QCOMPARE(refresh->text(), QStringLiteral("Refresh employees"));
    QVERIFY(refresh->isEnabled());
    // Two presses before the broker answers the first: one message.
    refresh->click();
    refresh->click();
    TaskRunsModel *runs = session->taskRuns();
    QCOMPARE(runs->rowCount(), 1);
    const QString id = runs->runAt(0)->id;
    m_sent << id;
    QTRY_VERIFY(refresh->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(runs->runAt(runs->rowOf(id))->status, QStringLiteral("SUCCESS"),
                              30000);
    QVERIFY2(runs->runAt(runs->rowOf(id))->summary.contains(QLatin1String("\"total\":")),
             qPrintable(runs->runAt(runs->rowOf(id))->summary));
    QCOMPARE(
        runs->index(0, TaskRunsModel::TaskColumn).data().toString(),
        QStringLiteral("Refresh employees (tasks.celery_tasks.fetch_and_store_employee_data)"));
    // What it refreshed: the employee records, with their TTL.
    connectors::RedisClient check(connectors::RedisUrl::parse(m_server->url(0)).settings);
    check.open();
    const connectors::RedisResult ttl = test::runCommand(check, {"TTL", "employees"});
    QVERIFY(ttl.ok() && ttl.reply.toInteger() > 0);
}

void TestTasksPage::readOnlyProfileSendsNothing()
{
    OpenSession session = openSession(m_server->url(0), true);
    QTRY_VERIFY(session->client()->state() == connectors::ConnectionState::Connected);
    ui::TasksPage *page = session->tasksPage();
    QVERIFY(!page->findChild<QPushButton *>(
                     QStringLiteral("tasksAction:tasks.celery_tasks.fetch_and_store_employee_data"))
                 ->isEnabled());
    ui::RunTaskDialog *dialog = openDialog(session);
    QVERIFY(dialog);
    dialog->chooseTask(QStringLiteral("tasks.celery_tasks.add"));
    QVERIFY(!child<QPlainTextEdit>(dialog, "runTaskPreview")
                 ->toPlainText()
                 .isEmpty()); // shown, not sendable
    QVERIFY(!child<QPushButton>(dialog, "runTaskSend")->isEnabled());
    // Even asked directly, the connection refuses the write before it leaves.
    const QString id = dialog->taskId();
    Q_EMIT dialog->sendRequested(dialog->draft());
    QTRY_COMPARE(session->taskRuns()->runAt(0)->status, QStringLiteral("NOT SENT"));
    QVERIFY(dialog->isVisible());
    QVERIFY(child<QLabel>(dialog, "runTaskProblem")->text().contains(QLatin1String("Not sent")));
    connectors::RedisClient check(connectors::RedisUrl::parse(m_server->url(0)).settings);
    check.open();
    const connectors::RedisResult queued = test::runCommand(check, {"LRANGE", "celery", "0", "-1"});
    QVERIFY(queued.ok());
    for (const connectors::RedisReply &e : queued.reply.elements())
        QVERIFY(!e.bytes().contains(id.toLatin1()));
    dialog->reject();
}

void TestTasksPage::auditLogTabShowsTheSends()
{
    OpenSession session = openSession(m_server->url(0));
    ui::TasksPage *page = session->tasksPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    page->showAuditLog();
    models::AuditLogModel *audit = session->auditLog();
    QTRY_VERIFY(audit->rowCount() >= m_sent.size()); // read on a pool thread
    // Newest first; every send of this test is there, with its task id.
    QStringList ids;
    for (int row = 0; row < audit->rowCount(); ++row) {
        const connectors::AuditLog::Record *r = audit->recordAt(row);
        if (r->entry.action == QLatin1String("send"))
            ids << r->entry.taskIds;
    }
    for (const QString &id : std::as_const(m_sent))
        QVERIFY2(ids.contains(id), qPrintable(id));
    QCOMPARE(audit->index(0, models::AuditLogModel::ActionColumn).data().toString(),
             QStringLiteral("send"));
    QVERIFY(child<QLabel>(page, "tasksAuditNote")->text().contains(QLatin1String("audit.jsonl")));
}

void TestTasksPage::runTaskFromTheQueuesPageTakesItsQueue()
{
    OpenSession session = openSession(m_server->url(0));
    ui::QueuesPage *queues = session->queuesPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(queues);
    QTRY_VERIFY_WITH_TIMEOUT(session->queueList()->rowOf("reports") >= 0, 10000); // the worker's -Q
    queues->selectQueue("reports");
    QTest::mouseClick(child<QPushButton>(queues, "queuesRunTask"), Qt::LeftButton);
    auto *dialog = session->tasksPage()->findChild<ui::RunTaskDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(child<QComboBox>(dialog, "runTaskQueue")->currentText(), QStringLiteral("reports"));
    QTest::keyClicks(child<QLineEdit>(dialog, "runTaskName"),
                     QStringLiteral("tasks.celery_tasks.add"));
    auto *args = child<QPlainTextEdit>(dialog, "runTaskArgs");
    args->selectAll();
    QTest::keyClicks(args, QStringLiteral("[1, 1]"));
    QVERIFY(child<QPlainTextEdit>(dialog, "runTaskPreview")
                ->toPlainText()
                .startsWith(QLatin1String("LPUSH reports ")));
    const QString id = dialog->taskId();
    QTest::mouseClick(child<QPushButton>(dialog, "runTaskSend"), Qt::LeftButton);
    m_sent << id;
    TaskRunsModel *runs = session->taskRuns();
    QTRY_VERIFY(runs->rowOf(id) >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(runs->runAt(runs->rowOf(id))->status, QStringLiteral("SUCCESS"),
                              30000);
    QCOMPARE(runs->runAt(runs->rowOf(id))->queue, QStringLiteral("reports"));
}

void TestTasksPage::keyPrefixAndResultBackendComeFromTheProfile()
{
    // A worker whose broker keys are prefixed (db 4) and whose results go to db 5.
    test::CeleryWorker worker(m_server->url(4), m_server->url(5), QStringLiteral("app:"));
    QVERIFY2(worker.start(), qPrintable(worker.log()));
    connectors::CeleryProfileSettings celery;
    celery.keyPrefix = QStringLiteral("app:");
    celery.resultBackend = m_server->url(5);
    OpenSession session = openSession(m_server->url(4), false, {1000, 700}, celery);
    QTRY_VERIFY(session->client()->state() == connectors::ConnectionState::Connected);
    // The Queues page finds the worker's queue under its prefix, and names it without.
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(session->queuesPage());
    QTRY_VERIFY_WITH_TIMEOUT(session->queueList()->rowOf("celery") >= 0, 10000);
    QCOMPARE(session->queueList()->rowOf("app:celery"), -1);

    const QString id = sendFromDialog(session, QStringLiteral("tasks.celery_tasks.add"),
                                      QStringLiteral("[20, 22]"));
    QVERIFY(!id.isEmpty());
    m_sent.removeAll(id); // another worker's log
    TaskRunsModel *runs = session->taskRuns();
    QTRY_COMPARE_WITH_TIMEOUT(runs->runAt(runs->rowOf(id))->status, QStringLiteral("SUCCESS"),
                              30000);
    QCOMPARE(runs->index(runs->rowOf(id), TaskRunsModel::ResultColumn).data().toString(),
             QStringLiteral("42"));
    worker.stop();
    QVERIFY(worker.log().contains(QStringLiteral("[%1] received").arg(id)));
}

QTEST_MAIN(TestTasksPage)
#include "tst_taskspage.moc"
