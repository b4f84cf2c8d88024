// Runs the brokerdesk-cli executable as a script would, against the fixture's redis-server.
#include "audit/auditlog.h"
#include "celerycaptures.h"
#include "celeryworker.h"
#include "testredis.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QUuid>

using bd::test::PrivateRedisServer;
using bd::test::RedisFixture;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 elapsedMs = 0;
};

Run cli(const QStringList &args)
{
    QProcess p;
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral(BROKERDESK_CLI), args);
    p.waitForFinished(30000);
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
               p.readAllStandardOutput(), p.readAllStandardError(), t.elapsed()};
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pingPrintsPong();
    void execPrintsLikeRedisCli();
    void jsonIsMachineReadable();
    void binaryArgumentsStayExact();
    void keysListsKeysWithTypeAndTtl();
    void ttlPrintsMilliseconds();
    void wrongPasswordIsOneLineAndExitOne();
    void closedPortIsRefusedQuickly();
    void readOnlyRefusesWrites();
    void subscribePrintsWhatIsPublished();
    void subscribeEscapesBinaryPayloads();
    void subscribeTimesOutAndPublishIsAWrite();
    void queuesAndPeekReadCeleryQueues();
    void sendRunsOnARealWorkerAndWaits();
    void usageErrorsExitTwo_data();
    void usageErrorsExitTwo();

private:
    RedisFixture m_fixture;
    QString m_url;
};

void TestCli::initTestCase()
{
    m_fixture = RedisFixture::load();
    QVERIFY2(m_fixture.ok, qPrintable(m_fixture.error));
    m_url = m_fixture.url(6);
}

