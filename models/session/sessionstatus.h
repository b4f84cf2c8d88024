#pragma once

#include "redis/connectionstate.h"
#include "redis/rediserror.h"
#include "redis/serverstatus.h"

#include <QObject>

namespace bd::models {

// What the status bar shows for one session: connection state, the last error, the next
// retry, and the server's figures. Fed by the app layer from the connector's signals; read by
// widgets. Emits changed() once per update.
class SessionStatus : public QObject
{
    Q_OBJECT

public:
    explicit SessionStatus(QString endpoint, bool readOnly, QObject *parent = nullptr);

    QString endpoint() const { return m_endpoint; }
    bool readOnly() const { return m_readOnly; }
    connectors::ConnectionState state() const { return m_state; }
    connectors::RedisError lastError() const { return m_error; }
    const connectors::ServerStatus &server() const { return m_server; }
    int db() const { return m_db; }

    // "connected", "reconnecting in 3 s (connection refused: 127.0.0.1:6390)", …
    QString stateText() const;

public Q_SLOTS:
    void setConnectionState(bd::connectors::ConnectionState state,
                            const bd::connectors::RedisError &error, int retryInMs);
    void setServerStatus(const bd::connectors::ServerStatus &status);
    void setDb(int db);

Q_SIGNALS:
    void changed();

private:
    QString m_endpoint;
    bool m_readOnly = false;
    connectors::ConnectionState m_state = connectors::ConnectionState::Disconnected;
    connectors::RedisError m_error;
    int m_retryInMs = 0;
    int m_db = 0;
    connectors::ServerStatus m_server;
};

} // namespace bd::models
