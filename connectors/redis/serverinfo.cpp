#include "serverinfo.h"

namespace bd::connectors {

ServerInfo ServerInfo::parse(const QByteArray &infoText)
{
    ServerInfo info;
    for (QByteArray line : infoText.split('\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        info.m_fields.insert(QString::fromUtf8(line.left(colon)),
                             QString::fromUtf8(line.mid(colon + 1)));
    }
    return info;
}

qint64 ServerInfo::integer(const QString &field, qint64 fallback) const
{
    bool ok = false;
    const qint64 v = m_fields.value(field).toLongLong(&ok);
    return ok ? v : fallback;
}

QMap<int, KeyspaceCounts> ServerInfo::keyspace() const
{
    QMap<int, KeyspaceCounts> out;
    for (auto it = m_fields.constBegin(); it != m_fields.constEnd(); ++it) {
        if (!it.key().startsWith(QLatin1String("db")))
            continue;
        bool okDb = false;
        const int db = it.key().mid(2).toInt(&okDb);
        if (!okDb || db < 0)
            continue;
        KeyspaceCounts counts;
        bool okKeys = false;
        for (const QString &part : it.value().split(QLatin1Char(','))) {
            const qsizetype eq = part.indexOf(QLatin1Char('='));
            if (eq <= 0)
                continue;
            const QStringView name = QStringView(part).left(eq);
            bool ok = false;
            const qint64 n = QStringView(part).mid(eq + 1).toLongLong(&ok);
            if (!ok || n < 0)
                continue;
            if (name == QLatin1String("keys")) {
                counts.keys = n;
                okKeys = true;
            } else if (name == QLatin1String("expires")) {
                counts.expires = n;
            } else if (name == QLatin1String("avg_ttl")) {
                counts.avgTtlMs = n;
            }
        }
        if (okKeys)
            out.insert(db, counts);
    }
    return out;
}

} // namespace bd::connectors
