#include "pubsub/messagelogmodel.h"
#include "pubsub/trafficstatsmodel.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QSignalSpy>
#include <QTest>

#include <nlohmann/json.hpp>

#include <memory>

using namespace bd;
using connectors::PushMessage;
using models::LoggedMessage;
using models::MessageLogModel;
using models::TrafficStatsModel;

// The message ring of the Pub/Sub page and the profiler, and the traffic per channel.
class TestMessageLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesInsertAndEvictUnderTheTester();
    void byteBudgetEvictsToo();
    void pauseFreezesTheViewAndKeepsCounting();
    void filterRunsOffThreadAndKeepsCapturing();
    void gapsAreRowsThatFiltersNeverHide();
    void exportWritesJsonLinesAndCsv();
    void monitorLinesBecomeCommands();
    void envelopesShowTheirSummaryInThePreview();
    void capacityChangeKeepsTheNewest();
    void trafficCountsRatesAndBoundedRows();
};

namespace {

PushMessage message(const QByteArray &channel, const QByteArray &payload,
                    const QByteArray &pattern = {})
{
    PushMessage m;
    m.kind = pattern.isEmpty() ? PushMessage::Kind::Message : PushMessage::Kind::PatternMessage;
    m.receivedMs = 1700000000000;
    m.channel = channel;
    m.pattern = pattern;
    m.payload = payload;
    return m;
}

std::deque<PushMessage> batch(int from, int count, const QByteArray &channel = "ch")
{
    std::deque<PushMessage> out;
    for (int i = from; i < from + count; ++i)
        out.push_back(message(channel, QByteArray::number(i)));
    return out;
}

QByteArray payloadAt(const MessageLogModel &model, int row)
{
    return model.index(row, MessageLogModel::PayloadColumn)
        .data(MessageLogModel::PayloadRole)
        .toByteArray();
}

} // namespace

void TestMessageLogModel::batchesInsertAndEvictUnderTheTester()
{
    MessageLogModel model(MessageLogModel::Mode::PubSub);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(1000);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    // A subscription confirmation makes no row.
    PushMessage confirmation;
    confirmation.kind = PushMessage::Kind::Subscribed;
    confirmation.channel = "ch";
    std::deque<PushMessage> first = batch(0, 600);
    first.push_front(confirmation);
    model.appendPushMessages(first);
    QCOMPARE(model.rowCount(), 0); // applied on the timer, not per message
    model.flush();
    QCOMPARE(model.rowCount(), 600);
    QCOMPARE(inserted.size(), 1); // one insertion for the whole batch
    model.appendPushMessages(batch(600, 700));
    model.flush();
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(removed.size(), 1); // one removal for everything evicted
    QCOMPARE(model.evictedCount(), quint64(300));
    QCOMPARE(model.receivedCount(), quint64(1300));
    QCOMPARE(payloadAt(model, 0), QByteArray("300"));
    QCOMPARE(payloadAt(model, 999), QByteArray("1299"));
    // Many more batches than the ring holds: in order, bounded, every eviction counted.
    for (int i = 0; i < 20; ++i) {
        model.appendPushMessages(batch(1300 + i * 250, 250));
        model.flush();
    }
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.storedCount(), 1000);
    QCOMPARE(model.evictedCount(), quint64(6300 - 1000));
    QCOMPARE(payloadAt(model, 0), QByteArray("5300"));
    QCOMPARE(payloadAt(model, 999), QByteArray("6299"));
    // A batch bigger than the ring keeps its newest.
    model.appendPushMessages(batch(6300, 2500));
    model.flush();
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(payloadAt(model, 0), QByteArray("7800"));
    QCOMPARE(model.evictedCount(), quint64(8800 - 1000));
    // Lost by the connection is counted apart.
    model.appendPushMessages({}, 42);
    QCOMPARE(model.lostCount(), quint64(42));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.receivedCount(), quint64(0));
}

