#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace bd::connectors {

// What Brokerdesk knows of a Redis command, from its name, its subcommand and the options that
// change what it does (SORT … STORE, XREAD … BLOCK, HELLO 3).
struct RedisCommandInfo
{
    bool known = false;   // named in the table; an unknown command (a module's) is taken as a write
    bool writes = true;   // changes data or the server: refused on read-only profiles
    bool blocks = false;  // may wait on the server for data (BLPOP, XREAD BLOCK, WAIT): sent with
                          // no timeout, on a connection of its own so nothing queues behind it
    bool streams = false; // the connection then carries pushes, not replies (SUBSCRIBE, MONITOR)
    bool resetsConnection = false; // changes the connection under the client: RESET, QUIT,
                                   // CLIENT REPLY (replies no longer match), HELLO 3 (RESP3)

    // The connection is no longer a plain request/reply one after it.
    bool takesOver() const { return streams || resetsConnection; }
};

// The one table of Redis commands: the read-only policy, the console and the CLI's exec all
// decide from it. It is an allow-list for reads: a command it does not know (a new write
// command, a module command) is refused on read-only profiles, because a read-only profile must
// never change production data.
class RedisCommandTable
{
public:
    static RedisCommandInfo describe(const QList<QByteArray> &args);

    // Empty when a read-only profile may send the command; otherwise why not, for the operator.
    static QString readOnlyRefusal(const QList<QByteArray> &args);
};

} // namespace bd::connectors
