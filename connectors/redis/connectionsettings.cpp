#include "connectionsettings.h"

namespace bd::connectors {

QString ConnectionSettings::endpoint() const
{
    if (transport == Transport::Unix)
        return QStringLiteral("unix:") + socketPath;
    const QString h =
        host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(port);
}

} // namespace bd::connectors
