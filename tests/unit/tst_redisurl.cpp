#include "redis/redisurl.h"

#include <QTest>

using bd::connectors::ConnectionSettings;
using bd::connectors::RedisUrl;

class TestRedisUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesValidUrls_data();
    void parsesValidUrls();
    void rejectsBadUrls_data();
    void rejectsBadUrls();
    void displayUrlNeverHoldsThePassword();
};

void TestRedisUrl::parsesValidUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("transport");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("socketPath");
    QTest::addColumn<int>("db");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("verifyPeer");

    const int tcp = int(ConnectionSettings::Transport::Tcp);
    const int tls = int(ConnectionSettings::Transport::Tls);
    const int unix_ = int(ConnectionSettings::Transport::Unix);
    QTest::newRow("host only") << "redis://cache" << tcp << "cache" << 6379 << "" << 0 << ""
                               << "" << true;
    QTest::newRow("host port db") << "redis://10.0.0.5:6380/3" << tcp << "10.0.0.5" << 6380 << ""
                                  << 3 << ""
                                  << "" << true;
    QTest::newRow("password only")
        << "redis://:s3cret@localhost:6379/0" << tcp << "localhost" << 6379 << "" << 0 << ""
        << "s3cret" << true;
    QTest::newRow("acl user and password")
        << "redis://app:pw@127.0.0.1:6379/1" << tcp << "127.0.0.1" << 6379 << "" << 1 << "app"
        << "pw" << true;
    QTest::newRow("percent-encoded password")
        << "redis://:p%40ss%3Aw%2Frd%25@h/2" << tcp << "h" << 6379 << "" << 2 << ""
        << "p@ss:w/rd%" << true;
    QTest::newRow("ipv6") << "redis://[::1]:6390/4" << tcp << "::1" << 6390 << "" << 4 << ""
                          << "" << true;
    QTest::newRow("db as query") << "redis://h:1234?db=7" << tcp << "h" << 1234 << "" << 7 << ""
                                 << "" << true;
    QTest::newRow("trailing slash") << "redis://h:1234/" << tcp << "h" << 1234 << "" << 0 << ""
                                    << "" << true;
    QTest::newRow("upper-case scheme") << "REDIS://h" << tcp << "h" << 6379 << "" << 0 << ""
                                       << "" << true;
    QTest::newRow("rediss default verification") << "rediss://:pw@redis.example.com:6380/0" << tls
                                                 << "redis.example.com" << 6380 << "" << 0 << ""
                                                 << "pw" << true;
    QTest::newRow("rediss CERT_NONE")
        << "rediss://h:6380/0?ssl_cert_reqs=CERT_NONE" << tls << "h" << 6380 << "" << 0 << ""
        << "" << false;
    QTest::newRow("rediss required")
        << "rediss://h/0?ssl_cert_reqs=required&ssl_ca_certs=%2Fetc%2Fca.pem" << tls << "h" << 6379
        << "" << 0 << ""
        << "" << true;
    QTest::newRow("unix socket") << "unix:///run/redis/redis.sock?db=5&password=x%20y" << unix_
                                 << "127.0.0.1" << 6379 << "/run/redis/redis.sock" << 5 << ""
                                 << "x y" << true;
    QTest::newRow("kombu redis+socket")
        << "redis+socket:///tmp/r.sock" << unix_ << "127.0.0.1" << 6379 << "/tmp/r.sock" << 0 << ""
        << "" << true;
    QTest::newRow("unix with user") << "unix://bob:pw@/tmp/r.sock?db=1" << unix_ << "127.0.0.1"
                                    << 6379 << "/tmp/r.sock" << 1 << "bob"
                                    << "pw" << true;
    QTest::newRow("surrounding spaces") << "  redis://h:1/0  " << tcp << "h" << 1 << "" << 0 << ""
                                        << "" << true;
}

void TestRedisUrl::parsesValidUrls()
{
    QFETCH(QString, url);
    const RedisUrl parsed = RedisUrl::parse(url);
    QVERIFY2(parsed.ok, qPrintable(parsed.error));
    QFETCH(int, transport);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, socketPath);
    QFETCH(int, db);
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(bool, verifyPeer);
    QCOMPARE(int(parsed.settings.transport), transport);
    QCOMPARE(parsed.settings.host, host);
    QCOMPARE(int(parsed.settings.port), port);
    QCOMPARE(parsed.settings.socketPath, socketPath);
    QCOMPARE(parsed.settings.db, db);
    QCOMPARE(parsed.settings.username, username);
    QCOMPARE(parsed.settings.password, password);
    QCOMPARE(parsed.settings.tls.verifyPeer, verifyPeer);
}

void TestRedisUrl::rejectsBadUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("no scheme") << "localhost:6379"
                               << "scheme";
    QTest::newRow("unknown scheme") << "http://localhost"
                                    << "unknown scheme";
    QTest::newRow("amqp") << "amqp://guest@localhost//"
                          << "RabbitMQ";
    QTest::newRow("sentinel") << "sentinel://h:26379"
                              << "sentinel";
    QTest::newRow("bad port") << "redis://h:notaport/0"
                              << "malformed";
    QTest::newRow("port out of range") << "redis://h:70000/0"
                                       << "malformed";
    QTest::newRow("port zero") << "redis://h:0/0"
                               << "port 0";
    QTest::newRow("db not a number") << "redis://h/abc"
                                     << "database number";
    QTest::newRow("negative db") << "redis://h/-1"
                                 << "database number";
    QTest::newRow("bad db query") << "redis://h?db=x"
                                  << "db=x";
    QTest::newRow("no host") << "redis:///0"
                             << "no host";
    QTest::newRow("unix without path") << "unix://"
                                       << "path";
    QTest::newRow("bad cert reqs") << "rediss://h?ssl_cert_reqs=maybe"
                                   << "ssl_cert_reqs";
    QTest::newRow("unbalanced ipv6") << "redis://[::1:6379"
                                     << "malformed";
}

void TestRedisUrl::rejectsBadUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, mentions);
    const RedisUrl parsed = RedisUrl::parse(url);
    QVERIFY(!parsed.ok);
    QVERIFY2(parsed.error.contains(mentions, Qt::CaseInsensitive), qPrintable(parsed.error));
}

void TestRedisUrl::displayUrlNeverHoldsThePassword()
{
    const RedisUrl parsed =
        RedisUrl::parse(QStringLiteral("rediss://app:hunter2@h:6380/3?ssl_cert_reqs=none"));
    QVERIFY(parsed.ok);
    const QString shown = RedisUrl::toDisplayUrl(parsed.settings);
    QVERIFY2(!shown.contains(QLatin1String("hunter2")), qPrintable(shown));
    // What is shown parses back to the same place.
    const RedisUrl again = RedisUrl::parse(shown);
    QVERIFY2(again.ok, qPrintable(again.error));
    QCOMPARE(again.settings.host, QStringLiteral("h"));
    QCOMPARE(again.settings.port, quint16(6380));
    QCOMPARE(again.settings.db, 3);
    QCOMPARE(again.settings.username, QStringLiteral("app"));
    QCOMPARE(again.settings.tls.verifyPeer, false);
}

QTEST_GUILESS_MAIN(TestRedisUrl)
#include "tst_redisurl.moc"
