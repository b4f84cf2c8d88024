#include "connectionprofile.h"

#include "redis/redisurl.h"

#include <QUuid>

#include <nlohmann/json.hpp>

#include <limits>
#include <type_traits>

namespace bd::connectors {

namespace {

std::string s(const QString &q)
{
    return q.toStdString();
}

QString q(const nlohmann::json &j, const char *key, const QString &fallback = {})
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return fallback;
    return QString::fromStdString(it->get<std::string>());
}

// A whole number within T's range; anything else ("port": 1e300, "db": -1e20) is the fallback,
// never a cast that overflows.
template<typename T> T num(const nlohmann::json &j, const char *key, T fallback)
{
    static_assert(std::is_integral_v<T>);
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return fallback;
    const double v = it->get<double>();
    if (!(v >= double(std::numeric_limits<T>::min()) && v <= double(std::numeric_limits<T>::max())))
        return fallback;
    return T(v);
}

bool flag(const nlohmann::json &j, const char *key, bool fallback)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_boolean())
        return fallback;
    return it->get<bool>();
}

const char *transportName(ConnectionSettings::Transport t)
{
    switch (t) {
    case ConnectionSettings::Transport::Tcp:
        return "tcp";
    case ConnectionSettings::Transport::Tls:
        return "tls";
    case ConnectionSettings::Transport::Unix:
        return "unix";
    }
    return "tcp";
}

} // namespace

ConnectionProfile ConnectionProfile::create(const QString &name)
{
    ConnectionProfile p;
    p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.name = name;
    return p;
}

nlohmann::json ConnectionProfile::toJson() const
{
    const ConnectionSettings &c = settings;
    return nlohmann::json{
        {"id", s(id)},
        {"name", s(name)},
        {"transport", transportName(c.transport)},
        {"host", s(c.host)},
        {"port", c.port},
        {"socketPath", s(c.socketPath)},
        {"db", c.db},
        {"username", s(c.username)},
        {"tls",
         {{"caFile", s(c.tls.caFile)},
          {"certFile", s(c.tls.certFile)},
          {"keyFile", s(c.tls.keyFile)},
          {"serverName", s(c.tls.serverName)},
          {"verifyPeer", c.tls.verifyPeer}}},
        {"readOnly", c.readOnly},
        {"connectTimeoutMs", c.connectTimeoutMs},
        {"commandTimeoutMs", c.commandTimeoutMs},
        {"colorTag", s(colorTag)},
        {"rememberPassword", rememberPassword},
        {"celery",
         {{"resultBackend", s(celery.resultBackend)},
          {"keyPrefix", s(celery.keyPrefix)},
          {"visibilityTimeoutS", celery.visibilityTimeoutS}}},
    };
}

bool ConnectionProfile::resultBackendSettings(const ConnectionSettings &brokerSettings,
                                              ConnectionSettings *out, QString *error) const
{
    if (celery.resultBackend.trimmed().isEmpty()) {
        *out = brokerSettings;
        return true;
    }
    const RedisUrl parsed = RedisUrl::parse(celery.resultBackend.trimmed());
    if (!parsed.ok) {
        *error = QStringLiteral("result backend: %1").arg(parsed.error);
        return false;
    }
    *out = parsed.settings;
    if (out->password.isEmpty()) {
        out->password = brokerSettings.password;
        if (out->username.isEmpty())
            out->username = brokerSettings.username;
    }
    if (out->transport == ConnectionSettings::Transport::Tls && out->tls.caFile.isEmpty())
        out->tls = brokerSettings.tls; // the same CA and client certificate, as a rule
    out->readOnly = brokerSettings.readOnly;
    out->connectTimeoutMs = brokerSettings.connectTimeoutMs;
    out->commandTimeoutMs = brokerSettings.commandTimeoutMs;
    return true;
}

bool ConnectionProfile::fromJson(const nlohmann::json &j, ConnectionProfile *out, QString *error)
{
    if (!j.is_object()) {
        if (error)
            *error = QStringLiteral("a profile must be a JSON object");
        return false;
    }
    ConnectionProfile p;
    p.id = q(j, "id");
    if (p.id.isEmpty())
        p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.name = q(j, "name", QStringLiteral("Unnamed"));
    ConnectionSettings &c = p.settings;
    const QString transport = q(j, "transport", QStringLiteral("tcp"));
    c.transport = transport == QLatin1String("tls")    ? ConnectionSettings::Transport::Tls
                  : transport == QLatin1String("unix") ? ConnectionSettings::Transport::Unix
                                                       : ConnectionSettings::Transport::Tcp;
    c.host = q(j, "host", c.host);
    const int port = num<int>(j, "port", 6379);
    c.port = static_cast<quint16>(port > 0 && port < 65536 ? port : 6379);
    c.socketPath = q(j, "socketPath");
    c.db = qMax(0, num<int>(j, "db", 0));
    c.username = q(j, "username");
    if (const auto tls = j.find("tls"); tls != j.end() && tls->is_object()) {
        c.tls.caFile = q(*tls, "caFile");
        c.tls.certFile = q(*tls, "certFile");
        c.tls.keyFile = q(*tls, "keyFile");
        c.tls.serverName = q(*tls, "serverName");
        c.tls.verifyPeer = flag(*tls, "verifyPeer", true);
    }
    c.readOnly = flag(j, "readOnly", false);
    c.connectTimeoutMs = qMax(100, num<int>(j, "connectTimeoutMs", c.connectTimeoutMs));
    c.commandTimeoutMs = qMax(0, num<int>(j, "commandTimeoutMs", c.commandTimeoutMs));
    p.colorTag = q(j, "colorTag");
    p.rememberPassword = flag(j, "rememberPassword", true);
    if (const auto celery = j.find("celery"); celery != j.end() && celery->is_object()) {
        p.celery.resultBackend = q(*celery, "resultBackend");
        p.celery.keyPrefix = q(*celery, "keyPrefix");
        p.celery.visibilityTimeoutS = qMax(1, num<int>(*celery, "visibilityTimeoutS", 3600));
    }
    *out = std::move(p);
    return true;
}

} // namespace bd::connectors
