// The Data page's models: the table (under QAbstractItemModelTester), freshness, the search box.
#include "data/datasetdecoder.h"
#include "data/datasetfreshness.h"
#include "data/datasetsearch.h"
#include "data/datasettablemodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QTest>

using namespace bd;
using models::DatasetTableModel;

namespace {

connectors::DatasetTablePtr decode(const QByteArray &json)
{
    return std::make_shared<const connectors::DatasetTable>(connectors::decodeDatasetJson(
        json, {{QStringLiteral("name"), QStringLiteral("branch")}, QStringLiteral("id")}));
}

QStringList names(const DatasetTableModel &model)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out << model.index(r, 0).data().toString();
    return out;
}

QStringList list(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *i : items)
        out << QString::fromUtf8(i);
    return out;
}

} // namespace

class TestDatasetModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sortsSearchesAndGroupsOffThread();
    void marksChangesAgainstAnEarlierRead();
    void freshness_data();
    void freshness();
    void searchBoxTakesColumnFilters();
};

void TestDatasetModel::sortsSearchesAndGroupsOffThread()
{
    DatasetTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTable(decode(R"([
        {"id":1,"name":"Иван","branch":"Kazan","age":"40"},
        {"id":2,"name":"employee 10","branch":"Berlin","age":"9"},
        {"id":3,"name":"Анна","branch":"Kazan","age":"31"},
        {"id":4,"name":"employee 9","branch":"Kazan","age":""},
        {"id":5,"name":"Ёлка","branch":"Berlin","age":"100"}])"));
    QTRY_COMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), 4); // name, branch, then id and age as found
    QCOMPARE(model.headerData(2, Qt::Horizontal).toString(), QStringLiteral("id"));
    // Natural order (9 before 10), Cyrillic by the alphabet (Ё after Е, before Ж).
    model.sort(0);
    QTRY_COMPARE(names(model), list({"employee 9", "employee 10", "Анна", "Ёлка", "Иван"}));
    model.sort(0, Qt::DescendingOrder);
    QTRY_COMPARE(names(model).first(), QStringLiteral("Иван"));
    // Numbers sort as numbers; empty cells last either way.
    model.sort(3);
    QTRY_COMPARE(names(model), list({"employee 10", "Анна", "Иван", "Ёлка", "employee 9"}));
    model.sort(3, Qt::DescendingOrder);
    QTRY_COMPARE(names(model), list({"Ёлка", "Иван", "Анна", "employee 10", "employee 9"}));
    // Search without case across columns; a filter per column; groups with counts.
    DatasetTableModel::ViewOptions options = model.viewOptions();
    options.search = QStringLiteral("KAZ");
    model.setViewOptions(options);
    QTRY_COMPARE(model.rowCount(), 3);
    options.search.clear();
    options.filters.insert(0, QStringLiteral("EMPLOYEE"));
    options.groupColumn = 1;
    model.setViewOptions(options);
    QTRY_VERIFY(model.isSettled());
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.groups().size(), size_t(2));
    QCOMPARE(model.groups()[0].count, 1);
    options.filters.clear();
    model.setViewOptions(options);
    QTRY_VERIFY(model.isSettled() && model.groups().size() == 2 && model.groups()[0].count == 3);
    QCOMPARE(model.groups()[0].value, QStringLiteral("Kazan"));
    options.groupSelected = true;
    options.group = QStringLiteral("Berlin");
    model.setViewOptions(options);
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(model.shownCount(), 2);
    QCOMPARE(model.totalCount(), 5);
}

