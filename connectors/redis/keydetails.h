#pragma once

#include "rediserror.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>

namespace bd::connectors {

// A stream's consumer group, from XINFO GROUPS.
struct StreamGroup
{
    QByteArray name;
    qint64 consumers = -1;
    qint64 pending = -1; // delivered, not acknowledged
    QByteArray lastDeliveredId;
    qint64 lag = -1; // entries not yet delivered to the group (Redis 7; -1 when unknown)
};

// One item to add to a key, or the first item of a new key.
struct NewItem
{
    QByteArray type;     // string, hash, list, set, zset, stream
    QByteArray first;    // string value, hash field, list element, set/zset member, stream field
    QByteArray second;   // hash value, zset score, stream value
    bool atHead = false; // lists: LPUSH rather than RPUSH

    // Why the item cannot be written as it is, or empty.
    QString problem() const
    {
        if ((type == "hash" || type == "stream") && first.isEmpty())
            return QObject::tr("The field needs a name");
        if (type == "zset") {
            bool ok = false;
            second.toDouble(&ok);
            const QByteArray lower = second.trimmed().toLower();
            if (!ok && lower != "inf" && lower != "+inf" && lower != "-inf")
                return second.isEmpty() ? QObject::tr("The member needs a score")
                                        : QObject::tr("A score is a number");
        }
        return {};
    }
};

// What the detail pane shows of one key: its facts and the first page of its value. Nothing
// is ever read whole: a string is read with GETRANGE up to previewBytes, collections with one
// SCAN/RANGE page.
struct KeyDetails
{
    QByteArray key;
    QByteArray type; // "none" when the key is gone
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
    QList<StreamGroup> streamGroups; // streams only
    RedisError error;
};

} // namespace bd::connectors
