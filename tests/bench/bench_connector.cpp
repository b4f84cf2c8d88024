// bench_connector: pipelined SET/GET through Brokerdesk's connector, against the same
// redis-server as `redis-benchmark -P 16` in the same run.
//
// Prints FIGURE lines, then as its last line:
//   BENCH connector product=<ops/s> baseline=<ops/s> ratio=<product/baseline> unit=ops/s
#include "eventloopstallmeter.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTimer>

#include <cstdio>

using namespace bd::connectors;

namespace {

constexpr int kOperations = 1'000'000; // half SET, half GET
constexpr int kWindow = 4096;          // commands in flight at once
constexpr int kPipeline = 16;          // redis-benchmark -P

// redis-benchmark --csv prints "test","rps",…; returns the mean of SET and GET rps.
double runRedisBenchmark(quint16 port, int clients, QString *detail)
{
    QProcess p;
    p.start(QStringLiteral("redis-benchmark"),
            {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
             QString::number(port), QStringLiteral("-P"), QString::number(kPipeline),
             QStringLiteral("-c"), QString::number(clients), QStringLiteral("-n"),
             QString::number(kOperations / 2), QStringLiteral("-t"), QStringLiteral("set,get"),
             QStringLiteral("-d"), QStringLiteral("16"), QStringLiteral("--csv")});
    if (!p.waitForFinished(300'000))
        return -1;
    double sum = 0;
    int count = 0;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> fields = line.split(',');
        if (fields.size() < 2 || fields[0].contains("test"))
            continue;
        const double rps = QByteArray(fields[1]).replace('"', "").toDouble();
        if (rps > 0) {
            sum += rps;
            ++count;
            *detail += QString::fromUtf8(fields[0]).remove(QLatin1Char('"')) + QLatin1Char('=')
                       + QString::number(qRound64(rps)) + QLatin1Char(' ');
        }
    }
    return count ? sum / count : -1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    bd::test::PrivateRedisServer server;
    if (!server.start()) {
        std::fprintf(stderr, "bench_connector: %s\n", qPrintable(server.lastError()));
        return 1;
    }

    // Product: one connection, kWindow commands in flight, refilled as replies arrive.
    RedisClient client(RedisUrl::parse(server.url()).settings);
    client.open();
    const QByteArray value(16, 'x');
    int sent = 0;
    int done = 0;
    int errors = 0;
    QElapsedTimer clock;
    bd::test::EventLoopStallMeter stalls;
    std::function<void()> refill;
    const auto onReply = [&](const RedisResult &r) {
        if (!r.ok())
            ++errors;
        if (++done == kOperations) {
            app.quit();
            return;
        }
        refill();
    };
    refill = [&] {
        while (sent < kOperations && sent - done < kWindow) {
            const QByteArray key = "bench:" + QByteArray::number(sent % 10'000);
            if (sent < kOperations / 2)
                client.send({"SET", key, value}, &app, onReply);
            else
                client.send({"GET", key}, &app, onReply);
            ++sent;
        }
    };
    // Warm up the connection, then start the clock.
    client.send({"PING"}, &app, [&](const RedisResult &) {
        clock.start();
        stalls.start();
        refill();
    });
    app.exec();
    const double seconds = clock.nsecsElapsed() / 1e9;
    const double product = kOperations / seconds;

    QString detail50, detail1;
    const double baseline = runRedisBenchmark(server.port(), 50, &detail50);
    const double singleClient = runRedisBenchmark(server.port(), 1, &detail1);

    std::printf("FIGURE connector_errors %d count\n", errors);
    std::printf("FIGURE connector_event_loop_worst_stall %lld ms\n", stalls.worstMs());
    std::printf("FIGURE connector_seconds %.3f s\n", seconds);
    std::printf("FIGURE redis_benchmark_P16_c50 %.0f ops/s (%s)\n", baseline,
                qPrintable(detail50.trimmed()));
    std::printf("FIGURE redis_benchmark_P16_c1 %.0f ops/s (%s)\n", singleClient,
                qPrintable(detail1.trimmed()));
    std::printf("BENCH connector product=%.0f baseline=%.0f ratio=%.2f unit=ops/s\n", product,
                baseline, baseline > 0 ? product / baseline : 0.0);
    std::fflush(stdout);
    return errors == 0 && baseline > 0 ? 0 : 1;
}
