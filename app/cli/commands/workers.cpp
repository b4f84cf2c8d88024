#include "../clicontext.h"
#include "audit/auditlog.h"
#include "celery/rediscelerybroker.h"
#include "celery/workerinspection.h"
#include "codec/untrustedjson.h"
#include "redis/redisurl.h"

#include <QCommandLineParser>

#include <nlohmann/json.hpp>

#include <memory>

namespace bd::app {

using connectors::CeleryControlReply;
using connectors::RedisCeleryBroker;
using connectors::RedisError;
using connectors::WorkerInspection;

namespace {

constexpr double kDefaultTimeoutS = 1.0; // celery inspect's own default

// Parses the options every worker command takes; false (and finished) on misuse.
bool parse(CliContext &context, QCommandLineParser &parser, const QString &name,
           const QStringList &args, const QString &usage, qsizetype positional, int *timeoutMs)
{
    parser.addOption({QStringLiteral("json"), QString()});
    parser.addOption({QStringLiteral("key-prefix"), QString(), QStringLiteral("P")});
    parser.addOption({QStringLiteral("timeout"), QString(), QStringLiteral("S"),
                      QString::number(kDefaultTimeoutS)});
    const bool parsed =
        parser.parse(QStringList{name} + args) && parser.positionalArguments().size() == positional;
    bool number = false;
    const double seconds = parser.value(QStringLiteral("timeout")).toDouble(&number);
    if (!parsed || !number || seconds <= 0 || seconds > 600) {
        context.finishWithUsageError(QStringLiteral("%1: %2").arg(
            usage, parser.errorText().isEmpty() ? QStringLiteral("wrong arguments (--timeout: "
                                                                 "0 to 600 seconds)")
                                                : parser.errorText()));
        return false;
    }
    *timeoutMs = int(seconds * 1000);
    if (parser.isSet(QStringLiteral("json")))
        context.setOutput(CliContext::Output::Json);
    return true;
}

nlohmann::json toJson(const QStringList &list)
{
    nlohmann::json out = nlohmann::json::array();
    for (const QString &s : list)
        out.push_back(s.toStdString());
    return out;
}

// An --arg value: JSON where it reads as JSON, else the text itself.
nlohmann::json argumentValue(const QString &text)
{
    auto parsed = connectors::parseUntrustedJson(text.toUtf8());
    return parsed.ok() ? parsed.value : nlohmann::json(text.toStdString());
}

} // namespace

void runWorkers(CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    int timeoutMs = 0;
    if (!parse(context, parser, QStringLiteral("workers"), args,
               QStringLiteral("workers [--timeout S] [--key-prefix P] [--json]"), 0, &timeoutMs))
        return;
    auto *broker = new RedisCeleryBroker(
        context.client(), parser.value(QStringLiteral("key-prefix")).toUtf8(), context.client());
    struct Gathered
    {
        QHash<QString, WorkerInspection> workers;
        int waiting = 0;
        QString error;
    };
    auto gathered = std::make_shared<Gathered>();
    const QStringList methods{QStringLiteral("ping"), QStringLiteral("stats"),
                              QStringLiteral("active_queues"), QStringLiteral("registered"),
                              QStringLiteral("active")};
    gathered->waiting = int(methods.size());
    const auto done = [&context, gathered] {
        if (!gathered->error.isEmpty()) {
            context.finishWithError(gathered->error);
            return;
        }
        QStringList names = gathered->workers.keys();
        names.sort();
        if (names.isEmpty()) {
            context.finishWithError(QStringLiteral("no worker answered"));
            return;
        }
        nlohmann::json list = nlohmann::json::array();
        QByteArray out;
        for (const QString &name : names) {
            const WorkerInspection &w = gathered->workers[name];
            const bool online = w.hasAnswered(QStringLiteral("ping"));
            if (context.json()) {
                list.push_back({{"hostname", name.toStdString()},
                                {"online", online},
                                {"pool", w.pool.toStdString()},
                                {"concurrency", w.concurrency},
                                {"processed", w.processed},
                                {"active", w.active},
                                {"queues", toJson(w.queues)},
                                {"registered", toJson(w.registered)},
                                {"broker", w.broker.toStdString()},
                                {"pid", w.pid},
                                {"prefetch_count", w.prefetchCount}});
                continue;
            }
            // hostname, online, pool, concurrency, processed, active, queues, registered
            const auto number = [](qint64 n) {
                return n < 0 ? QByteArray("-") : QByteArray::number(n);
            };
            out += name.toUtf8() + '\t' + (online ? "online" : "not answering") + '\t'
                   + (w.pool.isEmpty() ? QByteArray("-") : w.pool.toUtf8()) + '\t'
                   + number(w.concurrency) + '\t' + number(w.processed) + '\t' + number(w.active)
                   + '\t' + w.queues.join(QLatin1Char(',')).toUtf8() + '\t'
                   + w.registered.join(QLatin1Char(',')).toUtf8() + '\n';
        }
        if (context.json()) {
            context.finishWithJson(list);
            return;
        }
        CliContext::writeOut(out);
        context.finish(ExitOk);
    };
    for (const QString &method : methods) {
        nlohmann::json arguments = nlohmann::json::object();
        if (method == QLatin1String("registered"))
            arguments["taskinfoitems"] = {"rate_limit"};
        broker->control(method, arguments, {}, timeoutMs, broker,
                        [gathered, method, done](const QList<CeleryControlReply> &replies,
                                                 const RedisError &error) {
                            if (error.isError() && gathered->error.isEmpty())
                                gathered->error = error.toString();
                            connectors::takeInspectReplies(gathered->workers, method, replies);
                            if (--gathered->waiting == 0)
                                done();
                        });
    }
}

void runControl(CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("destination"), QString(), QStringLiteral("HOST")});
    parser.addOption({QStringLiteral("arg"), QString(), QStringLiteral("KEY=VALUE")});
    int timeoutMs = 0;
    const QString usage =
        QStringLiteral("control METHOD [--destination HOST]… [--arg KEY=VALUE]… [--timeout S] "
                       "[--key-prefix P] [--json]");
    if (!parse(context, parser, QStringLiteral("control"), args, usage, 1, &timeoutMs))
        return;
    const QString method = parser.positionalArguments().first();
    nlohmann::json arguments = nlohmann::json::object();
    for (const QString &pair : parser.values(QStringLiteral("arg"))) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            context.finishWithUsageError(
                QStringLiteral("%1: --arg takes KEY=VALUE, not \"%2\"").arg(usage, pair));
            return;
        }
        arguments[pair.left(eq).toStdString()] = argumentValue(pair.mid(eq + 1));
    }
    if (method == QLatin1String("registered") && !arguments.contains("taskinfoitems"))
        arguments["taskinfoitems"] = {"rate_limit"};
    const QStringList destination = parser.values(QStringLiteral("destination"));
    auto *broker = new RedisCeleryBroker(
        context.client(), parser.value(QStringLiteral("key-prefix")).toUtf8(), context.client());
    broker->control(
        method, arguments, destination, timeoutMs, broker,
        [&context, method, arguments, destination](const QList<CeleryControlReply> &replies,
                                                   const RedisError &error) {
            if (!connectors::isInspectMethod(method)) {
                // A change to workers is audited, with every reply (never a password: the
                // display URL has none).
                QStringList outcome;
                for (const CeleryControlReply &r : replies)
                    outcome << r.node + QStringLiteral(": ")
                                   + connectors::controlReplyText(r.answer);
                if (error.isError())
                    outcome << QStringLiteral("failed: ") + error.toString();
                else if (replies.isEmpty())
                    outcome << QStringLiteral("no worker answered");
                const connectors::AuditLog log(connectors::AuditLog::defaultPath());
                if (!log.append(
                        {QStringLiteral("brokerdesk-cli ")
                             + connectors::RedisUrl::toDisplayUrl(context.client()->settings()),
                         QStringLiteral("control %1 %2")
                             .arg(method, connectors::jsonToText(arguments)),
                         destination.isEmpty() ? QStringLiteral("all workers")
                                               : destination.join(QLatin1String(", ")),
                         {},
                         outcome.join(QLatin1String("; "))}))
                    CliContext::writeErr(
                        QStringLiteral("warning: not written to the audit log %1").arg(log.path()));
            }
            if (error.isError()) {
                context.finishWithError(error.toString());
                return;
            }
            QList<CeleryControlReply> sorted = replies;
            std::sort(sorted.begin(), sorted.end(),
                      [](const CeleryControlReply &a, const CeleryControlReply &b) {
                          return a.node < b.node;
                      });
            if (context.json()) {
                nlohmann::json out = nlohmann::json::object();
                for (const CeleryControlReply &r : sorted)
                    out[r.node.toStdString()] = connectors::withoutSecrets(r.answer);
                CliContext::writeOut(connectors::jsonToBytes(out) + '\n');
            } else {
                QByteArray out;
                for (const CeleryControlReply &r : sorted)
                    out += r.node.toUtf8() + '\t'
                           + connectors::controlReplyText(connectors::withoutSecrets(r.answer))
                                 .toUtf8()
                           + '\n';
                CliContext::writeOut(out);
            }
            if (replies.isEmpty()) {
                context.finishWithError(QStringLiteral("no worker answered"));
                return;
            }
            context.finish(ExitOk);
        });
}

} // namespace bd::app
