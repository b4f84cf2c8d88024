// bench_events: Celery task events ingested live, the product against Celery's own State.
//
// A private redis-server; 50,000 tasks' events (task-sent from a producer, then task-received,
// task-started and task-succeeded or, one in ten, task-failed from five workers, batched in
// task.multi arrays of 24 as a Celery 5.2 worker's hub sends them, plus the five workers'
// heartbeats), published in kombu envelopes on /0.celeryev/* as fast as Redis takes them.
// Each round one consumer runs in a process of its own, subscribed before the first publish:
//   product   this program with --product: the Redis connector, the decoder on a pool thread,
//             the task and worker state, the timeline model with a table view attached and
//             shown, and the SQLite event store; done when every event is applied and every
//             task it changed is on disk;
//   baseline  events_baseline.py: Celery's EventReceiver feeding celery.events.state.State
//             (what Flower runs); done when every event is applied.
// Time runs from the first publish to done, on this machine's clock. Rounds alternate, three
// each, and the medians are compared. FIGURE lines: the product's RSS holding 20,000 tasks
// (its memory limit) at the end, its longest event-loop stall while ingesting, and the size of
// the store on disk.
#include "celery/rediscelerybroker.h"
#include "eventloopstallmeter.h"
#include "events/eventstore.h"
#include "events/tasktimelinemodel.h"
#include "gui/allocator.h"
#include "gui/eventscontroller.h"
#include "processmemory.h"
#include "redis/redisclient.h"
#include "testredis.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <hiredis/hiredis.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace {

using bd::connectors::CeleryEvent;
using json = nlohmann::ordered_json;

constexpr int kTasks = 50000;
constexpr int kWorkers = 5;
constexpr int kMultiBatch = 24;      // a worker hub's task event buffer
constexpr int kHeartbeatEvery = 500; // tasks between two rounds of heartbeats
constexpr int kRounds = 3;
constexpr int kTimeoutMs = 600000;

double now()
{
    return QDateTime::currentMSecsSinceEpoch() / 1000.0;
}

struct Publish
{
    QByteArray channel;
    QByteArray payload;
};

QByteArray envelope(const json &body, const char *routingKey, const std::string &host)
{
    const json e{
        {"body", QByteArray::fromStdString(body.dump()).toBase64().toStdString()},
        {"content-encoding", "utf-8"},
        {"content-type", "application/json"},
        {"headers", {{"hostname", host}}},
        {"properties",
         {{"delivery_mode", 1},
          {"delivery_info", {{"exchange", "celeryev"}, {"routing_key", routingKey}}},
          {"priority", 0},
          {"body_encoding", "base64"},
          {"delivery_tag", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()}}}};
    return QByteArray::fromStdString(e.dump());
}

