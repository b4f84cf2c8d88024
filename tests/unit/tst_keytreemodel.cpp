#include "keys/keytreemodel.h"
#include "keys/naturalorder.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using bd::models::KeyTreeModel;

namespace {

QModelIndex childNamed(const KeyTreeModel &model, const QModelIndex &parent,
                       const QByteArray &keyOrPrefix)
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (i.data(KeyTreeModel::KeyRole).toByteArray() == keyOrPrefix)
            return i;
    }
    return {};
}

} // namespace

class TestKeyTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void buildsANamespaceTree();
    void staysConsistentUnder100kIncrementalKeys();
    void insertsABatchWithOneSignalPerFolder();
    void streamsKeysInTimeBoxedChunksAndThrottlesCounts();
    void filtersLocallyAndKeepsTheRestAside();
    void localFilterFollowsLiveChangesAndRescans();
    void flatListAndSeparatorChange();
    void binaryKeysStayExact();
    void factsAndTtlCountdown();
    void sortsNaturallyOffTheGuiThread();
    void appliesLiveChanges();
    void sortsByFacts();
    void factsArrivingDuringASortWaitForIt();
    void liveChangesWaitForQueuedKeys();
    void naturalOrder_data();
    void naturalOrder();
    void formatsTtl_data();
    void formatsTtl();
};

void TestKeyTreeModel::buildsANamespaceTree()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendKeys({"user:1", "user:2", "user:1:profile", "config", "a::b"});
    QCOMPARE(model.rowCount(), 0); // nothing before the flush
    model.flush();
    QCOMPARE(model.keyCount(), 5);
    const QModelIndex user = childNamed(model, {}, "user:");
    QVERIFY(user.isValid());
    QCOMPARE(user.data(KeyTreeModel::KeyCountRole).toLongLong(), 3);
    QCOMPARE(user.data().toString(), QStringLiteral("user  (3)"));
    QVERIFY(childNamed(model, user, "user:1").isValid());
    const QModelIndex one = childNamed(model, user, "user:1:");
    QVERIFY(one.isValid());
    QVERIFY(childNamed(model, one, "user:1:profile").isValid());
    QVERIFY(childNamed(model, {}, "config").isValid());
    const QModelIndex a = childNamed(model, {}, "a:");
    QVERIFY(childNamed(model, a, "a::").isValid()); // an empty segment is a folder too
    // Folders come before keys in each folder.
    QVERIFY(model.index(0, 0, user).data(KeyTreeModel::IsFolderRole).toBool());
}

// Walks the whole tree checking what QAbstractItemModelTester checks structurally (each
// child's parent is its parent, rows and counts add up), in O(rows): cheap enough to run after
// every batch of a large scan. Returns the number of keys found.
qint64 checkedWalk(const KeyTreeModel &model, const QModelIndex &parent)
{
    qint64 keys = 0;
    const int rows = model.rowCount(parent);
    for (int r = 0; r < rows; ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (i.parent() != parent || i.row() != r)
            return -1;
        if (i.data(KeyTreeModel::IsFolderRole).toBool()) {
            const qint64 below = checkedWalk(model, i);
            if (below != i.data(KeyTreeModel::KeyCountRole).toLongLong())
                return -1;
            keys += below;
        } else {
            if (model.rowCount(i) != 0)
                return -1;
            ++keys;
        }
    }
    return keys;
}

// Every key row of the model, as the bytes it holds.
QList<QByteArray> shownKeys(const KeyTreeModel &model, const QModelIndex &parent = {})
{
    QList<QByteArray> keys;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (i.data(KeyTreeModel::IsFolderRole).toBool())
            keys += shownKeys(model, i);
        else
            keys << i.data(KeyTreeModel::KeyRole).toByteArray();
    }
    return keys;
}

bool settled(const KeyTreeModel &model)
{
    return QTest::qWaitFor(
        [&] { return !model.isFiltering() && !model.isSorting() && model.queuedCount() == 0; },
        10000);
}

