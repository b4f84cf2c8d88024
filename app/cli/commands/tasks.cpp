#include "audit/auditlog.h"
#include "celery/celeryresultfollower.h"
#include "celery/celerytaskencoder.h"
#include "codec/untrustedjson.h"
#include "redis/redisurl.h"
#include "taskcalls.h"

#include <QCommandLineParser>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace bd::app {

using connectors::CeleryResultFollower;
using connectors::CeleryTaskRequest;
using connectors::CeleryTaskResult;
using connectors::RedisError;
using connectors::RedisResult;

namespace {

constexpr int kResultTimeoutMs = 10000; // result: the backend must answer within this

QByteArray resultText(const CeleryTaskResult &r)
{
    QByteArray line = r.status.toUtf8();
    if (!r.result.is_null())
        line += ' ' + connectors::jsonToBytes(r.result);
    line += '\n';
    if (!r.traceback.isEmpty())
        line += r.traceback.toUtf8() + (r.traceback.endsWith(QLatin1Char('\n')) ? "" : "\n");
    if (!r.error.isEmpty())
        line += r.error.toUtf8() + '\n';
    return line;
}

nlohmann::json resultJson(const CeleryTaskResult &r)
{
    return {{"id", r.taskId.toStdString()},
            {"status", r.status.toStdString()},
            {"result", r.result},
            {"traceback",
             r.traceback.isEmpty() ? nlohmann::json() : nlohmann::json(r.traceback.toStdString())},
            {"date_done",
             r.dateDone.isEmpty() ? nlohmann::json() : nlohmann::json(r.dateDone.toStdString())}};
}

// Follows a task until a final state or timeoutMs (0: report the state now); prints it.
void follow(CliContext &context, const connectors::ConnectionSettings &backend, const QString &id,
            int timeoutMs, bool finalOnly)
{
    followTask(context, backend, id, timeoutMs, finalOnly, [&context](const CeleryTaskResult &r) {
        if (context.json())
            CliContext::writeOut(connectors::jsonToBytes(resultJson(r)) + '\n');
        else
            CliContext::writeOut(resultText(r));
        context.finish(r.failed() ? ExitOperationalError : ExitOk);
    });
}

} // namespace

// The result backend: --backend URL, or the broker's connection settings.
bool backendSettings(CliContext &context, const QCommandLineParser &parser,
                     connectors::ConnectionSettings *out)
{
    if (!parser.isSet(QStringLiteral("backend"))) {
        *out = context.client()->settings();
        return true;
    }
    const connectors::RedisUrl url =
        connectors::RedisUrl::parse(parser.value(QStringLiteral("backend")));
    if (!url.ok) {
        context.finishWithUsageError(QStringLiteral("--backend: %1").arg(url.error));
        return false;
    }
    *out = url.settings;
    return true;
}

void followTask(CliContext &context, const connectors::ConnectionSettings &backend,
                const QString &id, int timeoutMs, bool finalOnly,
                std::function<void(const CeleryTaskResult &)> onState)
{
    auto *follower = new CeleryResultFollower(backend, id, context.client());
    QObject::connect(follower, &CeleryResultFollower::stateChanged, follower,
                     [onState, finalOnly](const CeleryTaskResult &r) {
                         if (!finalOnly || r.isFinal())
                             onState(r);
                     });
    QObject::connect(follower, &CeleryResultFollower::failed, follower,
                     [&context](const RedisError &e) { context.finishWithError(e.toString()); });
    if (timeoutMs > 0) {
        QTimer::singleShot(timeoutMs, follower, [&context, follower, timeoutMs] {
            context.finishWithError(QStringLiteral("no final state after %1 s (now %2)")
                                        .arg(timeoutMs / 1000.0)
                                        .arg(follower->current().status));
        });
    }
    follower->start();
}

void publishTask(CliContext &context, const CeleryTaskRequest &request,
                 const connectors::EncodedCeleryTask &task,
                 std::function<void(const RedisResult &)> done)
{
    // One LPUSH, sent once: a connection lost after sending it is reported, never retried
    // (the message may have arrived).
    context.client()->send(
        {"LPUSH", task.listKey, task.envelope}, nullptr,
        [&context, task, request, done = std::move(done)](const RedisResult &r) {
            // Sends are audited, as the console's are (never a password:
            // the display URL has none).
            const connectors::AuditLog log(connectors::AuditLog::defaultPath());
            const bool audited =
                log.append({QStringLiteral("brokerdesk-cli ")
                                + connectors::RedisUrl::toDisplayUrl(context.client()->settings()),
                            QStringLiteral("send"),
                            request.queue,
                            {task.id},
                            r.ok() ? QStringLiteral("sent %1").arg(request.task)
                                   : QStringLiteral("failed: %1").arg(r.error.toString())});
            if (!audited)
                CliContext::writeErr(
                    QStringLiteral("warning: not written to the audit log %1").arg(log.path()));
            done(r);
        });
}

