#pragma once

#include "connectionsettings.h"
#include "connectionstate.h"
#include "rediserror.h"

#include <QByteArray>
#include <QList>
#include <QObject>

namespace bd::connectors {

class RedisClient;

struct KeyEvent
{
    enum class Effect : quint8 {
        Touched, // the key exists after it (set, hset, lpush, expire, rename_to, ...)
        Removed, // del, expired, evicted, rename_from, move_from
    };
    QByteArray event; // "set", "expired", ...
    QByteArray key;
    Effect effect = Effect::Touched;
};

// Follows one database's keyspace live through keyevent notifications
// (PSUBSCRIBE __keyevent@<db>__:*) on a push connection of its own. The server publishes them
// only when notify-keyspace-events has E and the event classes (KeyspaceNotifications says
// which value does).
//
// Reconnects restore the subscription; the events published while disconnected are lost, and
// stateChanged says so (the owner should offer a rescan).
//
// Threading contract: owner thread only; events arrive in batches, in the server's order.
class KeyEventFollower : public QObject
{
    Q_OBJECT

public:
    explicit KeyEventFollower(ConnectionSettings settings, QObject *parent = nullptr);
    ~KeyEventFollower() override;

    // Follows db (replacing the db followed before); opens the connection on the first call.
    void follow(int db);
    int database() const { return m_db; }

    static KeyEvent::Effect effectOf(const QByteArray &event);
    // The type a key has after the event, when the event says it ("lpush": list); else empty.
    static QByteArray impliedType(const QByteArray &event);

Q_SIGNALS:
    // dropped: events the connection had to drop because the owner fell behind.
    void eventsArrived(const QList<bd::connectors::KeyEvent> &events, quint64 dropped);
    void stateChanged(bd::connectors::ConnectionState state,
                      const bd::connectors::RedisError &error);
    // The server refused the subscription (an ACL without the channel, ...).
    void refused(const QString &message);

private:
    void takeMessages();

    RedisClient *m_client = nullptr; // Owned (child).
    int m_db = -1;
    QByteArray m_pattern;
};

} // namespace bd::connectors
