// The tasks timeline model: newest first, new tasks in at the top, the oldest out at the
// bottom past the limit, changed tasks announced where they are; under QAbstractItemModelTester.
#include "events/tasktimelinemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using bd::connectors::CeleryEvent;
using bd::models::TaskTimelineModel;

namespace {

constexpr double kT0 = 1795315898.0;

CeleryEvent taskEvent(const QString &type, int task, double at)
{
    CeleryEvent e;
    e.type = type;
    e.uuid = QStringLiteral("task-%1").arg(task);
    e.hostname = QStringLiteral("w1@vm");
    e.timestamp = at;
    e.clock = qint64(at * 1000) % 100000;
    if (type == QLatin1String("task-received")) {
        e.name = QStringLiteral("tasks.add");
        e.args = QStringLiteral("(%1, 2)").arg(task);
    }
    if (type == QLatin1String("task-failed"))
        e.exception = QStringLiteral("KeyError('x')");
    return e;
}

} // namespace

class TestTaskTimelineModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newestFirstBoundedAndChangedInPlace();
    void restoredBelowLive();
};

void TestTaskTimelineModel::newestFirstBoundedAndChangedInPlace()
{
    TaskTimelineModel model(5);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    QList<CeleryEvent> batch;
    for (int i = 0; i < 4; ++i)
        batch << taskEvent(QStringLiteral("task-received"), i, kT0 + i);
    model.apply(batch, kT0 + 4);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(inserted.size(), 1); // one announcement for the batch
    QCOMPARE(model.index(0, TaskTimelineModel::IdColumn).data().toString(),
             QStringLiteral("task-3"));
    QCOMPARE(model.index(3, TaskTimelineModel::IdColumn).data().toString(),
             QStringLiteral("task-0"));
    QCOMPARE(model.index(0, TaskTimelineModel::StateColumn).data().toString(),
             QStringLiteral("RECEIVED"));
    QCOMPARE(model.index(0, TaskTimelineModel::ArgsColumn).data().toString(),
             QStringLiteral("(3, 2)"));

    // Two held tasks change, three new ones arrive and the two oldest leave: task-1 with its
    // change (never announced), so one row changed, task-2's.
    model.apply({taskEvent(QStringLiteral("task-started"), 1, kT0 + 5),
                 taskEvent(QStringLiteral("task-failed"), 2, kT0 + 5.5),
                 taskEvent(QStringLiteral("task-received"), 4, kT0 + 6),
                 taskEvent(QStringLiteral("task-received"), 5, kT0 + 7),
                 taskEvent(QStringLiteral("task-received"), 6, kT0 + 8)},
                kT0 + 8);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(0, TaskTimelineModel::IdColumn).data().toString(),
             QStringLiteral("task-6"));
    QCOMPARE(model.index(4, TaskTimelineModel::IdColumn).data().toString(),
             QStringLiteral("task-2"));
    const int failedRow = model.rowOf(QStringLiteral("task-2"));
    QCOMPARE(failedRow, 4);
    QCOMPARE(model.index(failedRow, TaskTimelineModel::StateColumn).data().toString(),
             QStringLiteral("FAILURE"));
    QCOMPARE(model.index(failedRow, TaskTimelineModel::OutcomeColumn).data().toString(),
             QStringLiteral("KeyError('x')"));
    QCOMPARE(model.index(failedRow, TaskTimelineModel::FinishedColumn)
                 .data(TaskTimelineModel::RawValueRole)
                 .toDouble(),
             kT0 + 5.5);
    QVERIFY(!model.index(failedRow, TaskTimelineModel::FinishedColumn).data().toString().isEmpty());
    QVERIFY(model.index(0, TaskTimelineModel::FinishedColumn).data().toString().isEmpty());
    QCOMPARE(model.rowOf(QStringLiteral("task-0")), -1); // evicted
    const QModelIndex first = changed.first().at(0).toModelIndex();
    const QModelIndex last = changed.first().at(1).toModelIndex();
    QCOMPARE(first.row(), 4);
    QCOMPARE(last.row(), 4);
    QCOMPARE(last.column(), TaskTimelineModel::ColumnCount - 1);

    // A batch larger than the limit replaces every row.
    batch.clear();
    for (int i = 10; i < 20; ++i)
        batch << taskEvent(QStringLiteral("task-received"), i, kT0 + i);
    model.apply(batch, kT0 + 20);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(0, TaskTimelineModel::IdColumn).data().toString(),
             QStringLiteral("task-19"));
    QCOMPARE(model.index(4, TaskTimelineModel::IdColumn).data().toString(),
             QStringLiteral("task-15"));
}

void TestTaskTimelineModel::restoredBelowLive()
{
    TaskTimelineModel model(10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<bd::connectors::TaskEventRecord> stored(2);
    stored[0].uuid = QStringLiteral("stored-old");
    stored[1].uuid = QStringLiteral("stored-new");
    model.restore(stored);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, TaskTimelineModel::IdColumn).data().toString(),
             QStringLiteral("stored-new"));
    model.apply({taskEvent(QStringLiteral("task-received"), 1, kT0)}, kT0);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, TaskTimelineModel::IdColumn).data().toString(),
             QStringLiteral("task-1"));
    QCOMPARE(model.index(2, TaskTimelineModel::IdColumn).data().toString(),
             QStringLiteral("stored-old"));
}

QTEST_MAIN(TestTaskTimelineModel)
#include "tst_tasktimelinemodel.moc"