// The stream, in publish order, and how many events it carries.
QList<Publish> makeStream(qint64 *events)
{
    QList<Publish> stream;
    std::vector<json> buffers(kWorkers, json::array());
    const double t0 = now() - 60;
    qint64 count = 0;
    qint64 clock = 0;
    const auto flush = [&](int w) {
        if (buffers[size_t(w)].empty())
            return;
        const std::string host = "w" + std::to_string(w) + "@bench";
        stream.push_back(
            {"/0.celeryev/task.multi", envelope(buffers[size_t(w)], "task.multi", host)});
        buffers[size_t(w)] = json::array();
    };
    for (int i = 0; i < kTasks; ++i) {
        const std::string id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
        const int w = i % kWorkers;
        const std::string host = "w" + std::to_string(w) + "@bench";
        const double t = t0 + i * 0.001;
        const std::string args = "(" + std::to_string(i) + ", 2)";
        ++clock;
        stream.push_back({"/0.celeryev/task.sent", envelope({{"hostname", "gen4242@client"},
                                                             {"utcoffset", 0},
                                                             {"pid", 4242},
                                                             {"clock", clock},
                                                             {"uuid", id},
                                                             {"root_id", id},
                                                             {"parent_id", nullptr},
                                                             {"name", "tasks.add"},
                                                             {"args", args},
                                                             {"kwargs", "{}"},
                                                             {"retries", 0},
                                                             {"eta", nullptr},
                                                             {"expires", nullptr},
                                                             {"queue", "celery"},
                                                             {"exchange", ""},
                                                             {"routing_key", "celery"},
                                                             {"timestamp", t},
                                                             {"type", "task-sent"}},
                                                            "task.sent", "gen4242@client")});
        json &b = buffers[size_t(w)];
        b.push_back({{"hostname", host},
                     {"utcoffset", 0},
                     {"pid", 100 + w},
                     {"clock", clock},
                     {"uuid", id},
                     {"name", "tasks.add"},
                     {"args", args},
                     {"kwargs", "{}"},
                     {"root_id", id},
                     {"parent_id", nullptr},
                     {"retries", 0},
                     {"eta", nullptr},
                     {"expires", nullptr},
                     {"timestamp", t + 0.0002},
                     {"type", "task-received"}});
        b.push_back({{"hostname", host},
                     {"utcoffset", 0},
                     {"pid", 100 + w},
                     {"clock", clock},
                     {"uuid", id},
                     {"timestamp", t + 0.0003},
                     {"type", "task-started"}});
        if (i % 10 == 9)
            b.push_back({{"hostname", host},
                         {"utcoffset", 0},
                         {"pid", 100 + w},
                         {"clock", clock},
                         {"uuid", id},
                         {"exception", "KeyError('x')"},
                         {"traceback", "Traceback (most recent call last):\n  File \"tasks.py\", "
                                       "line 61, in parse_shift_report\nKeyError: 'x'\n"},
                         {"timestamp", t + 0.0005},
                         {"type", "task-failed"}});
        else
            b.push_back({{"hostname", host},
                         {"utcoffset", 0},
                         {"pid", 100 + w},
                         {"clock", clock},
                         {"uuid", id},
                         {"result", std::to_string(i + 2)},
                         {"runtime", 0.0002},
                         {"timestamp", t + 0.0005},
                         {"type", "task-succeeded"}});
        count += 4;
        if (b.size() >= size_t(kMultiBatch))
            flush(w);
        if (i % kHeartbeatEvery == 0) {
            for (int k = 0; k < kWorkers; ++k) {
                const std::string h = "w" + std::to_string(k) + "@bench";
                stream.push_back(
                    {"/0.celeryev/worker.heartbeat", envelope({{"hostname", h},
                                                               {"utcoffset", 0},
                                                               {"pid", 100 + k},
                                                               {"clock", clock},
                                                               {"freq", 2.0},
                                                               {"active", 1},
                                                               {"processed", i},
                                                               {"loadavg", {0.1, 0.2, 0.3}},
                                                               {"sw_ident", "py-celery"},
                                                               {"sw_ver", "5.2.6"},
                                                               {"sw_sys", "Linux"},
                                                               {"timestamp", t},
                                                               {"type", "worker-heartbeat"}},
                                                              "worker.heartbeat", h)});
                ++count;
            }
        }
    }
    for (int w = 0; w < kWorkers; ++w)
        flush(w);
    *events = count;
    return stream;
}

// ---- The product, in a process of its own.

int runProduct(quint16 port, qint64 total, const QString &storePath)
{
    bd::connectors::ConnectionSettings settings;
    settings.port = port;
    bd::connectors::RedisClient client(settings);
    bd::connectors::RedisCeleryBroker broker(&client);
    bd::models::TaskTimelineModel timeline(bd::app::EventsController::kTasksInMemory);
    QTableView view;
    view.setModel(&timeline);
    view.resize(1280, 800);
    view.show();
    bd::store::EventStore store(storePath, {});
    bd::app::EventsController events(&broker, &timeline, &store);
    bd::test::EventLoopStallMeter stalls;
    QObject::connect(&broker, &bd::connectors::CeleryBroker::eventsFollowed, &broker, [] {
        std::printf("ready\n");
        std::fflush(stdout);
    });
    double applied = 0;
    bool finished = false;
    const auto finish = [&] {
        if (applied <= 0 || !store.isIdle() || finished)
            return;
        finished = true;
        const double done = now();
        stalls.stop();
        // Memory is read once the flood is over: what the product holds then, with its 20,000
        // tasks (the peak while ingesting is reported beside it).
        QTimer::singleShot(2 * bd::app::EventsController::kReleaseAfterMs, [&, done] {
            std::printf("done %.6f applied=%.6f rss=%lld peak=%lld stall=%lld tasks=%d "
                        "written=%lld dropped=%lld cpu=%s\n",
                        done, applied, bd::test::procStatusKiB("VmRSS:"),
                        bd::test::procStatusKiB("VmHWM:"), stalls.worstMs(), timeline.rowCount(),
                        store.tasksWritten(), broker.undecodableEvents(),
                        bd::test::threadCpuSeconds().constData());
            std::fflush(stdout);
            QCoreApplication::exit(0);
        });
    };
    bool ingesting = false;
    QObject::connect(&events, &bd::app::EventsController::applied, &events, [&](qint64 n) {
        if (!ingesting) {
            ingesting = true;
            stalls.start();
        }
        if (n >= total && applied <= 0)
            applied = now();
        finish();
    });
    QObject::connect(&store, &bd::store::EventStore::written, &store, finish);
    client.open();
    events.start();
    return QCoreApplication::exec();
}

