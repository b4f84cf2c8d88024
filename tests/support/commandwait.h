#pragma once

#include "redis/redisclient.h"

namespace bd::test {

// Sends a command and waits for its result in the test (the event loop keeps running), up to
// timeoutMs; a timeout comes back as a CommandTimeout error. For tests only: the product never
// waits.
connectors::RedisResult runCommand(connectors::RedisClient &client, const QList<QByteArray> &args,
                                   int timeoutMs = 10000);

} // namespace bd::test
