// The Pub/Sub page and the profiler, driven offscreen through a real Session against the
// fixture's redis-server.
#include "commandwait.h"
#include "gui/profilercontroller.h"
#include "gui/pubsubcontroller.h"
#include "guitest.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/messagelogview.h"
#include "pubsub/profilerpage.h"
#include "pubsub/pubsubpage.h"
#include "pubsub/trafficstatsmodel.h"
#include "testredis.h"

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace bd;
using models::MessageLogModel;

class TestPubSubPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void subscribeSeeRowsOpenDetailAndPublish();
    void followTurnsOffWhenTheOperatorScrollsUp();
    void listsTheServersChannelsWithTheirSubscribers();
    void readOnlyProfileCannotPublish();
    void keyspacePresetSubscribesAndOffersTheSetting();
    void savedProfilesKeepTheirSubscriptions();
    void profilerShowsCommandsAndStopsByItself();

private:
    test::RedisFixture m_fixture;
};

namespace {

// A kombu envelope as a worker publishes it on /0.celeryev/task.multi (celery.md §5).
QByteArray eventEnvelope()
{
    const QByteArray body =
        R"([{"hostname": "w1@vm", "type": "task-succeeded", "uuid": "u1", "result": "5"}])";
    return R"({"body": ")" + body.toBase64()
           + R"(", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"hostname": "w1@vm"}, )"
             R"("properties": {"delivery_mode": 1, "delivery_info": {"exchange": "celeryev", "routing_key": "task.multi"}, )"
             R"("priority": 0, "body_encoding": "base64", "delivery_tag": "d1"}})";
}

} // namespace

void TestPubSubPage::initTestCase()
{
    m_fixture = test::RedisFixture::load();
    QVERIFY2(m_fixture.ok, qPrintable(m_fixture.error));
}

