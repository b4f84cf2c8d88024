// The key browser's connector path against a real redis-server: SCAN into the tree model,
// per-key facts, binary keys, the cap, and an ACL user who may not use MEMORY, INFO or CONFIG.
#include "commandwait.h"
#include "keys/keytreemodel.h"
#include "redis/backgroundkeyscan.h"
#include "redis/keyedits.h"
#include "redis/keyfactsloader.h"
#include "redis/keyinspector.h"
#include "redis/keyscanjob.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "redis/serverinfo.h"
#include "testredis.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <optional>

using namespace bd::connectors;
using bd::models::KeyTreeModel;
using bd::test::PrivateRedisServer;

namespace {

RedisResult run(RedisClient &client, const QList<QByteArray> &args)
{
    return bd::test::runCommand(client, args);
}

struct ScanOutcome
{
    QList<QByteArray> keys;
    bool complete = false;
    bool capped = false;
    RedisError error;
};

ScanOutcome scan(RedisClient &client, KeyScanJob::Options options)
{
    ScanOutcome out;
    KeyScanJob job(&client, options);
    bool done = false;
    QObject::connect(&job, &KeyScanJob::keysFound,
                     [&](const QList<QByteArray> &keys) { out.keys += keys; });
    QObject::connect(&job, &KeyScanJob::finished,
                     [&](bool complete, bool capped, const RedisError &e) {
                         out.complete = complete;
                         out.capped = capped;
                         out.error = e;
                         done = true;
                     });
    job.start();
    if (!QTest::qWaitFor([&] { return done; }, 30000))
        out.error =
            RedisError{RedisError::Kind::CommandTimeout, QStringLiteral("scan did not finish")};
    return out;
}

} // namespace

class TestKeyBrowsing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scansEveryKeyExactlyOnce();
    void filtersByPatternAndType();
    void stopsAtTheCapAndSaysSo();
    void binaryKeysRoundTripThroughRenameTtlAndDelete();
    void factsForAUserWithoutMemoryInfoOrConfig();
    void scanFillsTheTreeModel();
    void backgroundScanDeliversPagesAndStopsOnCancel();
    void inspectorPagesEveryType_data();
    void inspectorPagesEveryType();
    void hugeStringOpensAsAPreview();
    void createsKeysOfEveryTypeWithoutOverwriting();
    void collectionEditsNeverOverwrite();
    void singleEditsChangeOnlyWhatTheyName();
    void deleteFallsBackToDelWithoutUnlink();
    void keyspaceCountsFromInfo();
    void inspectorShowsStreamGroups();
    void readsAWholeStringInChunks();

private:
    KeyDetails inspect(const QByteArray &key);

    std::unique_ptr<PrivateRedisServer> m_server;
    std::unique_ptr<RedisClient> m_client;
    QList<QByteArray> m_seeded;
};

void TestKeyBrowsing::initTestCase()
{
    m_server = std::make_unique<PrivateRedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    m_client = std::make_unique<RedisClient>(RedisUrl::parse(m_server->url()).settings);
    m_client->open();
    for (int i = 0; i < 3000; ++i) {
        const QByteArray key = "user:" + QByteArray::number(i);
        m_client->send({"SET", key, "x", "EX", "900"}, nullptr, {});
        m_seeded << key;
    }
    for (int i = 0; i < 500; ++i) {
        const QByteArray key = "shift:" + QByteArray::number(i);
        m_client->send({"HSET", key, "f", "v"}, nullptr, {});
        m_seeded << key;
    }
    const QByteArray binary("bin:\xff\xfe\x00:k", 9);
    QVERIFY(run(*m_client, {"SET", binary, "b"}).ok());
    m_seeded << binary;
    QCOMPARE(run(*m_client, {"DBSIZE"}).reply.toInteger(), qint64(m_seeded.size()));
}

void TestKeyBrowsing::scansEveryKeyExactlyOnce()
{
    const ScanOutcome out = scan(*m_client, {});
    QVERIFY2(!out.error.isError(), qPrintable(out.error.toString()));
    QVERIFY(out.complete);
    QVERIFY(!out.capped);
    QList<QByteArray> found = out.keys;
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end()); // SCAN may repeat a key
    QList<QByteArray> expected = m_seeded;
    std::sort(expected.begin(), expected.end());
    QCOMPARE(found, expected);
}

