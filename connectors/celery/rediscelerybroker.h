#pragma once

#include "celery/celerybroker.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSet>

#include <memory>

namespace bd::connectors {

class RedisClient;

// Kombu's Redis transport read and written directly (celery.md §1): queues, their depth per
// priority and their contents on a connection of the profile; events and remote-control
// replies on connections of their own. The profile's global_keyprefix goes before every key
// and channel (§1.5).
class RedisCeleryBroker : public CeleryBroker
{
    Q_OBJECT

public:
    // keyPrefix: the broker's global_keyprefix, applied to every key and channel.
    explicit RedisCeleryBroker(RedisClient *client, QByteArray keyPrefix = {},
                               QObject *parent = nullptr);
    ~RedisCeleryBroker() override;

    bool isReadOnly() const override;

    void addQueue(const QByteArray &name) override;
    // Every queue: declared in _kombu.binding.*, added, with the lengths of its four lists.
    // The bindings are looked for again at most every 30 s (a SCAN of the db), or on the next
    // reading after rediscover(); the readings between cost four LLEN per queue.
    void listQueues(const QObject *context, QueuesHandler handler) override;
    void rediscover() override;
    // The step-0 list from its right end, then steps 3, 6 and 9 (BRPOP k0 k3 k6 k9).
    void peek(const QByteArray &queue, qint64 offset, int limit, const QObject *context,
              PageHandler handler) override;
    // unacked_index, oldest first, at most limit of them, and their envelopes from unacked;
    // total: how many there are.
    void inFlight(int limit, const QObject *context, InFlightHandler handler) override;
    // One LPUSH to the task's priority list; answers the list's new length.
    void publish(const EncodedCeleryTask &task, const QObject *context,
                 CountHandler handler) override;
    // LREM of the exact bytes from the list of its priority step.
    void deleteMessage(const QByteArray &queue, int step, const QByteArray &message,
                       const QObject *context, CountHandler handler) override;
    // Each message in one script (LREM, then LPUSH to the same step of the target only if it
    // was still there): a message a worker took meanwhile is not copied, none is ever in both
    // queues. Celery envelopes are readdressed to the target (rerouteEnvelope).
    void move(const QByteArray &from, const QByteArray &to, const QList<MovedMessage> &messages,
              const QObject *context, CountHandler handler) override;
    // The queue's four lists counted and deleted in one script (kombu's purge).
    void purge(const QByteArray &queue, const QObject *context, CountHandler handler) override;
    // What `celery inspect` does (§6): SADD the reply binding, PUBLISH the request on
    // /<db>.celery.pidbox, read the replies from <oid>.reply.celery.pidbox every 100 ms
    // (never a blocking read on the shared connection), then SREM and DEL. Replies to another
    // ticket are dropped. A read-only profile refuses it (it writes the binding).
    void control(const QString &method, const nlohmann::json &arguments,
                 const QStringList &destination, int timeoutMs, const QObject *context,
                 ControlHandler handler) override;
    // PSUBSCRIBE /<db>.celeryev/* on a connection of its own. What arrives is decoded on a
    // pool thread as it comes, at most 96 publishes to a batch, one batch at a time (so in
    // order), without waiting for the GUI thread between batches; at most four decoded batches
    // wait for it, and at most 100,000 publishes wait to be decoded (past that a flood is
    // counted in droppedEvents(), not kept).
    void followEvents(bool on) override;
    qint64 undecodableEvents() const override { return m_undecodableEvents; }
    QString lastUndecodableEvent() const override { return m_lastUndecodable; }
    qint64 droppedEvents() const override { return m_droppedEvents; }

    static QByteArray stepKey(const QByteArray &queue, int stepIndex);
    // The channel of the broker's events and of remote control (with the key prefix).
    QByteArray eventsPattern() const;
    QByteArray pidboxChannel() const;

private:
    struct DecodeQueue;
    // Starts a pool thread draining the decode queue, unless one runs or it must wait.
    void startDecoding();
    static void drainDecodeQueue(QPointer<RedisCeleryBroker> self,
                                 std::shared_ptr<DecodeQueue> queue);
    void measure(const QObject *context, QueuesHandler handler, const RedisError &discoveryError);

    RedisClient *m_client; // Not owned.
    QByteArray m_prefix;
    QSet<QByteArray> m_added;
    QSet<QByteArray> m_declared;           // found in the bindings at the last discovery
    QElapsedTimer m_discovered;            // since that discovery (invalid: look again)
    RedisClient *m_events = nullptr;       // Owned (child) while following events.
    std::shared_ptr<DecodeQueue> m_decode; // shared with the pool thread decoding
    qint64 m_undecodableEvents = 0;
    qint64 m_droppedEvents = 0; // publishes past the waiting bound
    QString m_lastUndecodable;
};

} // namespace bd::connectors
