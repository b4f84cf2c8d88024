#include "eventstore.h"

#include "codec/untrustedjson.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSaveFile>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStringEncoder>
#include <QtEndian>
#include <QThread>
#include <QUuid>

#include <nlohmann/json.hpp>

#if defined(BROKERDESK_SQLITE_DIRECT)
#include <sqlite3.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <memory>

namespace bd::store {

using connectors::TaskEventEntry;
using connectors::TaskEventRecord;
using connectors::TaskEventState;
using connectors::WorkerEventRecord;

namespace {

// 1: a column per field; 2: records packed by QDataStream; 3: an index on first_seen
constexpr int kSchemaVersion = 4;
constexpr int kRecordVersion = 2; // of a packed record (EventStore::packRecord); 1: QDataStream
constexpr qint64 kRetentionIntervalMs = 5 * 60 * 1000; // old tasks are looked for this often
constexpr double kDay = 24 * 3600;
constexpr int kMaxGapsRead = 1000;

// The tasks table's columns, in the order bindTask() binds them: what retention and queries
// look at, then the whole record packed (EventStore::packRecord).
const char *const kTaskColumns[] = {"uuid",       "name",      "state", "worker",
                                    "first_seen", "last_seen", "record"};
constexpr int kTaskColumnCount = int(std::size(kTaskColumns));

std::atomic<bool> g_portableWrites{false};

QString taskColumnList()
{
    QStringList names;
    for (const char *c : kTaskColumns)
        names << QLatin1String(c);
    return names.join(QLatin1String(", "));
}

void bindTask(QSqlQuery &q, const TaskEventRecord &t)
{
    q.bindValue(0, t.uuid);
    q.bindValue(1, t.name);
    q.bindValue(2, t.stateName());
    q.bindValue(3, t.worker);
    q.bindValue(4, t.firstSeen);
    q.bindValue(5, t.lastSeen);
    q.bindValue(6, EventStore::packRecord(t));
}

TaskEventRecord readTask(const QSqlQuery &q)
{
    TaskEventRecord t;
    EventStore::unpackRecord(q.value(6).toByteArray(), &t);
    t.uuid = q.value(0).toString();
    t.name = q.value(1).toString();
    t.customState = q.value(2).toString();
    t.state = connectors::taskEventStateFromName(t.customState);
    if (t.state != TaskEventState::Custom)
        t.customState.clear();
    t.worker = q.value(3).toString();
    t.firstSeen = q.value(4).toDouble();
    t.lastSeen = q.value(5).toDouble();
    return t;
}

} // namespace

// A record packed: a version byte, the fields the table has no columns for, then the history:
// per entry the type, hostname and detail, the two times and the clock. Numbers are
// little-endian (doubles as their IEEE bits), texts a 32-bit length and UTF-8.
namespace {

class RecordWriter
{
public:
    explicit RecordWriter(QByteArray *out)
        : m_out(out)
    {}
    ~RecordWriter() { m_out->resize(m_size); }
    void byte(quint8 v) { *room(1) = char(v), ++m_size; }
    void number(double v)
    {
        quint64 bits = 0;
        std::memcpy(&bits, &v, sizeof bits);
        integer(bits);
    }
    void integer(quint64 v)
    {
        qToLittleEndian(v, room(8));
        m_size += 8;
    }
    void text(const QString &v)
    {
        // UTF-8 takes at most three bytes per UTF-16 unit; ASCII (most of what events carry)
        // is copied a byte per unit.
        char *at = room(4 + v.size() * 3);
        char *begin = at + 4;
        const char16_t *from = QStringView(v).utf16(); // QString::utf16() would copy a null one
        qsizetype i = 0;
        for (; i < v.size() && from[i] < 0x80; ++i)
            begin[i] = char(from[i]);
        char *end =
            i == v.size() ? begin + i : m_utf8.appendToBuffer(begin + i, QStringView(v).mid(i));
        qToLittleEndian(quint32(end - begin), at);
        m_size = end - m_out->data();
    }

private:
    // Where the next n bytes go.
    char *room(qsizetype n)
    {
        if (m_out->size() < m_size + n)
            m_out->resize(std::max(m_size + n, m_out->size() * 2));
        return m_out->data() + m_size;
    }

