// brokerdesk-cli: a thin command-line front over Brokerdesk's connectors, for scripts and
// tests. Exit status: 0 success, 1 operational error (one line on stderr), 2 usage error.
#include "clicontext.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

using namespace bd;

namespace {

QString commandList()
{
    QString text = QStringLiteral("\nCommands:\n");
    for (const app::CliCommand &c : app::cliCommands())
        text += QStringLiteral("  %1\n      %2\n").arg(c.usage, -28).arg(c.summary);
    return text;
}

int usageError(const QString &message)
{
    app::CliContext::writeErr(message + QStringLiteral(" (see --help)"));
    return app::ExitUsageError;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("brokerdesk-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Brokerdesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BROKERDESK_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Brokerdesk command line: Redis and Celery from scripts.") + commandList());
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption urlOption(
        {QStringLiteral("u"), QStringLiteral("url")},
        QStringLiteral("Redis URL: redis://[user:password@]host:port/db, rediss://…, unix:///path. "
                       "Default: $REDIS_URL, then $CELERY_BROKER_URL."),
        QStringLiteral("URL"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Machine-readable JSON output."));
    const QCommandLineOption rawOption(QStringLiteral("raw"),
                                       QStringLiteral("Raw output, as redis-cli --raw."));
    const QCommandLineOption readOnlyOption(
        QStringLiteral("read-only"),
        QStringLiteral("Refuse every command that could change data."));
    const QCommandLineOption timeoutOption(
        QStringLiteral("timeout"), QStringLiteral("Seconds to wait for a reply (default 30)."),
        QStringLiteral("S"));
    const QCommandLineOption connectTimeoutOption(
        QStringLiteral("connect-timeout"),
        QStringLiteral("Seconds to wait for the connection (default 5)."), QStringLiteral("S"));
    parser.addOptions(
        {urlOption, jsonOption, rawOption, readOnlyOption, timeoutOption, connectTimeoutOption});
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("What to do (see Commands)."));

    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return app::ExitOk;
    }
    if (parser.isSet(versionOption)) {
        std::printf("brokerdesk-cli %s\n", BROKERDESK_VERSION);
        return app::ExitOk;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(QStringLiteral("no command given"));
    const QString name = positional.first();
    const auto &commands = app::cliCommands();
    const auto command = std::find_if(commands.begin(), commands.end(),
                                      [&](const app::CliCommand &c) { return c.name == name; });
    if (command == commands.end())
        return usageError(QStringLiteral("unknown command \"%1\"").arg(name));
    if (parser.isSet(jsonOption) && parser.isSet(rawOption))
        return usageError(QStringLiteral("--json and --raw cannot be used together"));

    QString url = parser.value(urlOption);
    if (url.isEmpty())
        url = qEnvironmentVariable("REDIS_URL", qEnvironmentVariable("CELERY_BROKER_URL"));
    if (url.isEmpty())
        return usageError(QStringLiteral("no server: pass --url redis://host:port/db"));
    const connectors::RedisUrl parsed = connectors::RedisUrl::parse(url);
    if (!parsed.ok)
        return usageError(QStringLiteral("bad URL: ") + parsed.error);

    connectors::ConnectionSettings settings = parsed.settings;
    settings.reconnect.enabled = false; // a script wants the error, not a retry loop
    settings.clientName = QByteArrayLiteral("brokerdesk-cli");
    if (parser.isSet(readOnlyOption))
        settings.readOnly = true;
    // As redis-cli: a password can come from the environment instead of the command line.
    if (settings.password.isEmpty())
        settings.password = qEnvironmentVariable("REDISCLI_AUTH");
    for (const auto &[option, target] :
         {std::pair{&timeoutOption, &settings.commandTimeoutMs},
          std::pair{&connectTimeoutOption, &settings.connectTimeoutMs}}) {
        if (!parser.isSet(*option))
            continue;
        bool ok = false;
        const double seconds = parser.value(*option).toDouble(&ok);
        if (!ok || seconds < 0)
            return usageError(
                QStringLiteral("--%1 takes a number of seconds").arg(option->names().constLast()));
        *target = static_cast<int>(seconds * 1000);
    }

    connectors::RedisClient client(settings);
    const app::CliContext::Output output = parser.isSet(jsonOption)  ? app::CliContext::Output::Json
                                           : parser.isSet(rawOption) ? app::CliContext::Output::Raw
                                                                     : app::CliContext::Output::Cli;
    app::CliContext context(&client, output);
    client.open();
    const QStringList args = positional.mid(1);
    // Options end at the command, so its arguments are the last entries of argv, verbatim.
    // Windows passes text: its UTF-8.
    QList<QByteArray> raw;
#ifndef Q_OS_WIN
    for (int i = argc - static_cast<int>(args.size()); i < argc; ++i)
        raw << QByteArray(argv[i]);
#else
    for (const QString &a : args)
        raw << a.toUtf8();
#endif
    context.setRawArguments(raw);
    QTimer::singleShot(0, &client, [&] { command->run(context, args); });
    return QCoreApplication::exec();
}
