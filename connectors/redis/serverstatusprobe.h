#pragma once

#include "serverinfo.h"
#include "serverstatus.h"

#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {

class RedisClient;

// Measures round-trip latency (PING) and reads INFO on a client at a fixed interval, on the
// owner thread, without blocking it. Emits one ServerStatus per sample. It is the session's one
// INFO poller: INFO is read on every fifth sample, or on every sample while someone wants the
// figures often (the Cache page's rates), and each reading is handed on with infoRead.
class ServerStatusProbe : public QObject
{
    Q_OBJECT

public:
    explicit ServerStatusProbe(RedisClient *client, QObject *parent = nullptr);

    void start(int intervalMs = 2000);
    void stop();
    void sampleNow();
    // INFO on every sample (true) or on every fifth (false, the default).
    void setInfoEverySample(bool every) { m_infoEverySample = every; }
    const ServerStatus &status() const { return m_status; }

Q_SIGNALS:
    void statusChanged(const bd::connectors::ServerStatus &status);
    // Each INFO reading (atMs: when it arrived, ms since the epoch).
    void infoRead(const bd::connectors::ServerInfo &info, qint64 atMs);
    // INFO refused by the server (an ACL without it): figures from INFO will not come.
    void infoRefused(const QString &why);

private:
    QPointer<RedisClient> m_client;
    QTimer *m_timer = nullptr; // Owned.
    ServerStatus m_status;
    bool m_sampling = false; // one sample at a time: a slow server must not pile up probes
    int m_ticks = 0;
    bool m_infoEverySample = false;
};

} // namespace bd::connectors
