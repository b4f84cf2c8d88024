#pragma once

#include "redisreply.h"

#include <QList>
#include <QString>

#include <nlohmann/json_fwd.hpp>

namespace bd::connectors {

// Formats replies the way redis-cli prints them, binary-safe.
class ReplyFormatter
{
public:
    struct Limits
    {
        // Beyond these the output says how much was left out instead of freezing the caller
        // on a KEYS * of millions.
        qsizetype maxElements = 10'000;       // array elements printed, all levels together
        qsizetype maxStringBytes = 64 * 1024; // bytes printed of one string
    };

    // redis-cli's interactive format: "PONG", "\"value\"", "(integer) 5", "(nil)",
    // "(error) ERR …", "1) …" with nested arrays indented. Strings are quoted and escaped like
    // redis-cli (\n, \", \xff) except that valid UTF-8 text is kept readable.
    static QString toCliText(const RedisReply &reply, const Limits &limits);
    static QString toCliText(const RedisReply &reply) { return toCliText(reply, Limits{}); }

    // redis-cli --raw: strings as they are (bytes), one array element per line.
    static QByteArray toRaw(const RedisReply &reply);

    // Machine-readable: nil → null, integer → number, string/status → string when UTF-8,
    // otherwise {"base64": "…"}; error → {"error": "…"}; array → array.
    static nlohmann::json toJson(const RedisReply &reply);

    // redis-cli prints the replies of some commands as plain text even in its interactive mode
    // (INFO, CLIENT LIST, CLUSTER NODES, MEMORY DOCTOR, …): multi-line reports, not values.
    static bool prefersRawText(const QList<QByteArray> &command);

    // Escapes bytes for display as redis-cli does, keeping valid UTF-8 text as it is.
    // With quotes, wraps in "…" and escapes the quote.
    static QString escapeBytes(const QByteArray &bytes, bool quoted);
};

} // namespace bd::connectors
