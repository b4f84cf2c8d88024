#include "profiledialog.h"

#include "common/tones.h"
#include "redis/redisurl.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace bd::ui {

using connectors::ConnectionProfile;
using connectors::ConnectionSettings;

namespace {

QWidget *withBrowse(QLineEdit *edit, QToolButton *button)
{
    auto *w = new QWidget;
    auto *l = new QHBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(edit, 1);
    l->addWidget(button);
    return w;
}

} // namespace

ProfileDialog::ProfileDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connection profile"));
    setMinimumWidth(560);

    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("profileUrl"));
    m_url->setPlaceholderText(QStringLiteral("redis://user:password@host:6379/0"));
    auto *importButton = new QPushButton(tr("Import URL"), this);
    auto *envButton = new QPushButton(tr("From environment"), this);
    envButton->setToolTip(
        tr("Read CELERY_BROKER_URL or REDIS_URL from this process's environment"));
    m_importMessage = new QLabel(this);
    m_importMessage->setWordWrap(true);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(importButton);
    urlRow->addWidget(envButton);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("profileName"));
    m_transport = new QComboBox(this);
    m_transport->addItem(tr("TCP"), static_cast<int>(ConnectionSettings::Transport::Tcp));
    m_transport->addItem(tr("TLS"), static_cast<int>(ConnectionSettings::Transport::Tls));
    m_transport->addItem(tr("Unix socket"), static_cast<int>(ConnectionSettings::Transport::Unix));
    m_host = new QLineEdit(this);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_socketPath = new QLineEdit(this);
    m_db = new QSpinBox(this);
    m_db->setRange(0, 100000);
    m_username = new QLineEdit(this);
    m_username->setPlaceholderText(tr("default"));
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setObjectName(QStringLiteral("profilePassword"));
    m_rememberPassword = new QCheckBox(tr("Keep the password in the system keychain"), this);
    m_readOnly = new QCheckBox(tr("Read-only: refuse every command that could change data"), this);
    m_color = new QComboBox(this);
    // Colour tags: a stripe beside the profile in the sidebar, so production stands out.
    for (const models::ProfileTag &tag : models::profileTags())
        m_color->addItem(tag.label, tag.color);

    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Transport"), m_transport);
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    auto *socketBrowse = new QToolButton(this);
    socketBrowse->setText(QStringLiteral("…"));
    form->addRow(tr("Socket path"), withBrowse(m_socketPath, socketBrowse));
    form->addRow(tr("Database"), m_db);
    form->addRow(tr("ACL user"), m_username);
    form->addRow(tr("Password"), m_password);
    form->addRow(QString(), m_rememberPassword);
    form->addRow(QString(), m_readOnly);
    form->addRow(tr("Colour tag"), m_color);

    m_tlsGroup = new QGroupBox(tr("TLS"), this);
    m_caFile = new QLineEdit(this);
    m_caFile->setPlaceholderText(tr("system trust store"));
    m_certFile = new QLineEdit(this);
    m_keyFile = new QLineEdit(this);
    m_serverName = new QLineEdit(this);
    m_serverName->setPlaceholderText(tr("the host name"));
    m_skipVerify = new QCheckBox(tr("Skip certificate verification (unsafe)"), this);
    m_skipVerifyWarning = new QLabel(tr("<b>Unsafe:</b> anyone between you and the server can read "
                                        "and change this connection, password included."),
                                     this);
    m_skipVerifyWarning->setStyleSheet(models::toneStyleSheet(models::Tone::Error));
    m_skipVerifyWarning->setWordWrap(true);
    auto *tlsForm = new QFormLayout(m_tlsGroup);
    const std::array<std::pair<QLineEdit *, QString>, 3> files{
        {{m_caFile, tr("CA certificate")},
         {m_certFile, tr("Client certificate")},
         {m_keyFile, tr("Client key")}}};
    for (const auto &[edit, caption] : files) {
        auto *browse = new QToolButton(this);
        browse->setText(QStringLiteral("…"));
        connect(browse, &QToolButton::clicked, this,
                [this, edit = edit, caption = caption] { chooseFile(edit, caption); });
        tlsForm->addRow(caption, withBrowse(edit, browse));
    }
    tlsForm->addRow(tr("Server name (SNI)"), m_serverName);
    tlsForm->addRow(QString(), m_skipVerify);
    tlsForm->addRow(QString(), m_skipVerifyWarning);

    auto *celeryGroup = new QGroupBox(tr("Celery"), this);
    m_resultBackend = new QLineEdit(this);
    m_resultBackend->setObjectName(QStringLiteral("profileResultBackend"));
    m_resultBackend->setPlaceholderText(
        tr("the broker (this server and db), or redis://host:6379/1"));
    m_resultBackend->setToolTip(
        tr("Where workers store task results (result_backend). No password here: the "
           "broker's password and ACL user are used."));
    m_keyPrefix = new QLineEdit(this);
    m_keyPrefix->setObjectName(QStringLiteral("profileKeyPrefix"));
    m_keyPrefix->setPlaceholderText(tr("none"));
    m_keyPrefix->setToolTip(tr("broker_transport_options global_keyprefix: put before every key"));
    m_backendPassword = new QLineEdit(this);
    m_backendPassword->setObjectName(QStringLiteral("profileResultBackendPassword"));
    m_backendPassword->setEchoMode(QLineEdit::Password);
    m_backendPassword->setPlaceholderText(tr("the broker's"));
    m_backendPassword->setToolTip(
        tr("Only for a result backend on another server with a password of its own; "
           "kept in the system keychain, never in the settings file"));
    m_visibilityTimeout = new QSpinBox(this);
    m_visibilityTimeout->setObjectName(QStringLiteral("profileVisibilityTimeout"));
    m_visibilityTimeout->setRange(1, 30 * 24 * 3600);
    m_visibilityTimeout->setSuffix(tr(" s"));
    m_visibilityTimeout->setToolTip(
        tr("broker_transport_options visibility_timeout: a message held longer is "
           "given back to its queue; the Queues page flags those"));
    m_celeryProblem = new QLabel(this);
    m_celeryProblem->setObjectName(QStringLiteral("profileCeleryProblem"));
    m_celeryProblem->setStyleSheet(models::toneStyleSheet(models::Tone::Error));
    m_celeryProblem->setWordWrap(true);
    m_celeryProblem->hide();
    auto *celeryForm = new QFormLayout(celeryGroup);
    celeryForm->addRow(tr("Result backend"), m_resultBackend);
    celeryForm->addRow(QString(), m_celeryProblem);
    celeryForm->addRow(tr("Backend password"), m_backendPassword);
    celeryForm->addRow(tr("Key prefix"), m_keyPrefix);
    celeryForm->addRow(tr("Visibility timeout"), m_visibilityTimeout);

    m_testButton = new QPushButton(tr("Test connection"), this);
    m_testButton->setObjectName(QStringLiteral("testConnection"));
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton);
    testRow->addWidget(m_testResult, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_okButton = buttons->button(QDialogButtonBox::Ok);
    m_okButton->setText(tr("Save"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Paste a URL as Celery or redis-py take it:"), this));
    layout->addLayout(urlRow);
    layout->addWidget(m_importMessage);
    layout->addLayout(form);
    layout->addWidget(m_tlsGroup);
    layout->addWidget(celeryGroup);
    layout->addLayout(testRow);
    layout->addWidget(buttons);

    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString problem = importUrl(m_url->text());
        m_importMessage->setText(problem.isEmpty() ? tr("Imported.") : problem);
    });
    connect(m_url, &QLineEdit::returnPressed, importButton, &QPushButton::click);
    connect(envButton, &QPushButton::clicked, this, &ProfileDialog::importFromEnvironment);
    connect(m_transport, &QComboBox::currentIndexChanged, this,
            &ProfileDialog::updateTransportFields);
    connect(m_skipVerify, &QCheckBox::toggled, m_skipVerifyWarning, &QLabel::setVisible);
    connect(socketBrowse, &QToolButton::clicked, this,
            [this] { chooseFile(m_socketPath, tr("Redis socket")); });
    connect(m_testButton, &QPushButton::clicked, this, [this] {
        m_testResult->setText(tr("Testing…"));
        m_testResult->setStyleSheet({});
        m_testButton->setEnabled(false);
        Q_EMIT testRequested(currentSettings());
    });
    connect(m_name, &QLineEdit::textChanged, this, &ProfileDialog::validate);
    connect(m_resultBackend, &QLineEdit::textChanged, this, &ProfileDialog::validate);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setProfile(ConnectionProfile::create(tr("New profile")), {});
}

