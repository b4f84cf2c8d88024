// The profile dialog, driven offscreen: URL and environment import, "Test connection" against
// the fixture's redis-server, and saving through the controller without the password.
#include "gui/mainwindowcontroller.h"
#include "gui/session.h"
#include "gui/taskscontroller.h"
#include "mainwindow/mainwindow.h"
#include "profiles/profiledialog.h"
#include "profiles/profilelistmodel.h"
#include "profiles/secretstore.h"
#include "redis/connectiontester.h"
#include "testredis.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bd;
using bd::test::RedisFixture;

class TestProfileDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void importsAUrlWithoutKeepingThePasswordInTheProfile();
    void celeryFieldsAreKeptAndRefuseAPassword();
    void importsFromTheEnvironment();
    void testsTheConnection();
    void testShowsTheExactError();
    void controllerSavesProfilesButNotPasswords();

private:
    void runTest(ui::ProfileDialog &dialog);
    RedisFixture m_fixture;
};

void TestProfileDialog::initTestCase()
{
    m_fixture = RedisFixture::load();
    QVERIFY2(m_fixture.ok, qPrintable(m_fixture.error));
}

void TestProfileDialog::importsAUrlWithoutKeepingThePasswordInTheProfile()
{
    ui::ProfileDialog dialog;
    QCOMPARE(dialog.importUrl(
                 QStringLiteral("rediss://app:p%40ss@cache.internal:6380/3?ssl_cert_reqs=none")),
             QString());
    const connectors::ConnectionProfile p = dialog.profile();
    QCOMPARE(p.settings.transport, connectors::ConnectionSettings::Transport::Tls);
    QCOMPARE(p.settings.host, QStringLiteral("cache.internal"));
    QCOMPARE(p.settings.port, quint16(6380));
    QCOMPARE(p.settings.db, 3);
    QCOMPARE(p.settings.username, QStringLiteral("app"));
    QCOMPARE(p.settings.tls.verifyPeer, false);
    QVERIFY(p.settings.password.isEmpty());
    QCOMPARE(dialog.password(), QStringLiteral("p@ss"));
    QCOMPARE(p.name, QStringLiteral("cache.internal"));
    QVERIFY(dialog.importUrl(QStringLiteral("redis://h:bad")).contains(QLatin1String("malformed")));
}

void TestProfileDialog::celeryFieldsAreKeptAndRefuseAPassword()
{
    ui::ProfileDialog dialog;
    connectors::ConnectionProfile p = connectors::ConnectionProfile::create(QStringLiteral("prod"));
    p.celery.keyPrefix = QStringLiteral("app:");
    p.celery.visibilityTimeoutS = 7200;
    dialog.setProfile(p, {});
    auto *backend = dialog.findChild<QLineEdit *>(QStringLiteral("profileResultBackend"));
    auto *problem = dialog.findChild<QLabel *>(QStringLiteral("profileCeleryProblem"));
    auto *save = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(backend && problem && save);
    QVERIFY(save->isEnabled());
    backend->setText(QStringLiteral("redis://:hunter2@results.internal:6379/1"));
    QVERIFY(!save->isEnabled());
    QVERIFY(problem->text().contains(QLatin1String("Leave the password out")));
    backend->setText(QStringLiteral("redis://results.internal:6379/1"));
    QVERIFY(save->isEnabled());
    QVERIFY(problem->text().isEmpty());
    // Importing the broker's URL keeps the Celery fields.
    QCOMPARE(dialog.importUrl(QStringLiteral("redis://broker.internal:6379/0")), QString());
    const connectors::ConnectionProfile saved = dialog.profile();
    QCOMPARE(saved.celery.resultBackend, QStringLiteral("redis://results.internal:6379/1"));
    QCOMPARE(saved.celery.keyPrefix, QStringLiteral("app:"));
    QCOMPARE(saved.celery.visibilityTimeoutS, 7200);
    QCOMPARE(saved.settings.host, QStringLiteral("broker.internal"));
}

void TestProfileDialog::importsFromTheEnvironment()
{
    qputenv("CELERY_BROKER_URL", "redis://broker.internal:6390/2");
    ui::ProfileDialog dialog;
    QPushButton *env = nullptr;
    for (QPushButton *b : dialog.findChildren<QPushButton *>())
        env = b->text() == QLatin1String("From environment") ? b : env;
    QVERIFY(env);
    QTest::mouseClick(env, Qt::LeftButton);
    QCOMPARE(dialog.profile().settings.host, QStringLiteral("broker.internal"));
    QCOMPARE(dialog.profile().settings.port, quint16(6390));
    QCOMPARE(dialog.profile().settings.db, 2);
    qunsetenv("CELERY_BROKER_URL");
}

