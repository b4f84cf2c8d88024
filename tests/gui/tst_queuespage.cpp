// The Queues page, driven offscreen through a real Session, on queues real Celery wrote.
#include "audit/auditlog.h"
#include "celery/celerytaskencoder.h"
#include "commandwait.h"
#include "gui/queuescontroller.h"
#include "gui/taskscontroller.h"
#include "guitest.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"
#include "queues/queuespage.h"
#include "testredis.h"

#include <QChartView>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QValueAxis>

#include <cmath>

using namespace bd;
using models::QueueListModel;
using models::QueueMessagesModel;

class TestQueuesPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsQueuesAndTheirDecodedContents();
    void deleteAndPurgeAreConfirmedAndAudited();
    void readOnlyProfileCannotChangeQueues();
    void selectedMessagesAreExportedAndMoved();
    void queueNamedAtStartIsOpenOnceListed();
    void depthChartKeepsOneSeriesAndTwoAxes();
};

void TestQueuesPage::showsQueuesAndTheirDecodedContents()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    QProcess producer;
    producer.start(QStringLiteral(BROKERDESK_PYTHON),
                   {QStringLiteral(BROKERDESK_FIXTURES "/celery_produce.py"), server.url(0)});
    QVERIFY(producer.waitForFinished(60000));
    QCOMPARE(producer.exitCode(), 0);
    connectors::RedisClient other(connectors::RedisUrl::parse(server.url(0)).settings);
    other.open();
    for (int i = 0; i < 3; ++i)
        QVERIFY(test::runCommand(other,
                                 {"LPUSH", "email_queue",
                                  R"({"to": "a@example.com", "n": )" + QByteArray::number(i) + "}"})
                    .ok());

    OpenSession session = openSession(server.url(0));
    ui::QueuesPage *page = session->queuesPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QueueListModel *queues = session->queueList();
    // One adapter for the session: the Queues and Tasks pages hold the same one.
    QVERIFY(session->broker());
    QCOMPARE(session->queues()->broker(), session->broker());
    QCOMPARE(session->tasks()->broker(), session->broker());
    QTRY_VERIFY(queues->rowOf("celery") >= 0 && queues->rowOf("reports") >= 0);
    QCOMPARE(queues->queueAt(queues->rowOf("celery"))->depth(), qint64(10));
    QVERIFY(
        child<QLabel>(page, "queuesStatus")->text().contains(QLatin1String("messages waiting")));

    // A plain list, added by name.
    QTest::keyClicks(child<QLineEdit>(page, "queuesAddEdit"), QStringLiteral("email_queue"));
    QTest::mouseClick(child<QPushButton>(page, "queuesAdd"), Qt::LeftButton);
    QTRY_VERIFY(queues->rowOf("email_queue") >= 0);
    QCOMPARE(queues->queueAt(queues->rowOf("email_queue"))->depth(), qint64(3));

    // Open celery: its ten messages, next first, decoded.
    page->selectQueue("celery");
    auto *table = child<QTableView>(page, "queuesMessages");
    QTRY_COMPARE(table->model()->rowCount(), 10);
    QTRY_COMPARE(table->model()->index(0, QueueMessagesModel::TaskColumn).data().toString(),
                 QStringLiteral("tasks.celery_tasks.add"));
    QCOMPARE(table->model()->index(0, QueueMessagesModel::ArgsColumn).data().toString(),
             QStringLiteral("[2,3]"));
    QCOMPARE(table->model()->index(9, QueueMessagesModel::PriorityColumn).data().toInt(), 7);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                      table->visualRect(table->model()->index(0, 1)).center());
    auto *detail = child<QPlainTextEdit>(page, "queuesDetail");
    QTRY_VERIFY(
        detail->toPlainText().contains(QLatin1String("Celery task tasks.celery_tasks.add")));

    // A worker takes one: the depth and the rows follow.
    QVERIFY(test::runCommand(other, {"RPOP", "celery"}).ok());
    QTRY_COMPARE(table->model()->rowCount(), 9);
}

namespace {

// Two tasks queued in "work" (and declared as Celery declares a queue); returns their ids.
QStringList queueTwoTasks(connectors::RedisClient &client)
{
    QStringList ids;
    test::runCommand(
        client, {"SADD", "_kombu.binding.work", QByteArrayLiteral("work\x06\x16\x06\x16work")});
    for (int i = 0; i < 2; ++i) {
        connectors::CeleryTaskRequest r;
        r.task = QStringLiteral("tasks.celery_tasks.add");
        r.args = nlohmann::json::array({i, i});
        r.queue = QStringLiteral("work");
        const connectors::EncodedCeleryTask e = connectors::encodeCeleryTask(r);
        test::runCommand(client, {"LPUSH", e.listKey, e.envelope});
        ids << e.id;
    }
    return ids;
}

} // namespace

