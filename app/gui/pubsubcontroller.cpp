#include "pubsubcontroller.h"

#include "codec/untrustedjson.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/pubsubpage.h"
#include "pubsub/trafficstatsmodel.h"
#include "redis/keyeventfollower.h"
#include "redis/keyspacenotifications.h"
#include "redis/redisclient.h"
#include "redis/redisglob.h"
#include "redis/redisreply.h"
#include "redis/replyformatter.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

namespace bd::app {

using connectors::ConnectionState;
using connectors::PushMessage;
using connectors::RedisError;
using connectors::RedisResult;

namespace {

constexpr int kRefreshIntervalMs = 5000;
// Server channels whose subscribers are counted (NUMSUB): a server with a result channel per
// waiting client can list tens of thousands.
constexpr qsizetype kMaxServerChannels = 1000;
// Messages the subscriber connection keeps for this thread at most; past it, the oldest are
// dropped and counted as lost.
constexpr int kMaxQueuedMessages = 200000;
} // namespace

PubSubController::PubSubController(connectors::RedisClient *commands, ui::PubSubPage *page,
                                   models::MessageLogModel *log, models::TrafficStatsModel *traffic,
                                   QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_page(page)
    , m_log(log)
    , m_traffic(traffic)
    , m_refreshTimer(new QTimer(this))
{
    m_refreshTimer->setInterval(kRefreshIntervalMs);
    connect(m_refreshTimer, &QTimer::timeout, this, &PubSubController::refreshChannels);
    page->setReadOnly(commands->isReadOnly());
    page->setConnectionText(tr("no subscriber connection yet"), false);
    connect(page, &ui::PubSubPage::subscribeRequested, this, &PubSubController::subscribe);
    connect(page, &ui::PubSubPage::unsubscribeRequested, this, &PubSubController::unsubscribe);
    connect(page, &ui::PubSubPage::refreshChannelsRequested, this,
            &PubSubController::refreshChannels);
    connect(page, &ui::PubSubPage::publishRequested, this, &PubSubController::publish);
    connect(page, &ui::PubSubPage::keyspacePresetRequested, this,
            &PubSubController::keyspacePreset);
    connect(page, &ui::PubSubPage::keyEventsChangeRequested, this,
            &PubSubController::changeKeyEvents);
    connect(page, &ui::PubSubPage::shownChanged, this, [this](bool shown) {
        if (shown && !m_remembered.isEmpty()) {
            const QList<QByteArray> names = std::exchange(m_remembered, {});
            if (m_channels.isEmpty() && m_patterns.isEmpty())
                subscribe(names);
        }
        if (shown) {
            refreshChannels();
            m_refreshTimer->start();
        } else {
            m_refreshTimer->stop();
        }
    });
}

PubSubController::~PubSubController()
{
    if (m_rememberPath.isEmpty())
        return;
    // Channel names are bytes: UTF-8 ones as strings, others as {"base64": ...}.
    QList<QByteArray> names = m_channels.values() + m_patterns.values();
    if (names.isEmpty())
        names = m_remembered; // never shown this time: keep what was there
    std::sort(names.begin(), names.end());
    nlohmann::json list = nlohmann::json::array();
    for (const QByteArray &name : names)
        list.push_back(connectors::ReplyFormatter::toJson(connectors::RedisReply::string(name)));
    QDir().mkpath(QFileInfo(m_rememberPath).absolutePath());
    QSaveFile file(m_rememberPath);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(connectors::jsonToBytes(list));
        file.commit();
    }
}

void PubSubController::rememberSubscriptionsIn(const QString &path)
{
    m_rememberPath = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QByteArray text = file.readAll();
    const auto parsed = connectors::parseUntrustedJson(text);
    const nlohmann::json &list = parsed.value;
    if (!list.is_array())
        return; // unreadable: start with nothing rather than fail
    for (const nlohmann::json &item : list) {
        if (item.is_string()) {
            m_remembered << QByteArray::fromStdString(item.get<std::string>());
        } else if (item.is_object() && item.contains("base64") && item["base64"].is_string()) {
            m_remembered << QByteArray::fromBase64(
                QByteArray::fromStdString(item["base64"].get<std::string>()));
        }
    }
}

void PubSubController::ensureSubscriber()
{
    if (m_subscriber)
        return;
    connectors::ConnectionSettings settings = m_commands->settings();
    settings.clientName = QByteArrayLiteral("brokerdesk:pubsub");
    m_subscriber = new connectors::RedisClient(settings, this);
    m_subscriber->enablePushMode(kMaxQueuedMessages);
    connect(m_subscriber, &connectors::RedisClient::pushMessagesAvailable, this,
            &PubSubController::takeMessages);
    connect(m_subscriber, &connectors::RedisClient::stateChanged, this, &PubSubController::onState);
    m_subscriber->open();
}

void PubSubController::subscribe(const QList<QByteArray> &names)
{
    QList<QByteArray> channels{"SUBSCRIBE"};
    QList<QByteArray> patterns{"PSUBSCRIBE"};
    for (const QByteArray &name : names) {
        if (name.isEmpty())
            continue;
        if (connectors::isGlobPattern(name)) {
            if (!m_patterns.contains(name))
                patterns << name;
            m_patterns.insert(name);
        } else {
            if (!m_channels.contains(name))
                channels << name;
            m_channels.insert(name);
        }
    }
    if (channels.size() == 1 && patterns.size() == 1)
        return;
    ensureSubscriber();
    // Answered at once by the push connection; the server's confirmations and refusals
    // (NOPERM) come as push messages.
    const auto ignore = [](const RedisResult &) {
    };
    if (channels.size() > 1)
        m_subscriber->send(channels, this, ignore);
    if (patterns.size() > 1)
        m_subscriber->send(patterns, this, ignore);
    showSubscriptions();
}

void PubSubController::unsubscribe(const QByteArray &name)
{
    if (!m_subscriber)
        return;
    const auto ignore = [](const RedisResult &) {
    };
    if (m_patterns.remove(name))
        m_subscriber->send({"PUNSUBSCRIBE", name}, this, ignore);
    else if (m_channels.remove(name))
        m_subscriber->send({"UNSUBSCRIBE", name}, this, ignore);
    showSubscriptions();
}

void PubSubController::showSubscriptions()
{
    if (m_page)
        m_page->setSubscriptions(m_channels, m_patterns);
}

void PubSubController::takeMessages()
{
    quint64 lost = 0;
    const std::deque<PushMessage> messages = m_subscriber->takePushMessages(&lost);
    // Per-channel counts in runs: a flood on one channel is one hash lookup per batch.
    const QByteArray *run = nullptr;
    qint64 runLength = 0;
    bool confirmedChanged = false;
    for (const PushMessage &m : messages) {
        if (m.kind == PushMessage::Kind::Message || m.kind == PushMessage::Kind::PatternMessage) {
            if (run && *run == m.channel) {
                ++runLength;
                continue;
            }
            if (run)
                m_traffic->count(*run, runLength);
            run = &m.channel;
            runLength = 1;
        } else if (m.kind != PushMessage::Kind::Error) {
            m_confirmed = m.count; // (un)subscribe confirmations carry the connection's count
            confirmedChanged = true;
        } else {
            m_log->addNote(tr("The server refused: %1").arg(QString::fromUtf8(m.payload)));
            if (m_page)
                m_page->setConnectionText(tr("refused: %1").arg(QString::fromUtf8(m.payload)),
                                          true);
        }
    }
    if (run)
        m_traffic->count(*run, runLength);
    m_log->appendPushMessages(messages, lost);
    if (confirmedChanged && m_page && m_subscriber->state() == ConnectionState::Connected)
        m_page->setConnectionText(tr("● live · %n subscription(s)", nullptr, int(m_confirmed)),
                                  false);
}

void PubSubController::onState(ConnectionState state, const RedisError &error, int retryInMs)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (state == ConnectionState::Connected) {
        if (m_downSinceMs > 0)
            m_log->addGap(m_downSinceMs, now, m_downReason);
        m_downSinceMs = 0;
        m_wasConnected = true;
        if (m_page)
            m_page->setConnectionText(tr("● live · %n subscription(s)", nullptr, int(m_confirmed)),
                                      false);
        return;
    }
    m_confirmed = 0; // a new connection confirms its subscriptions again
    if (m_wasConnected && m_downSinceMs == 0) {
        m_downSinceMs = now;
        m_downReason = error.toString();
    }
    if (!m_page)
        return;
    switch (state) {
    case ConnectionState::WaitingToReconnect:
        m_page->setConnectionText(tr("disconnected (%1); reconnecting in %2 s")
                                      .arg(error.toString())
                                      .arg(qMax(1, (retryInMs + 999) / 1000)),
                                  true);
        break;
    case ConnectionState::Failed:
        m_page->setConnectionText(tr("cannot subscribe: %1").arg(error.toString()), true);
        break;
    default:
        m_page->setConnectionText(tr("connecting…"), false);
        break;
    }
}

