#include "mainwindowcontroller.h"

#include "common/confirmation.h"
#include "events/eventstore.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/settingsdialog.h"
#include "profiles/profiledialog.h"
#include "profiles/profilelistmodel.h"
#include "profiles/secretstore.h"
#include "redis/connectiontester.h"
#include "redis/redisclient.h"
#include "session.h"
#include "session/sessionstatus.h"

#include <QInputDialog>
#include <QLineEdit>

namespace bd::app {

using connectors::ConnectionProfile;
using connectors::ConnectionState;
using connectors::RedisError;

MainWindowController::MainWindowController(connectors::ProfileStore store,
                                           connectors::SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_secrets(secrets)
    , m_profiles(new models::ProfileListModel(this))
    , m_window(new ui::MainWindow(m_profiles))
{
    QList<ConnectionProfile> loaded;
    QString error;
    if (!m_store.load(&loaded, &error))
        m_window->showMessage(error, 0);
    m_profiles->setProfiles(loaded);
    if (!loaded.isEmpty())
        m_window->selectProfile(loaded.first().id);

    connect(m_window, &ui::MainWindow::settingsRequested, this,
            &MainWindowController::openSettings);
    connect(m_window, &ui::MainWindow::newProfileRequested, this,
            &MainWindowController::newProfile);
    connect(m_window, &ui::MainWindow::editProfileRequested, this,
            &MainWindowController::editProfile);
    connect(m_window, &ui::MainWindow::duplicateProfileRequested, this,
            &MainWindowController::duplicateProfile);
    connect(m_window, &ui::MainWindow::deleteProfileRequested, this,
            &MainWindowController::deleteProfile);
    connect(m_window, &ui::MainWindow::connectRequested, this,
            &MainWindowController::connectProfile);
    connect(m_window, &ui::MainWindow::disconnectRequested, this,
            &MainWindowController::disconnectProfile);
}

MainWindowController::~MainWindowController()
{
    // Sessions first: their views live in the window.
    qDeleteAll(m_sessions);
    m_sessions.clear();
    delete m_window;
}

QString MainWindowController::addTransientProfile(ConnectionProfile profile,
                                                  const QString &password)
{
    profile.transient = true;
    if (!password.isEmpty())
        m_sessionPasswords.insert(profile.id, password);
    m_profiles->upsert(profile);
    m_window->selectProfile(profile.id);
    return profile.id;
}

void MainWindowController::newProfile()
{
    openProfileDialog(ConnectionProfile::create(tr("New profile")), true);
}

void MainWindowController::editProfile(const QString &id)
{
    if (const ConnectionProfile *p = m_profiles->find(id))
        openProfileDialog(*p, false);
}

void MainWindowController::duplicateProfile(const QString &id)
{
    const ConnectionProfile *p = m_profiles->find(id);
    if (!p)
        return;
    ConnectionProfile copy = *p;
    copy.id = ConnectionProfile::create(QString()).id;
    copy.name = tr("%1 (copy)").arg(p->name);
    copy.transient = false;
    openProfileDialog(copy, true);
}

void MainWindowController::deleteProfile(const QString &id)
{
    const ConnectionProfile *p = m_profiles->find(id);
    if (!p)
        return;
    ui::askConfirmation(m_window, tr("Delete profile"),
                        tr("Delete the profile \"%1\" (%2) and its saved password?")
                            .arg(p->name, p->settings.endpoint()),
                        tr("Delete"), QStringLiteral("confirmDeleteProfile"), [this, id] {
                            disconnectProfile(id);
                            if (const ConnectionProfile *p = m_profiles->find(id); p && m_secrets) {
                                m_secrets->remove(p->secretKey());
                                m_secrets->remove(p->resultBackendSecretKey());
                            }
                            m_sessionPasswords.remove(id);
                            m_sessionBackendPasswords.remove(id);
                            m_profiles->remove(id);
                            saveProfiles();
                        });
}

void MainWindowController::openProfileDialog(const ConnectionProfile &profile, bool isNew)
{
    auto *dialog = new ui::ProfileDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProfile(profile, m_sessionPasswords.value(profile.id),
                       m_sessionBackendPasswords.value(profile.id));
    connect(dialog, &ui::ProfileDialog::testRequested, dialog,
            [dialog](const connectors::ConnectionSettings &settings) {
                auto *tester = new connectors::ConnectionTester(settings, dialog);
                connect(tester, &connectors::ConnectionTester::finished, dialog,
                        [dialog, tester](const connectors::ConnectionTester::Result &result) {
                            dialog->showTestResult(result.ok(), result.summary());
                            tester->deleteLater();
                        });
                tester->start();
            });
    connect(dialog, &QDialog::accepted, this, [this, dialog, isNew] {
        ConnectionProfile p = dialog->profile();
        const QString password = dialog->password();
        const QString backendPassword = dialog->backendPassword();
        if (!backendPassword.isEmpty()) {
            m_sessionBackendPasswords.insert(p.id, backendPassword);
            if (p.rememberPassword && m_secrets && !p.transient)
                m_secrets->write(p.resultBackendSecretKey(), backendPassword, m_window, {});
        }
        if (p.celery.resultBackend.isEmpty() && m_secrets) {
            m_sessionBackendPasswords.remove(p.id); // the broker's server: its password
            m_secrets->remove(p.resultBackendSecretKey());
        }
        m_profiles->upsert(p);
        m_window->selectProfile(p.id);
        if (!password.isEmpty()) {
            m_sessionPasswords.insert(p.id, password);
            if (p.rememberPassword && m_secrets && !p.transient) {
                m_secrets->write(
                    p.secretKey(), password, m_window, [this](bool ok, const QString &error) {
                        if (!ok)
                            m_window->showMessage(
                                tr("No keychain available (%1): the password is kept for this "
                                   "session only and asked again next time.")
                                    .arg(error),
                                10000);
                    });
            }
        }
        if (!p.rememberPassword && m_secrets) {
            m_secrets->remove(p.secretKey());
            m_secrets->remove(p.resultBackendSecretKey());
        }
        saveProfiles();
        if (!isNew && m_sessions.contains(p.id)) {
            disconnectProfile(p.id);
            connectProfile(p.id);
        }
    });
    dialog->open();
}

void MainWindowController::saveProfiles()
{
    QString error;
    if (!m_store.save(m_profiles->profiles(), &error))
        m_window->showMessage(error, 0);
}

void MainWindowController::connectProfile(const QString &id)
{
    const ConnectionProfile *p = m_profiles->find(id);
    if (!p || m_sessions.contains(id))
        return;
    // A password typed in this session wins; then the keychain; then none (the server may not
    // want one; if it does, the operator is asked).
    if (m_sessionPasswords.contains(id) || !p->rememberPassword || !m_secrets || p->transient) {
        readBackendThenStart(id, m_sessionPasswords.value(id));
        return;
    }
    m_profiles->setState(id, ConnectionState::Connecting, tr("reading the keychain…"));
    m_secrets->read(p->secretKey(), this,
                    [this, id](std::optional<QString> secret, const QString &) {
                        readBackendThenStart(id, secret.value_or(QString()));
                    });
}

void MainWindowController::readBackendThenStart(const QString &id, const QString &password)
{
    const ConnectionProfile *p = m_profiles->find(id);
    if (!p)
        return;
    if (p->celery.resultBackend.isEmpty() || m_sessionBackendPasswords.contains(id)
        || !p->rememberPassword || !m_secrets || p->transient) {
        startSession(id, password, m_sessionBackendPasswords.value(id));
        return;
    }
    m_secrets->read(p->resultBackendSecretKey(), this,
                    [this, id, password](std::optional<QString> secret, const QString &) {
                        startSession(id, password, secret.value_or(QString()));
                    });
}

void MainWindowController::openSettings()
{
    const QString path = store::EventStoreLimits::defaultPath();
    const store::EventStoreLimits current = store::EventStoreLimits::load(path);
    auto *dialog = new ui::SettingsDialog(current.maxAgeDays, current.maxTasks,
                                          current.failedAgeDays, m_window);
    connect(dialog, &QDialog::accepted, this, [this, dialog, path] {
        store::EventStoreLimits limits;
        limits.maxAgeDays = dialog->maxAgeDays();
        limits.maxTasks = dialog->maxTasks();
        limits.failedAgeDays = dialog->failedAgeDays();
        if (!limits.save(path)) {
            m_window->showMessage(tr("The settings could not be written to %1").arg(path));
            return;
        }
        for (Session *session : std::as_const(m_sessions)) {
            if (session->eventStore())
                session->eventStore()->setLimits(limits);
        }
        m_window->showMessage(tr("Settings saved"));
    });
    dialog->open();
}

void MainWindowController::startSession(const QString &id, const QString &password,
                                        const QString &backendPassword)
{
    const ConnectionProfile *p = m_profiles->find(id);
    if (!p || m_sessions.contains(id))
        return;
    connectors::ConnectionSettings settings = p->settings;
    settings.password = password;
    auto *session = new Session(*p, settings, backendPassword, this);
    m_sessions.insert(id, session);
    connect(session, &Session::stateChanged, this,
            [this, id](ConnectionState state, const RedisError &error, const QString &text) {
                m_profiles->setState(id, state, text);
                if (state == ConnectionState::Failed
                    && error.kind == RedisError::Kind::AuthenticationFailed)
                    askPassword(id, error.toString());
            });
    m_window->addSessionView(id, session->view(), session->status());
    m_profiles->setState(id, ConnectionState::Connecting, {});
    session->start();
    Q_EMIT sessionOpened(id);
}

void MainWindowController::disconnectProfile(const QString &id)
{
    Session *session = m_sessions.take(id);
    if (!session)
        return;
    m_window->removeSessionView(id);
    session->deleteLater();
    m_profiles->setState(id, ConnectionState::Disconnected, {});
}

void MainWindowController::askPassword(const QString &id, const QString &reason)
{
    const ConnectionProfile *p = m_profiles->find(id);
    if (!p)
        return;
    auto *dialog = new QInputDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Password for %1").arg(p->name));
    dialog->setLabelText(tr("%1\n\nPassword for %2%3:")
                             .arg(reason,
                                  p->settings.username.isEmpty()
                                      ? QString()
                                      : p->settings.username + QLatin1Char('@'),
                                  p->settings.endpoint()));
    dialog->setTextEchoMode(QLineEdit::Password);
    connect(dialog, &QInputDialog::textValueSelected, this, [this, id](const QString &password) {
        m_sessionPasswords.insert(id, password);
        const ConnectionProfile *p = m_profiles->find(id);
        if (p && p->rememberPassword && !p->transient && m_secrets)
            m_secrets->write(p->secretKey(), password, m_window, {});
        disconnectProfile(id);
        connectProfile(id);
    });
    dialog->open();
}

} // namespace bd::app
