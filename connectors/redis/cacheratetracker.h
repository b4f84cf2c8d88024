#pragma once

#include "cachestats.h"
#include "serverinfo.h"

#include <optional>

namespace bd::connectors {

// Server-wide cache rates (CacheRates) from successive INFO readings: hits and misses per
// second, the hit ratio, expired and evicted keys per second. Reads nothing itself: the
// session's one INFO poller (ServerStatusProbe) hands it each reading.
class CacheRateTracker
{
public:
    // The rates since the previous reading, from the second reading on. A counter that went
    // back (a server restarted, CONFIG RESETSTAT) starts over.
    std::optional<CacheRates> add(const ServerInfo &info, qint64 atMs);
    void reset() { m_havePrevious = false; }

private:
    bool m_havePrevious = false;
    qint64 m_prevAtMs = 0;
    qint64 m_prev[4] = {}; // hits, misses, expired, evicted
};

} // namespace bd::connectors
