#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

namespace bd::test {

// The shared redis-server started by the CTest fixture (tests/fixtures/redis_fixture.py),
// with 32 databases. Tests run at the same time (ctest -j), so a test that flushes, counts or
// scans a database has it to itself: tst_keyspage 10-15, tst_cli 6, 9, 16,
// tst_pushconnection 17, tst_consolepage 7, 8, 18, tst_redisclient 1, 5, tst_datasetreader 19.
// db0 and db3 are only written to under keys no other test reads. A test that reads server-wide
// counters (INFO commandstats) uses a PrivateRedisServer.
struct RedisFixture
{
    quint16 port = 0;
    quint16 tlsPort = 0;
    QString tlsDir;
    QString dir;
    bool ok = false;
    QString error;

    // Reads $BROKERDESK_FIXTURE_DIR/fixture.json.
    static RedisFixture load();
    QString url(int db = 0) const;
    // The server's redis_version ("7.0.15"), as INFO says it: tests compare with it rather than
    // with the major version of the machine they were written on.
    QString version() const;
};

// A redis-server of the test's own, for tests that kill, restart or freeze it. Listens on a
// free loopback port; writes its pid file under the fixture's private/ folder so that the
// fixture's cleanup stops it even if the test crashes.
class PrivateRedisServer
{
public:
    explicit PrivateRedisServer(QStringList extraArgs = {});
    ~PrivateRedisServer();

    bool start(quint16 port = 0); // 0: a free port
    void kill();                  // SIGKILL, as a crash would
    bool restart();               // same port
    void freeze();                // SIGSTOP: accepts connections, answers nothing
    void thaw();                  // SIGCONT

    quint16 port() const { return m_port; }
    qint64 pid() const; // 0 when not running
    QString url(int db = 0) const;
    QString lastError() const { return m_error; }

    static quint16 freePort();
    static bool waitUntilReady(quint16 port, int timeoutMs);

private:
    QStringList m_extraArgs;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_dir;
    QString m_error;
};

} // namespace bd::test
