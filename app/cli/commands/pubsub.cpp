#include "../clicontext.h"
#include "codec/untrustedjson.h"
#include "redis/pushmessage.h"
#include "redis/redisglob.h"
#include "redis/replyformatter.h"

#include <QTimer>

#include <nlohmann/json.hpp>

namespace bd::app {

using connectors::PushMessage;
using connectors::RedisReply;
using connectors::ReplyFormatter;

namespace {

struct SubscribeOptions
{
    QList<QByteArray> channels;
    QList<QByteArray> patterns;
    qint64 count = 0;  // 0: no limit
    int timeoutMs = 0; // 0: none
    bool json = false;
    QString error; // a usage error
};

// Names are taken from the raw arguments (a channel may be any bytes); a name with a glob
// character is a pattern (PSUBSCRIBE), any other a channel.
SubscribeOptions parseSubscribe(const QList<QByteArray> &args)
{
    SubscribeOptions o;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QByteArray &a = args[i];
        if (a == "--json") {
            o.json = true;
        } else if (a == "--count" || a == "--timeout") {
            if (i + 1 >= args.size()) {
                o.error = QStringLiteral("%1 needs a value").arg(QString::fromLatin1(a));
                return o;
            }
            bool ok = false;
            const double value = args[++i].toDouble(&ok);
            if (!ok || value <= 0) {
                o.error = QStringLiteral("%1 takes a positive number").arg(QString::fromLatin1(a));
                return o;
            }
            if (a == "--count")
                o.count = static_cast<qint64>(value);
            else
                o.timeoutMs = static_cast<int>(value * 1000);
        } else if (connectors::isGlobPattern(a)) {
            o.patterns << a;
        } else {
            o.channels << a;
        }
    }
    if (o.channels.isEmpty() && o.patterns.isEmpty())
        o.error = QStringLiteral("subscribe needs a channel or a pattern");
    return o;
}

QByteArray formatMessage(const PushMessage &m, bool json)
{
    if (json) {
        nlohmann::json line{{"time_ms", m.receivedMs},
                            {"channel", ReplyFormatter::toJson(RedisReply::string(m.channel))},
                            {"pattern", m.kind == PushMessage::Kind::PatternMessage
                                            ? ReplyFormatter::toJson(RedisReply::string(m.pattern))
                                            : nlohmann::json()},
                            {"payload", ReplyFormatter::toJson(RedisReply::string(m.payload))}};
        return connectors::jsonToBytes(line) + '\n';
    }
    return ReplyFormatter::escapeBytes(m.channel, false).toUtf8() + '\t'
           + ReplyFormatter::escapeBytes(m.payload, false).toUtf8() + '\n';
}

} // namespace

void runSubscribe(CliContext &context, const QStringList &args)
{
    Q_UNUSED(args); // read as bytes: a channel may be any bytes
    const SubscribeOptions options = parseSubscribe(context.rawArguments());
    if (!options.error.isEmpty()) {
        context.finishWithUsageError(
            QStringLiteral("subscribe CHANNEL_OR_PATTERN… [--count N] [--timeout S] [--json]: %1")
                .arg(options.error));
        return;
    }
    // A connection of its own: a subscribed connection can do nothing else.
    connectors::ConnectionSettings settings = context.client()->settings();
    auto *subscriber = new connectors::RedisClient(settings, context.client());
    subscriber->enablePushMode();
    auto received = std::make_shared<qint64>(0);
    QObject::connect(
        subscriber, &connectors::RedisClient::stateChanged, subscriber,
        [&context](connectors::ConnectionState state, const connectors::RedisError &error, int) {
            if (state == connectors::ConnectionState::Failed)
                context.finishWithError(error.toString());
        });
    QObject::connect(
        subscriber, &connectors::RedisClient::pushMessagesAvailable, subscriber,
        [&context, subscriber, received, options] {
            quint64 dropped = 0;
            QByteArray out;
            bool done = false;
            for (const PushMessage &m : subscriber->takePushMessages(&dropped)) {
                if (m.kind == PushMessage::Kind::Error) {
                    CliContext::writeOut(out);
                    context.finishWithError(QString::fromUtf8(m.payload));
                    return;
                }
                if (m.kind != PushMessage::Kind::Message
                    && m.kind != PushMessage::Kind::PatternMessage)
                    continue;
                out += formatMessage(m, options.json);
                if (options.count > 0 && ++*received >= options.count) {
                    done = true;
                    break;
                }
            }
            CliContext::writeOut(out);
            if (dropped > 0)
                CliContext::writeErr(
                    QStringLiteral("%1 messages dropped: this process fell behind").arg(dropped));
            if (done)
                context.finish(ExitOk);
        });
    if (options.timeoutMs > 0) {
        QTimer::singleShot(options.timeoutMs, subscriber, [&context, received, options] {
            if (options.count > 0)
                context.finishWithError(
                    QStringLiteral("timed out after %1 s with %2 of %3 messages")
                        .arg(options.timeoutMs / 1000.0)
                        .arg(*received)
                        .arg(options.count));
            else
                context.finish(ExitOk); // a capture for a set time
        });
    }
    subscriber->open();
    if (!options.channels.isEmpty())
        subscriber->send(QList<QByteArray>{"SUBSCRIBE"} + options.channels, nullptr, {});
    if (!options.patterns.isEmpty())
        subscriber->send(QList<QByteArray>{"PSUBSCRIBE"} + options.patterns, nullptr, {});
}

void runPublish(CliContext &context, const QStringList &args)
{
    Q_UNUSED(args); // read as bytes
    const QList<QByteArray> &raw = context.rawArguments();
    if (raw.size() != 2) {
        context.finishWithUsageError(
            QStringLiteral("publish takes a channel and a message: publish CHANNEL MESSAGE"));
        return;
    }
    // Prints the number of clients that received it.
    context.client()->send(
        {"PUBLISH", raw[0], raw[1]}, nullptr,
        [&context](const connectors::RedisResult &r) { context.finishWithResult(r); });
}

} // namespace bd::app