void TestMessageLogModel::byteBudgetEvictsToo()
{
    MessageLogModel model(MessageLogModel::Mode::PubSub);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxBytes(100 * 1024);
    std::deque<PushMessage> big;
    for (int i = 0; i < 50; ++i)
        big.push_back(message("ch", QByteArray(10 * 1024, char('a' + i % 26))));
    model.appendPushMessages(big);
    model.flush();
    QVERIFY(model.storedBytes() <= 100 * 1024);
    QVERIFY(model.rowCount() >= 8 && model.rowCount() <= 10);
    QCOMPARE(model.evictedCount() + quint64(model.rowCount()), quint64(50));
    QCOMPARE(payloadAt(model, model.rowCount() - 1).front(), char('a' + 49 % 26));
}

void TestMessageLogModel::pauseFreezesTheViewAndKeepsCounting()
{
    MessageLogModel model(MessageLogModel::Mode::PubSub);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(500);
    model.appendPushMessages(batch(0, 100));
    model.flush();
    model.setPaused(true);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.appendPushMessages(batch(100, 300));
    model.flush();
    QCOMPARE(model.rowCount(), 100); // frozen
    QCOMPARE(model.heldCount(), 300);
    QCOMPARE(model.receivedCount(), quint64(400));
    model.appendPushMessages(batch(400, 400)); // more than the ring: the hold is bounded too
    QCOMPARE(model.heldCount(), 500);
    QCOMPARE(model.receivedCount(), quint64(800));
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(removed.size(), 0);
    model.setPaused(false);
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(payloadAt(model, 0), QByteArray("300"));
    QCOMPARE(payloadAt(model, 499), QByteArray("799"));
    QCOMPARE(model.evictedCount() + quint64(model.rowCount()), model.receivedCount());
}

void TestMessageLogModel::filterRunsOffThreadAndKeepsCapturing()
{
    MessageLogModel model(MessageLogModel::Mode::PubSub);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::deque<PushMessage> mixed;
    for (int i = 0; i < 3000; ++i)
        mixed.push_back(message(i % 3 == 0 ? "data_updates" : "notifications",
                                i % 10 == 0
                                    ? QByteArray("registry_updated ") + QByteArray::number(i)
                                    : QByteArray("other ") + QByteArray::number(i)));
    model.appendPushMessages(mixed);
    model.flush();
    QSignalSpy applied(&model, &MessageLogModel::filterApplied);
    model.setFilter(QStringLiteral("data_"), QString());
    QVERIFY(model.isApplyingFilter());
    // Messages that come while it runs wait, then pass the new filter.
    model.appendPushMessages(
        {message("data_updates", "late"), message("notifications", "late too")});
    QVERIFY(applied.wait());
    QTRY_COMPARE(model.rowCount(), 1000 + 1);
    QCOMPARE(payloadAt(model, 1000), QByteArray("late"));
    model.setFilter(QStringLiteral("data_"), QStringLiteral("registry_updated"));
    QVERIFY(applied.wait());
    QCOMPARE(model.rowCount(), 100); // i % 30 == 0
    QCOMPARE(payloadAt(model, 1), QByteArray("registry_updated 30"));
    // The export of the filtered part has just those rows; the whole capture has all.
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    QCOMPARE(model.exportTo(&out, MessageLogModel::ExportFormat::JsonLines, true), qint64(100));
    QCOMPARE(model.exportTo(&out, MessageLogModel::ExportFormat::JsonLines, false), qint64(3002));
    model.setFilter(QString(), QString());
    QCOMPARE(model.rowCount(), 3002);
    QCOMPARE(model.receivedCount(), quint64(3002));
}

void TestMessageLogModel::gapsAreRowsThatFiltersNeverHide()
{
    MessageLogModel model(MessageLogModel::Mode::PubSub);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendPushMessages(batch(0, 3));
    model.addGap(1700000000000, 1700000004500, QStringLiteral("Connection refused"));
    model.appendPushMessages(batch(3, 3));
    model.flush();
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(model.gapCount(), quint64(1));
    QCOMPARE(model.index(3, 0).data(MessageLogModel::KindRole).toInt(),
             int(LoggedMessage::Kind::Gap));
    QVERIFY(model.index(3, MessageLogModel::PayloadColumn)
                .data()
                .toString()
                .contains(QLatin1String("4.5 s")));
    QCOMPARE(model.receivedCount(), quint64(6)); // a gap is not a message
    QSignalSpy applied(&model, &MessageLogModel::filterApplied);
    model.setFilter(QStringLiteral("nothing-matches"), QString());
    QVERIFY(applied.wait());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data(MessageLogModel::KindRole).toInt(),
             int(LoggedMessage::Kind::Gap));
}

