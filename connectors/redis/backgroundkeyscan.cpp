#include "backgroundkeyscan.h"

#include "redisclient.h"

namespace bd::connectors {

BackgroundKeyScan::BackgroundKeyScan(ConnectionSettings settings, KeyScanJob::Options options,
                                     QObject *parent)
    : QObject(parent)
{
    settings.reconnect.enabled = false; // a scan that loses its connection stops and says so
    m_client = new RedisClient(std::move(settings), this);
    m_job = new KeyScanJob(m_client, std::move(options), this);
    connect(m_job, &KeyScanJob::keysFound, this, &BackgroundKeyScan::keysFound);
    connect(m_job, &KeyScanJob::progress, this, &BackgroundKeyScan::progress);
    connect(m_job, &KeyScanJob::finished, this,
            [this](bool complete, bool capped, const RedisError &error) {
                m_client->close();
                Q_EMIT finished(complete, capped, error);
            });
}

BackgroundKeyScan::~BackgroundKeyScan() = default; // the client joins its thread

void BackgroundKeyScan::start()
{
    if (m_started)
        return;
    m_started = true;
    m_client->open();
    m_job->start();
}

void BackgroundKeyScan::cancel()
{
    m_job->cancel();
}

bool BackgroundKeyScan::isRunning() const
{
    return m_job->isRunning();
}

qint64 BackgroundKeyScan::found() const
{
    return m_job->found();
}

} // namespace bd::connectors
