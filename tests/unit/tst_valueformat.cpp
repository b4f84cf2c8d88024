#include "keys/valueformat.h"

#include <QTest>

using namespace bd::models;

class TestValueFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void choosesAView_data();
    void choosesAView();
    void hexDumpsLikeXxd();
};

void TestValueFormat::choosesAView_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("textContains");
    QTest::addColumn<QString>("noteContains");
    QTest::newRow("json object") << QByteArray(R"({"name":"Иван","branch":"Kazan"})") << qint64(-1)
                                 << int(ValueView::Kind::Json) << "\n  \"branch\": \"Kazan\"" << "JSON object";
    QTest::newRow("json array") << QByteArray("[1,2,3]") << qint64(-1) << int(ValueView::Kind::Json) << "  1," << "3 item";
    QTest::newRow("plain text") << QByteArray("off") << qint64(-1) << int(ValueView::Kind::Text) << "off" << "text";
    QTest::newRow("number is text") << QByteArray("42") << qint64(-1) << int(ValueView::Kind::Text) << "42" << "text";
    QTest::newRow("partial json is text") << QByteArray(R"({"a":)") << qint64(100) << int(ValueView::Kind::Text)
                                          << "{\"a\":" << "first 5 bytes of 100 bytes";
    QTest::newRow("preview cut inside a character") << QByteArray("Иван\xd0") << qint64(50)
                                                    << int(ValueView::Kind::Text) << "Иван" << "of 50 bytes";
    QTest::newRow("binary") << QByteArray("\xff\x00\x01", 3) << qint64(-1) << int(ValueView::Kind::Binary)
                            << "ff 00 01" << "hex";
    QTest::newRow("pickle") << QByteArray("\x80\x04\x95\x4a\x00", 5) << qint64(-1) << int(ValueView::Kind::Pickle)
                            << "80 04 95 4a 00" << "never deserialised";
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
    QCOMPARE(dump, QStringLiteral("00000000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n"
                                  "00000010  51 52 53 54                                       |QRST|\n"));
    QCOMPARE(formatValue("text", -1, ValueMode::Hex).kind, ValueView::Kind::Binary);
}

QTEST_GUILESS_MAIN(TestValueFormat)
#include "tst_valueformat.moc"