    QByteArray *m_out;
    qsizetype m_size = 0;
    QStringEncoder m_utf8{QStringConverter::Utf8};
};

class RecordReader
{
public:
    explicit RecordReader(const QByteArray &in)
        : m_at(in.constData())
        , m_end(in.constData() + in.size())
    {}
    bool ok() const { return m_ok; }
    quint8 byte()
    {
        if (!take(1))
            return 0;
        return quint8(m_at[-1]);
    }
    quint64 integer()
    {
        if (!take(8))
            return 0;
        return qFromLittleEndian<quint64>(m_at - 8);
    }
    double number()
    {
        const quint64 bits = integer();
        double v = 0;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    }
    QString text()
    {
        const quint32 size = take(4) ? qFromLittleEndian<quint32>(m_at - 4) : 0;
        if (!take(size))
            return {};
        return QString::fromUtf8(m_at - size, size);
    }

private:
    bool take(quint64 n)
    {
        if (!m_ok || quint64(m_end - m_at) < n) {
            m_ok = false;
            return false;
        }
        m_at += n;
        return true;
    }

    const char *m_at;
    const char *m_end;
    bool m_ok = true;
};

} // namespace

// The database connection and everything done with it, on the store's own thread.
class EventStoreWriter : public QObject
{
public:
    EventStoreWriter(QString path, EventStoreLimits limits)
        : m_path(std::move(path))
        , m_limits(limits)
        , m_connection(QStringLiteral("brokerdesk-events-")
                       + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {}

    ~EventStoreWriter() override
    {
#if defined(BROKERDESK_SQLITE_DIRECT)
        sqlite3_finalize(m_upsertDirect); // before the connection closes
        m_upsertDirect = nullptr;
#endif
        m_upsertTask.reset();
        m_upsertWorker.reset();
        if (QSqlDatabase::contains(m_connection)) {
            {
                QSqlDatabase db = QSqlDatabase::database(m_connection, false);
                db.close();
            }
            QSqlDatabase::removeDatabase(m_connection);
        }
    }

    // Opening or writing failed: nothing more is done.
    bool isBroken() const
    {
        return m_broken;
    }

    // Empty on success, else why.
    QString open(qint64 *tasksStored)
    {
        const QString problem = openDatabase(tasksStored);
        m_broken = !problem.isEmpty();
        return problem;
    }

    QString write(const std::vector<TaskEventRecord> &tasks,
                  const std::vector<WorkerEventRecord> &workers)
    {
        const QString problem = writeBatch(tasks, workers);
        m_broken = !problem.isEmpty();
        return problem;
    }

private:
    QString openDatabase(qint64 *tasksStored)
    {
        const QFileInfo info(m_path);
        if (!QDir().mkpath(info.absolutePath()))
            return tr("cannot create the folder %1").arg(info.absolutePath());
        QFile::setPermissions(info.absolutePath(),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        // The file exists, owner-only, before SQLite opens it: its -wal and -shm files take
        // the same permissions.
        if (!info.exists()) {
            QFile file(m_path);
            if (!file.open(QIODevice::WriteOnly))
                return tr("cannot create %1: %2").arg(m_path, file.errorString());
        }
        QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
            return tr("Qt's SQLite driver (QSQLITE) is not installed");
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(m_path);
        if (!db.open())
            return tr("cannot open %1: %2").arg(m_path, db.lastError().text());
        QSqlQuery q(db);
        const auto run = [&q](const QStringList &statements) {
            for (const QString &statement : statements) {
                if (!q.exec(statement))
                    return false;
            }
            return true;
        };
        if (!run({QStringLiteral("PRAGMA journal_mode=WAL"),
                  QStringLiteral("PRAGMA synchronous=NORMAL"),
                  // KiB: inserts touch the newest pages only; memory is the timeline's.
                  QStringLiteral("PRAGMA cache_size=-4096"),
                  QStringLiteral("PRAGMA temp_store=MEMORY"),
                  QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, "
                                 "value TEXT)")}))
            return tr("cannot prepare %1: %2").arg(m_path, q.lastError().text());
        if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema'")))
            return tr("cannot read %1: %2").arg(m_path, q.lastError().text());
        const int schema = q.next() ? q.value(0).toInt() : 0;
        if (schema > kSchemaVersion)
            return tr("%1 was written by a newer Brokerdesk (schema %2): it is left as it is")
                .arg(m_path)
                .arg(schema);
        if (schema < kSchemaVersion) {
            // An older layout (or a new file): what it held is recent history, not the
            // operator's work, and is laid out again from scratch.
            if (!run({QStringLiteral("DROP TABLE IF EXISTS tasks"),
                      QStringLiteral("DROP TABLE IF EXISTS events"),
                      QStringLiteral("DROP TABLE IF EXISTS workers"),
                      QStringLiteral("DROP TABLE IF EXISTS gaps"),
                      QStringLiteral("INSERT OR REPLACE INTO meta VALUES ('schema', '%1')")
                          .arg(kSchemaVersion)}))
                return tr("cannot write %1: %2").arg(m_path, q.lastError().text());
        }
        // A task's row keeps the rowid of its first write (an upsert updates it in place):
        // rows are in the order the tasks arrived, with no index but the uuid's.
        if (!run({QStringLiteral("CREATE TABLE IF NOT EXISTS tasks (seq INTEGER PRIMARY KEY, "
                                 "uuid TEXT NOT NULL UNIQUE, name TEXT, state TEXT, worker TEXT, "
                                 "first_seen REAL, last_seen REAL, record BLOB)"),
                  QStringLiteral("CREATE TABLE IF NOT EXISTS workers (hostname TEXT PRIMARY KEY, "
                                 "pid INTEGER, freq REAL, last_heartbeat REAL, last_timestamp "
                                 "REAL, clock_skew REAL, first_seen REAL, last_event REAL, active "
                                 "INTEGER, processed INTEGER, loadavg TEXT, sw_ident TEXT, sw_ver "
                                 "TEXT, sw_sys TEXT, offline INTEGER, heartbeats INTEGER)"),
                  QStringLiteral("CREATE TABLE IF NOT EXISTS gaps (start REAL, finish REAL)")}))
            return tr("cannot prepare %1: %2").arg(m_path, q.lastError().text());
        m_upsertTask = std::make_unique<QSqlQuery>(db);
        m_upsertWorker = std::make_unique<QSqlQuery>(db);
        QStringList marks, updates;
        for (int i = 0; i < kTaskColumnCount; ++i) {
            marks << QStringLiteral("?");
            if (i > 0)
                updates << QStringLiteral("%1 = excluded.%1").arg(QLatin1String(kTaskColumns[i]));
        }
        if (!m_upsertTask->prepare(
                QStringLiteral(
                    "INSERT INTO tasks (%1) VALUES (%2) ON CONFLICT (uuid) DO UPDATE SET %3")
                    .arg(taskColumnList(), marks.join(QLatin1String(", ")),
                         updates.join(QLatin1String(", "))))
            || !m_upsertWorker->prepare(QStringLiteral(
                "INSERT OR REPLACE INTO workers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)")))
            return tr("cannot prepare %1: %2")
                .arg(m_path, (m_upsertTask->lastError().isValid() ? *m_upsertTask : *m_upsertWorker)
                                 .lastError()
                                 .text());
#if defined(BROKERDESK_SQLITE_DIRECT)
        if (!g_portableWrites) {
            if (sqlite3 *handle = directHandle(db, q)) {
                const QByteArray sql = m_upsertTask->lastQuery().toUtf8();
                if (sqlite3_prepare_v3(handle, sql.constData(), int(sql.size()),
                                       SQLITE_PREPARE_PERSISTENT, &m_upsertDirect, nullptr)
                    != SQLITE_OK)
                    return tr("cannot prepare %1: %2")
                        .arg(m_path, QString::fromUtf8(sqlite3_errmsg(handle)));
            }
        }
#endif
        if (const QString problem = retain(); !problem.isEmpty())
            return problem;
        if (q.exec(QStringLiteral("SELECT COUNT(*) FROM tasks")) && q.next())
            *tasksStored = q.value(0).toLongLong();
        return {};
    }

    QString writeBatch(const std::vector<TaskEventRecord> &tasks,
                       const std::vector<WorkerEventRecord> &workers)
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (!db.transaction())
            return tr("cannot write %1: %2").arg(m_path, db.lastError().text());
        const auto fail = [&](const QString &reason) {
            db.rollback();
            return tr("cannot write %1: %2").arg(m_path, reason);
        };
        // New rows in the order the tasks were first seen (rows are read back in rowid order).
        std::vector<const TaskEventRecord *> ordered;
        ordered.reserve(tasks.size());
        for (const TaskEventRecord &t : tasks)
            ordered.push_back(&t);
        std::stable_sort(ordered.begin(), ordered.end(),
                         [](const TaskEventRecord *a, const TaskEventRecord *b) {
                             return a->firstSeen < b->firstSeen;
                         });
        for (const TaskEventRecord *task : ordered) {
            const TaskEventRecord &t = *task;
#if defined(BROKERDESK_SQLITE_DIRECT)
            if (m_upsertDirect) {
                if (!writeDirect(t))
                    return fail(
                        QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(m_upsertDirect))));
                continue;
            }
#endif
            bindTask(*m_upsertTask, t);
            if (!m_upsertTask->exec())
                return fail(m_upsertTask->lastError().text());
        }
        QSqlQuery &worker = *m_upsertWorker;
        for (const WorkerEventRecord &w : workers) {
            QStringList load;
            for (double l : w.loadavg)
                load << QString::number(l);
            int i = 0;
            worker.bindValue(i++, w.hostname);
            worker.bindValue(i++, w.pid);
            worker.bindValue(i++, w.freq);
            worker.bindValue(i++, w.lastHeartbeat);
            worker.bindValue(i++, w.lastTimestamp);
            worker.bindValue(i++, w.clockSkew);
            worker.bindValue(i++, w.firstSeen);
            worker.bindValue(i++, w.lastEvent);
            worker.bindValue(i++, w.active);
            worker.bindValue(i++, w.processed);
            worker.bindValue(i++, load.join(QLatin1Char(' ')));
            worker.bindValue(i++, w.swIdent);
            worker.bindValue(i++, w.swVer);
            worker.bindValue(i++, w.swSys);
            worker.bindValue(i++, int(w.offline));
            worker.bindValue(i++, w.heartbeats);
            if (!worker.exec())
                return fail(worker.lastError().text());
        }
        if (!db.commit())
            return tr("cannot write %1: %2").arg(m_path, db.lastError().text());
        if (!m_sinceRetention.isValid() || m_sinceRetention.elapsed() > kRetentionIntervalMs)
            return retain();
        return {};
    }

