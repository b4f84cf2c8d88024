#include "testredis.h"

#include "commandwait.h"
#include "redis/redisurl.h"
#include "redis/serverinfo.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#ifdef Q_OS_UNIX
#include <signal.h>
#endif

namespace bd::test {

RedisFixture RedisFixture::load()
{
    RedisFixture f;
    f.dir = qEnvironmentVariable("BROKERDESK_FIXTURE_DIR");
    if (f.dir.isEmpty()) {
        f.error = QStringLiteral("BROKERDESK_FIXTURE_DIR is not set: run this test through ctest");
        return f;
    }
    QFile file(f.dir + QStringLiteral("/fixture.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        f.error = QStringLiteral("no fixture.json in %1: did the redis fixture start?").arg(f.dir);
        return f;
    }
    const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
    f.port = static_cast<quint16>(o.value(QStringLiteral("port")).toInt());
    f.tlsPort = static_cast<quint16>(o.value(QStringLiteral("tlsPort")).toInt());
    f.tlsDir = o.value(QStringLiteral("tlsDir")).toString();
    f.ok = f.port != 0;
    return f;
}

QString RedisFixture::version() const
{
    connectors::RedisClient client(connectors::RedisUrl::parse(url()).settings);
    client.open();
    return connectors::ServerInfo::parse(runCommand(client, {"INFO", "server"}).reply.bytes())
        .version();
}

QString RedisFixture::url(int db) const
{
    return QStringLiteral("redis://127.0.0.1:%1/%2").arg(port).arg(db);
}

PrivateRedisServer::PrivateRedisServer(QStringList extraArgs)
    : m_extraArgs(std::move(extraArgs))
{}

PrivateRedisServer::~PrivateRedisServer()
{
    thaw();
    kill();
    if (!m_dir.isEmpty())
        QDir(m_dir).removeRecursively();
}

quint16 PrivateRedisServer::freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

bool PrivateRedisServer::waitUntilReady(quint16 port, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (socket.waitForConnected(200)) {
            socket.write("PING\r\n");
            if (socket.waitForReadyRead(500)) {
                const QByteArray answer = socket.readAll();
                // A server with requirepass answers NOAUTH: it is up all the same.
                if (answer.startsWith("+PONG") || answer.startsWith("-NOAUTH"))
                    return true;
            }
        }
        QThread::msleep(20);
    }
    return false;
}

bool PrivateRedisServer::start(quint16 port)
{
    m_port = port ? port : freePort();
    const QString base = qEnvironmentVariable("BROKERDESK_FIXTURE_DIR", QDir::tempPath());
    QDir().mkpath(base + QStringLiteral("/private"));
    if (m_dir.isEmpty())
        m_dir = base + QStringLiteral("/private/data-%1").arg(m_port);
    QDir().mkpath(m_dir);
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->setStandardOutputFile(m_dir + QStringLiteral("/redis.log"));
    QStringList args{
        QStringLiteral("--port"),       QString::number(m_port),
        QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
        QStringLiteral("--save"),       QString(),
        QStringLiteral("--appendonly"), QStringLiteral("no"),
        QStringLiteral("--dir"),        m_dir,
        QStringLiteral("--pidfile"),    base + QStringLiteral("/private/%1.pid").arg(m_port)};
    args += m_extraArgs;
    m_process->start(QStringLiteral("redis-server"), args);
    if (!m_process->waitForStarted(5000)) {
        m_error = m_process->errorString();
        return false;
    }
    if (!waitUntilReady(m_port, 10000)) {
        m_error = QStringLiteral("redis-server on port %1 did not answer").arg(m_port);
        return false;
    }
    return true;
}

void PrivateRedisServer::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
    m_process.reset();
}

bool PrivateRedisServer::restart()
{
    kill();
    return start(m_port);
}

void PrivateRedisServer::freeze()
{
#ifdef Q_OS_UNIX
    if (m_process)
        ::kill(static_cast<pid_t>(m_process->processId()), SIGSTOP);
#endif
}

void PrivateRedisServer::thaw()
{
#ifdef Q_OS_UNIX
    if (m_process)
        ::kill(static_cast<pid_t>(m_process->processId()), SIGCONT);
#endif
}

qint64 PrivateRedisServer::pid() const
{
    return m_process && m_process->state() == QProcess::Running ? m_process->processId() : 0;
}

QString PrivateRedisServer::url(int db) const
{
    return QStringLiteral("redis://127.0.0.1:%1/%2").arg(m_port).arg(db);
}

} // namespace bd::test
