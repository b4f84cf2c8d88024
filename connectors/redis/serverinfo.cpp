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

} // namespace bd::connectors
