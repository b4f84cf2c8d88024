#include "redis/commandlinesplitter.h"

#include <QTest>

using bd::connectors::CommandLineSplit;

class TestCommandLineSplitter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitsLikeRedisCli_data();
    void splitsLikeRedisCli();
    void rejectsUnbalancedQuotes_data();
    void rejectsUnbalancedQuotes();
};

void TestCommandLineSplitter::splitsLikeRedisCli_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QList<QByteArray>>("args");
    QTest::newRow("words") << "SET  key   value" << QList<QByteArray>{"SET", "key", "value"};
    QTest::newRow("double quotes")
        << "SET k \"hello world\"" << QList<QByteArray>{"SET", "k", "hello world"};
    QTest::newRow("escapes") << R"(SET k "a\nb\t\"q\"\\")"
                             << QList<QByteArray>{"SET", "k", "a\nb\t\"q\"\\"};
    QTest::newRow("hex escape") << R"(GET "\xff\x00k")"
                                << QList<QByteArray>{"GET", QByteArray("\xff\x00k", 3)};
    QTest::newRow("single quotes")
        << R"(SET k 'it\'s "raw" \n')" << QList<QByteArray>{"SET", "k", "it's \"raw\" \\n"};
    QTest::newRow("empty quoted") << "SET k \"\"" << QList<QByteArray>{"SET", "k", ""};
    QTest::newRow("utf-8") << "GET ключ"
                           << QList<QByteArray>{"GET", "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87"};
    QTest::newRow("blank") << "   " << QList<QByteArray>{};
}

void TestCommandLineSplitter::splitsLikeRedisCli()
{
    QFETCH(QString, line);
    QFETCH(QList<QByteArray>, args);
    const CommandLineSplit split = CommandLineSplit::split(line);
    QVERIFY2(split.ok, qPrintable(split.error));
    QCOMPARE(split.args, args);
}

void TestCommandLineSplitter::rejectsUnbalancedQuotes_data()
{
    QTest::addColumn<QString>("line");
    QTest::newRow("open double") << "SET k \"abc";
    QTest::newRow("open single") << "SET k 'abc";
    QTest::newRow("quote glued to word") << "SET k \"abc\"def";
}

void TestCommandLineSplitter::rejectsUnbalancedQuotes()
{
    QFETCH(QString, line);
    const CommandLineSplit split = CommandLineSplit::split(line);
    QVERIFY(!split.ok);
    QVERIFY(!split.error.isEmpty());
}

QTEST_GUILESS_MAIN(TestCommandLineSplitter)
#include "tst_commandlinesplitter.moc"