void TestKeyBrowsing::filtersByPatternAndType()
{
    KeyScanJob::Options byPattern;
    byPattern.match = "shift:*";
    ScanOutcome out = scan(*m_client, byPattern);
    QVERIFY(out.complete);
    QSet<QByteArray> unique(out.keys.begin(), out.keys.end());
    QCOMPARE(unique.size(), 500);
    for (const QByteArray &k : unique)
        QVERIFY(k.startsWith("shift:"));

    KeyScanJob::Options byType;
    byType.type = "hash";
    out = scan(*m_client, byType);
    unique = QSet<QByteArray>(out.keys.begin(), out.keys.end());
    QCOMPARE(unique.size(), 500);
}

void TestKeyBrowsing::stopsAtTheCapAndSaysSo()
{
    KeyScanJob::Options capped;
    capped.cap = 1234;
    capped.count = 100;
    const ScanOutcome out = scan(*m_client, capped);
    QVERIFY(out.capped);
    QVERIFY(!out.complete);
    QCOMPARE(out.keys.size(), 1234);
}

void TestKeyBrowsing::binaryKeysRoundTripThroughRenameTtlAndDelete()
{
    KeyScanJob::Options options;
    options.match = "bin:*";
    const ScanOutcome out = scan(*m_client, options);
    QCOMPARE(out.keys.size(), 1);
    const QByteArray key = out.keys.first(); // the bytes as the server gave them
    QCOMPARE(key, QByteArray("bin:\xff\xfe\x00:k", 9));
    const QByteArray renamed = key + "\x01";
    QVERIFY(run(*m_client, {"RENAME", key, renamed}).ok());
    QCOMPARE(run(*m_client, {"PEXPIRE", renamed, "60000"}).reply.toInteger(), 1);
    const qint64 pttl = run(*m_client, {"PTTL", renamed}).reply.toInteger();
    QVERIFY(pttl > 50000 && pttl <= 60000);
    QCOMPARE(run(*m_client, {"UNLINK", renamed}).reply.toInteger(), 1);
    QCOMPARE(run(*m_client, {"EXISTS", key}).reply.toInteger(), 0);
    QCOMPARE(run(*m_client, {"EXISTS", renamed}).reply.toInteger(), 0);
    QVERIFY(run(*m_client, {"SET", key, "b"}).ok()); // as it was, for the other tests
}

