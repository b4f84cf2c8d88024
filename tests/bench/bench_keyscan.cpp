// bench_keyscan: SCAN a database of 1,000,000 keys in a few hundred namespaces.
//  baseline: a minimal blocking SCAN loop (COUNT 1000) with hiredis's synchronous API;
//  product:  the Keys page's scan (BackgroundKeyScan: its own connection and thread) into the
//            real KeyTreeModel, with a QTreeView
//            attached (offscreen), to completion.
// Prints FIGURE lines (time to the first rows in the view, RSS growth, longest event-loop
// stall, key counts, sort and live-removal times), then
//   BENCH keyscan product=<s> baseline=<s> ratio=<product/baseline> unit=s
#include "eventloopstallmeter.h"
#include "keys/keytreemodel.h"
#include "processmemory.h"
#include "redis/backgroundkeyscan.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>
#include <QTreeView>

#include <hiredis/hiredis.h>

#include <cstdio>

using namespace bd;

namespace {

constexpr int kKeys = 1'000'000;
constexpr int kNamespaces = 300; // × 7 sub-namespaces each
constexpr int kWindow = 4096;

bool fill(connectors::RedisClient &client, QApplication &app)
{
    int sent = 0, done = 0, errors = 0;
    std::function<void()> refill;
    const auto onReply = [&](const connectors::RedisResult &r) {
        errors += r.ok() ? 0 : 1;
        if (++done == kKeys)
            app.quit();
        else
            refill();
    };
    refill = [&] {
        while (sent < kKeys && sent - done < kWindow) {
            const QByteArray n = QByteArray::number(sent);
            client.send({"SET",
                         "ns" + QByteArray::number(sent % kNamespaces) + ":"
                             + QByteArray::number(sent % 7) + ":" + n,
                         "v"},
                        &app, onReply);
            ++sent;
        }
    };
    refill();
    app.exec();
    return errors == 0;
}

// What Redis itself can hand out: SCAN COUNT 1000 in a blocking loop, keys counted, no more.
double baselineSeconds(quint16 port, qint64 *keys)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    if (!c || c->err)
        return -1;
    QElapsedTimer t;
    t.start();
    QByteArray cursor = "0";
    *keys = 0;
    do {
        auto *reply =
            static_cast<redisReply *>(redisCommand(c, "SCAN %s COUNT 1000", cursor.constData()));
        if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2) {
            redisFree(c);
            return -1;
        }
        cursor = QByteArray(reply->element[0]->str, static_cast<qsizetype>(reply->element[0]->len));
        *keys += static_cast<qint64>(reply->element[1]->elements);
        freeReplyObject(reply);
    } while (cursor != "0");
    const double seconds = t.nsecsElapsed() / 1e9;
    redisFree(c);
    return seconds;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    test::PrivateRedisServer server;
    if (!server.start()) {
        std::fprintf(stderr, "bench_keyscan: %s\n", qPrintable(server.lastError()));
        return 1;
    }
    {
        connectors::RedisClient filler(connectors::RedisUrl::parse(server.url()).settings);
        filler.open();
        if (!fill(filler, app)) {
            std::fprintf(stderr, "bench_keyscan: filling the server failed\n");
            return 1;
        }
    }

    // Product: the scan into the real model with the real view attached.
    models::KeyTreeModel model;
    QTreeView view;
    view.setUniformRowHeights(true);
    view.setModel(&model);
    view.resize(1000, 800);
    view.show();
    QApplication::processEvents();
    test::resetPeakRss();
    const qint64 rssBefore = test::procStatusKiB("VmRSS:");
    bd::test::EventLoopStallMeter stalls;
    connectors::BackgroundKeyScan job(connectors::RedisUrl::parse(server.url()).settings, {});
    QObject::connect(&job, &connectors::BackgroundKeyScan::keysFound, &model,
                     &models::KeyTreeModel::appendKeys);
    bool expandedOne = false;
    QElapsedTimer clock;
    qint64 firstRowsMs = -1, scanDoneMs = -1;
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, &view, [&] {
        if (firstRowsMs < 0)
            firstRowsMs = clock.elapsed();
        if (!expandedOne && model.rowCount() > 0) {
            view.expand(model.index(0, 0)); // one folder open, as an operator would have
            expandedOne = true;
        }
    });
    // Done when the scan has finished and the model has inserted every key (in its own
    // time-boxed passes, as in the app).
    QTimer drained;
    drained.setInterval(1);
    QObject::connect(&drained, &QTimer::timeout, &app, [&] {
        if (model.queuedCount() == 0) {
            drained.stop();
            app.quit();
        }
    });
    QObject::connect(&job, &connectors::BackgroundKeyScan::finished, &drained, [&] {
        scanDoneMs = clock.elapsed();
        drained.start();
    });
    clock.start();
    stalls.start();
    job.start();
    app.exec();
    const double productSeconds = clock.nsecsElapsed() / 1e9;
    stalls.stop();
    const qint64 peakAfter = test::procStatusKiB("VmHWM:");
    const qint64 scanStallMs = stalls.worstMs();

    // Then the natural sort of all of it (pool thread; applied as one layout change).
    QElapsedTimer sortClock;
    double sortSeconds = 0;
    const QMetaObject::Connection onSorted =
        QObject::connect(&model, &models::KeyTreeModel::sorted, &app, [&] {
            sortSeconds = sortClock.nsecsElapsed() / 1e9;
            QTimer::singleShot(30, &app, &QApplication::quit); // let the stall meter see the apply
        });
    sortClock.start();
    stalls.start();
    model.sort();
    app.exec();
    const qint64 sortStallMs = stalls.worstMs();
    stalls.stop();

    // A sort by TTL (facts unknown for most keys, as after a scan): how long the call holds the
    // GUI thread before the pool task takes over, and the sort's whole time.
    QObject::disconnect(onSorted);
    double ttlSortSeconds = -1;
    QElapsedTimer ttlClock;
    const QMetaObject::Connection onTtlSorted =
        QObject::connect(&model, &models::KeyTreeModel::sorted, &app, [&] {
            ttlSortSeconds = ttlClock.nsecsElapsed() / 1e9;
            QTimer::singleShot(30, &app, &QApplication::quit);
        });
    stalls.start();
    ttlClock.start();
    model.sortBy(models::KeyTreeModel::TtlColumn, Qt::DescendingOrder);
    const double ttlCallMs = ttlClock.nsecsElapsed() / 1e6;
    app.exec();
    const qint64 ttlSortStallMs = stalls.worstMs();
    stalls.stop();
    QObject::disconnect(onTtlSorted);

    // Live mode's worst case: 300 keys removed in one batch from a flat list of all of them
    // (one folder of a million keys), with the view attached.
    model.setSeparator({});
    QList<QByteArray> removed;
    const int flatRows = model.rowCount();
    for (int r = 0; r < flatRows && removed.size() < 300; r += qMax(1, flatRows / 300))
        removed << model.index(r, 0).data(models::KeyTreeModel::KeyRole).toByteArray();
    QElapsedTimer liveClock;
    liveClock.start();
    const bool applied = model.applyKeyChanges({}, {}, removed);
    const qint64 liveMs = liveClock.elapsed();
    const qint64 flatAfter = model.rowCount();

    qint64 baselineKeys = 0;
    const double baseline = baselineSeconds(server.port(), &baselineKeys);

    std::printf("FIGURE keyscan_keys_in_model %lld keys\n",
                static_cast<long long>(model.keyCount()));
    std::printf("FIGURE keyscan_folders %d folders\n", model.folderCount());
    std::printf("FIGURE keyscan_baseline_keys %lld keys\n", static_cast<long long>(baselineKeys));
    std::printf("FIGURE keyscan_first_rows_shown %lld ms after the scan started\n",
                static_cast<long long>(firstRowsMs));
    std::printf("FIGURE keyscan_scan_finished %lld ms (the model done %lld ms later)\n",
                static_cast<long long>(scanDoneMs),
                static_cast<long long>(productSeconds * 1000 - scanDoneMs));
    std::printf("FIGURE keyscan_rss_growth %.1f MB\n",
                rssBefore >= 0 ? (peakAfter - rssBefore) / 1024.0 : -1.0);
    std::printf("FIGURE keyscan_event_loop_worst_stall %lld ms\n",
                static_cast<long long>(scanStallMs));
    std::printf("FIGURE keyscan_sort_seconds %.3f s\n", sortSeconds);
    std::printf("FIGURE keyscan_sort_event_loop_worst_stall %lld ms\n",
                static_cast<long long>(sortStallMs));
    std::printf("FIGURE keyscan_sort_by_ttl_call_stall %.1f ms (the GUI thread before the pool "
                "task; the sort %.3f s, "
                "worst stall %lld ms)\n",
                ttlCallMs, ttlSortSeconds, static_cast<long long>(ttlSortStallMs));
    std::printf(
        "FIGURE keyscan_live_removals_in_flat_list %lld ms (%lld keys, %s, %d -> %lld rows)\n",
        static_cast<long long>(liveMs), static_cast<long long>(removed.size()),
        applied ? "applied" : "NOT applied", flatRows, static_cast<long long>(flatAfter));
    std::printf("BENCH keyscan product=%.3f baseline=%.3f ratio=%.2f unit=s\n", productSeconds,
                baseline, baseline > 0 ? productSeconds / baseline : 0.0);
    std::fflush(stdout);
    return model.keyCount() >= kKeys && baseline > 0 ? 0 : 1;
}
