#include "../clicontext.h"
#include "redis/rediscommandtable.h"
#include "redis/replyformatter.h"

namespace bd::app {

void runExec(CliContext &context, const QStringList &args)
{
    if (args.isEmpty()) {
        context.finishWithUsageError(QStringLiteral("exec needs a command: exec GET mykey"));
        return;
    }
    const QList<QByteArray> &command = context.rawArguments();
    const connectors::RedisCommandInfo info = connectors::RedisCommandTable::describe(command);
    if (info.takesOver()) {
        context.finishWithUsageError(
            QStringLiteral("%1 %2; exec runs one command and prints one reply")
                .arg(args.first().toUpper(), info.streams
                                                 ? QStringLiteral("streams replies")
                                                 : QStringLiteral("changes the connection")));
        return;
    }
    const bool rawText = connectors::ReplyFormatter::prefersRawText(command);
    context.client()->send(
        command, nullptr,
        [&context, rawText](const connectors::RedisResult &r) {
            context.finishWithResult(r, rawText);
        },
        info.blocks ? 0 : -1); // a blocking command waits as long as the server does
}

} // namespace bd::app