public:
    QString recordGap(const EventGap &gap)
    {
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.prepare(QStringLiteral("INSERT INTO gaps VALUES (?, ?)"));
        q.bindValue(0, gap.from);
        q.bindValue(1, gap.to);
        return q.exec() ? QString() : tr("cannot write %1: %2").arg(m_path, q.lastError().text());
    }

    // New limits apply at once (the operator just tightened them, or loosened).
    QString setLimits(const EventStoreLimits &limits)
    {
        m_limits = limits;
        return m_broken ? QString() : retain();
    }

    // Old tasks go: past the age limit (failed ones past theirs), then the
    // oldest past the count limit, those that did not fail first.
    QString retain()
    {
        m_sinceRetention.start();
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
        QSqlQuery q(db);
        const auto run = [&](const QString &sql, const QVariantList &values) {
            q.prepare(sql);
            for (int i = 0; i < values.size(); ++i)
                q.bindValue(i, values[i]);
            return q.exec();
        };
        const QString doomed = QStringLiteral("INSERT INTO doomed SELECT uuid FROM tasks WHERE "
                                              "(state != 'FAILURE' AND last_seen < ?) "
                                              "OR last_seen < ?");
        const QString overCount = QStringLiteral(
            "INSERT OR IGNORE INTO doomed SELECT uuid FROM tasks WHERE uuid NOT IN (SELECT uuid "
            "FROM doomed) ORDER BY state = 'FAILURE', seq LIMIT max(0, (SELECT COUNT(*) "
            "FROM tasks) - (SELECT COUNT(*) FROM doomed) - ?)");
        const bool ok =
            db.transaction()
            && run(QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS doomed (uuid TEXT PRIMARY KEY)"),
                   {})
            && run(QStringLiteral("DELETE FROM doomed"), {})
            && run(doomed, {now - m_limits.maxAgeDays * kDay, now - m_limits.failedAgeDays * kDay})
            && run(overCount, {m_limits.maxTasks})
            && run(QStringLiteral("DELETE FROM tasks WHERE uuid IN (SELECT uuid FROM doomed)"), {})
            && run(QStringLiteral("DELETE FROM gaps WHERE finish < ?"),
                   {now - std::max(m_limits.maxAgeDays, m_limits.failedAgeDays) * kDay})
            && db.commit();
        if (!ok) {
            const QString text = tr("cannot clean up %1: %2").arg(m_path, q.lastError().text());
            db.rollback();
            return text;
        }
        return {};
    }

    StoredTimeline loadRecent(qint64 limit)
    {
        StoredTimeline timeline;
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.setForwardOnly(true);
        const auto failed = [&] {
            timeline.problem = tr("cannot read %1: %2").arg(m_path, q.lastError().text());
            return timeline;
        };
        if (!q.prepare(QStringLiteral("SELECT %1 FROM tasks ORDER BY seq DESC LIMIT ?")
                           .arg(taskColumnList())))
            return failed();
        q.bindValue(0, limit);
        if (!q.exec())
            return failed();
        while (q.next())
            timeline.tasks.push_back(readTask(q));
        std::reverse(timeline.tasks.begin(), timeline.tasks.end());
        if (!q.exec(QStringLiteral("SELECT * FROM workers")))
            return failed();
        while (q.next()) {
            WorkerEventRecord w;
            int i = 0;
            w.hostname = q.value(i++).toString();
            w.pid = q.value(i++).toLongLong();
            w.freq = q.value(i++).toDouble();
            w.lastHeartbeat = q.value(i++).toDouble();
            w.lastTimestamp = q.value(i++).toDouble();
            w.clockSkew = q.value(i++).toDouble();
            w.firstSeen = q.value(i++).toDouble();
            w.lastEvent = q.value(i++).toDouble();
            w.active = q.value(i++).toLongLong();
            w.processed = q.value(i++).toLongLong();
            for (const QString &l :
                 q.value(i++).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts))
                w.loadavg << l.toDouble();
            w.swIdent = q.value(i++).toString();
            w.swVer = q.value(i++).toString();
            w.swSys = q.value(i++).toString();
            w.offline = q.value(i++).toInt() != 0;
            w.heartbeats = q.value(i++).toLongLong();
            timeline.workers << w;
        }
        if (!q.exec(QStringLiteral("SELECT start, finish FROM gaps ORDER BY start DESC LIMIT %1")
                        .arg(kMaxGapsRead)))
            return failed();
        while (q.next())
            timeline.gaps.prepend({q.value(0).toDouble(), q.value(1).toDouble()});
        if (q.exec(QStringLiteral("SELECT COUNT(*) FROM tasks")) && q.next())
            timeline.tasksStored = q.value(0).toLongLong();
        return timeline;
    }

    std::vector<TaskEventEntry> loadHistory(const QString &uuid)
    {
        std::vector<TaskEventEntry> history;
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT record FROM tasks WHERE uuid = ?"));
        q.bindValue(0, uuid);
        TaskEventRecord t;
        if (q.exec() && q.next() && EventStore::unpackRecord(q.value(0).toByteArray(), &t))
            history = std::move(t.history);
        return history;
    }

