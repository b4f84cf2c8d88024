#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace bd::connectors {

// One Celery event (celery.md §5), a task's or a worker's, with every field Celery 3 to 5
// sends read into its own member. Text fields take a string as it is, another value as its
// compact JSON; number and flag fields of the wrong type are left at their default and named
// in malformed (a sender of another version or a broken one), never guessed at.
struct CeleryEvent
{
    // The fields read, for malformed's bits and malformedFields().
    enum Field : quint32 {
        Timestamp = 1u << 0,
        Clock = 1u << 1,
        Pid = 1u << 2,
        UtcOffset = 1u << 3,
        Retries = 1u << 4,
        Runtime = 1u << 5,
        Terminated = 1u << 6,
        Expired = 1u << 7,
        Requeue = 1u << 8,
        Freq = 1u << 9,
        Active = 1u << 10,
        Processed = 1u << 11,
        LoadAverage = 1u << 12,
    };

    QString type;         // "task-succeeded", "worker-heartbeat", …
    QString hostname;     // the worker's node name, or the producer's (task-sent)
    double timestamp = 0; // epoch seconds, the sender's clock
    qint64 clock = 0;     // the Lamport clock
    qint64 pid = 0;
    double utcoffset = 0; // hours, sign inverted compared with ISO (time.timezone // 3600)
    QString uuid;         // the task's id, for task events

    // Task events. args, kwargs and result are Python reprs (argsrepr), not JSON.
    QString name;
    QString args;
    QString kwargs;
    QString rootId;
    QString parentId;
    qint64 retries = -1; // -1: not sent
    QString eta;
    QString expires;
    QString queue;
    QString exchange;
    QString routingKey;
    QString result;
    QString exception;
    QString traceback;
    double runtime = -1; // seconds; -1: not sent
    bool terminated = false;
    bool expired = false;
    bool requeue = false;
    QString signum; // revoked with terminate: the signal, by name or number

    // Worker events.
    double freq = 0; // seconds between heartbeats; 0: not sent
    qint64 active = -1;
    qint64 processed = -1;
    QList<double> loadavg;
    QString swIdent; // "py-celery"
    QString swVer;
    QString swSys;

    quint32 malformed = 0; // Field bits: sent with a value of the wrong type

    bool isTaskEvent() const { return type.startsWith(QLatin1String("task-")); }
    bool isWorkerEvent() const { return type.startsWith(QLatin1String("worker-")); }
    QStringList malformedFields() const;
    bool operator==(const CeleryEvent &other) const = default;
};

} // namespace bd::connectors

// Moved in memory as it is (its members are): lists of events grow by reallocation.
Q_DECLARE_TYPEINFO(bd::connectors::CeleryEvent, Q_RELOCATABLE_TYPE);

namespace bd::connectors {

// The events of one publish: a single event, or the JSON array a worker's hub batches on
// task.multi. Redis carries them in a kombu envelope; RabbitMQ as the bare JSON (§5).
struct CeleryEventBatch
{
    bool ok = false;
    QString error; // why nothing could be read (ok == false)
    QList<CeleryEvent> events;
    int skipped = 0; // elements of an array that are not events (no object, no type)
    bool operator==(const CeleryEventBatch &other) const = default;
};

// The hot path (simdjson On-Demand, straight into the events' fields): kombu's JSON envelope
// with a base64 body, or the bare JSON. Anything else, and anything it cannot read, is decoded
// by the reference instead, so both always give the same batch.
CeleryEventBatch decodeCeleryEvents(const QByteArray &payload);
// The same, the events appended to *events (a decoder of many payloads keeps one list);
// false, with *error, where the batch would not be ok.
bool appendCeleryEvents(const QByteArray &payload, QList<CeleryEvent> *events, QString *error);
// The same through the kombu envelope decoder and the untrusted-JSON gate (nlohmann): what the
// hot path is fuzzed against.
CeleryEventBatch decodeCeleryEventsReference(const QByteArray &payload);
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