void TestKeyBrowsing::factsForAUserWithoutMemoryInfoOrConfig()
{
    QVERIFY(run(*m_client,
                {"ACL", "SETUSER", "browser", "on", ">browse-pw", "~*", "+@read", "+scan", "+type",
                 "+pttl", "+ping", "-memory", "-info", "-config", "+client|setname"})
                .ok());
    RedisClient limited(
        RedisUrl::parse(
            QStringLiteral("redis://browser:browse-pw@127.0.0.1:%1/0").arg(m_server->port()))
            .settings);
    limited.open();
    QCOMPARE(run(limited, {"INFO"}).reply.errorCode(), QByteArray("NOPERM"));

    KeyScanJob::Options options;
    options.match = "user:1*";
    const ScanOutcome out = scan(limited, options);
    QVERIFY2(out.complete, qPrintable(out.error.toString()));
    QVERIFY(out.keys.size() > 100);

    KeyFactsLoader loader(&limited);
    QList<KeyFacts> facts;
    loader.load({"user:1", "shift:1", "no-such"}, this,
                [&](const QList<KeyFacts> &f) { facts = f; });
    QTRY_COMPARE(facts.size(), 3);
    QCOMPARE(facts[0].type, QByteArray("string"));
    QVERIFY(facts[0].pttlMs > 0 && facts[0].pttlMs <= 900'000);
    QCOMPARE(facts[0].memoryBytes, qint64(-1));
    QCOMPARE(facts[1].type, QByteArray("hash"));
    QCOMPARE(facts[1].pttlMs, qint64(-1));
    QCOMPARE(facts[2].type, QByteArray("none"));
    QCOMPARE(facts[2].pttlMs, qint64(-2));
    QVERIFY(loader.memoryDenied());
    QVERIFY2(loader.memoryDeniedReason().contains(QLatin1String("NOPERM")),
             qPrintable(loader.memoryDeniedReason()));

    // The default user may: memory comes back.
    KeyFactsLoader full(m_client.get());
    facts.clear();
    full.load({"user:1"}, this, [&](const QList<KeyFacts> &f) { facts = f; });
    QTRY_COMPARE(facts.size(), 1);
    QVERIFY(facts[0].memoryBytes > 0);
    QVERIFY(!full.memoryDenied());
}

void TestKeyBrowsing::scanFillsTheTreeModel()
{
    KeyTreeModel model;
    KeyScanJob job(m_client.get(), {});
    connect(&job, &KeyScanJob::keysFound, &model, &KeyTreeModel::appendKeys);
    QSignalSpy finished(&job, &KeyScanJob::finished);
    job.start();
    QVERIFY(finished.wait(30000));
    model.flush();
    // SCAN may return a key twice while the table rehashes; here nothing is written meanwhile.
    QCOMPARE(model.keyCount(), qint64(m_seeded.size()));
    QCOMPARE(model.rowCount(), 3); // user:, shift:, bin:
}

void TestKeyBrowsing::backgroundScanDeliversPagesAndStopsOnCancel()
{
    const ConnectionSettings settings = RedisUrl::parse(m_server->url()).settings;
    {
        BackgroundKeyScan scan(settings, {});
        QSet<QByteArray> keys;
        bool onOwnerThread = true;
        connect(&scan, &BackgroundKeyScan::keysFound, this, [&](const QList<QByteArray> &page) {
            onOwnerThread = onOwnerThread && QThread::currentThread() == thread();
            keys.unite(QSet<QByteArray>(page.begin(), page.end()));
        });
        QSignalSpy finished(&scan, &BackgroundKeyScan::finished);
        scan.start();
        QVERIFY(finished.wait(30000));
        QVERIFY(onOwnerThread);                          // pages arrive on the owner's thread
        QCOMPARE(finished.first().at(0).toBool(), true); // complete
        QCOMPARE(keys.size(), m_seeded.size());
    }
    {
        KeyScanJob::Options slow;
        slow.count = 10; // many small pages, so there is time to cancel
        BackgroundKeyScan scan(settings, slow);
        int pages = 0;
        connect(&scan, &BackgroundKeyScan::keysFound, this, [&](const QList<QByteArray> &) {
            if (++pages == 1)
                scan.cancel();
        });
        QSignalSpy finished(&scan, &BackgroundKeyScan::finished);
        scan.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toBool(), false); // not complete
        QCOMPARE(finished.first().at(1).toBool(), false); // not capped
        QVERIFY(!finished.first().at(2).value<RedisError>().isError());
        QVERIFY(scan.found() < m_seeded.size());
    }
    // Destroying a running scan stops it and joins its thread.
    auto running = std::make_unique<BackgroundKeyScan>(settings, KeyScanJob::Options{});
    running->start();
    running.reset();
}

KeyDetails TestKeyBrowsing::inspect(const QByteArray &key)
{
    KeyInspector inspector(m_client.get());
    inspector.setPageSize(100);
    inspector.setPreviewBytes(1000);
    std::optional<KeyDetails> details;
    inspector.inspect(key, this, [&](const KeyDetails &d) { details = d; });
    if (!QTest::qWaitFor([&] { return details.has_value(); }, 10000))
        return {};
    return *details;
}

void TestKeyBrowsing::inspectorPagesEveryType_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<int>("items"); // how many the key holds; the page size is 100
    for (const char *t : {"hash", "list", "set", "zset", "stream", "string"}) {
        QTest::newRow(QByteArray(t) + " one full page") << QByteArray(t) << 100;
        QTest::newRow(QByteArray(t) + " page + 1") << QByteArray(t) << 101;
        QTest::newRow(QByteArray(t) + " several pages") << QByteArray(t) << 350;
    }
}