private:
    static QString tr(const char *text)
    {
        return QCoreApplication::translate("EventStore", text);
    }

#if defined(BROKERDESK_SQLITE_DIRECT)
    // The driver's connection, where its SQLite is the one linked here (Qt's documented
    // QSqlDriver::handle()); null otherwise, and the store writes through Qt SQL.
    static sqlite3 *directHandle(const QSqlDatabase &db, QSqlQuery &q)
    {
        const QVariant handle = db.driver()->handle();
        if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
            return nullptr;
        sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
        if (!connection || !q.exec(QStringLiteral("SELECT sqlite_source_id()")) || !q.next()
            || q.value(0).toString() != QLatin1String(sqlite3_sourceid()))
            return nullptr;
        return connection;
    }

    // As UTF-8, the database's encoding (SQLite converts UTF-16 by itself, slower).
    void bindText(sqlite3_stmt *statement, int index, const QString &text)
    {
        if (text.isNull()) {
            sqlite3_bind_null(statement, index);
            return;
        }
        QByteArray &utf8 = m_texts[size_t(index)];
        utf8.resize(0);
        {
            RecordWriter out(&utf8);
            out.text(text);
        }
        sqlite3_bind_text(statement, index, utf8.constData() + 4, int(utf8.size() - 4),
                          SQLITE_STATIC);
    }

    // One task's row, as bindTask() binds it for QSqlQuery.
    bool writeDirect(const TaskEventRecord &t)
    {
        sqlite3_stmt *s = m_upsertDirect;
        const QString state = t.stateName();
        bindText(s, 1, t.uuid);
        bindText(s, 2, t.name);
        bindText(s, 3, state);
        bindText(s, 4, t.worker);
        sqlite3_bind_double(s, 5, t.firstSeen);
        sqlite3_bind_double(s, 6, t.lastSeen);
        EventStore::packRecord(t, &m_packed);
        sqlite3_bind_blob(s, 7, m_packed.constData(), int(m_packed.size()), SQLITE_STATIC);
        const int done = sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s); // nothing points at texts that are gone
        return done == SQLITE_DONE;
    }

    sqlite3_stmt *m_upsertDirect = nullptr;
    std::array<QByteArray, 5> m_texts; // the texts bound, by parameter index
