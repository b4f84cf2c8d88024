#pragma once

#include <QByteArray>
#include <QList>

namespace bd::connectors {

// One line of MONITOR output, as Redis writes it:
//   1700000000.123456 [0 127.0.0.1:50312] "SET" "user:1" "a\x00b"
// The client is "lua" for scripts and "unix:/path" for Unix sockets. Arguments are quoted
// with C-style escapes (\" \\ \n \r \t \a \b \xHH); they come back as their exact bytes.
struct MonitorLine
{
    bool ok = false;   // false: the line did not have this shape (it is kept as text)
    qint64 timeUs = 0; // the server's time, µs since the epoch
    int db = -1;
    QByteArray client;
    QList<QByteArray> args; // args[0] is the command as the client sent it
};

MonitorLine parseMonitorLine(const QByteArray &line);

} // namespace bd::connectors
