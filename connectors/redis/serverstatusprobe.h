#pragma once

#include "serverstatus.h"

#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {

class RedisClient;

// Measures round-trip latency (PING) and reads INFO on a client at a fixed interval, on the
// owner thread, without blocking it. Emits one ServerStatus per sample.
class ServerStatusProbe : public QObject
{
    Q_OBJECT

public:
    explicit ServerStatusProbe(RedisClient *client, QObject *parent = nullptr);

    void start(int intervalMs = 2000);
    void stop();
    void sampleNow();
    const ServerStatus &status() const { return m_status; }

Q_SIGNALS:
    void statusChanged(const bd::connectors::ServerStatus &status);

private:
    QPointer<RedisClient> m_client;
    QTimer *m_timer = nullptr; // Owned.
    ServerStatus m_status;
    bool m_sampling = false; // one sample at a time: a slow server must not pile up probes
    int m_ticks = 0;
};

} // namespace bd::connectors