void runSend(CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    const QString usage =
        QStringLiteral("send TASK [--args JSON] [--kwargs JSON] [--queue Q] [--priority P] "
                       "[--countdown S | --eta ISO] [--expires S] [--wait S] [--backend URL] "
                       "[--key-prefix P] [--json]");
    for (const char *name : {"args", "kwargs", "queue", "priority", "countdown", "eta", "expires",
                             "wait", "backend", "key-prefix"})
        parser.addOption({QString::fromLatin1(name), QString(), QStringLiteral("V")});
    parser.addOption({QStringLiteral("json"), QString()});
    if (!parser.parse(QStringList{QStringLiteral("send")} + args)
        || parser.positionalArguments().size() != 1) {
        context.finishWithUsageError(usage);
        return;
    }
    if (parser.isSet(QStringLiteral("json")))
        context.setOutput(CliContext::Output::Json);
    CeleryTaskRequest request;
    request.task = parser.positionalArguments().first();
    // Empty when the option is absent or valid JSON; otherwise where and why it is not.
    const auto jsonOption = [&parser](const char *name, nlohmann::json *out) {
        if (!parser.isSet(QString::fromLatin1(name)))
            return QString();
        auto parsed =
            connectors::parseUntrustedJson(parser.value(QString::fromLatin1(name)).toUtf8());
        *out = std::move(parsed.value);
        return parsed.ok() ? QString()
                           : QStringLiteral("--%1 is not valid JSON at %2")
                                 .arg(QLatin1String(name), parsed.error.toString());
    };
    for (const auto &[name, value] :
         {std::pair{"args", &request.args}, std::pair{"kwargs", &request.kwargs}}) {
        const QString problem = jsonOption(name, value);
        if (!problem.isEmpty()) {
            context.finishWithUsageError(problem);
            return;
        }
    }
    if (parser.isSet(QStringLiteral("queue")))
        request.queue = parser.value(QStringLiteral("queue"));
    bool ok = true;
    if (parser.isSet(QStringLiteral("priority")))
        request.priority = parser.value(QStringLiteral("priority")).toInt(&ok);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (ok && parser.isSet(QStringLiteral("countdown")) && parser.isSet(QStringLiteral("eta")))
        ok = false;
    if (ok && parser.isSet(QStringLiteral("countdown")))
        request.eta =
            now.addMSecs(qint64(parser.value(QStringLiteral("countdown")).toDouble(&ok) * 1000));
    if (ok && parser.isSet(QStringLiteral("eta"))) {
        request.eta = QDateTime::fromString(parser.value(QStringLiteral("eta")), Qt::ISODateWithMs);
        ok = request.eta->isValid()
             && request.eta->timeSpec() != Qt::LocalTime; // an offset is required
    }
    if (ok && parser.isSet(QStringLiteral("expires")))
        request.expires =
            now.addMSecs(qint64(parser.value(QStringLiteral("expires")).toDouble(&ok) * 1000));
    double waitSeconds = 0;
    if (ok && parser.isSet(QStringLiteral("wait")))
        waitSeconds = parser.value(QStringLiteral("wait")).toDouble(&ok);
    connectors::ConnectionSettings backend;
    if (!ok || waitSeconds < 0) {
        context.finishWithUsageError(
            usage
            + QStringLiteral(": a number for --priority, --countdown, --expires, "
                             "--wait; an ISO time with an offset for --eta; "
                             "not both --countdown and --eta"));
        return;
    }
    if (!backendSettings(context, parser, &backend))
        return;
    const connectors::EncodedCeleryTask task = connectors::encodeCeleryTask(
        request, parser.value(QStringLiteral("key-prefix")).toUtf8(), now);
    if (!task.ok) {
        context.finishWithUsageError(QStringLiteral("not sent: %1").arg(task.error));
        return;
    }
    publishTask(
        context, request, task, [&context, task, waitSeconds, backend](const RedisResult &r) {
            if (!r.ok()) {
                context.finishWithError(QStringLiteral("not sent: %1").arg(r.error.toString()));
                return;
            }
            if (waitSeconds <= 0) {
                CliContext::writeOut(context.json() ? connectors::jsonToBytes(nlohmann::json{
                                                          {"id", task.id.toStdString()}})
                                                          + '\n'
                                                    : task.id.toUtf8() + '\n');
                context.finish(ExitOk);
                return;
            }
            if (!context.json())
                CliContext::writeOut(task.id.toUtf8() + '\n');
            follow(context, backend, task.id, int(waitSeconds * 1000), true);
        });
}

void runResult(CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("backend"), QString(), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("json"), QString()});
    if (!parser.parse(QStringList{QStringLiteral("result")} + args)
        || parser.positionalArguments().size() != 1) {
        context.finishWithUsageError(QStringLiteral("result TASK_ID [--backend URL] [--json]"));
        return;
    }
    if (parser.isSet(QStringLiteral("json")))
        context.setOutput(CliContext::Output::Json);
    connectors::ConnectionSettings backend;
    if (!backendSettings(context, parser, &backend))
        return;
    follow(context, backend, parser.positionalArguments().first(), kResultTimeoutMs, false);
}

} // namespace bd::app
