#pragma once

#include "../clicontext.h"
#include "celery/celeryresultfollower.h"
#include "celery/celerytaskencoder.h"

#include <functional>

namespace bd::app {

// What `send`, `result` and `data --refresh` share.

// The result backend: --backend URL, or the broker's connection settings. False (and the
// command finished with a usage error) when the URL is bad.
bool backendSettings(CliContext &context, const QCommandLineParser &parser,
                     connectors::ConnectionSettings *out);
// Pushes one task message, once, and writes it to the audit log.
void publishTask(CliContext &context, const connectors::CeleryTaskRequest &request,
                 const connectors::EncodedCeleryTask &task,
                 std::function<void(const connectors::RedisResult &)> done);
// Follows a task's state on the result backend (finalOnly: its final state only); no final
// state within timeoutMs (> 0) finishes the command with an error.
void followTask(CliContext &context, const connectors::ConnectionSettings &backend,
                const QString &id, int timeoutMs, bool finalOnly,
                std::function<void(const connectors::CeleryTaskResult &)> onState);

} // namespace bd::app