QByteArray scanOrderKey(int i, int total, int namespaces, int depth2)
{
    // Keys land in folders old and new, in hashed order as SCAN returns them.
    const int n = int((quint64(i) * 2654435761u) % quint64(total));
    if (n % 11 == 0)
        return "flat" + QByteArray::number(n);
    QByteArray key = "ns" + QByteArray::number(n % namespaces) + ":";
    if (depth2 > 0)
        key += QByteArray::number(n % depth2) + ":";
    return key + QByteArray::number(n);
}

void TestKeyTreeModel::staysConsistentUnder100kIncrementalKeys()
{
    constexpr int kKeys = 100'000;
    {
        // QAbstractItemModelTester re-checks the whole model on every signal, so here the
        // 100k keys come in 20 batches over 10 namespaces, with a new namespace (a folder
        // announced with its contents) in every batch.
        KeyTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<QByteArray> batch;
        for (int i = 0; i < kKeys; ++i) {
            batch << scanOrderKey(i, kKeys, 10, 0);
            if (batch.size() == kKeys / 20) {
                batch << "late" + QByteArray::number(i) + ":a:1"
                      << "late" + QByteArray::number(i) + ":b";
                model.appendKeys(batch);
                model.flush();
                batch.clear();
            }
        }
        QCOMPARE(model.keyCount(), qint64(kKeys + 40));
        QCOMPARE(checkedWalk(model, {}), qint64(kKeys + 40));
    }
    {
        // Scan-sized batches over 300 × 7 folders, checked after every batch.
        KeyTreeModel model;
        QList<QByteArray> batch;
        for (int i = 0; i < kKeys; ++i) {
            batch << scanOrderKey(i, kKeys, 300, 7);
            if (batch.size() == 1000) {
                model.appendKeys(batch);
                model.flush();
                batch.clear();
                if (i % 10'000 == 9'999)
                    QCOMPARE(checkedWalk(model, {}), qint64(i + 1));
            }
        }
        QCOMPARE(model.keyCount(), qint64(kKeys));
        QCOMPARE(checkedWalk(model, {}), qint64(kKeys));
        QCOMPARE(model.folderCount(), 300 + 300 * 7);
        // And the tester, on the finished 100k-key tree (it checks everything on attach).
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
}

void TestKeyTreeModel::insertsABatchWithOneSignalPerFolder()
{
    KeyTreeModel model;
    model.appendKeys({"q:1"});
    model.flush();
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QList<QByteArray> batch;
    for (int i = 2; i < 1002; ++i)
        batch << "q:" + QByteArray::number(i); // 1000 keys into one known folder
    batch << "new:1"
          << "new:2"
          << "new:deep:1"; // one new folder, with contents
    model.appendKeys(batch);
    model.flush();
    QCOMPARE(inserted.count(), 2); // the 1000 keys in one go, the new folder in another
}

void TestKeyTreeModel::streamsKeysInTimeBoxedChunksAndThrottlesCounts()
{
    // Keys as a scan delivers them, pages of 1000, inserted by the model's own timer in
    // time-boxed chunks. Folder counts are announced at most five times a second and once at
    // the end: a view walks every row of a changed span, so one announcement per chunk cost a
    // scan of a million keys a third of its time.
    const auto stream = [](KeyTreeModel &model, int keys) {
        QList<QByteArray> page;
        for (int i = 0; i < keys; ++i) {
            page << scanOrderKey(i, keys, 30, 3);
            if (page.size() == 1000) {
                model.appendKeys(page);
                page.clear();
            }
        }
        return QTest::qWaitFor([&] { return model.queuedCount() == 0; }, 60000);
    };
    const auto countUnder = [](int keys, const QByteArray &prefix) {
        qint64 n = 0;
        for (int i = 0; i < keys; ++i)
            n += scanOrderKey(i, keys, 30, 3).startsWith(prefix) ? 1 : 0;
        return n;
    };
    {
        // Under the tester (slow: it re-checks on every signal), so fewer keys.
        constexpr int kKeys = 20'000;
        KeyTreeModel model;
        model.appendKeys({"ns0:0:first"});
        model.flush();
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(stream(model, kKeys));
        QCOMPARE(model.keyCount(), qint64(kKeys + 1));
        QCOMPARE(checkedWalk(model, {}), qint64(kKeys + 1));
    }
    constexpr int kKeys = 200'000;
    KeyTreeModel model;
    model.appendKeys({"ns0:0:first"});
    model.flush(); // ns0 is known to the views, so its count changes are announced
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(stream(model, kKeys));
    const qint64 elapsedMs = clock.elapsed();
    QCOMPARE(model.keyCount(), qint64(kKeys + 1));
    QCOMPARE(checkedWalk(model, {}), qint64(kKeys + 1));
    // Announcements (each one dataChanged of the root's rows, then one per parent below):
    // at most one per 200 ms, plus the one when the queue drained.
    int rootAnnouncements = 0;
    for (const QList<QVariant> &args : changed)
        rootAnnouncements += args.at(0).value<QModelIndex>().parent().isValid() ? 0 : 1;
    qInfo("%d keys in %lld ms, %d count announcements", kKeys, elapsedMs, rootAnnouncements);
    QVERIFY(rootAnnouncements >= 1);
    QVERIFY2(rootAnnouncements <= elapsedMs / 200 + 2,
             qPrintable(QString::number(rootAnnouncements)));
    // The last ones announced ns0's final count (its row is in the root's span).
    const QModelIndex ns0 = childNamed(model, {}, "ns0:");
    QVERIFY(ns0.isValid());
    QCOMPARE(ns0.data(KeyTreeModel::KeyCountRole).toLongLong(), countUnder(kKeys, "ns0:") + 1);
    bool announced = false;
    for (const QList<QVariant> &args : changed) {
        const auto from = args.at(0).value<QModelIndex>();
        const auto to = args.at(1).value<QModelIndex>();
        announced =
            announced
            || (!from.parent().isValid() && from.row() <= ns0.row() && ns0.row() <= to.row());
    }
    QVERIFY(announced);
}

void TestKeyTreeModel::filtersLocallyAndKeepsTheRestAside()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<QByteArray> keys;
    for (int i = 0; i < 100; ++i)
        keys << "user:" + QByteArray::number(i);
    for (int i = 0; i < 50; ++i)
        keys << "shift:" + QByteArray::number(i);
    keys << "superuser" << QByteArray("bin:\xffuser\x00", 12);
    model.appendKeys(keys);
    model.flush();
    QSignalSpy applied(&model, &KeyTreeModel::localFilterApplied);
    model.setLocalFilter("user");
    QVERIFY(settled(model));
    QCOMPARE(applied.count(), 1);
    QList<QByteArray> shown = shownKeys(model);
    QCOMPARE(shown.size(), 102);
    for (const QByteArray &key : shown)
        QVERIFY2(key.contains("user"), key.constData());
    QVERIFY(shown.contains(QByteArray("bin:\xffuser\x00", 12))); // binary keys match as bytes
    QCOMPARE(model.keyCount(), qint64(102));
    QCOMPARE(model.filteredOutCount(), qint64(50));
    // Case-sensitive, as SCAN MATCH is.
    model.setLocalFilter("USER");
    QVERIFY(settled(model));
    QCOMPARE(model.keyCount(), qint64(0));
    QCOMPARE(model.filteredOutCount(), qint64(152));
    // Keys that arrive while filtered go through the filter; several changes in a row end on
    // the last one.
    model.setLocalFilter("shift:1");
    model.appendKeys({"shift:1000", "user:1000"});
    model.setLocalFilter("shift:");
    model.appendKeys({"shift:2000"});
    QVERIFY(settled(model));
    shown = shownKeys(model);
    QCOMPARE(shown.size(), 52);
    QVERIFY(shown.contains("shift:1000") && shown.contains("shift:2000"));
    // Emptied: every key is back, once, in natural order inside each folder.
    model.setLocalFilter({});
    QVERIFY(settled(model));
    shown = shownKeys(model);
    QCOMPARE(shown.size(), 155);
    QCOMPARE(QSet<QByteArray>(shown.begin(), shown.end()).size(), 155);
    QCOMPARE(model.filteredOutCount(), qint64(0));
    const QModelIndex user = childNamed(model, {}, "user:");
    QCOMPARE(model.index(0, 0, user).data(KeyTreeModel::KeyRole).toByteArray(),
             QByteArray("user:0"));
    QCOMPARE(model.index(2, 0, user).data(KeyTreeModel::KeyRole).toByteArray(),
             QByteArray("user:2"));
}

