#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace bd::connectors {

struct TlsSettings
{
    QString caFile;         // PEM bundle; empty = the system's trust store
    QString certFile;       // client certificate (PEM), optional
    QString keyFile;        // client private key (PEM), optional
    QString keyPassphrase;  // secret: memory only
    QString serverName;     // SNI and the name verified; empty = the host
    bool verifyPeer = true; // false only by the operator's explicit, visible choice
};

struct ReconnectPolicy
{
    bool enabled = true;
    int initialDelayMs = 250;
    int maxDelayMs = 10'000;
};

// Everything a connection needs. Secrets (password, key passphrase) live here only in memory;
// profiles on disk never hold them.
struct ConnectionSettings
{
    enum class Transport { Tcp, Tls, Unix };

    Transport transport = Transport::Tcp;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString socketPath; // Unix transport
    int db = 0;
    QString username; // ACL user; empty = "default"
    QString password; // secret: memory only
    TlsSettings tls;
    bool readOnly = false;
    QByteArray clientName = QByteArrayLiteral("brokerdesk");
    int connectTimeoutMs = 5'000;
    int commandTimeoutMs = 30'000; // 0 = no timeout
    ReconnectPolicy reconnect;

    // "127.0.0.1:6379", "[::1]:6380", "unix:/run/redis.sock": where, never who or secrets.
    QString endpoint() const;
};

} // namespace bd::connectors

Q_DECLARE_METATYPE(bd::connectors::ConnectionSettings)
