// Hostile bytes from the server, as a key value, a pub/sub payload and a queue message: the
// pages say what is wrong and where, and the app keeps running. `[1e400]` once took the whole
// console down (nlohmann's out_of_range escaped a catch of parse_error only).
#include "commandwait.h"
#include "gui/pubsubcontroller.h"
#include "guitest.h"
#include "keys/keydetailspane.h"
#include "keys/keyspage.h"
#include "keys/keytreemodel.h"
#include "pubsub/pubsubpage.h"
#include "queues/queuelistmodel.h"
#include "queues/queuespage.h"
#include "testredis.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTabWidget>
#include <QTreeView>

using namespace bd;
using models::KeyTreeModel;

namespace {

struct Hostile
{
    QByteArray bytes;
    QString error; // what the page must say, position included
};

QList<Hostile> hostileValues()
{
    // 200,000 bytes: more than the key pane's preview, so the key is read whole ("Load all").
    const QByteArray deep = QByteArray(100'000, '[') + QByteArray(100'000, ']');
    return {{"[1e400]",
             QStringLiteral("not valid JSON at line 1, column 2: number overflow parsing '1e400'")},
            {R"({"a":1e400})",
             QStringLiteral("not valid JSON at line 1, column 6: number overflow parsing '1e400'")},
            {deep, QStringLiteral(
                       "not valid JSON at line 1, column 513: nested deeper than 512 levels")}};
}

} // namespace

class TestHostileInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keyValuesPayloadsAndMessagesSayWhereTheyBreak();
};

void TestHostileInput::keyValuesPayloadsAndMessagesSayWhereTheyBreak()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    connectors::RedisClient other(connectors::RedisUrl::parse(server.url(0)).settings);
    other.open();
    const QList<Hostile> cases = hostileValues();
    for (qsizetype i = 0; i < cases.size(); ++i) {
        QVERIFY(test::runCommand(other, {"SET", "hostile:" + QByteArray::number(i), cases[i].bytes})
                    .ok());
        QVERIFY(test::runCommand(other, {"RPUSH", "hostile_queue", cases[i].bytes}).ok());
    }
    QVERIFY(test::runCommand(other, {"SET", "fine", R"({"still": "working"})"}).ok());

    OpenSession session = openSession(server.url(0));
    auto *tabs = qobject_cast<QTabWidget *>(session->view());

    // Keys: each value opens with the error and its position.
    KeyTreeModel *keys = session->keyModel();
    ui::KeysPage *keysPage = session->keysPage();
    ui::KeyDetailsPane *pane = keysPage->details();
    QTRY_COMPARE_WITH_TIMEOUT(keys->keyCount(), 5, 10000);
    keysPage->view()->expand(keys->indexOfKey("hostile:0").parent());
    for (qsizetype i = 0; i < cases.size(); ++i) {
        keysPage->view()->setCurrentIndex(keys->indexOfKey("hostile:" + QByteArray::number(i)));
        if (cases[i].bytes.size() > 64 * 1024) {
            // Only a preview was read: a preview is never parsed; the whole value is.
            QTRY_VERIFY_WITH_TIMEOUT(
                pane->loadAllButton()->isVisible() && pane->loadAllButton()->isEnabled(), 5000);
            QTest::mouseClick(pane->loadAllButton(), Qt::LeftButton);
        }
        QTRY_VERIFY2_WITH_TIMEOUT(pane->noteText().contains(cases[i].error),
                                  qPrintable(pane->noteText()), 10000);
    }
    keysPage->view()->setCurrentIndex(keys->indexOfKey("fine"));
    QTRY_VERIFY_WITH_TIMEOUT(
        pane->valueText()->toPlainText().contains(QLatin1String("\"still\": \"working\"")), 5000);

    // Pub/Sub: the detail of each payload says it.
    ui::PubSubPage *pubsub = session->pubSubPage();
    tabs->setCurrentWidget(pubsub);
    QTest::keyClicks(child<QLineEdit>(pubsub, "pubsubSubscribeEdit"), QStringLiteral("hostile:ch"));
    QTest::mouseClick(child<QPushButton>(pubsub, "pubsubSubscribe"), Qt::LeftButton);
    QTRY_COMPARE(session->pubSub()->confirmedSubscriptions(), qint64(1));
    for (const Hostile &h : cases)
        QCOMPARE(test::runCommand(other, {"PUBLISH", "hostile:ch", h.bytes}).reply.toInteger(),
                 qint64(1));
    auto *log = child<QTableView>(pubsub, "pubsubMessages");
    QTRY_COMPARE(log->model()->rowCount(), int(cases.size()));
    auto *summary = child<QLabel>(pubsub, "pubsubDetailSummary");
    for (int row = 0; row < int(cases.size()); ++row) {
        QTest::mouseClick(log->viewport(), Qt::LeftButton, {},
                          log->visualRect(log->model()->index(row, 1)).center());
        QTRY_VERIFY2(summary->text().contains(cases[row].error), qPrintable(summary->text()));
    }

    // Queues: a plain list holding them; each message's detail says it.
    ui::QueuesPage *queuesPage = session->queuesPage();
    tabs->setCurrentWidget(queuesPage);
    QTest::keyClicks(child<QLineEdit>(queuesPage, "queuesAddEdit"),
                     QStringLiteral("hostile_queue"));
    QTest::mouseClick(child<QPushButton>(queuesPage, "queuesAdd"), Qt::LeftButton);
    QTRY_VERIFY(session->queueList()->rowOf("hostile_queue") >= 0);
    queuesPage->selectQueue("hostile_queue");
    auto *messages = child<QTableView>(queuesPage, "queuesMessages");
    QTRY_COMPARE(messages->model()->rowCount(), int(cases.size()));
    auto *detail = child<QPlainTextEdit>(queuesPage, "queuesDetail");
    for (int row = 0; row < int(cases.size()); ++row) {
        // Workers take from the right: the last pushed is row 0.
        const Hostile &h = cases[cases.size() - 1 - row];
        QTRY_VERIFY(messages->model()->index(row, 1).data(Qt::DisplayRole).toString()
                    != QLatin1String("loading…"));
        QTest::mouseClick(messages->viewport(), Qt::LeftButton, {},
                          messages->visualRect(messages->model()->index(row, 1)).center());
        QTRY_VERIFY2(detail->toPlainText().contains(h.error),
                     qPrintable(detail->toPlainText().left(300)));
    }

    // Still running, still answering: a message published now arrives and opens.
    QCOMPARE(
        test::runCommand(other, {"PUBLISH", "hostile:ch", R"({"after": true})"}).reply.toInteger(),
        qint64(1));
    QTRY_COMPARE(log->model()->rowCount(), int(cases.size()) + 1);
}

QTEST_MAIN(TestHostileInput)
#include "tst_hostileinput.moc"