#endif
    QByteArray m_packed; // a record packed, reused

    QString m_path;
    EventStoreLimits m_limits;
    QString m_connection;
    std::unique_ptr<QSqlQuery> m_upsertTask;
    std::unique_ptr<QSqlQuery> m_upsertWorker;
    QElapsedTimer m_sinceRetention;
    bool m_broken = true; // until it opens
};

QString EventStoreLimits::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
           + QStringLiteral("/Brokerdesk/settings.json");
}

EventStoreLimits EventStoreLimits::load(const QString &path)
{
    EventStoreLimits limits;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return limits;
    const auto parsed = connectors::parseUntrustedJson(file.read(1024 * 1024));
    if (!parsed.ok() || !parsed.value.is_object())
        return limits;
    const auto store = parsed.value.find("event_store");
    if (store == parsed.value.end() || !store->is_object())
        return limits;
    const auto number = [&](const char *name, double low, double high, double fallback) {
        const auto it = store->find(name);
        if (it == store->end() || !it->is_number())
            return fallback;
        const double v = it->get<double>();
        return v >= low && v <= high ? v : fallback;
    };
    limits.maxAgeDays = number("max_age_days", 0.01, 3650, limits.maxAgeDays);
    limits.maxTasks = qint64(number("max_tasks", 1000, 100'000'000, double(limits.maxTasks)));
    limits.failedAgeDays = number("failed_age_days", 0.01, 3650, limits.failedAgeDays);
    return limits;
}