void TestKeyTreeModel::localFilterFollowsLiveChangesAndRescans()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendKeys({"user:1", "user:2", "shift:1", "shift:2"});
    model.flush();
    model.setLocalFilter("user");
    QVERIFY(settled(model));
    // Live: a new shown key goes in; a new hidden one and a touched hidden one go aside; a
    // deleted hidden one is forgotten.
    QVERIFY(model.applyKeyChanges({"user:3", "shift:3", "shift:2"}, {}, {"shift:1"}));
    QCOMPARE(model.keyCount(), qint64(3));
    QCOMPARE(model.filteredOutCount(), qint64(2)); // shift:2, shift:3
    // A cache key set again and again while it is filtered out is held once: the keys aside
    // never grow past the keys there are.
    for (int i = 0; i < 100; ++i)
        QVERIFY(model.applyKeyChanges({"shift:2"}, {}, {}));
    QCOMPARE(model.filteredOutCount(), qint64(2));
    model.setLocalFilter({});
    QVERIFY(settled(model));
    QList<QByteArray> shown = shownKeys(model);
    std::sort(shown.begin(), shown.end());
    QCOMPARE(shown, (QList<QByteArray>{"shift:2", "shift:3", "user:1", "user:2", "user:3"}));
    // A new scan (clear) drops what was aside too; the filter stays for the keys that come.
    model.setLocalFilter("shift");
    QVERIFY(settled(model));
    model.clear();
    QCOMPARE(model.filteredOutCount(), qint64(0));
    model.appendKeys({"user:9", "shift:9"});
    model.flush();
    QCOMPARE(shownKeys(model), QList<QByteArray>{"shift:9"});
    QCOMPARE(model.filteredOutCount(), qint64(1));
    // Cleared while the filter is being computed: nothing of before comes back.
    model.setLocalFilter("9");
    model.clear();
    model.appendKeys({"user:10", "user:19"});
    QVERIFY(settled(model));
    QCOMPARE(shownKeys(model), QList<QByteArray>{"user:19"});
    QCOMPARE(model.filteredOutCount(), qint64(1));
}

