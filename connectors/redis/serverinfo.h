#pragma once

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QString>

namespace bd::connectors {

// One line of INFO's Keyspace section: "db0:keys=12,expires=3,avg_ttl=0,subexpiry=0".
struct KeyspaceCounts
{
    qint64 keys = 0;
    qint64 expires = 0;
    qint64 avgTtlMs = 0;
};

// The fields of an INFO reply ("# Server\r\nredis_version:7.0.15\r\n…"), by name.
class ServerInfo
{
public:
    static ServerInfo parse(const QByteArray &infoText);

    QString value(const QString &field) const { return m_fields.value(field); }
    bool contains(const QString &field) const { return m_fields.contains(field); }
    qint64 integer(const QString &field, qint64 fallback = -1) const;
    bool isEmpty() const { return m_fields.isEmpty(); }

    QString version() const { return value(QStringLiteral("redis_version")); }
    QString role() const { return value(QStringLiteral("role")); }
    QString mode() const { return value(QStringLiteral("redis_mode")); }
    QString usedMemoryHuman() const { return value(QStringLiteral("used_memory_human")); }
    // The Keyspace section by db number: INFO lists only the dbs that hold keys. Lines that do
    // not read as counts are left out.
    QMap<int, KeyspaceCounts> keyspace() const;

private:
    QHash<QString, QString> m_fields;
};

} // namespace bd::connectors
