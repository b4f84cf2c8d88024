#include "connectiontester.h"

#include "redisclient.h"
#include "serverinfo.h"

#include <QElapsedTimer>

namespace bd::connectors {

QString ConnectionTester::Result::summary() const
{
    if (!ok())
        return error.toString();
    QStringList parts;
    parts << (version.isEmpty() ? QStringLiteral("Redis (version hidden by ACL)")
                                : QStringLiteral("Redis ") + version);
    if (!role.isEmpty())
        parts << role;
    if (!mode.isEmpty() && mode != QLatin1String("standalone"))
        parts << mode;
    parts << QStringLiteral("%1 ms round trip").arg(latencyMs, 0, 'f', 2);
    return parts.join(QStringLiteral(", "));
}

ConnectionTester::ConnectionTester(ConnectionSettings settings, QObject *parent)
    : QObject(parent)
{
    settings.reconnect.enabled = false;
    settings.commandTimeoutMs = settings.connectTimeoutMs;
    m_client = new RedisClient(std::move(settings), this);
}

ConnectionTester::~ConnectionTester() = default;

void ConnectionTester::start()
{
    m_client->open();
    auto timer = std::make_shared<QElapsedTimer>();
    // The first PING waits for the handshake; the second measures the round trip alone.
    m_client->send({QByteArrayLiteral("PING")}, this, [this, timer](const RedisResult &first) {
        if (!first.ok()) {
            finish(Result{first.error, {}, {}, {}, -1});
            return;
        }
        timer->start();
        m_client->send({QByteArrayLiteral("PING")}, this, [this, timer](const RedisResult &ping) {
            Result result;
            if (!ping.ok()) {
                result.error = ping.error;
                finish(result);
                return;
            }
            result.latencyMs = timer->nsecsElapsed() / 1e6;
            // INFO rather than ROLE: ACLs that allow reading often deny ROLE (@dangerous).
            m_client->send({QByteArrayLiteral("INFO")}, this,
                           [this, result](const RedisResult &info) mutable {
                               if (info.ok() && info.reply.isString()) {
                                   const ServerInfo parsed = ServerInfo::parse(info.reply.bytes());
                                   result.version = parsed.version();
                                   result.mode = parsed.mode();
                                   result.role = parsed.role();
                               }
                               finish(result);
                           });
        });
    });
}

void ConnectionTester::finish(Result result)
{
    if (m_done)
        return;
    m_done = true;
    m_client->close();
    Q_EMIT finished(result);
}

} // namespace bd::connectors
