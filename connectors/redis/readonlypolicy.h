#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace bd::connectors {

// Decides whether a command may run on a read-only connection. It is an allow-list: a command
// this list does not know (a new write command, a module command) is refused, because a
// read-only profile must never change production data. Subcommands are checked where the
// parent mixes reads and writes (CONFIG GET vs CONFIG SET, SORT with STORE).
class ReadOnlyPolicy
{
public:
    // Empty when allowed; otherwise why it is refused, for the operator.
    static QString refusalReason(const QList<QByteArray> &args);
    static bool isAllowed(const QList<QByteArray> &args) { return refusalReason(args).isEmpty(); }
};

} // namespace bd::connectors
