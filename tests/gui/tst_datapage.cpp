// The Data page and `brokerdesk-cli data` against a real redis-server, the demo's Celery app on
// a real worker and its HR feed serving a file this test writes.
#include "celeryworker.h"
#include "commandwait.h"
#include "data/datapage.h"
#include "data/datasettablemodel.h"
#include "gui/datacontroller.h"
#include "guitest.h"
#include "keys/keydetailspane.h"
#include "testredis.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

using namespace bd;

namespace {

// The roster the tests start from: ids 1-6, Cyrillic and Latin names.
const QByteArray kRoster = R"([
 {"id": 1, "name": "Иван Иванов", "position": "Cashier", "department": "Retail", "branch": "Kazan"},
 {"id": 2, "name": "Мария Смирнова", "position": "Courier", "department": "Logistics", "branch": "Moscow-Central"},
 {"id": 3, "name": "Emma Müller", "position": "Accountant", "department": "Finance", "branch": "Berlin"},
 {"id": 4, "name": "Алексей Кузнецов", "position": "Cashier", "department": "Retail", "branch": "Kazan"},
 {"id": 5, "name": "Yuki Tanaka", "position": "HR partner", "department": "People", "branch": "Tokyo"},
 {"id": 6, "name": "Ольга Попова", "position": "Store manager", "department": "Retail", "branch": "Saint Petersburg"}
])";

struct Cli
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Cli cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(BROKERDESK_CLI), args);
    p.waitForFinished(90000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QStringList column(const models::DatasetTableModel *model, int c)
{
    QStringList out;
    for (int r = 0; r < model->rowCount(); ++r)
        out << model->index(r, c).data().toString();
    return out;
}

} // namespace

class TestDataPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void employeesShowAsATableWithCyrillicNames();
    void refreshShowsExactlyWhatTheFeedChanged();
    void changeChannelMessageReloads();
    void keyspaceEventReloads();
    void expiredKeyTurnsTheStateToExpired();
    void badValuesAreSaidAndShowWhatTheyCan_data();
    void badValuesAreSaidAndShowWhatTheyCan();
    void readOnlyProfileCannotRefresh();
    void aHugeRecordIsShownCutInTheDetail();
    void keysPageOpensAKeyAsADataset();
    void cliPrintsTheSameRecordsAsJsonAndCsv();
    void cliRefreshPrintsTheChangeSummary();
    void lastRefreshBeforeTheSessionComesFromTheResultBackend();
    void cleanupTestCase();

private:
    void writeChanges(const QByteArray &json);
    models::DatasetTableModel *openEmployees(OpenSession &session);

    std::unique_ptr<test::PrivateRedisServer> m_server;
    std::unique_ptr<connectors::RedisClient> m_client;
    std::unique_ptr<test::CeleryWorker> m_worker;
    std::unique_ptr<QProcess> m_feed;
    QTemporaryDir m_dir;
    QString m_changes; // what the feed serves
};

void TestDataPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_changes = m_dir.filePath(QStringLiteral("changes.json"));
    writeChanges("[]");
    m_server = std::make_unique<test::PrivateRedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    m_client = std::make_unique<connectors::RedisClient>(
        connectors::RedisUrl::parse(m_server->url(0)).settings);
    m_client->open();
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 feedPort = probe.serverPort();
    probe.close();
    m_feed = std::make_unique<QProcess>();
    m_feed->setWorkingDirectory(QStringLiteral(BROKERDESK_DEMO_DIR));
    m_feed->start(QStringLiteral(BROKERDESK_PYTHON),
                  {QStringLiteral("employee_feed.py"), QString::number(feedPort), m_changes});
    QVERIFY(m_feed->waitForStarted());
    qputenv("DEMO_EMPLOYEE_FEED_URL",
            QByteArray("http://127.0.0.1:") + QByteArray::number(feedPort) + "/employee-changes");
    m_worker = std::make_unique<test::CeleryWorker>(m_server->url(0));
    QVERIFY2(m_worker->start(), qPrintable(m_worker->log()));
}

void TestDataPage::cleanupTestCase()
{
    if (m_worker)
        m_worker->stop();
    if (m_feed) {
        m_feed->kill();
        m_feed->waitForFinished();
    }
}

