#include "keyedits.h"

#include "redisclient.h"

#include <memory>

namespace bd::connectors::keyedits {

namespace {

// The command that creates a key of item.type holding item (no NX guard: see createKey).
QList<QByteArray> createCommand(const QByteArray &key, const NewItem &item)
{
    if (item.type == "hash")
        return {"HSET", key, item.first, item.second};
    if (item.type == "list")
        return {"RPUSH", key, item.first};
    if (item.type == "set")
        return {"SADD", key, item.first};
    if (item.type == "zset")
        return {"ZADD", key, item.second, item.first};
    if (item.type == "stream")
        return {"XADD", key, "*", item.first, item.second};
    return {};
}

} // namespace

QList<QByteArray> addCommand(const QByteArray &key, const NewItem &item)
{
    if (item.type == "hash")
        return {"HSETNX", key, item.first, item.second};
    if (item.type == "list")
        return {item.atHead ? "LPUSHX" : "RPUSHX", key, item.first};
    if (item.type == "set")
        return {"SADD", key, item.first};
    if (item.type == "zset")
        return {"ZADD", key, "NX", item.second, item.first};
    if (item.type == "stream")
        return {"XADD", key, "*", item.first, item.second};
    return {};
}

QList<QByteArray> removeCommand(const QByteArray &key, const QByteArray &type,
                                const QList<QByteArray> &items)
{
    if (items.isEmpty())
        return {};
    QByteArray verb;
    if (type == "hash")
        verb = "HDEL";
    else if (type == "set")
        verb = "SREM";
    else if (type == "zset")
        verb = "ZREM";
    else if (type == "stream")
        verb = "XDEL";
    else if (type == "list" && items.size() == 1 && (items[0] == "first" || items[0] == "last"))
        return {items[0] == "first" ? "LPOP" : "RPOP", key};
    if (verb.isEmpty())
        return {};
    return QList<QByteArray>{verb, key} + items;
}

void createKey(RedisClient *client, const QByteArray &key, const NewItem &item, qint64 ttlMs,
               const QObject *context, CreateHandler handler)
{
    if (item.type == "string") {
        QList<QByteArray> set{"SET", key, item.first, "NX"};
        if (ttlMs > 0)
            set << "PX" << QByteArray::number(ttlMs);
        client->send(set, context, [handler](const RedisResult &r) {
            if (!r.ok())
                handler(false, r.error);
            else
                handler(!r.reply.isNil(), {}); // nil: NX found a key
        });
        return;
    }
    const QList<QByteArray> create = createCommand(key, item);
    if (create.isEmpty()) {
        handler(
            false,
            RedisError{
                RedisError::Kind::InvalidArguments,
                QObject::tr("cannot create a key of type %1").arg(QString::fromUtf8(item.type))});
        return;
    }
    // WATCH, then EXISTS: if another client creates the key before EXEC, EXEC does nothing.
    // MULTI … EXEC go out as one contiguous batch, so no other command of this connection can
    // end up inside the transaction.
    QPointer<RedisClient> guard(client);
    client->send({"WATCH", key}, context, nullptr);
    client->send(
        {"EXISTS", key}, context,
        [guard, key, create, ttlMs, context, handler](const RedisResult &r) {
            if (!guard)
                return;
            if (!r.ok() || r.reply.toInteger() != 0) {
                guard->send({"UNWATCH"}, context, nullptr);
                handler(false, r.ok() ? RedisError{} : r.error);
                return;
            }
            auto failed = std::make_shared<RedisError>();
            const auto keep = [failed](const RedisResult &q) {
                if (!q.ok() && !failed->isError())
                    *failed = q.error;
            };
            // An ACL that refuses MULTI makes the commands run at once (just after EXISTS said the
            // key is free): then the key was created, whatever EXEC says.
            auto ranAtOnce = std::make_shared<bool>(false);
            guard->send({"MULTI"}, context, keep);
            guard->send(create, context, [keep, ranAtOnce](const RedisResult &q) {
                keep(q);
                *ranAtOnce = q.ok() && !(q.reply.isStatus() && q.reply.bytes() == "QUEUED");
            });
            if (ttlMs > 0)
                guard->send({"PEXPIRE", key, QByteArray::number(ttlMs)}, context, keep);
            guard->send({"EXEC"}, context, [failed, ranAtOnce, handler](const RedisResult &e) {
                if (*ranAtOnce)
                    handler(true, {});
                else if (failed->isError())
                    handler(false, *failed);
                else if (!e.ok())
                    handler(false, e.error);
                else if (e.reply.isNil())
                    handler(false, {}); // the key appeared after WATCH
                else
                    handler(true, {});
            });
        });
}

QList<QByteArray> setTtlCommand(const QByteArray &key, qint64 ms)
{
    return {"PEXPIRE", key, QByteArray::number(ms)};
}

QList<QByteArray> persistCommand(const QByteArray &key)
{
    return {"PERSIST", key};
}

QList<QByteArray> setHashFieldCommand(const QByteArray &key, const QByteArray &field,
                                      const QByteArray &value)
{
    return {"HSET", key, field, value};
}

QList<QByteArray> setListElementCommand(const QByteArray &key, qint64 index,
                                        const QByteArray &value)
{
    return {"LSET", key, QByteArray::number(index), value};
}

QList<QByteArray> setZsetScoreCommand(const QByteArray &key, const QByteArray &member,
                                      const QByteArray &score)
{
    return {"ZADD", key, "XX", score, member};
}

QList<QByteArray> deleteCommand(const QByteArray &key)
{
    return {"UNLINK", key};
}

QList<QByteArray> renameCommand(const QByteArray &key, const QByteArray &newKey)
{
    return {"RENAMENX", key, newKey};
}

void apply(RedisClient *client, const QList<QByteArray> &command, const QObject *context,
           ChangeHandler handler)
{
    client->send(command, context, [client, command, context, handler](const RedisResult &r) {
        const bool unlinkUnknown =
            !r.ok() && !command.isEmpty() && command.first() == "UNLINK"
            && r.error.message.contains(QLatin1String("unknown command"), Qt::CaseInsensitive);
        if (!unlinkUnknown) {
            handler(command, r);
            return;
        }
        QList<QByteArray> del = command;
        del[0] = "DEL"; // Redis before 4.0 has no UNLINK
        client->send(del, context,
                     [del, handler](const RedisResult &again) { handler(del, again); });
    });
}

bool changedNothing(const RedisReply &reply)
{
    return (reply.isInteger() && reply.toInteger() == 0) || reply.isNil();
}

} // namespace bd::connectors::keyedits
