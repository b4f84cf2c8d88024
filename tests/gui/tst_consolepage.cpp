// Drives the real console page and main window offscreen against the fixture's redis-server.
#include "gui/mainwindowcontroller.h"
#include "gui/session.h"
#include "keys/keydetailspane.h"
#include "keys/keyspage.h"
#include "mainwindow/mainwindow.h"
#include "profiles/profilelistmodel.h"
#include "profiles/secretstore.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "session/sessionstatus.h"
#include "session/sessionstatusbar.h"
#include "testredis.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>

using namespace bd;
using bd::test::RedisFixture;

namespace {

connectors::ConnectionProfile profileFor(const QString &url, bool readOnly = false)
{
    connectors::ConnectionProfile p = connectors::ConnectionProfile::create(QStringLiteral("test"));
    p.settings = connectors::RedisUrl::parse(url).settings;
    p.settings.readOnly = readOnly;
    p.transient = true;
    return p;
}

void type(QLineEdit *input, const QString &line)
{
    input->setFocus();
    // QTest types ASCII only; other text is pasted, as an operator would.
    bool ascii = true;
    for (QChar c : line)
        ascii = ascii && c.unicode() < 0x80;
    if (ascii)
        QTest::keyClicks(input, line);
    else
        input->insert(line);
    QTest::keyClick(input, Qt::Key_Return);
}

} // namespace

class TestConsolePage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void typesACommandAndSeesTheReply();
    void showsErrorsAndRefusesWritesWhenReadOnly();
    void walksTheHistoryWithArrowKeys();
    void blockingCommandsLeaveKeyEditsAndTheStatusFree();
    void mainWindowConnectsAndShowsServerStatus();

private:
    RedisFixture m_fixture;
};

void TestConsolePage::initTestCase()
{
    m_fixture = RedisFixture::load();
    QVERIFY2(m_fixture.ok, qPrintable(m_fixture.error));
}

void TestConsolePage::typesACommandAndSeesTheReply()
{
    const auto profile = profileFor(m_fixture.url(7));
    app::Session session(profile, profile.settings);
    std::unique_ptr<QWidget> view(session.view());
    view->show();
    session.start();
    QTRY_COMPARE(session.client()->state(), connectors::ConnectionState::Connected);

    ui::ConsolePage *console = session.console();
    type(console->input(), QStringLiteral("SET gui:greeting \"привет мир\""));
    QTRY_VERIFY(console->transcript()->toPlainText().contains(QLatin1String("\nOK")));
    type(console->input(), QStringLiteral("GET gui:greeting"));
    QTRY_VERIFY(console->transcript()->toPlainText().contains(QStringLiteral("\"привет мир\"")));
    type(console->input(), QStringLiteral("RPUSH gui:list a b"));
    type(console->input(), QStringLiteral("LRANGE gui:list 0 -1"));
    QTRY_VERIFY(console->transcript()->toPlainText().contains(QLatin1String("1) \"a\"\n2) \"b\"")));
    // INFO is a report: plain lines, not a quoted string.
    type(console->input(), QStringLiteral("INFO server"));
    QTRY_VERIFY(
        console->transcript()->toPlainText().contains(QLatin1String("\n# Server\nredis_version:")));
    // The prompt follows SELECT.
    type(console->input(), QStringLiteral("SELECT 8"));
    QTRY_COMPARE(session.client()->settings().db, 8);
    type(console->input(), QStringLiteral("PING"));
    QTRY_VERIFY(console->transcript()->toPlainText().contains(QStringLiteral("[8]> PING\nPONG")));
    QCOMPARE(console->pendingCount(), 0);
}

void TestConsolePage::blockingCommandsLeaveKeyEditsAndTheStatusFree()
{
    const QString url = m_fixture.url(18);
    connectors::RedisClient other(connectors::RedisUrl::parse(url).settings);
    other.open();
    QFuture<connectors::RedisResult> seeded = other.send({"DEL", "gui:jobs", "gui:ttl"});
    seeded = other.send({"SET", "gui:ttl", "v"});
    QTRY_VERIFY(seeded.isFinished());

    const auto profile = profileFor(url);
    app::Session session(profile, profile.settings);
    std::unique_ptr<QWidget> view(session.view());
    view->show();
    session.start();
    QTRY_COMPARE(session.client()->state(), connectors::ConnectionState::Connected);
    QTRY_VERIFY(session.status()->server().sampledAt.isValid());

    ui::ConsolePage *console = session.console();
    type(console->input(), QStringLiteral("BLPOP gui:jobs 0")); // waits for ever
    QCOMPARE(console->pendingCount(), 1);

    // The status bar's probe shares the console's connection, and a TTL set from the Keys page
    // is answered meanwhile: neither waits behind the BLPOP (before, both did, for as long as it
    // waited).
    const QDateTime sampled = session.status()->server().sampledAt;
    QElapsedTimer edit;
    edit.start();
    Q_EMIT session.keysPage()->details()->ttlRequested("gui:ttl", 600000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QFuture<connectors::RedisResult> ttl = other.send({"PTTL", "gui:ttl"});
            while (!ttl.isFinished())
                QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
            return ttl.result().reply.toInteger() > 0;
        }(),
        5000);
    qInfo("TTL set and read back %lld ms after the edit, with BLPOP waiting", edit.elapsed());
    QTRY_VERIFY_WITH_TIMEOUT(session.status()->server().sampledAt > sampled, 5000);
    // The probe's own PING round trip, measured while the BLPOP waits.
    QVERIFY2(session.status()->server().latencyMs >= 0
                 && session.status()->server().latencyMs < 1000,
             qPrintable(QString::number(session.status()->server().latencyMs)));
    QCOMPARE(console->pendingCount(), 1); // still waiting

    // Pushed: the BLPOP answers in the console, in its db.
    QFuture<connectors::RedisResult> pushed = other.send({"LPUSH", "gui:jobs", "job-1"});
    QTRY_VERIFY(console->transcript()->toPlainText().contains(
        QLatin1String("1) \"gui:jobs\"\n2) \"job-1\"")));
    QCOMPARE(console->pendingCount(), 0);
}