void TestDataPage::init()
{
    QVERIFY(test::runCommand(*m_client, {"SET", "employees", kRoster, "EX", "3600"}).ok());
    writeChanges("[]");
}

void TestDataPage::writeChanges(const QByteArray &json)
{
    QFile f(m_changes);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(json);
}

models::DatasetTableModel *TestDataPage::openEmployees(OpenSession &session)
{
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(session->dataPage());
    models::DatasetTableModel *model = session->dataModel();
    // Employees is the first dataset: it opens by itself.
    [&] {
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 6, 10000);
    }();
    return model;
}

void TestDataPage::employeesShowAsATableWithCyrillicNames()
{
    OpenSession session = openSession(m_server->url(0));
    models::DatasetTableModel *model = openEmployees(session);
    ui::DataPage *page = session->dataPage();
    QCOMPARE(child<QLabel>(page, "dataTitle")->text(), QStringLiteral("Employees"));
    // The definition's columns first.
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("name"));
    QCOMPARE(model->headerData(3, Qt::Horizontal).toString(), QStringLiteral("branch"));
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Иван Иванов"));
    QCOMPARE(child<QLabel>(page, "dataCounts")->text(), QStringLiteral("6 records"));
    QCOMPARE(child<QLabel>(page, "dataState")->text(), QStringLiteral("Fresh"));
    QVERIFY(
        child<QLabel>(page, "dataStateDetail")->text().contains(QLatin1String("Expires in 59:")));

    // Sorted by name in the locale's collation: Latin, then Cyrillic in alphabetical order.
    model->sort(0, Qt::AscendingOrder);
    QTRY_COMPARE(column(model, 0).first(), QStringLiteral("Emma Müller"));
    QCOMPARE(column(model, 0).mid(2),
             QStringList({QStringLiteral("Алексей Кузнецов"), QStringLiteral("Иван Иванов"),
                          QStringLiteral("Мария Смирнова"), QStringLiteral("Ольга Попова")}));
    // Search across columns, and column:text for one.
    auto *search = child<QLineEdit>(page, "dataSearch");
    search->setText(QStringLiteral("kazan"));
    QTRY_COMPARE(model->rowCount(), 2);
    search->setText(QStringLiteral("department:retail ольга"));
    QTRY_COMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Ольга Попова"));
    search->clear();
    QTRY_COMPARE(model->rowCount(), 6);
    // Grouped by department, most first, with counts.
    models::DatasetTableModel::ViewOptions options = model->viewOptions();
    options.groupColumn = 2;
    model->setViewOptions(options);
    QTRY_VERIFY(model->isSettled() && !model->groups().empty());
    QCOMPARE(model->groups().front().value, QStringLiteral("Retail"));
    QCOMPARE(model->groups().front().count, 3);
    // A record's detail: fields and JSON.
    auto *table = child<QTableView>(page, "dataTable");
    table->setCurrentIndex(model->index(0, 0));
    QVERIFY(
        child<QPlainTextEdit>(page, "dataJson")->toPlainText().contains(QLatin1String("\"id\": ")));
}

