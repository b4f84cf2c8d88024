#pragma once

#include "rediserror.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>

#include <functional>

namespace bd::connectors {

class RedisClient;

// What the detail pane shows of one key: its facts and the first page of its value. Nothing
// is ever read whole: a string is read with GETRANGE up to previewBytes, collections with one
// SCAN/RANGE page.
struct KeyDetails
{
    QByteArray key;
    QByteArray type;         // "none" when the key is gone
    qint64 pttlMs = -2;
    qint64 memoryBytes = -1; // -1: unknown or denied
    QByteArray encoding;     // OBJECT ENCODING
    qint64 length = -1;      // STRLEN, HLEN, LLEN, SCARD, ZCARD, XLEN
    // string: the first bytes; list/set: members; hash: field → value; zset: member → score;
    // stream: id → "field value …".
    QByteArray stringPreview;
    QList<QPair<QByteArray, QByteArray>> entries;
    bool truncated = false; // there is more than the preview holds
    // Where the next page starts: the SCAN cursor (hash, set), the next index (list, zset),
    // the last id read (stream).
    QByteArray cursor;
    RedisError error;
};

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

private:
    QPointer<RedisClient> m_client;
    qint64 m_previewBytes = 64 * 1024;
    int m_pageSize = 200;
};

} // namespace bd::connectors