void TestKeyBrowsing::inspectorPagesEveryType()
{
    QFETCH(QByteArray, type);
    QFETCH(int, items);
    const QByteArray key = "inspect:" + type + ":" + QByteArray::number(items);
    run(*m_client, {"DEL", key});
    for (int i = 0; i < items; ++i) {
        const QByteArray n = QByteArray::number(i);
        if (type == "hash")
            m_client->send({"HSET", key, "f" + n, "v" + n}, nullptr, {});
        else if (type == "list")
            m_client->send({"RPUSH", key, "e" + n}, nullptr, {});
        else if (type == "set")
            m_client->send({"SADD", key, "m" + n}, nullptr, {});
        else if (type == "zset")
            m_client->send({"ZADD", key, n, "m" + n}, nullptr, {});
        else if (type == "stream")
            m_client->send({"XADD", key, "*", "f", n}, nullptr, {});
        else
            m_client->send({"APPEND", key, QByteArray(10, char('a' + i % 26))}, nullptr,
                           {}); // 10 bytes each
    }
    const KeyDetails d = inspect(key);
    QVERIFY2(!d.error.isError(), qPrintable(d.error.toString()));
    QCOMPARE(d.type, type);
    QCOMPARE(d.pttlMs, qint64(-1));
    if (type == "string") {
        QCOMPARE(d.length, qint64(items) * 10);
        QCOMPARE(d.stringPreview.size(), qMin(items * 10, 1000)); // GETRANGE, never the whole value
        QCOMPARE(d.stringPreview.left(10), QByteArray(10, 'a'));
        QCOMPARE(d.truncated, items * 10 > 1000);
        run(*m_client, {"DEL", key});
        return;
    }
    QCOMPARE(d.length, qint64(items));
    if (type == "list" || type == "zset" || type == "stream") {
        QCOMPARE(int(d.entries.size()), qMin(items, 100)); // exactly one page
        QCOMPARE(d.truncated, items > 100);
    }
    if (type == "list")
        QCOMPARE(d.entries.first().first, QByteArray("e0"));
    if (type == "zset")
        QCOMPARE(d.entries.at(5), (QPair<QByteArray, QByteArray>{"m5", "5"}));
    if (type == "stream")
        QCOMPARE(d.entries.first().second, QByteArray("f 0"));

    // Page on to the end: every item, exactly once (SCAN may repeat one: compare as a set).
    KeyInspector inspector(m_client.get());
    inspector.setPageSize(100);
    KeyDetails all = d;
    int pages = 1;
    while (all.truncated && pages < 50) {
        std::optional<KeyDetails> next;
        inspector.loadMore(all, this, [&](const KeyDetails &p) { next = p; });
        QVERIFY(QTest::qWaitFor([&] { return next.has_value(); }, 10000));
        QVERIFY2(!next->error.isError(), qPrintable(next->error.toString()));
        all.entries += next->entries;
        all.cursor = next->cursor;
        all.truncated = next->truncated;
        ++pages;
    }
    QSet<QByteArray> unique;
    for (const auto &e : all.entries)
        unique.insert(e.first);
    QCOMPARE(int(unique.size()), items);
    if (type == "list" || type == "zset" || type == "stream") {
        QCOMPARE(int(all.entries.size()), items); // ranges never repeat
        QCOMPARE(pages, (items + 99) / 100);
    }
    run(*m_client, {"DEL", key});
}

void TestKeyBrowsing::hugeStringOpensAsAPreview()
{
    constexpr qint64 kSize = 200LL * 1024 * 1024;
    QVERIFY(run(*m_client, {"SETRANGE", "huge:string", QByteArray::number(kSize - 1), "!"}).ok());
    const auto sentBytes = [this] {
        return ServerInfo::parse(run(*m_client, {"INFO", "stats"}).reply.bytes())
            .integer(QStringLiteral("total_net_output_bytes"));
    };
    const qint64 before = sentBytes();
    const KeyDetails d = inspect("huge:string");
    const qint64 after = sentBytes();
    QCOMPARE(d.type, QByteArray("string"));
    QCOMPARE(d.length, kSize);
    QCOMPARE(d.stringPreview.size(), 1000);
    QVERIFY(d.truncated);
    // The server sent the preview and the facts (and one INFO), not 200 MB.
    QVERIFY2(after - before < 64 * 1024, qPrintable(QString::number(after - before)));
    QCOMPARE(run(*m_client, {"UNLINK", "huge:string"}).reply.toInteger(), 1);
}

