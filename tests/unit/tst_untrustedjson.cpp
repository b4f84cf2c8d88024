// The one gate for untrusted JSON and MessagePack: never throws, says where, caps nesting.
#include "codec/hotjson.h"
#include "codec/untrustedjson.h"

#include <QTest>

using namespace bd::connectors;

class TestUntrustedJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusesWithPosition_data();
    void refusesWithPosition();
    void acceptsValid_data();
    void acceptsValid();
    void depthCapIsExact();
    void tenMegabyteString();
    void unterminatedHugeStringKeepsReasonShort();
    void keepsMemberOrder();
    void messagePack_data();
    void messagePack();
    void printsInvalidUtf8AsReplacement();
    void hotBase64AnswersAsQt();
};

void TestUntrustedJson::refusesWithPosition_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qint64>("line");
    QTest::addColumn<qint64>("column");
    QTest::addColumn<QString>("reasonPart");

    const QByteArray deepOpen = QByteArray(100'000, '[');
    const QByteArray deepClosed = deepOpen + QByteArray(100'000, ']');
    // nlohmann reports out_of_range 406 for these; catching only parse_error crashed the app.
    QTest::newRow("[1e400]") << QByteArray("[1e400]") << 1LL << 2LL << QStringLiteral("1e400");
    QTest::newRow("-1e400") << QByteArray("-1e400") << 1LL << 1LL
                            << QStringLiteral("number overflow");
    QTest::newRow("{\"a\":1e400}")
        << QByteArray(R"({"a":1e400})") << 1LL << 6LL << QStringLiteral("1e400");
    QTest::newRow("100000 deep, unclosed")
        << deepOpen << 1LL << 513LL << QStringLiteral("deeper than 512");
    QTest::newRow("100000 deep, closed")
        << deepClosed << 1LL << 513LL << QStringLiteral("deeper than 512");
    QTest::newRow("deep objects") << QByteArray(R"({"a":)").repeated(600) + "1"
                                         + QByteArray(600, '}')
                                  << 1LL << 5LL * 512 + 1 << QStringLiteral("deeper than 512");
    QTest::newRow("brackets in strings do not count")
        << QByteArray(R"(["[[[[", )") + QByteArray(520, '[') << 1LL << 9LL + 512
        << QStringLiteral("deeper");
    QTest::newRow("invalid UTF-8")
        << QByteArray("[\"a\xff\"]") << 1LL << 4LL << QStringLiteral("UTF-8");
    QTest::newRow("overlong slash")
        << QByteArray("[\"\xc0\xaf\"]") << 1LL << 3LL << QStringLiteral("UTF-8");
    QTest::newRow("NUL byte") << QByteArray("[\"a\0b\"]", 7) << 1LL << 4LL
                              << QStringLiteral("control character");
    QTest::newRow("empty") << QByteArray() << 1LL << 1LL << QStringLiteral("end of input");
    QTest::newRow("trailing text")
        << QByteArray("[1] x") << 1LL << 5LL << QStringLiteral("end of input");
    QTest::newRow("second line") << QByteArray("{\n  \"name\": tru\n}") << 2LL << 14LL
                                 << QStringLiteral("literal");
    QTest::newRow("column counts characters")
        << QByteArray("[\"Иванов\", x]") << 1LL << 12LL << QStringLiteral("literal");
}

void TestUntrustedJson::refusesWithPosition()
{
    QFETCH(QByteArray, input);
    QFETCH(qint64, line);
    QFETCH(qint64, column);
    QFETCH(QString, reasonPart);
    const auto result = parseUntrustedJson(input);
    QVERIFY(!result.ok());
    QVERIFY(result.value.is_null());
    QVERIFY2(result.error.reason.contains(reasonPart), qPrintable(result.error.reason));
    QCOMPARE(result.error.line, line);
    QCOMPARE(result.error.column, column);
    QVERIFY(result.error.toString().startsWith(
        QStringLiteral("line %1, column %2: ").arg(line).arg(column)));
    // The ordered flavour takes the same gate.
    const auto ordered = parseUntrustedOrderedJson(input);
    QVERIFY(!ordered.ok());
    QCOMPARE(ordered.error.toString(), result.error.toString());
}

void TestUntrustedJson::acceptsValid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("compact");
    QTest::newRow("object") << QByteArray(R"( {"b": [1, 2.5, "x"], "a": null} )")
                            << QByteArray(R"({"a":null,"b":[1,2.5,"x"]})");
    QTest::newRow("big but finite") << QByteArray("[1e300]") << QByteArray("[1e+300]");
    QTest::newRow("escaped NUL") << QByteArray(R"(["a\u0000b"])") << QByteArray(R"(["a\u0000b"])");
    QTest::newRow("Cyrillic") << QByteArray(R"({"name":"Иванов"})")
                              << QByteArray(R"({"name":"Иванов"})");
    QTest::newRow("huge integer as float")
        << QByteArray("[123456789012345678901234567890]") << QByteArray("[1.2345678901234568e+29]");
}

void TestUntrustedJson::acceptsValid()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, compact);
    const auto result = parseUntrustedJson(input);
    QVERIFY2(result.ok(), qPrintable(result.error.toString()));
    QCOMPARE(jsonToBytes(result.value), compact);
}

void TestUntrustedJson::depthCapIsExact()
{
    const auto at = [](int depth) {
        return parseUntrustedJson(QByteArray(depth, '[') + QByteArray(depth, ']'));
    };
    QVERIFY(at(kMaxJsonDepth).ok());
    QVERIFY(!at(kMaxJsonDepth + 1).ok());
    // A caller may ask for less.
    const auto shallow = parseUntrustedJson("[[[1]]]", 2);
    QVERIFY(!shallow.ok());
    QCOMPARE(shallow.error.column, 3);
    // What passed prints without exhausting the stack (nlohmann's dump recurses).
    QCOMPARE(jsonToBytes(at(kMaxJsonDepth).value).size(), 2 * kMaxJsonDepth);
}

void TestUntrustedJson::tenMegabyteString()
{
    const QByteArray big = '"' + QByteArray(10 * 1024 * 1024, 'x') + '"';
    const auto result = parseUntrustedJson(big);
    QVERIFY(result.ok());
    QCOMPARE(result.value.get_ref<const std::string &>().size(), size_t(10 * 1024 * 1024));
}

void TestUntrustedJson::unterminatedHugeStringKeepsReasonShort()
{
    const auto result = parseUntrustedJson('"' + QByteArray(10 * 1024 * 1024, 'x'));
    QVERIFY(!result.ok());
    QVERIFY(result.error.reason.size() <= 201);
    QCOMPARE(result.error.line, 1);
}

void TestUntrustedJson::keepsMemberOrder()
{
    const auto result = parseUntrustedOrderedJson(R"({"z":1,"a":2})");
    QVERIFY(result.ok());
    QCOMPARE(jsonToBytes(result.value), QByteArray(R"({"z":1,"a":2})"));
    QCOMPARE(jsonToText(result.value, 2), QStringLiteral("{\n  \"z\": 1,\n  \"a\": 2\n}"));
}

void TestUntrustedJson::messagePack_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("map") << QByteArray::fromHex("81a16101") << true << QString();
    QTest::newRow("100000 deep") << QByteArray(100'000, '\x91') + QByteArray(1, '\xc0') << false
                                 << QStringLiteral("deeper than 512");
    QTest::newRow("array of 2^32-1 items")
        << QByteArray::fromHex("ddffffffff") << false << QStringLiteral("end of input");
    QTest::newRow("map of 2^32-1 items")
        << QByteArray::fromHex("dfffffffff") << false << QStringLiteral("end of input");
    QTest::newRow("str32 longer than the input")
        << QByteArray::fromHex("dbffffffff61") << false << QStringLiteral("end of input");
    QTest::newRow("truncated") << QByteArray::fromHex("82a161") << false
                               << QStringLiteral("end of input");
    QTest::newRow("trailing byte")
        << QByteArray::fromHex("90c0") << false << QStringLiteral("expected end of input");
    QTest::newRow("non-string key")
        << QByteArray::fromHex("810101") << false << QStringLiteral("MessagePack");
    QTest::newRow("empty") << QByteArray() << false << QStringLiteral("end of input");
}

void TestUntrustedJson::messagePack()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, ok);
    QFETCH(QString, reasonPart);
    const auto result = parseUntrustedMessagePack(input);
    QCOMPARE(result.ok(), ok);
    if (!ok) {
        QVERIFY2(result.error.reason.contains(reasonPart), qPrintable(result.error.reason));
        QCOMPARE(result.error.line, 0); // bytes have no lines
    }
}