void TestDatasetModel::marksChangesAgainstAnEarlierRead()
{
    DatasetTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto before = decode(R"([{"id":1,"name":"A","branch":"Kazan"},{"id":2,"name":"B"}])");
    const auto after = decode(R"([{"id":1,"name":"A","branch":"Tokyo"},{"id":3,"name":"C"}])");
    auto diff =
        std::make_shared<const connectors::DatasetDiff>(connectors::diffDatasets(*before, *after));
    model.setTable(after, before, diff);
    QTRY_COMPARE(model.rowCount(), 3); // two records and the removed one after them
    QCOMPARE(model.changeAt(0), DatasetTableModel::Change::Changed);
    QCOMPARE(model.changeAt(1), DatasetTableModel::Change::Added);
    QCOMPARE(model.changeAt(2), DatasetTableModel::Change::Removed);
    QCOMPARE(model.index(0, 1).data(Qt::ToolTipRole).toString(), QStringLiteral("Was: Kazan"));
    QVERIFY(model.index(0, 1).data(Qt::BackgroundRole).isValid());
    QVERIFY(!model.index(0, 0).data(Qt::BackgroundRole).isValid()); // name did not change
    QVERIFY(model.index(2, 0).data(Qt::FontRole).value<QFont>().strikeOut());
    QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("B"));
    QCOMPARE(model.recordFields(2).value(0).second, QStringLiteral("B"));
    DatasetTableModel::ViewOptions options;
    options.onlyChanges = true;
    model.setViewOptions(options);
    QTRY_VERIFY(model.isSettled());
    QCOMPARE(model.rowCount(), 3);
    // Shown alone, the same read has no marks.
    model.setTable(after);
    QTRY_COMPARE(model.rowCount(), 0); // only changes, and there are none
    model.setViewOptions({});
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(model.changeAt(0), DatasetTableModel::Change::Same);
}

void TestDatasetModel::freshness_data()
{
    QTest::addColumn<bool>("missing");
    QTest::addColumn<qint64>("leftS"); // -1: no TTL
    QTest::addColumn<qint64>("expected");
    QTest::addColumn<qint64>("lastChangeAgoS"); // -1: none seen
    QTest::addColumn<int>("state");
    using S = models::DatasetFreshness::State;
    QTest::newRow("fresh") << false << 3500LL << 3600LL << -1LL << int(S::Fresh);
    QTest::newRow("last tenth") << false << 300LL << 3600LL << -1LL << int(S::ExpiringSoon);
    QTest::newRow("last minute, short TTL")
        << false << 50LL << 120LL << -1LL << int(S::ExpiringSoon);
    QTest::newRow("gone") << true << -1LL << 3600LL << -1LL << int(S::Expired);
    QTest::newRow("no TTL, old write") << false << -1LL << 3600LL << 7200LL << int(S::Stale);
    QTest::newRow("no TTL, nothing seen") << false << -1LL << 3600LL << -1LL << int(S::Stale);
    QTest::newRow("no TTL, recent write") << false << -1LL << 3600LL << 60LL << int(S::Fresh);
    QTest::newRow("no TTL expected") << false << -1LL << 0LL << -1LL << int(S::Fresh);
}

void TestDatasetModel::freshness()
{
    QFETCH(bool, missing);
    QFETCH(qint64, leftS);
    QFETCH(qint64, expected);
    QFETCH(qint64, lastChangeAgoS);
    QFETCH(int, state);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto f = models::DatasetFreshness::assess(
        missing, leftS >= 0 ? now.addSecs(leftS) : QDateTime(), expected,
        lastChangeAgoS >= 0 ? now.addSecs(-lastChangeAgoS) : QDateTime(), now);
    QCOMPARE(int(f.state), state);
    QVERIFY(!f.label.isEmpty() && !f.detail.isEmpty());
    QCOMPARE(models::countdownText(3599), QStringLiteral("59:59"));
    QCOMPARE(models::countdownText(3723), QStringLiteral("1:02:03"));
}

void TestDatasetModel::searchBoxTakesColumnFilters()
{
    const QStringList columns = list({"name", "department", "branch"});
    auto s = models::DatasetSearch::parse(
        QStringLiteral(R"(Иван Department:retail branch:"Saint Petersburg" nosuch:x)"), columns);
    QCOMPARE(s.anywhere, QStringLiteral("Иван nosuch:x"));
    QCOMPARE(s.filters.value(1), QStringLiteral("retail"));
    QCOMPARE(s.filters.value(2), QStringLiteral("Saint Petersburg"));
}

QTEST_MAIN(TestDatasetModel)
#include "tst_datasetmodel.moc"
