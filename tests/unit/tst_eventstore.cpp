// The task event store (SQLite through Qt SQL): what is written is read back after the store
// is closed and opened again, old tasks go by age and count (failed ones kept longer), the
// file is its owner's only, and a store that cannot be opened degrades with the reason.
#include "events/eventstore.h"
#include "eventstorewait.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#endif

using bd::connectors::TaskEventEntry;
using bd::connectors::TaskEventRecord;
using bd::connectors::TaskEventState;
using bd::connectors::WorkerEventRecord;
using bd::store::EventGap;
using bd::store::EventStore;
using bd::store::EventStoreLimits;
using bd::store::StoredTimeline;
using bd::test::loadStored;
using bd::test::openStore;

namespace {

double now()
{
    return QDateTime::currentMSecsSinceEpoch() / 1000.0;
}

TaskEventRecord task(const QString &uuid, TaskEventState state, double seen)
{
    TaskEventRecord t;
    t.uuid = uuid;
    t.name = QStringLiteral("tasks.add");
    t.state = state;
    t.worker = QStringLiteral("w1@vm");
    t.firstSeen = seen;
    t.lastSeen = seen;
    t.received = seen - 0.5;
    t.args = QStringLiteral("(2, 'двa')");
    t.kwargs = QStringLiteral("{}");
    t.runtime = 0.25;
    t.retries = 1;
    if (state == TaskEventState::Failure) {
        t.exception = QStringLiteral("KeyError('x')");
        t.traceback = QStringLiteral("Traceback (most recent call last):\n  …\nKeyError: 'x'");
    }
    return t;
}

TaskEventEntry entry(const QString &type, double timestamp)
{
    TaskEventEntry e;
    e.type = type;
    e.hostname = QStringLiteral("w1@vm");
    e.timestamp = timestamp;
    e.receivedAt = timestamp + 0.01;
    e.clock = qint64(timestamp * 10) % 1000;
    e.detail = type == QLatin1String("task-failed") ? QStringLiteral("KeyError('x')") : QString();
    return e;
}

} // namespace

class TestEventStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { EventStore::setPortableWrites(false); }
    void writtenIsReadBackAfterReopening_data();
    void writtenIsReadBackAfterReopening();
    void packedRecordsRoundTripAndRefuseTruncation();
    void oldTasksGoFailedOnesLater();
    void unusableStoreDegrades();
    void fullDiskDegrades();
    void limitsSavedLoadedAndAppliedAtOnce();
    void olderLayoutLaidOutAgainNewerLeftAlone();
};

void TestEventStore::writtenIsReadBackAfterReopening_data()
{
    QTest::addColumn<bool>("portable");
    // Through SQLite's API on the driver's connection (Linux), and through Qt SQL alone (as
    // builds whose Qt carries its own SQLite write).
    QTest::newRow("direct") << false;
    QTest::newRow("portable") << true;
}

