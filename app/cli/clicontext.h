#pragma once

#include "redis/redisclient.h"

#include <QCommandLineParser>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

namespace bd::app {

enum ExitCode { ExitOk = 0, ExitOperationalError = 1, ExitUsageError = 2 };

// What a subcommand gets: the connected client, the output mode, and the way to finish.
// A subcommand runs asynchronously and calls finish() exactly once.
class CliContext
{
public:
    enum class Output { Cli, Raw, Json };

    CliContext(connectors::RedisClient *client, Output output);

    connectors::RedisClient *client() const { return m_client; }
    // The subcommand's arguments as the operating system passed them, one per argument: raw
    // bytes on Unix (a binary key typed as $'\xff' stays exact), UTF-8 on Windows.
    const QList<QByteArray> &rawArguments() const { return m_rawArguments; }
    void setRawArguments(QList<QByteArray> args) { m_rawArguments = std::move(args); }
    Output output() const { return m_output; }
    bool json() const { return m_output == Output::Json; }
    // For subcommands that take --json after their own name (keys … --json).
    void setOutput(Output output) { m_output = output; }

    // Prints a reply as redis-cli does (or raw, or JSON) and finishes: exit 0, or exit 1 with
    // one line on stderr when the result is an error.
    // rawText: print a string reply as plain text (INFO and the like, as redis-cli does).
    void finishWithResult(const connectors::RedisResult &result, bool rawText = false);
    void finishWithJson(const nlohmann::json &json);
    void finishWithError(const QString &message);
    void finishWithUsageError(const QString &message);
    void finish(int exitCode);

    // Writes bytes to stdout unchanged (binary-safe).
    static void writeOut(const QByteArray &bytes);
    static void writeErr(const QString &line);

private:
    connectors::RedisClient *m_client;
    Output m_output;
    QList<QByteArray> m_rawArguments;
    bool m_finished = false;
};

// One subcommand: its name, a one-line summary, and the function that runs it.
struct CliCommand
{
    QString name;
    QString usage;   // "exec CMD [ARG…]"
    QString summary; // one line for --help
    void (*run)(CliContext &context, const QStringList &args);
};

const QList<CliCommand> &cliCommands();

// Subcommands, one per file in commands/.
void runPing(CliContext &context, const QStringList &args);
void runExec(CliContext &context, const QStringList &args);
void runKeys(CliContext &context, const QStringList &args);
void runTtl(CliContext &context, const QStringList &args);
void runSubscribe(CliContext &context, const QStringList &args);
void runPublish(CliContext &context, const QStringList &args);
void runQueues(CliContext &context, const QStringList &args);
void runPeek(CliContext &context, const QStringList &args);
void runSend(CliContext &context, const QStringList &args);
void runResult(CliContext &context, const QStringList &args);
void runData(CliContext &context, const QStringList &args);
void runWorkers(CliContext &context, const QStringList &args);
void runEvents(CliContext &context, const QStringList &args);
void runControl(CliContext &context, const QStringList &args);

} // namespace bd::app
