#pragma once

#include "rediserror.h"

#include <QByteArray>
#include <QList>
#include <QPair>

namespace bd::connectors {

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

} // namespace bd::connectors