// ---- The bench.

struct Consumer
{
    double start = 0;
    double published = 0;
    double done = 0;
    QByteArray line;
    double serverCpu = 0;    // seconds redis-server used in the round
    double publisherCpu = 0; // seconds this process used publishing
};

bool waitForLine(QProcess &process, const QByteArray &prefix, QByteArray *line, int timeoutMs)
{
    QElapsedTimer since;
    since.start();
    QByteArray buffer;
    while (since.elapsed() < timeoutMs) {
        while (process.canReadLine()) {
            const QByteArray l = process.readLine().trimmed();
            if (l.startsWith(prefix)) {
                *line = l;
                return true;
            }
        }
        if (process.state() == QProcess::NotRunning && !process.canReadLine())
            return false;
        process.waitForReadyRead(100);
    }
    return false;
}

long long numPat(redisContext *c)
{
    auto *r = static_cast<redisReply *>(redisCommand(c, "PUBSUB NUMPAT"));
    const long long n = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    freeReplyObject(r);
    return n;
}

bool publishAll(redisContext *c, const QList<Publish> &stream)
{
    // hiredis moves what is left of its output buffer after every write: a small pipeline keeps
    // that cheap (1,000 commands of 1.5 KB made the publisher the slowest part).
    constexpr int kPipeline = 32;
    for (qsizetype i = 0; i < stream.size(); i += kPipeline) {
        const qsizetype end = std::min<qsizetype>(stream.size(), i + kPipeline);
        for (qsizetype j = i; j < end; ++j) {
            const char *argv[] = {"PUBLISH", stream[j].channel.constData(),
                                  stream[j].payload.constData()};
            const size_t lens[] = {7, size_t(stream[j].channel.size()),
                                   size_t(stream[j].payload.size())};
            redisAppendCommandArgv(c, 3, argv, lens);
        }
        for (qsizetype j = i; j < end; ++j) {
            void *reply = nullptr;
            if (redisGetReply(c, &reply) != REDIS_OK)
                return false;
            freeReplyObject(reply);
        }
    }
    return true;
}

// One round: the consumer started, subscribed, the stream published, done awaited.
bool runRound(const QString &program, const QStringList &args, redisContext *c,
              const QList<Publish> &stream, qint64 serverPid, Consumer *out)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(program, args);
    QByteArray line;
    const long long before = numPat(c);
    if (!waitForLine(process, "ready", &line, 60000))
        return false;
    QElapsedTimer since;
    since.start();
    while (numPat(c) <= before && since.elapsed() < 20000)
        QThread::msleep(5);
    const double serverCpu = bd::test::processCpuSeconds(serverPid);
    const double ownCpu = bd::test::processCpuSeconds();
    out->start = now();
    if (!publishAll(c, stream))
        return false;
    out->published = now();
    out->publisherCpu = bd::test::processCpuSeconds() - ownCpu;
    const bool done = waitForLine(process, "done", &out->line, kTimeoutMs);
    out->serverCpu = bd::test::processCpuSeconds(serverPid) - serverCpu;
    // A consumer that said done exits by itself (the product closes its store first).
    if (!done || !process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished(5000);
    }
    if (!done)
        return false;
    out->done = out->line.split(' ').value(1).toDouble();
    return out->done > out->start;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values[values.size() / 2];
}

