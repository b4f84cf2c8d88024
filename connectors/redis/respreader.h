#pragma once

#include "redisreply.h"

#include <QString>

struct redisReader;

namespace bd::connectors {

// Incremental RESP2 parser over hiredis's redisReader. Bytes may arrive split at any
// boundary; replies come out in order. Not thread-safe: one reader per connection.
class RespReader
{
public:
    enum class Result { Reply, NeedMoreData, ProtocolError };

    RespReader();
    ~RespReader();
    RespReader(const RespReader &) = delete;
    RespReader &operator=(const RespReader &) = delete;

    void feed(const char *data, qsizetype size);
    void feed(const QByteArray &bytes) { feed(bytes.constData(), bytes.size()); }

    // Takes the next complete reply into *reply. After ProtocolError the stream cannot be
    // resynchronised: the caller drops the connection and calls reset().
    Result next(RedisReply *reply);

    QString errorString() const { return m_error; }
    void reset();

private:
    redisReader *m_reader = nullptr; // Owned.
    QString m_error;
};

} // namespace bd::connectors
