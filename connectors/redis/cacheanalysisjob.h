#pragma once

#include "cachestats.h"
#include "rediserror.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {

class RedisClient;

// Reads every key's TTL (and the memory of one key in memorySampleEvery) with SCAN + pipelined
// PTTL / MEMORY USAGE, on a connection of its own, with a bounded number of commands in flight,
// and groups the figures by namespace at a given depth. Emits a snapshot at most every 250 ms.
// An ACL that denies MEMORY leaves memory unknown and the rest works.
class CacheAnalysisJob : public QObject
{
    Q_OBJECT

public:
    CacheAnalysisJob(RedisClient *client, QByteArray separator, int depth,
                     QObject *parent = nullptr);

    void setMemorySampleEvery(int n) { m_sampleEvery = qMax(1, n); }
    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    QList<NamespaceStats> snapshot() const;
    bool memoryDenied() const { return m_memoryDenied; }

    static QByteArray namespaceOf(const QByteArray &key, const QByteArray &separator, int depth);

Q_SIGNALS:
    void updated(qint64 keysAnalysed);
    void finished(bool complete, const bd::connectors::RedisError &error);

private:
    void requestPage();
    void pump();
    void account(const QByteArray &key, qint64 pttl);
    void finish(bool complete, const RedisError &error);

    QPointer<RedisClient> m_client;
    QByteArray m_separator;
    int m_depth = 1;
    int m_sampleEvery = 20;
    QByteArray m_cursor = "0";
    bool m_scanDone = false;
    bool m_scanInFlight = false;
    bool m_running = false;
    bool m_memoryDenied = false;
    QList<QByteArray> m_pending; // scanned, TTL not asked yet
    int m_inFlight = 0;
    qint64 m_analysed = 0;
    qint64 m_seen = 0;
    QHash<QByteArray, NamespaceStats> m_stats;
    QTimer *m_notify = nullptr; // Owned.
    quint64 m_generation = 0;
};

} // namespace bd::connectors