void TestEventStore::writtenIsReadBackAfterReopening()
{
    QFETCH(bool, portable);
    EventStore::setPortableWrites(portable);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("events/profile.sqlite"));
    const double t0 = now() - 60;
    TaskEventRecord a = task(QStringLiteral("a"), TaskEventState::Success, t0);
    a.result = QStringLiteral("5");
    a.history = {entry(QStringLiteral("task-received"), t0),
                 entry(QStringLiteral("task-succeeded"), t0 + 0.3)};
    TaskEventRecord b = task(QStringLiteral("b"), TaskEventState::Failure, t0 + 1);
    b.history = {entry(QStringLiteral("task-failed"), t0 + 1)};
    WorkerEventRecord w;
    w.hostname = QStringLiteral("w1@vm");
    w.freq = 2;
    w.processed = 12;
    w.loadavg = {0.5, 0.25, 0.125};
    w.lastHeartbeat = t0 + 2;
    {
        EventStore store(path, {});
        QVERIFY(openStore(store));
        QSignalSpy written(&store, &EventStore::written);
        store.write(a);
        store.write(b);
        store.write(w);
        // A later record replaces the one before (written once, or twice if the writer was
        // free in between).
        a.runtime = 0.5;
        store.write(a);
        store.recordGap({t0 + 5, t0 + 9});
        QTRY_VERIFY(store.isIdle());
        QVERIFY(store.tasksWritten() >= 2);
        QVERIFY(!written.isEmpty());
        QVERIFY(!store.isDegraded());
    } // closed: what was queued is written first
    QCOMPARE(QFile::permissions(path)
                 & (QFile::ReadOther | QFile::ReadGroup | QFile::WriteOther | QFile::WriteGroup),
             QFile::Permissions());

    EventStore store(path, {});
    QSignalSpy opened(&store, &EventStore::opened);
    QVERIFY(openStore(store));
    QCOMPARE(opened.first().first().toLongLong(), 2);
    const StoredTimeline timeline = loadStored(store, 100);
    QVERIFY2(timeline.problem.isEmpty(), qPrintable(timeline.problem));
    QCOMPARE(int(timeline.tasks.size()), 2);
    QCOMPARE(timeline.tasksStored, 2);
    // Oldest first, as the live state holds them.
    const TaskEventRecord &ra = timeline.tasks[0];
    QCOMPARE(ra.uuid, QStringLiteral("a"));
    QCOMPARE(ra.state, TaskEventState::Success);
    QCOMPARE(ra.result, QStringLiteral("5"));
    QCOMPARE(ra.runtime, 0.5);
    QCOMPARE(ra.args, QStringLiteral("(2, 'двa')"));
    QCOMPARE(int(ra.history.size()), 2);
    QCOMPARE(ra.history[1].type, QStringLiteral("task-succeeded"));
    QCOMPARE(ra.history[1].receivedAt, t0 + 0.31);
    QCOMPARE(ra.history, a.history);
    const TaskEventRecord &rb = timeline.tasks[1];
    QCOMPARE(rb.state, TaskEventState::Failure);
    QCOMPARE(rb.traceback, b.traceback);
    QCOMPARE(int(rb.history.size()), 1);
    QCOMPARE(rb.history.front().detail, QStringLiteral("KeyError('x')"));
    QCOMPARE(timeline.workers.size(), 1);
    QCOMPARE(timeline.workers[0].processed, 12);
    QCOMPARE(timeline.workers[0].loadavg, (QList<double>{0.5, 0.25, 0.125}));
    QCOMPARE(timeline.gaps, (QList<EventGap>{{t0 + 5, t0 + 9}}));
    // A limit reads the newest.
    QCOMPARE(loadStored(store, 1).tasks.front().uuid, QStringLiteral("b"));

    std::vector<TaskEventEntry> history;
    bool done = false;
    store.loadHistory(QStringLiteral("a"), this, [&](const std::vector<TaskEventEntry> &h) {
        history = h;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(int(history.size()), 2);
    QCOMPARE(history[0].type, QStringLiteral("task-received"));
}

void TestEventStore::packedRecordsRoundTripAndRefuseTruncation()
{
    TaskEventRecord t = task(QStringLiteral("a"), TaskEventState::Failure, now());
    t.result = QString(); // null stays empty
    t.signum = QStringLiteral("SIGTERM");
    t.terminated = true;
    t.queue = QStringLiteral("очередь-🚀"); // beyond ASCII and beyond the BMP
    t.history = {entry(QStringLiteral("task-received"), 10),
                 entry(QStringLiteral("task-failed"), 11)};
    const QByteArray packed = EventStore::packRecord(t);
    TaskEventRecord back;
    QVERIFY(EventStore::unpackRecord(packed, &back));
    QCOMPARE(back.queue, t.queue);
    QCOMPARE(back.args, t.args);
    QCOMPARE(back.traceback, t.traceback);
    QCOMPARE(back.history, t.history);
    QVERIFY(back.terminated);
    QVERIFY(!back.expired);
    QCOMPARE(back.signum, t.signum);
    QCOMPARE(back.retries, t.retries);
    QCOMPARE(back.runtime, t.runtime);
    // A record packed into a buffer that held a longer one is the same bytes.
    QByteArray reused(4096, 'x');
    EventStore::packRecord(t, &reused);
    QCOMPARE(reused, packed);
    // Every truncation is refused, none read past the end.
    for (qsizetype n = 0; n < packed.size(); ++n) {
        TaskEventRecord cut;
        QVERIFY2(!EventStore::unpackRecord(packed.first(n), &cut), qPrintable(QString::number(n)));
        QVERIFY(cut.history.empty());
    }
    // A length that claims more than there is.
    QByteArray lying = packed;
    for (int i = 0; i < 4; ++i)
        lying[1 + 5 * 8 + 8 + i] = char(0xff); // the length of args: 4 GB
    QVERIFY(!EventStore::unpackRecord(lying, &back));
}

void TestEventStore::oldTasksGoFailedOnesLater()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("events.sqlite"));
    const double day = 24 * 3600;
    const double t = now();
    {
        EventStore store(path, {});
        QVERIFY(openStore(store));
        for (const TaskEventRecord &r :
             {task(QStringLiteral("old-ok"), TaskEventState::Success, t - 8 * day),
              task(QStringLiteral("old-failed"), TaskEventState::Failure, t - 8 * day),
              task(QStringLiteral("ancient-failed"), TaskEventState::Failure, t - 31 * day),
              task(QStringLiteral("recent1"), TaskEventState::Success, t - 3),
              task(QStringLiteral("recent2"), TaskEventState::Success, t - 2),
              task(QStringLiteral("recent3"), TaskEventState::Started, t - 1)})
            store.write(r);
        QTRY_VERIFY(store.isIdle());
        QCOMPARE(store.tasksWritten(), 6);
    }
    // Reopened with 7 days, 30 for failures, at most 3 tasks: the two out of age go, then
    // the oldest that did not fail.
    EventStoreLimits limits;
    limits.maxTasks = 3;
    EventStore store(path, limits);
    QVERIFY(openStore(store));
    const StoredTimeline timeline = loadStored(store, 100);
    QStringList kept;
    for (const TaskEventRecord &r : timeline.tasks)
        kept << r.uuid;
    QCOMPARE(kept, (QStringList{QStringLiteral("old-failed"), QStringLiteral("recent2"),
                                QStringLiteral("recent3")}));
}

