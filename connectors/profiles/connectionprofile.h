#pragma once

#include "redis/connectionsettings.h"

#include <QMetaType>
#include <QString>

#include <nlohmann/json_fwd.hpp>

namespace bd::connectors {

// How Celery uses this server (celery.md §1.3, §1.5, §4).
struct CeleryProfileSettings
{
    // The result backend as a redis:// URL without a password: its own password lives in the
    // keychain (ConnectionProfile::resultBackendSecretKey); without one, the broker's password
    // and ACL user are used. Empty: the broker's own server and db.
    QString resultBackend;
    QString keyPrefix;             // the transport's global_keyprefix, applied to every key
    int visibilityTimeoutS = 3600; // kombu's default: in-flight messages older are restored

    bool operator==(const CeleryProfileSettings &) const = default;
};

// A saved connection: where and how to connect, never a secret. The password lives in the OS
// keychain under secretKey(); the JSON form has no field for it. (The connector can open an
// encrypted client key with TlsSettings::keyPassphrase, but no dialog asks for one yet.)
struct ConnectionProfile
{
    QString id; // stable UUID, also the keychain key
    QString name;
    ConnectionSettings settings; // password / keyPassphrase are never serialised
    QString colorTag; // a colour name ("#rrggbb") or empty: marks production profiles at a glance
    bool rememberPassword = true; // keep the password in the keychain (else ask every time)
    bool transient = false;       // not saved (a --connect profile, the demo's)
    CeleryProfileSettings celery;

    static ConnectionProfile create(const QString &name);

    QString secretKey() const
    {
        return QStringLiteral("profile/") + id + QStringLiteral("/password");
    }
    // The result backend's own password, when it is another server that wants one.
    QString resultBackendSecretKey() const
    {
        return QStringLiteral("profile/") + id + QStringLiteral("/result-backend-password");
    }
    // The result backend's connection: resultBackend parsed, with the broker's credentials
    // when it names none; the broker's own settings when empty. brokerSettings carries the
    // password (in memory). Returns false, with the reason, for a URL that cannot be used.
    bool resultBackendSettings(const ConnectionSettings &brokerSettings, ConnectionSettings *out,
                               QString *error) const;
    nlohmann::json toJson() const;
    // Unknown fields are ignored; missing ones take defaults. Returns false for a non-object.
    static bool fromJson(const nlohmann::json &json, ConnectionProfile *out, QString *error);
};

} // namespace bd::connectors

Q_DECLARE_METATYPE(bd::connectors::ConnectionProfile)
