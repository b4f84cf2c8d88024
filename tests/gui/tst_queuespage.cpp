// The Queues page, driven offscreen through a real Session, on queues real Celery wrote.
#include "commandwait.h"
#include "audit/auditlog.h"
#include "celery/celerytaskencoder.h"
#include "gui/queuescontroller.h"
#include "guitest.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"
#include "queues/queuespage.h"
#include "testredis.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>

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
        QVERIFY(test::runCommand(other, {"LPUSH", "email_queue", R"({"to": "a@example.com", "n": )" + QByteArray::number(i) + "}"}).ok());

    OpenSession session = openSession(server.url(0));
    ui::QueuesPage *page = session->queuesPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QueueListModel *queues = session->queueList();
    QTRY_VERIFY(queues->rowOf("celery") >= 0 && queues->rowOf("reports") >= 0);
    QCOMPARE(queues->queueAt(queues->rowOf("celery"))->depth(), qint64(10));
    QVERIFY(child<QLabel>(page, "queuesStatus")->text().contains(QLatin1String("messages waiting")));

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
    QCOMPARE(table->model()->index(0, QueueMessagesModel::ArgsColumn).data().toString(), QStringLiteral("[2,3]"));
    QCOMPARE(table->model()->index(9, QueueMessagesModel::PriorityColumn).data().toInt(), 7);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(0, 1)).center());
    auto *detail = child<QPlainTextEdit>(page, "queuesDetail");
    QTRY_VERIFY(detail->toPlainText().contains(QLatin1String("Celery task tasks.celery_tasks.add")));

    // A worker takes one: the depth and the rows follow.
    QVERIFY(test::runCommand(other, {"RPOP", "celery"}).ok());
    QTRY_COMPARE(table->model()->rowCount(), 9);
}

namespace {

// Two tasks queued in "work" (and declared as Celery declares a queue); returns their ids.
QStringList queueTwoTasks(connectors::RedisClient &client)
{
    QStringList ids;
    test::runCommand(client, {"SADD", "_kombu.binding.work", QByteArrayLiteral("work\x06\x16\x06\x16work")});
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
    QVERIFY(box && box->text().contains(QLatin1String("all 1 messages waiting in work")));
    answer(box, QMessageBox::DestructiveRole);
    QTRY_VERIFY(child<QLabel>(page, "queuesActionResult")->text().contains(QLatin1String("Purged work: 1 messages removed")));
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
    // And the connector refuses it even if asked.
    Q_EMIT page->purgeRequested("work", 2);
    QTRY_VERIFY(child<QLabel>(page, "queuesActionResult")->text().contains(QLatin1String("not purged")));
    QCOMPARE(test::runCommand(other, {"LLEN", "work"}).reply.toInteger(), qint64(2));
}

QTEST_MAIN(TestQueuesPage)
#include "tst_queuespage.moc"
