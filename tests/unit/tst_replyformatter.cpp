#include "redis/replyformatter.h"

#include <QTest>

#include <nlohmann/json.hpp>

using bd::connectors::RedisReply;
using bd::connectors::ReplyFormatter;

Q_DECLARE_METATYPE(RedisReply)

class TestReplyFormatter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formatsLikeRedisCli_data();
    void formatsLikeRedisCli();
    void limitsHugeReplies();
    void rawAndJson();
    void reportsPrintAsText();
};

void TestReplyFormatter::reportsPrintAsText()
{
    QVERIFY(ReplyFormatter::prefersRawText({"info"}));
    QVERIFY(ReplyFormatter::prefersRawText({"INFO", "keyspace"}));
    QVERIFY(ReplyFormatter::prefersRawText({"client", "list"}));
    QVERIFY(ReplyFormatter::prefersRawText({"CLUSTER", "NODES"}));
    QVERIFY(!ReplyFormatter::prefersRawText({"CLIENT", "GETNAME"}));
    QVERIFY(!ReplyFormatter::prefersRawText({"GET", "info"}));
    QVERIFY(!ReplyFormatter::prefersRawText({}));
}

void TestReplyFormatter::formatsLikeRedisCli_data()
{
    QTest::addColumn<RedisReply>("reply");
    QTest::addColumn<QString>("text");
    QTest::newRow("status") << RedisReply::status("PONG") << "PONG";
    QTest::newRow("string") << RedisReply::string("hello") << "\"hello\"";
    QTest::newRow("escapes") << RedisReply::string("a\"b\\c\n\r\t") << "\"a\\\"b\\\\c\\n\\r\\t\"";
    QTest::newRow("binary") << RedisReply::string(QByteArray("\xff\x00\x01", 3))
                            << "\"\\xff\\x00\\x01\"";
    QTest::newRow("utf-8 kept readable")
        << RedisReply::string("\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd") << "\"Иван\"";
    QTest::newRow("truncated utf-8 escaped") << RedisReply::string("\xd0") << "\"\\xd0\"";
    QTest::newRow("integer") << RedisReply::integer(-42) << "(integer) -42";
    QTest::newRow("nil") << RedisReply::nil() << "(nil)";
    QTest::newRow("error") << RedisReply::error("ERR wrong number of arguments")
                           << "(error) ERR wrong number of arguments";
    QTest::newRow("empty array") << RedisReply::array({}) << "(empty array)";
    QTest::newRow("flat array") << RedisReply::array(
        {RedisReply::string("a"), RedisReply::nil(), RedisReply::integer(3)})
                                << "1) \"a\"\n2) (nil)\n3) (integer) 3";
    QTest::newRow("nested array") << RedisReply::array(
        {RedisReply::array({RedisReply::string("x"), RedisReply::string("y")}),
         RedisReply::string("z")}) << "1) 1) \"x\"\n   2) \"y\"\n2) \"z\"";
    std::vector<RedisReply> ten;
    for (int i = 0; i < 10; ++i)
        ten.push_back(i == 9
                          ? RedisReply::array({RedisReply::string("n1"), RedisReply::string("n2")})
                          : RedisReply::integer(i));
    QTest::newRow("index width")
        << RedisReply::array(ten)
        << " 1) (integer) 0\n 2) (integer) 1\n 3) (integer) 2\n 4) (integer) 3\n"
           " 5) (integer) 4\n 6) (integer) 5\n 7) (integer) 6\n 8) (integer) 7\n"
           " 9) (integer) 8\n10) 1) \"n1\"\n    2) \"n2\"";
}

void TestReplyFormatter::formatsLikeRedisCli()
{
    QFETCH(RedisReply, reply);
    QFETCH(QString, text);
    QCOMPARE(ReplyFormatter::toCliText(reply), text);
}

void TestReplyFormatter::limitsHugeReplies()
{
    std::vector<RedisReply> many(50'000, RedisReply::string("k"));
    const QString text = ReplyFormatter::toCliText(RedisReply::array(std::move(many)), {100, 1024});
    QCOMPARE(text.count(QLatin1Char('\n')), 100);
    QVERIFY(text.endsWith(QLatin1String("(49900 more elements not shown)")));
    const QString big =
        ReplyFormatter::toCliText(RedisReply::string(QByteArray(5000, 'a')), {100, 1024});
    QVERIFY(big.endsWith(QLatin1String("(3976 more bytes not shown)")));
}

void TestReplyFormatter::rawAndJson()
{
    const RedisReply reply =
        RedisReply::array({RedisReply::string("a"), RedisReply::integer(2), RedisReply::nil(),
                           RedisReply::string(QByteArray("\xff", 1)), RedisReply::error("ERR x")});
    QCOMPARE(ReplyFormatter::toRaw(reply), QByteArray("a\n2\n\n\xff\n(error) ERR x"));
    const nlohmann::json json = ReplyFormatter::toJson(reply);
    QCOMPARE(QByteArray::fromStdString(json.dump()),
             QByteArray(R"(["a",2,null,{"base64":"/w=="},{"error":"ERR x"}])"));
}

QTEST_GUILESS_MAIN(TestReplyFormatter)
#include "tst_replyformatter.moc"
