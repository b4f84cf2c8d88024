#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <vector>

namespace bd::connectors {

// One RESP2 reply, binary-safe: strings, statuses and errors are raw bytes, never decoded.
// A value type; copying an array copies its elements (QByteArray payloads are shared).
class RedisReply
{
public:
    enum class Type : quint8 { Nil, Integer, String, Status, Error, Array };

    RedisReply() = default;

    static RedisReply nil() { return {}; }
    static RedisReply integer(qint64 value);
    static RedisReply string(QByteArray bytes);
    static RedisReply status(QByteArray bytes);
    static RedisReply error(QByteArray bytes);
    static RedisReply array(std::vector<RedisReply> elements);

    Type type() const { return m_type; }
    bool isNil() const { return m_type == Type::Nil; }
    bool isInteger() const { return m_type == Type::Integer; }
    bool isString() const { return m_type == Type::String; }
    bool isStatus() const { return m_type == Type::Status; }
    bool isError() const { return m_type == Type::Error; }
    bool isArray() const { return m_type == Type::Array; }

    // Payload of String, Status and Error replies; empty otherwise.
    const QByteArray &bytes() const { return m_bytes; }
    // Moves the payload out (the reply keeps an empty one).
    QByteArray takeBytes() { return std::move(m_bytes); }
    qint64 toInteger() const { return m_integer; }
    const std::vector<RedisReply> &elements() const { return m_elements; }
    std::vector<RedisReply> &elements() { return m_elements; }

    // The first word of an error reply ("WRONGPASS", "NOAUTH", "ERR"), empty otherwise.
    QByteArray errorCode() const;

    friend bool operator==(const RedisReply &a, const RedisReply &b);

private:
    friend class RespReader;
    Type m_type = Type::Nil;
    qint64 m_integer = 0;
    QByteArray m_bytes;
    std::vector<RedisReply> m_elements;
};

QDebug operator<<(QDebug debug, const RedisReply &reply);

} // namespace bd::connectors