void TestEventStore::unusableStoreDegrades()
{
    QTemporaryDir dir;
    // Not a database: a file that holds something else.
    const QString garbage = dir.filePath(QStringLiteral("garbage.sqlite"));
    QFile file(garbage);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    EventStore broken(garbage, {});
    QSignalSpy problem(&broken, &EventStore::problem);
    QVERIFY(!openStore(broken));
    QVERIFY(broken.isDegraded());
    QVERIFY2(broken.problemText().contains(garbage), qPrintable(broken.problemText()));
    broken.write(task(QStringLiteral("x"), TaskEventState::Success, now()));
    QVERIFY(broken.isIdle()); // nothing is kept for a store that cannot take it
    QCOMPARE(loadStored(broken, 10).tasks.size(), size_t(0));
    QCOMPARE(problem.size(), 1); // said once

    // A folder that cannot be made (a file stands where it would go).
    EventStore nowhere(garbage + QStringLiteral("/events/p.sqlite"), {});
    QVERIFY(!openStore(nowhere));
    QVERIFY(nowhere.problemText().contains(QLatin1String("folder")));
}

void TestEventStore::fullDiskDegrades()
{
#ifdef Q_OS_LINUX
    // The disk fills while events come: this process may not write files past 512 KiB (as a
    // full disk refuses the next block; SIGXFSZ ignored, writes fail with EFBIG).
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("full.sqlite"));
    EventStore store(path, {});
    QVERIFY(openStore(store));
    QSignalSpy problem(&store, &EventStore::problem);
    rlimit before{};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &before), 0);
    const auto previous = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = before;
    small.rlim_cur = 512 * 1024;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
    auto restore = qScopeGuard([&] {
        setrlimit(RLIMIT_FSIZE, &before);
        std::signal(SIGXFSZ, previous);
    });
    const double t0 = now();
    for (int batch = 0; batch < 40 && problem.isEmpty(); ++batch) {
        std::vector<TaskEventRecord> tasks;
        for (int i = 0; i < 100; ++i) {
            TaskEventRecord t = task(QStringLiteral("t%1-%2").arg(batch).arg(i),
                                     TaskEventState::Failure, t0 + batch);
            t.traceback = QString(2000, QLatin1Char('x'));
            tasks.push_back(std::move(t));
        }
        store.write(std::move(tasks), {});
        QTRY_VERIFY_WITH_TIMEOUT(store.isIdle(), 10000);
    }
    QCOMPARE(problem.size(), 1);
    QVERIFY(store.isDegraded());
    // "cannot write <path>: disk I/O error …" (a disk that is full: "database or disk is full")
    QVERIFY2(store.problemText().contains(path)
                 && store.problemText().contains(QLatin1String("cannot write")),
             qPrintable(store.problemText()));
    // Nothing more is taken, nothing crashes; what was written before the disk filled is there.
    store.write(task(QStringLiteral("after"), TaskEventState::Success, t0));
    QVERIFY(store.isIdle());
    restore.dismiss();
    setrlimit(RLIMIT_FSIZE, &before);
    std::signal(SIGXFSZ, previous);
    EventStore reopened(path, {});
    QVERIFY(openStore(reopened));
    const StoredTimeline back = loadStored(reopened, 100000);
    QVERIFY2(back.problem.isEmpty(), qPrintable(back.problem));
    QVERIFY(!back.tasks.empty());
    QVERIFY(back.tasks.size() < 4000);
