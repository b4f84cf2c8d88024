#include "backgroundkeyscan.h"

#include "redisclient.h"

#include <QThread>

namespace bd::connectors {

namespace {

// Created on the owner thread, moved to the scan thread; builds the client and the job there
// (a RedisClient must be used from the thread that owns it).
class ScanHost : public QObject
{
    Q_OBJECT

public:
    ScanHost(ConnectionSettings settings, KeyScanJob::Options options)
        : m_settings(std::move(settings))
        , m_options(std::move(options))
    {
    }

    void begin()
    {
        m_client = new RedisClient(m_settings, this);
        m_job = new KeyScanJob(m_client, m_options, this);
        connect(m_job, &KeyScanJob::keysFound, this, &ScanHost::keysFound);
        connect(m_job, &KeyScanJob::progress, this, &ScanHost::progress);
        connect(m_job, &KeyScanJob::finished, this, [this](bool complete, bool capped, const RedisError &e) {
            Q_EMIT finished(complete, capped, e, m_job->found());
            m_client->close();
        });
        m_client->open();
        m_job->start();
    }
    void stop()
    {
        if (m_job)
            m_job->cancel();
    }

Q_SIGNALS:
    void keysFound(const QList<QByteArray> &keys);
    void progress(qint64 found, qint64 examinedEstimate, qint64 databaseSize);
    void finished(bool complete, bool capped, const bd::connectors::RedisError &error, qint64 found);

private:
    ConnectionSettings m_settings;
    KeyScanJob::Options m_options;
    RedisClient *m_client = nullptr; // Owned (child).
    KeyScanJob *m_job = nullptr;     // Owned (child).
};

} // namespace

BackgroundKeyScan::BackgroundKeyScan(ConnectionSettings settings, KeyScanJob::Options options, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
{
    settings.reconnect.enabled = false; // a scan that loses its connection stops and says so
    auto *host = new ScanHost(std::move(settings), std::move(options));
    m_host = host;
    m_thread->setObjectName(QStringLiteral("key scan"));
    host->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, host, &QObject::deleteLater);
    connect(host, &ScanHost::keysFound, this, &BackgroundKeyScan::keysFound, Qt::QueuedConnection);
    connect(host, &ScanHost::progress, this,
            [this](qint64 found, qint64 examined, qint64 dbSize) {
                m_found = found;
                Q_EMIT progress(found, examined, dbSize);
            },
            Qt::QueuedConnection);
    connect(host, &ScanHost::finished, this,
            [this](bool complete, bool capped, const RedisError &error, qint64 found) {
                m_running = false;
                m_found = found;
                Q_EMIT finished(complete, capped, error);
            },
            Qt::QueuedConnection);
}

BackgroundKeyScan::~BackgroundKeyScan()
{
    m_host->disconnect(this);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void BackgroundKeyScan::start()
{
    if (m_running || m_thread->isRunning())
        return;
    m_running = true;
    m_thread->start();
    QMetaObject::invokeMethod(static_cast<ScanHost *>(m_host), &ScanHost::begin, Qt::QueuedConnection);
}

void BackgroundKeyScan::cancel()
{
    QMetaObject::invokeMethod(static_cast<ScanHost *>(m_host), &ScanHost::stop, Qt::QueuedConnection);
}

} // namespace bd::connectors

#include "backgroundkeyscan.moc"
