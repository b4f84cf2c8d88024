#include "keys/valueformat.h"

#include <QTest>

#include <zlib.h>

using namespace bd::models;

class TestValueFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void choosesAView_data();
    void choosesAView();
    void hexDumpsLikeXxd();
    void inflatesZlibAndGzip();
    void decodesBase64WhenItHidesSomething();
    void decodesMessagePack();
    void saysWhereJsonBreaks();
    void showsAtMostWhatTheWidgetCanTake();
};

namespace {

// gzip (windowBits 31) or zlib (15) compression of bytes, with zlib itself.
QByteArray compress(const QByteArray &bytes, int windowBits)
{
    z_stream s{};
    if (deflateInit2(&s, Z_BEST_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(int(deflateBound(&s, uLong(bytes.size()))) + 32, '\0');
    s.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.constData()));
    s.avail_in = uInt(bytes.size());
    s.next_out = reinterpret_cast<Bytef *>(out.data());
    s.avail_out = uInt(out.size());
    deflate(&s, Z_FINISH);
    out.resize(qsizetype(s.total_out));
    deflateEnd(&s);
    return out;
}

const QByteArray kJson =
    R"({"employees":[{"name":"Иван Петров","department":"Ops","branch":"Kazan"}]})";

} // namespace

void TestValueFormat::choosesAView_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("textContains");
    QTest::addColumn<QString>("noteContains");
    QTest::newRow("json object") << QByteArray(R"({"name":"Иван","branch":"Kazan"})") << qint64(-1)
                                 << int(ValueView::Kind::Json) << "\n  \"branch\": \"Kazan\""
                                 << "JSON object";
    QTest::newRow("json array") << QByteArray("[1,2,3]") << qint64(-1) << int(ValueView::Kind::Json)
                                << "  1,"
                                << "3 item";
    QTest::newRow("plain text") << QByteArray("off") << qint64(-1) << int(ValueView::Kind::Text)
                                << "off"
                                << "text";
    QTest::newRow("number is text")
        << QByteArray("42") << qint64(-1) << int(ValueView::Kind::Text) << "42"
        << "text";
    QTest::newRow("partial json is text")
        << QByteArray(R"({"a":)") << qint64(100) << int(ValueView::Kind::Text) << "{\"a\":"
        << "first 5 bytes of 100 bytes";
    QTest::newRow("preview cut inside a character")
        << QByteArray("Иван\xd0") << qint64(50) << int(ValueView::Kind::Text) << "Иван"
        << "of 50 bytes";
    QTest::newRow("binary") << QByteArray("\xff\x00\x01", 3) << qint64(-1)
                            << int(ValueView::Kind::Binary) << "ff 00 01"
                            << "hex";
    QTest::newRow("pickle") << QByteArray("\x80\x04\x95\x4a\x00", 5) << qint64(-1)
                            << int(ValueView::Kind::Pickle) << "80 04 95 4a 00"
                            << "never deserialised";
}

void TestValueFormat::choosesAView()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, total);
    QFETCH(int, kind);
    QFETCH(QString, textContains);
    QFETCH(QString, noteContains);
    const ValueView v = formatValue(bytes, total);
    QCOMPARE(int(v.kind), kind);
    QVERIFY2(v.text.contains(textContains), qPrintable(v.text));
    QVERIFY2(v.note.contains(noteContains), qPrintable(v.note));
}

void TestValueFormat::hexDumpsLikeXxd()
{
    QByteArray bytes;
    for (int i = 0; i < 20; ++i)
        bytes += char('A' + i);
    const QString dump = hexDump(bytes);
    QCOMPARE(dump,
             QStringLiteral(
                 "00000000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n"
                 "00000010  51 52 53 54                                       |QRST|\n"));
    QCOMPARE(formatValue("text", -1, ValueMode::Hex).kind, ValueView::Kind::Binary);
}

void TestValueFormat::inflatesZlibAndGzip()
{
    for (int bits : {15, 31}) {
        const QByteArray packed = compress(kJson, bits);
        QVERIFY(looksCompressed(packed));
        const ValueView v = formatValue(packed, -1);
        QCOMPARE(v.kind, ValueView::Kind::Json);
        QVERIFY2(v.note.startsWith(bits == 31 ? QLatin1String("gzip") : QLatin1String("zlib")),
                 qPrintable(v.note));
        QVERIFY2(v.note.contains(QLatin1String("JSON object")), qPrintable(v.note));
        QVERIFY(v.text.contains(QStringLiteral("Иван Петров")));
        QCOMPARE(v.json, kJson);
    }
    // A preview cut in the middle inflates as far as it goes and says so.
    QByteArray big;
    for (int i = 0; i < 20000; ++i)
        big += "line " + QByteArray::number(i * 7919 % 10007) + "\n";
    const QByteArray packed = compress(big, 31);
    const ValueView cut = formatValue(packed.left(packed.size() / 2), packed.size());
    QCOMPARE(cut.kind, ValueView::Kind::Text);
    QVERIFY2(cut.note.contains(QLatin1String("(partly)")), qPrintable(cut.note));
    QVERIFY(cut.text.startsWith(QLatin1String("line 0\nline 7919\n")));
    // Garbage after a zlib-looking header is shown as it is, never crashes.
    bool complete = true;
    QVERIFY(inflate(QByteArray("\x78\x9c\xff\xff\xff\xff", 6), 1000, &complete).isEmpty());
    QVERIFY(!complete);
    QCOMPARE(formatValue(QByteArray("\x78\x9c\xff\xff\xff\xff", 6), -1).kind,
             ValueView::Kind::Binary);
}

