#include "rediscelerybroker.h"

#include "celery/celerytaskencoder.h"
#include "celery/kombuenvelope.h"
#include "codec/untrustedjson.h"
#include "redis/redisclient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMutex>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <QUuid>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

namespace bd::connectors {

namespace {
constexpr int kSteps[4] = {0, 3, 6, 9};
const QByteArray kSeparator = QByteArrayLiteral("\x06\x16");
constexpr qint64 kMaxBindingScan = 100000; // binding sets are few; a cap against a runaway SCAN
constexpr qint64 kRediscoverIntervalMs = 30000;
constexpr int kControlPollMs = 100;                // remote-control replies read this often
constexpr qsizetype kMaxDecodedPublishes = 96;     // event publishes decoded in one batch
constexpr qsizetype kMaxWaitingPublishes = 100000; // waiting to be decoded (about 100-800 MB)
constexpr int kMaxDecodedWaiting = 4; // decoded batches not yet taken by the GUI thread
} // namespace

// The publishes waiting to be decoded, shared by the GUI thread (which adds them) and the
// pool thread that decodes them.
struct RedisCeleryBroker::DecodeQueue
{
    QMutex mutex;
    QList<QByteArray> raw;  // guarded by mutex
    bool running = false;   // a pool thread drains raw; guarded
    int decodedWaiting = 0; // batches posted to the GUI thread, not yet delivered; guarded
    quint64 generation = 0; // bumped when events stop being followed; guarded
};

RedisCeleryBroker::RedisCeleryBroker(RedisClient *client, QByteArray keyPrefix, QObject *parent)
    : CeleryBroker(parent)
    , m_client(client)
    , m_prefix(std::move(keyPrefix))
{}

RedisCeleryBroker::~RedisCeleryBroker() = default;

QByteArray RedisCeleryBroker::eventsPattern() const
{
    return m_prefix + '/' + QByteArray::number(m_client->settings().db) + ".celeryev/*";
}

bool RedisCeleryBroker::isReadOnly() const
{
    return m_client->isReadOnly();
}

QByteArray RedisCeleryBroker::pidboxChannel() const
{
    return m_prefix + '/' + QByteArray::number(m_client->settings().db) + ".celery.pidbox";
}

void RedisCeleryBroker::followEvents(bool on)
{
    if (!m_decode)
        m_decode = std::make_shared<DecodeQueue>();
    if (!on) {
        delete m_events; // the subscription goes with its connection
        m_events = nullptr;
        QMutexLocker lock(&m_decode->mutex);
        m_decode->raw.clear();
        ++m_decode->generation; // a batch in flight is not delivered
        return;
    }
    if (m_events)
        return;
    ConnectionSettings settings = m_client->settings();
    settings.clientName = QByteArrayLiteral("brokerdesk:events");
    m_events = new RedisClient(settings, this);
    m_events->enablePushMode();
    connect(m_events, &RedisClient::pushMessagesAvailable, this, [this] {
        {
            // The connection keeps at most 100,000 messages for this thread to take; what it
            // dropped while this thread was busy is counted with the rest.
            quint64 droppedByConnection = 0;
            std::deque<PushMessage> messages = m_events->takePushMessages(&droppedByConnection);
            m_droppedEvents += qint64(droppedByConnection);
            QMutexLocker lock(&m_decode->mutex);
            for (PushMessage &m : messages) {
                if (m.kind == PushMessage::Kind::PatternMessage
                    || m.kind == PushMessage::Kind::Message) {
                    // Bounded: past it a flood the views cannot keep up with is counted, not
                    // kept.
                    if (m_decode->raw.size() >= kMaxWaitingPublishes)
                        ++m_droppedEvents;
                    else
                        m_decode->raw << std::move(m.payload);
                } else if (m.kind == PushMessage::Kind::Error) {
                    Q_EMIT eventsProblem(
                        RedisError{RedisError::Kind::ServerError, QString::fromUtf8(m.payload)});
                }
            }
        }
        startDecoding();
    });
    connect(m_events, &RedisClient::stateChanged, this,
            [this](ConnectionState state, const RedisError &error, int) {
                if (state != ConnectionState::Connected && error.isError())
                    Q_EMIT eventsProblem(error);
                else if (state == ConnectionState::Connected)
                    Q_EMIT eventsFollowed();
            });
    m_events->open();
    m_events->send({"PSUBSCRIBE", eventsPattern()}, this, [](const RedisResult &) {});
}

void RedisCeleryBroker::startDecoding()
{
    {
        QMutexLocker lock(&m_decode->mutex);
        if (m_decode->running || m_decode->raw.isEmpty()
            || m_decode->decodedWaiting >= kMaxDecodedWaiting)
            return;
        m_decode->running = true;
    }
    QThreadPool::globalInstance()->start([self = QPointer<RedisCeleryBroker>(this),
                                          queue = m_decode] { drainDecodeQueue(self, queue); });
}

// On a pool thread: batches decoded one after the other while publishes wait, each posted to
// the GUI thread; it stops when none waits, or when the GUI thread has not taken the batches
// posted (it starts again as it takes them).
void RedisCeleryBroker::drainDecodeQueue(QPointer<RedisCeleryBroker> self,
                                         std::shared_ptr<DecodeQueue> queue)
{
    for (;;) {
        QList<QByteArray> payloads;
        quint64 generation = 0;
        {
            QMutexLocker lock(&queue->mutex);
            if (queue->raw.isEmpty() || queue->decodedWaiting >= kMaxDecodedWaiting) {
                queue->running = false;
                return;
            }
            // At most kMaxDecodedPublishes per batch: a flood reaches the views in slices the
            // GUI thread applies between two paints, not in one that holds it for a second.
            if (queue->raw.size() <= kMaxDecodedPublishes) {
                payloads = std::exchange(queue->raw, {});
            } else {
                payloads = queue->raw.first(kMaxDecodedPublishes);
                queue->raw.remove(0, kMaxDecodedPublishes);
            }
            generation = queue->generation;
            ++queue->decodedWaiting;
        }
        QList<CeleryEvent> events;
        int undecodable = 0;
        QString lastError;
        for (const QByteArray &payload : std::as_const(payloads)) {
            if (!appendCeleryEvents(payload, &events, &lastError))
                ++undecodable;
        }
        payloads.clear();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(), // the GUI thread, where self lives
            [self, queue, generation, events = std::move(events), undecodable,
             lastError = std::move(lastError)] {
                bool current = false;
                {
                    QMutexLocker lock(&queue->mutex);
                    --queue->decodedWaiting;
                    current = generation == queue->generation;
                }
                if (!self)
                    return;
                self->startDecoding(); // if it stopped for this batch to be taken
                if (!current)
                    return;
                self->m_undecodableEvents += undecodable;
                if (undecodable)
                    self->m_lastUndecodable = lastError;
                if (!events.isEmpty())
                    Q_EMIT self->eventsArrived(events);
            },
            Qt::QueuedConnection);
    }
}

