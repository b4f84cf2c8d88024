#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>

#include <array>

namespace bd::connectors {

// TTL buckets of the Cache page: <1 min, 1–5 min, 5–15 min, 15–60 min, 1–24 h, >24 h, none.
enum TtlBucket {
    TtlUnder1m,
    Ttl1to5m,
    Ttl5to15m,
    Ttl15to60m,
    Ttl1to24h,
    TtlOver24h,
    TtlNone,
    TtlBucketCount
};
int ttlBucketOf(qint64 pttlMs); // -1 (no TTL) → TtlNone

struct NamespaceStats
{
    QByteArray prefix; // "user:" at depth 1; empty for keys outside any namespace
    qint64 keys = 0;
    std::array<qint64, TtlBucketCount> buckets{};
    qint64 expiringSoon = 0;  // TTL under a minute
    qint64 memorySampled = 0; // bytes over the sampled keys
    qint64 memorySamples = 0;
    qint64 withTtl() const { return keys - buckets[TtlNone]; }
    qint64 memoryEstimate() const
    {
        return memorySamples ? memorySampled * keys / memorySamples : -1;
    }
    // Keys without a TTL in a namespace where most keys have one: probably forgotten.
    bool possibleLeak() const { return buckets[TtlNone] > 0 && withTtl() * 2 > keys; }
};

// Server-wide cache figures from INFO stats, sampled at an interval: hit ratio over the
// interval and per-second rates of hits, misses, expired and evicted keys.
struct CacheRates
{
    QDateTime at;
    double hitRatio = -1; // 0..1 over the interval; -1 when there was no lookup
    double hitsPerSecond = 0;
    double missesPerSecond = 0;
    double expiredPerSecond = 0;
    double evictedPerSecond = 0;
    qint64 totalHits = 0;
    qint64 totalMisses = 0;
};

} // namespace bd::connectors

Q_DECLARE_METATYPE(bd::connectors::CacheRates)
