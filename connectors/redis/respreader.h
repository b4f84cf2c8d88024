#pragma once

#include "redisreply.h"

#include <QByteArray>
#include <QString>

#include <functional>

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

    // Keeps the bytes; next() hands them to the parser a slice at a time.
    void feed(const char *data, qsizetype size);
    // Shares bytes when nothing else waits (no copy of a read).
    void feed(const QByteArray &bytes);

    // Takes the next complete reply into *reply. After ProtocolError the stream cannot be
    // resynchronised: the caller drops the connection and calls reset().
    Result next(RedisReply *reply);

    QString errorString() const { return m_error; }
    void reset();

    // Called, inside next(), with the first element of a top-level array reply as soon as it
    // has been read, before the rest of the reply has (a cursor walk sends its next page
    // then). The reply itself still comes out of next() as usual.
    void setHeadHook(std::function<void(const QByteArray &first)> hook)
    {
        m_headHook = std::move(hook);
    }

private:
    friend struct RespReaderHooks;
    bool feedSlice();

    redisReader *m_reader = nullptr; // Owned.
    QByteArray m_pending;            // fed, not yet given to m_reader (from m_pendingPos)
    qsizetype m_pendingPos = 0;
    QString m_error;
    bool m_tooDeep = false; // set by the array callback, read when hiredis reports the stop
    std::function<void(const QByteArray &)> m_headHook;
};

} // namespace bd::connectors