void TestKeyTreeModel::flatListAndSeparatorChange()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendKeys({"a:b:c", "a:b:d", "a/x", "z"});
    model.flush();
    QCOMPARE(model.rowCount(), 3); // a:, a/x, z
    model.setSeparator({});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.keyCount(), 4);
    model.setSeparator("/");
    QCOMPARE(model.rowCount(), 4); // a/ folder, a:b:c, a:b:d, z
    QVERIFY(childNamed(model, {}, "a/").isValid());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.keyCount(), 0);
}

void TestKeyTreeModel::binaryKeysStayExact()
{
    KeyTreeModel model;
    const QByteArray binary("bin:\xff\x00k", 7);
    model.appendKeys({binary, "utf:Иван"});
    model.flush();
    const QModelIndex bin = childNamed(model, {}, "bin:");
    const QModelIndex key = model.index(0, 0, bin);
    QCOMPARE(key.data(KeyTreeModel::KeyRole).toByteArray(), binary);
    QCOMPARE(key.data().toString(), QStringLiteral("bin:\\xff\\x00k"));
    const QModelIndex utf = model.index(0, 0, childNamed(model, {}, "utf:"));
    QCOMPARE(utf.data().toString(), QStringLiteral("utf:Иван"));
}

void TestKeyTreeModel::factsAndTtlCountdown()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendKeys({"user:1", "user:2", "user:3"});
    model.flush();
    const QModelIndex user = childNamed(model, {}, "user:");
    const QPersistentModelIndex one = childNamed(model, user, "user:1");
    QCOMPARE(one.data(KeyTreeModel::FactsStateRole).toInt(),
             int(KeyTreeModel::FactsState::Missing));
    model.markPending(one);
    QCOMPARE(one.data(KeyTreeModel::FactsStateRole).toInt(),
             int(KeyTreeModel::FactsState::Pending));
    // Rows inserted meanwhile do not confuse a persistent index.
    model.appendKeys({"user:0:sub", "user:4"});
    model.flush();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setFacts(one, {"hash", 900'000, 1234});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(one.row(), KeyTreeModel::TypeColumn, one.parent()).data().toString(),
             QStringLiteral("hash"));
    const QString ttl =
        model.index(one.row(), KeyTreeModel::TtlColumn, one.parent()).data().toString();
    QVERIFY2(ttl == QLatin1String("15m 00s") || ttl == QLatin1String("14m 59s"), qPrintable(ttl));
    const qint64 expires = one.data(KeyTreeModel::ExpiresAtRole).toLongLong();
    QVERIFY(qAbs(expires - (QDateTime::currentMSecsSinceEpoch() + 900'000)) < 2000);
    QVERIFY(!model.index(one.row(), KeyTreeModel::MemoryColumn, one.parent())
                 .data()
                 .toString()
                 .isEmpty());

    const QPersistentModelIndex two = childNamed(model, user, "user:2");
    model.setFacts(two, {"string", -1, -1});
    QCOMPARE(model.index(two.row(), KeyTreeModel::TtlColumn, two.parent()).data().toString(),
             QStringLiteral("no TTL"));
    model.setFacts(two, {"none", -2, -1});
    QCOMPARE(model.index(two.row(), KeyTreeModel::TtlColumn, two.parent()).data().toString(),
             QStringLiteral("gone"));
}

void TestKeyTreeModel::sortsNaturallyOffTheGuiThread()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendKeys({"user:10", "user:9", "zeta", "user:100", "Alpha", "user:1", "beta:x",
                      "user:sub:2", "user:sub:1"});
    model.flush();
    const QPersistentModelIndex user = childNamed(model, {}, "user:");
    const QPersistentModelIndex nine = childNamed(model, user, "user:9");
    model.markPending(nine); // some state that must follow the row
    QSignalSpy sorted(&model, &KeyTreeModel::sorted);
    model.sort();
    QVERIFY(sorted.wait(5000));
    QStringList top;
    for (int r = 0; r < model.rowCount(); ++r)
        top << model.index(r, 0).data(KeyTreeModel::KeyRole).toString();
    QCOMPARE(top, QStringList({QStringLiteral("beta:"), QStringLiteral("user:"),
                               QStringLiteral("Alpha"), QStringLiteral("zeta")}));
    QStringList users;
    for (int r = 0; r < model.rowCount(user); ++r)
        users << model.index(r, 0, user).data(KeyTreeModel::KeyRole).toString();
    QCOMPARE(users, QStringList({QStringLiteral("user:sub:"), QStringLiteral("user:1"),
                                 QStringLiteral("user:9"), QStringLiteral("user:10"),
                                 QStringLiteral("user:100")}));
    // Persistent indexes (expanded folders, selection, pending facts) followed their rows.
    QCOMPARE(nine.data(KeyTreeModel::KeyRole).toByteArray(), QByteArray("user:9"));
    QCOMPARE(nine.data(KeyTreeModel::FactsStateRole).toInt(),
             int(KeyTreeModel::FactsState::Pending));
    QCOMPARE(user.data(KeyTreeModel::KeyRole).toByteArray(), QByteArray("user:"));

    // Keys arriving while a sort runs wait for it, then are inserted and sorted in.
    model.sort();
    model.appendKeys({"user:2"});
    model.flush(); // the tree is being read: nothing changes under the sort
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(model.keyCount(), 10);
    QCOMPARE(model.index(2, 0, user).data(KeyTreeModel::KeyRole).toByteArray(),
             QByteArray("user:2"));

    // A reset while a sort runs: the old tree stays alive for the task, the result is dropped.
    model.sort();
    model.clear();
    model.appendKeys({"b", "a"});
    model.flush();
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(model.keyCount(), 2);
}

void TestKeyTreeModel::appliesLiveChanges()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<QByteArray> keys;
    for (int i = 0; i < 500; ++i)
        keys << "user:" + QByteArray::number(i);
    keys << "session:a"
         << "session:b"
         << "lonely:x:y"
         << "config";
    model.appendKeys(keys);
    model.flush();
    const QModelIndex config = childNamed(model, {}, "config");
    model.setFacts(config, {"string", -1, 10});
    QCOMPARE(config.data(KeyTreeModel::FactsStateRole).toInt(),
             int(KeyTreeModel::FactsState::Loaded));

    // Many lookups in one big folder (hashed), a few in small ones (linear), new folders, and
    // removals that empty whole folders.
    QList<QByteArray> touched{"config", "user:7", "user:new", "fresh:1:2"};
    QList<QByteArray> removed{"session:a", "session:b", "lonely:x:y", "missing:key"};
    for (int i = 100; i < 200; ++i)
        removed << "user:" + QByteArray::number(i);
    QVERIFY(model.applyKeyChanges(touched, {"user:8", "nowhere:1"}, removed));
    QCOMPARE(model.keyCount(), 504 - 103 + 2);
    QVERIFY(!childNamed(model, {}, "session:").isValid()); // emptied: gone
    QVERIFY(!childNamed(model, {}, "lonely:").isValid());
    QVERIFY(model.indexOfKey("fresh:1:2").isValid());
    QVERIFY(model.indexOfKey("user:new").isValid());
    QVERIFY(!model.indexOfKey("nowhere:1").isValid()); // changed-only keys are never inserted
    QVERIFY(!model.indexOfKey("user:150").isValid());
    QVERIFY(model.indexOfKey("user:99").isValid());
    QVERIFY(model.indexOfKey("user:200").isValid());
    QCOMPARE(childNamed(model, {}, "user:").data(KeyTreeModel::KeyCountRole).toLongLong(),
             500 - 100 + 1);
    // A touched key that was loaded is asked again.
    QCOMPARE(model.indexOfKey("config").data(KeyTreeModel::FactsStateRole).toInt(),
             int(KeyTreeModel::FactsState::Missing));
    // Applying the same changes again changes nothing.
    QVERIFY(model.applyKeyChanges(touched, {}, removed));
    QCOMPARE(model.keyCount(), 504 - 103 + 2);

    // Scattered removals (every third key, runs of one and of neighbours) in one batch: the
    // survivors keep their order, the rows match, and the tester checks every signal.
    const QModelIndex user = childNamed(model, {}, "user:");
    QList<QByteArray> before;
    for (int r = 0; r < model.rowCount(user); ++r)
        before << model.index(r, 0, user).data(KeyTreeModel::KeyRole).toByteArray();
    QList<QByteArray> scattered;
    QList<QByteArray> survivors;
    for (qsizetype i = 0; i < before.size(); ++i)
        (i % 3 == 0 || i == 1 || i == 2 || i == before.size() - 1 ? scattered : survivors)
            << before[i];
    QVERIFY(model.applyKeyChanges({}, {}, scattered));
    QList<QByteArray> after;
    for (int r = 0; r < model.rowCount(user); ++r)
        after << model.index(r, 0, user).data(KeyTreeModel::KeyRole).toByteArray();
    QCOMPARE(after, survivors);
    QCOMPARE(user.data(KeyTreeModel::KeyCountRole).toLongLong(), qint64(survivors.size()));
}

void TestKeyTreeModel::sortsByFacts()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendKeys({"k:a", "k:b", "k:c", "k:d", "k:e", "k:sub:x"});
    model.flush();
    const QModelIndex folder = childNamed(model, {}, "k:");
    // a: 10 s, b: no TTL, c: 5 s, d: unknown (facts not loaded), e: 5 s; read as one batch.
    const qint64 readAt = QDateTime::currentMSecsSinceEpoch();
    model.setFacts(childNamed(model, folder, "k:a"), {"string", 10000, 300, readAt});
    model.setFacts(childNamed(model, folder, "k:b"), {"hash", -1, 100, readAt});
    model.setFacts(childNamed(model, folder, "k:c"), {"zset", 5000, 200, readAt});
    QThread::msleep(5); // set later, read at the same moment: still a tie
    model.setFacts(childNamed(model, folder, "k:e"), {"list", 5000, -1, readAt});
    const auto order = [&] {
        QStringList keys;
        for (int r = 0; r < model.rowCount(folder); ++r)
            keys << QString::fromLatin1(
                model.index(r, 0, folder).data(KeyTreeModel::KeyRole).toByteArray());
        return keys.join(QLatin1Char(' '));
    };
    QSignalSpy sorted(&model, &KeyTreeModel::sorted);
    model.sortBy(KeyTreeModel::TtlColumn, Qt::AscendingOrder);
    QTRY_COMPARE(sorted.size(), 1);
    // The folder first; ties by name; no TTL after every TTL; unknown last.
    QCOMPARE(order(), QStringLiteral("k:sub: k:c k:e k:a k:b k:d"));
    model.sortBy(KeyTreeModel::TtlColumn, Qt::DescendingOrder);
    QTRY_COMPARE(sorted.size(), 2);
    QCOMPARE(order(), QStringLiteral("k:sub: k:b k:a k:c k:e k:d"));
    model.sortBy(KeyTreeModel::MemoryColumn, Qt::AscendingOrder);
    QTRY_COMPARE(sorted.size(), 3);
    QCOMPARE(order(), QStringLiteral("k:sub: k:b k:c k:a k:d k:e"));
    model.sortBy(KeyTreeModel::TypeColumn, Qt::AscendingOrder);
    QTRY_COMPARE(sorted.size(), 4);
    QCOMPARE(order(),
             QStringLiteral("k:sub: k:b k:e k:a k:c k:d")); // hash list string zset, unknown
    model.sortBy(KeyTreeModel::NameColumn, Qt::DescendingOrder);
    QTRY_COMPARE(sorted.size(), 5);
    QCOMPARE(order(), QStringLiteral("k:sub: k:e k:d k:c k:b k:a"));
}

