#include "redisurl.h"

#include <QUrl>
#include <QUrlQuery>

namespace bd::connectors {

namespace {

RedisUrl failure(QString message)
{
    RedisUrl r;
    r.error = std::move(message);
    return r;
}

bool parseDb(const QString &text, int *db)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < 0)
        return false;
    *db = value;
    return true;
}

// ssl_cert_reqs takes Python's names (CERT_REQUIRED) and redis-py's (required).
bool parseCertReqs(QString value, bool *verify)
{
    value = value.toLower();
    if (value.startsWith(QLatin1String("cert_")))
        value = value.mid(5);
    if (value == QLatin1String("required") || value == QLatin1String("optional")) {
        *verify = true;
        return true;
    }
    if (value == QLatin1String("none")) {
        *verify = false;
        return true;
    }
    return false;
}

} // namespace

RedisUrl RedisUrl::parse(const QString &input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return failure(QStringLiteral("the URL is empty"));
    const qsizetype schemeEnd = text.indexOf(QLatin1String("://"));
    if (schemeEnd <= 0)
        return failure(QStringLiteral("missing scheme: write redis://host:port/db, "
                                      "rediss://… for TLS or unix:///path/to/socket"));
    const QString scheme = text.left(schemeEnd).toLower();

    ConnectionSettings s;
    if (scheme == QLatin1String("redis")) {
        s.transport = ConnectionSettings::Transport::Tcp;
    } else if (scheme == QLatin1String("rediss")) {
        s.transport = ConnectionSettings::Transport::Tls;
    } else if (scheme == QLatin1String("unix") || scheme == QLatin1String("redis+socket")
               || scheme == QLatin1String("socket")) {
        s.transport = ConnectionSettings::Transport::Unix;
    } else if (scheme == QLatin1String("sentinel")) {
        return failure(QStringLiteral("sentinel:// URLs are not supported yet: connect to the "
                                      "master directly with redis://host:port"));
    } else if (scheme == QLatin1String("amqp") || scheme == QLatin1String("amqps")
               || scheme == QLatin1String("pyamqp")) {
        return failure(
            QStringLiteral("%1:// is a RabbitMQ broker URL, not a Redis one").arg(scheme));
    } else {
        return failure(
            QStringLiteral("unknown scheme \"%1\": expected redis, rediss or unix").arg(scheme));
    }

    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return failure(QStringLiteral("malformed URL: %1").arg(url.errorString()));

    s.username = url.userName(QUrl::FullyDecoded);
    s.password = url.password(QUrl::FullyDecoded);
    RedisUrl result;

    const QUrlQuery query(url);
    QString dbFromPath;
    if (s.transport == ConnectionSettings::Transport::Unix) {
        s.socketPath = url.path(QUrl::FullyDecoded);
        if (s.socketPath.isEmpty() || s.socketPath == QLatin1String("/"))
            return failure(QStringLiteral(
                "a unix:// URL needs the socket's path: unix:///run/redis/redis.sock"));
        if (!url.host().isEmpty())
            return failure(
                QStringLiteral("a unix:// URL has no host: write unix:///path (three slashes)"));
    } else {
        s.host = url.host(QUrl::FullyDecoded);
        if (s.host.isEmpty())
            return failure(QStringLiteral("the URL has no host"));
        const int port = url.port(-1);
        if (port == 0)
            return failure(QStringLiteral("port 0 is not a valid port"));
        s.port = port > 0 ? static_cast<quint16>(port) : 6379;
        QString path = url.path(QUrl::FullyDecoded);
        if (path.startsWith(QLatin1Char('/')))
            path.remove(0, 1);
        if (path.endsWith(QLatin1Char('/')))
            path.chop(1);
        dbFromPath = path;
    }

    if (!dbFromPath.isEmpty() && !parseDb(dbFromPath, &s.db))
        return failure(QStringLiteral("\"%1\" is not a database number: the path is /0, /1, …")
                           .arg(dbFromPath));

    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        const QString k = key.toLower();
        if (k == QLatin1String("db")) {
            if (!parseDb(value, &s.db))
                return failure(QStringLiteral("db=%1 is not a database number").arg(value));
        } else if (k == QLatin1String("password")) {
            s.password = value;
        } else if (k == QLatin1String("username") || k == QLatin1String("user")) {
            s.username = value;
        } else if (k == QLatin1String("ssl_cert_reqs")) {
            if (!parseCertReqs(value, &s.tls.verifyPeer))
                return failure(
                    QStringLiteral("ssl_cert_reqs=%1: expected required, optional or none")
                        .arg(value));
        } else if (k == QLatin1String("ssl_ca_certs")) {
            s.tls.caFile = value;
        } else if (k == QLatin1String("ssl_certfile")) {
            s.tls.certFile = value;
        } else if (k == QLatin1String("ssl_keyfile")) {
            s.tls.keyFile = value;
        } else if (k == QLatin1String("ssl_check_hostname")) {
            // Hostname checking is part of verification here; nothing separate to set.
        } else if (k == QLatin1String("socket_timeout")
                   || k == QLatin1String("socket_connect_timeout")) {
            bool ok = false;
            const double seconds = value.toDouble(&ok);
            if (!ok || seconds <= 0)
                return failure(QStringLiteral("%1=%2 is not a number of seconds").arg(key, value));
            (k == QLatin1String("socket_timeout") ? s.commandTimeoutMs : s.connectTimeoutMs) =
                static_cast<int>(seconds * 1000);
        } else {
            result.warnings
                << QStringLiteral("parameter \"%1\" is not used by Brokerdesk").arg(key);
        }
    }
    const bool tlsParams =
        !s.tls.caFile.isEmpty() || !s.tls.certFile.isEmpty() || !s.tls.keyFile.isEmpty();
    if (tlsParams && s.transport != ConnectionSettings::Transport::Tls)
        result.warnings << QStringLiteral("ssl_* parameters are used only with rediss://");

    result.ok = true;
    result.settings = std::move(s);
    return result;
}