void TestConsolePage::showsErrorsAndRefusesWritesWhenReadOnly()
{
    const auto profile = profileFor(m_fixture.url(7), true);
    app::Session session(profile, profile.settings);
    std::unique_ptr<QWidget> view(session.view());
    view->show();
    session.start();
    ui::ConsolePage *console = session.console();
    type(console->input(), QStringLiteral("DEL gui:greeting"));
    QTRY_VERIFY(console->transcript()->toPlainText().contains(QLatin1String("read-only")));
    type(console->input(), QStringLiteral("GET"));
    QTRY_VERIFY(console->transcript()->toPlainText().contains(
        QLatin1String("(error) ERR wrong number of arguments")));
    type(console->input(), QStringLiteral("GET \"unbalanced"));
    QTRY_VERIFY(console->transcript()->toPlainText().contains(QLatin1String("unbalanced")));
    type(console->input(), QStringLiteral("SUBSCRIBE ch"));
    QTRY_VERIFY(console->transcript()->toPlainText().contains(
        QLatin1String("SUBSCRIBE is not run in the console: it takes the connection over. Use the "
                      "Pub/Sub page.")));
    type(console->input(), QStringLiteral("CLIENT REPLY OFF"));
    QTRY_VERIFY(console->transcript()->toPlainText().contains(QLatin1String(
        "CLIENT is not run in the console: it takes the connection over. It would change")));

    // The key is still there: nothing was deleted.
    connectors::RedisClient checker(connectors::RedisUrl::parse(m_fixture.url(7)).settings);
    checker.open();
    QFuture<connectors::RedisResult> exists = checker.send({"EXISTS", "gui:greeting"});
    QTRY_VERIFY(exists.isFinished());
    QCOMPARE(exists.result().reply.toInteger(), 1);
}

void TestConsolePage::walksTheHistoryWithArrowKeys()
{
    const auto profile = profileFor(m_fixture.url(7));
    app::Session session(profile, profile.settings);
    std::unique_ptr<QWidget> view(session.view());
    view->show();
    session.start();
    QLineEdit *input = session.console()->input();
    type(input, QStringLiteral("PING one"));
    type(input, QStringLiteral("PING two"));
    QTest::keyClicks(input, QStringLiteral("draft"));
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->text(), QStringLiteral("PING two"));
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->text(), QStringLiteral("PING one"));
    QTest::keyClick(input, Qt::Key_Down);
    QTest::keyClick(input, Qt::Key_Down);
    QCOMPARE(input->text(), QStringLiteral("draft"));
}

void TestConsolePage::mainWindowConnectsAndShowsServerStatus()
{
    QTemporaryDir dir;
    connectors::MemorySecretStore secrets;
    app::MainWindowController controller(
        connectors::ProfileStore(dir.filePath(QStringLiteral("p.json"))), &secrets);
    controller.window()->show();
    const QString id = controller.addTransientProfile(profileFor(m_fixture.url(0)), {});
    controller.connectProfile(id);
    QTRY_VERIFY(controller.session(id) != nullptr);
    QTRY_COMPARE(controller.profiles()->state(id), connectors::ConnectionState::Connected);
    ui::SessionStatusBar *bar = controller.window()->sessionStatusBar();
    QTRY_VERIFY(bar->stateText().contains(QLatin1String("connected")));
    QTRY_VERIFY_WITH_TIMEOUT(bar->findChild<QLabel *>(QStringLiteral("statusLatency"))
                                 ->text()
                                 .endsWith(QLatin1String(" ms")),
                             10000);
    const QString version = m_fixture.version();
    QVERIFY(version.contains(QLatin1Char('.')));
    bool sawVersion = false;
    for (QLabel *l : bar->findChildren<QLabel *>())
        sawVersion = sawVersion || l->text().startsWith(QStringLiteral("Redis %1").arg(version));
    QVERIFY(sawVersion);
    // Disconnecting closes the session view and marks the profile.
    Q_EMIT controller.window()->disconnectRequested(id);
    QCOMPARE(controller.session(id), nullptr);
    QCOMPARE(controller.profiles()->state(id), connectors::ConnectionState::Disconnected);
}

QTEST_MAIN(TestConsolePage)
#include "tst_consolepage.moc"
