#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace bd::connectors {

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

private:
    QHash<QString, QString> m_fields;
};

} // namespace bd::connectors