void TestKeyTreeModel::factsArrivingDuringASortWaitForIt()
{
    // The sort task reads the keys' facts on a pool thread (no copy of a million of them on the
    // GUI thread first): facts read meanwhile wait, then land on their rows wherever they moved.
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<QByteArray> keys;
    for (int i = 0; i < 20000; ++i)
        keys << "t:" + QByteArray::number(i);
    model.appendKeys(keys);
    model.flush();
    const QModelIndex folder = childNamed(model, {}, "t:");
    const qint64 readAt = QDateTime::currentMSecsSinceEpoch();
    model.setFacts(childNamed(model, folder, "t:1"), {"string", 10000, 1, readAt});
    model.setFacts(childNamed(model, folder, "t:2"), {"string", 20000, 1, readAt});
    QSignalSpy sorted(&model, &KeyTreeModel::sorted);
    model.sortBy(KeyTreeModel::TtlColumn, Qt::DescendingOrder);
    QVERIFY(model.isSorting());
    // Arrives while the task runs: not applied yet, so the task never sees it change.
    model.setFacts(childNamed(model, folder, "t:3"), {"hash", 90000, 1, readAt});
    model.removeKey(childNamed(model, folder, "t:4"));
    QCOMPARE(childNamed(model, folder, "t:3").data(KeyTreeModel::FactsStateRole).toInt(),
             int(KeyTreeModel::FactsState::Missing));
    QTRY_COMPARE(sorted.size(), 1);
    // Sorted by what was known when it started: t:2, t:1, then the unknown by name.
    QCOMPARE(model.index(0, 0, folder).data(KeyTreeModel::KeyRole).toByteArray(),
             QByteArray("t:2"));
    QCOMPARE(model.index(1, 0, folder).data(KeyTreeModel::KeyRole).toByteArray(),
             QByteArray("t:1"));
    // Then applied, on the rows the keys moved to.
    const QModelIndex third = childNamed(model, folder, "t:3");
    QCOMPARE(third.data(KeyTreeModel::FactsStateRole).toInt(),
             int(KeyTreeModel::FactsState::Loaded));
    QCOMPARE(third.siblingAtColumn(KeyTreeModel::TypeColumn).data().toString(),
             QStringLiteral("hash"));
    QCOMPARE(third.data(KeyTreeModel::ExpiresAtRole).toLongLong(), readAt + 90000);
    QCOMPARE(childNamed(model, folder, "t:4").data(KeyTreeModel::ExpiresAtRole).toLongLong(),
             KeyTreeModel::kGone);
    // The next sort uses them.
    model.sortBy(KeyTreeModel::TtlColumn, Qt::DescendingOrder);
    QTRY_COMPARE(sorted.size(), 2);
    QCOMPARE(model.index(0, 0, folder).data(KeyTreeModel::KeyRole).toByteArray(),
             QByteArray("t:3"));
}

