#include "../clicontext.h"

namespace bd::app {

void runPing(CliContext &context, const QStringList &args)
{
    if (!args.isEmpty()) {
        context.finishWithUsageError(QStringLiteral("ping takes no arguments"));
        return;
    }
    context.client()->send(
        {QByteArrayLiteral("PING")}, nullptr,
        [&context](const connectors::RedisResult &r) { context.finishWithResult(r); });
}

} // namespace bd::app
