#pragma once

#include "pubsub/profilerpage.h"
#include "redis/connectionstate.h"
#include "redis/rediserror.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {
class RedisClient;
}
namespace bd::models {
class MessageLogModel;
class TrafficStatsModel;
} // namespace bd::models

namespace bd::app {

// The profiler's wiring: MONITOR on a connection opened for the run and closed when it stops
// (by the operator, or when the chosen time is up), which is what ends MONITOR on the server.
class ProfilerController : public QObject
{
    Q_OBJECT

public:
    // commands: a connection of the profile; its settings open the MONITOR connection.
    ProfilerController(connectors::RedisClient *commands, ui::ProfilerPage *page,
                       models::MessageLogModel *log, models::TrafficStatsModel *counts,
                       QObject *parent = nullptr);

    void start(int seconds);
    void stop();
    bool isRunning() const { return m_monitor != nullptr; }

private:
    void takeLines();
    void showProgress();
    void onState(connectors::ConnectionState state, const connectors::RedisError &error);

    connectors::RedisClient *m_commands; // Not owned.
    QPointer<ui::ProfilerPage> m_page;
    models::MessageLogModel *m_log;               // Not owned.
    models::TrafficStatsModel *m_counts;          // Not owned.
    connectors::RedisClient *m_monitor = nullptr; // Owned (child) while running.
    QTimer *m_tick = nullptr;                     // Owned: the countdown, once a second.
    QElapsedTimer m_running;
    int m_seconds = 0;
    QString m_stopReason;
};

} // namespace bd::app
