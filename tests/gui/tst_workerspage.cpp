// The Workers page and the tasks timeline against a real Celery worker (-E) on a private
// redis-server: the worker listed online with what it answers, a task followed to SUCCESS and
// another to FAILURE with its traceback, controls answered "ok" and audited, a running task
// revoked with terminate, the timeline read back from the store by a new session, and the
// worker, killed, shown offline within 2 × its heartbeat interval (+ 1 s).
#include "audit/auditlog.h"
#include "celery/celerytaskencoder.h"
#include "celeryworker.h"
#include "commandwait.h"
#include "events/tasktimelinemodel.h"
#include "events/tasktimelineview.h"
#include "gui/eventscontroller.h"
#include "gui/session.h"
#include "gui/taskscontroller.h"
#include "gui/workerscontroller.h"
#include "guitest.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"
#include "workers/workercontroldialog.h"
#include "workers/workerlistmodel.h"
#include "workers/workerspage.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

using namespace bd;
using models::TaskTimelineModel;
using models::WorkerListModel;

class TestWorkersPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void workerListedOnlineWithItsAnswers();
    void tasksFollowedToTheirEnd();
    void controlsAnsweredAndAudited();
    void runningTaskRevokedWithTerminate();
    void timelineReadBackFromTheStore();
    void killedWorkerGoesOffline();
    void cleanupTestCase();

private:
    // Pushes a task message; returns its id.
    QString send(const QString &task, const nlohmann::json &args);
    int workerRow(WorkerListModel *model) const { return model->rowOf(m_worker->nodeName()); }

    std::unique_ptr<test::PrivateRedisServer> m_server;
    std::unique_ptr<test::CeleryWorker> m_worker;
    QStringList m_seen; // task ids the timeline showed
};

void TestWorkersPage::initTestCase()
{
    m_server = std::make_unique<test::PrivateRedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    m_worker = std::make_unique<test::CeleryWorker>(m_server->url(0));
    QVERIFY2(m_worker->start(), qPrintable(m_worker->log()));
}

void TestWorkersPage::cleanupTestCase()
{
    if (m_worker)
        m_worker->stop();
}

QString TestWorkersPage::send(const QString &task, const nlohmann::json &args)
{
    connectors::RedisClient client(connectors::RedisUrl::parse(m_server->url(0)).settings);
    client.open();
    connectors::CeleryTaskRequest request;
    request.task = task;
    request.args = args;
    const connectors::EncodedCeleryTask e = connectors::encodeCeleryTask(request);
    if (!test::runCommand(client, {"LPUSH", e.listKey, e.envelope}).ok())
        return {};
    return e.id;
}

