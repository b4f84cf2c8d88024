#include "commandwait.h"

#include <QTest>

namespace bd::test {

connectors::RedisResult runCommand(connectors::RedisClient &client, const QList<QByteArray> &args,
                                   int timeoutMs)
{
    QFuture<connectors::RedisResult> f = client.send(args);
    if (!QTest::qWaitFor([&] { return f.isFinished(); }, timeoutMs))
        return connectors::RedisResult::fromError(
            connectors::RedisError::Kind::CommandTimeout,
            QStringLiteral("no reply within %1 ms").arg(timeoutMs));
    return f.result();
}

} // namespace bd::test
