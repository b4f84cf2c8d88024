// bench_queue_decode: a queue of 1,000,000 real-format task messages.
//  - time to the first decoded page on screen: from selecting the queue to its first rows
//    decoded in the Queues page's message view (offscreen), through the broker adapter;
//  - decode rate of 100,000 messages: Brokerdesk's codec against Python decoding the same
//    elements as kombu does (json, base64, kombu.serialization.loads), the baseline.
// Prints FIGURE lines and, last:
//   BENCH queue_decode product=<msg/s> baseline=<msg/s> ratio=<product/baseline> unit=msg/s
#include "celery/celerytaskencoder.h"
#include "celery/celerytaskmessage.h"
#include "celery/rediscelerybroker.h"
#include "commandwait.h"
#include "gui/queuescontroller.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"
#include "queues/queuespage.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <cstdio>

using namespace bd;

namespace {

constexpr int kMessages = 1'000'000;
constexpr int kDecoded = 100'000;
constexpr int kBatch = 1000;

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    test::PrivateRedisServer server;
    if (!server.start()) {
        std::fprintf(stderr, "bench_queue_decode: %s\n", qPrintable(server.lastError()));
        return 1;
    }
    connectors::RedisClient client(connectors::RedisUrl::parse(server.url()).settings);
    client.open();

    // The queue: messages as the encoder writes them (the format celery_produce.py checks
    // against real Celery), with varied args and kwargs, pushed in batches.
    // Declared as Celery declares it (celery.md §1.1).
    test::runCommand(client, {"SADD", "_kombu.binding.celery",
                              QByteArrayLiteral("celery\x06\x16\x06\x16"
                                                "celery")});
    QElapsedTimer fill;
    fill.start();
    int pending = 0;
    for (int i = 0; i < kMessages; i += kBatch) {
        QList<QByteArray> command{"LPUSH", "celery"};
        for (int j = i; j < i + kBatch; ++j) {
            connectors::CeleryTaskRequest r;
            r.task = QStringLiteral("tasks.celery_tasks.fetch_and_store_employee_data");
            r.args = nlohmann::json::array({j, "branch-" + std::to_string(j % 40)});
            r.kwargs = nlohmann::json{{"department", "Logistics"}, {"force", j % 2 == 0}};
            command << connectors::encodeCeleryTask(r).envelope;
        }
        ++pending;
        client.send(command, &app, [&pending](const connectors::RedisResult &) { --pending; });
        if (pending > 16 && !QTest::qWaitFor([&] { return pending <= 4; }, 60000))
            break;
    }
    if (!QTest::qWaitFor([&] { return pending == 0; }, 120000)) {
        std::fprintf(stderr, "bench_queue_decode: the queue was not filled\n");
        return 1;
    }
    const double fillSeconds = fill.nsecsElapsed() / 1e9;

    // First page on screen: the page, its models and controller as in the app.
    models::QueueListModel queues;
    models::QueueMessagesModel messages;
    ui::QueuesPage page(&queues, &messages);
    connectors::RedisCeleryBroker broker(&client); // the session's one adapter, as in the app
    app::QueuesController controller(&broker, &page, &queues, &messages, QStringLiteral("bench"),
                                     QString());
    page.resize(1280, 800);
    page.show(); // shown: the controller starts reading the queues
    if (!QTest::qWaitFor([&] { return queues.rowOf("celery") >= 0; }, 30000)) {
        std::fprintf(stderr, "bench_queue_decode: the queue is not listed\n");
        return 1;
    }
    auto *view = page.findChild<QTableView *>(QStringLiteral("queuesMessages"));
    QElapsedTimer firstPage;
    firstPage.start();
    page.selectQueue("celery");
    const bool shown = QTest::qWaitFor(
        [&] {
            return messages.rowCount() == kMessages
                   && view->model()
                              ->index(0, models::QueueMessagesModel::TaskColumn)
                              .data()
                              .toString()
                          == QLatin1String("tasks.celery_tasks.fetch_and_store_employee_data");
        },
        30000);
    const double firstPageMs = firstPage.nsecsElapsed() / 1e6;

    // Decode rate: the same 100,000 elements, in memory, for both.
    const connectors::RedisResult range =
        test::runCommand(client, {"LRANGE", "celery", QByteArray::number(-kDecoded), "-1"}, 60000);
    QList<QByteArray> raw;
    for (const auto &e : range.reply.elements())
        raw << e.bytes();
    QElapsedTimer decode;
    decode.start();
    int decoded = 0;
    for (const QByteArray &m : raw)
        decoded += connectors::decodeCeleryTaskMessage(m).isTask ? 1 : 0;
    const double product = decoded / (decode.nsecsElapsed() / 1e9);

    QProcess python;
    python.start(QStringLiteral(BROKERDESK_PYTHON),
                 {QStringLiteral(BROKERDESK_BENCH_DIR "/queue_decode_baseline.py"), server.url(),
                  QStringLiteral("celery"), QString::number(kDecoded)});
    python.waitForFinished(300000);
    const QList<QByteArray> answer = python.readAllStandardOutput().trimmed().split(' ');
    const double baseline = answer.value(0).toDouble();
    const int baselineDecoded = answer.value(1).toInt();

    std::printf("FIGURE queue_decode_fill %.1f s for %d messages\n", fillSeconds, kMessages);
    std::printf("FIGURE queue_decode_first_page_on_screen %.1f ms (%s)\n", firstPageMs,
                shown ? "rows decoded in the view" : "NOT SHOWN within 30 s");
    std::printf("FIGURE queue_decode_product_decoded %d of %d\n", decoded, kDecoded);
    std::printf("FIGURE queue_decode_baseline_decoded %d of %d (%s)\n", baselineDecoded, kDecoded,
                python.readAllStandardError().isEmpty() ? "python3, kombu"
                                                        : "python3 reported errors");
    std::printf("BENCH queue_decode product=%.0f baseline=%.0f ratio=%.2f unit=msg/s\n", product,
                baseline, baseline > 0 ? product / baseline : 0.0);
    return shown && baseline > 0 && decoded == kDecoded ? 0 : 1;
}
