#pragma once

#include "connectionsettings.h"
#include "keyscanjob.h"
#include "rediserror.h"

#include <QObject>
#include <QPointer>

class QThread;

namespace bd::connectors {

// A KeyScanJob on a connection and a thread of its own (the profile's "long jobs" connection).
// The next SCAN goes out the moment a page arrives, whatever the GUI thread is doing with the
// previous one; the pages cross to the owner's thread as queued signals (one per page).
//
// Threading contract: create, start() and cancel() on the owner thread; the signals are
// delivered on the owner thread. The destructor stops the scan and joins its thread.
class BackgroundKeyScan : public QObject
{
    Q_OBJECT

public:
    BackgroundKeyScan(ConnectionSettings settings, KeyScanJob::Options options, QObject *parent = nullptr);
    ~BackgroundKeyScan() override;

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    qint64 found() const { return m_found; }

Q_SIGNALS:
    void keysFound(const QList<QByteArray> &keys);
    void progress(qint64 found, qint64 examinedEstimate, qint64 databaseSize);
    void finished(bool complete, bool capped, const bd::connectors::RedisError &error);

private:
    QThread *m_thread = nullptr; // Owned; joined in the destructor.
    QObject *m_host = nullptr;   // Lives in m_thread; owns the client and the job there.
    bool m_running = false;
    qint64 m_found = 0;
};

} // namespace bd::connectors