void RedisCeleryBroker::control(const QString &method, const nlohmann::json &arguments,
                                const QStringList &destination, int timeoutMs,
                                const QObject *context, ControlHandler handler)
{
    const QString oid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString ticket = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QByteArray replyKey = m_prefix + oid.toLatin1() + ".reply.celery.pidbox";
    const QByteArray bindingKey = m_prefix + "_kombu.binding.reply.celery.pidbox";
    const QByteArray member =
        oid.toLatin1() + kSeparator + kSeparator + oid.toLatin1() + ".reply.celery.pidbox";
    const double expires = QDateTime::currentMSecsSinceEpoch() / 1000.0 + timeoutMs / 1000.0;
    struct Collect
    {
        QList<CeleryControlReply> replies;
        RedisError error;
        bool done = false;
        bool reading = false; // a read is in flight: a slow server gets no second one meanwhile
    };
    auto state = std::make_shared<Collect>();
    auto shared = std::make_shared<ControlHandler>(std::move(handler));
    RedisClient *client = m_client;
    QPointer<const QObject> guard(context);
    // Done: the binding and the reply lists go, and the handler hears once.
    auto finish = std::make_shared<std::function<void()>>();
    *finish = [=] {
        if (state->done)
            return;
        state->done = true;
        QList<QByteArray> del{"DEL"};
        for (int i = 0; i < 4; ++i)
            del << stepKey(replyKey, i);
        client->send({"SREM", bindingKey, member}, nullptr, [](const RedisResult &) {});
        client->send(del, nullptr, [](const RedisResult &) {});
        if (guard)
            (*shared)(state->replies, state->error);
    };
    m_client->send({"SADD", bindingKey, member}, context, [state](const RedisResult &r) {
        if (!r.ok())
            state->error = r.error;
    });
    m_client->send({"PUBLISH", pidboxChannel(),
                    encodePidboxRequest(method, arguments, destination, ticket, oid, expires)},
                   context, [=](const RedisResult &r) {
                       if (!r.ok() || state->error.isError()) {
                           if (!state->error.isError())
                               state->error = r.error;
                           (*finish)();
                           return;
                       }
                       // Read what arrived every 100 ms until the time is up or every
                       // destination answered. LRANGE and DEL in one script: no reply is
                       // read twice or lost between the two.
                       auto *poll = new QTimer(client);
                       poll->setInterval(kControlPollMs);
                       auto since = std::make_shared<QElapsedTimer>();
                       since->start();
                       const auto read = [=] {
                           if (state->reading)
                               return;
                           state->reading = true;
                           static const QByteArray script = QByteArrayLiteral(
                               "local r = {} for _, k in ipairs(KEYS) do for _, v in "
                               "ipairs(redis.call('LRANGE', k, 0, -1)) "
                               "do table.insert(r, v) end redis.call('DEL', k) end return r");
                           QList<QByteArray> command{"EVAL", script, "4"};
                           for (int i = 0; i < 4; ++i)
                               command << stepKey(replyKey, i);
                           client->send(command, poll, [=](const RedisResult &rr) {
                               state->reading = false;
                               if (state->done)
                                   return;
                               if (!rr.ok()) {
                                   state->error = rr.error;
                               } else {
                                   for (const RedisReply &e : rr.reply.elements()) {
                                       const PidboxMessage m = decodePidboxMessage(e.bytes());
                                       if (m.kind == PidboxMessage::Kind::Reply
                                           && m.ticket == ticket)
                                           state->replies << CeleryControlReply{m.node, m.answer};
                                   }
                               }
                               const bool everyone = !destination.isEmpty()
                                                     && state->replies.size() >= destination.size();
                               if (rr.ok() && !everyone && since->elapsed() < timeoutMs)
                                   return;
                               poll->stop();
                               poll->deleteLater();
                               (*finish)();
                           });
                       };
                       QObject::connect(poll, &QTimer::timeout, poll, read);
                       poll->start();
                   });
}