void TestDataPage::refreshShowsExactlyWhatTheFeedChanged()
{
    OpenSession session = openSession(m_server->url(0));
    models::DatasetTableModel *model = openEmployees(session);
    ui::DataPage *page = session->dataPage();
    // The HR system: employee 2 moved, 5 was promoted, 6 left, 7 joined.
    writeChanges(R"([
      {"id": 2, "name": "Мария Смирнова", "position": "Courier", "department": "Logistics", "branch": "Kazan"},
      {"id": 5, "name": "Yuki Tanaka", "position": "HR lead", "department": "People", "branch": "Tokyo"},
      {"id": 6, "deleted": true},
      {"id": 7, "name": "Дмитрий Соколов", "position": "Courier", "department": "Logistics", "branch": "Kazan"}])");
    const int readsBefore = session->data()->snapshotCount();
    QTest::mouseClick(child<QPushButton>(page, "dataRefresh"), Qt::LeftButton);
    QMessageBox *confirm = visibleBox(page);
    QVERIFY(confirm);
    QVERIFY(confirm->text().contains(QLatin1String("fetch_and_store_employee_data")));
    answer(confirm, QMessageBox::AcceptRole);
    auto *outcome = child<QLabel>(page, "dataRefreshOutcome");
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().contains(QLatin1String("succeeded")), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(
        session->data()->snapshotCount() > readsBefore && model->diff() != nullptr, 10000);
    const connectors::DatasetDiff *diff = model->diff();
    QCOMPARE(diff->added, 1);
    QCOMPARE(diff->changed, 2);
    QCOMPARE(diff->removed.size(), size_t(1));
    QTRY_VERIFY(child<QLabel>(page, "dataCounts")
                    ->text()
                    .endsWith(QLatin1String("1 added, 1 removed, 2 changed")));
    // Only changes: the four records, each marked, the changed field named.
    child<QCheckBox>(page, "dataOnlyChanges")->setChecked(true);
    QTRY_COMPARE(model->rowCount(), 4);
    QMap<QString, int> changes;
    for (int r = 0; r < model->rowCount(); ++r)
        changes.insert(
            model->index(r, 0).data(models::DatasetTableModel::RecordNameRole).toString(),
            int(model->changeAt(r)));
    using Change = models::DatasetTableModel::Change;
    QCOMPARE(changes, (QMap<QString, int>{{QStringLiteral("2"), int(Change::Changed)},
                                          {QStringLiteral("5"), int(Change::Changed)},
                                          {QStringLiteral("6"), int(Change::Removed)},
                                          {QStringLiteral("7"), int(Change::Added)}}));
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data(models::DatasetTableModel::RecordNameRole)
            == QLatin1String("2")) {
            QCOMPARE(model->index(r, 3).data(Qt::ToolTipRole).toString(),
                     QStringLiteral("Was: Moscow-Central"));
            QVERIFY(!model->index(r, 1).data(Qt::ToolTipRole).isValid()); // position unchanged
        }
    }
    // Any two reads compare: the read before the refresh, against the one after it.
    auto *show = child<QComboBox>(page, "dataShow");
    auto *compare = child<QComboBox>(page, "dataCompare");
    QCOMPARE(show->count(), 2);
    QCOMPARE(show->currentData().toInt(), 1); // the latest read, listed first
    QCOMPARE(show->currentIndex(), 0);
    Q_EMIT show->activated(show->findData(0));
    QTRY_COMPARE(model->table()->recordCount(), 6); // before: 1-6
    Q_EMIT compare->activated(compare->findData(1));
    // 7 joined after this read: seen from it, 7 is what goes (and 6 what comes).
    const auto changeOf = [model](const char *id) {
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r, 0).data(models::DatasetTableModel::RecordNameRole)
                == QLatin1String(id))
                return int(model->changeAt(r));
        }
        return -1;
    };
    QTRY_COMPARE(changeOf("7"), int(Change::Removed));
    QCOMPARE(changeOf("6"), int(Change::Added));
}

void TestDataPage::changeChannelMessageReloads()
{
    OpenSession session = openSession(m_server->url(0));
    models::DatasetTableModel *model = openEmployees(session);
    const int reads = session->data()->snapshotCount();
    QVERIFY(test::runCommand(*m_client, {"SET", "employees",
                                         R"([{"id": 1, "name": "Иван Иванов"}])", "EX", "3600"})
                .ok());
    // Keyspace notifications are off on this server: the channel says it changed.
    QTRY_VERIFY_WITH_TIMEOUT(
        test::runCommand(*m_client, {"PUBLISH", "data_updates", R"({"event":"employees_updated"})"})
                .reply.toInteger()
            >= 1,
        5000);
    QTRY_COMPARE_WITH_TIMEOUT(model->table()->recordCount(), 1, 5000);
    QVERIFY(session->data()->snapshotCount() > reads);
    // The five records gone are still listed, struck out, after the one left.
    QTRY_COMPARE(model->rowCount(), 6);
    QCOMPARE(model->changeAt(0), models::DatasetTableModel::Change::Changed); // fields lost
    QCOMPARE(model->changeAt(5), models::DatasetTableModel::Change::Removed);
    QVERIFY(model->index(5, 0).data(Qt::FontRole).value<QFont>().strikeOut());
    QVERIFY(child<QLabel>(session->dataPage(), "dataLastChange")
                ->text()
                .contains(QLatin1String("message on data_updates")));
    // And the page says why changes come this way: the server publishes no key events.
    QTRY_VERIFY(child<QLabel>(session->dataPage(), "dataStatus")
                    ->text()
                    .contains(QLatin1String("Keyspace notifications are off")));
}