namespace {

struct Created
{
    bool done = false;
    bool created = false;
    RedisError error;
};

Created create(RedisClient &client, const QByteArray &key, const NewItem &item, qint64 ttlMs)
{
    Created out;
    keyedits::createKey(&client, key, item, ttlMs, nullptr,
                        [&out](bool created, const RedisError &e) {
                            out = {true, created, e};
                        });
    if (!QTest::qWaitFor([&] { return out.done; }, 10000))
        out.error = RedisError{RedisError::Kind::CommandTimeout, QStringLiteral("no answer")};
    return out;
}

} // namespace

void TestKeyBrowsing::createsKeysOfEveryTypeWithoutOverwriting()
{
    RedisClient db(RedisUrl::parse(m_server->url(5)).settings);
    db.open();
    QVERIFY(run(db, {"FLUSHDB"}).ok());
    const QList<NewItem> items{{"string", "v", {}, false},  {"hash", "f", "v", false},
                               {"list", "e", {}, false},    {"set", "m", {}, false},
                               {"zset", "m", "1.5", false}, {"stream", "f", "v", false}};
    for (const NewItem &item : items) {
        const QByteArray key = "new:" + item.type;
        const Created c = create(db, key, item, item.type == "hash" ? 60000 : 0);
        QVERIFY2(c.done && c.created && !c.error.isError(),
                 qPrintable(QString::fromLatin1(item.type) + c.error.toString()));
        QCOMPARE(run(db, {"TYPE", key}).reply.bytes(), item.type);
        const qint64 pttl = run(db, {"PTTL", key}).reply.toInteger();
        if (item.type == "hash")
            QVERIFY2(pttl > 50000 && pttl <= 60000, qPrintable(QString::number(pttl)));
        else
            QCOMPARE(pttl, -1);
    }
    QCOMPARE(run(db, {"HGET", "new:hash", "f"}).reply.bytes(), QByteArray("v"));
    QCOMPARE(run(db, {"ZSCORE", "new:zset", "m"}).reply.bytes(), QByteArray("1.5"));
    QCOMPARE(run(db, {"GET", "new:string"}).reply.bytes(), QByteArray("v"));

    // A name that exists is never overwritten, whatever the types.
    for (const NewItem &item : items) {
        const Created c = create(db, "new:hash", item, 0);
        QVERIFY(c.done);
        QVERIFY2(!c.created && !c.error.isError(), item.type.constData());
    }
    QCOMPARE(run(db, {"TYPE", "new:hash"}).reply.bytes(), QByteArray("hash"));
    QCOMPARE(run(db, {"HLEN", "new:hash"}).reply.toInteger(), 1);
    // The connection is left without a WATCH or a transaction: ordinary commands still work.
    QCOMPARE(run(db, {"GET", "new:string"}).reply.bytes(), QByteArray("v"));

    // A user whose ACL refuses MULTI: the key is still created once, and said to be.
    QVERIFY(
        run(db, {"ACL", "SETUSER", "nomulti", "on", ">pw", "+@all", "-multi", "-exec", "~*", "&*"})
            .ok());
    ConnectionSettings limited = RedisUrl::parse(m_server->url(5)).settings;
    limited.username = QStringLiteral("nomulti");
    limited.password = QStringLiteral("pw");
    RedisClient noMulti(limited);
    noMulti.open();
    const Created c = create(noMulti, "new:nomulti", {"hash", "f", "v", false}, 60000);
    QVERIFY2(c.done && c.created && !c.error.isError(), qPrintable(c.error.toString()));
    QCOMPARE(run(db, {"HGET", "new:nomulti", "f"}).reply.bytes(), QByteArray("v"));
    QVERIFY(run(db, {"PTTL", "new:nomulti"}).reply.toInteger() > 0);
    QVERIFY(run(db, {"ACL", "DELUSER", "nomulti"}).ok());
    QVERIFY(run(db, {"FLUSHDB"}).ok());
}

