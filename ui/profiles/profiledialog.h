#pragma once

#include "profiles/connectionprofile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QGroupBox;

namespace bd::ui {

// Edits one connection profile. Import from a pasted URL or from CELERY_BROKER_URL /
// REDIS_URL; "Test connection" asks the owner (through testRequested) to try the settings and
// shows the answer. The password is returned separately and never stored in the profile.
class ProfileDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ProfileDialog(QWidget *parent = nullptr);

    void setProfile(const connectors::ConnectionProfile &profile, const QString &password,
                    const QString &backendPassword = {});
    connectors::ConnectionProfile profile() const;
    QString password() const;
    // The result backend's own password (empty: the broker's, or the one kept already).
    QString backendPassword() const;

    // Fills the form from a URL; returns the problem, or an empty string.
    QString importUrl(const QString &url);
    void showTestResult(bool ok, const QString &text);

Q_SIGNALS:
    // Settings as typed (password included, in memory only).
    void testRequested(const bd::connectors::ConnectionSettings &settings);

private:
    void importFromEnvironment();
    void updateTransportFields();
    void chooseFile(QLineEdit *target, const QString &caption);
    void validate();
    connectors::ConnectionSettings currentSettings() const;

    connectors::ConnectionProfile m_profile;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_url = nullptr;
    QComboBox *m_transport = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_socketPath = nullptr;
    QSpinBox *m_db = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QCheckBox *m_rememberPassword = nullptr;
    QGroupBox *m_tlsGroup = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_certFile = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QLineEdit *m_serverName = nullptr;
    QCheckBox *m_skipVerify = nullptr;
    QLabel *m_skipVerifyWarning = nullptr;
    QCheckBox *m_readOnly = nullptr;
    QComboBox *m_color = nullptr;
    QLineEdit *m_resultBackend = nullptr;
    QLineEdit *m_keyPrefix = nullptr;
    QLineEdit *m_backendPassword = nullptr;
    QSpinBox *m_visibilityTimeout = nullptr;
    QLabel *m_celeryProblem = nullptr;
    QLabel *m_importMessage = nullptr;
    QLabel *m_testResult = nullptr;
    QPushButton *m_testButton = nullptr;
    QPushButton *m_okButton = nullptr;
};

} // namespace bd::ui