QByteArray RedisCeleryBroker::stepKey(const QByteArray &queue, int stepIndex)
{
    return stepIndex == 0 ? queue : queue + kSeparator + QByteArray::number(kSteps[stepIndex]);
}

void RedisCeleryBroker::addQueue(const QByteArray &name)
{
    if (!name.isEmpty())
        m_added.insert(name);
}

void RedisCeleryBroker::rediscover()
{
    m_discovered.invalidate();
}

void RedisCeleryBroker::listQueues(const QObject *context, QueuesHandler handler)
{
    // The bindings are found with a SCAN of the whole db, which the cache's keys may make
    // long: it runs on the first reading, when asked (rediscover), and every
    // kRediscoverIntervalMs; the readings between only measure the lists.
    if (m_discovered.isValid() && m_discovered.elapsed() < kRediscoverIntervalMs) {
        measure(context, std::move(handler), RedisError());
        return;
    }
    auto found = std::make_shared<QSet<QByteArray>>();
    auto bindingKeys = std::make_shared<QList<QByteArray>>();
    auto error = std::make_shared<RedisError>();
    QPointer<RedisCeleryBroker> self(this);
    QPointer<const QObject> guard(context);
    // Done: the queues found are now the declared ones, and their lists are measured.
    const auto finish = [self, guard, found, error, handler = std::move(handler)] {
        if (!self || !guard)
            return;
        if (!error->isError()) {
            self->m_declared = *found;
            self->m_discovered.start();
        }
        self->measure(guard.data(), handler, *error);
    };
    // The queues kombu declared: members "<routing key>\x06\x16<pattern>\x06\x16<queue>" of
    // _kombu.binding.<exchange> (set members carry no prefix, the set's key does).
    RedisClient *client = m_client;
    m_client->walk({"SCAN", "0", "MATCH", m_prefix + "_kombu.binding.*", "COUNT", "1000"}, 1,
                   kMaxBindingScan, context, [=](const RedisResult &page, bool last) {
                       if (!page.ok()) {
                           *error = page.error;
                       } else if (page.reply.isArray() && page.reply.elements().size() == 2) {
                           for (const auto &key : page.reply.elements()[1].elements())
                               *bindingKeys << key.bytes();
                       }
                       if (!last)
                           return;
                       if (bindingKeys->isEmpty()) {
                           finish();
                           return;
                       }
                       auto left = std::make_shared<int>(int(bindingKeys->size()));
                       for (const QByteArray &key : std::as_const(*bindingKeys)) {
                           client->send({"SMEMBERS", key}, guard.data(), [=](const RedisResult &r) {
                               if (r.ok() && r.reply.isArray()) {
                                   for (const auto &member : r.reply.elements()) {
                                       const QList<QByteArray> parts = member.bytes().split('\x06');
                                       // "rk", "\x16pattern", "\x16queue": the queue is the last
                                       // part.
                                       const QByteArray queue =
                                           parts.size() == 3 && parts[2].startsWith('\x16')
                                               ? parts[2].mid(1)
                                               : QByteArray();
                                       // Reply queues of remote control and event receivers are not
                                       // work queues.
                                       if (!queue.isEmpty() && !queue.endsWith(".pidbox")
                                           && !queue.startsWith("celeryev."))
                                           found->insert(queue);
                                   }
                               }
                               if (--*left == 0)
                                   finish();
                           });
                       }
                   });
}