#else
    QSKIP("file size limits are set with setrlimit (Linux)");
#endif
}

void TestEventStore::limitsSavedLoadedAndAppliedAtOnce()
{
    QTemporaryDir dir;
    const QString settings = dir.filePath(QStringLiteral("settings.json"));
    // A file the operator wrote, with something else in it; values out of range are ignored.
    QFile file(settings);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"language": "ru", "event_store": {"max_age_days": 3, "max_tasks": -5}})");
    file.close();
    EventStoreLimits limits = EventStoreLimits::load(settings);
    QCOMPARE(limits.maxAgeDays, 3.0);
    QCOMPARE(limits.maxTasks, EventStoreLimits{}.maxTasks);
    QCOMPARE(limits.failedAgeDays, 30.0);
    QCOMPARE(EventStoreLimits::load(dir.filePath(QStringLiteral("none.json"))), EventStoreLimits{});
    limits.maxTasks = 5000;
    QVERIFY(limits.save(settings));
    QCOMPARE(EventStoreLimits::load(settings), limits);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("\"language\": \"ru\"")); // kept
    file.close();

    // Tightened while open: the oldest go now, not at the next clean-up.
    EventStore store(dir.filePath(QStringLiteral("events.sqlite")), {});
    QVERIFY(openStore(store));
    const double t = now();
    for (int i = 0; i < 1500; ++i)
        store.write(task(QStringLiteral("t%1").arg(i), TaskEventState::Success, t - 1500 + i));
    QTRY_VERIFY(store.isIdle());
    EventStoreLimits tight;
    tight.maxTasks = 1000;
    store.setLimits(tight);
    const StoredTimeline timeline = loadStored(store, 5000);
    QCOMPARE(timeline.tasksStored, 1000);
    QCOMPARE(timeline.tasks.front().uuid, QStringLiteral("t500"));
}

void TestEventStore::olderLayoutLaidOutAgainNewerLeftAlone()
{
    QTemporaryDir dir;
    const auto makeFile = [&](const QString &name, int schema) {
        const QString path = dir.filePath(name);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            db.open();
            QSqlQuery q(db);
            q.exec(QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)"));
            q.exec(QStringLiteral("INSERT INTO meta VALUES ('schema', '%1')").arg(schema));
            q.exec(QStringLiteral("CREATE TABLE tasks (uuid TEXT PRIMARY KEY, name TEXT, "
                                  "history BLOB)"));
            q.exec(QStringLiteral("INSERT INTO tasks VALUES ('old', 'x', NULL)"));
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return path;
    };
    // Schema 1 (a column per field): laid out again, then written and read as usual.
    EventStore older(makeFile(QStringLiteral("v1.sqlite"), 1), {});
    QVERIFY2(openStore(older), qPrintable(older.problemText()));
    older.write(task(QStringLiteral("new"), TaskEventState::Success, now()));
    QTRY_VERIFY(older.isIdle());
    const StoredTimeline timeline = loadStored(older, 10);
    QCOMPARE(int(timeline.tasks.size()), 1);
    QCOMPARE(timeline.tasks.front().uuid, QStringLiteral("new"));
    // Written by a newer Brokerdesk: left alone, said.
    EventStore newer(makeFile(QStringLiteral("v99.sqlite"), 99), {});
    QVERIFY(!openStore(newer));
    QVERIFY2(newer.problemText().contains(QLatin1String("newer")), qPrintable(newer.problemText()));
}

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"
