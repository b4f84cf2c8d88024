#pragma once

#include "celery/celerybroker.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace bd::connectors {

// What a worker said about itself to remote-control inspect calls (celery.md §6), the facts a
// console lists taken out, the replies kept whole (for the JSON trees). A method it did not
// answer is not in answered: "not answering", never "has nothing".
struct WorkerInspection
{
    QString hostname;
    QSet<QString> answered; // methods it answered

    // From stats.
    qint64 pid = 0;
    QString pool; // "prefork", "solo", "threads", "eventlet", "gevent", …
    qint64 concurrency = -1;
    qint64 processed = -1; // tasks run since it started (the sum of stats.total)
    double uptime = -1;    // seconds
    qint64 prefetchCount = -1;
    QString broker; // transport://user@host:port/vhost, never the password
    // From the other calls.
    QStringList queues;                 // active_queues: names
    QStringList registered;             // task names
    QHash<QString, QString> rateLimits; // task → "10/m", where registered says so
    qint64 active = -1;                 // active: how many
    qint64 reserved = -1;
    qint64 scheduled = -1;
    qint64 revoked = -1;

    // The replies as they came (stats and conf with any password member replaced).
    nlohmann::json stats, conf, activeTasks, reservedTasks, scheduledTasks, revokedIds,
        activeQueues;

    bool hasAnswered(const QString &method) const { return answered.contains(method); }
};

// The inspect calls a console makes to list workers, in the order it makes them.
QStringList workerInspectMethods();
// Methods that only read (inspect); every other method changes a worker.
bool isInspectMethod(const QString &method);

// Takes one method's replies into the workers by hostname (adding those not known yet).
void takeInspectReplies(QHash<QString, WorkerInspection> &workers, const QString &method,
                        const QList<CeleryControlReply> &replies);

// A control reply as a line: "ok: pool will grow", "error: …", or the reply's JSON.
QString controlReplyText(const nlohmann::json &answer);
// True for a reply that reports success ({"ok": …}).
bool isOkReply(const nlohmann::json &answer);

// A JSON value with every member named like a secret (password, passwd, secret) replaced:
// stats carry the broker connection's info, password included.
nlohmann::json withoutSecrets(const nlohmann::json &value);

} // namespace bd::connectors
