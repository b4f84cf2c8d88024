#include "redisreply.h"

#include <QDebug>

namespace bd::connectors {

RedisReply RedisReply::integer(qint64 value)
{
    RedisReply r;
    r.m_type = Type::Integer;
    r.m_integer = value;
    return r;
}

RedisReply RedisReply::string(QByteArray bytes)
{
    RedisReply r;
    r.m_type = Type::String;
    r.m_bytes = std::move(bytes);
    return r;
}

RedisReply RedisReply::status(QByteArray bytes)
{
    RedisReply r;
    r.m_type = Type::Status;
    r.m_bytes = std::move(bytes);
    return r;
}

RedisReply RedisReply::error(QByteArray bytes)
{
    RedisReply r;
    r.m_type = Type::Error;
    r.m_bytes = std::move(bytes);
    return r;
}

RedisReply RedisReply::array(std::vector<RedisReply> elements)
{
    RedisReply r;
    r.m_type = Type::Array;
    r.m_elements = std::move(elements);
    return r;
}

QByteArray RedisReply::errorCode() const
{
    if (m_type != Type::Error)
        return {};
    const qsizetype space = m_bytes.indexOf(' ');
    return space < 0 ? m_bytes : m_bytes.left(space);
}

bool operator==(const RedisReply &a, const RedisReply &b)
{
    return a.m_type == b.m_type && a.m_integer == b.m_integer && a.m_bytes == b.m_bytes
           && a.m_elements == b.m_elements;
}

QDebug operator<<(QDebug debug, const RedisReply &reply)
{
    QDebugStateSaver saver(debug);
    debug.nospace();
    switch (reply.type()) {
    case RedisReply::Type::Nil:
        return debug << "RedisReply(nil)";
    case RedisReply::Type::Integer:
        return debug << "RedisReply(integer " << reply.toInteger() << ')';
    case RedisReply::Type::String:
        return debug << "RedisReply(string " << reply.bytes() << ')';
    case RedisReply::Type::Status:
        return debug << "RedisReply(status " << reply.bytes() << ')';
    case RedisReply::Type::Error:
        return debug << "RedisReply(error " << reply.bytes() << ')';
    case RedisReply::Type::Array:
        debug << "RedisReply(array";
        for (const RedisReply &e : reply.elements())
            debug << ' ' << e;
        return debug << ')';
    }
    return debug;
}

} // namespace bd::connectors
