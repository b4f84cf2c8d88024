#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace bd::connectors {

// What the operator asks to run: a task, its arguments and its routing.
struct CeleryTaskRequest
{
    QString task;
    nlohmann::json args = nlohmann::json::array();
    nlohmann::json kwargs = nlohmann::json::object();
    QString queue = QStringLiteral("celery");
    int priority = 0; // 0-9; on Redis a lower number runs first (celery.md §1.2)
    std::optional<QDateTime> eta;
    std::optional<QDateTime> expires;
    nlohmann::json timelimit = nlohmann::json::array({nullptr, nullptr}); // [hard, soft] s
    // Lineage, for a replay: the new message records the task it replays.
    QString rootId;
    QString parentId;
    QString replayOf;
    QString id;     // empty: a new UUID4 (a replay always gets a new id, celery.md §7)
    QString origin; // empty: "brokerdesk@<host>"
};

// A message ready to LPUSH: a protocol-2 kombu envelope exactly as Celery 5 writes one
// (celery.md §2, §3.3), and the list it goes to.
struct EncodedCeleryTask
{
    bool ok = false;
    QString error; // why no message was produced (it would have failed or been dropped)
    QString id;
    QString deliveryTag;
    QByteArray listKey; // the queue's priority bucket, with the key prefix
    QByteArray envelope;
};

// keyPrefix: the broker's global_keyprefix (celery.md §1.5), empty when none. now: the time
// the expiry check compares with.
EncodedCeleryTask encodeCeleryTask(const CeleryTaskRequest &request,
                                   const QByteArray &keyPrefix = {},
                                   const QDateTime &now = QDateTime::currentDateTimeUtc());

// The list of queue for a priority: queue, queue\x06\x163, \x06\x166, \x06\x169.
QByteArray priorityListKey(const QByteArray &queue, int priority, const QByteArray &keyPrefix = {});

// Python's repr of a JSON value, as Celery writes argsrepr/kwargsrepr (args as a tuple).
QString pythonRepr(const nlohmann::json &value, bool asTuple = false);

// ISO 8601 with microseconds and an explicit offset, as Celery writes eta/expires.
QString celeryIsoTime(const QDateTime &time);

} // namespace bd::connectors