void TestKeyTreeModel::liveChangesWaitForQueuedKeys()
{
    KeyTreeModel model;
    model.appendKeys({"a:1"});
    // A key still queued from a scan must not be inserted twice: the model says "later".
    QVERIFY(!model.applyKeyChanges({"a:1"}, {}, {}));
    model.flush();
    QVERIFY(model.applyKeyChanges({"a:1"}, {}, {}));
    QCOMPARE(model.keyCount(), 1);
}

void TestKeyTreeModel::naturalOrder_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<int>("sign");
    QTest::newRow("numbers") << QByteArray("user:9") << QByteArray("user:10") << -1;
    QTest::newRow("long numbers") << QByteArray("id:99999999999999999999")
                                  << QByteArray("id:100000000000000000000") << -1;
    QTest::newRow("leading zeros tie") << QByteArray("a7") << QByteArray("a007") << -1;
    QTest::newRow("case folded") << QByteArray("alpha") << QByteArray("Beta") << -1;
    QTest::newRow("case tie") << QByteArray("Alpha") << QByteArray("alpha") << -1;
    QTest::newRow("prefix first") << QByteArray("user") << QByteArray("user:1") << -1;
    QTest::newRow("equal") << QByteArray("k:1") << QByteArray("k:1") << 0;
    QTest::newRow("binary") << QByteArray("\x01") << QByteArray("\xff") << -1;
}

