#pragma once

#include <QByteArray>
#include <QList>

namespace bd::connectors {

// Encodes one command as a RESP multi-bulk request with hiredis's redisFormatCommandArgv.
// Arguments are raw bytes: binary keys and values are sent exactly as given.
QByteArray encodeCommand(const QList<QByteArray> &args);

// Appends the encoding to out (for pipelining many commands into one write).
void appendEncodedCommand(QByteArray &out, const QList<QByteArray> &args);

// The command name in upper case ("GET", "CONFIG SET" is not joined: only the first word).
QByteArray commandName(const QList<QByteArray> &args);

} // namespace bd::connectors