void PubSubController::refreshChannels()
{
    m_commands->send({"PUBSUB", "CHANNELS"}, this, [this](const RedisResult &r) {
        if (!m_page)
            return;
        if (!r.ok() || !r.reply.isArray()) {
            m_page->setServerNote(tr("Cannot list the server's channels: %1")
                                      .arg(r.ok() ? tr("unexpected reply") : r.error.toString()),
                                  true);
            return;
        }
        QList<QByteArray> names;
        for (const auto &e : r.reply.elements())
            names << e.bytes();
        std::sort(names.begin(), names.end());
        const qsizetype all = names.size();
        names = names.mid(0, kMaxServerChannels);
        QList<QByteArray> numsub{"PUBSUB", "NUMSUB"};
        numsub += names;
        m_commands->send(numsub, this, [this, all, names](const RedisResult &n) {
            if (!m_page)
                return;
            QList<QPair<QByteArray, qint64>> channels;
            if (n.ok() && n.reply.isArray()) {
                const auto &e = n.reply.elements();
                for (size_t i = 0; i + 1 < e.size(); i += 2)
                    channels.push_back({e[i].bytes(), e[i + 1].toInteger()});
            }
            m_traffic->setServerChannels(channels);
            m_commands->send({"PUBSUB", "NUMPAT"}, this, [this, all](const RedisResult &p) {
                if (!m_page)
                    return;
                const QLocale l;
                QString note =
                    all > kMaxServerChannels
                        ? tr("%1 of %2 channels with subscribers on the server")
                              .arg(l.toString(kMaxServerChannels), l.toString(all))
                        : tr("%n channel(s) with subscribers on the server", nullptr, int(all));
                if (p.ok() && p.reply.isInteger())
                    note += tr(" · %n pattern subscription(s) (NUMPAT)", nullptr,
                               int(p.reply.toInteger()));
                note += tr(" · as of %1")
                            .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")));
                m_page->setServerNote(note, false);
            });
        });
    });
}

