#pragma once

#include "connectionsettings.h"
#include "rediserror.h"

#include <QObject>

namespace bd::connectors {

class RedisClient;

// "Test connection": opens a throw-away connection (no reconnect), measures a PING round trip
// and reads the server's version and role. Finishes exactly once, with a result or the exact
// error; never blocks the caller's thread.
class ConnectionTester : public QObject
{
    Q_OBJECT

public:
    struct Result
    {
        RedisError error;
        QString version;
        QString role;
        QString mode;
        double latencyMs = -1;
        bool ok() const { return !error.isError(); }
        QString summary() const; // "Redis 7.0.15, master, 0.21 ms" or the error
    };

    explicit ConnectionTester(ConnectionSettings settings, QObject *parent = nullptr);
    ~ConnectionTester() override;

    void start();

Q_SIGNALS:
    void finished(const bd::connectors::ConnectionTester::Result &result);

private:
    void finish(Result result);

    RedisClient *m_client = nullptr; // Owned (child).
    bool m_done = false;
};

} // namespace bd::connectors
