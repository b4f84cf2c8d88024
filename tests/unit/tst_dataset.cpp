// Datasets: the decoder (simdjson hot path and its nlohmann reference), the diff, the catalog.
#include "codec/untrustedjson.h"
#include "data/datasetcatalog.h"
#include "data/datasetdecoder.h"
#include "data/datasetdiff.h"
#include "data/datasetexport.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

using namespace bd::connectors;

namespace {

const DatasetDecodeOptions kEmployees{{QStringLiteral("name"), QStringLiteral("position"),
                                       QStringLiteral("department"), QStringLiteral("branch")},
                                      QStringLiteral("id")};

QStringList names(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *n : list)
        out << QString::fromUtf8(n);
    return out;
}

QStringList problemTexts(const DatasetTable &t)
{
    QStringList out;
    for (const DatasetProblem &p : t.problems())
        out << QStringLiteral("%1: %2").arg(p.record).arg(p.text);
    return out;
}

// The table as text, for comparing the two decoders.
QStringList rows(const DatasetTable &t)
{
    QStringList out{t.columns().join(QLatin1Char('|'))};
    for (qsizetype r = 0; r < t.recordCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < t.columnCount(); ++c)
            cells << t.cell(r, c);
        out << QStringLiteral("%1#%2[%3]")
                   .arg(t.record(r).index)
                   .arg(t.id(r), cells.join(QLatin1Char('|')));
    }
    return out + problemTexts(t);
}

} // namespace

class TestDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEmployees();
    void badInput_data();
    void badInput();
    void hotPathMatchesReference_data();
    void hotPathMatchesReference();
    void diffByIdNamesChangedFields();
    void diffWithoutIdUsesWholeRecord();
    void exportsCsvAndJson();
    void catalogOverridesBuiltInsByName();
    void catalogSaysWhatIsWrong();
};

void TestDataset::readsEmployees()
{
    const QByteArray json =
        R"([{"id": 1, "name": "Иван Иванов", "position": "Cashier", "department": "Retail", "branch": "Kazan", "email": "i@x"},
            {"id": 2, "branch": "Berlin", "name": "Emma Müller", "position": "Courier", "department": "Logistics"}])";
    const DatasetTable t = decodeDatasetJson(json, kEmployees);
    QVERIFY2(t.ok(), qPrintable(t.error));
    // The definition's columns first, in its order, then the others as found.
    QCOMPARE(t.columns(), names({"name", "position", "department", "branch", "id", "email"}));
    QCOMPARE(t.recordCount(), 2);
    QCOMPARE(t.cell(0, 0), QStringLiteral("Иван Иванов"));
    QCOMPARE(t.id(0), QStringLiteral("1"));
    QCOMPARE(t.cell(1, 3), QStringLiteral("Berlin"));
    QCOMPARE(t.cell(1, 5), QString()); // no email
    QVERIFY(t.recordJson(0).startsWith("{\"id\": 1"));
    QVERIFY(t.recordJson(0).endsWith("}"));
    QCOMPARE(t.recordJson(1).size(), json.indexOf(']') - json.indexOf("{\"id\": 2"));
    QCOMPARE(t.problemCount(), 0);
    QCOMPARE(t.bytes, json.size());
}

