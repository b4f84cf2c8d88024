#include "cacheanalysisjob.h"

#include "redisclient.h"

#include <QTimer>

namespace bd::connectors {

namespace {
constexpr int kScanCount = 1000;
constexpr int kMaxInFlight = 2000; // PTTL commands in flight: bounded memory, full pipeline
constexpr int kNotifyMs = 250;
} // namespace

int ttlBucketOf(qint64 pttlMs)
{
    if (pttlMs < 0)
        return TtlNone;
    const qint64 s = pttlMs / 1000;
    if (s < 60)
        return TtlUnder1m;
    if (s < 5 * 60)
        return Ttl1to5m;
    if (s < 15 * 60)
        return Ttl5to15m;
    if (s < 60 * 60)
        return Ttl15to60m;
    if (s < 24 * 3600)
        return Ttl1to24h;
    return TtlOver24h;
}

QByteArray CacheAnalysisJob::namespaceOf(const QByteArray &key, const QByteArray &separator,
                                         int depth)
{
    if (separator.isEmpty())
        return {};
    qsizetype pos = -static_cast<qsizetype>(separator.size());
    for (int d = 0; d < depth; ++d) {
        const qsizetype next = key.indexOf(separator, pos + separator.size());
        if (next < 0)
            break;
        pos = next;
    }
    return pos < 0 ? QByteArray() : key.left(pos + separator.size());
}

CacheAnalysisJob::CacheAnalysisJob(RedisClient *client, QByteArray separator, int depth,
                                   QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_separator(std::move(separator))
    , m_depth(qMax(1, depth))
    , m_notify(new QTimer(this))
{
    m_notify->setInterval(kNotifyMs);
    connect(m_notify, &QTimer::timeout, this, [this] { Q_EMIT updated(m_analysed); });
}

QList<NamespaceStats> CacheAnalysisJob::snapshot() const
{
    return m_stats.values();
}

void CacheAnalysisJob::start()
{
    if (!m_client || m_running)
        return;
    ++m_generation;
    m_running = true;
    m_cursor = "0";
    m_scanDone = false;
    m_stats.clear();
    m_analysed = 0;
    m_seen = 0;
    m_notify->start();
    requestPage();
}

void CacheAnalysisJob::cancel()
{
    if (m_running)
        finish(false, {});
}

void CacheAnalysisJob::requestPage()
{
    m_scanInFlight = true;
    const quint64 generation = m_generation;
    m_client->send({"SCAN", m_cursor, "COUNT", QByteArray::number(kScanCount)}, this,
                   [this, generation](const RedisResult &r) {
                       if (generation != m_generation || !m_running)
                           return;
                       m_scanInFlight = false;
                       if (!r.ok() || !r.reply.isArray() || r.reply.elements().size() != 2) {
                           finish(false, r.ok()
                                             ? RedisError{RedisError::Kind::Protocol,
                                                          QStringLiteral("unexpected SCAN reply")}
                                             : r.error);
                           return;
                       }
                       m_cursor = r.reply.elements()[0].bytes();
                       m_scanDone = m_cursor == "0";
                       for (const RedisReply &k : r.reply.elements()[1].elements())
                           m_pending << k.bytes();
                       pump();
                   });
}

void CacheAnalysisJob::pump()
{
    const quint64 generation = m_generation;
    while (!m_pending.isEmpty() && m_inFlight < kMaxInFlight) {
        const QByteArray key = m_pending.takeLast();
        ++m_inFlight;
        const bool sample = !m_memoryDenied && (m_seen++ % m_sampleEvery) == 0;
        m_client->send({"PTTL", key}, this, [this, generation, key](const RedisResult &r) {
            if (generation != m_generation || !m_running)
                return;
            --m_inFlight;
            if (r.ok() && r.reply.isInteger() && r.reply.toInteger() != -2) // -2: gone meanwhile
                account(key, r.reply.toInteger());
            pump();
        });
        if (sample) {
            ++m_inFlight;
            m_client->send({"MEMORY", "USAGE", key, "SAMPLES", "0"}, this,
                           [this, generation, key](const RedisResult &r) {
                               if (generation != m_generation || !m_running)
                                   return;
                               --m_inFlight;
                               if (r.ok() && r.reply.isInteger()) {
                                   const QByteArray prefix = namespaceOf(key, m_separator, m_depth);
                                   NamespaceStats &ns = m_stats[prefix];
                                   ns.prefix = prefix;
                                   ns.memorySampled += r.reply.toInteger();
                                   ++ns.memorySamples;
                               } else if (r.error.kind == RedisError::Kind::ServerError) {
                                   m_memoryDenied =
                                       true; // NOPERM: memory stays unknown, the rest goes on
                               }
                               pump();
                           });
        }
    }
    if (m_pending.isEmpty() && !m_scanInFlight) {
        if (!m_scanDone)
            requestPage();
        else if (m_inFlight == 0)
            finish(true, {});
    }
}

void CacheAnalysisJob::account(const QByteArray &key, qint64 pttl)
{
    const QByteArray prefix = namespaceOf(key, m_separator, m_depth);
    NamespaceStats &ns = m_stats[prefix];
    ns.prefix = prefix;
    ++ns.keys;
    ++ns.buckets[size_t(ttlBucketOf(pttl))];
    if (pttl >= 0 && pttl < 60'000)
        ++ns.expiringSoon;
    ++m_analysed;
}

void CacheAnalysisJob::finish(bool complete, const RedisError &error)
{
    m_running = false;
    ++m_generation;
    m_notify->stop();
    // Namespaces that only got memory samples (their keys vanished meanwhile) are dropped.
    for (auto it = m_stats.begin(); it != m_stats.end();) {
        if (it->keys == 0)
            it = m_stats.erase(it);
        else
            ++it;
    }
    Q_EMIT updated(m_analysed);
    Q_EMIT finished(complete, error);
}

} // namespace bd::connectors