void TestWorkersPage::workerListedOnlineWithItsAnswers()
{
    OpenSession session = openSession(m_server->url(0));
    WorkerListModel *workers = session->workerList();
    QAbstractItemModelTester tester(workers,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(session->workersPage());
    // Heartbeats (every 2 s) and the inspection the page asks for when shown.
    QTRY_VERIFY_WITH_TIMEOUT(workerRow(workers) >= 0
                                 && workers->status(workerRow(workers))
                                        == WorkerListModel::Status::Online
                                 && workers->inspection(m_worker->nodeName()),
                             15000);
    const int row = workerRow(workers);
    QCOMPARE(workers->index(row, WorkerListModel::StatusColumn).data().toString(),
             QStringLiteral("online"));
    QCOMPARE(workers->index(row, WorkerListModel::PoolColumn).data().toString(),
             QStringLiteral("prefork"));
    QCOMPARE(workers->index(row, WorkerListModel::ConcurrencyColumn).data().toString(),
             QStringLiteral("1"));
    QVERIFY(workers->index(row, WorkerListModel::QueuesColumn)
                .data()
                .toString()
                .contains(QLatin1String("reports")));
    const connectors::WorkerInspection *w = workers->inspection(m_worker->nodeName());
    QVERIFY(w->registered.contains(QStringLiteral("tasks.celery_tasks.add")));
    QVERIFY(!w->broker.isEmpty());
    auto *status = child<QLabel>(session->workersPage(), "workersStatus");
    QVERIFY2(status->text().contains(QLatin1String("1 worker answered")),
             qPrintable(status->text()));
    // Selected: its registered tasks are listed.
    session->workersPage()->table()->selectRow(0);
    auto *details = child<QTabWidget>(session->workersPage(), "workerDetails");
    auto *registered = qobject_cast<QTableView *>(details->widget(0));
    QVERIFY(registered);
    QTRY_VERIFY(registered->model()->rowCount() >= 4);
}

void TestWorkersPage::tasksFollowedToTheirEnd()
{
    OpenSession session = openSession(m_server->url(0));
    TaskTimelineModel *timeline = session->timeline();
    QAbstractItemModelTester tester(timeline,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Following once the first heartbeat has come through.
    QTRY_VERIFY_WITH_TIMEOUT(!timeline->state().workers().isEmpty(), 10000);
    const QString ok = send(QStringLiteral("tasks.celery_tasks.add"), {2, 3});
    const QString bad = send(QStringLiteral("tasks.celery_tasks.parse_shift_report"), {3});
    QVERIFY(!ok.isEmpty() && !bad.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(timeline->state().task(ok)
                                 && timeline->state().task(ok)->state
                                        == connectors::TaskEventState::Success,
                             15000);
    const connectors::TaskEventRecord *t = timeline->state().task(ok);
    QCOMPARE(t->name, QStringLiteral("tasks.celery_tasks.add"));
    QCOMPARE(t->result, QStringLiteral("5"));
    QCOMPARE(t->worker, m_worker->nodeName());
    QVERIFY(t->runtime >= 0);
    QStringList types;
    for (const connectors::TaskEventEntry &e : t->history)
        types << e.type;
    QCOMPARE(types, (QStringList{QStringLiteral("task-received"), QStringLiteral("task-started"),
                                 QStringLiteral("task-succeeded")}));
    QTRY_VERIFY_WITH_TIMEOUT(timeline->state().task(bad)
                                 && timeline->state().task(bad)->state
                                        == connectors::TaskEventState::Failure,
                             15000);
    const connectors::TaskEventRecord *f = timeline->state().task(bad);
    QVERIFY2(f->exception.contains(QLatin1String("KeyError")), qPrintable(f->exception));
    QVERIFY2(f->traceback.contains(QLatin1String("Traceback")), qPrintable(f->traceback));
    // Shown: the row, its state, and the filter by state finds it.
    const int row = timeline->rowOf(bad);
    QCOMPARE(timeline->index(row, TaskTimelineModel::StateColumn).data().toString(),
             QStringLiteral("FAILURE"));
    ui::TaskTimelineView *view = session->timelineView();
    child<QComboBox>(view, "timelineState")->setCurrentText(QStringLiteral("FAILURE"));
    QTRY_VERIFY(view->table()->model()->rowCount() >= 1);
    for (int r = 0; r < view->table()->model()->rowCount(); ++r)
        QCOMPARE(view->table()->model()->index(r, TaskTimelineModel::StateColumn).data().toString(),
                 QStringLiteral("FAILURE"));
    // Selected: its history, its traceback and its result-backend record.
    view->table()->selectRow(0);
    auto *detail = child<QPlainTextEdit>(view, "timelineDetail");
    QTRY_VERIFY_WITH_TIMEOUT(detail->toPlainText().contains(QLatin1String("FAILURE, done")), 5000);
    QVERIFY(detail->toPlainText().contains(QLatin1String("task-failed")));
    QVERIFY2(detail->toPlainText().contains(QLatin1String("not seen here")),
             qPrintable(detail->toPlainText()));

    // A task sent from this window: its detail says where its message came from.
    const QString here = session->tasks()->sendTask(QStringLiteral("tasks.celery_tasks.add"),
                                                    QString(), [](bool, const QString &, bool) {});
    QVERIFY(!here.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(timeline->state().task(here), 15000);
    child<QComboBox>(view, "timelineState")->setCurrentIndex(0);
    child<QLineEdit>(view, "timelineText")->setText(here);
    QTRY_COMPARE(view->table()->model()->rowCount(), 1);
    view->table()->selectRow(0);
    QTRY_VERIFY_WITH_TIMEOUT(detail->toPlainText().contains(QLatin1String("sent from this window")),
                             5000);
    m_seen << ok << bad;
}

void TestWorkersPage::controlsAnsweredAndAudited()
{
    OpenSession session = openSession(m_server->url(0));
    ui::WorkersPage *page = session->workersPage();
    WorkerListModel *workers = session->workerList();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QTRY_VERIFY_WITH_TIMEOUT(workers->inspection(m_worker->nodeName()), 15000);
    page->table()->selectRow(0);

    // Rate limit: the values asked, the confirmation names the worker and the rate.
    QMenu *menu = child<QToolButton>(page, "controlSelected")->menu();
    QAction *rate = menu->findChild<QAction *>(QStringLiteral("rate_limit"));
    QVERIFY(rate);
    rate->trigger();
    auto *dialog =
        page->findChild<ui::WorkerControlDialog *>(QStringLiteral("workerControlDialog"));
    QVERIFY(dialog);
    dialog->findChild<QComboBox *>(QStringLiteral("task_name"))
        ->setCurrentText(QStringLiteral("tasks.celery_tasks.add"));
    dialog->findChild<QLineEdit *>(QStringLiteral("rate_limit"))->setText(QStringLiteral("oops"));
    QVERIFY(!dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    dialog->findChild<QLineEdit *>(QStringLiteral("rate_limit"))->setText(QStringLiteral("10/m"));
    dialog->accept();
    QMessageBox *box = visibleBox(page);
    QVERIFY(box);
    QVERIFY2(box->text().contains(m_worker->nodeName())
                 && box->text().contains(QLatin1String("10/m")),
             qPrintable(box->text()));
    QSignalSpy done(session->workers(), &app::WorkersController::controlDone);
    answer(box, QMessageBox::DestructiveRole);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
    auto *replies = child<QPlainTextEdit>(page, "controlReplies");
    QVERIFY2(replies->toPlainText().contains(
                 m_worker->nodeName() + QStringLiteral(": ok: new rate limit set successfully")),
             qPrintable(replies->toPlainText()));

    // Pool grow, for all workers.
    QAction *grow = child<QToolButton>(page, "controlAll")
                        ->menu()
                        ->findChild<QAction *>(QStringLiteral("pool_grow"));
    QVERIFY(grow);
    grow->trigger();
    dialog = page->findChild<ui::WorkerControlDialog *>(QStringLiteral("workerControlDialog"));
    QVERIFY(dialog);
    dialog->accept();
    box = visibleBox(page);
    QVERIFY(box);
    QVERIFY2(box->text().contains(QLatin1String("1 process")), qPrintable(box->text()));
    answer(box, QMessageBox::DestructiveRole);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 10000);
    QVERIFY2(replies->toPlainText().contains(QLatin1String("ok: pool will grow")),
             qPrintable(replies->toPlainText()));

    QFile audit(connectors::AuditLog::defaultPath());
    QVERIFY(audit.open(QIODevice::ReadOnly));
    const QByteArray records = audit.readAll();
    QVERIFY2(records.contains("control rate_limit") && records.contains("new rate limit set")
                 && records.contains("control pool_grow") && records.contains("pool will grow"),
             records.constData());
}

void TestWorkersPage::runningTaskRevokedWithTerminate()
{
    OpenSession session = openSession(m_server->url(0));
    TaskTimelineModel *timeline = session->timeline();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(session->tasksPage());
    QTRY_VERIFY_WITH_TIMEOUT(!timeline->state().workers().isEmpty(), 10000);
    const QString slow =
        send(QStringLiteral("tasks.celery_tasks.rebuild_analytics"), {"revoke_test", 60});
    QTRY_VERIFY_WITH_TIMEOUT(timeline->state().task(slow)
                                 && timeline->state().task(slow)->state
                                        == connectors::TaskEventState::Started,
                             15000);
    ui::TaskTimelineView *view = session->timelineView();
    child<QLineEdit>(view, "timelineText")->setText(slow);
    QTRY_COMPARE(view->table()->model()->rowCount(), 1);
    view->table()->selectRow(0);
    QCOMPARE(view->selectedTasks(), QStringList{slow});
    child<QPushButton>(view, "terminateTasks")->click();
    QMessageBox *box = visibleBox(view);
    QVERIFY(box);
    QVERIFY2(box->text().contains(slow) && box->text().contains(QLatin1String("SIGTERM")),
             qPrintable(box->text()));
    answer(box, QMessageBox::DestructiveRole);
    QTRY_VERIFY_WITH_TIMEOUT(
        timeline->state().task(slow)->state == connectors::TaskEventState::Revoked, 15000);
    QVERIFY(timeline->state().task(slow)->terminated);
    // Audited once the replies are in (the broadcast collects them for its whole timeout).
    const auto audited = [&slow] {
        QFile audit(connectors::AuditLog::defaultPath());
        return audit.open(QIODevice::ReadOnly) && audit.readAll().contains(slow.toUtf8());
    };
    QTRY_VERIFY_WITH_TIMEOUT(audited(), 5000);
    QFile audit(connectors::AuditLog::defaultPath());
    QVERIFY(audit.open(QIODevice::ReadOnly));
    const QByteArray records = audit.readAll();
    QVERIFY2(records.contains("control revoke") && records.contains("terminate: "),
             records.constData());
    m_seen << slow;
}

void TestWorkersPage::timelineReadBackFromTheStore()
{
    QVERIFY(!m_seen.isEmpty());
    // A new session on the same server: the tasks come back from the store before any event.
    OpenSession session = openSession(m_server->url(0));
    TaskTimelineModel *timeline = session->timeline();
    QTRY_VERIFY_WITH_TIMEOUT(session->events()->isRestored(), 10000);
    for (const QString &id : std::as_const(m_seen))
        QVERIFY2(timeline->state().task(id), qPrintable(id));
    QCOMPARE(timeline->state().task(m_seen.first())->state, connectors::TaskEventState::Success);
    QVERIFY(!timeline->state().task(m_seen.first())->history.empty());
}

void TestWorkersPage::killedWorkerGoesOffline()
{
    OpenSession session = openSession(m_server->url(0));
    WorkerListModel *workers = session->workerList();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(session->workersPage());
    QTRY_VERIFY_WITH_TIMEOUT(workerRow(workers) >= 0
                                 && workers->status(workerRow(workers))
                                        == WorkerListModel::Status::Online,
                             15000);
    const double freq = workers->eventRecord(m_worker->nodeName())->freq;
    QCOMPARE(freq, 2.0);
    m_worker->kill();
    QElapsedTimer since;
    since.start();
    QTRY_VERIFY_WITH_TIMEOUT(workers->status(workerRow(workers))
                                 == WorkerListModel::Status::Offline,
                             int((2 * freq + 1) * 1000));
    // Still listed, greyed, with how long ago it was last seen.
    QVERIFY(workers->index(workerRow(workers), WorkerListModel::LastSeenColumn)
                .data()
                .toString()
                .contains(QLatin1String("ago")));
    QVERIFY(workers->index(workerRow(workers), WorkerListModel::HostnameColumn)
                .data(Qt::ForegroundRole)
                .isValid());
    qInfo("offline %lld ms after the kill", since.elapsed());
    m_worker.reset();
}

QTEST_MAIN(TestWorkersPage)
#include "tst_workerspage.moc"
