#pragma once

#include "redisreply.h"

#include <QMetaType>
#include <QString>

namespace bd::connectors {

// Why a command or a connection attempt did not produce a usable reply. Each kind has its own
// wording for the operator; message carries the detail (the server's text, the TLS error).
struct RedisError
{
    enum class Kind {
        None,
        ConnectionRefused,
        HostNotFound,
        ConnectTimeout,
        CommandTimeout,
        AuthenticationFailed,
        Tls,
        Protocol,
        ServerError,      // the server answered with an error reply (-ERR …)
        ConnectionLost,   // the connection dropped while the command was pending
        NotConnected,     // no connection (reconnect pending, or disconnected)
        ReadOnlyRefused,  // refused before sending: the profile is read-only
        InvalidArguments, // nothing to send (empty command) or bad settings
        Network,          // another socket error
    };

    Kind kind = Kind::None;
    QString message;

    bool isError() const { return kind != Kind::None; }
    // One line for the operator: "connection refused: 127.0.0.1:6390".
    QString toString() const;
    static QString kindName(Kind kind);
};

// A command's outcome: a reply, or an error. A server error reply is both: error.kind is
// ServerError and reply holds the error reply.
struct RedisResult
{
    RedisReply reply;
    RedisError error;

    bool ok() const { return !error.isError(); }
    static RedisResult fromReply(RedisReply reply);
    static RedisResult fromError(RedisError::Kind kind, QString message);
};

} // namespace bd::connectors

Q_DECLARE_METATYPE(bd::connectors::RedisError)
Q_DECLARE_METATYPE(bd::connectors::RedisResult)