void TestQueuesPage::deleteAndPurgeAreConfirmedAndAudited()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    connectors::RedisClient other(connectors::RedisUrl::parse(server.url(0)).settings);
    other.open();
    const QStringList ids = queueTwoTasks(other);
    QFile::remove(connectors::AuditLog::defaultPath());

    OpenSession session = openSession(server.url(0));
    ui::QueuesPage *page = session->queuesPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QTRY_VERIFY(session->queueList()->rowOf("work") >= 0);
    page->selectQueue("work");
    auto *table = child<QTableView>(page, "queuesMessages");
    QTRY_COMPARE(table->model()->index(0, QueueMessagesModel::IdColumn).data().toString(), ids[0]);

    // Delete the first: Cancel keeps it, confirming removes exactly it.
    table->setCurrentIndex(table->model()->index(0, 1));
    auto *remove = child<QPushButton>(page, "queuesDelete");
    QVERIFY(remove->isEnabled());
    remove->click();
    QMessageBox *box = visibleBox(page);
    QVERIFY(box && box->text().contains(ids[0]));
    answer(box, QMessageBox::RejectRole);
    QCOMPARE(test::runCommand(other, {"LLEN", "work"}).reply.toInteger(), qint64(2));
    remove->click();
    answer(visibleBox(page), QMessageBox::DestructiveRole);
    QTRY_COMPARE(test::runCommand(other, {"LLEN", "work"}).reply.toInteger(), qint64(1));
    QTRY_COMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, QueueMessagesModel::IdColumn).data().toString(), ids[1]);

    // Purge: the box names the queue and the count; the status says what went.
    child<QPushButton>(page, "queuesPurge")->click();
    box = visibleBox(page);
    QVERIFY(box && box->text().contains(QLatin1String("all 1 message waiting in work")));
    answer(box, QMessageBox::DestructiveRole);
    QTRY_VERIFY(child<QLabel>(page, "queuesActionResult")
                    ->text()
                    .contains(QLatin1String("Purged work: 1 message removed")));
    QCOMPARE(test::runCommand(other, {"EXISTS", "work"}).reply.toInteger(), qint64(0));

    // Both are in the audit log, with the task id and the outcome.
    QFile audit(connectors::AuditLog::defaultPath());
    QVERIFY(audit.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = audit.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const nlohmann::json deleted = nlohmann::json::parse(lines[0].toStdString());
    QCOMPARE(deleted["action"].get<std::string>(), std::string("delete"));
    QCOMPARE(deleted["task_ids"][0].get<std::string>(), ids[0].toStdString());
    QCOMPARE(deleted["outcome"].get<std::string>(), std::string("removed"));
    QCOMPARE(deleted["profile"].get<std::string>(), std::string("test"));
    const nlohmann::json purged = nlohmann::json::parse(lines[1].toStdString());
    QCOMPARE(purged["action"].get<std::string>(), std::string("purge"));
    QCOMPARE(purged["target"].get<std::string>(), std::string("work"));
    QCOMPARE(purged["outcome"].get<std::string>(), std::string("removed 1"));
}