void RedisCeleryBroker::measure(const QObject *context, QueuesHandler handler,
                                const RedisError &discoveryError)
{
    struct State
    {
        std::map<QByteArray, CeleryQueueInfo> queues;
        RedisError error;
        QueuesHandler handler;
        QPointer<const QObject> context;
    };
    auto state = std::make_shared<State>();
    state->handler = std::move(handler);
    state->context = context;
    state->error = discoveryError;
    for (const QByteArray &name : std::as_const(m_declared)) {
        state->queues[name].name = name;
        state->queues[name].declared = true;
    }
    for (const QByteArray &name : std::as_const(m_added)) {
        state->queues[name].name = name;
        state->queues[name].added = true;
    }
    if (state->queues.empty()) {
        state->handler({}, state->error);
        return;
    }
    // The lengths of every queue's four lists, in one pipelined burst.
    auto left = std::make_shared<int>(int(state->queues.size()) * 4);
    for (auto &[name, info] : state->queues) {
        for (int i = 0; i < 4; ++i) {
            CeleryQueueInfo *target = &info;
            m_client->send({"LLEN", m_prefix + stepKey(name, i)}, context,
                           [state, left, target, i](const RedisResult &r) {
                               if (r.ok() && r.reply.isInteger())
                                   target->byStep[size_t(i)] = r.reply.toInteger();
                               else if (!state->error.isError())
                                   state->error = r.ok() ? RedisError() : r.error;
                               if (--*left > 0 || !state->context)
                                   return; // not all in, or the asker is gone
                               QList<CeleryQueueInfo> out;
                               for (const auto &[n, q] : state->queues)
                                   out << q;
                               state->handler(out, state->error);
                           });
        }
    }
}

void RedisCeleryBroker::purge(const QByteArray &queue, const QObject *context, CountHandler handler)
{
    // Counted and deleted in one script: the count is what the DEL removed, even while
    // producers and workers go on. A read-only profile's connection refuses EVAL.
    static const QByteArray script =
        QByteArrayLiteral("local n = 0 for _, k in ipairs(KEYS) do n = n + redis.call('LLEN', k) "
                          "redis.call('DEL', k) end return n");
    QList<QByteArray> command{"EVAL", script, "4"};
    for (int i = 0; i < 4; ++i)
        command << m_prefix + stepKey(queue, i);
    m_client->send(command, context, [handler = std::move(handler)](const RedisResult &r) {
        handler(r.ok() && r.reply.isInteger() ? r.reply.toInteger() : 0,
                r.ok() ? RedisError() : r.error);
    });
}

