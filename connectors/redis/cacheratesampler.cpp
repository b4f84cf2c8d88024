#include "cacheratesampler.h"

#include "redisclient.h"
#include "serverinfo.h"

#include <QTimer>

namespace bd::connectors {

CacheRateSampler::CacheRateSampler(RedisClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &CacheRateSampler::sample);
}

void CacheRateSampler::start(int intervalMs)
{
    m_havePrevious = false;
    m_timer->start(intervalMs);
    sample();
}

void CacheRateSampler::stop()
{
    m_timer->stop();
}

void CacheRateSampler::sample()
{
    if (!m_client || m_inFlight)
        return;
    m_inFlight = true;
    m_client->send({"INFO", "stats"}, this, [this](const RedisResult &r) {
        m_inFlight = false;
        if (!r.ok() || !r.reply.isString()) {
            if (r.error.kind == RedisError::Kind::ServerError)
                Q_EMIT unavailable(r.error.toString());
            return;
        }
        const ServerInfo info = ServerInfo::parse(r.reply.bytes());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 values[4] = {info.integer(QStringLiteral("keyspace_hits"), 0),
                                  info.integer(QStringLiteral("keyspace_misses"), 0),
                                  info.integer(QStringLiteral("expired_keys"), 0),
                                  info.integer(QStringLiteral("evicted_keys"), 0)};
        if (m_havePrevious && now > m_prevAtMs) {
            const double seconds = (now - m_prevAtMs) / 1000.0;
            const qint64 hits = values[0] - m_prev[0];
            const qint64 misses = values[1] - m_prev[1];
            CacheRates rates;
            rates.at = QDateTime::fromMSecsSinceEpoch(now);
            rates.hitRatio = hits + misses > 0 ? double(hits) / double(hits + misses) : -1;
            rates.hitsPerSecond = hits / seconds;
            rates.missesPerSecond = misses / seconds;
            rates.expiredPerSecond = (values[2] - m_prev[2]) / seconds;
            rates.evictedPerSecond = (values[3] - m_prev[3]) / seconds;
            rates.totalHits = values[0];
            rates.totalMisses = values[1];
            Q_EMIT sampled(rates);
        }
        std::copy(std::begin(values), std::end(values), std::begin(m_prev));
        m_prevAtMs = now;
        m_havePrevious = true;
    });
}

} // namespace bd::connectors
