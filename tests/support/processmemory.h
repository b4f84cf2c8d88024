#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>

#ifdef Q_OS_LINUX
#include <unistd.h>
#endif

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

#ifdef Q_OS_LINUX
// CPU seconds (user + system) in a /proc/<pid>[/task/<tid>]/stat file, and the name in it;
// -1 when it cannot be read.
inline double statCpuSeconds(const QString &path, QByteArray *name = nullptr)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    const qsizetype open = stat.indexOf('('), close = stat.lastIndexOf(')');
    if (open < 0 || close < open)
        return -1;
    // After the name: state is field 3; utime and stime are fields 14 and 15.
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    if (name)
        *name = stat.mid(open + 1, close - open - 1);
    return (fields[11].toDouble() + fields[12].toDouble()) / double(sysconf(_SC_CLK_TCK));
}
#endif

// CPU seconds (user + system) process pid (0: this one) has used so far; -1 where unknown.
inline double processCpuSeconds(qint64 pid = 0)
{
#ifdef Q_OS_LINUX
    return statCpuSeconds(pid > 0 ? QStringLiteral("/proc/%1/stat").arg(pid)
                                  : QStringLiteral("/proc/self/stat"));
#else
    Q_UNUSED(pid);
    return -1;
#endif
}

// CPU seconds (user + system) each thread of this process used so far, by thread name, as
// "name=seconds" pairs (Linux; empty elsewhere): where a benchmark's time went.
inline QByteArray threadCpuSeconds()
{
    QByteArray out;
#ifdef Q_OS_LINUX
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QByteArray name;
        const double seconds = statCpuSeconds(tasks.filePath(tid + QStringLiteral("/stat")), &name);
        if (seconds < 0.01)
            continue;
        name.replace(' ', '_');
        out += (out.isEmpty() ? "" : ",") + name + '=' + QByteArray::number(seconds, 'f', 2);
    }
#endif
    return out;
}

} // namespace bd::test