void TestQueuesPage::selectedMessagesAreExportedAndMoved()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    connectors::RedisClient other(connectors::RedisUrl::parse(server.url(0)).settings);
    other.open();
    QStringList ids = queueTwoTasks(other);
    ids += queueTwoTasks(other); // four, next to run first: ids[0] … ids[3]
    // A high-priority one, in the 6-8 list: it moves to the same list of the target.
    connectors::CeleryTaskRequest urgent;
    urgent.task = QStringLiteral("tasks.celery_tasks.add");
    urgent.queue = QStringLiteral("work");
    urgent.priority = 6;
    const connectors::EncodedCeleryTask u = connectors::encodeCeleryTask(urgent);
    QVERIFY(test::runCommand(other, {"LPUSH", u.listKey, u.envelope}).ok());
    QFile::remove(connectors::AuditLog::defaultPath());

    OpenSession session = openSession(server.url(0));
    ui::QueuesPage *page = session->queuesPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QTRY_VERIFY(session->queueList()->rowOf("work") >= 0);
    page->selectQueue("work");
    auto *table = child<QTableView>(page, "queuesMessages");
    QTRY_COMPARE(table->model()->rowCount(), 5);
    QTRY_COMPARE(table->model()->index(4, QueueMessagesModel::IdColumn).data().toString(), u.id);
    auto *move = child<QPushButton>(page, "queuesMove");
    QVERIFY(!move->isEnabled()); // nothing selected
    // Rows 1, 2 and 4 (the urgent one), picked with Ctrl as an operator would.
    for (int row : {1, 2, 4})
        table->selectionModel()->select(table->model()->index(row, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QVERIFY(move->isEnabled());

    // Export: one JSON line a message, its envelope as it is in the queue.
    QTemporaryDir dir;
    page->exportSelectedTo(dir.filePath(QStringLiteral("work.jsonl")));
    QFile exported(dir.filePath(QStringLiteral("work.jsonl")));
    QVERIFY(exported.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = exported.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    const nlohmann::json first = nlohmann::json::parse(lines[0].toStdString());
    QCOMPARE(first["id"].get<std::string>(), ids[1].toStdString());
    QCOMPARE(first["position"].get<int>(), 1);
    QCOMPARE(first["queue"].get<std::string>(), std::string("work"));
    QCOMPARE(first["envelope"]["headers"]["id"].get<std::string>(), ids[1].toStdString());
    QCOMPARE(nlohmann::json::parse(lines[2].toStdString())["priority_step"].get<int>(), 6);
    QVERIFY(child<QLabel>(page, "queuesActionResult")
                ->text()
                .contains(QLatin1String("Exported 3 messages")));

    // Move: the box names the count, both queues and the tasks; Cancel moves nothing.
    move->click();
    auto *target = page->findChild<QInputDialog *>(QStringLiteral("queuesMoveTarget"));
    QVERIFY(target && target->isVisible());
    target->setTextValue(QStringLiteral("reports"));
    target->accept();
    QMessageBox *box = visibleBox(page);
    QVERIFY(box);
    QVERIFY2(box->text().contains(QLatin1String("Move 3 messages from work to reports"))
                 && box->text().contains(ids[1]),
             qPrintable(box->text()));
    answer(box, QMessageBox::RejectRole);
    QCOMPARE(test::runCommand(other, {"LLEN", "work"}).reply.toInteger(), qint64(4));
    page->moveSelectedTo("reports");
    answer(visibleBox(page), QMessageBox::DestructiveRole);
    QTRY_COMPARE(test::runCommand(other, {"LLEN", "reports"}).reply.toInteger(), qint64(2));
    QCOMPARE(test::runCommand(other, {"LLEN", "work"}).reply.toInteger(), qint64(2));
    QCOMPARE(test::runCommand(other, {"LLEN", QByteArrayLiteral("reports\x06\x16"
                                                                "6")})
                 .reply.toInteger(),
             qint64(1));
    QCOMPARE(test::runCommand(other, {"LLEN", QByteArrayLiteral("work\x06\x16"
                                                                "6")})
                 .reply.toInteger(),
             qint64(0));
    // Readdressed: a worker that gives the message back returns it to reports.
    const connectors::RedisResult movedOne = test::runCommand(other, {"RPOP", "reports"});
    const nlohmann::json envelope = nlohmann::json::parse(movedOne.reply.bytes().toStdString());
    QCOMPARE(envelope["properties"]["delivery_info"]["routing_key"].get<std::string>(),
             std::string("reports"));
    QCOMPARE(envelope["headers"]["id"].get<std::string>(),
             ids[1].toStdString()); // the first moved runs first
    QTRY_VERIFY(child<QLabel>(page, "queuesActionResult")
                    ->text()
                    .contains(QLatin1String("Moved 3 of 3 messages from work to reports")));
    // What is left in work: the two not selected, in their order.
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QTRY_COMPARE(table->model()->index(0, QueueMessagesModel::IdColumn).data().toString(), ids[0]);
    QCOMPARE(table->model()->index(1, QueueMessagesModel::IdColumn).data().toString(), ids[3]);

    QFile audit(connectors::AuditLog::defaultPath());
    QVERIFY(audit.open(QIODevice::ReadOnly));
    const QList<QByteArray> records = audit.readAll().trimmed().split('\n');
    QCOMPARE(records.size(), 2);
    const nlohmann::json exportRecord = nlohmann::json::parse(records[0].toStdString());
    QCOMPARE(exportRecord["action"].get<std::string>(), std::string("export"));
    const nlohmann::json moveRecord = nlohmann::json::parse(records[1].toStdString());
    QCOMPARE(moveRecord["action"].get<std::string>(), std::string("move"));
    QCOMPARE(moveRecord["target"].get<std::string>(), std::string("work -> reports"));
    QCOMPARE(moveRecord["outcome"].get<std::string>(), std::string("moved 3 of 3"));
    QCOMPARE(moveRecord["task_ids"].size(), size_t(3));
}

void TestQueuesPage::readOnlyProfileCannotChangeQueues()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    connectors::RedisClient other(connectors::RedisUrl::parse(server.url(0)).settings);
    other.open();
    queueTwoTasks(other);
    OpenSession session = openSession(server.url(0), true);
    ui::QueuesPage *page = session->queuesPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QTRY_VERIFY(session->queueList()->rowOf("work") >= 0);
    page->selectQueue("work");
    QVERIFY(!child<QPushButton>(page, "queuesPurge")->isEnabled());
    QVERIFY(!child<QPushButton>(page, "queuesDelete")->isEnabled());
    auto *table = child<QTableView>(page, "queuesMessages");
    QTRY_VERIFY(table->model()->index(0, QueueMessagesModel::IdColumn).data().isValid());
    table->selectRow(0);
    QVERIFY(!child<QPushButton>(page, "queuesMove")->isEnabled());
    QVERIFY(child<QPushButton>(page, "queuesExport")->isEnabled()); // reading is fine
    // And the connector refuses it even if asked.
    Q_EMIT page->purgeRequested("work", 2);
    QTRY_VERIFY(
        child<QLabel>(page, "queuesActionResult")->text().contains(QLatin1String("not purged")));
    QCOMPARE(test::runCommand(other, {"LLEN", "work"}).reply.toInteger(), qint64(2));
}

// brokerdesk --queue NAME: the plain list is listed and open when the page is first shown; a
// queue named later does not take the place of the one the operator opened.
void TestQueuesPage::queueNamedAtStartIsOpenOnceListed()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    connectors::RedisClient other(connectors::RedisUrl::parse(server.url(0)).settings);
    other.open();
    queueTwoTasks(other);
    for (int i = 0; i < 2; ++i)
        QVERIFY(test::runCommand(other,
                                 {"LPUSH", "email_queue",
                                  R"({"to": "b@example.com", "n": )" + QByteArray::number(i) + "}"})
                    .ok());
    QVERIFY(test::runCommand(other, {"LPUSH", "sms_queue", "hello"}).ok());

    OpenSession session = openSession(server.url(0));
    session->queues()->showQueue("email_queue"); // before the page is shown, as main() does
    ui::QueuesPage *page = session->queuesPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QTRY_COMPARE(page->selectedQueue(), QByteArrayLiteral("email_queue"));
    auto *table = child<QTableView>(page, "queuesMessages");
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QVERIFY(session->queueList()->rowOf("work") >= 0); // the others are listed as ever

    page->selectQueue("work");
    session->queues()->showQueue("sms_queue");
    QTRY_VERIFY(session->queueList()->rowOf("sms_queue") >= 0);
    QTest::qWait(50);
    QCOMPARE(page->selectedQueue(), QByteArrayLiteral("work"));
}

