#include "rediscelerybroker.h"

#include "celery/celerytaskencoder.h"
#include "celery/kombuenvelope.h"
#include "redis/redisclient.h"

#include <QPointer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>

namespace bd::connectors {

namespace {
constexpr int kSteps[4] = {0, 3, 6, 9};
const QByteArray kSeparator = QByteArrayLiteral("\x06\x16");
constexpr qint64 kMaxBindingScan = 100000; // binding sets are few; a cap against a runaway SCAN
constexpr qint64 kRediscoverIntervalMs = 30000;
} // namespace

RedisCeleryBroker::RedisCeleryBroker(RedisClient *client, QByteArray keyPrefix, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_prefix(std::move(keyPrefix))
{
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
    m_client->walk(
        {"SCAN", "0", "MATCH", m_prefix + "_kombu.binding.*", "COUNT", "1000"}, 1, kMaxBindingScan, context,
        [=](const RedisResult &page, bool last) {
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
                            // "rk", "\x16pattern", "\x16queue": the queue is the last part.
                            const QByteArray queue = parts.size() == 3 && parts[2].startsWith('\x16')
                                                         ? parts[2].mid(1)
                                                         : QByteArray();
                            // Reply queues of remote control and event receivers are not work queues.
                            if (!queue.isEmpty() && !queue.endsWith(".pidbox") && !queue.startsWith("celeryev."))
                                found->insert(queue);
                        }
                    }
                    if (--*left == 0)
                        finish();
                });
            }
        });
}

void RedisCeleryBroker::measure(const QObject *context, QueuesHandler handler, const RedisError &discoveryError)
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
    static const QByteArray script = QByteArrayLiteral(
        "local n = 0 for _, k in ipairs(KEYS) do n = n + redis.call('LLEN', k) redis.call('DEL', k) end return n");
    QList<QByteArray> command{"EVAL", script, "4"};
    for (int i = 0; i < 4; ++i)
        command << m_prefix + stepKey(queue, i);
    m_client->send(command, context, [handler = std::move(handler)](const RedisResult &r) {
        handler(r.ok() && r.reply.isInteger() ? r.reply.toInteger() : 0, r.ok() ? RedisError() : r.error);
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

void RedisCeleryBroker::publish(const EncodedCeleryTask &task, const QObject *context, CountHandler handler)
{
    m_client->send({"LPUSH", task.listKey, task.envelope}, context, [handler = std::move(handler)](const RedisResult &r) {
        handler(r.ok() && r.reply.isInteger() ? r.reply.toInteger() : 0, r.ok() ? RedisError() : r.error);
    });
}

void RedisCeleryBroker::move(const QByteArray &from, const QByteArray &to, const QList<MovedMessage> &messages,
                             const QObject *context, CountHandler handler)
{
    static const QByteArray script = QByteArrayLiteral(
        "if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then redis.call('LPUSH', KEYS[2], ARGV[2]) return 1 end "
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
        m_client->send({"EVAL", script, "2", m_prefix + stepKey(from, index), m_prefix + stepKey(to, index), m.message,
                        rerouteEnvelope(m.message, to)},
                       context, [tally, total, shared](const RedisResult &r) {
                           if (r.ok() && r.reply.isInteger())
                               tally->moved += r.reply.toInteger();
                           else if (!tally->error.isError())
                               tally->error = r.ok() ? RedisError{RedisError::Kind::Protocol,
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
        {"ZRANGE", prefix + "unacked_index", "0", QByteArray::number(qMax(1, limit) - 1), "WITHSCORES"}, context,
        [=](const RedisResult &r) {
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
                    for (qsizetype i = 0; i < items.size() && size_t(i) < values.reply.elements().size(); ++i) {
                        const QByteArray value = values.reply.elements()[size_t(i)].bytes();
                        const nlohmann::json triple =
                            nlohmann::json::parse(value.constBegin(), value.constEnd(), nullptr, false);
                        if (!triple.is_array() || triple.size() != 3 || !triple[0].is_object())
                            continue;
                        items[i].message = QByteArray::fromStdString(
                            triple[0].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
                        if (triple[2].is_string())
                            items[i].queue = QByteArray::fromStdString(triple[2].get<std::string>());
                    }
                }
                handler(items, *total, values.ok() ? RedisError() : values.error);
            });
        });
}

void RedisCeleryBroker::peek(const QByteArray &queue, qint64 offset, int limit, const QObject *context,
                             PageHandler handler)
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
        m_client->send({"LLEN", prefix + stepKey(queue, i)}, context,
                       [=](const RedisResult &r) {
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
                                             QByteArray::number(-sl.from - sl.count), QByteArray::number(-1 - sl.from)},
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