void ProfileDialog::setProfile(const ConnectionProfile &profile, const QString &password,
                               const QString &backendPassword)
{
    m_backendPassword->setText(backendPassword);
    m_profile = profile;
    const ConnectionSettings &s = profile.settings;
    m_name->setText(profile.name);
    m_transport->setCurrentIndex(m_transport->findData(static_cast<int>(s.transport)));
    m_host->setText(s.host);
    m_port->setValue(s.port);
    m_socketPath->setText(s.socketPath);
    m_db->setValue(s.db);
    m_username->setText(s.username);
    m_password->setText(password);
    m_rememberPassword->setChecked(profile.rememberPassword);
    m_caFile->setText(s.tls.caFile);
    m_certFile->setText(s.tls.certFile);
    m_keyFile->setText(s.tls.keyFile);
    m_serverName->setText(s.tls.serverName);
    m_skipVerify->setChecked(!s.tls.verifyPeer);
    m_skipVerifyWarning->setVisible(!s.tls.verifyPeer);
    m_readOnly->setChecked(s.readOnly);
    const int color = m_color->findData(profile.colorTag);
    m_color->setCurrentIndex(color < 0 ? 0 : color);
    m_url->setText(connectors::RedisUrl::toDisplayUrl(s));
    m_resultBackend->setText(profile.celery.resultBackend);
    m_keyPrefix->setText(profile.celery.keyPrefix);
    m_visibilityTimeout->setValue(profile.celery.visibilityTimeoutS);
    updateTransportFields();
    validate();
}