void TestDataPage::keyspaceEventReloads()
{
    QVERIFY(test::runCommand(*m_client, {"CONFIG", "SET", "notify-keyspace-events", "K$g"}).ok());
    OpenSession session = openSession(m_server->url(0));
    models::DatasetTableModel *model = openEmployees(session);
    // A write with the TTL kept (no channel message, no TTL restart): only the key's event
    // says it changed.
    QVERIFY(test::runCommand(*m_client,
                             {"SET", "employees", R"([{"id": 9, "name": "Новый"}])", "KEEPTTL"})
                .ok());
    QTRY_COMPARE_WITH_TIMEOUT(model->table()->recordCount(), 1, 3000);
    QVERIFY(child<QLabel>(session->dataPage(), "dataLastChange")
                ->text()
                .contains(QLatin1String("set, keyspace event")));
    QVERIFY(!child<QLabel>(session->dataPage(), "dataStatus")
                 ->text()
                 .contains(QLatin1String("Keyspace notifications are off")));
    QVERIFY(test::runCommand(*m_client, {"CONFIG", "SET", "notify-keyspace-events", ""}).ok());
}

void TestDataPage::expiredKeyTurnsTheStateToExpired()
{
    OpenSession session = openSession(m_server->url(0));
    openEmployees(session);
    ui::DataPage *page = session->dataPage();
    QVERIFY(test::runCommand(*m_client, {"PEXPIRE", "employees", "200"}).ok());
    // Seen by the TTL read every few seconds (no keyspace events on this server).
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(page, "dataState")->text(), QStringLiteral("Expired"),
                              15000);
    QVERIFY(child<QLabel>(page, "dataStateDetail")
                ->text()
                .contains(QLatin1String("the service will read its source")));
    QTRY_VERIFY(
        child<QLabel>(page, "dataProblem")->text().contains(QLatin1String("does not exist")));
    // The last read stays on screen.
    QCOMPARE(session->dataModel()->rowCount(), 6);
}

void TestDataPage::badValuesAreSaidAndShowWhatTheyCan_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("says");
    QTest::newRow("not JSON") << QByteArray("[{\"id\": 1,}]") << 0
                              << QStringLiteral("not valid JSON at line 1, column 11");
    QTest::newRow("an object") << QByteArray(R"({"count": 3})") << 0
                               << QStringLiteral("the value is an object, not an array");
    QTest::newRow("1e400 in the third record")
        << QByteArray(R"([{"id":1},{"id":2},{"id":3,"n":1e400}])") << 2
        << QStringLiteral("number overflow parsing '1e400'");
    QTest::newRow("10000 deep") << QByteArray("[{\"id\":1,\"x\":" + QByteArray(10000, '[')
                                              + QByteArray(10000, ']') + "}]")
                                << 0 << QStringLiteral("nested deeper than 512 levels");
    QTest::newRow("mixed shapes, no id, duplicate id")
        << QByteArray(R"([{"id":1}, 42, {"name":"x"}, {"id":1}])") << 3
        << QStringLiteral("3 problems: record 1: a number, not an object; record 2: no id; "
                          "record 3: id 1 is also record 0");
    QTest::newRow("binary") << QByteArray("\x80\x04\x95\xff\x00pickle", 12) << 0
                            << QStringLiteral("binary");
}

void TestDataPage::badValuesAreSaidAndShowWhatTheyCan()
{
    QFETCH(QByteArray, value);
    QFETCH(int, rows);
    QFETCH(QString, says);
    QVERIFY(test::runCommand(*m_client, {"SET", "employees", value}).ok());
    OpenSession session = openSession(m_server->url(0));
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(session->dataPage());
    auto *problem = child<QLabel>(session->dataPage(), "dataProblem");
    QTRY_VERIFY_WITH_TIMEOUT(problem->text().contains(says), 10000);
    QVERIFY(problem->isVisible());
    QTRY_COMPARE(session->dataModel()->rowCount(), rows);
}