QByteArray field(const QByteArray &line, const QByteArray &name)
{
    for (const QByteArray &part : line.split(' ')) {
        if (part.startsWith(name + '='))
            return part.mid(name.size() + 1);
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc == 5 && qstrcmp(argv[1], "--product") == 0) {
        bd::app::configureAllocator(); // as the GUI's main() does
        qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        return runProduct(quint16(QByteArray(argv[2]).toUInt()), QByteArray(argv[3]).toLongLong(),
                          QString::fromLocal8Bit(argv[4]));
    }
    QCoreApplication app(argc, argv);
    // --no-baseline: the product's rounds only (while working on it; no ratio is printed).
    const bool withBaseline = !app.arguments().contains(QStringLiteral("--no-baseline"));
    bd::test::PrivateRedisServer server;
    if (!server.start()) {
        std::fprintf(stderr, "bench_events: redis-server did not start\n");
        return 1;
    }
    redisContext *c = redisConnect("127.0.0.1", server.port());
    if (!c || c->err) {
        std::fprintf(stderr, "bench_events: cannot connect to redis-server\n");
        return 1;
    }
    // A slow subscriber is not cut off: each consumer takes the stream at its own pace.
    freeReplyObject(redisCommand(c, "CONFIG SET client-output-buffer-limit %s", "pubsub 0 0 0"));
    qint64 total = 0;
    const QList<Publish> stream = makeStream(&total);
    qint64 bytes = 0;
    for (const Publish &p : stream)
        bytes += p.payload.size();
    std::printf("stream: %lld events in %lld publishes, %.1f MB\n", total, qint64(stream.size()),
                bytes / 1e6);

    QList<double> product, baseline;
    QList<QByteArray> productLines;
    QTemporaryDir dir;
    qint64 storeBytes = 0;
    for (int round = 0; round < kRounds; ++round) {
        const QString storePath = dir.filePath(QStringLiteral("events-%1.sqlite").arg(round));
        Consumer p;
        if (!runRound(QCoreApplication::applicationFilePath(),
                      {QStringLiteral("--product"), QString::number(server.port()),
                       QString::number(total), storePath},
                      c, stream, server.pid(), &p)) {
            std::fprintf(stderr, "bench_events: the product round did not complete\n");
            return 1;
        }
        product << total / (p.done - p.start);
        productLines << p.line;
        storeBytes =
            QFileInfo(storePath).size() + QFileInfo(storePath + QStringLiteral("-wal")).size();
        // The round's CPU beside the consumer's: redis-server's and the publisher's (the
        // machine's cores are shared by all three).
        std::printf("round %d product: %.0f events/s, published in %.2f s (%s server_cpu=%.2f "
                    "publisher_cpu=%.2f)\n",
                    round, product.last(), p.published - p.start, p.line.constData(), p.serverCpu,
                    p.publisherCpu);
        if (!withBaseline)
            continue;
        Consumer b;
        if (!runRound(QStringLiteral(BROKERDESK_PYTHON),
                      {QStringLiteral(BROKERDESK_BENCH_DIR "/events_baseline.py"), server.url(),
                       QString::number(total)},
                      c, stream, server.pid(), &b)) {
            std::fprintf(stderr, "bench_events: the baseline round did not complete\n");
            return 1;
        }
        baseline << total / (b.done - b.start);
        std::printf("round %d baseline: %.0f events/s (%s server_cpu=%.2f)\n", round,
                    baseline.last(), b.line.constData(), b.serverCpu);
        std::fflush(stdout);
    }
    redisFree(c);
    qint64 worstStall = 0;
    qint64 rss = 0;
    qint64 peak = 0;
    for (const QByteArray &line : productLines) {
        worstStall = std::max(worstStall, field(line, "stall").toLongLong());
        rss = std::max(rss, field(line, "rss").toLongLong());
        peak = std::max(peak, field(line, "peak").toLongLong());
    }
    const double p = median(product);
    const double b = median(baseline);
    std::printf("FIGURE events_rss_20k_tasks %.1f MB\n", rss / 1024.0);
    std::printf("FIGURE events_rss_peak_while_ingesting %.1f MB\n", peak / 1024.0);
    std::printf("FIGURE events_event_loop_worst_stall %lld ms\n", worstStall);
    std::printf("FIGURE events_store_size %.1f MB\n", storeBytes / 1e6);
    if (withBaseline)
        std::printf("BENCH events product=%.0f baseline=%.0f ratio=%.2f unit=events/s\n", p, b,
                    b > 0 ? p / b : 0.0);
    else
        std::printf("product %.0f events/s (no baseline run)\n", p);
    return 0;
}