ConnectionSettings ProfileDialog::currentSettings() const
{
    ConnectionSettings s = m_profile.settings;
    s.transport = static_cast<ConnectionSettings::Transport>(m_transport->currentData().toInt());
    s.host = m_host->text().trimmed();
    s.port = static_cast<quint16>(m_port->value());
    s.socketPath = m_socketPath->text().trimmed();
    s.db = m_db->value();
    s.username = m_username->text().trimmed();
    s.password = m_password->text();
    s.tls.caFile = m_caFile->text().trimmed();
    s.tls.certFile = m_certFile->text().trimmed();
    s.tls.keyFile = m_keyFile->text().trimmed();
    s.tls.serverName = m_serverName->text().trimmed();
    s.tls.verifyPeer = !m_skipVerify->isChecked();
    s.readOnly = m_readOnly->isChecked();
    return s;
}

ConnectionProfile ProfileDialog::profile() const
{
    ConnectionProfile p = m_profile;
    p.name = m_name->text().trimmed();
    p.settings = currentSettings();
    p.settings.password.clear(); // the profile never carries the secret
    p.rememberPassword = m_rememberPassword->isChecked();
    p.colorTag = m_color->currentData().toString();
    p.celery.resultBackend = m_resultBackend->text().trimmed();
    p.celery.keyPrefix = m_keyPrefix->text();
    p.celery.visibilityTimeoutS = m_visibilityTimeout->value();
    return p;
}

QString ProfileDialog::password() const
{
    return m_password->text();
}

QString ProfileDialog::backendPassword() const
{
    return m_resultBackend->text().trimmed().isEmpty() ? QString() : m_backendPassword->text();
}

QString ProfileDialog::importUrl(const QString &url)
{
    const connectors::RedisUrl parsed = connectors::RedisUrl::parse(url);
    if (!parsed.ok)
        return parsed.error;
    ConnectionProfile p = profile();
    const bool keepReadOnly = p.settings.readOnly;
    p.settings = parsed.settings;
    p.settings.readOnly = keepReadOnly;
    const QString password = parsed.settings.password;
    p.settings.password.clear();
    if (p.name.isEmpty() || p.name == tr("New profile"))
        p.name = p.settings.transport == ConnectionSettings::Transport::Unix ? p.settings.socketPath
                                                                             : p.settings.host;
    setProfile(p, password, m_backendPassword->text());
    return parsed.warnings.join(QStringLiteral("; "));
}

void ProfileDialog::importFromEnvironment()
{
    for (const char *name : {"CELERY_BROKER_URL", "REDIS_URL"}) {
        const QString value = qEnvironmentVariable(name);
        if (value.isEmpty())
            continue;
        const QString problem = importUrl(value);
        m_importMessage->setText(problem.isEmpty()
                                     ? tr("Imported from %1.").arg(QString::fromLatin1(name))
                                     : tr("%1: %2").arg(QString::fromLatin1(name), problem));
        return;
    }
    m_importMessage->setText(tr("Neither CELERY_BROKER_URL nor REDIS_URL is set."));
}

void ProfileDialog::showTestResult(bool ok, const QString &text)
{
    m_testButton->setEnabled(true);
    m_testResult->setText(text);
    m_testResult->setStyleSheet(ok ? models::toneStyleSheet(models::Tone::Success)
                                   : models::toneStyleSheet(models::Tone::Error));
}

void ProfileDialog::updateTransportFields()
{
    const auto t = static_cast<ConnectionSettings::Transport>(m_transport->currentData().toInt());
    const bool isUnix = t == ConnectionSettings::Transport::Unix;
    m_host->setEnabled(!isUnix);
    m_port->setEnabled(!isUnix);
    m_socketPath->setEnabled(isUnix);
    m_tlsGroup->setVisible(t == ConnectionSettings::Transport::Tls);
}

void ProfileDialog::chooseFile(QLineEdit *target, const QString &caption)
{
    auto *dialog = new QFileDialog(this, caption, target->text());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setFilter(QDir::AllEntries | QDir::System | QDir::Hidden);
    connect(dialog, &QFileDialog::fileSelected, target, &QLineEdit::setText);
    dialog->open();
}

void ProfileDialog::validate()
{
    // The result backend's URL is saved as typed: a password in it would land in the
    // settings file, so it is refused (the broker's password is used).
    QString backendProblem;
    const QString backend = m_resultBackend->text().trimmed();
    if (!backend.isEmpty()) {
        const connectors::RedisUrl parsed = connectors::RedisUrl::parse(backend);
        if (!parsed.ok)
            backendProblem = parsed.error;
        else if (!parsed.settings.password.isEmpty())
            backendProblem =
                tr("Leave the password out of this URL: it would be saved in the settings file. "
                   "The broker's password is used.");
    }
    m_celeryProblem->setText(backendProblem);
    m_celeryProblem->setVisible(!backendProblem.isEmpty());
    m_okButton->setEnabled(!m_name->text().trimmed().isEmpty() && backendProblem.isEmpty());
}

} // namespace bd::ui