void RedisCeleryBroker::deleteMessage(const QByteArray &queue, int step, const QByteArray &message,
                                      const QObject *context, CountHandler handler)
{
    const int index = qBound(0, step / 3, 3);
    m_client->send({"LREM", m_prefix + stepKey(queue, index), "1", message}, context,
                   [handler = std::move(handler)](const RedisResult &r) {
                       handler(r.ok() && r.reply.isInteger() ? r.reply.toInteger() : 0,
                               r.ok() ? RedisError() : r.error);
                   });
}

void RedisCeleryBroker::publish(const EncodedCeleryTask &task, const QObject *context,
                                CountHandler handler)
{
    m_client->send({"LPUSH", task.listKey, task.envelope}, context,
                   [handler = std::move(handler)](const RedisResult &r) {
                       handler(r.ok() && r.reply.isInteger() ? r.reply.toInteger() : 0,
                               r.ok() ? RedisError() : r.error);
                   });
}

void RedisCeleryBroker::move(const QByteArray &from, const QByteArray &to,
                             const QList<MovedMessage> &messages, const QObject *context,
                             CountHandler handler)
{
    static const QByteArray script =
        QByteArrayLiteral("if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then "
                          "redis.call('LPUSH', KEYS[2], ARGV[2]) return 1 end "
                          "return 0");
    if (messages.isEmpty()) {
        handler(0, RedisError());
        return;
    }
    struct Tally
    {
        qint64 moved = 0;
        int answered = 0;
        RedisError error;
    };
    auto tally = std::make_shared<Tally>();
    const int total = int(messages.size());
    auto shared = std::make_shared<CountHandler>(std::move(handler));
    for (const MovedMessage &m : messages) {
        const int index = qBound(0, m.step / 3, 3);
        m_client->send({"EVAL", script, "2", m_prefix + stepKey(from, index),
                        m_prefix + stepKey(to, index), m.message, rerouteEnvelope(m.message, to)},
                       context, [tally, total, shared](const RedisResult &r) {
                           if (r.ok() && r.reply.isInteger())
                               tally->moved += r.reply.toInteger();
                           else if (!tally->error.isError())
                               tally->error =
                                   r.ok()
                                       ? RedisError{RedisError::Kind::Protocol,
                                                    QStringLiteral("unexpected reply to the move")}
                                       : r.error;
                           if (++tally->answered == total)
                               (*shared)(tally->moved, tally->error);
                       });
    }
}

void RedisCeleryBroker::inFlight(int limit, const QObject *context, InFlightHandler handler)
{
    auto total = std::make_shared<qint64>(0);
    m_client->send({"ZCARD", m_prefix + "unacked_index"}, context, [total](const RedisResult &r) {
        if (r.ok() && r.reply.isInteger())
            *total = r.reply.toInteger();
    });
    const QByteArray prefix = m_prefix;
    RedisClient *client = m_client;
    QPointer<const QObject> guard(context);
    m_client->send(
        {"ZRANGE", prefix + "unacked_index", "0", QByteArray::number(qMax(1, limit) - 1),
         "WITHSCORES"},
        context, [=](const RedisResult &r) {
            if (!r.ok() || !r.reply.isArray()) {
                handler({}, *total, r.ok() ? RedisError() : r.error);
                return;
            }
            QList<CeleryInFlight> items;
            QList<QByteArray> hmget{"HMGET", prefix + "unacked"};
            const auto &e = r.reply.elements();
            for (size_t i = 0; i + 1 < e.size(); i += 2) {
                CeleryInFlight f;
                f.deliveryTag = e[i].bytes();
                f.deliveredAt = e[i + 1].bytes().toDouble();
                items << f;
                hmget << f.deliveryTag;
            }
            if (items.isEmpty()) {
                handler({}, *total, RedisError());
                return;
            }
            client->send(hmget, guard.data(), [=](const RedisResult &values) mutable {
                if (!guard)
                    return;
                if (values.ok() && values.reply.isArray()) {
                    // Each value is [envelope, exchange, routing_key] (JSON).
                    for (qsizetype i = 0;
                         i < items.size() && size_t(i) < values.reply.elements().size(); ++i) {
                        const QByteArray value = values.reply.elements()[size_t(i)].bytes();
                        const auto parsed = parseUntrustedJson(value);
                        const nlohmann::json &triple = parsed.value;
                        if (!triple.is_array() || triple.size() != 3 || !triple[0].is_object())
                            continue;
                        items[i].message = jsonToBytes(triple[0]);
                        if (triple[2].is_string())
                            items[i].queue =
                                QByteArray::fromStdString(triple[2].get<std::string>());
                    }
                }
                handler(items, *total, values.ok() ? RedisError() : values.error);
            });
        });
}

