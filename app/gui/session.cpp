#include "session.h"

#include "console/consolepage.h"
#include "redis/redisclient.h"
#include "redis/serverstatusprobe.h"
#include "session/sessionstatus.h"

#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTabWidget>

namespace bd::app {

using connectors::ConnectionState;
using connectors::RedisError;
using connectors::RedisResult;

namespace {

constexpr int kStatusIntervalMs = 2000;

// Commands that block on the server until data arrives wait as long as the server does.
bool isBlockingCommand(const QByteArray &upperName)
{
    return upperName == "BLPOP" || upperName == "BRPOP" || upperName == "BLMOVE"
           || upperName == "BRPOPLPUSH" || upperName == "BZPOPMIN" || upperName == "BZPOPMAX"
           || upperName == "BLMPOP" || upperName == "BZMPOP" || upperName == "XREAD"
           || upperName == "XREADGROUP" || upperName == "WAIT";
}

} // namespace

Session::Session(const connectors::ConnectionProfile &profile,
                 const connectors::ConnectionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
{
    connectors::ConnectionSettings s = settings;
    s.clientName = QByteArrayLiteral("brokerdesk:console");
    m_client = new connectors::RedisClient(s, this);
    m_probe = new connectors::ServerStatusProbe(m_client, this);
    m_status = new models::SessionStatus(s.endpoint(), s.readOnly, this);
    m_status->setDb(s.db);
    if (!m_profile.transient)
        m_history.load(historyPath());

    m_view = new QTabWidget;
    m_view->setObjectName(QStringLiteral("sessionView"));
    m_view->setDocumentMode(true);
    m_console = new ui::ConsolePage(&m_history, m_view);
    m_view->addTab(m_console, tr("Console"));
    m_view->setFocusProxy(m_console);
    m_console->setPrompt(s.endpoint(), s.db, s.readOnly);

    connect(m_client, &connectors::RedisClient::stateChanged, m_status,
            &models::SessionStatus::setConnectionState);
    connect(m_client, &connectors::RedisClient::databaseChanged, m_status,
            &models::SessionStatus::setDb);
    connect(m_probe, &connectors::ServerStatusProbe::statusChanged, m_status,
            &models::SessionStatus::setServerStatus);
    connect(m_client, &connectors::RedisClient::stateChanged, this,
            [this](ConnectionState state, const RedisError &error, int) {
                if (state == ConnectionState::Connected) {
                    m_reconnecting = false;
                    if (m_everConnected && m_console)
                        m_console->showNotice(tr("reconnected"));
                    m_everConnected = true;
                    m_probe->sampleNow();
                } else if (state == ConnectionState::WaitingToReconnect && m_console
                           && !m_reconnecting) {
                    // Said once per outage; the sidebar and status bar keep the countdown.
                    m_reconnecting = true;
                    m_console->showNotice(tr("%1; reconnecting…").arg(error.toString()));
                } else if (state == ConnectionState::Failed && m_console) {
                    m_console->showNotice(error.toString());
                }
                Q_EMIT stateChanged(state, error, m_status->stateText());
            });
    wireConsole();
}

Session::~Session()
{
    if (!m_profile.transient)
        m_history.save(historyPath());
}

void Session::start()
{
    m_client->open();
    m_probe->start(kStatusIntervalMs);
}

void Session::wireConsole()
{
    connect(m_client, &connectors::RedisClient::databaseChanged, m_console, [this](int db) {
        m_console->setPrompt(m_client->settings().endpoint(), db, m_client->isReadOnly());
    });
    connect(m_console, &ui::ConsolePage::commandEntered, this,
            [this](quint64 token, const QList<QByteArray> &args) {
                auto timer = std::make_shared<QElapsedTimer>();
                timer->start();
                const QPointer<ui::ConsolePage> console = m_console;
                const int timeout = isBlockingCommand(args.first().toUpper()) ? 0 : -1;
                m_client->send(
                    args, m_console,
                    [console, token, timer](const RedisResult &result) {
                        console->showResult(token, result, timer->nsecsElapsed() / 1e6);
                    },
                    timeout);
            });
}

QString Session::historyPath() const
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/history/") + m_profile.id + QStringLiteral(".json");
}

} // namespace bd::app
