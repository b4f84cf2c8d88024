#pragma once

#include "rediserror.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {

class RedisClient;

// Server-wide cache figures from INFO stats, sampled at an interval: hit ratio over the
// interval and per-second rates of hits, misses, expired and evicted keys.
struct CacheRates
{
    QDateTime at;
    double hitRatio = -1;     // 0..1 over the interval; -1 when there was no lookup
    double hitsPerSecond = 0;
    double missesPerSecond = 0;
    double expiredPerSecond = 0;
    double evictedPerSecond = 0;
    qint64 totalHits = 0;
    qint64 totalMisses = 0;
};

class CacheRateSampler : public QObject
{
    Q_OBJECT

public:
    explicit CacheRateSampler(RedisClient *client, QObject *parent = nullptr);

    void start(int intervalMs = 2000);
    void stop();

Q_SIGNALS:
    void sampled(const bd::connectors::CacheRates &rates);
    void unavailable(const QString &why); // INFO denied, or not a server that has it

private:
    void sample();

    QPointer<RedisClient> m_client;
    QTimer *m_timer = nullptr; // Owned.
    bool m_inFlight = false;
    bool m_havePrevious = false;
    qint64 m_prevAtMs = 0;
    qint64 m_prev[4] = {}; // hits, misses, expired, evicted
};

} // namespace bd::connectors

Q_DECLARE_METATYPE(bd::connectors::CacheRates)