void TestMessageLogModel::exportWritesJsonLinesAndCsv()
{
    MessageLogModel model(MessageLogModel::Mode::PubSub);
    model.appendPushMessages({message("data_updates", R"({"event":"registry_updated"})", "data_*"),
                              message("bin", QByteArray("\x00\xff,\"x", 5))});
    model.flush();
    QBuffer jsonl;
    jsonl.open(QIODevice::WriteOnly);
    QCOMPARE(model.exportTo(&jsonl, MessageLogModel::ExportFormat::JsonLines, false), qint64(2));
    const QList<QByteArray> lines = jsonl.data().split('\n');
    QCOMPARE(lines.size(), 3); // two lines and the empty tail
    const auto first = nlohmann::json::parse(lines[0].toStdString());
    QCOMPARE(first["channel"].get<std::string>(), std::string("data_updates"));
    QCOMPARE(first["pattern"].get<std::string>(), std::string("data_*"));
    QCOMPARE(first["payload"].get<std::string>(), std::string(R"({"event":"registry_updated"})"));
    QCOMPARE(first["time_us"].get<qint64>(), Q_INT64_C(1700000000000000));
    const auto second = nlohmann::json::parse(lines[1].toStdString());
    QVERIFY(second["pattern"].is_null());
    QCOMPARE(QByteArray::fromBase64(
                 QByteArray::fromStdString(second["payload"]["base64"].get<std::string>())),
             QByteArray("\x00\xff,\"x", 5));

    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    QCOMPARE(model.exportTo(&csv, MessageLogModel::ExportFormat::Csv, false), qint64(2));
    const QList<QByteArray> rows = csv.data().split('\n');
    QCOMPARE(rows[0], QByteArray("time,kind,channel,pattern,size,payload\r"));
    QVERIFY(
        rows[1].endsWith(R"(,message,"data_updates","data_*",28,"{""event"":""registry_updated""}")"
                         "\r"));
}

void TestMessageLogModel::monitorLinesBecomeCommands()
{
    MessageLogModel model(MessageLogModel::Mode::Monitor);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    PushMessage line;
    line.kind = PushMessage::Kind::Monitor;
    line.payload = R"(1700000000.250000 [2 127.0.0.1:5000] "hset" "employee:7" "name" "Ada \"L\"")";
    PushMessage odd = line;
    odd.payload = "something else";
    PushMessage published = message("ch", "x"); // not a command: no row in the profiler
    model.appendPushMessages({line, odd, published});
    model.flush();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, MessageLogModel::NameColumn).data().toString(), QStringLiteral("HSET"));
    QCOMPARE(model.index(0, MessageLogModel::OriginColumn).data().toString(),
             QStringLiteral("127.0.0.1:5000"));
    QCOMPARE(model.index(0, MessageLogModel::NumberColumn).data().toInt(), 2);
    QCOMPARE(model.index(0, MessageLogModel::PayloadColumn).data().toString(),
             QStringLiteral(R"("employee:7" "name" "Ada \"L\"")"));
    QCOMPARE(model.index(0, 0).data(MessageLogModel::TimeUsRole).toLongLong(),
             Q_INT64_C(1700000000250000));
    QCOMPARE(model.index(1, 0).data(MessageLogModel::KindRole).toInt(),
             int(LoggedMessage::Kind::Note));
    QCOMPARE(
        model.headerData(MessageLogModel::NameColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
        QStringLiteral("Command"));
}

void TestMessageLogModel::envelopesShowTheirSummaryInThePreview()
{
    MessageLogModel model(MessageLogModel::Mode::PubSub);
    const QByteArray body = R"({"hostname": "w1@vm", "type": "worker-heartbeat"})";
    const QByteArray envelope =
        R"({"body": ")" + body.toBase64()
        + R"(", "content-type": "application/json", "properties": {"body_encoding": "base64", )"
          R"("delivery_info": {"exchange": "celeryev", "routing_key": "worker.heartbeat"}}})";
    model.appendPushMessages({message("/0.celeryev/worker.heartbeat", envelope),
                              message("ch", R"({"body": 1})"), message("ch", "plain")});
    model.flush();
    QVERIFY(
        model.index(0, MessageLogModel::PayloadColumn)
            .data()
            .toString()
            .startsWith(QStringLiteral("⟨Celery event: worker-heartbeat from w1@vm⟩ {\"body\"")));
    QCOMPARE(model.index(1, MessageLogModel::PayloadColumn).data().toString(),
             QStringLiteral(R"({"body": 1})"));
    QCOMPARE(model.index(2, MessageLogModel::PayloadColumn).data().toString(),
             QStringLiteral("plain"));
}