void TestDataset::badInput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("records");
    QTest::addColumn<QString>("says"); // in the error, or in the first problem

    const QByteArray two = R"({"id":1,"name":"a"},{"id":2,"name":"b"})";
    QTest::newRow("not JSON") << QByteArray("[{\"id\":1,}]") << false << 0
                              << QStringLiteral("not valid JSON at line 1, column 10");
    QTest::newRow("second line") << QByteArray("[{\"id\":1},\n {\"id\": tru}]") << false << 1
                                 << QStringLiteral("line 2, column");
    QTest::newRow("a number, not records")
        << QByteArray("42") << false << 0 << QStringLiteral("the value is a number, not an array");
    QTest::newRow("an object of scalars")
        << QByteArray(R"({"a":1})") << false << 0 << QStringLiteral("the value is an object");
    QTest::newRow("an object of records") << QByteArray(R"({"x":{"id":1},"y":{"id":2}})") << true
                                          << 2 << QStringLiteral("members are read as records");
    QTest::newRow("mixed shapes") << QByteArray(R"([{"id":1}, 7, "x", [1], {"id":2}])") << true << 2
                                  << QStringLiteral("1: a number, not an object");
    QTest::newRow("no id") << QByteArray(R"([{"id":1},{"name":"x"}])") << true << 2
                           << QStringLiteral("1: no id");
    QTest::newRow("duplicate ids") << QByteArray(R"([{"id":7},{"id":8},{"id":7}])") << true << 3
                                   << QStringLiteral("2: id 7 is also record 0");
    QTest::newRow("1e400 after two records")
        << QByteArray("[" + two + R"(,{"id":3,"n":1e400}])") << false << 2
        << QStringLiteral("number overflow parsing '1e400'");
    QTest::newRow("10000 deep") << QByteArray("[{\"id\":1,\"n\":" + QByteArray(10000, '[')
                                              + QByteArray(10000, ']') + "}]")
                                << false << 0 << QStringLiteral("nested deeper than 512 levels");
    QTest::newRow("binary") << QByteArray("\x80\x04\x95\x00\xff", 5) << false << 0
                            << QStringLiteral("binary");
    QTest::newRow("truncated") << QByteArray("[" + two + ",{\"id\":3,\"na") << false << 2
                               << QStringLiteral("not valid JSON");
    QTest::newRow("trailing text")
        << QByteArray("[" + two + "] x") << false << 2 << QStringLiteral("line 1, column");
    QTest::newRow("empty") << QByteArray() << false << 0 << QStringLiteral("not valid JSON");
}

void TestDataset::badInput()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, ok);
    QFETCH(int, records);
    QFETCH(QString, says);
    const DatasetTable t = decodeDatasetJson(input, {{}, QStringLiteral("id")});
    QCOMPARE(t.ok(), ok);
    QCOMPARE(int(t.recordCount()), records);
    const QString said = ok ? problemTexts(t).value(0) : t.error;
    QVERIFY2(said.contains(says), qPrintable(said));
    // The reference agrees on whether it is records.
    QCOMPARE(decodeDatasetJsonReference(input, {{}, QStringLiteral("id")}).ok(), ok);
}

void TestDataset::hotPathMatchesReference_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("numbers") << QByteArray(
        R"([{"a":-0,"b":1.0,"c":1e2,"d":0.1,"e":-5,"f":18446744073709551615,"g":1.5e-7,"h":-0.0}])");
    // simdjson 3.0 read this as 0 (found by fuzz_dataset).
    QTest::newRow("more than 19 digits") << QByteArray(R"([{"a":111111.111111111111110}])");
    QTest::newRow("underflow") << QByteArray(R"([{"a":1e-400,"b":-1e-400}])");
    QTest::newRow("negative past 64 bits") << QByteArray(R"([{"a":-99999999999999999999}])");
    QTest::newRow("past 64 bits") << QByteArray(R"([{"big":123456789012345678901234567890}])");
    QTest::newRow("nested values")
        << QByteArray(R"([{"tags":["a", {"b": [1, 2.50]}], "o": {}, "n": null, "t": true}])");
    QTest::newRow("escapes") << QByteArray(R"([{"na\u006de":"\u0418\"\n\ud83d\ude00"}])");
    QTest::newRow("duplicate field") << QByteArray(R"([{"a":1,"a":2,"b":3}])");
    QTest::newRow("fields in other orders")
        << QByteArray(R"([{"a":1,"b":2},{"b":3,"a":4,"c":5},{"c":6}])");
    QTest::newRow("empty array") << QByteArray("[]");
    QTest::newRow("empty key") << QByteArray(R"([{"":1}])");
    QTest::newRow("object of records") << QByteArray(R"({"x":{"id":1},"y":{"id":1}})");
    QTest::newRow("511 deep cell")
        << QByteArray("[{\"id\":1,\"n\":" + QByteArray(510, '[') + QByteArray(510, ']') + "}]");
    QTest::newRow("512 deep cell")
        << QByteArray("[{\"id\":1,\"n\":" + QByteArray(511, '[') + QByteArray(511, ']') + "}]");
}