void TestUntrustedJson::printsInvalidUtf8AsReplacement()
{
    // MessagePack strings are not checked for UTF-8; printing them must not throw (type_error 316).
    const auto result = parseUntrustedMessagePack(QByteArray::fromHex("91a2ff61"));
    QVERIFY(result.ok());
    QCOMPARE(jsonToText(result.value), QStringLiteral("[\"\uFFFDa\"]"));
    QCOMPARE(jsonToText(result.value, 2), QStringLiteral("[\n  \"\uFFFDa\"\n]"));
}

// The hot path's base64 decoder takes only the strict form, and decodes it as Qt does; what it
// refuses goes to Qt's decoder (the reference).
void TestUntrustedJson::hotBase64AnswersAsQt()
{
    std::string scratch;
    simdjson::padded_string_view out;
    const auto hot = [&](const QByteArray &text) -> std::optional<QByteArray> {
        if (!bd::connectors::hotjson::decodeBase64Padded(text.toStdString(), scratch, &out))
            return std::nullopt;
        if (out.capacity() < out.size() + simdjson::SIMDJSON_PADDING)
            return QByteArrayLiteral("(not padded)");
        return QByteArray(out.data(), qsizetype(out.size()));
    };
    const auto qt = [](const QByteArray &text) -> std::optional<QByteArray> {
        auto r = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
        return r ? std::optional<QByteArray>(*r) : std::nullopt;
    };
    // Every length of random bytes, as kombu encodes them: accepted, the same bytes back.
    quint32 seed = 12345;
    const auto next = [&] {
        return seed = seed * 1103515245u + 12345u;
    };
    for (int n = 0; n < 200; ++n) {
        QByteArray bytes(n, Qt::Uninitialized);
        for (char &c : bytes)
            c = char(next() >> 24);
        const auto decoded = hot(bytes.toBase64());
        QVERIFY2(decoded && *decoded == bytes, qPrintable(QString::number(n)));
    }
    // Refused: what is not the strict form (Qt may still read it; the reference decides).
    for (const char *text : {"QQ", "QQ=", "QUJD\n", "QU JD", "QUJ-", "QUJ_", "=QUJ",
                             "Q===", "====", "QQ=A", "QUJDRA=", "\xc3\xa9QUI"})
        QVERIFY2(!hot(QByteArray(text)), text);
    // Anything it accepts, Qt accepts and reads the same: random strings over the alphabet
    // and the characters around it.
    const char alphabet[] = "ABCXYZabcxyz0189+/=-_ \n";
    for (int i = 0; i < 20000; ++i) {
        QByteArray text(int(next() % 13), Qt::Uninitialized);
        for (char &c : text)
            c = alphabet[next() % (sizeof alphabet - 1)];
        if (const auto mine = hot(text)) {
            const auto reference = qt(text);
            QVERIFY2(reference && *reference == *mine, text.constData());
        }
    }
    QCOMPARE(hot(QByteArray()), std::optional<QByteArray>(QByteArray()));
}

QTEST_GUILESS_MAIN(TestUntrustedJson)
#include "tst_untrustedjson.moc"
