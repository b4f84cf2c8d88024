#pragma once

#include "pubsub/pubsubpage.h"
#include "redis/connectionstate.h"
#include "redis/rediserror.h"

#include <QObject>
#include <QPointer>
#include <QSet>

class QTimer;

namespace bd::connectors {
class RedisClient;
}
namespace bd::models {
class MessageLogModel;
class TrafficStatsModel;
} // namespace bd::models

namespace bd::app {

// The Pub/Sub page's wiring: a subscriber connection of its own (opened on the first
// subscription; the connector restores every subscription after a reconnect, and the time it
// was down becomes a gap row in the log), PUBSUB listings and PUBLISH on the browser
// connection, and the keyspace-events preset.
//
// Push messages are taken in batches (one signal for whatever waits) and given to the log
// model and the per-channel traffic in one pass.
class PubSubController : public QObject
{
    Q_OBJECT

public:
    // commands: the connection for PUBSUB, PUBLISH and CONFIG (the key browser's); its
    // settings, taken when the first subscription is made, open the subscriber.
    PubSubController(connectors::RedisClient *commands, ui::PubSubPage *page,
                     models::MessageLogModel *log, models::TrafficStatsModel *traffic,
                     QObject *parent = nullptr);

    ~PubSubController() override;

    // A file where the subscriptions are kept between sessions (saved profiles only): read
    // now, subscribed again the first time the page is shown, written when this goes.
    void rememberSubscriptionsIn(const QString &path);

    // Names with glob characters are patterns (PSUBSCRIBE), the others channels.
    void subscribe(const QList<QByteArray> &names);
    void unsubscribe(const QByteArray &name);
    void refreshChannels();
    void publish(const QByteArray &channel, const QByteArray &payload);
    connectors::RedisClient *subscriber() const { return m_subscriber; }
    // Subscriptions the server has confirmed on the subscriber connection (its own count,
    // from the last confirmation): equal to what was asked once the server has them all.
    qint64 confirmedSubscriptions() const { return m_confirmed; }

private:
    void ensureSubscriber();
    void takeMessages();
    void onState(connectors::ConnectionState state, const connectors::RedisError &error,
                 int retryInMs);
    void showSubscriptions();
    void keyspacePreset();
    void readKeyspaceSetting();
    void changeKeyEvents(const QByteArray &value);

    connectors::RedisClient *m_commands; // Not owned.
    QPointer<ui::PubSubPage> m_page;
    models::MessageLogModel *m_log;                  // Not owned.
    models::TrafficStatsModel *m_traffic;            // Not owned.
    connectors::RedisClient *m_subscriber = nullptr; // Owned (child), from the first subscription.
    QTimer *m_refreshTimer = nullptr; // Owned: PUBSUB listings while the page is shown.
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
    QString m_rememberPath;
    QList<QByteArray> m_remembered; // subscribed again when the page is first shown
    qint64 m_confirmed = 0;
    bool m_wasConnected = false;
    qint64 m_downSinceMs = 0; // when the subscriber lost its connection (0: it has not)
    QString m_downReason;
};

} // namespace bd::app
