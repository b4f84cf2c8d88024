#pragma once

#include "redis/connectionsettings.h"

#include <QMetaType>
#include <QString>

#include <nlohmann/json_fwd.hpp>

namespace bd::connectors {

// A saved connection: where and how to connect, never a secret. The password lives in the OS
// keychain under secretKey(); the JSON form has no field for it. (The connector can open an
// encrypted client key with TlsSettings::keyPassphrase, but no dialog asks for one yet.)
struct ConnectionProfile
{
    QString id; // stable UUID, also the keychain key
    QString name;
    ConnectionSettings settings;  // password / keyPassphrase are never serialised
    QString colorTag;             // "#d33682" or empty: marks production profiles at a glance
    bool rememberPassword = true; // keep the password in the keychain (else ask every time)
    bool transient = false;       // not saved (a --connect profile, the demo's)

    static ConnectionProfile create(const QString &name);

    QString secretKey() const
    {
        return QStringLiteral("profile/") + id + QStringLiteral("/password");
    }
    nlohmann::json toJson() const;
    // Unknown fields are ignored; missing ones take defaults. Returns false for a non-object.
    static bool fromJson(const nlohmann::json &json, ConnectionProfile *out, QString *error);
};

} // namespace bd::connectors

Q_DECLARE_METATYPE(bd::connectors::ConnectionProfile)
