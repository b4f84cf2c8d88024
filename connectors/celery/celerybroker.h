#pragma once

#include "celery/celeryevent.h"
#include "redis/rediserror.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <array>
#include <functional>

namespace bd::connectors {

struct EncodedCeleryTask;

// A queue as kombu lays it out on Redis (celery.md §1): up to four lists, one per priority
// step, and the bindings that declared it.
struct CeleryQueueInfo
{
    QByteArray name;                // without the key prefix
    std::array<qint64, 4> byStep{}; // LLEN of name, name\x06\x163, \x06\x166, \x06\x169
    bool declared = false;          // found in a _kombu.binding.* set
    bool added = false;             // named by the operator
    qint64 depth() const { return byStep[0] + byStep[1] + byStep[2] + byStep[3]; }
};

// A message a worker has taken but not acknowledged yet (celery.md §1.3): prefetched,
// waiting for its ETA, or running with acks_late. Restored to its queue when older than the
// visibility timeout.
struct CeleryInFlight
{
    QByteArray deliveryTag;
    QByteArray queue;       // the routing key it came from (exchange ""), without prefix
    double deliveredAt = 0; // epoch seconds
    QByteArray message;     // the envelope
};

// A page of a queue in consumption order: element 0 is the next message a worker takes.
struct CeleryQueuePage
{
    QByteArray queue;
    qint64 offset = 0; // position of messages[0] in the queue
    qint64 depth = 0;  // the whole queue, when the page was read
    QList<QByteArray> messages;
    QList<int> steps; // the priority step (0, 3, 6, 9) each message waits in
};

// A worker's answer to a remote-control command (celery.md §6).
struct CeleryControlReply
{
    QString node;          // "w1@vm"
    nlohmann::json answer; // {"ok": "pong"}, a list of task names, stats, …
};

// What every broker a console shows offers (DESIGN.md, "Celery"): its queues with their depth,
// a page of a queue, publishing a task message, deleting, moving and purging, the workers'
// events, and remote control. Answers come on the owner thread through handlers bound to a
// context (dropped when it dies). Errors are RedisError's kinds, which name what any broker
// connection can suffer (refused, lost, timed out, refused on a read-only profile, …).
class CeleryBroker : public QObject
{
    Q_OBJECT

public:
    using QueuesHandler = std::function<void(const QList<CeleryQueueInfo> &, const RedisError &)>;
    using PageHandler = std::function<void(const CeleryQueuePage &, const RedisError &)>;
    using CountHandler = std::function<void(qint64 count, const RedisError &)>;
    using InFlightHandler =
        std::function<void(const QList<CeleryInFlight> &, qint64 total, const RedisError &)>;
    using ControlHandler =
        std::function<void(const QList<CeleryControlReply> &, const RedisError &)>;

    // A message to move or delete, by its exact bytes and the priority step it waits in.
    struct MovedMessage
    {
        int step = 0;
        QByteArray message;
    };

    using QObject::QObject;

    // A read-only profile's broker refuses every change before it is sent; pages disable them.
    virtual bool isReadOnly() const = 0;

    // Queues the operator names (plain lists used as queues, queues not declared yet).
    virtual void addQueue(const QByteArray &name) = 0;
    virtual void listQueues(const QObject *context, QueuesHandler handler) = 0;
    // Look for declared queues again at the next listing.
    virtual void rediscover() = 0;
    // limit messages from position offset, in the order workers take them.
    virtual void peek(const QByteArray &queue, qint64 offset, int limit, const QObject *context,
                      PageHandler handler) = 0;
    // Messages workers hold and have not acknowledged.
    virtual void inFlight(int limit, const QObject *context, InFlightHandler handler) = 0;
    // One message pushed, once: a connection lost after sending is an error, never a retry.
    virtual void publish(const EncodedCeleryTask &task, const QObject *context,
                         CountHandler handler) = 0;
    // Answers 1, or 0 when a worker took the message first.
    virtual void deleteMessage(const QByteArray &queue, int step, const QByteArray &message,
                               const QObject *context, CountHandler handler) = 0;
    virtual void move(const QByteArray &from, const QByteArray &to,
                      const QList<MovedMessage> &messages, const QObject *context,
                      CountHandler handler) = 0;
    // Answers how many messages went.
    virtual void purge(const QByteArray &queue, const QObject *context, CountHandler handler) = 0;

    // Broadcasts a remote-control command to every worker (or those of destination) and
    // collects their replies for timeoutMs, or until each destination has answered.
    virtual void control(const QString &method, const nlohmann::json &arguments,
                         const QStringList &destination, int timeoutMs, const QObject *context,
                         ControlHandler handler) = 0;

    // Follows the workers' and producers' events while on: eventsArrived in batches.
    virtual void followEvents(bool on) = 0;
    // Publishes that carried no event that could be read (not JSON, pickle, garbage), and why
    // the last one could not.
    virtual qint64 undecodableEvents() const = 0;
    virtual QString lastUndecodableEvent() const = 0;
    // Publishes dropped because too many waited to be taken or decoded (the views fell behind a
    // flood).
    virtual qint64 droppedEvents() const = 0;

Q_SIGNALS:
    void eventsArrived(const QList<bd::connectors::CeleryEvent> &events);
    // The events cannot be followed now (the connection is down, the channel refused).
    void eventsProblem(const bd::connectors::RedisError &error);
    // Events are followed again (after a start or a lost connection).
    void eventsFollowed();
};

} // namespace bd::connectors
