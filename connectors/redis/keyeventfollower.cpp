#include "keyeventfollower.h"

#include "redisclient.h"

namespace bd::connectors {

namespace {
constexpr int kMaxQueuedEvents = 200000;
}

KeyEventFollower::KeyEventFollower(ConnectionSettings settings, QObject *parent)
    : QObject(parent)
{
    settings.clientName = QByteArrayLiteral("brokerdesk:keyevents");
    settings.db = 0; // a subscription is not per db; the channel names the db
    m_client = new RedisClient(std::move(settings), this);
    m_client->enablePushMode(kMaxQueuedEvents);
    connect(m_client, &RedisClient::pushMessagesAvailable, this, &KeyEventFollower::takeMessages);
    connect(m_client, &RedisClient::stateChanged, this,
            [this](ConnectionState state, const RedisError &error, int) {
                Q_EMIT stateChanged(state, error);
            });
}

KeyEventFollower::~KeyEventFollower() = default;

void KeyEventFollower::follow(int db)
{
    if (db == m_db)
        return;
    const bool first = m_db < 0;
    if (!m_pattern.isEmpty())
        m_client->send({"PUNSUBSCRIBE", m_pattern}, this, nullptr);
    m_db = db;
    m_pattern = "__keyevent@" + QByteArray::number(db) + "__:*";
    m_client->send({"PSUBSCRIBE", m_pattern}, this, nullptr);
    if (first)
        m_client->open();
}

KeyEvent::Effect KeyEventFollower::effectOf(const QByteArray &event)
{
    if (event == "del" || event == "expired" || event == "evicted" || event == "rename_from"
        || event == "move_from" || event == "unlink")
        return KeyEvent::Effect::Removed;
    return KeyEvent::Effect::Touched;
}

QByteArray KeyEventFollower::impliedType(const QByteArray &event)
{
    static const QHash<QByteArray, QByteArray> types = [] {
        QHash<QByteArray, QByteArray> t;
        for (const char *e : {"set", "setrange", "incrby", "incrbyfloat", "append"})
            t.insert(e, "string");
        for (const char *e :
             {"lpush", "rpush", "linsert", "lset", "lpop", "rpop", "ltrim", "lrem", "lmove"})
            t.insert(e, "list");
        for (const char *e : {"hset", "hincrby", "hincrbyfloat", "hdel"})
            t.insert(e, "hash");
        for (const char *e : {"sadd", "srem", "spop", "sinterstore", "sunionstore", "sdiffstore"})
            t.insert(e, "set");
        for (const char *e :
             {"zadd", "zincr", "zrem", "zremrangebyscore", "zremrangebyrank", "zremrangebylex",
              "zunionstore", "zinterstore", "zdiffstore", "zrangestore", "zpopmin", "zpopmax"})
            t.insert(e, "zset");
        for (const char *e : {"xadd", "xtrim", "xdel", "xsetid", "xgroup-create", "xgroup-destroy"})
            t.insert(e, "stream");
        return t;
    }();
    return types.value(event);
}

void KeyEventFollower::takeMessages()
{
    quint64 dropped = 0;
    std::deque<PushMessage> messages = m_client->takePushMessages(&dropped);
    QList<KeyEvent> events;
    events.reserve(qsizetype(messages.size()));
    const qsizetype prefix = m_pattern.size() - 1; // "__keyevent@0__:" without the '*'
    for (PushMessage &m : messages) {
        if (m.kind == PushMessage::Kind::Error) {
            Q_EMIT refused(QString::fromUtf8(m.payload));
            continue;
        }
        if (m.kind != PushMessage::Kind::PatternMessage || m.pattern != m_pattern)
            continue; // confirmations, or the db followed before
        KeyEvent e;
        e.event = m.channel.mid(prefix);
        e.key = std::move(m.payload);
        e.effect = effectOf(e.event);
        events << std::move(e);
    }
    if (!events.isEmpty() || dropped > 0)
        Q_EMIT eventsArrived(events, dropped);
}

} // namespace bd::connectors
