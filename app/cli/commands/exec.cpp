#include "../clicontext.h"
#include "redis/replyformatter.h"

namespace bd::app {

void runExec(CliContext &context, const QStringList &args)
{
    if (args.isEmpty()) {
        context.finishWithUsageError(QStringLiteral("exec needs a command: exec GET mykey"));
        return;
    }
    const QByteArray name = args.first().toUpper().toUtf8();
    if (name == "SUBSCRIBE" || name == "PSUBSCRIBE" || name == "SSUBSCRIBE" || name == "MONITOR") {
        context.finishWithUsageError(QStringLiteral("%1 streams replies; exec runs one command and "
                                                    "prints one reply")
                                         .arg(QString::fromUtf8(name)));
        return;
    }
    const QList<QByteArray> &command = context.rawArguments();
    // Blocking commands (BLPOP … 0) wait as long as the server does.
    const bool blocking = name.startsWith("BL") || name.startsWith("BR") || name.startsWith("BZ")
                          || name == "WAIT" || name == "XREAD" || name == "XREADGROUP";
    const bool rawText = connectors::ReplyFormatter::prefersRawText(command);
    context.client()->send(
        command, nullptr,
        [&context, rawText](const connectors::RedisResult &r) {
            context.finishWithResult(r, rawText);
        },
        blocking ? 0 : -1);
}

} // namespace bd::app
