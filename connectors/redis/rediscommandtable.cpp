#include "rediscommandtable.h"

#include <QHash>

namespace bd::connectors {

namespace {

enum Flag : unsigned {
    Read = 0x1,
    Write = 0x2,
    Blocks = 0x4,              // always may wait (BLPOP …, WAIT)
    BlocksWithOption = 0x8,    // waits when a BLOCK option is given (XREAD, XREADGROUP)
    Streams = 0x10,            // the connection carries pushes afterwards
    Resets = 0x20,             // changes the connection's state under the client
    StoreWrites = 0x40,        // a STORE / STOREDIST option makes it write (SORT, GEORADIUS)
    Subcommands = 0x80,        // the subcommand decides (see subcommandTable)
    ResetsOnProtocol3 = 0x100, // HELLO 3 switches the connection to RESP3
};

struct Entry
{
    const char *name;
    unsigned flags;
};

// Redis 7.2's commands, by what they do to data and to the connection.
constexpr Entry kCommands[] = {
    // keyspace
    {"EXISTS", Read},
    {"TYPE", Read},
    {"TTL", Read},
    {"PTTL", Read},
    {"EXPIRETIME", Read},
    {"PEXPIRETIME", Read},
    {"SCAN", Read},
    {"KEYS", Read},
    {"RANDOMKEY", Read},
    {"DBSIZE", Read},
    {"DUMP", Read},
    {"TOUCH", Read},
    {"OBJECT", Read},
    {"DEL", Write},
    {"UNLINK", Write},
    {"EXPIRE", Write},
    {"PEXPIRE", Write},
    {"EXPIREAT", Write},
    {"PEXPIREAT", Write},
    {"PERSIST", Write},
    {"RENAME", Write},
    {"RENAMENX", Write},
    {"MOVE", Write},
    {"COPY", Write},
    {"RESTORE", Write},
    {"RESTORE-ASKING", Write},
    {"MIGRATE", Write},
    {"SORT", Read | StoreWrites},
    {"SORT_RO", Read},
    // strings and bits
    {"GET", Read},
    {"MGET", Read},
    {"STRLEN", Read},
    {"GETRANGE", Read},
    {"SUBSTR", Read},
    {"GETBIT", Read},
    {"BITCOUNT", Read},
    {"BITPOS", Read},
    {"BITFIELD_RO", Read},
    {"LCS", Read},
    {"SET", Write},
    {"SETNX", Write},
    {"SETEX", Write},
    {"PSETEX", Write},
    {"GETSET", Write},
    {"GETDEL", Write},
    {"GETEX", Write},
    {"MSET", Write},
    {"MSETNX", Write},
    {"APPEND", Write},
    {"INCR", Write},
    {"INCRBY", Write},
    {"INCRBYFLOAT", Write},
    {"DECR", Write},
    {"DECRBY", Write},
    {"SETRANGE", Write},
    {"SETBIT", Write},
    {"BITFIELD", Write},
    {"BITOP", Write},
    // hashes
    {"HGET", Read},
    {"HMGET", Read},
    {"HGETALL", Read},
    {"HKEYS", Read},
    {"HVALS", Read},
    {"HLEN", Read},
    {"HEXISTS", Read},
    {"HSTRLEN", Read},
    {"HSCAN", Read},
    {"HRANDFIELD", Read},
    {"HSET", Write},
    {"HSETNX", Write},
    {"HMSET", Write},
    {"HDEL", Write},
    {"HINCRBY", Write},
    {"HINCRBYFLOAT", Write},
    // lists
    {"LRANGE", Read},
    {"LLEN", Read},
    {"LINDEX", Read},
    {"LPOS", Read},
    {"LPUSH", Write},
    {"RPUSH", Write},
    {"LPUSHX", Write},
    {"RPUSHX", Write},
    {"LPOP", Write},
    {"RPOP", Write},
    {"LSET", Write},
    {"LINSERT", Write},
    {"LREM", Write},
    {"LTRIM", Write},
    {"RPOPLPUSH", Write},
    {"LMOVE", Write},
    {"LMPOP", Write},
    {"BLPOP", Write | Blocks},
    {"BRPOP", Write | Blocks},
    {"BLMOVE", Write | Blocks},
    {"BRPOPLPUSH", Write | Blocks},
    {"BLMPOP", Write | Blocks},
    // sets
    {"SMEMBERS", Read},
    {"SISMEMBER", Read},
    {"SMISMEMBER", Read},
    {"SCARD", Read},
    {"SSCAN", Read},
    {"SRANDMEMBER", Read},
    {"SINTER", Read},
    {"SINTERCARD", Read},
    {"SUNION", Read},
    {"SDIFF", Read},
    {"SADD", Write},
    {"SREM", Write},
    {"SPOP", Write},
    {"SMOVE", Write},
    {"SINTERSTORE", Write},
    {"SUNIONSTORE", Write},
    {"SDIFFSTORE", Write},
    // sorted sets
    {"ZRANGE", Read},
    {"ZRANGEBYSCORE", Read},
    {"ZREVRANGEBYSCORE", Read},
    {"ZRANGEBYLEX", Read},
    {"ZREVRANGEBYLEX", Read},
    {"ZREVRANGE", Read},
    {"ZSCORE", Read},
    {"ZMSCORE", Read},
    {"ZCARD", Read},
    {"ZCOUNT", Read},
    {"ZLEXCOUNT", Read},
    {"ZRANK", Read},
    {"ZREVRANK", Read},
    {"ZSCAN", Read},
    {"ZRANDMEMBER", Read},
    {"ZINTER", Read},
    {"ZUNION", Read},
    {"ZDIFF", Read},
    {"ZINTERCARD", Read},
    {"ZADD", Write},
    {"ZINCRBY", Write},
    {"ZREM", Write},
    {"ZREMRANGEBYSCORE", Write},
    {"ZREMRANGEBYRANK", Write},
    {"ZREMRANGEBYLEX", Write},
    {"ZPOPMIN", Write},
    {"ZPOPMAX", Write},
    {"ZMPOP", Write},
    {"ZRANGESTORE", Write},
    {"ZINTERSTORE", Write},
    {"ZUNIONSTORE", Write},
    {"ZDIFFSTORE", Write},
    {"BZPOPMIN", Write | Blocks},
    {"BZPOPMAX", Write | Blocks},
    {"BZMPOP", Write | Blocks},
    // streams (XREADGROUP changes the pending list)
    {"XRANGE", Read},
    {"XREVRANGE", Read},
    {"XLEN", Read},
    {"XPENDING", Read},
    {"XINFO", Read},
    {"XREAD", Read | BlocksWithOption},
    {"XREADGROUP", Write | BlocksWithOption},
    {"XADD", Write},
    {"XDEL", Write},
    {"XTRIM", Write},
    {"XGROUP", Write},
    {"XACK", Write},
    {"XCLAIM", Write},
    {"XAUTOCLAIM", Write},
    {"XSETID", Write},
    // hyperloglog, geo
    {"PFCOUNT", Read},
    {"PFADD", Write},
    {"PFMERGE", Write},
    {"GEOPOS", Read},
    {"GEODIST", Read},
    {"GEOHASH", Read},
    {"GEORADIUS_RO", Read},
    {"GEORADIUSBYMEMBER_RO", Read},
    {"GEOSEARCH", Read},
    {"GEORADIUS", Read | StoreWrites},
    {"GEORADIUSBYMEMBER", Read | StoreWrites},
    {"GEOADD", Write},
    {"GEOSEARCHSTORE", Write},
    // scripting
    {"EVAL_RO", Read},
    {"EVALSHA_RO", Read},
    {"FCALL_RO", Read},
    {"EVAL", Write},
    {"EVALSHA", Write},
    {"FCALL", Write},
    // pub/sub
    {"PUBSUB", Read},
    {"UNSUBSCRIBE", Read},
    {"PUNSUBSCRIBE", Read},
    {"SUNSUBSCRIBE", Read},
    {"SUBSCRIBE", Read | Streams},
    {"PSUBSCRIBE", Read | Streams},
    {"SSUBSCRIBE", Read | Streams},
    {"PUBLISH", Write},
    {"SPUBLISH", Write},
    // transactions (each queued command is checked on its own)
    {"MULTI", Read},
    {"EXEC", Read},
    {"DISCARD", Read},
    {"WATCH", Read},
    {"UNWATCH", Read},
    // connection
    {"PING", Read},
    {"ECHO", Read},
    {"SELECT", Read},
    {"AUTH", Read},
    {"HELLO", Read | ResetsOnProtocol3},
    {"READONLY", Read},
    {"READWRITE", Read},
    {"QUIT", Read | Resets},
    {"RESET", Read | Resets},
    // server
    {"INFO", Read},
    {"TIME", Read},
    {"LASTSAVE", Read},
    {"ROLE", Read},
    {"COMMAND", Read},
    {"LOLWUT", Read},
    {"WAIT", Read | Blocks},
    {"WAITAOF", Read | Blocks},
    {"MONITOR", Read | Streams},
    {"SYNC", Write | Streams},
    {"PSYNC", Write | Streams},
    {"FLUSHDB", Write},
    {"FLUSHALL", Write},
    {"SWAPDB", Write},
    {"SAVE", Write},
    {"BGSAVE", Write},
    {"BGREWRITEAOF", Write},
    {"SHUTDOWN", Write},
    {"REPLICAOF", Write},
    {"SLAVEOF", Write},
    {"FAILOVER", Write},
    {"DEBUG", Write},
    {"CONFIG", Subcommands},
    {"MEMORY", Subcommands},
    {"CLIENT", Subcommands},
    {"SLOWLOG", Subcommands},
    {"LATENCY", Subcommands},
    {"ACL", Subcommands},
    {"CLUSTER", Subcommands},
    {"SCRIPT", Subcommands},
    {"FUNCTION", Subcommands},
    {"MODULE", Subcommands},
};

struct SubEntry
{
    const char *parent;
    const char *name;
    unsigned flags;
};

// The subcommands that only read, and those that change the connection; the others of these
// parents change the server.
constexpr SubEntry kSubcommands[] = {
    {"CONFIG", "GET", Read},
    {"CONFIG", "HELP", Read},
    {"MEMORY", "USAGE", Read},
    {"MEMORY", "STATS", Read},
    {"MEMORY", "DOCTOR", Read},
    {"MEMORY", "MALLOC-STATS", Read},
    {"MEMORY", "HELP", Read},
    {"CLIENT", "GETNAME", Read},
    {"CLIENT", "SETNAME", Read},
    {"CLIENT", "ID", Read},
    {"CLIENT", "INFO", Read},
    {"CLIENT", "LIST", Read},
    {"CLIENT", "GETREDIR", Read},
    {"CLIENT", "TRACKINGINFO", Read},
    {"CLIENT", "HELP", Read},
    {"CLIENT", "NO-EVICT", Read},
    {"CLIENT", "NO-TOUCH", Read},
    // OFF and SKIP leave the client waiting for replies that never come.
    {"CLIENT", "REPLY", Read | Resets},
    {"SLOWLOG", "GET", Read},
    {"SLOWLOG", "LEN", Read},
    {"SLOWLOG", "HELP", Read},
    {"LATENCY", "LATEST", Read},
    {"LATENCY", "HISTORY", Read},
    {"LATENCY", "GRAPH", Read},
    {"LATENCY", "DOCTOR", Read},
    {"LATENCY", "HISTOGRAM", Read},
    {"LATENCY", "HELP", Read},
    {"ACL", "WHOAMI", Read},
    {"ACL", "LIST", Read},
    {"ACL", "USERS", Read},
    {"ACL", "GETUSER", Read},
    {"ACL", "CAT", Read},
    {"ACL", "LOG", Read},
    {"ACL", "DRYRUN", Read},
    {"ACL", "HELP", Read},
    {"CLUSTER", "INFO", Read},
    {"CLUSTER", "NODES", Read},
    {"CLUSTER", "SLOTS", Read},
    {"CLUSTER", "SHARDS", Read},
    {"CLUSTER", "MYID", Read},
    {"CLUSTER", "KEYSLOT", Read},
    {"CLUSTER", "COUNTKEYSINSLOT", Read},
    {"CLUSTER", "GETKEYSINSLOT", Read},
    {"CLUSTER", "REPLICAS", Read},
    {"CLUSTER", "SLAVES", Read},
    {"CLUSTER", "LINKS", Read},
    {"CLUSTER", "HELP", Read},
    {"SCRIPT", "EXISTS", Read},
    {"SCRIPT", "HELP", Read},
    {"FUNCTION", "LIST", Read},
    {"FUNCTION", "DUMP", Read},
    {"FUNCTION", "STATS", Read},
    {"FUNCTION", "HELP", Read},
    {"MODULE", "LIST", Read},
    {"MODULE", "HELP", Read},
};

const QHash<QByteArray, unsigned> &commands()
{
    static const QHash<QByteArray, unsigned> table = [] {
        QHash<QByteArray, unsigned> t;
        for (const Entry &e : kCommands)
            t.insert(QByteArray(e.name), e.flags);
        return t;
    }();
    return table;
}

const QHash<QByteArray, unsigned> &subcommands()
{
    static const QHash<QByteArray, unsigned> table = [] {
        QHash<QByteArray, unsigned> t;
        for (const SubEntry &e : kSubcommands)
            t.insert(QByteArray(e.parent) + ' ' + e.name, e.flags);
        return t;
    }();
    return table;
}

bool hasOption(const QList<QByteArray> &args, std::initializer_list<const char *> options)
{
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QByteArray upper = args[i].toUpper();
        for (const char *option : options)
            if (upper == option)
                return true;
    }
    return false;
}

} // namespace