void TestDataset::hotPathMatchesReference()
{
    QFETCH(QByteArray, input);
    const DatasetDecodeOptions options{{QStringLiteral("b")}, QStringLiteral("id")};
    const DatasetTable hot = decodeDatasetJson(input, options);
    const DatasetTable reference = decodeDatasetJsonReference(input, options);
    QCOMPARE(hot.ok(), reference.ok());
    if (reference.ok())
        QCOMPARE(rows(hot), rows(reference));
    else // the same error, and the records before it
        QVERIFY2(hot.error.startsWith(reference.error), qPrintable(hot.error));
}

void TestDataset::diffByIdNamesChangedFields()
{
    const DatasetTable before = decodeDatasetJson(
        R"([{"id":1,"name":"Анна","branch":"Kazan"},{"id":2,"name":"Lars","branch":"Tokyo"},
            {"id":3,"name":"Omar","branch":"Lisbon"}])",
        kEmployees);
    const DatasetTable after = decodeDatasetJson(
        R"([{"id":1,"name":"Анна","branch":"Kazan"},{"id":3,"name":"Omar","branch":"Berlin"},
            {"id":4,"name":"Yuki","branch":"Remote"}])",
        kEmployees);
    const DatasetDiff diff = diffDatasets(before, after);
    QCOMPARE(diff.added, 1);
    QCOMPARE(diff.changed, 1);
    QCOMPARE(diff.removed, std::vector<qint64>{1}); // Lars
    QCOMPARE(int(diff.byRecord[0]), int(DatasetDiff::Change::Same));
    QCOMPARE(int(diff.byRecord[1]), int(DatasetDiff::Change::Changed));
    QCOMPARE(int(diff.byRecord[2]), int(DatasetDiff::Change::Added));
    QCOMPARE(diff.changedColumns.value(1), QList<int>{after.columnOf(QStringLiteral("branch"))});
    QCOMPARE(diff.summary(), QStringLiteral("1 added, 1 removed, 1 changed"));
    QVERIFY(diffDatasets(after, after).isEmpty());
}

void TestDataset::diffWithoutIdUsesWholeRecord()
{
    const DatasetDecodeOptions noId{{}, {}};
    const DatasetTable before = decodeDatasetJson(R"([{"a":1},{"a":2},{"a":2}])", noId);
    const DatasetTable after = decodeDatasetJson(R"([{"a":2},{"a":3}])", noId);
    const DatasetDiff diff = diffDatasets(before, after);
    // Without an id a changed record is one removed and one added.
    QCOMPARE(diff.added, 1);
    QCOMPARE(diff.changed, 0);
    QCOMPARE(diff.removed.size(), size_t(2)); // {"a":1} and the second {"a":2}
}

void TestDataset::exportsCsvAndJson()
{
    const DatasetTable t = decodeDatasetJson(
        R"x([{"id":1,"name":"Иван, \"Ваня\"","note":"=HYPERLINK(\"x\")"},
            {"id":2,"name":"line\nbreak","note":"-5"},{"id":3,"name":"@home","note":"+7 912"}])x",
        {{}, QStringLiteral("id")});
    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    QCOMPARE(writeDatasetCsv(t, {2, 0, 1}, {1, 2}, &csv), 3);
    // A BOM for Excel, a header, RFC 4180 quoting, formulas kept from running (not numbers).
    QVERIFY(csv.data().startsWith("\xEF\xBB\xBF"));
    QCOMPARE(QString::fromUtf8(csv.data().mid(3)),
             QStringLiteral("name,note\r\n"
                            "\"'@home\",\"'+7 912\"\r\n"
                            "\"Иван, \"\"Ваня\"\"\",\"'=HYPERLINK(\"\"x\"\")\"\r\n"
                            "\"line\nbreak\",-5\r\n"));
    QBuffer json;
    json.open(QIODevice::WriteOnly);
    QCOMPARE(writeDatasetJson(t, allDatasetRows(t), &json), 3);
    const auto parsed = parseUntrustedJson(json.data());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value.size(), size_t(3));
    QCOMPARE(parsed.value[0]["name"].get<std::string>(), std::string("Иван, \"Ваня\""));
}

