#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace bd::connectors {

// What the status bar shows about a server. Unknown values are empty / negative: an ACL that
// denies INFO leaves the version unknown but the latency still measured.
struct ServerStatus
{
    QString version;
    QString role;
    QString mode;
    QString usedMemoryHuman;
    qint64 usedMemoryBytes = -1;
    int db = 0;
    double latencyMs = -1; // round trip of the last PING
    QString infoError;     // why INFO could not be read, if it could not
    QDateTime sampledAt;
};

} // namespace bd::connectors

Q_DECLARE_METATYPE(bd::connectors::ServerStatus)
