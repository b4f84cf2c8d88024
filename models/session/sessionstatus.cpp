#include "sessionstatus.h"

namespace bd::models {

using connectors::ConnectionState;

SessionStatus::SessionStatus(QString endpoint, bool readOnly, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_readOnly(readOnly)
{}

QString SessionStatus::stateText() const
{
    switch (m_state) {
    case ConnectionState::Connected:
        return QStringLiteral("connected");
    case ConnectionState::Connecting:
        return QStringLiteral("connecting…");
    case ConnectionState::Disconnected:
        return QStringLiteral("disconnected");
    case ConnectionState::WaitingToReconnect:
        return QStringLiteral("reconnecting in %1 s (%2)")
            .arg(qMax(1, (m_retryInMs + 999) / 1000))
            .arg(m_error.toString());
    case ConnectionState::Failed:
        return m_error.toString();
    }
    return {};
}

void SessionStatus::setConnectionState(ConnectionState state, const connectors::RedisError &error,
                                       int retryInMs)
{
    m_state = state;
    if (error.isError() || state == ConnectionState::Connected)
        m_error = error;
    m_retryInMs = retryInMs;
    Q_EMIT changed();
}

void SessionStatus::setServerStatus(const connectors::ServerStatus &status)
{
    m_server = status;
    m_db = status.db;
    Q_EMIT changed();
}

void SessionStatus::setDb(int db)
{
    m_db = db;
    Q_EMIT changed();
}

} // namespace bd::models