void RedisCeleryBroker::peek(const QByteArray &queue, qint64 offset, int limit,
                             const QObject *context, PageHandler handler)
{
    // The lengths first, then LRANGE on the lists the page falls in. Each list is FIFO from
    // its right end (LPUSH, BRPOP): position p of a list is index -1-p.
    auto page = std::make_shared<CeleryQueuePage>();
    page->queue = queue;
    page->offset = offset;
    auto lengths = std::make_shared<std::array<qint64, 4>>();
    auto left = std::make_shared<int>(4);
    auto failed = std::make_shared<RedisError>();
    const QByteArray prefix = m_prefix;
    RedisClient *client = m_client;
    QPointer<const QObject> guard(context);
    for (int i = 0; i < 4; ++i) {
        m_client->send({"LLEN", prefix + stepKey(queue, i)}, context, [=](const RedisResult &r) {
            if (r.ok() && r.reply.isInteger())
                (*lengths)[size_t(i)] = r.reply.toInteger();
            else if (!failed->isError())
                *failed = r.ok() ? RedisError() : r.error;
            if (--*left > 0)
                return;
            if (failed->isError()) {
                handler(*page, *failed);
                return;
            }
            page->depth = (*lengths)[0] + (*lengths)[1] + (*lengths)[2] + (*lengths)[3];
            // Which part of which list the page covers.
            struct Slice
            {
                int step;
                qint64 from; // position in that list, 0 = next
                qint64 count;
            };
            QList<Slice> slices;
            qint64 start = offset;
            qint64 wanted = limit;
            for (int s = 0; s < 4 && wanted > 0; ++s) {
                const qint64 n = (*lengths)[size_t(s)];
                if (start >= n) {
                    start -= n;
                    continue;
                }
                const qint64 take = std::min(wanted, n - start);
                slices.push_back({s, start, take});
                wanted -= take;
                start = 0;
            }
            if (slices.isEmpty()) {
                handler(*page, RedisError());
                return;
            }
            auto parts = std::make_shared<std::vector<QList<QByteArray>>>(size_t(slices.size()));
            auto pending = std::make_shared<int>(int(slices.size()));
            for (int k = 0; k < slices.size(); ++k) {
                const Slice sl = slices[k];
                // Positions from..from+count-1 are indexes -1-from down to -from-count.
                client->send({"LRANGE", prefix + stepKey(queue, sl.step),
                              QByteArray::number(-sl.from - sl.count),
                              QByteArray::number(-1 - sl.from)},
                             guard.data(), [=](const RedisResult &r) {
                                 if (r.ok() && r.reply.isArray()) {
                                     QList<QByteArray> items;
                                     for (const auto &e : r.reply.elements())
                                         items << e.bytes();
                                     std::reverse(items.begin(), items.end()); // next first
                                     (*parts)[size_t(k)] = items;
                                 } else if (!failed->isError()) {
                                     *failed = r.ok() ? RedisError() : r.error;
                                 }
                                 if (--*pending > 0 || !guard)
                                     return; // not all in, or the asker is gone
                                 for (int j = 0; j < slices.size(); ++j) {
                                     for (const QByteArray &m : (*parts)[size_t(j)]) {
                                         page->messages << m;
                                         page->steps << kSteps[slices[j].step];
                                     }
                                 }
                                 handler(*page, *failed);
                             });
            }
        });
    }
}

} // namespace bd::connectors