void TestKeyBrowsing::collectionEditsNeverOverwrite()
{
    RedisClient db(RedisUrl::parse(m_server->url(5)).settings);
    db.open();
    QVERIFY(run(db, {"FLUSHDB"}).ok());
    QVERIFY(run(db, {"HSET", "h", "a", "1"}).ok());
    // HSETNX: a new field is added, an existing one is left as it was.
    QCOMPARE(run(db, keyedits::addCommand("h", {"hash", "b", "2", false})).reply.toInteger(), 1);
    QCOMPARE(run(db, keyedits::addCommand("h", {"hash", "a", "changed", false})).reply.toInteger(),
             0);
    QCOMPARE(run(db, {"HGET", "h", "a"}).reply.bytes(), QByteArray("1"));
    QCOMPARE(run(db, keyedits::removeCommand("h", "hash", {"a", "b"})).reply.toInteger(), 2);
    QCOMPARE(run(db, {"EXISTS", "h"}).reply.toInteger(), 0);

    // Lists: pushes at either end; a list deleted meanwhile is not re-created by a push.
    QVERIFY(run(db, {"RPUSH", "l", "m"}).ok());
    QVERIFY(run(db, keyedits::addCommand("l", {"list", "head", {}, true})).ok());
    QVERIFY(run(db, keyedits::addCommand("l", {"list", "tail", {}, false})).ok());
    const RedisResult all = run(db, {"LRANGE", "l", "0", "-1"});
    QCOMPARE(all.reply.elements().size(), size_t(3));
    QCOMPARE(all.reply.elements()[0].bytes(), QByteArray("head"));
    QCOMPARE(all.reply.elements()[2].bytes(), QByteArray("tail"));
    QCOMPARE(run(db, keyedits::removeCommand("l", "list", {"first"})).reply.bytes(),
             QByteArray("head"));
    QCOMPARE(run(db, keyedits::removeCommand("l", "list", {"last"})).reply.bytes(),
             QByteArray("tail"));
    QVERIFY(keyedits::removeCommand("l", "list", {"m"}).isEmpty()); // lists pop ends only
    QVERIFY(run(db, {"DEL", "l"}).ok());
    QCOMPARE(run(db, keyedits::addCommand("l", {"list", "x", {}, false})).reply.toInteger(), 0);
    QCOMPARE(run(db, {"EXISTS", "l"}).reply.toInteger(), 0);

    // Sorted sets: NX keeps an existing member's score; sets and streams add and remove.
    QVERIFY(run(db, {"ZADD", "z", "1", "a"}).ok());
    QCOMPARE(run(db, keyedits::addCommand("z", {"zset", "a", "99", false})).reply.toInteger(), 0);
    QCOMPARE(run(db, {"ZSCORE", "z", "a"}).reply.bytes(), QByteArray("1"));
    QCOMPARE(run(db, keyedits::addCommand("z", {"zset", "b", "-inf", false})).reply.toInteger(), 1);
    QCOMPARE(run(db, keyedits::removeCommand("z", "zset", {"a"})).reply.toInteger(), 1);
    QCOMPARE(run(db, keyedits::addCommand("s", {"set", "x", {}, false})).reply.toInteger(), 1);
    QCOMPARE(run(db, keyedits::addCommand("s", {"set", "x", {}, false})).reply.toInteger(), 0);
    QCOMPARE(run(db, keyedits::removeCommand("s", "set", {"x"})).reply.toInteger(), 1);
    const QByteArray id =
        run(db, keyedits::addCommand("x", {"stream", "f", "v", false})).reply.bytes();
    QVERIFY(id.contains('-'));
    QCOMPARE(run(db, keyedits::removeCommand("x", "stream", {id})).reply.toInteger(), 1);
    // Validation names what cannot be written.
    QVERIFY(!(NewItem{"zset", "m", "abc", false}).problem().isEmpty());
    QVERIFY((NewItem{"zset", "m", "+inf", false}).problem().isEmpty());
    QVERIFY(!(NewItem{"hash", "", "v", false}).problem().isEmpty());
    QVERIFY(run(db, {"FLUSHDB"}).ok());
}