void TestMessageLogModel::capacityChangeKeepsTheNewest()
{
    MessageLogModel model(MessageLogModel::Mode::PubSub);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(100);
    model.appendPushMessages(batch(0, 150));
    model.flush();
    QCOMPARE(payloadAt(model, 0), QByteArray("50"));
    model.setCapacity(10);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(payloadAt(model, 0), QByteArray("140"));
    model.setCapacity(20);
    model.appendPushMessages(batch(150, 15));
    model.flush();
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(payloadAt(model, 0), QByteArray("145"));
    QCOMPARE(payloadAt(model, 19), QByteArray("164"));
    QCOMPARE(model.evictedCount() + 20, quint64(165));
}

void TestMessageLogModel::trafficCountsRatesAndBoundedRows()
{
    TrafficStatsModel model(TrafficStatsModel::Mode::Channels);
    auto tester = std::make_unique<QAbstractItemModelTester>(
        &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSubscriptions({"data_updates", "notif*"});
    QCOMPARE(model.rowCount(), 2);
    model.count("data_updates", 30);
    model.count("notifications", 5);
    model.tick(500);
    QCOMPARE(model.totalFor("data_updates"), qint64(30));
    QCOMPARE(model.rateFor("data_updates"), 60.0);
    QCOMPARE(model.totalRate(), 70.0);
    model.tick(1000);
    QCOMPARE(model.rateFor("data_updates"), 0.0); // nothing since
    int dataRow = -1;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(TrafficStatsModel::NameBytesRole).toByteArray()
            == "data_updates")
            dataRow = row;
    }
    QVERIFY(dataRow >= 0);
    const QModelIndex graph = model.index(dataRow, TrafficStatsModel::GraphColumn);
    QCOMPARE(graph.data(TrafficStatsModel::HistoryRole).value<QList<qreal>>(),
             (QList<qreal>{60.0, 0.0}));
    model.setServerChannels({{"data_updates", 3}, {"celery-task-meta-1", 1}});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(dataRow, TrafficStatsModel::SubscribersColumn).data().toString(),
             QStringLiteral("3"));
    QVERIFY(model.index(dataRow, 0).data(TrafficStatsModel::SubscribedRole).toBool());
    // A pattern matching a channel per key cannot grow the table without bound. (The tester
    // checks the whole model on every insertion: it watches again from the "other" row on.)
    tester.reset();
    for (int i = 0; i < TrafficStatsModel::kMaxRows - 4; ++i)
        model.count("__keyspace@0__:user:" + QByteArray::number(i));
    tester = std::make_unique<QAbstractItemModelTester>(
        &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = TrafficStatsModel::kMaxRows - 4; i < TrafficStatsModel::kMaxRows + 100; ++i)
        model.count("__keyspace@0__:user:" + QByteArray::number(i));
    QCOMPARE(model.rowCount(), TrafficStatsModel::kMaxRows + 1);
    QCOMPARE(
        model.index(TrafficStatsModel::kMaxRows, 0).data(TrafficStatsModel::OtherRole).toBool(),
        true);
    QCOMPARE(model.index(TrafficStatsModel::kMaxRows, TrafficStatsModel::TotalColumn)
                 .data(TrafficStatsModel::RawValueRole)
                 .toLongLong(),
             qint64(104));
    model.clearCounts();
    QCOMPARE(model.rowCount(), 3); // subscribed and on the server: kept, at zero
    QCOMPARE(model.totalFor("data_updates"), qint64(0));
}

QTEST_GUILESS_MAIN(TestMessageLogModel)
#include "tst_messagelogmodel.moc"