void TestDataPage::aHugeRecordIsShownCutInTheDetail()
{
    const QByteArray note(400 * 1024, 'x');
    QVERIFY(test::runCommand(*m_client, {"SET", "employees",
                                         R"([{"id":1,"name":"big","note":")" + note + "\"}]"})
                .ok());
    OpenSession session = openSession(m_server->url(0));
    qobject_cast<QTabWidget *>(session->view())->setCurrentWidget(session->dataPage());
    models::DatasetTableModel *model = session->dataModel();
    QTRY_COMPARE(model->rowCount(), 1);
    child<QTableView>(session->dataPage(), "dataTable")->setCurrentIndex(model->index(0, 0));
    const QString json = child<QPlainTextEdit>(session->dataPage(), "dataJson")->toPlainText();
    QVERIFY2(json.contains(QLatin1String("(the first 262,144 of 409,")),
             qPrintable(json.right(120)));
    auto *form = child<QTableWidget>(session->dataPage(), "dataForm");
    QCOMPARE(form->item(2, 0)->text(), QStringLiteral("note"));
    QCOMPARE(form->item(2, 1)->text().size(), 10001); // cut, with an ellipsis
}

void TestDataPage::readOnlyProfileCannotRefresh()
{
    OpenSession session = openSession(m_server->url(0), true);
    openEmployees(session);
    QVERIFY(!child<QPushButton>(session->dataPage(), "dataRefresh")->isEnabled());
}

void TestDataPage::keysPageOpensAKeyAsADataset()
{
    QVERIFY(test::runCommand(*m_client,
                             {"HSET", "adhoc:shifts", "s1", R"({"shift": 1, "branch": "Kazan"})",
                              "s2", R"({"shift": 2, "branch": "Tokyo"})"})
                .ok());
    OpenSession session = openSession(m_server->url(0));
    openEmployees(session);
    // The key details pane's "Open as dataset" on a hash of JSON records.
    Q_EMIT session->keysPage()->details()->openAsDatasetRequested("adhoc:shifts", "hash");
    QCOMPARE(qobject_cast<QTabWidget *>(session->view())->currentWidget(),
             static_cast<QWidget *>(session->dataPage()));
    QCOMPARE(child<QLabel>(session->dataPage(), "dataTitle")->text(),
             QStringLiteral("adhoc:shifts"));
    QTRY_VERIFY(session->dataModel()->table() && session->dataModel()->table()->recordCount() == 2);
    QCOMPARE(session->dataModel()->headerData(0, Qt::Horizontal).toString(),
             QStringLiteral("shift"));
    // A key a dataset already reads opens that dataset.
    Q_EMIT session->keysPage()->details()->openAsDatasetRequested("employees", "string");
    QCOMPARE(child<QLabel>(session->dataPage(), "dataTitle")->text(), QStringLiteral("Employees"));
    // Session-only: not written to the operator's datasets.json.
    QVERIFY(!session->data()->catalog().userJson().contains("adhoc:shifts"));
}

