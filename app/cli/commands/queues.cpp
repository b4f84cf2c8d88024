#include "../clicontext.h"
#include "celery/celerytaskmessage.h"
#include "celery/rediscelerybroker.h"
#include "codec/untrustedjson.h"
#include "redis/replyformatter.h"

#include <QCommandLineParser>

#include <nlohmann/json.hpp>

namespace bd::app {

using connectors::CeleryQueueInfo;
using connectors::CeleryQueuePage;
using connectors::CeleryTaskMessage;
using connectors::RedisCeleryBroker;
using connectors::RedisError;
using connectors::ReplyFormatter;

namespace {

constexpr int kSteps[4] = {0, 3, 6, 9};

// Parses "NAME [--json] [--key-prefix P] [extra…]"; returns false (and finishes) on misuse.
bool parse(CliContext &context, QCommandLineParser &parser, const QString &name,
           const QStringList &args, const QString &usage, qsizetype positional)
{
    parser.addOption({QStringLiteral("json"), QString()});
    parser.addOption({QStringLiteral("key-prefix"), QString(), QStringLiteral("P")});
    if (!parser.parse(QStringList{name} + args)
        || parser.positionalArguments().size() != positional) {
        context.finishWithUsageError(QStringLiteral("%1: %2").arg(
            usage,
            parser.errorText().isEmpty() ? QStringLiteral("wrong arguments") : parser.errorText()));
        return false;
    }
    if (parser.isSet(QStringLiteral("json")))
        context.setOutput(CliContext::Output::Json);
    return true;
}

nlohmann::json messageJson(qint64 position, int step, const QByteArray &raw)
{
    const CeleryTaskMessage m = connectors::decodeCeleryTaskMessage(raw);
    nlohmann::json out{{"position", position}, {"priority_step", step}, {"size", raw.size()}};
    if (!m.isTask) {
        out["undecodable"] = m.error.toStdString();
        out["raw"] = ReplyFormatter::toJson(connectors::RedisReply::string(raw));
        return out;
    }
    out["task"] = m.task.toStdString();
    out["id"] = m.id.toStdString();
    out["protocol"] = m.protocol;
    out["args"] = m.argsDecoded ? m.args : nlohmann::json();
    out["kwargs"] = m.argsDecoded ? m.kwargs : nlohmann::json();
    out["argsrepr"] = m.argsRepr.toStdString();
    out["kwargsrepr"] = m.kwargsRepr.toStdString();
    out["eta"] = m.eta.isEmpty() ? nlohmann::json() : nlohmann::json(m.eta.toStdString());
    out["expires"] =
        m.expires.isEmpty() ? nlohmann::json() : nlohmann::json(m.expires.toStdString());
    out["retries"] = m.retries;
    out["priority"] = m.priority;
    out["content_type"] = m.envelope.contentType.toStdString();
    out["origin"] = m.origin.toStdString();
    if (!m.bodyError.isEmpty())
        out["body_error"] = m.bodyError.toStdString();
    nlohmann::json next = nlohmann::json::array();
    for (const auto &s : m.nextSteps)
        next.push_back(s.task.toStdString());
    out["next_steps"] = next;
    return out;
}

} // namespace

void runQueues(CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    if (!parse(context, parser, QStringLiteral("queues"), args,
               QStringLiteral("queues [--key-prefix P] [--json]"), 0))
        return;
    auto *broker = new RedisCeleryBroker(
        context.client(), parser.value(QStringLiteral("key-prefix")).toUtf8(), context.client());
    broker->listQueues(
        broker, [&context](const QList<CeleryQueueInfo> &queues, const RedisError &error) {
            if (error.isError()) {
                context.finishWithError(error.toString());
                return;
            }
            if (context.json()) {
                nlohmann::json list = nlohmann::json::array();
                for (const CeleryQueueInfo &q : queues) {
                    nlohmann::json byStep;
                    for (int i = 0; i < 4; ++i)
                        byStep[std::to_string(kSteps[i])] = q.byStep[size_t(i)];
                    list.push_back(
                        {{"name", ReplyFormatter::toJson(connectors::RedisReply::string(q.name))},
                         {"depth", q.depth()},
                         {"by_priority", byStep},
                         {"declared", q.declared}});
                }
                context.finishWithJson(list);
                return;
            }
            QByteArray out;
            for (const CeleryQueueInfo &q : queues) {
                out += ReplyFormatter::escapeBytes(q.name, false).toUtf8() + '\t'
                       + QByteArray::number(q.depth());
                for (qint64 n : q.byStep)
                    out += '\t' + QByteArray::number(n);
                out += '\n';
            }
            CliContext::writeOut(out);
            context.finish(ExitOk);
        });
}

void runPeek(CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("limit"), QString(), QStringLiteral("N"), QStringLiteral("20")});
    parser.addOption(
        {QStringLiteral("offset"), QString(), QStringLiteral("N"), QStringLiteral("0")});
    const QString usage =
        QStringLiteral("peek QUEUE [--limit N] [--offset N] [--key-prefix P] [--json]");
    if (!parse(context, parser, QStringLiteral("peek"), args, usage, 1))
        return;
    bool okLimit = false;
    bool okOffset = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&okLimit);
    const qint64 offset = parser.value(QStringLiteral("offset")).toLongLong(&okOffset);
    if (!okLimit || !okOffset || limit <= 0 || limit > 100000 || offset < 0) {
        context.finishWithUsageError(usage
                                     + QStringLiteral(": --limit 1 to 100000, --offset 0 or more"));
        return;
    }
    // The queue's name as typed, bytes included (rawArguments holds them exactly).
    QByteArray queue = parser.positionalArguments().first().toUtf8();
    for (const QByteArray &raw : context.rawArguments()) {
        if (QString::fromUtf8(raw) == parser.positionalArguments().first())
            queue = raw;
    }
    auto *broker = new RedisCeleryBroker(
        context.client(), parser.value(QStringLiteral("key-prefix")).toUtf8(), context.client());
    broker->peek(
        queue, offset, limit, broker,
        [&context](const CeleryQueuePage &page, const RedisError &error) {
            if (error.isError()) {
                context.finishWithError(error.toString());
                return;
            }
            QByteArray out;
            for (qsizetype i = 0; i < page.messages.size(); ++i) {
                const nlohmann::json m =
                    messageJson(page.offset + i, page.steps[i], page.messages[i]);
                if (context.json()) {
                    out += connectors::jsonToBytes(m) + '\n';
                    continue;
                }
                // position, task, id, args (JSON, or the repr when the body is not read), kwargs,
                // ETA
                if (m.contains("undecodable")) {
                    out += QByteArray::number(page.offset + i) + "\t(undecodable: "
                           + QByteArray::fromStdString(m["undecodable"].get<std::string>()) + ")\n";
                    continue;
                }
                const auto field = [&m](const char *json, const char *repr) {
                    return m[json].is_null() ? QByteArray::fromStdString(m[repr].get<std::string>())
                                             : connectors::jsonToBytes(m[json]);
                };
                out +=
                    QByteArray::number(page.offset + i) + '\t'
                    + QByteArray::fromStdString(m["task"].get<std::string>()) + '\t'
                    + QByteArray::fromStdString(m["id"].get<std::string>()) + '\t'
                    + field("args", "argsrepr") + '\t' + field("kwargs", "kwargsrepr") + '\t'
                    + (m["eta"].is_null() ? QByteArray("-")
                                          : QByteArray::fromStdString(m["eta"].get<std::string>()))
                    + '\n';
            }
            CliContext::writeOut(out);
            context.finish(ExitOk);
        });
}

} // namespace bd::app
