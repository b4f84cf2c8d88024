#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace bd::connectors {

// One Celery event (celery.md §5): a task's or a worker's, with the fields every event has
// taken out and the whole object kept for the rest (result, exception, traceback, …).
struct CeleryEvent
{
    QString type;         // "task-succeeded", "worker-heartbeat", …
    QString hostname;     // the worker's node name, or the producer's (task-sent)
    double timestamp = 0; // epoch seconds
    qint64 clock = 0;     // the Lamport clock
    qint64 pid = 0;
    double utcoffset = 0; // hours, sign inverted compared with ISO (time.timezone // 3600)
    QString uuid;         // the task's id, for task events
    nlohmann::json fields = nlohmann::json::object();

    bool isTaskEvent() const { return type.startsWith(QLatin1String("task-")); }
    bool isWorkerEvent() const { return type.startsWith(QLatin1String("worker-")); }
};

// The events of one publish: a single event, or the JSON array a worker's hub batches on
// task.multi. Redis carries them in a kombu envelope; RabbitMQ as the bare JSON (§5).
struct CeleryEventBatch
{
    bool ok = false;
    QString error; // why nothing could be read (ok == false)
    QList<CeleryEvent> events;
    int skipped = 0; // elements of an array that are not events (no object, no type)
};

CeleryEventBatch decodeCeleryEvents(const QByteArray &payload);
// The same, from a body already decoded (an envelope's bodyJson).
CeleryEventBatch celeryEventsFromJson(const nlohmann::json &body);

// A remote-control (pidbox) message (celery.md §6): a request a client broadcast, or one
// worker's reply to it.
struct PidboxMessage
{
    enum class Kind { Invalid, Request, Reply };
    Kind kind = Kind::Invalid;
    QString error; // Invalid: why

    // Request
    QString method; // "ping", "stats", "revoke", …
    nlohmann::json arguments = nlohmann::json::object();
    QStringList destination; // empty: every worker
    QString ticket;          // Request: the ticket replies carry; Reply: the ticket it answers
    QString replyExchange;
    QString replyRoutingKey; // the client's oid: replies go to <oid>.reply.celery.pidbox

    // Reply: {"w1@vm": <the answer>}
    QString node;
    nlohmann::json answer;
};

PidboxMessage decodePidboxMessage(const QByteArray &payload);

// A remote-control request as `celery inspect` publishes it (§6): the kombu envelope with
// headers {clock, expires} and a base64 JSON body {method, arguments, destination, pattern,
// matcher, ticket, reply_to}. replyOid empty: a cast (no ticket, no reply_to).
QByteArray encodePidboxRequest(const QString &method, const nlohmann::json &arguments,
                               const QStringList &destination, const QString &ticket,
                               const QString &replyOid, double expiresEpoch);

} // namespace bd::connectors
