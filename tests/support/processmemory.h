#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>

namespace bd::test {

// A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"); -1 where there is none.
inline qint64 procStatusKiB(const char *field)
{
#ifdef Q_OS_LINUX
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLongLong();
    }
#else
    Q_UNUSED(field);
#endif
    return -1;
}

// Resets the peak (VmHWM) to the current RSS (Linux).
inline void resetPeakRss()
{
#ifdef Q_OS_LINUX
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
#endif
}

} // namespace bd::test
