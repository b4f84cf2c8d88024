// bench_dataset: 100,000 employee records (about 20 MB of JSON) in one key, loaded into the
// Data page's table with a view attached (offscreen), as the page loads them: the reader's
// GET, the decoder (simdjson), the table model's view job, one model reset.
//  - time to first rows (the table shows records), then sorted by name (the locale's
//    collation), the longest event-loop stall over all of it, and RSS;
//  - the baseline: Python's json.loads of the same bytes (parsing only, the file already read).
// ratio = baseline / product (time to first rows): >= 1 means the table is ready no later than
// Python has merely parsed the JSON. Rounds alternate, at least three each; medians are taken.
// Prints FIGURE lines and, last:
//   BENCH dataset product=<ms> baseline=<ms> ratio=<baseline/product> unit=ms
#include "commandwait.h"
#include "data/datasetreader.h"
#include "data/datasettablemodel.h"
#include "eventloopstallmeter.h"
#include "processmemory.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace bd;

namespace {

constexpr int kRecords = 100'000;
constexpr int kRounds = 3;

QByteArray roster()
{
    static const char *first[] = {"Иван", "Мария", "Алексей", "Ольга", "Дмитрий", "Анна",
                                  "Noah", "Emma",  "Liam",    "Sofia", "Yuki",    "Lars"};
    static const char *last[] = {"Иванов", "Смирнова", "Кузнецов", "Попова",  "Novak",
                                 "Müller", "García",   "Tanaka",   "O'Brien", "Dubois"};
    static const char *positions[] = {"Cashier",         "Shift supervisor", "Store manager",
                                      "Courier",         "Accountant",       "HR partner",
                                      "Backend engineer"};
    static const char *departments[] = {"Retail", "Logistics",   "Finance",
                                        "People", "Engineering", "Customer care"};
    static const char *branches[] = {
        "Moscow-Central", "Saint Petersburg", "Kazan", "Berlin", "Lisbon", "Tokyo", "Remote"};
    QRandomGenerator rng(7);
    const auto pick = [&rng](const auto &list) {
        return list[rng.bounded(int(std::size(list)))];
    };
    QByteArray out = "[";
    for (int i = 1; i <= kRecords; ++i) {
        if (i > 1)
            out += ",\n";
        out += QByteArrayLiteral("{\"id\": ") + QByteArray::number(i) + ", \"name\": \""
               + pick(first) + ' ' + pick(last) + "\", \"position\": \"" + pick(positions)
               + "\", \"department\": \"" + pick(departments) + "\", \"branch\": \""
               + pick(branches) + "\", \"email\": \"employee" + QByteArray::number(i)
               + "@example.com\", \"hired\": \"20" + QByteArray::number(10 + i % 15) + "-0"
               + QByteArray::number(1 + i % 9) + "-1" + QByteArray::number(i % 10)
               + "\", \"manager_id\": " + QByteArray::number(1 + i / 10) + "}";
    }
    return out + "]";
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    test::PrivateRedisServer server;
    if (!server.start()) {
        std::fprintf(stderr, "bench_dataset: %s\n", qPrintable(server.lastError()));
        return 1;
    }
    connectors::RedisClient client(connectors::RedisUrl::parse(server.url()).settings);
    client.open();
    const QByteArray json = roster();
    if (!test::runCommand(client, {"SET", "employees", json}, 60000).ok()) {
        std::fprintf(stderr, "bench_dataset: cannot store the records\n");
        return 1;
    }
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("employees.json"));
    {
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size())
            return 1;
    }

    connectors::DatasetDefinition employees;
    employees.name = QStringLiteral("Employees");
    employees.key = "employees";
    employees.columns = QStringList{QStringLiteral("name"), QStringLiteral("position"),
                                    QStringLiteral("department"), QStringLiteral("branch")};
    employees.idField = QStringLiteral("id");
    connectors::DatasetReader reader(&client);

    std::vector<double> decoded, firstRows, sorted, baseline;
    qint64 worstStall = 0;
    qint64 rssKiB = 0;
    int shown = 0;
    for (int round = 0; round < kRounds; ++round) {
        // The product: a fresh model and view each round, as a newly opened page.
        {
            models::DatasetTableModel model;
            QTableView view;
            view.setModel(&model);
            view.resize(1200, 700);
            view.show();
            test::resetPeakRss();
            test::EventLoopStallMeter stall;
            stall.start();
            QElapsedTimer clock;
            clock.start();
            connectors::DatasetTablePtr table;
            reader.read(employees, {}, &model, [&](const connectors::DatasetRead &read) {
                decoded.push_back(double(clock.nsecsElapsed()) / 1e6);
                table = read.table;
                model.setTable(read.table);
            });
            QSignalSpy updated(&model, &models::DatasetTableModel::viewUpdated);
            if (!QTest::qWaitFor([&] { return model.rowCount() > 0; }, 60000)) {
                std::fprintf(stderr, "bench_dataset: no rows\n");
                return 1;
            }
            firstRows.push_back(double(clock.nsecsElapsed()) / 1e6);
            shown = model.rowCount();
            const int before = int(updated.size());
            model.sort(0, Qt::AscendingOrder);
            if (!QTest::qWaitFor([&] { return updated.size() > before && model.isSettled(); },
                                 60000))
                return 1;
            sorted.push_back(double(clock.nsecsElapsed()) / 1e6);
            stall.stop();
            worstStall = qMax(worstStall, stall.worstMs());
            rssKiB = qMax(rssKiB, test::procStatusKiB("VmHWM:"));
        }
        // The baseline: json.loads of the same bytes, timed in Python around the call only.
        QProcess python;
        python.start(QStringLiteral(BROKERDESK_PYTHON),
                     {QStringLiteral("-c"),
                      QStringLiteral("import json,sys,time\n"
                                     "b=open(sys.argv[1],'rb').read()\n"
                                     "t=time.perf_counter(); r=json.loads(b); "
                                     "print((time.perf_counter()-t)*1000, len(r))"),
                      file});
        if (!python.waitForFinished(120000) || python.exitCode() != 0) {
            std::fprintf(stderr, "bench_dataset: python: %s\n",
                         python.readAllStandardError().constData());
            return 1;
        }
        const QList<QByteArray> answer = python.readAllStandardOutput().trimmed().split(' ');
        baseline.push_back(answer.value(0).toDouble());
    }
    const double product = median(firstRows);
    const double python = median(baseline);
    std::printf("FIGURE dataset_records %d shown of %d (%.1f MB of JSON)\n", shown, kRecords,
                json.size() / 1e6);
    std::printf("FIGURE dataset_time_to_read_and_decoded %.1f ms\n", median(decoded));
    std::printf("FIGURE dataset_time_to_first_rows %.1f ms\n", product);
    std::printf("FIGURE dataset_time_to_sorted_by_name %.1f ms\n", median(sorted));
    std::printf("FIGURE dataset_event_loop_worst_stall %lld ms\n", worstStall);
    std::printf("FIGURE dataset_peak_rss %.1f MB\n", rssKiB / 1024.0);
    std::printf("FIGURE dataset_baseline_python_json_loads %.1f ms\n", python);
    std::printf("BENCH dataset product=%.1f baseline=%.1f ratio=%.2f unit=ms\n", product, python,
                product > 0 ? python / product : 0);
    return 0;
}