void TestCli::pingPrintsPong()
{
    const Run r = cli({QStringLiteral("--url"), m_url, QStringLiteral("ping")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("PONG\n"));
    QVERIFY(r.err.isEmpty());
}

void TestCli::execPrintsLikeRedisCli()
{
    QCOMPARE(cli({QStringLiteral("--url"), m_url, QStringLiteral("exec"), QStringLiteral("DEL"),
                  QStringLiteral("cli:l")})
                 .exitCode,
             0);
    Run r = cli({QStringLiteral("--url"), m_url, QStringLiteral("exec"), QStringLiteral("RPUSH"),
                 QStringLiteral("cli:l"), QStringLiteral("a"), QStringLiteral("Иван Петров"),
                 QStringLiteral("c\"q")});
    QCOMPARE(r.out, QByteArray("(integer) 3\n"));
    r = cli({QStringLiteral("--url"), m_url, QStringLiteral("exec"), QStringLiteral("LRANGE"),
             QStringLiteral("cli:l"), QStringLiteral("0"), QStringLiteral("-1")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QString::fromUtf8(r.out),
             QStringLiteral("1) \"a\"\n2) \"Иван Петров\"\n3) \"c\\\"q\"\n"));
    r = cli({QStringLiteral("--url"), m_url, QStringLiteral("exec"), QStringLiteral("GET"),
             QStringLiteral("cli:none")});
    QCOMPARE(r.out, QByteArray("(nil)\n"));
    // INFO prints as a plain report, as redis-cli prints it.
    r = cli({QStringLiteral("--url"), m_url, QStringLiteral("exec"), QStringLiteral("INFO"),
             QStringLiteral("server")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("# Server\r\nredis_version:"), r.out.left(40).constData());
    QVERIFY(!r.out.endsWith("\n\n"));
    r = cli(
        {QStringLiteral("--url"), m_url, QStringLiteral("exec"), QStringLiteral("NOSUCHCOMMAND")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("brokerdesk-cli: (error) ERR unknown command"), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
}

void TestCli::jsonIsMachineReadable()
{
    const Run r = cli({QStringLiteral("--url"), m_url, QStringLiteral("--json"),
                       QStringLiteral("exec"), QStringLiteral("LRANGE"), QStringLiteral("cli:l"),
                       QStringLiteral("0"), QStringLiteral("0")});
    QCOMPARE(r.exitCode, 0);
    const QJsonDocument doc = QJsonDocument::fromJson(r.out);
    QVERIFY(doc.isArray());
    QCOMPARE(doc.array().first().toString(), QStringLiteral("a"));
}

void TestCli::binaryArgumentsStayExact()
{
#ifdef Q_OS_UNIX
    // A shell passes $'\xff\xfe' as two raw bytes; they must reach Redis unchanged.
    QProcess shell;
    shell.start(QStringLiteral("bash"),
                {QStringLiteral("-c"),
                 QStringLiteral("\"$0\" --url \"$1\" exec SET $'cli:bin\\xff\\xfe' $'v\\xc3(' && "
                                "\"$0\" --url \"$1\" --json exec GET $'cli:bin\\xff\\xfe'"),
                 QStringLiteral(BROKERDESK_CLI), m_url});
    QVERIFY(shell.waitForFinished(20000));
    QCOMPARE(shell.exitCode(), 0);
    QCOMPARE(shell.readAllStandardOutput(), QByteArray("OK\n{\"base64\":\"dsMo\"}\n"));
#else
    QSKIP("raw argv bytes are a Unix notion");
#endif
}

void TestCli::keysListsKeysWithTypeAndTtl()
{
    const QString url = m_fixture.url(9);
    QCOMPARE(cli({QStringLiteral("--url"), url, QStringLiteral("exec"), QStringLiteral("FLUSHDB")})
                 .exitCode,
             0);
    for (const QStringList &cmd :
         {QStringList{QStringLiteral("SET"), QStringLiteral("k:1"), QStringLiteral("a"),
                      QStringLiteral("EX"), QStringLiteral("600")},
          QStringList{QStringLiteral("SET"), QStringLiteral("k:2"), QStringLiteral("b")},
          QStringList{QStringLiteral("RPUSH"), QStringLiteral("q"), QStringLiteral("x")}})
        QCOMPARE(
            cli(QStringList{QStringLiteral("--url"), url, QStringLiteral("exec")} + cmd).exitCode,
            0);

    Run r = cli({QStringLiteral("--url"), url, QStringLiteral("keys"), QStringLiteral("--match"),
                 QStringLiteral("k:*")});
    QCOMPARE(r.exitCode, 0);
    QList<QByteArray> lines = r.out.trimmed().split('\n');
    std::sort(lines.begin(), lines.end());
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[0].startsWith("k:1\tstring\t"), lines[0].constData());
    const qint64 ttl = lines[0].split('\t').last().toLongLong();
    QVERIFY(ttl > 590'000 && ttl <= 600'000);
    QCOMPARE(lines[1], QByteArray("k:2\tstring\t-1"));

    r = cli({QStringLiteral("--url"), url, QStringLiteral("keys"), QStringLiteral("--type"),
             QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("{\"key\":\"q\",\"ttl_ms\":-1,\"type\":\"list\"}\n"));

    r = cli({QStringLiteral("--url"), url, QStringLiteral("keys"), QStringLiteral("--limit"),
             QStringLiteral("2")});
    QCOMPARE(r.out.count('\n'), 2);
    QCOMPARE(cli({QStringLiteral("--url"), url, QStringLiteral("keys"), QStringLiteral("--limit"),
                  QStringLiteral("0")})
                 .exitCode,
             2);
}

void TestCli::ttlPrintsMilliseconds()
{
    const QString url = m_fixture.url(9);
    Run r = cli({QStringLiteral("--url"), url, QStringLiteral("ttl"), QStringLiteral("k:1")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.trimmed().toLongLong() > 590'000);
    r = cli({QStringLiteral("--url"), url, QStringLiteral("ttl"), QStringLiteral("k:2")});
    QCOMPARE(r.out, QByteArray("-1\n"));
    r = cli({QStringLiteral("--url"), url, QStringLiteral("ttl"), QStringLiteral("k:none")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err, QByteArray("brokerdesk-cli: no such key: k:none\n"));
    r = cli({QStringLiteral("--url"), url, QStringLiteral("ttl"), QStringLiteral("k:2"),
             QStringLiteral("--json")});
    QCOMPARE(r.out, QByteArray("{\"key\":\"k:2\",\"ttl_ms\":-1}\n"));
}

void TestCli::wrongPasswordIsOneLineAndExitOne()
{
    const Run r = cli({QStringLiteral("--url"),
                       QStringLiteral("redis://app:wrong@127.0.0.1:%1/0").arg(m_fixture.port),
                       QStringLiteral("ping")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("brokerdesk-cli: authentication failed: WRONGPASS"),
             r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(!r.err.contains("wrong")); // the password itself is never echoed
}

void TestCli::closedPortIsRefusedQuickly()
{
    const quint16 closed = PrivateRedisServer::freePort();
    const Run r = cli({QStringLiteral("--url"), QStringLiteral("redis://127.0.0.1:%1").arg(closed),
                       QStringLiteral("ping")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(
        r.err,
        QStringLiteral("brokerdesk-cli: connection refused: 127.0.0.1:%1\n").arg(closed).toUtf8());
    QVERIFY(r.elapsedMs < 5000);
}

void TestCli::readOnlyRefusesWrites()
{
    const Run r = cli({QStringLiteral("--url"), m_url, QStringLiteral("--read-only"),
                       QStringLiteral("exec"), QStringLiteral("FLUSHDB")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("read-only"), r.err.constData());
    QCOMPARE(cli({QStringLiteral("--url"), m_url, QStringLiteral("exec"), QStringLiteral("EXISTS"),
                  QStringLiteral("cli:l")})
                 .out,
             QByteArray("(integer) 1\n"));
}

void TestCli::subscribePrintsWhatIsPublished()
{
    QProcess subscriber;
    subscriber.start(QStringLiteral(BROKERDESK_CLI),
                     {QStringLiteral("--url"), m_url, QStringLiteral("subscribe"),
                      QStringLiteral("cli:chan"), QStringLiteral("cli:pat:*"),
                      QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--json")});
    QVERIFY(subscriber.waitForStarted());
    // Subscribed once the server counts it (SUBSCRIBE and PSUBSCRIBE go out together).
    QVERIFY(QTest::qWaitFor(
        [&] {
            return cli({QStringLiteral("--url"), m_url, QStringLiteral("exec"),
                        QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"),
                        QStringLiteral("cli:chan")})
                .out.contains("(integer) 1");
        },
        10000));
    const Run published = cli({QStringLiteral("--url"), m_url, QStringLiteral("publish"),
                               QStringLiteral("cli:chan"), QStringLiteral("hello")});
    QCOMPARE(published.exitCode, 0);
    QCOMPARE(published.out, QByteArray("(integer) 1\n")); // one receiver: the subscriber
    for (const QString &payload :
         {QStringLiteral("{\"event\": \"registry_updated\"}"), QStringLiteral("é ünïcode")})
        QCOMPARE(cli({QStringLiteral("--url"), m_url, QStringLiteral("publish"),
                      QStringLiteral("cli:pat:1"), payload})
                     .exitCode,
                 0);
    QVERIFY(subscriber.waitForFinished(10000));
    QCOMPARE(subscriber.exitCode(), 0); // stopped at --count 3
    const QList<QByteArray> lines = subscriber.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(first.value(QStringLiteral("channel")).toString(), QStringLiteral("cli:chan"));
    QVERIFY(first.value(QStringLiteral("pattern")).isNull());
    QCOMPARE(first.value(QStringLiteral("payload")).toString(), QStringLiteral("hello"));
    QVERIFY(first.value(QStringLiteral("time_ms")).toDouble() > 1.6e12);
    const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(second.value(QStringLiteral("channel")).toString(), QStringLiteral("cli:pat:1"));
    QCOMPARE(second.value(QStringLiteral("pattern")).toString(), QStringLiteral("cli:pat:*"));
    QCOMPARE(second.value(QStringLiteral("payload")).toString(),
             QStringLiteral("{\"event\": \"registry_updated\"}"));
    QCOMPARE(QJsonDocument::fromJson(lines[2]).object().value(QStringLiteral("payload")).toString(),
             QStringLiteral("é ünïcode"));
}

void TestCli::subscribeEscapesBinaryPayloads()
{
#ifdef Q_OS_UNIX
    // Bytes that are not UTF-8, published from a shell ($'…'), come out escaped: base64 in JSON,
    // \x escapes in text.
    for (const bool json : {true, false}) {
        QProcess subscriber;
        QStringList args{QStringLiteral("--url"),     m_url,
                         QStringLiteral("subscribe"), QStringLiteral("cli:bin"),
                         QStringLiteral("--count"),   QStringLiteral("1")};
        if (json)
            args << QStringLiteral("--json");
        subscriber.start(QStringLiteral(BROKERDESK_CLI), args);
        QVERIFY(subscriber.waitForStarted());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return cli({QStringLiteral("--url"), m_url, QStringLiteral("exec"),
                            QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"),
                            QStringLiteral("cli:bin")})
                    .out.contains("(integer) 1");
            },
            10000));
        QProcess shell;
        shell.start(QStringLiteral("bash"),
                    {QStringLiteral("-c"),
                     QStringLiteral("\"$0\" --url \"$1\" publish cli:bin $'v\\xc3('"),
                     QStringLiteral(BROKERDESK_CLI), m_url});
        QVERIFY(shell.waitForFinished(20000));
        QCOMPARE(shell.readAllStandardOutput(), QByteArray("(integer) 1\n"));
        QVERIFY(subscriber.waitForFinished(10000));
        QCOMPARE(subscriber.exitCode(), 0);
        const QByteArray out = subscriber.readAllStandardOutput();
        if (json)
            QCOMPARE(QJsonDocument::fromJson(out)
                         .object()
                         .value(QStringLiteral("payload"))
                         .toObject()
                         .value(QStringLiteral("base64"))
                         .toString(),
                     QStringLiteral("dsMo"));
        else
            QCOMPARE(out, QByteArray("cli:bin\tv\\xc3(\n"));
    }
#else
    QSKIP("raw argv bytes are a Unix notion");
#endif
}

void TestCli::subscribeTimesOutAndPublishIsAWrite()
{
    // --timeout alone is a capture window (exit 0); with --count unmet it is a failure.
    Run r = cli({QStringLiteral("--url"), m_url, QStringLiteral("subscribe"),
                 QStringLiteral("cli:silent"), QStringLiteral("--timeout"), QStringLiteral("0.3")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.isEmpty());
    r = cli({QStringLiteral("--url"), m_url, QStringLiteral("subscribe"),
             QStringLiteral("cli:silent"), QStringLiteral("--count"), QStringLiteral("2"),
             QStringLiteral("--timeout"), QStringLiteral("0.3")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("timed out after 0.3 s with 0 of 2 messages"), r.err.constData());
    r = cli({QStringLiteral("--url"), m_url, QStringLiteral("--read-only"),
             QStringLiteral("publish"), QStringLiteral("cli:chan"), QStringLiteral("x")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("read-only"), r.err.constData());
}

void TestCli::queuesAndPeekReadCeleryQueues()
{
    const QString url = m_fixture.url(16);
    const auto exec = [&url](const QList<QByteArray> &args) {
        QStringList command{QStringLiteral("--url"), url, QStringLiteral("exec")};
        for (const QByteArray &a : args)
            command << QString::fromUtf8(a);
        return cli(command).exitCode;
    };
    QCOMPARE(exec({"FLUSHDB"}), 0);
    QCOMPARE(exec({"SADD", "_kombu.binding.celery",
                   "celery\x06\x16\x06\x16"
                   "celery"}),
             0);
    QCOMPARE(exec({"LPUSH", "celery", bd::test::kCapturedTask}), 0);
    QCOMPARE(exec({"LPUSH",
                   "celery\x06\x16"
                   "9",
                   "{not json"}),
             0);

    Run r = cli({QStringLiteral("--url"), url, QStringLiteral("queues")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("celery\t2\t1\t0\t0\t1\n"));
    r = cli({QStringLiteral("--url"), url, QStringLiteral("queues"), QStringLiteral("--json")});
    const QJsonArray queues = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(queues.size(), 1);
    QCOMPARE(queues[0][QStringLiteral("by_priority")][QStringLiteral("9")].toInt(), 1);
    QCOMPARE(queues[0][QStringLiteral("declared")].toBool(), true);

    r = cli({QStringLiteral("--url"), url, QStringLiteral("peek"), QStringLiteral("celery")});
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0],
             QByteArray("0\ttasks.add\t11111111-1111-1111-1111-111111111111\t[2,3]\t{}\t-"));
    QVERIFY2(lines[1].startsWith("1\t(undecodable: "), lines[1].constData());

    r = cli({QStringLiteral("--url"), url, QStringLiteral("peek"), QStringLiteral("celery"),
             QStringLiteral("--json"), QStringLiteral("--offset"), QStringLiteral("1")});
    const QJsonObject garbage = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(garbage[QStringLiteral("position")].toInt(), 1);
    QCOMPARE(garbage[QStringLiteral("priority_step")].toInt(), 9);
    QCOMPARE(garbage[QStringLiteral("raw")].toString(), QStringLiteral("{not json"));
    QCOMPARE(cli({QStringLiteral("--url"), url, QStringLiteral("peek")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("--url"), url, QStringLiteral("peek"), QStringLiteral("celery"),
                  QStringLiteral("--limit"), QStringLiteral("0")})
                 .exitCode,
             2);
}

void TestCli::sendRunsOnARealWorkerAndWaits()
{
    PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    bd::test::CeleryWorker worker(server.url(0));
    QVERIFY2(worker.start(), qPrintable(worker.log()));
    const QString url = server.url(0);

    Run r = cli({QStringLiteral("--url"), url, QStringLiteral("send"),
                 QStringLiteral("tasks.celery_tasks.add"), QStringLiteral("--args"),
                 QStringLiteral("[2, 3]"), QStringLiteral("--priority"), QStringLiteral("9"),
                 QStringLiteral("--wait"), QStringLiteral("30")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QString id = QString::fromLatin1(lines[0]);
    QVERIFY(!QUuid::fromString(id).isNull());
    QCOMPARE(lines[1], QByteArray("SUCCESS 5"));
    // Audited, in the log the console shows, naming the server but never a password.
    QFile audit(bd::connectors::AuditLog::defaultPath());
    QVERIFY(audit.open(QIODevice::ReadOnly));
    const QByteArray records = audit.readAll();
    const qsizetype at = records.indexOf(id.toLatin1());
    QVERIFY2(at >= 0, records.right(500).constData());
    const qsizetype lineStart = records.lastIndexOf('\n', at) + 1;
    const QJsonObject record =
        QJsonDocument::fromJson(records.mid(lineStart, records.indexOf('\n', at) - lineStart))
            .object();
    QCOMPARE(record[QStringLiteral("action")].toString(), QStringLiteral("send"));
    QCOMPARE(record[QStringLiteral("target")].toString(), QStringLiteral("celery"));
    QCOMPARE(record[QStringLiteral("profile")].toString(), QStringLiteral("brokerdesk-cli ") + url);
    QCOMPARE(record[QStringLiteral("outcome")].toString(),
             QStringLiteral("sent tasks.celery_tasks.add"));
    r = cli({QStringLiteral("--url"), url, QStringLiteral("result"), id, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out).object()[QStringLiteral("result")].toInt(), 5);

    // A task that raises: its traceback, and exit 1.
    r = cli({QStringLiteral("--url"), url, QStringLiteral("send"),
             QStringLiteral("tasks.celery_tasks.parse_shift_report"), QStringLiteral("--args"),
             QStringLiteral("[3]"), QStringLiteral("--wait"), QStringLiteral("30")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("\nFAILURE ") && r.out.contains("Traceback (most recent call last)")
                 && r.out.contains("KeyError"),
             r.out.constData());

    // Nothing stored is PENDING; a message that would fail is not sent at all.
    r = cli(
        {QStringLiteral("--url"), url, QStringLiteral("result"), QStringLiteral("no-such-task")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("PENDING\n"));
    QCOMPARE(cli({QStringLiteral("--url"), url, QStringLiteral("send"),
                  QStringLiteral("tasks.celery_tasks.add"), QStringLiteral("--args"),
                  QStringLiteral("{}")})
                 .exitCode,
             2);
    QCOMPARE(cli({QStringLiteral("--url"), url, QStringLiteral("send"),
                  QStringLiteral("tasks.celery_tasks.add"), QStringLiteral("--countdown"),
                  QStringLiteral("60"), QStringLiteral("--expires"), QStringLiteral("10")})
                 .exitCode,
             2);
    QCOMPARE(cli({QStringLiteral("--url"), url, QStringLiteral("exec"), QStringLiteral("LLEN"),
                  QStringLiteral("celery")})
                 .out.trimmed(),
             QByteArray("(integer) 0"));
}

void TestCli::usageErrorsExitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no command") << QStringList{QStringLiteral("--url"),
                                               QStringLiteral("redis://h")};
    QTest::newRow("unknown command") << QStringList{
        QStringLiteral("--url"), QStringLiteral("redis://h"), QStringLiteral("frobnicate")};
    QTest::newRow("bad url") << QStringList{
        QStringLiteral("--url"), QStringLiteral("redis://h:99999"), QStringLiteral("ping")};
    QTest::newRow("exec without command")
        << QStringList{QStringLiteral("--url"), m_url, QStringLiteral("exec")};
    QTest::newRow("subscribe to nothing") << QStringList{
        QStringLiteral("--url"), m_url, QStringLiteral("subscribe"), QStringLiteral("--json")};
    QTest::newRow("subscribe --count 0")
        << QStringList{QStringLiteral("--url"),     m_url,
                       QStringLiteral("subscribe"), QStringLiteral("c"),
                       QStringLiteral("--count"),   QStringLiteral("0")};
    QTest::newRow("publish without message") << QStringList{
        QStringLiteral("--url"), m_url, QStringLiteral("publish"), QStringLiteral("c")};
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("--nope"), QStringLiteral("ping")};
    // The command table says these take the connection over: never sent.
    QTest::newRow("exec SUBSCRIBE")
        << QStringList{QStringLiteral("--url"), m_url, QStringLiteral("exec"),
                       QStringLiteral("subscribe"), QStringLiteral("c")};
    QTest::newRow("exec CLIENT REPLY OFF")
        << QStringList{QStringLiteral("--url"), m_url,
                       QStringLiteral("exec"),  QStringLiteral("CLIENT"),
                       QStringLiteral("REPLY"), QStringLiteral("OFF")};
    QTest::newRow("send --args [1e400]")
        << QStringList{QStringLiteral("--url"),  m_url,
                       QStringLiteral("send"),   QStringLiteral("t"),
                       QStringLiteral("--args"), QStringLiteral("[1e400]")};
}

void TestCli::usageErrorsExitTwo()
{
    QFETCH(QStringList, args);
    const Run r = cli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.startsWith("brokerdesk-cli: "));
    if (args.contains(QStringLiteral("[1e400]"))) // says where, as the Run task dialog does
        QVERIFY2(r.err.contains("--args is not valid JSON at line 1, column 2: number overflow"),
                 r.err.constData());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
