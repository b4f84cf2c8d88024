#include "redis/readonlypolicy.h"

#include <QTest>

using bd::connectors::ReadOnlyPolicy;

class TestReadOnlyPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decides_data();
    void decides();
};

void TestReadOnlyPolicy::decides_data()
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
}

void TestReadOnlyPolicy::decides()
{
    QFETCH(QList<QByteArray>, command);
    QFETCH(bool, allowed);
    QCOMPARE(ReadOnlyPolicy::isAllowed(command), allowed);
    if (!allowed)
        QVERIFY(ReadOnlyPolicy::refusalReason(command).contains(QLatin1String("read-only")));
}

QTEST_GUILESS_MAIN(TestReadOnlyPolicy)
#include "tst_readonlypolicy.moc"
