#include "rediserror.h"

namespace bd::connectors {

QString RedisError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("ok");
    case Kind::ConnectionRefused:
        return QStringLiteral("connection refused");
    case Kind::HostNotFound:
        return QStringLiteral("host not found");
    case Kind::ConnectTimeout:
        return QStringLiteral("connection timed out");
    case Kind::CommandTimeout:
        return QStringLiteral("command timed out");
    case Kind::AuthenticationFailed:
        return QStringLiteral("authentication failed");
    case Kind::Tls:
        return QStringLiteral("TLS error");
    case Kind::Protocol:
        return QStringLiteral("protocol error");
    case Kind::ServerError:
        return QStringLiteral("server error");
    case Kind::ConnectionLost:
        return QStringLiteral("connection lost");
    case Kind::NotConnected:
        return QStringLiteral("not connected");
    case Kind::ReadOnlyRefused:
        return QStringLiteral("refused on a read-only connection");
    case Kind::InvalidArguments:
        return QStringLiteral("invalid arguments");
    case Kind::Network:
        return QStringLiteral("network error");
    }
    return QStringLiteral("error");
}

QString RedisError::toString() const
{
    if (kind == Kind::ServerError)
        return message; // the server's own text ("ERR unknown command …") says it best
    if (message.isEmpty())
        return kindName(kind);
    return kindName(kind) + QStringLiteral(": ") + message;
}

RedisResult RedisResult::fromReply(RedisReply reply)
{
    RedisResult r;
    if (reply.isError()) {
        r.error.kind = RedisError::Kind::ServerError;
        r.error.message = QString::fromUtf8(reply.bytes());
    }
    r.reply = std::move(reply);
    return r;
}

RedisResult RedisResult::fromError(RedisError::Kind kind, QString message)
{
    RedisResult r;
    r.error.kind = kind;
    r.error.message = std::move(message);
    return r;
}

} // namespace bd::connectors
