#pragma once

#include "profiles/profilestore.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace bd::connectors {
class SecretStore;
}
namespace bd::models {
class ProfileListModel;
}
namespace bd::ui {
class MainWindow;
class ProfileDialog;
} // namespace bd::ui

namespace bd::app {

class Session;

// Runs the main window: loads and saves profiles, keeps secrets in the keychain (or in memory
// when none answers), opens and closes sessions, and asks for a password when a server wants
// one. Nothing here blocks the GUI thread: dialogs are opened with open(), never exec().
class MainWindowController : public QObject
{
    Q_OBJECT

public:
    MainWindowController(connectors::ProfileStore store, connectors::SecretStore *secrets,
                         QObject *parent = nullptr);
    ~MainWindowController() override;

    ui::MainWindow *window() const { return m_window; }
    models::ProfileListModel *profiles() const { return m_profiles; }
    Session *session(const QString &profileId) const { return m_sessions.value(profileId); }

    // A profile that is used but not saved (brokerdesk --connect URL, the demo's).
    QString addTransientProfile(connectors::ConnectionProfile profile, const QString &password);
    void connectProfile(const QString &id);
    void disconnectProfile(const QString &id);

Q_SIGNALS:
    void sessionOpened(const QString &profileId);

private:
    void newProfile();
    void editProfile(const QString &id);
    void duplicateProfile(const QString &id);
    void deleteProfile(const QString &id);
    void openProfileDialog(const connectors::ConnectionProfile &profile, bool isNew);
    void saveProfiles();
    void startSession(const QString &id, const QString &password, const QString &backendPassword);
    // Settings…: saved to the settings file and applied to the open sessions too.
    void openSettings();
    // The result backend's password from the keychain, when it has one of its own; then starts.
    void readBackendThenStart(const QString &id, const QString &password);
    void askPassword(const QString &id, const QString &reason);

    connectors::ProfileStore m_store;
    QPointer<connectors::SecretStore> m_secrets;       // Not owned.
    models::ProfileListModel *m_profiles = nullptr;    // Owned (child).
    ui::MainWindow *m_window = nullptr;                // Owned.
    QHash<QString, Session *> m_sessions;              // Owned (children).
    QHash<QString, QString> m_sessionPasswords;        // memory only: typed at connect time
    QHash<QString, QString> m_sessionBackendPasswords; // memory only: the result backends' own
};

} // namespace bd::app