void TestDataset::catalogOverridesBuiltInsByName()
{
    DatasetCatalog catalog;
    catalog.loadFile(QStringLiteral(BROKERDESK_DATASETS), false, true);
    QVERIFY2(catalog.problems().isEmpty(), qPrintable(catalog.problems().join(QLatin1Char(';'))));
    const DatasetDefinition *employees = catalog.find(QStringLiteral("employees"));
    QVERIFY(employees);
    QCOMPARE(employees->name, QStringLiteral("Employees"));
    QCOMPARE(employees->key, QByteArray("employees"));
    QCOMPARE(employees->columns, names({"name", "position", "department", "branch"}));
    QCOMPARE(employees->idField, QStringLiteral("id"));
    QCOMPARE(employees->refreshTask,
             QStringLiteral("tasks.celery_tasks.fetch_and_store_employee_data"));
    QCOMPARE(employees->changeChannel, QStringLiteral("data_updates"));
    QCOMPARE(employees->expectedTtl, 3600);
    QVERIFY(catalog.find(QStringLiteral("Registry")));

    // The operator's file overrides by name and adds its own.
    catalog.load(R"({"datasets":[{"name":"EMPLOYEES","key":"hr:employees","ttl":600},
                     {"name":"Shifts","source":"key-pattern","key":"shift:*"}]})",
                 QStringLiteral("user"), false);
    QCOMPARE(catalog.datasets().size(), 3);
    QCOMPARE(catalog.find(QStringLiteral("employees"))->key, QByteArray("hr:employees"));
    QCOMPARE(catalog.find(QStringLiteral("shifts"))->source, DatasetDefinition::Source::KeyPattern);
    // Saved: only the operator's, and they read back the same.
    QTemporaryDir dir;
    QString error;
    QVERIFY(catalog.saveUser(dir.filePath(QStringLiteral("sub/datasets.json")), &error));
    DatasetCatalog reread;
    reread.loadFile(dir.filePath(QStringLiteral("sub/datasets.json")), false, false);
    QCOMPARE(reread.datasets().size(), 2);
    QCOMPARE(reread.find(QStringLiteral("shifts"))->key, QByteArray("shift:*"));
    QCOMPARE(reread.find(QStringLiteral("employees"))->expectedTtl, 600);
    // Removing the override brings the built-in back; a built-in itself stays.
    QVERIFY(catalog.remove(QStringLiteral("employees")));
    QCOMPARE(catalog.find(QStringLiteral("employees"))->key, QByteArray("employees"));
    QVERIFY(!catalog.remove(QStringLiteral("employees")));
    QVERIFY(catalog.remove(QStringLiteral("shifts")));
    QCOMPARE(catalog.datasets().size(), 2);
}

void TestDataset::catalogSaysWhatIsWrong()
{
    DatasetCatalog catalog;
    catalog.load(R"({"datasets":[{"name":"A"},{"name":"B","key":"b","source":"zset"},
                     {"name":"C","key":"c","columns":"name"},{"name":"D","key":"d","ttl":-1},
                     {"name":"E","key":"e"}]})",
                 QStringLiteral("f.json"), false);
    QCOMPARE(catalog.datasets().size(), 1);
    QCOMPARE(catalog.problems().size(), 4);
    QVERIFY(catalog.problems().at(0).contains(QLatin1String("a key is needed")));
    QVERIFY(catalog.problems().at(1).contains(QLatin1String("unknown source \"zset\"")));
    catalog.load("{oops", QStringLiteral("g.json"), false);
    QVERIFY(
        catalog.problems().last().startsWith(QLatin1String("g.json: not valid JSON at line 1")));
}

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