bool EventStoreLimits::save(const QString &path) const
{
    nlohmann::json root = nlohmann::json::object();
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        auto parsed = connectors::parseUntrustedJson(file.readAll());
        if (parsed.ok() && parsed.value.is_object())
            root = std::move(parsed.value);
        file.close();
    }
    root["event_store"] = {
        {"max_age_days", maxAgeDays}, {"max_tasks", maxTasks}, {"failed_age_days", failedAgeDays}};
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile out(path);
    return out.open(QIODevice::WriteOnly) && out.write(connectors::jsonToBytes(root, 2)) >= 0
           && out.commit();
}

EventStore::EventStore(QString path, EventStoreLimits limits, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
{
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("brokerdesk-events-store"));
    m_writer = new EventStoreWriter(m_path, limits);
    m_writer->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_thread->start();
}

EventStore::~EventStore()
{
    // What was queued is written first: the thread's event loop runs it before it quits.
    m_thread->quit();
    m_thread->wait();
}

void EventStore::degrade(const QString &text)
{
    if (m_degraded)
        return;
    m_degraded = true;
    m_pendingTasks.clear();
    m_pendingWorkers.clear();
    m_problem = text;
    Q_EMIT problem(text);
}

void EventStore::post(std::function<void(EventStoreWriter *)> job)
{
    QMetaObject::invokeMethod(m_writer, [writer = m_writer, job = std::move(job)] { job(writer); });
}

