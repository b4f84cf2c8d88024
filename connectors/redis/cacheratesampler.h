#pragma once

#include "cachestats.h"
#include "rediserror.h"

#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {

class RedisClient;

// Samples server-wide cache figures (CacheRates) from INFO stats at an interval.
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

