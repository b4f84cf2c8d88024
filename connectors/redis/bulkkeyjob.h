#pragma once

#include "rediserror.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>

namespace bd::connectors {

class RedisClient;

// Deletes, or sets the TTL of, every key matching a glob: SCAN MATCH pages, each followed by
// one pipelined batch (UNLINK of the page's keys, or PEXPIRE per key). Only keys that SCAN
// returned for the pattern are ever touched. A dry run walks the same keys and only counts
// them, keeping a few samples, so the operator can confirm the exact pattern and count.
//
// Runs on the client it is given (the profile's long-jobs connection); a read-only client
// refuses the changes before they leave the process. Cancel stops after the batch in flight.
class BulkKeyJob : public QObject
{
    Q_OBJECT

public:
    enum class Action { DryRun, Delete, SetTtl };
    struct Report
    {
        Action action = Action::DryRun;
        QByteArray pattern;
        qint64 matched = 0;        // keys SCAN returned for the pattern (a key may come twice)
        qint64 affected = 0;       // keys deleted, or whose TTL was set
        QList<QByteArray> samples; // the first few matches (dry run)
        bool cancelled = false;
        RedisError error;
        qint64 elapsedMs = 0;
    };

    BulkKeyJob(RedisClient *client, Action action, QByteArray pattern, qint64 ttlMs = 0,
               QObject *parent = nullptr);

    void start();
    void cancel() { m_cancelled = true; }
    bool isRunning() const { return m_running; }

    static constexpr int kSampleCount = 20;

Q_SIGNALS:
    void progress(qint64 matched, qint64 affected);
    void finished(const bd::connectors::BulkKeyJob::Report &report);

private:
    void requestPage();
    void onPage(const RedisResult &result);
    void applyTo(const QList<QByteArray> &keys);
    void finish(const RedisError &error = {});

    QPointer<RedisClient> m_client;
    Report m_report;
    qint64 m_ttlMs = 0;
    QByteArray m_cursor = "0";
    bool m_lastPage = false;
    bool m_cancelled = false;
    bool m_running = false;
    int m_batchesInFlight = 0;
    QElapsedTimer m_clock;
};

} // namespace bd::connectors

Q_DECLARE_METATYPE(bd::connectors::BulkKeyJob::Report)