RedisCommandInfo RedisCommandTable::describe(const QList<QByteArray> &args)
{
    RedisCommandInfo info;
    if (args.isEmpty()) {
        info.writes = false; // nothing to send (the connection refuses it as empty)
        return info;
    }
    const QByteArray name = args.first().toUpper();
    const auto found = commands().constFind(name);
    if (found == commands().constEnd())
        return info; // unknown: a write, as far as anyone can tell
    unsigned flags = *found;
    if (flags & Subcommands) {
        if (args.size() < 2) {
            flags = Read; // the server answers with its own usage error
        } else {
            const auto sub = subcommands().constFind(name + ' ' + args[1].toUpper());
            flags = sub == subcommands().constEnd() ? Write : *sub;
        }
    }
    info.known = true;
    info.writes =
        (flags & Write) || ((flags & StoreWrites) && hasOption(args, {"STORE", "STOREDIST"}));
    info.blocks = (flags & Blocks) || ((flags & BlocksWithOption) && hasOption(args, {"BLOCK"}));
    info.streams = flags & Streams;
    info.resetsConnection =
        (flags & Resets) || ((flags & ResetsOnProtocol3) && args.size() > 1 && args[1] != "2");
    return info;
}

QString RedisCommandTable::readOnlyRefusal(const QList<QByteArray> &args)
{
    const RedisCommandInfo info = describe(args);
    if (!info.writes || args.isEmpty())
        return {};
    const QByteArray upper = args.first().toUpper();
    const QString name = QString::fromUtf8(upper);
    if (!info.known)
        return QStringLiteral("%1 is not known to be read-only and this profile is read-only")
            .arg(name);
    // Why it writes, from the command's own entry (describe() resolved the subcommand).
    const unsigned flags = commands().value(upper);
    if (flags & StoreWrites)
        return QStringLiteral("%1 … STORE writes a key and this profile is read-only").arg(name);
    if ((flags & Subcommands) && args.size() > 1)
        return QStringLiteral("%1 %2 can change the server and this profile is read-only")
            .arg(name, QString::fromUtf8(args[1].toUpper()));
    return QStringLiteral("%1 can change data and this profile is read-only").arg(name);
}

} // namespace bd::connectors
