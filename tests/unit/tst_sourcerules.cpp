// Rules the product's sources keep, checked on the sources themselves: a rule broken in any
// file of connectors/, store/, models/, ui/ or app/ fails this test with the file and line.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace {

struct Violation
{
    QString file;
    int line = 0;
    QString text;
};

// Every line of every C++ source of the product matching pattern, outside the allowed files
// (paths relative to the source root). Comments are checked too: a rule named in a comment
// is written around, not quoted.
QList<Violation> find(const QRegularExpression &pattern, const QStringList &allowed)
{
    const QString root = QStringLiteral(BROKERDESK_SOURCE_DIR);
    QList<Violation> found;
    for (const char *layer : {"connectors", "store", "models", "ui", "app"}) {
        QDirIterator it(root + QLatin1Char('/') + QLatin1String(layer),
                        {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString relative = path.mid(root.size() + 1);
            if (allowed.contains(relative))
                continue;
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            int number = 0;
            while (!file.atEnd()) {
                const QString line = QString::fromUtf8(file.readLine());
                ++number;
                if (pattern.match(line).hasMatch())
                    found.push_back({relative, number, line.trimmed()});
            }
        }
    }
    return found;
}

QString describe(const QList<Violation> &found)
{
    QStringList lines;
    for (const Violation &v : found)
        lines << QStringLiteral("%1:%2: %3").arg(v.file).arg(v.line).arg(v.text);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestSourceRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rule_data();
    void rule();
    void rulesSeeTheSources();
};

void TestSourceRules::rule_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QStringList>("allowed");
    const QStringList gate{QStringLiteral("connectors/codec/untrustedjson.cpp")};
    // JSON and MessagePack from anywhere are parsed by the one gate, which never throws, says
    // where and caps nesting (nlohmann's parse throws out_of_range for [1e400]).
    QTest::newRow("nlohmann parse only in the gate")
        << QStringLiteral(R"(json::parse\s*\(|"_json\b)") << gate;
    QTest::newRow("binary formats only in the gate")
        << QStringLiteral(R"(from_(msgpack|cbor|bson|ubjson|bjdata)\s*\()") << gate;
    QTest::newRow("SAX parsing only in the gate")
        << QStringLiteral(R"(sax_parse\s*\(|json::accept\s*\()") << gate;
    // dump() throws type_error 316 on invalid UTF-8 (MessagePack strings are not checked):
    // jsonToText / jsonToBytes replace it instead.
    QTest::newRow("printing only through jsonToText / jsonToBytes")
        << QStringLiteral(R"((\.|->)dump\s*\()") << gate;
    // Colours come from the palette or from the tones (light and dark shades in one place).
    QTest::newRow("colours only in the tones") << QStringLiteral(
        R"(#[0-9a-fA-F]{6}\b|QColor\(\s*(0x)?[0-9]|Qt::(red|green|blue|yellow|cyan|magenta|gray|)"
        R"(darkRed|darkGreen|darkBlue|darkYellow|darkCyan|darkMagenta|darkGray|lightGray)\b)")
                                               << QStringList{
                                                      QStringLiteral("models/common/tones.cpp")};
    // The parse_error-only catch is how [1e400] took the app down.
    QTest::newRow("no catching of nlohmann's exceptions outside the gate")
        << QStringLiteral(R"(catch\s*\(\s*const\s+nlohmann::)") << gate;
}

void TestSourceRules::rule()
{
    QFETCH(QString, pattern);
    QFETCH(QStringList, allowed);
    const QRegularExpression re(pattern);
    QVERIFY(re.isValid());
    const QList<Violation> found = find(re, allowed);
    QVERIFY2(found.isEmpty(), qPrintable(QLatin1Char('\n') + describe(found)));
}

void TestSourceRules::rulesSeeTheSources()
{
    // A rule that finds nothing because it reads nothing would pass for ever: the gate itself
    // must be found by the first rule when it is not allowed.
    const QList<Violation> inGate =
        find(QRegularExpression(QStringLiteral(R"(sax_parse\s*\()")), {});
    QVERIFY(!inGate.isEmpty());
    QCOMPARE(inGate.first().file, QStringLiteral("connectors/codec/untrustedjson.cpp"));
}

QTEST_GUILESS_MAIN(TestSourceRules)
#include "tst_sourcerules.moc"