void PubSubController::publish(const QByteArray &channel, const QByteArray &payload)
{
    // A read-only profile's connection refuses it before it is sent.
    m_commands->send({"PUBLISH", channel, payload}, this, [this](const RedisResult &r) {
        if (!m_page)
            return;
        if (!r.ok()) {
            m_page->setPublishResult(tr("Not published: %1").arg(r.error.toString()), true);
            return;
        }
        m_page->setPublishResult(
            tr("Published; %n receiver(s) got it", nullptr, int(r.reply.toInteger())), false);
    });
}

void PubSubController::keyspacePreset()
{
    const QByteArray db = QByteArray::number(m_commands->settings().db);
    subscribe({"__keyspace@" + db + "__:*", "__keyevent@" + db + "__:*"});
    readKeyspaceSetting();
}

void PubSubController::readKeyspaceSetting()
{
    using connectors::KeyspaceNotifications;
    KeyspaceNotifications::read(
        m_commands, this, [this](const KeyspaceNotifications::Setting &setting) {
            if (!m_page)
                return;
            if (!setting.known) {
                m_page->setKeyspaceNote(
                    tr("Cannot read notify-keyspace-events (%1): key events show if the server "
                       "publishes them.")
                        .arg(setting.problem),
                    false, {}, {});
                return;
            }
            const QByteArray &flags = setting.flags;
            if (KeyspaceNotifications::suffices(flags, KeyspaceNotifications::Use::ChannelPreset)) {
                m_page->setKeyspaceNote(
                    tr("notify-keyspace-events is \"%1\".").arg(QString::fromUtf8(flags)), false,
                    flags, flags);
            } else {
                m_page->setKeyspaceNote(
                    tr("notify-keyspace-events is \"%1\": this server publishes %2.")
                        .arg(QString::fromUtf8(flags),
                             flags.isEmpty() ? tr("no key events") : tr("only some key events")),
                    true, flags,
                    KeyspaceNotifications::completed(flags,
                                                     KeyspaceNotifications::Use::ChannelPreset));
            }
        });
}

void PubSubController::changeKeyEvents(const QByteArray &value)
{
    // Refused by the connector too on a read-only profile; the page disables the button.
    connectors::KeyspaceNotifications::change(
        m_commands, value, this, [this](const RedisError &error) {
            if (!m_page)
                return;
            if (error.isError()) {
                m_page->setKeyspaceNote(
                    tr("notify-keyspace-events not changed: %1").arg(error.toString()), false, {},
                    {});
                return;
            }
            readKeyspaceSetting();
        });
}

} // namespace bd::app