void TestKeyBrowsing::singleEditsChangeOnlyWhatTheyName()
{
    RedisClient db(RedisUrl::parse(m_server->url(7)).settings);
    db.open();
    QVERIFY(run(db, {"FLUSHDB"}).ok());
    QVERIFY(run(db, {"SET", "k", "v"}).ok());
    QCOMPARE(run(db, keyedits::setTtlCommand("k", 60000)).reply.toInteger(), 1);
    QVERIFY(run(db, {"PTTL", "k"}).reply.toInteger() > 59000);
    QCOMPARE(run(db, keyedits::persistCommand("k")).reply.toInteger(), 1);
    QCOMPARE(run(db, {"PTTL", "k"}).reply.toInteger(), -1);
    // A key gone meanwhile is not given a TTL (and says nothing changed).
    const RedisResult gone = run(db, keyedits::setTtlCommand("gone", 1000));
    QVERIFY(keyedits::changedNothing(gone.reply));
    QCOMPARE(run(db, {"EXISTS", "gone"}).reply.toInteger(), 0);
    // ZADD XX: a member removed meanwhile is not re-added by a score edit.
    QVERIFY(run(db, {"ZADD", "z", "1", "a"}).ok());
    QVERIFY(run(db, keyedits::setZsetScoreCommand("z", "a", "2.5")).ok());
    QCOMPARE(run(db, {"ZSCORE", "z", "a"}).reply.bytes(), QByteArray("2.5"));
    QVERIFY(run(db, keyedits::setZsetScoreCommand("z", "removed", "9")).ok());
    QCOMPARE(run(db, {"ZCARD", "z"}).reply.toInteger(), 1);
    QVERIFY(run(db, {"RPUSH", "l", "a", "b"}).ok());
    QVERIFY(run(db, keyedits::setListElementCommand("l", 1, "B")).ok());
    QCOMPARE(run(db, {"LINDEX", "l", "1"}).reply.bytes(), QByteArray("B"));
    QVERIFY(run(db, keyedits::setHashFieldCommand("h", "f", "v")).ok());
    QCOMPARE(run(db, {"HGET", "h", "f"}).reply.bytes(), QByteArray("v"));
    // RENAMENX never overwrites.
    QCOMPARE(run(db, keyedits::renameCommand("k", "h")).reply.toInteger(), 0);
    QCOMPARE(run(db, {"TYPE", "h"}).reply.bytes(), QByteArray("hash"));
    QCOMPARE(run(db, keyedits::renameCommand("k", "k2")).reply.toInteger(), 1);
    QVERIFY(run(db, {"FLUSHDB"}).ok());
}

void TestKeyBrowsing::deleteFallsBackToDelWithoutUnlink()
{
    // A server without UNLINK, as before Redis 4.0.
    PrivateRedisServer old(
        {QStringLiteral("--rename-command"), QStringLiteral("UNLINK"), QString()});
    QVERIFY2(old.start(), qPrintable(old.lastError()));
    RedisClient client(RedisUrl::parse(old.url()).settings);
    client.open();
    QVERIFY(run(client, {"SET", "doomed", "x"}).ok());
    QVERIFY(
        run(client, {"UNLINK", "doomed"}).error.message.contains(QLatin1String("unknown command")));
    QList<QByteArray> ran;
    RedisResult result;
    bool done = false;
    keyedits::apply(&client, keyedits::deleteCommand("doomed"), nullptr,
                    [&](const QList<QByteArray> &command, const RedisResult &r) {
                        ran = command;
                        result = r;
                        done = true;
                    });
    QTRY_VERIFY(done);
    QCOMPARE(ran, (QList<QByteArray>{"DEL", "doomed"}));
    QCOMPARE(result.reply.toInteger(), 1);
    QCOMPARE(run(client, {"EXISTS", "doomed"}).reply.toInteger(), 0);
}

void TestKeyBrowsing::keyspaceCountsFromInfo()
{
    RedisClient db(RedisUrl::parse(m_server->url(8)).settings);
    db.open();
    QVERIFY(run(db, {"FLUSHDB"}).ok());
    QVERIFY(run(db, {"SET", "a", "1", "EX", "100"}).ok());
    QVERIFY(run(db, {"SET", "b", "1"}).ok());
    const QMap<int, KeyspaceCounts> keyspace =
        ServerInfo::parse(run(db, {"INFO", "keyspace"}).reply.bytes()).keyspace();
    QVERIFY(keyspace.contains(8));
    QCOMPARE(keyspace.value(8).keys, 2);
    QCOMPARE(keyspace.value(8).expires, 1);
    QVERIFY(!keyspace.contains(9)); // INFO lists only the dbs that hold keys
    // Lines that are not counts are left out.
    const auto odd =
        ServerInfo::parse(
            "# Keyspace\r\ndb1:keys=x\r\ndbz:keys=1\r\ndb2:keys=3,expires=1,avg_ttl=5\r\n")
            .keyspace();
    QCOMPARE(odd.keys(), QList<int>{2});
    QCOMPARE(odd.value(2).avgTtlMs, 5);
    QVERIFY(run(db, {"FLUSHDB"}).ok());
}

