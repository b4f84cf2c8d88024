#pragma once

#include "redis/rediserror.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QSet>

#include <array>
#include <functional>

namespace bd::connectors {

class RedisClient;
struct EncodedCeleryTask;

// A queue as kombu lays it out on Redis (celery.md §1): up to four lists, one per priority
// step, and the bindings that declared it.
struct CeleryQueueInfo
{
    QByteArray name;                 // without the key prefix
    std::array<qint64, 4> byStep{};  // LLEN of name, name\x06\x163, \x06\x166, \x06\x169
    bool declared = false;           // found in a _kombu.binding.* set
    bool added = false;              // named by the operator
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
    qint64 offset = 0;       // position of messages[0] in the queue
    qint64 depth = 0;        // the whole queue, when the page was read
    QList<QByteArray> messages;
    QList<int> steps;        // the priority step (0, 3, 6, 9) each message waits in
};

// Kombu's Redis transport read and written directly: queues, their depth per priority and
// their contents, on a connection of the profile. Asynchronous; answers come on the owner
// thread through handlers bound to a context.
class RedisCeleryBroker : public QObject
{
    Q_OBJECT

public:
    using QueuesHandler = std::function<void(const QList<CeleryQueueInfo> &, const RedisError &)>;
    using PageHandler = std::function<void(const CeleryQueuePage &, const RedisError &)>;

    // keyPrefix: the broker's global_keyprefix (celery.md §1.5), applied to every key.
    explicit RedisCeleryBroker(RedisClient *client, QByteArray keyPrefix = {}, QObject *parent = nullptr);

    // Queues the operator names (plain Redis lists used as queues, queues not declared yet).
    void addQueue(const QByteArray &name);
    // Every queue: declared in _kombu.binding.*, added, with the lengths of its four lists.
    // The bindings are looked for again at most every 30 s (a SCAN of the db), or on the next
    // reading after rediscover(); the readings between cost four LLEN per queue.
    void listQueues(const QObject *context, QueuesHandler handler);
    void rediscover();
    // limit messages from position offset, in the order workers take them: the step-0 list
    // from its right end, then steps 3, 6 and 9 (BRPOP k0 k3 k6 k9).
    void peek(const QByteArray &queue, qint64 offset, int limit, const QObject *context, PageHandler handler);

    using CountHandler = std::function<void(qint64 count, const RedisError &)>;
    // Deletes the queue's four lists at once (kombu's purge); answers how many messages went.
    void purge(const QByteArray &queue, const QObject *context, CountHandler handler);
    // Removes one message, by its exact bytes, from the list of its priority step (0, 3, 6,
    // 9); answers 1, or 0 when a worker took it first.
    void deleteMessage(const QByteArray &queue, int step, const QByteArray &message, const QObject *context,
                       CountHandler handler);

    // Publishes an encoded task: one LPUSH to its priority list, sent once (a connection lost
    // after sending it is reported as an error, never retried: the message may have arrived).
    // Answers the list's new length.
    void publish(const EncodedCeleryTask &task, const QObject *context, CountHandler handler);

    // A message to move, by its exact bytes and the priority step (0, 3, 6, 9) it waits in.
    struct MovedMessage
    {
        int step = 0;
        QByteArray message;
    };
    // Moves messages from one queue to the same priority step of another, each in one script
    // (LREM, then LPUSH only if it was still there): a message a worker took meanwhile is not
    // copied, none is ever in both queues. Celery envelopes are readdressed to the target
    // (rerouteEnvelope). Answers how many moved.
    void move(const QByteArray &from, const QByteArray &to, const QList<MovedMessage> &messages,
              const QObject *context, CountHandler handler);

    using InFlightHandler = std::function<void(const QList<CeleryInFlight> &, qint64 total, const RedisError &)>;
    // The unacknowledged messages (unacked_index, oldest first, at most limit of them, and
    // their envelopes from unacked); total: how many there are.
    void inFlight(int limit, const QObject *context, InFlightHandler handler);

    static QByteArray stepKey(const QByteArray &queue, int stepIndex);

private:
    void measure(const QObject *context, QueuesHandler handler, const RedisError &discoveryError);

    RedisClient *m_client; // Not owned.
    QByteArray m_prefix;
    QSet<QByteArray> m_added;
    QSet<QByteArray> m_declared;   // found in the bindings at the last discovery
    QElapsedTimer m_discovered;    // since that discovery (invalid: look again)
};

} // namespace bd::connectors