void TestQueuesPage::depthChartKeepsOneSeriesAndTwoAxes()
{
    // The chart is redrawn every second while the page is shown: it removed its axes and made
    // two new ones each time, and Qt Charts does not delete an axis it is told to remove.
    QueueListModel queues;
    QueueMessagesModel messages;
    ui::QueuesPage page(&queues, &messages);
    page.resize(1000, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *view = child<QChartView>(&page, "queuesChart");
    QVERIFY(view);
    QList<QPointer<QAbstractAxis>> seen;
    connectors::CeleryQueueInfo info;
    info.name = "jobs";
    info.declared = true;
    for (int second = 0; second < 120; ++second) {
        info.byStep[0] = 1000 - second;
        queues.setQueues({info}, 1'700'000'000'000LL + second * 1000LL);
        if (second == 0)
            page.selectQueue("jobs");
        for (QAbstractAxis *axis : view->chart()->axes())
            if (!seen.contains(axis))
                seen << axis;
    }
    QCOMPARE(view->chart()->series().size(), 1);
    QCOMPARE(view->chart()->axes().size(), 2);
    QVERIFY(view->chart()->title().contains(QLatin1String("jobs")));
    auto *series = qobject_cast<QLineSeries *>(view->chart()->series().first());
    QVERIFY(series && series->count() >= 2);
    QCOMPARE(series->points().last().y(), 881.0);
    // Whole messages on every tick, above the highest depth (1000).
    auto *depth = qobject_cast<QValueAxis *>(view->chart()->axes(Qt::Vertical).first());
    QVERIFY(depth);
    QVERIFY(depth->max() >= 1000);
    const double step = depth->max() / (depth->tickCount() - 1);
    QCOMPARE(step, std::floor(step));
    // Every axis ever shown is in the chart or gone: none lives on, detached.
    for (const QPointer<QAbstractAxis> &axis : seen)
        QVERIFY(!axis || view->chart()->axes().contains(axis.data()));
    QCOMPARE(seen.size(), 2);
}

QTEST_MAIN(TestQueuesPage)
#include "tst_queuespage.moc"
