#include "cacheratetracker.h"

#include <QDateTime>

#include <algorithm>
#include <iterator>

namespace bd::connectors {

std::optional<CacheRates> CacheRateTracker::add(const ServerInfo &info, qint64 atMs)
{
    const qint64 values[4] = {info.integer(QStringLiteral("keyspace_hits"), 0),
                              info.integer(QStringLiteral("keyspace_misses"), 0),
                              info.integer(QStringLiteral("expired_keys"), 0),
                              info.integer(QStringLiteral("evicted_keys"), 0)};
    bool wentBack = false;
    for (int i = 0; i < 4; ++i)
        wentBack = wentBack || values[i] < m_prev[i];
    std::optional<CacheRates> rates;
    if (m_havePrevious && !wentBack && atMs > m_prevAtMs) {
        const double seconds = (atMs - m_prevAtMs) / 1000.0;
        const qint64 hits = values[0] - m_prev[0];
        const qint64 misses = values[1] - m_prev[1];
        CacheRates r;
        r.at = QDateTime::fromMSecsSinceEpoch(atMs);
        r.hitRatio = hits + misses > 0 ? double(hits) / double(hits + misses) : -1;
        r.hitsPerSecond = hits / seconds;
        r.missesPerSecond = misses / seconds;
        r.expiredPerSecond = (values[2] - m_prev[2]) / seconds;
        r.evictedPerSecond = (values[3] - m_prev[3]) / seconds;
        r.totalHits = values[0];
        r.totalMisses = values[1];
        rates = r;
    }
    std::copy(std::begin(values), std::end(values), std::begin(m_prev));
    m_prevAtMs = atMs;
    m_havePrevious = true;
    return rates;
}

} // namespace bd::connectors
