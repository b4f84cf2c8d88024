// The Queues page, driven offscreen through a real Session, on queues real Celery wrote.
#include "commandwait.h"
#include "gui/queuescontroller.h"
#include "guitest.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"
#include "queues/queuespage.h"
#include "testredis.h"

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

QTEST_MAIN(TestQueuesPage)
#include "tst_queuespage.moc"
