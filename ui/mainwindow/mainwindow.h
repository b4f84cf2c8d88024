#pragma once

#include <QHash>
#include <QMainWindow>

class QAction;
class QListView;
class QStackedWidget;
class QLabel;

namespace bd::models {
class ProfileListModel;
class SessionStatus;
} // namespace bd::models

namespace bd::ui {

class SessionStatusBar;

// The main window: a sidebar of connection profiles with their state, one view per open
// session (its feature pages as tabs), and a status bar for the current session. It only
// displays and asks: every decision and every connection is made by the app layer, through
// the signals below.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(models::ProfileListModel *profiles, QWidget *parent = nullptr);

    QString currentProfileId() const;
    void selectProfile(const QString &id);

    // Shows a session's view (owned by the window from now on) for a profile.
    void addSessionView(const QString &profileId, QWidget *view, models::SessionStatus *status);
    void removeSessionView(const QString &profileId);

    void showMessage(const QString &text, int timeoutMs = 5000);
    SessionStatusBar *sessionStatusBar() const { return m_statusBar; }
    QListView *profileList() const { return m_list; }

Q_SIGNALS:
    void newProfileRequested();
    void editProfileRequested(const QString &id);
    void duplicateProfileRequested(const QString &id);
    void deleteProfileRequested(const QString &id);
    void connectRequested(const QString &id);
    void disconnectRequested(const QString &id);
    void settingsRequested();

private:
    void updateActions();
    void showCurrent();

    models::ProfileListModel *m_profiles; // Not owned.
    QListView *m_list = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_welcome = nullptr;
    SessionStatusBar *m_statusBar = nullptr;
    QHash<QString, QWidget *> m_views;
    QHash<QString, models::SessionStatus *> m_statuses;
    QAction *m_editAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
};

} // namespace bd::ui