void TestPubSubPage::subscribeSeeRowsOpenDetailAndPublish()
{
    OpenSession session = openSession(m_fixture.url());
    auto *tabs = qobject_cast<QTabWidget *>(session->view());
    ui::PubSubPage *page = session->pubSubPage();
    tabs->setCurrentWidget(page);
    QVERIFY(QTest::qWaitForWindowExposed(page));

    // Subscribe as the operator does: type, click.
    auto *edit = child<QLineEdit>(page, "pubsubSubscribeEdit");
    QTest::keyClicks(edit, QStringLiteral("gui:ch gui:events/*"));
    QTest::mouseClick(child<QPushButton>(page, "pubsubSubscribe"), Qt::LeftButton);
    QTRY_COMPARE(session->pubSub()->confirmedSubscriptions(), qint64(2));
    QVERIFY(
        child<QLabel>(page, "pubsubSubscriptions")->text().contains(QLatin1String("gui:events/*")));
    QTRY_VERIFY(child<QLabel>(page, "pubsubConnection")->text().contains(QLatin1String("live")));

    // A separate client publishes.
    connectors::RedisClient publisher(connectors::RedisUrl::parse(m_fixture.url()).settings);
    publisher.open();
    QCOMPARE(
        test::runCommand(publisher, {"PUBLISH", "gui:ch", R"({"event":"registry_updated","n":1})"})
            .reply.toInteger(),
        qint64(1));
    QCOMPARE(test::runCommand(publisher, {"PUBLISH", "gui:events/task.multi", eventEnvelope()})
                 .reply.toInteger(),
             qint64(1));
    auto *table = child<QTableView>(page, "pubsubMessages");
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QCOMPARE(table->model()->index(1, MessageLogModel::OriginColumn).data().toString(),
             QStringLiteral("gui:events/*"));

    // Open the first: pretty JSON.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                      table->visualRect(table->model()->index(0, 1)).center());
    auto *text = child<QPlainTextEdit>(page, "pubsubDetailText");
    QTRY_VERIFY(text->toPlainText().contains(QLatin1String("\"event\": \"registry_updated\"")));
    // Open the second: the envelope is decoded, and its tab comes forward.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                      table->visualRect(table->model()->index(1, 1)).center());
    auto *envelope = child<QPlainTextEdit>(page, "pubsubDetailEnvelope");
    QTRY_VERIFY(
        envelope->toPlainText().contains(QLatin1String("Celery event: task-succeeded from w1@vm")));
    QVERIFY(envelope->toPlainText().contains(QLatin1String("\"result\": \"5\"")));
    QCOMPARE(child<QTabWidget>(page, "pubsubDetailTabs")->currentWidget(), envelope);
    QVERIFY(child<QLabel>(page, "pubsubDetailSummary")
                ->text()
                .contains(QLatin1String("gui:events/task.multi")));

    // The channel list counts per channel.
    QTRY_COMPARE(session->pubSubTraffic()->totalFor("gui:ch"), qint64(1));

    // Publish from the page: invalid JSON is refused before anything is sent.
    auto *channel = child<QLineEdit>(page, "pubsubPublishChannel");
    auto *payload = child<QLineEdit>(page, "pubsubPublishPayload");
    auto *json = child<QCheckBox>(page, "pubsubPublishJson");
    auto *publish = child<QPushButton>(page, "pubsubPublish");
    QTest::keyClicks(channel, QStringLiteral("gui:ch"));
    json->setChecked(true);
    QTest::keyClicks(payload, QStringLiteral("{\"broken\": "));
    QVERIFY(!publish->isEnabled());
    QVERIFY(child<QLabel>(page, "pubsubPublishResult")
                ->text()
                .contains(QLatin1String("Not valid JSON")));
    QTest::keyClicks(payload, QStringLiteral("true}"));
    QVERIFY(publish->isEnabled());
    QTest::mouseClick(publish, Qt::LeftButton);
    QTRY_VERIFY(
        child<QLabel>(page, "pubsubPublishResult")->text().contains(QLatin1String("1 receiver")));
    QTRY_COMPARE(table->model()->rowCount(), 3);

    // A channel filter shows only its rows; the capture goes on.
    QTest::keyClicks(child<QLineEdit>(page, "pubsubNameFilter"), QStringLiteral("events"));
    QTRY_COMPARE(table->model()->rowCount(), 1);
    QCOMPARE(test::runCommand(publisher, {"PUBLISH", "gui:ch", "while filtered"}).reply.toInteger(),
             qint64(1));
    QTRY_COMPARE(session->pubSubLog()->receivedCount(), quint64(4));
    QCOMPARE(table->model()->rowCount(), 1);

    // Export of the shown rows and of the whole capture.
    QTemporaryDir dir;
    const QString shown = dir.filePath(QStringLiteral("shown.jsonl"));
    const QString all = dir.filePath(QStringLiteral("all.csv"));
    // Written on a pool thread: the counts come with exported().
    QSignalSpy exported(page->logView(), &ui::MessageLogView::exported);
    page->logView()->exportTo(shown, MessageLogModel::ExportFormat::JsonLines, true);
    QVERIFY(exported.wait(5000));
    QCOMPARE(exported.last().at(0).toLongLong(), qint64(1));
    page->logView()->exportTo(all, MessageLogModel::ExportFormat::Csv, false);
    QVERIFY(exported.wait(5000));
    QCOMPARE(exported.last().at(0).toLongLong(), qint64(4));
    QVERIFY(child<QLabel>(page, "pubsubExportNote")
                ->text()
                .startsWith(QLatin1String("Exported 4 rows")));
    QFile file(shown);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("gui:events/task.multi"));

    // Unsubscribing from the page: the server stops sending.
    child<QLineEdit>(page, "pubsubNameFilter")->clear();
    session->pubSub()->unsubscribe("gui:ch");
    QTRY_COMPARE(session->pubSub()->confirmedSubscriptions(), qint64(1));
    QCOMPARE(test::runCommand(publisher, {"PUBLISH", "gui:ch", "nobody"}).reply.toInteger(),
             qint64(0));
}

void TestPubSubPage::listsTheServersChannelsWithTheirSubscribers()
{
    test::PrivateRedisServer server; // only this test's subscribers on it
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    connectors::RedisClient listener(connectors::RedisUrl::parse(server.url()).settings);
    listener.enablePushMode();
    listener.open();
    listener.send({"SUBSCRIBE", "srv:orders", "srv:alerts"}, &listener,
                  [](const connectors::RedisResult &) {});
    listener.send({"PSUBSCRIBE", "srv:*"}, &listener, [](const connectors::RedisResult &) {});
    connectors::RedisClient probe(connectors::RedisUrl::parse(server.url()).settings);
    probe.open();
    QTRY_COMPARE(test::runCommand(probe, {"PUBSUB", "NUMPAT"}).reply.toInteger(), qint64(1));

    OpenSession session = openSession(server.url());
    // The session follows Celery's events on a pattern of its own: the listener's and its.
    QTRY_COMPARE(test::runCommand(probe, {"PUBSUB", "NUMPAT"}).reply.toInteger(), qint64(2));
    ui::PubSubPage *page = session->pubSubPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page); // shown: listed at once
    models::TrafficStatsModel *traffic = session->pubSubTraffic();
    const auto subscribers = [traffic](const QByteArray &channel) {
        for (int row = 0; row < traffic->rowCount(); ++row) {
            if (traffic->index(row, 0).data(models::TrafficStatsModel::NameBytesRole).toByteArray()
                == channel)
                return traffic->index(row, models::TrafficStatsModel::SubscribersColumn)
                    .data(models::TrafficStatsModel::RawValueRole)
                    .toLongLong();
        }
        return qint64(-2); // not listed
    };
    QTRY_COMPARE(subscribers("srv:orders"), qint64(1));
    QCOMPARE(subscribers("srv:alerts"), qint64(1));
    auto *note = child<QLabel>(page, "pubsubServerNote");
    QVERIFY2(note->text().contains(QLatin1String("2 channels with subscribers"))
                 && note->text().contains(QLatin1String("2 pattern subscriptions (NUMPAT)")),
             qPrintable(note->text()));
    // One more listener, and Refresh shows it.
    listener.send({"SUBSCRIBE", "srv:late"}, &listener, [](const connectors::RedisResult &) {});
    QTRY_COMPARE(
        test::runCommand(probe, {"PUBSUB", "NUMSUB", "srv:late"}).reply.elements()[1].toInteger(),
        qint64(1));
    QTest::mouseClick(child<QPushButton>(page, "pubsubRefreshChannels"), Qt::LeftButton);
    QTRY_COMPARE(subscribers("srv:late"), qint64(1));
}

