#include "keyspacenotifications.h"

#include "redisclient.h"

#include <algorithm>

namespace bd::connectors {

namespace {

// "A" is an alias for these (Redis 7 adds d, module events, to it).
constexpr QByteArrayView kEveryClass = "g$lshzxe";
// Any of these makes the server publish some class of event (m and n are not in A).
constexpr QByteArrayView kAnyClass = "g$lshzxetdmnA";

QByteArray required(KeyspaceNotifications::Use use)
{
    return use == KeyspaceNotifications::Use::LiveKeys ? QByteArrayLiteral("EA")
                                                       : QByteArrayLiteral("KEA");
}

} // namespace

bool KeyspaceNotifications::suffices(const QByteArray &flags, Use use)
{
    if (use == Use::ChannelPreset) {
        return flags.contains('K') && flags.contains('E')
               && std::any_of(flags.begin(), flags.end(),
                              [](char c) { return kAnyClass.contains(c); });
    }
    if (!flags.contains('E'))
        return false;
    return flags.contains('A')
           || std::all_of(kEveryClass.begin(), kEveryClass.end(),
                          [&flags](char c) { return flags.contains(c); });
}

QByteArray KeyspaceNotifications::completed(const QByteArray &flags, Use use)
{
    QByteArray result = flags;
    for (char c : required(use))
        if (!result.contains(c))
            result += c;
    return result;
}

void KeyspaceNotifications::read(RedisClient *client, const QObject *context,
                                 SettingHandler handler)
{
    client->send({"CONFIG", "GET", "notify-keyspace-events"}, context,
                 [handler](const RedisResult &r) {
                     Setting s;
                     if (!r.ok())
                         s.problem = r.error.toString();
                     else if (!r.reply.isArray() || r.reply.elements().size() < 2)
                         s.problem = QStringLiteral("no such setting");
                     else {
                         s.known = true;
                         s.flags = r.reply.elements()[1].bytes();
                     }
                     handler(s);
                 });
}

void KeyspaceNotifications::change(RedisClient *client, const QByteArray &flags,
                                   const QObject *context, ChangeHandler handler)
{
    client->send({"CONFIG", "SET", "notify-keyspace-events", flags}, context,
                 [handler](const RedisResult &r) { handler(r.ok() ? RedisError() : r.error); });
}

} // namespace bd::connectors
