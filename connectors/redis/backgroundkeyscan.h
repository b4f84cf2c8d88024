#pragma once

#include "connectionsettings.h"
#include "keyscanjob.h"
#include "rediserror.h"

#include <QObject>

namespace bd::connectors {

class RedisClient;

// A KeyScanJob on a connection of its own (the profile's "long jobs" connection), whose
// socket thread asks for each next page the moment one arrives (RedisClient::walk), whatever
// the owner's thread is doing with the previous one; pages reach the owner in batches.
//
// Threading contract: create, start() and cancel() on the owner thread; the signals are
// delivered on the owner thread. The destructor stops the scan and closes its connection.
class BackgroundKeyScan : public QObject
{
    Q_OBJECT

public:
    BackgroundKeyScan(ConnectionSettings settings, KeyScanJob::Options options,
                      QObject *parent = nullptr);
    ~BackgroundKeyScan() override;

    void start();
    // Stops at once: finished(false, false, no error) is emitted before this returns.
    void cancel();
    bool isRunning() const;
    qint64 found() const;

Q_SIGNALS:
    void keysFound(const QList<QByteArray> &keys);
    void progress(qint64 found, qint64 examinedEstimate, qint64 databaseSize);
    void finished(bool complete, bool capped, const bd::connectors::RedisError &error);

private:
    RedisClient *m_client = nullptr; // Owned (child).
    KeyScanJob *m_job = nullptr;     // Owned (child).
    bool m_started = false;
};

} // namespace bd::connectors
