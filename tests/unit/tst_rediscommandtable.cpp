// The one table of Redis commands: what writes (the read-only policy), what blocks, what takes
// the connection over.
#include "redis/rediscommandtable.h"

#include <QTest>

using bd::connectors::RedisCommandInfo;
using bd::connectors::RedisCommandTable;

class TestRedisCommandTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decides_data();
    void decides();
    void blocksAndTakesOver_data();
    void blocksAndTakesOver();
};

void TestRedisCommandTable::decides_data()
{
    QTest::addColumn<QList<QByteArray>>("command");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("GET") << QList<QByteArray>{"get", "k"} << true;
    QTest::newRow("SCAN") << QList<QByteArray>{"SCAN", "0", "MATCH", "user:*"} << true;
    QTest::newRow("HGETALL") << QList<QByteArray>{"HGETALL", "h"} << true;
    QTest::newRow("INFO") << QList<QByteArray>{"INFO"} << true;
    QTest::newRow("CONFIG GET") << QList<QByteArray>{"CONFIG", "GET", "maxmemory"} << true;
    QTest::newRow("MEMORY USAGE") << QList<QByteArray>{"MEMORY", "USAGE", "k"} << true;
    QTest::newRow("SORT without STORE") << QList<QByteArray>{"SORT", "l", "ALPHA"} << true;
    QTest::newRow("SELECT") << QList<QByteArray>{"SELECT", "2"} << true;
    QTest::newRow("SET") << QList<QByteArray>{"SET", "k", "v"} << false;
    QTest::newRow("DEL") << QList<QByteArray>{"del", "k"} << false;
    QTest::newRow("UNLINK") << QList<QByteArray>{"UNLINK", "k"} << false;
    QTest::newRow("EXPIRE") << QList<QByteArray>{"EXPIRE", "k", "10"} << false;
    QTest::newRow("FLUSHALL") << QList<QByteArray>{"FLUSHALL"} << false;
    QTest::newRow("LPUSH") << QList<QByteArray>{"LPUSH", "celery", "{}"} << false;
    QTest::newRow("PUBLISH") << QList<QByteArray>{"PUBLISH", "c", "m"} << false;
    QTest::newRow("EVAL") << QList<QByteArray>{"EVAL", "return 1", "0"} << false;
    QTest::newRow("CONFIG SET") << QList<QByteArray>{"CONFIG", "SET", "notify-keyspace-events",
                                                     "KEA"}
                                << false;
    QTest::newRow("CLIENT KILL") << QList<QByteArray>{"CLIENT", "KILL", "ID", "7"} << false;
    QTest::newRow("SORT STORE") << QList<QByteArray>{"SORT", "l", "STORE", "dst"} << false;
    QTest::newRow("XREADGROUP") << QList<QByteArray>{"XREADGROUP", "GROUP", "g", "c",
                                                     "STREAMS",    "s",     ">"}
                                << false;
    QTest::newRow("MEMORY PURGE") << QList<QByteArray>{"MEMORY", "PURGE"} << false;
    QTest::newRow("unknown module command")
        << QList<QByteArray>{"JSON.SET", "k", "$", "1"} << false;
    QTest::newRow("GEORADIUS") << QList<QByteArray>{"GEORADIUS", "g", "0", "0", "1", "km"} << true;
    QTest::newRow("GEORADIUS STORE")
        << QList<QByteArray>{"GEORADIUS", "g", "0", "0", "1", "km", "store", "d"} << false;
    QTest::newRow("XREAD BLOCK") << QList<QByteArray>{"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}
                                 << true;
    QTest::newRow("BLPOP") << QList<QByteArray>{"BLPOP", "q", "0"} << false;
    QTest::newRow("WAIT") << QList<QByteArray>{"WAIT", "1", "0"} << true;
    QTest::newRow("CLIENT PAUSE") << QList<QByteArray>{"CLIENT", "PAUSE", "1000"} << false;
    QTest::newRow("CONFIG alone") << QList<QByteArray>{"CONFIG"} << true;
    QTest::newRow("empty") << QList<QByteArray>{} << true;
}

void TestRedisCommandTable::decides()
{
    QFETCH(QList<QByteArray>, command);
    QFETCH(bool, allowed);
    const QString refusal = RedisCommandTable::readOnlyRefusal(command);
    QCOMPARE(refusal.isEmpty(), allowed);
    QCOMPARE(RedisCommandTable::describe(command).writes, !allowed);
    if (!allowed)
        QVERIFY(refusal.contains(QLatin1String("read-only")));
}

void TestRedisCommandTable::blocksAndTakesOver_data()
{
    QTest::addColumn<QList<QByteArray>>("command");
    QTest::addColumn<bool>("blocks");
    QTest::addColumn<bool>("takesOver");
    // Blocking: the list the console and the CLI disagreed on (the CLI took every BL*, BR* and
    // BZ* name for blocking, the console every XREAD).
    QTest::newRow("BLPOP") << QList<QByteArray>{"blpop", "q", "0"} << true << false;
    QTest::newRow("BRPOP") << QList<QByteArray>{"BRPOP", "q", "1"} << true << false;
    QTest::newRow("BLMOVE") << QList<QByteArray>{"BLMOVE", "a", "b", "LEFT", "RIGHT", "0"} << true
                            << false;
    QTest::newRow("BRPOPLPUSH") << QList<QByteArray>{"BRPOPLPUSH", "a", "b", "0"} << true << false;
    QTest::newRow("BLMPOP") << QList<QByteArray>{"BLMPOP", "0", "1", "a", "LEFT"} << true << false;
    QTest::newRow("BZPOPMIN") << QList<QByteArray>{"BZPOPMIN", "z", "0"} << true << false;
    QTest::newRow("BZMPOP") << QList<QByteArray>{"BZMPOP", "0", "1", "z", "MIN"} << true << false;
    QTest::newRow("WAIT") << QList<QByteArray>{"WAIT", "1", "0"} << true << false;
    QTest::newRow("WAITAOF") << QList<QByteArray>{"WAITAOF", "1", "0", "0"} << true << false;
    QTest::newRow("XREAD BLOCK") << QList<QByteArray>{"XREAD", "block", "0", "STREAMS", "s", "$"}
                                 << true << false;
    QTest::newRow("XREADGROUP BLOCK")
        << QList<QByteArray>{"XREADGROUP", "GROUP", "g", "c", "BLOCK", "5", "STREAMS", "s", ">"}
        << true << false;
    QTest::newRow("XREAD without BLOCK")
        << QList<QByteArray>{"XREAD", "STREAMS", "s", "0"} << false << false;
    QTest::newRow("BITCOUNT") << QList<QByteArray>{"BITCOUNT", "k"} << false << false;
    QTest::newRow("GET") << QList<QByteArray>{"GET", "k"} << false << false;
    // Taking the connection over.
    QTest::newRow("SUBSCRIBE") << QList<QByteArray>{"subscribe", "c"} << false << true;
    QTest::newRow("PSUBSCRIBE") << QList<QByteArray>{"PSUBSCRIBE", "c*"} << false << true;
    QTest::newRow("SSUBSCRIBE") << QList<QByteArray>{"SSUBSCRIBE", "c"} << false << true;
    QTest::newRow("MONITOR") << QList<QByteArray>{"MONITOR"} << false << true;
    QTest::newRow("RESET") << QList<QByteArray>{"RESET"} << false << true;
    QTest::newRow("QUIT") << QList<QByteArray>{"QUIT"} << false << true;
    QTest::newRow("CLIENT REPLY OFF")
        << QList<QByteArray>{"CLIENT", "REPLY", "OFF"} << false << true;
    QTest::newRow("HELLO 3") << QList<QByteArray>{"HELLO", "3"} << false << true;
    QTest::newRow("HELLO 2") << QList<QByteArray>{"HELLO", "2"} << false << false;
    QTest::newRow("HELLO") << QList<QByteArray>{"HELLO"} << false << false;
    QTest::newRow("PSYNC") << QList<QByteArray>{"PSYNC", "?", "-1"} << false << true;
    QTest::newRow("UNSUBSCRIBE") << QList<QByteArray>{"UNSUBSCRIBE"} << false << false;
}

void TestRedisCommandTable::blocksAndTakesOver()
{
    QFETCH(QList<QByteArray>, command);
    QFETCH(bool, blocks);
    QFETCH(bool, takesOver);
    const RedisCommandInfo info = RedisCommandTable::describe(command);
    QVERIFY(info.known);
    QCOMPARE(info.blocks, blocks);
    QCOMPARE(info.takesOver(), takesOver);
}

QTEST_GUILESS_MAIN(TestRedisCommandTable)
#include "tst_rediscommandtable.moc"