void EventStore::answer(std::function<void()> then)
{
    // From the writer's thread: this outlives every job (the destructor joins the thread
    // first), and Qt drops what is posted to an object that is then destroyed.
    QMetaObject::invokeMethod(this, std::move(then), Qt::QueuedConnection);
}

void EventStore::open()
{
    post([this](EventStoreWriter *writer) {
        qint64 stored = 0;
        const QString problem = writer->open(&stored);
        answer([this, problem, stored] {
            if (!problem.isEmpty())
                degrade(problem);
            else
                Q_EMIT opened(stored);
        });
    });
}

void EventStore::write(const TaskEventRecord &task)
{
    if (m_degraded)
        return;
    m_pendingTasks.insert(task.uuid, task);
    flush();
}

void EventStore::write(const WorkerEventRecord &worker)
{
    if (m_degraded)
        return;
    m_pendingWorkers.insert(worker.hostname, worker);
    flush();
}

void EventStore::write(std::vector<TaskEventRecord> tasks, std::vector<WorkerEventRecord> workers)
{
    if (m_degraded || (tasks.empty() && workers.empty()))
        return;
    if (!m_writing && m_pendingTasks.isEmpty() && m_pendingWorkers.isEmpty()) {
        startWriting(std::move(tasks), std::move(workers));
        return;
    }
    for (TaskEventRecord &task : tasks) {
        const QString uuid = task.uuid;
        m_pendingTasks.insert(uuid, std::move(task));
    }
    for (WorkerEventRecord &worker : workers) {
        const QString hostname = worker.hostname;
        m_pendingWorkers.insert(hostname, std::move(worker));
    }
    flush();
}

void EventStore::flush()
{
    // Once per pass of the event loop: the writes of one batch of events go together.
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushQueued = false;
            if (m_writing || m_degraded || (m_pendingTasks.isEmpty() && m_pendingWorkers.isEmpty()))
                return;
            std::vector<TaskEventRecord> tasks;
            tasks.reserve(size_t(m_pendingTasks.size()));
            for (auto it = m_pendingTasks.begin(); it != m_pendingTasks.end(); ++it)
                tasks.push_back(std::move(*it));
            m_pendingTasks.clear();
            std::vector<WorkerEventRecord> workers;
            for (auto it = m_pendingWorkers.begin(); it != m_pendingWorkers.end(); ++it)
                workers.push_back(std::move(*it));
            m_pendingWorkers.clear();
            startWriting(std::move(tasks), std::move(workers));
        },
        Qt::QueuedConnection);
}

void EventStore::startWriting(std::vector<TaskEventRecord> tasks,
                              std::vector<WorkerEventRecord> workers)
{
    m_writing = true;
    auto batch =
        std::make_shared<std::pair<std::vector<TaskEventRecord>, std::vector<WorkerEventRecord>>>(
            std::move(tasks), std::move(workers));
    post([this, batch](EventStoreWriter *writer) {
        const qint64 count = qint64(batch->first.size());
        const QString problem =
            writer->isBroken() ? QString() : writer->write(batch->first, batch->second);
        batch->first.clear(); // freed here, not on the owner's thread
        batch->second.clear();
        answer([this, problem, count] {
            m_writing = false;
            if (!problem.isEmpty()) {
                degrade(problem);
                return;
            }
            m_tasksWritten += count;
            Q_EMIT written(m_tasksWritten);
            flush(); // what arrived meanwhile
        });
    });
}

void EventStore::setPortableWrites(bool portable)
{
    g_portableWrites = portable;
}

QByteArray EventStore::packRecord(const TaskEventRecord &t)
{
    QByteArray bytes;
    packRecord(t, &bytes);
    return bytes;
}

