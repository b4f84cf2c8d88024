#pragma once

#include "connectionsettings.h"

#include <QString>
#include <QStringList>

namespace bd::connectors {

// Parses a Redis URL in every form Celery (kombu) and redis-py accept:
//   redis://[[user]:password@]host[:port][/db][?db=N&…]
//   rediss://…?ssl_cert_reqs=required&ssl_ca_certs=…&ssl_certfile=…&ssl_keyfile=…
//   unix:///path/to/socket?db=N&password=…   (also redis+socket:// and socket://)
// Percent-encoded credentials are decoded; IPv6 hosts are written [::1].
struct RedisUrl
{
    bool ok = false;
    QString error;        // what is wrong, for the operator, when !ok
    QStringList warnings; // accepted but worth saying (ignored parameters)
    ConnectionSettings settings;

    static RedisUrl parse(const QString &url);

    // The URL for display and for profiles: never contains the password.
    static QString toDisplayUrl(const ConnectionSettings &settings);
};

} // namespace bd::connectors
