#include "clicontext.h"

#include "codec/untrustedjson.h"
#include "redis/replyformatter.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace bd::app {

using connectors::RedisResult;
using connectors::ReplyFormatter;

CliContext::CliContext(connectors::RedisClient *client, Output output)
    : m_client(client)
    , m_output(output)
{}

void CliContext::writeOut(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
}

void CliContext::writeErr(const QString &line)
{
    const QByteArray bytes = QByteArrayLiteral("brokerdesk-cli: ") + line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
}

void CliContext::finishWithResult(const RedisResult &result, bool rawText)
{
    if (!result.ok()) {
        finishWithError(result.error.kind == connectors::RedisError::Kind::ServerError
                            ? QStringLiteral("(error) ") + result.error.message
                            : result.error.toString());
        return;
    }
    const Output output =
        rawText && m_output == Output::Cli && result.reply.isString() ? Output::Raw : m_output;
    switch (output) {
    case Output::Cli:
        writeOut(ReplyFormatter::toCliText(result.reply, {std::numeric_limits<qsizetype>::max(),
                                                          std::numeric_limits<qsizetype>::max()})
                     .toUtf8()
                 + '\n');
        break;
    case Output::Raw: {
        const QByteArray raw = ReplyFormatter::toRaw(result.reply);
        writeOut(raw.endsWith('\n') ? raw : raw + '\n');
        break;
    }
    case Output::Json:
        finishWithJson(ReplyFormatter::toJson(result.reply));
        return;
    }
    finish(ExitOk);
}

void CliContext::finishWithJson(const nlohmann::json &json)
{
    writeOut(connectors::jsonToBytes(json) + '\n');
    finish(ExitOk);
}

void CliContext::finishWithError(const QString &message)
{
    QString line = message;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    writeErr(line);
    finish(ExitOperationalError);
}

void CliContext::finishWithUsageError(const QString &message)
{
    writeErr(message);
    finish(ExitUsageError);
}

void CliContext::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    std::fflush(stdout);
    QCoreApplication::exit(exitCode);
}

const QList<CliCommand> &cliCommands()
{
    static const QList<CliCommand> commands = {
        {QStringLiteral("ping"), QStringLiteral("ping"),
         QStringLiteral("Checks the connection; prints PONG."), &runPing},
        {QStringLiteral("exec"), QStringLiteral("exec CMD [ARG…]"),
         QStringLiteral("Runs one Redis command and prints the reply as redis-cli does."),
         &runExec},
        {QStringLiteral("keys"),
         QStringLiteral("keys [--match GLOB] [--type T] [--limit N] [--json]"),
         QStringLiteral(
             "Lists keys (SCAN): key (escaped), type and TTL in ms (-1 none), tab-separated."),
         &runKeys},
        {QStringLiteral("ttl"), QStringLiteral("ttl KEY [--json]"),
         QStringLiteral("Prints a key's TTL in ms (-1: no TTL); exit 1 if there is no such key."),
         &runTtl},
        {QStringLiteral("subscribe"),
         QStringLiteral("subscribe CHANNEL_OR_PATTERN… [--count N] [--timeout S] [--json]"),
         QStringLiteral(
             "Prints messages as they come, one per line: channel and payload (escaped), "
             "tab-separated; a name with * ? [ is a pattern."),
         &runSubscribe},
        {QStringLiteral("publish"), QStringLiteral("publish CHANNEL MESSAGE"),
         QStringLiteral("Publishes a message; prints the number of clients that received it."),
         &runPublish},
        {QStringLiteral("queues"), QStringLiteral("queues [--key-prefix P] [--json]"),
         QStringLiteral(
             "Lists Celery queues (kombu bindings): name, depth, then the lengths of the priority "
             "0, 3, 6 and 9 lists, tab-separated."),
         &runQueues},
        {QStringLiteral("peek"),
         QStringLiteral("peek QUEUE [--limit N] [--offset N] [--key-prefix P] [--json]"),
         QStringLiteral(
             "Shows the next messages of a queue without taking them, next first: position, task, "
             "id, args, kwargs, ETA."),
         &runPeek},
        {QStringLiteral("send"),
         QStringLiteral("send TASK [--args JSON] [--kwargs JSON] [--queue Q] [--priority P] "
                        "[--countdown S | --eta ISO] "
                        "[--expires S] [--wait S] [--backend URL]"),
         QStringLiteral("Sends a task message a stock Celery worker runs; prints its id, and with "
                        "--wait its final "
                        "state and result or traceback (exit 1 if it failed)."),
         &runSend},
        {QStringLiteral("result"), QStringLiteral("result TASK_ID [--backend URL] [--json]"),
         QStringLiteral(
             "Prints a task's state from the result backend (PENDING when nothing is stored), with "
             "its result or traceback."),
         &runResult},
        {QStringLiteral("data"),
         QStringLiteral(
             "data NAME [--json | --csv] [--filter COLUMN=TEXT]... [--refresh [--wait S]] "
             "[--backend URL]"),
         QStringLiteral(
             "Prints a dataset's records (employees, registry, or one of "
             "~/.config/Brokerdesk/datasets.json); with --refresh sends its refresh task, "
             "waits for it and prints what changed (exit 1 if it failed)."),
         &runData},
        {QStringLiteral("workers"),
         QStringLiteral("workers [--timeout S] [--key-prefix P] [--json]"),
         QStringLiteral(
             "Asks every Celery worker (ping, stats, active_queues, registered, active): "
             "hostname, online, pool, concurrency, processed, active, queues and "
             "registered tasks, tab-separated; exit 1 if none answered."),
         &runWorkers},
        {QStringLiteral("events"),
         QStringLiteral("events [--count N] [--timeout S] [--key-prefix P] [--json]"),
         QStringLiteral("Prints the workers' and producers' Celery events as they come, one per "
                        "line: time (UTC), type, hostname, then the task or the worker's counts."),
         &runEvents},
        {QStringLiteral("control"),
         QStringLiteral("control METHOD [--destination HOST]… [--arg KEY=VALUE]… [--timeout S] "
                        "[--key-prefix P] [--json]"),
         QStringLiteral("Sends a remote-control command (ping, stats, rate_limit, pool_grow, "
                        "revoke, shutdown, …) and prints each worker's reply; a VALUE is JSON "
                        "where it reads as JSON; changes are audited; exit 1 if none answered."),
         &runControl},
    };
    return commands;
}

} // namespace bd::app