void TestKeyBrowsing::inspectorShowsStreamGroups()
{
    RedisClient db(RedisUrl::parse(m_server->url(5)).settings);
    db.open();
    QVERIFY(run(db, {"FLUSHDB"}).ok());
    for (int i = 0; i < 5; ++i)
        QVERIFY(run(db, {"XADD", "events", "*", "n", QByteArray::number(i)}).ok());
    QVERIFY(run(db, {"XGROUP", "CREATE", "events", "workers", "0"}).ok());
    QVERIFY(run(db, {"XGROUP", "CREATE", "events", "idle", "$"}).ok());
    // Two entries delivered to one consumer and not acknowledged: 2 pending.
    QVERIFY(
        run(db, {"XREADGROUP", "GROUP", "workers", "w1", "COUNT", "2", "STREAMS", "events", ">"})
            .ok());
    KeyInspector inspector(&db);
    std::optional<KeyDetails> details;
    inspector.inspect("events", nullptr, [&details](const KeyDetails &d) { details = d; });
    QTRY_VERIFY(details.has_value());
    QCOMPARE(details->entries.size(), 5);
    QCOMPARE(details->streamGroups.size(), 2);
    const StreamGroup &workers = details->streamGroups[0].name == "workers"
                                     ? details->streamGroups[0]
                                     : details->streamGroups[1];
    QCOMPARE(workers.consumers, 1);
    QCOMPARE(workers.pending, 2);
    QVERIFY(!workers.lastDeliveredId.isEmpty());
    QVERIFY(run(db, {"FLUSHDB"}).ok());
}

void TestKeyBrowsing::readsAWholeStringInChunks()
{
    RedisClient db(RedisUrl::parse(m_server->url(6)).settings);
    db.open();
    QByteArray value;
    for (int i = 0; value.size() < 5 * 1024 * 1024 + 17; ++i)
        value += "chunk " + QByteArray::number(i) + '\xff';
    QVERIFY(run(db, {"SET", "big", value}).ok());
    KeyInspector inspector(&db);
    QByteArray read;
    qint64 expectedOffset = 0;
    bool inOrder = true;
    std::optional<RedisError> done;
    inspector.readString(
        "big", 1024 * 1024, nullptr,
        [&](qint64 offset, const QByteArray &bytes, qint64 total) {
            inOrder &= offset == expectedOffset && total == value.size();
            expectedOffset += bytes.size();
            read += bytes;
        },
        [&](const RedisError &e) { done = e; });
    QTRY_VERIFY_WITH_TIMEOUT(done.has_value(), 20000);
    QVERIFY2(!done->isError(), qPrintable(done->toString()));
    QVERIFY(inOrder);
    QCOMPARE(read.size(), value.size());
    QVERIFY(read == value);

    // The value shrinks while it is read: the read ends with an error, not a torn copy.
    RedisClient other(RedisUrl::parse(m_server->url(6)).settings);
    other.open();
    done.reset();
    bool changed = false;
    inspector.readString(
        "big", 4096, nullptr,
        [&](qint64, const QByteArray &, qint64) {
            if (!changed) {
                changed = true;
                other.send({"SET", "big", "short"}, nullptr, nullptr);
            }
        },
        [&](const RedisError &e) { done = e; });
    QTRY_VERIFY_WITH_TIMEOUT(done.has_value(), 20000);
    QVERIFY(done->isError());
    QVERIFY2(done->message.contains(QLatin1String("changed while it was read")),
             qPrintable(done->message));
    QVERIFY(run(db, {"DEL", "big"}).ok());
}

QTEST_GUILESS_MAIN(TestKeyBrowsing)
#include "tst_keybrowsing.moc"