void EventStore::packRecord(const TaskEventRecord &t, QByteArray *into)
{
    RecordWriter out(into);
    out.byte(kRecordVersion);
    for (const double v : {t.sent, t.received, t.started, t.finished, t.runtime})
        out.number(v);
    out.integer(quint64(t.retries));
    for (const QString *v :
         {&t.args, &t.kwargs, &t.result, &t.exception, &t.traceback, &t.rootId, &t.parentId, &t.eta,
          &t.expires, &t.queue, &t.exchange, &t.routingKey, &t.signum})
        out.text(*v);
    out.byte(quint8((t.terminated ? 1 : 0) | (t.expired ? 2 : 0)));
    out.integer(t.history.size());
    for (const TaskEventEntry &e : t.history) {
        out.text(e.type);
        out.text(e.hostname);
        out.text(e.detail);
        out.number(e.timestamp);
        out.number(e.receivedAt);
        out.integer(quint64(e.clock));
    }
}

bool EventStore::unpackRecord(const QByteArray &bytes, TaskEventRecord *t)
{
    RecordReader in(bytes);
    if (in.byte() != kRecordVersion)
        return false;
    for (double *v : {&t->sent, &t->received, &t->started, &t->finished, &t->runtime})
        *v = in.number();
    t->retries = qint64(in.integer());
    for (QString *v :
         {&t->args, &t->kwargs, &t->result, &t->exception, &t->traceback, &t->rootId, &t->parentId,
          &t->eta, &t->expires, &t->queue, &t->exchange, &t->routingKey, &t->signum})
        *v = in.text();
    const quint8 flags = in.byte();
    t->terminated = flags & 1;
    t->expired = flags & 2;
    const quint64 count = in.integer();
    t->history.clear();
    if (!in.ok())
        return false;
    // At most kMaxHistory are kept; each entry takes at least 36 bytes.
    t->history.reserve(size_t(std::min<quint64>(count, connectors::CeleryEventState::kMaxHistory)));
    for (quint64 i = 0; i < count && in.ok(); ++i) {
        TaskEventEntry e;
        e.type = in.text();
        e.hostname = in.text();
        e.detail = in.text();
        e.timestamp = in.number();
        e.receivedAt = in.number();
        e.clock = qint64(in.integer());
        if (in.ok() && t->history.size() < size_t(connectors::CeleryEventState::kMaxHistory))
            t->history.push_back(std::move(e));
    }
    if (!in.ok()) {
        t->history.clear();
        return false;
    }
    return true;
}

void EventStore::recordGap(const EventGap &gap)
{
    if (m_degraded)
        return;
    post([this, gap](EventStoreWriter *writer) {
        if (writer->isBroken())
            return;
        const QString problem = writer->recordGap(gap);
        if (!problem.isEmpty())
            answer([this, problem] { degrade(problem); });
    });
}

void EventStore::setLimits(const EventStoreLimits &limits)
{
    post([this, limits](EventStoreWriter *writer) {
        const QString problem = writer->setLimits(limits);
        if (!problem.isEmpty())
            answer([this, problem] { degrade(problem); });
    });
}

void EventStore::loadRecent(qint64 limit, const QObject *context, TimelineHandler handler)
{
    QPointer<const QObject> guard(context);
    post([this, limit, guard, handler = std::move(handler)](EventStoreWriter *writer) {
        auto timeline = std::make_shared<StoredTimeline>(
            writer->isBroken() ? StoredTimeline{} : writer->loadRecent(limit));
        if (writer->isBroken())
            timeline->problem = tr("the event store is not open");
        answer([guard, handler, timeline] {
            if (guard)
                handler(*timeline);
        });
    });
}

void EventStore::loadHistory(const QString &uuid, const QObject *context, HistoryHandler handler)
{
    QPointer<const QObject> guard(context);
    post([this, uuid, guard, handler = std::move(handler)](EventStoreWriter *writer) {
        auto history = std::make_shared<std::vector<TaskEventEntry>>(
            writer->isBroken() ? std::vector<TaskEventEntry>{} : writer->loadHistory(uuid));
        answer([guard, handler, history] {
            if (guard)
                handler(*history);
        });
    });
}

} // namespace bd::store