void TestKeyTreeModel::naturalOrder()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(int, sign);
    QCOMPARE(bd::models::naturalCompare(a, b), sign);
    QCOMPARE(bd::models::naturalCompare(b, a), -sign);
}

void TestKeyTreeModel::formatsTtl_data()
{
    QTest::addColumn<qint64>("leftMs");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << qint64(45'000) << "45s";
    QTest::newRow("rounds up") << qint64(44'001) << "45s";
    QTest::newRow("minutes") << qint64(14 * 60'000 + 32'000) << "14m 32s";
    QTest::newRow("hours") << qint64(3'600'000 + 4 * 60'000) << "1h 04m";
    QTest::newRow("days") << qint64(2 * 86'400'000LL + 3 * 3'600'000) << "2d 03h";
    QTest::newRow("expired") << qint64(-10) << "expired";
}

void TestKeyTreeModel::formatsTtl()
{
    QFETCH(qint64, leftMs);
    QFETCH(QString, text);
    const qint64 now = 1'700'000'000'000;
    QCOMPARE(KeyTreeModel::formatTtl(now + leftMs, now), text);
    QCOMPARE(KeyTreeModel::formatTtl(KeyTreeModel::kNoExpiry, now), QStringLiteral("no TTL"));
    QCOMPARE(KeyTreeModel::formatTtl(KeyTreeModel::kUnknown, now), QString());
}

QTEST_GUILESS_MAIN(TestKeyTreeModel)
#include "tst_keytreemodel.moc"