void TestProfileDialog::runTest(ui::ProfileDialog &dialog)
{
    // As the controller wires it: the dialog asks, a ConnectionTester answers.
    connect(&dialog, &ui::ProfileDialog::testRequested, &dialog,
            [&dialog](const connectors::ConnectionSettings &s) {
                auto *tester = new connectors::ConnectionTester(s, &dialog);
                connect(tester, &connectors::ConnectionTester::finished, &dialog,
                        [&dialog](const connectors::ConnectionTester::Result &r) {
                            dialog.showTestResult(r.ok(), r.summary());
                        });
                tester->start();
            });
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("testConnection")),
                      Qt::LeftButton);
}

void TestProfileDialog::testsTheConnection()
{
    ui::ProfileDialog dialog;
    dialog.show();
    QCOMPARE(dialog.importUrl(
                 QStringLiteral("redis://reader:reader-secret@127.0.0.1:%1/0").arg(m_fixture.port)),
             QString());
    runTest(dialog);
    auto *result = dialog.findChild<QLabel *>(QStringLiteral("testResult"));
    QTRY_VERIFY_WITH_TIMEOUT(result->text() != QStringLiteral("Testing…"), 10000);
    const QString version = m_fixture.version();
    QVERIFY(version.contains(QLatin1Char('.')));
    QVERIFY2(result->text().startsWith(QStringLiteral("Redis %1").arg(version)),
             qPrintable(result->text()));
    QVERIFY(result->text().contains(QLatin1String("master")));
    QVERIFY(result->text().contains(QLatin1String("ms round trip")));
}

void TestProfileDialog::testShowsTheExactError()
{
    ui::ProfileDialog dialog;
    dialog.show();
    QCOMPARE(
        dialog.importUrl(QStringLiteral("redis://app:nope@127.0.0.1:%1/0").arg(m_fixture.port)),
        QString());
    runTest(dialog);
    auto *result = dialog.findChild<QLabel *>(QStringLiteral("testResult"));
    QTRY_VERIFY_WITH_TIMEOUT(result->text() != QStringLiteral("Testing…"), 10000);
    QVERIFY2(result->text().startsWith(QLatin1String("authentication failed: WRONGPASS")),
             qPrintable(result->text()));
}

void TestProfileDialog::controllerSavesProfilesButNotPasswords()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profiles.json"));
    connectors::MemorySecretStore secrets;
    app::MainWindowController controller(connectors::ProfileStore(path), &secrets);
    controller.window()->show();
    Q_EMIT controller.window()->newProfileRequested();
    ui::ProfileDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = controller.window()->findChild<ui::ProfileDialog *>()) != nullptr);
    QCOMPARE(dialog->importUrl(
                 QStringLiteral("redis://app:app-secret@127.0.0.1:%1/1").arg(m_fixture.port)),
             QString());
    dialog->findChild<QLineEdit *>(QStringLiteral("profileName"))
        ->setText(QStringLiteral("Staging cache"));
    // Results on another server (here db 2 of the same, as an ACL user of its own).
    dialog->findChild<QLineEdit *>(QStringLiteral("profileResultBackend"))
        ->setText(QStringLiteral("redis://results@127.0.0.1:%1/2").arg(m_fixture.port));
    dialog->findChild<QLineEdit *>(QStringLiteral("profileResultBackendPassword"))
        ->setText(QStringLiteral("backend-secret"));
    dialog->accept();
    QTRY_COMPARE(controller.profiles()->rowCount(), 1);

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("Staging cache"));
    QVERIFY(!text.contains("app-secret"));
    QVERIFY(!text.contains("backend-secret"));
    QVERIFY(text.contains("redis://results@127.0.0.1"));

    // The password went to the secret store, and connecting uses it.
    const QString id = controller.profiles()->profiles().first().id;
    controller.connectProfile(id);
    QTRY_COMPARE_WITH_TIMEOUT(controller.profiles()->state(id),
                              connectors::ConnectionState::Connected, 10000);
    // The backend's password came from the secret store, under its own key.
    const connectors::ConnectionSettings &backend = controller.session(id)->tasks()->backend();
    QCOMPARE(backend.db, 2);
    QCOMPARE(backend.username, QStringLiteral("results"));
    QCOMPARE(backend.password, QStringLiteral("backend-secret"));
    bool read = false;
    secrets.read(controller.profiles()->profiles().first().resultBackendSecretKey(), this,
                 [&read](std::optional<QString> secret, const QString &) {
                     read = secret.value_or(QString()) == QLatin1String("backend-secret");
                 });
    QTRY_VERIFY(read);
}

QTEST_MAIN(TestProfileDialog)
#include "tst_profiledialog.moc"
