#include "../clicontext.h"
#include "celery/rediscelerybroker.h"
#include "codec/untrustedjson.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <memory>

namespace bd::app {

using connectors::CeleryEvent;

namespace {

QByteArray timeText(double epochSeconds)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(epochSeconds * 1000), Qt::UTC)
        .toString(Qt::ISODateWithMs)
        .toUtf8();
}

nlohmann::json eventJson(const CeleryEvent &e)
{
    nlohmann::json out{{"type", e.type.toStdString()},
                       {"hostname", e.hostname.toStdString()},
                       {"timestamp", e.timestamp},
                       {"clock", e.clock},
                       {"pid", e.pid}};
    const auto text = [&out](const char *name, const QString &value) {
        if (!value.isEmpty())
            out[name] = value.toStdString();
    };
    text("uuid", e.uuid);
    text("name", e.name);
    text("args", e.args);
    text("kwargs", e.kwargs);
    text("root_id", e.rootId);
    text("parent_id", e.parentId);
    text("eta", e.eta);
    text("expires", e.expires);
    text("queue", e.queue);
    text("routing_key", e.routingKey);
    text("result", e.result);
    text("exception", e.exception);
    text("traceback", e.traceback);
    text("signum", e.signum);
    if (e.retries >= 0)
        out["retries"] = e.retries;
    if (e.runtime >= 0)
        out["runtime"] = e.runtime;
    if (e.type == QLatin1String("task-revoked")) {
        out["terminated"] = e.terminated;
        out["expired"] = e.expired;
    }
    if (e.isWorkerEvent()) {
        out["freq"] = e.freq;
        out["active"] = e.active;
        out["processed"] = e.processed;
        nlohmann::json load = nlohmann::json::array();
        for (double l : e.loadavg)
            load.push_back(l);
        out["loadavg"] = load;
        text("sw_ver", e.swVer);
    }
    if (e.malformed) {
        nlohmann::json fields = nlohmann::json::array();
        for (const QString &f : e.malformedFields())
            fields.push_back(f.toStdString());
        out["malformed"] = fields;
    }
    return out;
}

// time, type, hostname, then what the event adds: task id and name, or the worker's counts.
QByteArray eventLine(const CeleryEvent &e)
{
    QByteArray line = timeText(e.timestamp) + '\t' + e.type.toUtf8() + '\t' + e.hostname.toUtf8();
    if (e.isTaskEvent()) {
        line += '\t' + e.uuid.toUtf8();
        if (!e.name.isEmpty())
            line += '\t' + e.name.toUtf8() + ' ' + e.args.toUtf8() + ' ' + e.kwargs.toUtf8();
        if (!e.exception.isEmpty())
            line += '\t' + e.exception.toUtf8();
        else if (!e.result.isEmpty())
            line += "\t-> " + e.result.toUtf8();
    } else if (e.isWorkerEvent()) {
        line += "\tactive=" + QByteArray::number(e.active)
                + " processed=" + QByteArray::number(e.processed);
    }
    line.replace('\n', ' ');
    return line + '\n';
}

} // namespace

void runEvents(CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QString()});
    parser.addOption({QStringLiteral("key-prefix"), QString(), QStringLiteral("P")});
    parser.addOption(
        {QStringLiteral("count"), QString(), QStringLiteral("N"), QStringLiteral("0")});
    parser.addOption(
        {QStringLiteral("timeout"), QString(), QStringLiteral("S"), QStringLiteral("0")});
    const QString usage =
        QStringLiteral("events [--count N] [--timeout S] [--key-prefix P] [--json]");
    bool countOk = false;
    bool timeoutOk = false;
    const bool parsed = parser.parse(QStringList{QStringLiteral("events")} + args)
                        && parser.positionalArguments().isEmpty();
    const qint64 count = parser.value(QStringLiteral("count")).toLongLong(&countOk);
    const double timeout = parser.value(QStringLiteral("timeout")).toDouble(&timeoutOk);
    if (!parsed || !countOk || !timeoutOk || count < 0 || timeout < 0) {
        context.finishWithUsageError(QStringLiteral("%1: %2").arg(
            usage,
            parser.errorText().isEmpty() ? QStringLiteral("wrong arguments") : parser.errorText()));
        return;
    }
    if (parser.isSet(QStringLiteral("json")))
        context.setOutput(CliContext::Output::Json);
    auto *broker = new connectors::RedisCeleryBroker(
        context.client(), parser.value(QStringLiteral("key-prefix")).toUtf8(), context.client());
    auto printed = std::make_shared<qint64>(0);
    QObject::connect(broker, &connectors::CeleryBroker::eventsArrived, broker,
                     [&context, printed, count](const QList<CeleryEvent> &events) {
                         QByteArray out;
                         bool done = false;
                         for (const CeleryEvent &e : events) {
                             out += context.json() ? connectors::jsonToBytes(eventJson(e)) + '\n'
                                                   : eventLine(e);
                             if (count > 0 && ++*printed >= count) {
                                 done = true;
                                 break;
                             }
                         }
                         CliContext::writeOut(out);
                         if (done)
                             context.finish(ExitOk);
                     });
    QObject::connect(broker, &connectors::CeleryBroker::eventsProblem, broker,
                     [](const connectors::RedisError &error) {
                         CliContext::writeErr(QStringLiteral("events: %1").arg(error.toString()));
                     });
    if (timeout > 0) {
        QTimer::singleShot(int(timeout * 1000), broker, [&context, printed, count, timeout] {
            if (count > 0)
                context.finishWithError(QStringLiteral("timed out after %1 s with %2 of %3 events")
                                            .arg(timeout)
                                            .arg(*printed)
                                            .arg(count));
            else
                context.finish(ExitOk); // a capture for a set time
        });
    }
    broker->followEvents(true);
}

} // namespace bd::app
