#pragma once

#include "keydetails.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>

#include <functional>

namespace bd::connectors {

class RedisClient;

class KeyInspector : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const KeyDetails &details)>;

    explicit KeyInspector(RedisClient *client, QObject *parent = nullptr);

    void setPreviewBytes(qint64 bytes) { m_previewBytes = bytes; }
    void setPageSize(int entries) { m_pageSize = entries; }

    // Two round trips: the facts (pipelined), then the type's first page.
    void inspect(const QByteArray &key, const QObject *context, Handler handler);
    // The page after `current` (a hash, list, set, zset or stream): the handler gets a
    // KeyDetails with only the new entries, the new cursor and whether more remain.
    void loadMore(const KeyDetails &current, const QObject *context, Handler handler);

    // Reads a whole string value in GETRANGE chunks of chunkBytes, a few in flight, so that a
    // huge value never arrives as one reply: onChunk gets each piece in order (offset, bytes,
    // the length STRLEN said), then onDone once (an error, or none). A value that changes size
    // meanwhile ends with an error rather than a torn copy passing as whole.
    using ChunkHandler = std::function<void(qint64 offset, const QByteArray &bytes, qint64 total)>;
    using DoneHandler = std::function<void(const RedisError &error)>;
    void readString(const QByteArray &key, qint64 chunkBytes, const QObject *context,
                    ChunkHandler onChunk, DoneHandler onDone);

private:
    QPointer<RedisClient> m_client;
    qint64 m_previewBytes = 64 * 1024;
    int m_pageSize = 200;
};

} // namespace bd::connectors
