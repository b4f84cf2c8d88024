#include "serverstatusprobe.h"

#include "redisclient.h"
#include "serverinfo.h"

#include <QElapsedTimer>
#include <QTimer>

namespace bd::connectors {

namespace {
// INFO is heavier than PING: read it on every fifth sample (and the first).
constexpr int kInfoEveryNthSample = 5;
} // namespace

ServerStatusProbe::ServerStatusProbe(RedisClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &ServerStatusProbe::sampleNow);
}

void ServerStatusProbe::start(int intervalMs)
{
    m_ticks = 0;
    m_timer->start(intervalMs);
    sampleNow();
}

void ServerStatusProbe::stop()
{
    m_timer->stop();
}

void ServerStatusProbe::sampleNow()
{
    if (!m_client || m_sampling || m_client->state() != ConnectionState::Connected)
        return;
    m_sampling = true;
    const bool withInfo = m_infoEverySample || (m_ticks % kInfoEveryNthSample) == 0;
    ++m_ticks;
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_client->send(
        {QByteArrayLiteral("PING")}, this, [this, timer, withInfo](const RedisResult &r) {
            if (r.ok())
                m_status.latencyMs = timer->nsecsElapsed() / 1e6;
            if (m_client)
                m_status.db = m_client->settings().db;
            m_status.sampledAt = QDateTime::currentDateTimeUtc();
            if (!withInfo || !m_client) {
                m_sampling = false;
                Q_EMIT statusChanged(m_status);
                return;
            }
            m_client->send({QByteArrayLiteral("INFO")}, this, [this](const RedisResult &info) {
                m_sampling = false;
                if (info.ok() && info.reply.isString()) {
                    const ServerInfo parsed = ServerInfo::parse(info.reply.bytes());
                    m_status.version = parsed.version();
                    m_status.role = parsed.role();
                    m_status.mode = parsed.mode();
                    m_status.usedMemoryHuman = parsed.usedMemoryHuman();
                    m_status.usedMemoryBytes = parsed.integer(QStringLiteral("used_memory"));
                    m_status.infoError.clear();
                    Q_EMIT statusChanged(m_status);
                    Q_EMIT infoRead(parsed, QDateTime::currentMSecsSinceEpoch());
                    return;
                }
                m_status.infoError = info.error.toString();
                Q_EMIT statusChanged(m_status);
                if (info.error.kind == RedisError::Kind::ServerError)
                    Q_EMIT infoRefused(info.error.toString());
            });
        });
}

} // namespace bd::connectors