void TestDataPage::cliPrintsTheSameRecordsAsJsonAndCsv()
{
    const QString url = m_server->url(0);
    const Cli json = cli({QStringLiteral("-u"), url, QStringLiteral("data"),
                          QStringLiteral("employees"), QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 0);
    const Cli csv = cli({QStringLiteral("-u"), url, QStringLiteral("data"),
                         QStringLiteral("employees"), QStringLiteral("--csv")});
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.startsWith("\xEF\xBB\xBFname,position,department,branch,id\r\n"));
    // The same six records both ways, in the same order.
    const QList<QByteArray> lines = csv.out.mid(3).split('\n');
    const auto parsed = QJsonDocument::fromJson(json.out);
    QVERIFY(parsed.isArray());
    QCOMPARE(parsed.array().size(), 6);
    for (int i = 0; i < 6; ++i) {
        const QJsonObject record = parsed.array().at(i).toObject();
        QCOMPARE(QString::fromUtf8(lines.at(i + 1).trimmed()),
                 QStringLiteral("%1,%2,%3,%4,%5")
                     .arg(record.value(QLatin1String("name")).toString(),
                          record.value(QLatin1String("position")).toString(),
                          record.value(QLatin1String("department")).toString(),
                          record.value(QLatin1String("branch")).toString())
                     .arg(record.value(QLatin1String("id")).toInt()));
    }
    const Cli filtered =
        cli({QStringLiteral("-u"), url, QStringLiteral("data"), QStringLiteral("employees"),
             QStringLiteral("--filter"), QStringLiteral("branch=KAZAN")});
    QCOMPARE(filtered.exitCode, 0);
    QCOMPARE(filtered.out.count('\n'), 3); // header and two
    QVERIFY(filtered.out.contains("Алексей Кузнецов"));
    // A limit past what a table can index is a usage error.
    QCOMPARE(cli({QStringLiteral("-u"), url, QStringLiteral("data"), QStringLiteral("employees"),
                  QStringLiteral("--max-mb"), QStringLiteral("4096")})
                 .exitCode,
             2);
    // A missing key and a value that is not records exit 1, saying why.
    QVERIFY(test::runCommand(*m_client, {"SET", "employees", R"({"a":1})"}).ok());
    const Cli notRecords =
        cli({QStringLiteral("-u"), url, QStringLiteral("data"), QStringLiteral("employees")});
    QCOMPARE(notRecords.exitCode, 1);
    QVERIFY2(notRecords.err.contains("not an array of records"), notRecords.err.constData());
    QVERIFY(test::runCommand(*m_client, {"DEL", "employees"}).ok());
    const Cli missing =
        cli({QStringLiteral("-u"), url, QStringLiteral("data"), QStringLiteral("employees")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("does not exist"));
}

void TestDataPage::cliRefreshPrintsTheChangeSummary()
{
    writeChanges(
        R"([{"id": 1, "name": "Иван Иванов", "position": "Store manager", "department": "Retail", "branch": "Kazan"},
                    {"id": 3, "deleted": true}, {"id": 8, "name": "Lars Andersen"}, {"id": 9, "name": "Leila Haddad"}])");
    const Cli text = cli({QStringLiteral("-u"), m_server->url(0), QStringLiteral("data"),
                          QStringLiteral("employees"), QStringLiteral("--refresh"),
                          QStringLiteral("--wait"), QStringLiteral("60")});
    QVERIFY2(text.exitCode == 0, text.err.constData());
    QCOMPARE(text.out, QByteArray("added 2, removed 1, changed 1\n"));
    // Again, as JSON: nothing new from the feed but the same four records rewritten.
    const Cli json =
        cli({QStringLiteral("-u"), m_server->url(0), QStringLiteral("data"),
             QStringLiteral("employees"), QStringLiteral("--refresh"), QStringLiteral("--json")});
    QVERIFY2(json.exitCode == 0, json.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("SUCCESS"));
    QCOMPARE(o.value(QLatin1String("added")).toArray().size(), 0);
    QCOMPARE(o.value(QLatin1String("summary")).toString(),
             QStringLiteral("added 0, removed 0, changed 0"));
    // The feed down: the task fails, and so does the command, with the exception.
    writeChanges("not json");
    const Cli failed = cli({QStringLiteral("-u"), m_server->url(0), QStringLiteral("data"),
                            QStringLiteral("employees"), QStringLiteral("--refresh")});
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.err.contains("FAILURE") && failed.err.contains("JSONDecodeError"),
             failed.err.constData());
}

void TestDataPage::lastRefreshBeforeTheSessionComesFromTheResultBackend()
{
    // The last refresh sent (by cliRefreshPrintsTheChangeSummary, before this session) failed:
    // the page says so when it opens, with the traceback.
    QVERIFY(test::runCommand(*m_client, {"SET", "employees", kRoster, "EX", "3600"}).ok());
    OpenSession session = openSession(m_server->url(0));
    openEmployees(session);
    auto *outcome = child<QLabel>(session->dataPage(), "dataRefreshOutcome");
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Last refresh: FAILURE at ")),
                             10000);
    QVERIFY(outcome->text().endsWith(QLatin1String("(result backend)")));
    QVERIFY(
        child<QPushButton>(session->dataPage(), "dataTraceback")->isVisibleTo(session->dataPage()));
}

QTEST_MAIN(TestDataPage)
#include "tst_datapage.moc"