void TestValueFormat::decodesBase64WhenItHidesSomething()
{
    const ValueView gz = formatValue(compress(kJson, 31).toBase64(), -1);
    QCOMPARE(gz.kind, ValueView::Kind::Json);
    QVERIFY2(gz.note.startsWith(QStringLiteral("base64 · gzip")), qPrintable(gz.note));
    // Base64 of plain words is left as text, with a hint; the Base64 mode decodes it anyway.
    const QByteArray words = QByteArray("hello there, operator").toBase64();
    const ValueView plain = formatValue(words, -1);
    QCOMPARE(plain.kind, ValueView::Kind::Text);
    QVERIFY2(plain.note.contains(QLatin1String("looks like base64")), qPrintable(plain.note));
    const ValueView decoded = formatValue(words, -1, ValueMode::Base64);
    QCOMPARE(decoded.text, QStringLiteral("hello there, operator"));
    QVERIFY(decoded.note.startsWith(QLatin1String("base64")));
    QVERIFY(formatValue("not base64!!", -1, ValueMode::Base64)
                .note.contains(QLatin1String("not base64")));
    // An ordinary 16-letter word is not base64 to anyone.
    QCOMPARE(formatValue("abcdefghijklmnop", -1).text, QStringLiteral("abcdefghijklmnop"));
}

void TestValueFormat::decodesMessagePack()
{
    // {"a": 1, "b": [true, "x"]}
    const QByteArray packed("\x82\xa1\x61\x01\xa1\x62\x92\xc3\xa1\x78", 10);
    const ValueView v = formatValue(packed, -1);
    QCOMPARE(v.kind, ValueView::Kind::MessagePack);
    QCOMPARE(v.json, QByteArray(R"({"a":1,"b":[true,"x"]})"));
    QVERIFY(v.text.contains(QLatin1String("\"b\": [")));
    // Trailing bytes: not MessagePack; binary as hex. The explicit mode says why.
    const QByteArray trailing = packed + QByteArray("\x00", 1);
    QCOMPARE(formatValue(trailing, -1).kind, ValueView::Kind::Binary);
    QVERIFY(formatValue(trailing, -1, ValueMode::MessagePack)
                .note.contains(QLatin1String("not MessagePack")));
    // A pickle's first byte (0x80) is never read as MessagePack.
    QCOMPARE(formatValue(QByteArray("\x80\x04\x95\x00", 4), -1).kind, ValueView::Kind::Pickle);
}

void TestValueFormat::saysWhereJsonBreaks()
{
    const ValueView v = formatValue("{\n  \"name\": \"Anna\",\n  \"dept\": Ops\n}", -1);
    QCOMPARE(v.kind, ValueView::Kind::Text);
    QVERIFY2(v.jsonError.startsWith(QLatin1String("line 3, column 11")), qPrintable(v.jsonError));
    QCOMPARE(v.jsonErrorOffset, 30);
    QVERIFY(v.note.contains(QLatin1String("not valid JSON")));
    // Text that never looked like JSON has no JSON error.
    QVERIFY(formatValue("plain words", -1).jsonError.isEmpty());
}

void TestValueFormat::showsAtMostWhatTheWidgetCanTake()
{
    // A whole 8 MiB binary value: hex of the first kMaxHexBytes only, and the note says so.
    const QByteArray binary(8 * 1024 * 1024, '\xff');
    const ValueView hex = formatValue(binary, -1);
    QCOMPARE(hex.kind, ValueView::Kind::Binary);
    QCOMPARE(hex.text, hexDump(binary.left(kMaxHexBytes)));
    QVERIFY2(hex.note.contains(QLatin1String("save to file for all")), qPrintable(hex.note));
    // Long text is cut at kMaxShownCharacters.
    const QByteArray text(3'000'000, 'a');
    const ValueView cut = formatValue(text, -1);
    QCOMPARE(cut.text.size(), kMaxShownCharacters);
    QVERIFY2(cut.note.contains(QLatin1String("characters shown")), qPrintable(cut.note));
    QVERIFY(
        !formatValue(QByteArray(1000, 'a'), -1).note.contains(QLatin1String("characters shown")));
    // A small value that inflates to more than kMaxInflatedBytes stops there.
    const QByteArray bomb = compress(QByteArray(kMaxInflatedBytes + 1024 * 1024, 'z'), 15);
    QVERIFY(bomb.size() < 64 * 1024);
    bool complete = true;
    QCOMPARE(inflate(bomb, kMaxInflatedBytes, &complete).size(), kMaxInflatedBytes);
    QVERIFY(!complete);
    const ValueView bombView = formatValue(bomb, -1);
    QVERIFY2(bombView.note.contains(QLatin1String("(partly)")), qPrintable(bombView.note));
    QCOMPARE(bombView.text.size(), kMaxShownCharacters);
}

QTEST_GUILESS_MAIN(TestValueFormat)
#include "tst_valueformat.moc"
