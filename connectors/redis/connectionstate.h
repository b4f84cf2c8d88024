#pragma once

#include <QMetaType>
#include <QString>

namespace bd::connectors {

enum class ConnectionState {
    Disconnected,       // not connected and not trying
    Connecting,         // socket, TLS handshake, AUTH/SELECT/SETNAME in progress
    Connected,          // ready for commands
    WaitingToReconnect, // lost or failed; the next attempt is scheduled (capped backoff)
    Failed,             // a permanent error (wrong password, bad certificate): no retry
};

QString connectionStateName(ConnectionState state);

} // namespace bd::connectors

Q_DECLARE_METATYPE(bd::connectors::ConnectionState)