QString RedisUrl::toDisplayUrl(const ConnectionSettings &s)
{
    QUrl url;
    QUrlQuery query;
    switch (s.transport) {
    case ConnectionSettings::Transport::Unix:
        url.setScheme(QStringLiteral("unix"));
        url.setPath(s.socketPath);
        if (s.db != 0)
            query.addQueryItem(QStringLiteral("db"), QString::number(s.db));
        break;
    case ConnectionSettings::Transport::Tcp:
    case ConnectionSettings::Transport::Tls:
        url.setScheme(s.transport == ConnectionSettings::Transport::Tls ? QStringLiteral("rediss")
                                                                        : QStringLiteral("redis"));
        url.setHost(s.host);
        url.setPort(s.port);
        url.setPath(QLatin1Char('/') + QString::number(s.db));
        break;
    }
    if (!s.username.isEmpty() && s.transport != ConnectionSettings::Transport::Unix)
        url.setUserName(s.username);
    else if (!s.username.isEmpty())
        query.addQueryItem(QStringLiteral("username"), s.username);
    if (s.transport == ConnectionSettings::Transport::Tls) {
        if (!s.tls.verifyPeer)
            query.addQueryItem(QStringLiteral("ssl_cert_reqs"), QStringLiteral("none"));
        if (!s.tls.caFile.isEmpty())
            query.addQueryItem(QStringLiteral("ssl_ca_certs"), s.tls.caFile);
        if (!s.tls.certFile.isEmpty())
            query.addQueryItem(QStringLiteral("ssl_certfile"), s.tls.certFile);
        if (!s.tls.keyFile.isEmpty())
            query.addQueryItem(QStringLiteral("ssl_keyfile"), s.tls.keyFile);
    }
    if (!query.isEmpty())
        url.setQuery(query);
    return url.toString();
}

} // namespace bd::connectors
