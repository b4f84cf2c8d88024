// bench_pubsub: how fast Brokerdesk's Pub/Sub capture receives a flood, against redis-cli.
//
// One publisher process (redis-benchmark, one connection, pipelined by 100) publishes
// 1,000,000 messages of 100 bytes on one channel as fast as Redis accepts them, twice:
//  - baseline: `redis-cli subscribe` writing to /dev/null; the receive rate runs from the
//    publisher's start until the server has handed the subscriber everything (its output
//    buffer empty, from CLIENT LIST);
//  - product: the Pub/Sub page's controller, subscriber connection, ring (100,000), model and
//    the page with its views shown offscreen; until all the messages have reached the model.
// redis-cli cannot keep up under Redis's default pubsub output-buffer limit (the server drops
// it), so its run has 256 MB; the product's run has the default 32 MB.
// Then exports the full ring (100,000 rows) from the page, and once more on the GUI thread as
// the page did before. Prints FIGURE lines (both rates, longest event-loop stall, RSS with the
// ring full above the idle process, the export's stalls, disconnections by the server for
// output-buffer overruns) and, last:
//   BENCH pubsub product=<msg/s> baseline=<msg/s> ratio=<product/baseline> unit=msg/s
#include "eventloopstallmeter.h"
#include "gui/pubsubcontroller.h"
#include "processmemory.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/messagelogview.h"
#include "pubsub/pubsubpage.h"
#include "pubsub/trafficstatsmodel.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <hiredis/hiredis.h>

#include <cstdio>
#include <functional>

using namespace bd;

namespace {

constexpr int kMessages = 1'000'000;
constexpr int kPayloadBytes = 100;
const char *const kChannel = "bench:flood";

QProcess *startPublisher(quint16 port, QObject *parent)
{
    auto *p = new QProcess(parent);
    p->setStandardOutputFile(QProcess::nullDevice());
    p->setStandardErrorFile(QProcess::nullDevice());
    p->start(QStringLiteral("redis-benchmark"),
             {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
              QString::number(port), QStringLiteral("-c"), QStringLiteral("1"),
              QStringLiteral("-P"), QStringLiteral("100"), QStringLiteral("-n"),
              QString::number(kMessages), QStringLiteral("-q"), QStringLiteral("PUBLISH"),
              QString::fromLatin1(kChannel), QString(kPayloadBytes, QLatin1Char('x'))});
    return p;
}

// One reply of a blocking hiredis command as bytes (the bench's own probes, not the product).
QByteArray probe(redisContext *c, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    auto *reply = static_cast<redisReply *>(redisvCommand(c, format, ap));
    va_end(ap);
    QByteArray out;
    if (reply && (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS))
        out = QByteArray(reply->str, qsizetype(reply->len));
    else if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
             && reply->element[1]->type == REDIS_REPLY_INTEGER)
        out = QByteArray::number(reply->element[1]->integer); // PUBSUB NUMSUB ch
    if (reply)
        freeReplyObject(reply);
    return out;
}

qint64 field(const QByteArray &clientLine, const QByteArray &name)
{
    const qsizetype at = clientLine.indexOf(" " + name + "=");
    if (at < 0)
        return -1;
    const qsizetype start = at + name.size() + 2;
    return clientLine.mid(start, clientLine.indexOf(' ', start) - start).toLongLong();
}

int overrunsInLog(const QString &logPath)
{
    QFile f(logPath);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return int(f.readAll().count("overcoming of output buffer limits"));
}

