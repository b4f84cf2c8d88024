#include "celerycaptures.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace bd;
using connectors::CeleryQueueInfo;
using connectors::CeleryQueuePage;
using models::QueueListModel;
using models::QueueMessagesModel;

// The Queues page's models: queue depths with their rate and history; a queue's contents
// paged on demand.
class TestQueueModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void queueListFollowsReadings();
    void messagesArePagedOnDemand();
    void depthChangesMoveTheRows();
};

namespace {

CeleryQueueInfo queue(const QByteArray &name, qint64 p0, qint64 p9 = 0)
{
    CeleryQueueInfo q;
    q.name = name;
    q.byStep = {p0, 0, 0, p9};
    q.declared = true;
    return q;
}

CeleryQueuePage page(const QByteArray &queue, qint64 offset, int count, qint64 depth)
{
    CeleryQueuePage p;
    p.queue = queue;
    p.offset = offset;
    p.depth = depth;
    for (int i = 0; i < count; ++i) {
        p.messages << (i % 2 ? QByteArray("{not json") : test::kCapturedTask);
        p.steps << 0;
    }
    return p;
}

} // namespace

void TestQueueModels::queueListFollowsReadings()
{
    QueueListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQueues({queue("celery", 10, 2), queue("reports", 1)}, 1000);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(model.rowOf("celery"), QueueListModel::DepthColumn).data().toString(),
             QStringLiteral("12"));
    QVERIFY(model.index(model.rowOf("celery"), QueueListModel::PrioritiesColumn)
                .data()
                .toString()
                .contains(QLatin1String("p9: 2")));
    // Two seconds later: 6 fewer in celery (workers keep up), reports gone, email_queue new.
    model.setQueues({queue("celery", 4, 2), queue("email_queue", 30)}, 3000);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf("reports"), -1);
    QStringList names = model.names();
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("celery"), QStringLiteral("email_queue")}));
    QCOMPARE(model.index(model.rowOf("celery"), QueueListModel::RateColumn)
                 .data(QueueListModel::RawValueRole)
                 .toDouble(),
             -3.0);
    QCOMPARE(model.history("celery").size(), 2);
    QCOMPARE(model.history("celery").last(), (QPair<qint64, qint64>(3000, 6)));
    // In flight: counted per queue; past the visibility timeout the count turns red.
    model.setInFlight({{"celery", {3, 12.4}}, {"email_queue", {1, 4000}}}, 3600);
    const QModelIndex celery = model.index(model.rowOf("celery"), QueueListModel::InFlightColumn);
    QCOMPARE(celery.data().toString(), QStringLiteral("3 (oldest 12 s)"));
    QVERIFY(!celery.data(Qt::ForegroundRole).isValid());
    QVERIFY(model.index(model.rowOf("email_queue"), QueueListModel::InFlightColumn)
                .data(Qt::ForegroundRole)
                .isValid());
}

void TestQueueModels::messagesArePagedOnDemand()
{
    QueueMessagesModel model; // (the tester, which visits every row, watches the test below)
    QSignalSpy wanted(&model, &QueueMessagesModel::pageWanted);
    model.setQueue("celery", 1'000'000);
    QCOMPARE(model.rowCount(), 1'000'000); // a million rows, nothing read yet
    wanted.clear();
    QCOMPARE(model.index(450, QueueMessagesModel::TaskColumn).data().toString(),
             QStringLiteral("loading…"));
    QCOMPARE(wanted.size(), 1);
    QCOMPARE(wanted[0][1].toLongLong(), qint64(400));        // the page that holds row 450
    model.index(401, QueueMessagesModel::TaskColumn).data(); // same page: not asked twice
    QCOMPARE(wanted.size(), 1);
    model.setPage(page("celery", 400, QueueMessagesModel::kPageSize, 1'000'000));
    QCOMPARE(model.index(400, QueueMessagesModel::TaskColumn).data().toString(),
             QStringLiteral("tasks.add"));
    QCOMPARE(model.index(400, QueueMessagesModel::ArgsColumn).data().toString(),
             QStringLiteral("[2,3]"));
    QCOMPARE(model.index(400, QueueMessagesModel::IdColumn).data().toString(),
             QStringLiteral("11111111-1111-1111-1111-111111111111"));
    QCOMPARE(model.index(401, QueueMessagesModel::TaskColumn).data().toString(),
             QStringLiteral("{not json"));
    QVERIFY(model.messageAt(401) && !model.messageAt(401)->isTask);
    QCOMPARE(model.rawAt(401), QByteArray("{not json"));
    // Another queue's late page is not taken.
    model.setPage(page("reports", 0, 10, 10));
    QCOMPARE(model.index(0, QueueMessagesModel::TaskColumn).data().toString(),
             QStringLiteral("loading…"));
}

void TestQueueModels::depthChangesMoveTheRows()
{
    QueueMessagesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQueue("celery", 50);
    model.setPage(page("celery", 0, 50, 50));
    QVERIFY(model.index(10, 0).data(QueueMessagesModel::LoadedRole).toBool());
    model.setDepth(20); // workers took 30
    QCOMPARE(model.rowCount(), 20);
    QVERIFY(!model.index(10, 0).data(QueueMessagesModel::LoadedRole).toBool()); // read again
    model.setPage(page("celery", 0, 25, 25)); // the reading says 25 now
    QCOMPARE(model.rowCount(), 25);
    QVERIFY(model.index(24, 0).data(QueueMessagesModel::LoadedRole).toBool());
}

QTEST_GUILESS_MAIN(TestQueueModels)
#include "tst_queuemodels.moc"
