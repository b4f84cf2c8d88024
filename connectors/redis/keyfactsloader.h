#pragma once

#include "rediserror.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace bd::connectors {

class RedisClient;

// What a key browser shows about a key without reading its value.
struct KeyFacts
{
    QByteArray key;
    QByteArray type;         // "string", "hash", …; "none" when the key is gone
    qint64 pttlMs = -2;      // PTTL: -1 no TTL, -2 no such key
    qint64 memoryBytes = -1; // MEMORY USAGE … SAMPLES 0; -1 unknown (denied, or gone)
    RedisError error;        // set when the facts could not be read at all
};

// Reads TYPE, PTTL and MEMORY USAGE for a batch of keys in one pipelined burst (three
// commands a key, one round trip for the batch). Where an ACL denies MEMORY, it says so once
// (memoryDenied()) and stops asking. Keys are bytes: binary keys are sent exactly.
class KeyFactsLoader : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const QList<KeyFacts> &facts)>;

    explicit KeyFactsLoader(RedisClient *client, QObject *parent = nullptr);

    void setMemoryWanted(bool wanted) { m_memoryWanted = wanted; }
    bool memoryDenied() const { return m_memoryDenied; }
    QString memoryDeniedReason() const { return m_memoryDeniedReason; }

    // handler runs once, with facts in the order of keys, on this object's thread.
    void load(const QList<QByteArray> &keys, const QObject *context, Handler handler);

private:
    QPointer<RedisClient> m_client;
    bool m_memoryWanted = true;
    bool m_memoryDenied = false;
    QString m_memoryDeniedReason;
};

} // namespace bd::connectors