// redis-cli subscribe > /dev/null. Returns msg/s, or -1.
double baselineRate(quint16 port, redisContext *c, bool *disconnected)
{
    QProcess cli;
    cli.setStandardOutputFile(QProcess::nullDevice());
    cli.start(QStringLiteral("redis-cli"),
              {QStringLiteral("-p"), QString::number(port), QStringLiteral("subscribe"),
               QString::fromLatin1(kChannel)});
    if (!cli.waitForStarted())
        return -1;
    QElapsedTimer wait;
    wait.start();
    while (probe(c, "PUBSUB NUMSUB %s", kChannel) != "1" && wait.elapsed() < 10000)
        QThread::msleep(5);
    // The subscriber in CLIENT LIST: the connection subscribed to one channel.
    QByteArray subscriberId;
    for (const QByteArray &line : probe(c, "CLIENT LIST").split('\n')) {
        if (line.contains(" sub=1 "))
            subscriberId = line.mid(3, line.indexOf(' ') - 3);
    }
    QProcess *publisher = startPublisher(port, nullptr);
    QElapsedTimer t;
    t.start();
    double seconds = -1;
    bool published = false;
    while (t.elapsed() < 180000) {
        if (!published && publisher->state() == QProcess::NotRunning)
            published = true;
        QByteArray line;
        for (const QByteArray &l : probe(c, "CLIENT LIST").split('\n')) {
            if (l.startsWith("id=" + subscriberId + " "))
                line = l;
        }
        if (line.isEmpty()) {
            *disconnected = true;
            break;
        }
        if (published && field(line, "omem") == 0 && field(line, "oll") == 0) {
            seconds = t.nsecsElapsed() / 1e9;
            break;
        }
        QThread::msleep(2);
        if (publisher->state() != QProcess::NotRunning)
            publisher->waitForFinished(0);
    }
    publisher->waitForFinished(60000);
    delete publisher;
    *disconnected = *disconnected || cli.state() == QProcess::NotRunning;
    cli.kill();
    cli.waitForFinished();
    return seconds > 0 ? kMessages / seconds : -1;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir dir;
    const QString logPath = dir.filePath(QStringLiteral("redis.log"));
    // Redis's default pubsub limit (32 MB hard) drops redis-cli during this flood (915k msg/s
    // published here, 2 cores), so the baseline runs with 256 MB; the product runs with the
    // default, and a drop of either is reported.
    test::PrivateRedisServer server({QStringLiteral("--logfile"), logPath,
                                     QStringLiteral("--client-output-buffer-limit"),
                                     QStringLiteral("pubsub 256mb 64mb 60")});
    if (!server.start()) {
        std::fprintf(stderr, "bench_pubsub: %s\n", qPrintable(server.lastError()));
        return 1;
    }
    redisContext *c = redisConnect("127.0.0.1", server.port());
    if (!c || c->err) {
        std::fprintf(stderr, "bench_pubsub: cannot connect\n");
        return 1;
    }

    bool baselineDisconnected = false;
    const double baseline = baselineRate(server.port(), c, &baselineDisconnected);
    const int overrunsAfterBaseline = overrunsInLog(logPath);

    // The product runs under Redis's default limit, the stricter one.
    probe(c, "CONFIG SET client-output-buffer-limit %s", "pubsub 32mb 8mb 60");

    // The product: the page and its views shown offscreen, as in the app.
    connectors::ConnectionSettings settings = connectors::RedisUrl::parse(server.url()).settings;
    connectors::RedisClient commands(settings);
    commands.open();
    models::MessageLogModel log(models::MessageLogModel::Mode::PubSub);
    models::TrafficStatsModel traffic(models::TrafficStatsModel::Mode::Channels);
    ui::PubSubPage page(&log, &traffic);
    page.resize(1280, 800);
    page.show();
    app::PubSubController controller(&commands, &page, &log, &traffic);
    int disconnects = 0;
    controller.subscribe({kChannel});
    QObject::connect(controller.subscriber(), &connectors::RedisClient::stateChanged, &app,
                     [&disconnects](connectors::ConnectionState s) {
                         disconnects +=
                             s == connectors::ConnectionState::WaitingToReconnect ? 1 : 0;
                     });
    QTimer poll;
    poll.setInterval(2);
    std::function<void()> step;
    QObject::connect(&poll, &QTimer::timeout, &app, [&step] { step(); });
    step = [&] {
        if (controller.confirmedSubscriptions() == 1)
            app.quit();
    };
    poll.start();
    app.exec();
    for (int i = 0; i < 20; ++i) // let the page settle (first refresh, layout)
        app.processEvents();
    const qint64 idleRss = test::procStatusKiB("VmRSS:");
    test::resetPeakRss();

    test::EventLoopStallMeter stalls;
    stalls.start();
    QProcess *publisher = startPublisher(server.port(), &app);
    QElapsedTimer t;
    t.start();
    double productSeconds = -1;
    step = [&] {
        if (traffic.total() >= kMessages) {
            productSeconds = t.nsecsElapsed() / 1e9;
            app.quit();
        } else if (t.elapsed() > 180000 || disconnects > 0) {
            app.quit();
        }
    };
    app.exec();
    const qint64 stallMs = stalls.worstMs();
    publisher->waitForFinished(60000);
    // The ring fills on the model's timer: wait for it, then read the memory.
    step = [&] {
        if (log.storedCount() == models::MessageLogModel::kDefaultCapacity || t.elapsed() > 200000)
            app.quit();
    };
    app.exec();
    stalls.stop();
    const qint64 fullRss = test::procStatusKiB("VmRSS:");
    const qint64 peakRss = test::procStatusKiB("VmHWM:");

    // Exporting the whole capture (100,000 rows): the longest event-loop stall with the page's
    // export (rows taken on the GUI thread, written on a pool thread), and the time the GUI
    // thread spends when it writes them itself, as it did before.
    QTemporaryDir exportDir;
    QElapsedTimer exportTimer;
    qint64 exportedRows = -1;
    QObject::connect(page.logView(), &ui::MessageLogView::exported, &app, [&](qint64 rows) {
        exportedRows = rows;
        app.quit();
    });
    stalls.start();
    exportTimer.start();
    page.logView()->exportTo(exportDir.filePath(QStringLiteral("all.jsonl")),
                             models::MessageLogModel::ExportFormat::JsonLines, false);
    step = [&] {
        if (exportTimer.elapsed() > 120000)
            app.quit();
    };
    app.exec();
    stalls.stop();
    const qint64 exportStallMs = stalls.worstMs();
    const double exportSeconds = exportTimer.nsecsElapsed() / 1e9;
    QElapsedTimer onGuiThread;
    qint64 inlineRows = -1;
    {
        QFile out(exportDir.filePath(QStringLiteral("inline.jsonl")));
        if (out.open(QIODevice::WriteOnly)) {
            onGuiThread.start();
            inlineRows =
                log.exportTo(&out, models::MessageLogModel::ExportFormat::JsonLines, false);
        }
    }
    const qint64 inlineMs = inlineRows >= 0 ? onGuiThread.elapsed() : -1;
    const int overrunsTotal = overrunsInLog(logPath);
    redisFree(c);

    const double product = productSeconds > 0 ? kMessages / productSeconds : -1;
    std::printf("FIGURE pubsub_baseline_rate %.0f msg/s (redis-cli subscribe > /dev/null)\n",
                baseline);
    std::printf("FIGURE pubsub_product_rate %.0f msg/s (%.3f s for %d messages)\n", product,
                productSeconds, kMessages);
    std::printf("FIGURE pubsub_messages_received %llu\n",
                static_cast<unsigned long long>(log.receivedCount()));
    std::printf("FIGURE pubsub_lost_by_the_console %llu\n",
                static_cast<unsigned long long>(log.lostCount()));
    std::printf("FIGURE pubsub_event_loop_worst_stall %lld ms\n", static_cast<long long>(stallMs));
    std::printf("FIGURE pubsub_rss_full_ring_above_idle %.1f MB (ring of %lld rows; peak %.1f MB "
                "above idle)\n",
                (fullRss - idleRss) / 1024.0, static_cast<long long>(log.storedCount()),
                (peakRss - idleRss) / 1024.0);
    std::printf("FIGURE pubsub_export_event_loop_worst_stall %lld ms (%lld rows as JSON Lines in "
                "%.2f s, written "
                "on a pool thread)\n",
                static_cast<long long>(exportStallMs), static_cast<long long>(exportedRows),
                exportSeconds);
    std::printf("FIGURE pubsub_export_on_gui_thread_stall %lld ms (%lld rows of the capture "
                "written on the GUI thread, "
                "as before)\n",
                static_cast<long long>(inlineMs), static_cast<long long>(inlineRows));
    std::printf("FIGURE pubsub_server_disconnects_baseline %s\n",
                baselineDisconnected || overrunsAfterBaseline > 0 ? "yes" : "no");
    std::printf("FIGURE pubsub_server_disconnects_product %s (%d reconnects, %d output-buffer "
                "overruns in the log)\n",
                disconnects > 0 || overrunsTotal > overrunsAfterBaseline ? "yes" : "no",
                disconnects, overrunsTotal - qMax(0, overrunsAfterBaseline));
    std::printf("BENCH pubsub product=%.0f baseline=%.0f ratio=%.2f unit=msg/s\n", product,
                baseline, baseline > 0 && product > 0 ? product / baseline : 0.0);
    return productSeconds > 0 && baseline > 0 ? 0 : 1;
}