void TestPubSubPage::followTurnsOffWhenTheOperatorScrollsUp()
{
    OpenSession session = openSession(m_fixture.url());
    ui::PubSubPage *page = session->pubSubPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    session->pubSub()->subscribe({"follow:ch"});
    QTRY_COMPARE(session->pubSub()->confirmedSubscriptions(), qint64(1));
    connectors::RedisClient publisher(connectors::RedisUrl::parse(m_fixture.url()).settings);
    publisher.open();
    const auto publishSome = [&](int from) {
        for (int i = from; i < from + 300; ++i)
            publisher.send({"PUBLISH", "follow:ch", QByteArray::number(i)}, &publisher,
                           [](const connectors::RedisResult &) {});
    };
    publishSome(0);
    auto *table = child<QTableView>(page, "pubsubMessages");
    auto *follow = child<QCheckBox>(page, "pubsubFollow");
    QScrollBar *bar = table->verticalScrollBar();
    QTRY_COMPARE(table->model()->rowCount(), 300);
    QVERIFY(follow->isChecked());
    QTRY_COMPARE(bar->value(), bar->maximum()); // the newest row in sight
    QVERIFY(bar->maximum() > 0);
    // The operator scrolls up: follow goes off and new rows no longer move the view.
    bar->triggerAction(QAbstractSlider::SliderPageStepSub);
    QTRY_VERIFY(!follow->isChecked());
    const int kept = bar->value();
    publishSome(300);
    QTRY_COMPARE(table->model()->rowCount(), 600);
    QCOMPARE(bar->value(), kept);
    // Turned on again, it jumps to the end.
    follow->setChecked(true);
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void TestPubSubPage::readOnlyProfileCannotPublish()
{
    OpenSession session = openSession(m_fixture.url(), true);
    ui::PubSubPage *page = session->pubSubPage();
    QTest::keyClicks(child<QLineEdit>(page, "pubsubPublishChannel"), QStringLiteral("ro:ch"));
    QVERIFY(!child<QPushButton>(page, "pubsubPublish")->isEnabled());
    // And the connector refuses it even if asked.
    session->pubSub()->publish("ro:ch", "x");
    QTRY_VERIFY(child<QLabel>(page, "pubsubPublishResult")
                    ->text()
                    .contains(QLatin1String("Not published")));
    QVERIFY(!child<QPushButton>(page, "pubsubEnableKeyEvents")->isEnabled());
}

void TestPubSubPage::keyspacePresetSubscribesAndOffersTheSetting()
{
    test::PrivateRedisServer server; // its notify-keyspace-events is changed
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    OpenSession session = openSession(server.url(2));
    ui::PubSubPage *page = session->pubSubPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QTest::mouseClick(child<QPushButton>(page, "pubsubKeyspacePreset"), Qt::LeftButton);
    QTRY_COMPARE(session->pubSub()->confirmedSubscriptions(), qint64(2));
    QVERIFY(child<QLabel>(page, "pubsubSubscriptions")
                ->text()
                .contains(QLatin1String("__keyevent@2__:*")));
    auto *note = child<QLabel>(page, "pubsubKeyspaceNote");
    QTRY_VERIFY(note->text().contains(QLatin1String("publishes no key events")));
    auto *change = child<QPushButton>(page, "pubsubEnableKeyEvents");
    QVERIFY(change->isVisible() && change->isEnabled());
    // Cancel changes nothing; confirming sets it and the events flow.
    change->click();
    QMessageBox *box = visibleBox(page);
    QVERIFY(box);
    QVERIFY(box->text().contains(QLatin1String("\"KEA\"")));
    answer(box, QMessageBox::RejectRole);
    connectors::RedisClient other(connectors::RedisUrl::parse(server.url(2)).settings);
    other.open();
    QCOMPARE(test::runCommand(other, {"CONFIG", "GET", "notify-keyspace-events"})
                 .reply.elements()[1]
                 .bytes(),
             QByteArray(""));
    change->click();
    answer(visibleBox(page), QMessageBox::DestructiveRole);
    QTRY_VERIFY(!note->text().contains(QLatin1String("publishes"))); // read again: it now suffices
    QVERIFY(!change->isVisible());
    QVERIFY(test::runCommand(other, {"SET", "ks:key", "v"}).ok());
    QTRY_COMPARE(session->pubSubTraffic()->totalFor("__keyevent@2__:set"), qint64(1));
    QTRY_COMPARE(session->pubSubTraffic()->totalFor("__keyspace@2__:ks:key"), qint64(1));
}

void TestPubSubPage::savedProfilesKeepTheirSubscriptions()
{
    connectors::ConnectionProfile profile =
        connectors::ConnectionProfile::create(QStringLiteral("kept"));
    profile.settings = connectors::RedisUrl::parse(m_fixture.url()).settings;
    const QByteArray binaryPattern("kept:\xff*");
    {
        app::Session session(profile, profile.settings);
        std::unique_ptr<QWidget> view(session.view());
        session.start();
        session.pubSub()->subscribe({"kept:ch", binaryPattern});
        QTRY_COMPARE(session.pubSub()->confirmedSubscriptions(), qint64(2));
    } // saved as the session closes
    app::Session session(profile, profile.settings);
    std::unique_ptr<QWidget> view(session.view());
    session.start();
    QVERIFY(!session.pubSub()->subscriber()); // nothing opened until the page is used
    auto *tabs = qobject_cast<QTabWidget *>(view.get());
    view->show();
    tabs->setCurrentWidget(session.pubSubPage());
    QTRY_COMPARE(session.pubSub()->confirmedSubscriptions(), qint64(2));
    connectors::RedisClient publisher(connectors::RedisUrl::parse(m_fixture.url()).settings);
    publisher.open();
    QCOMPARE(test::runCommand(publisher, {"PUBLISH",
                                          QByteArray("kept:\xff"
                                                     "1"),
                                          "x"})
                 .reply.toInteger(),
             qint64(1));
    QTRY_COMPARE(session.pubSubLog()->rowCount(), 1);
    QCOMPARE(session.pubSubLog()->messageAt(0)->origin, binaryPattern);
}

void TestPubSubPage::profilerShowsCommandsAndStopsByItself()
{
    OpenSession session = openSession(m_fixture.url());
    ui::ProfilerPage *page = session->profilerPage();
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(page);
    QVERIFY(child<QLabel>(page, "profilerWarning")->text().contains(QLatin1String("cost")));
    auto *duration = child<QSpinBox>(page, "profilerDuration");
    QCOMPARE(duration->value(), 60); // the default
    duration->setValue(3);
    QTest::mouseClick(child<QPushButton>(page, "profilerStart"), Qt::LeftButton);
    QVERIFY(session->profiler()->isRunning());
    connectors::RedisClient other(connectors::RedisUrl::parse(m_fixture.url(3)).settings);
    other.open();
    // MONITOR is on once the server lists the connection with the O flag.
    const auto monitoring = [&] {
        const QByteArray clients = test::runCommand(other, {"CLIENT", "LIST"}).reply.bytes();
        for (const QByteArray &line : clients.split('\n')) {
            if (line.contains("name=brokerdesk:monitor") && line.contains("flags=O"))
                return true;
        }
        return false;
    };
    QTRY_VERIFY(monitoring());
    QVERIFY(test::runCommand(other, {"SET", "profiler:key", "v\n1"}).ok());
    const auto seenSet = [&] {
        for (int row = 0; row < session->profilerLog()->rowCount(); ++row) {
            const models::LoggedMessage *m = session->profilerLog()->messageAt(row);
            if (m->kind == models::LoggedMessage::Kind::Command && m->name == "SET" && m->db == 3
                && m->payload == R"("profiler:key" "v\n1")")
                return true;
        }
        return false;
    };
    QTRY_VERIFY(seenSet());
    QTRY_VERIFY(session->profilerCounts()->totalFor("SET") >= 1);
    QTRY_VERIFY_WITH_TIMEOUT(!session->profiler()->isRunning(), 8000);
    QVERIFY(child<QLabel>(page, "profilerProgress")->text().contains(QLatin1String("time is up")));
    QVERIFY(child<QPushButton>(page, "profilerStart")->isEnabled());
    // Stopped means the server no longer monitors for us.
    QVERIFY(!monitoring());
}

QTEST_MAIN(TestPubSubPage)
#include "tst_pubsubpage.moc"
