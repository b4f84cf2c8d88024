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

private:
    QPointer<RedisClient> m_client;
    qint64 m_previewBytes = 64 * 1024;
    int m_pageSize = 200;
};

} // namespace bd::connectors
