#pragma once

#include "rediserror.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

namespace bd::connectors {

class RedisClient;

// The server's notify-keyspace-events: what a value makes it publish, and the one place that
// reads and changes it. Two uses need different things, said here side by side:
//   LiveKeys       the Keys page follows __keyevent@<db>__:* and needs every class of event
//                  (E, and A or each of g$lshzxe), or keys would go stale silently;
//   ChannelPreset  the Pub/Sub preset shows both channel kinds (K and E) with at least one
//                  class of event; it proposes KEA.
class KeyspaceNotifications
{
public:
    enum class Use { LiveKeys, ChannelPreset };

    static bool suffices(const QByteArray &flags, Use use);
    // flags with what use needs added, keeping what is there ("Kx" → "KxEA" for LiveKeys).
    static QByteArray completed(const QByteArray &flags, Use use);

    struct Setting
    {
        bool known = false; // false: CONFIG GET was denied or the server has no such setting
        QByteArray flags;
        QString problem; // why it is not known, for the operator
    };
    using SettingHandler = std::function<void(const Setting &)>;
    using ChangeHandler = std::function<void(const RedisError &error)>;

    // CONFIG GET notify-keyspace-events (an ACL without CONFIG leaves it unknown).
    static void read(RedisClient *client, const QObject *context, SettingHandler handler);
    // CONFIG SET notify-keyspace-events flags (refused by the client on read-only profiles).
    static void change(RedisClient *client, const QByteArray &flags, const QObject *context,
                       ChangeHandler handler);
};

} // namespace bd::connectors
