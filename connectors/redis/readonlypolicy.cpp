#include "readonlypolicy.h"

#include <QSet>

namespace bd::connectors {

namespace {

const QSet<QByteArray> &readCommands()
{
    static const QSet<QByteArray> set = {
        // keyspace
        "EXISTS",
        "TYPE",
        "TTL",
        "PTTL",
        "EXPIRETIME",
        "PEXPIRETIME",
        "SCAN",
        "KEYS",
        "RANDOMKEY",
        "DBSIZE",
        "DUMP",
        "OBJECT",
        "TOUCH",
        // strings and bits
        "GET",
        "MGET",
        "STRLEN",
        "GETRANGE",
        "SUBSTR",
        "GETBIT",
        "BITCOUNT",
        "BITPOS",
        "BITFIELD_RO",
        "LCS",
        // hashes
        "HGET",
        "HMGET",
        "HGETALL",
        "HKEYS",
        "HVALS",
        "HLEN",
        "HEXISTS",
        "HSTRLEN",
        "HSCAN",
        "HRANDFIELD",
        // lists
        "LRANGE",
        "LLEN",
        "LINDEX",
        "LPOS",
        // sets
        "SMEMBERS",
        "SISMEMBER",
        "SMISMEMBER",
        "SCARD",
        "SSCAN",
        "SRANDMEMBER",
        "SINTER",
        "SINTERCARD",
        "SUNION",
        "SDIFF",
        // sorted sets
        "ZRANGE",
        "ZRANGEBYSCORE",
        "ZREVRANGEBYSCORE",
        "ZRANGEBYLEX",
        "ZREVRANGEBYLEX",
        "ZREVRANGE",
        "ZSCORE",
        "ZMSCORE",
        "ZCARD",
        "ZCOUNT",
        "ZLEXCOUNT",
        "ZRANK",
        "ZREVRANK",
        "ZSCAN",
        "ZRANDMEMBER",
        "ZINTER",
        "ZUNION",
        "ZDIFF",
        "ZINTERCARD",
        // streams (XREADGROUP changes the pending list, so it is not here)
        "XRANGE",
        "XREVRANGE",
        "XLEN",
        "XREAD",
        "XINFO",
        "XPENDING",
        // hyperloglog, geo
        "PFCOUNT",
        "GEOPOS",
        "GEODIST",
        "GEOHASH",
        "GEORADIUS_RO",
        "GEORADIUSBYMEMBER_RO",
        "GEOSEARCH",
        // read-only scripting variants
        "EVAL_RO",
        "EVALSHA_RO",
        "FCALL_RO",
        "SORT_RO",
        // server and connection
        "PING",
        "ECHO",
        "INFO",
        "TIME",
        "LASTSAVE",
        "ROLE",
        "COMMAND",
        "SELECT",
        "AUTH",
        "HELLO",
        "QUIT",
        "RESET",
        "READONLY",
        "READWRITE",
        "WAIT",
        "LOLWUT",
        // transactions (each queued command is checked on its own)
        "MULTI",
        "EXEC",
        "DISCARD",
        "WATCH",
        "UNWATCH",
        // pub/sub reads
        "SUBSCRIBE",
        "UNSUBSCRIBE",
        "PSUBSCRIBE",
        "PUNSUBSCRIBE",
        "SSUBSCRIBE",
        "SUNSUBSCRIBE",
        "PUBSUB",
        "MONITOR",
    };
    return set;
}

// Parent commands whose read-only subcommands are listed here; other subcommands are refused.
const QHash<QByteArray, QSet<QByteArray>> &readSubcommands()
{
    static const QHash<QByteArray, QSet<QByteArray>> map = {
        {"CONFIG", {"GET", "HELP"}},
        {"MEMORY", {"USAGE", "STATS", "DOCTOR", "MALLOC-STATS", "HELP"}},
        {"CLIENT",
         {"GETNAME", "SETNAME", "ID", "INFO", "LIST", "GETREDIR", "TRACKINGINFO", "HELP",
          "NO-EVICT", "NO-TOUCH"}},
        {"SLOWLOG", {"GET", "LEN", "HELP"}},
        {"LATENCY", {"LATEST", "HISTORY", "GRAPH", "DOCTOR", "HISTOGRAM", "HELP"}},
        {"ACL", {"WHOAMI", "LIST", "USERS", "GETUSER", "CAT", "LOG", "DRYRUN", "HELP"}},
        {"CLUSTER",
         {"INFO", "NODES", "SLOTS", "SHARDS", "MYID", "KEYSLOT", "COUNTKEYSINSLOT", "GETKEYSINSLOT",
          "REPLICAS", "SLAVES", "LINKS", "HELP"}},
        {"SCRIPT", {"EXISTS", "HELP"}},
        {"FUNCTION", {"LIST", "DUMP", "STATS", "HELP"}},
        {"MODULE", {"LIST", "HELP"}},
    };
    return map;
}

} // namespace

QString ReadOnlyPolicy::refusalReason(const QList<QByteArray> &args)
{
    if (args.isEmpty())
        return {};
    const QByteArray name = args.first().toUpper();
    const QString printable = QString::fromUtf8(name);
    if (name == "SORT") {
        for (qsizetype i = 1; i < args.size(); ++i) {
            if (args[i].toUpper() == "STORE")
                return QStringLiteral("SORT … STORE writes a key and this profile is read-only");
        }
        return {};
    }
    if (readCommands().contains(name))
        return {};
    const auto sub = readSubcommands().constFind(name);
    if (sub != readSubcommands().constEnd()) {
        if (args.size() < 2)
            return {}; // the server answers with its own usage error
        const QByteArray subName = args[1].toUpper();
        if (sub->contains(subName))
            return {};
        return QStringLiteral("%1 %2 can change the server and this profile is read-only")
            .arg(printable, QString::fromUtf8(subName));
    }
    return QStringLiteral("%1 can change data and this profile is read-only").arg(printable);
}

} // namespace bd::connectors
