#pragma once

#include "data/datasetcatalog.h"
#include "data/datasetdiff.h"
#include "data/datasetreader.h"
#include "redis/connectionsettings.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {
class RedisClient;
struct CeleryTaskResult;
} // namespace bd::connectors
namespace bd::models {
class DatasetTableModel;
}
namespace bd::ui {
class DataPage;
}

namespace bd::app {

class TasksController;

// The Data page's wiring, from the first time the page is shown. The chosen dataset is read on a
// connection of its own (a 20 MB value never queues behind the key browser); its key and change
// channel are watched on a push connection (keyspace notifications of the key, the channel's
// messages), its TTL is read every few seconds, and every change seen reloads it. Each read is kept
// (the last kMaxSnapshots of the session) and compared with the one before, or with the one the
// operator picks: any two reads of the session can be compared. Refresh sends the dataset's refresh
// task through the Tasks page's controller (confirmed, audited, one message per press) and follows
// it to its end.
class DataController : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxSnapshots = 10;
    static constexpr int kTtlPollMs = 5000;
    // Changes within this of the first are one reload; a steady stream reloads this often.
    static constexpr int kReloadSettleMs = 300;
    static constexpr qint64 kMaxResultKeys = 20000; // results looked at for the last refresh

    // settings: the session's connection (its db is the one read).
    DataController(const connectors::ConnectionSettings &settings, TasksController *tasks,
                   ui::DataPage *page, models::DatasetTableModel *model, QObject *parent = nullptr);

    const connectors::DatasetCatalog &catalog() const { return m_catalog; }
    // Shows a dataset (by name, without case); false when there is none.
    bool choose(const QString &name);
    // From the Keys page: a key as a dataset of this session (saved once edited).
    // type "hash": a hash of JSON records; otherwise a string holding a JSON array.
    void openKey(const QByteArray &key, const QByteArray &type = "string");
    void reload(const QString &why);
    void refresh();
    // Reads kept for the dataset shown, oldest first.
    int snapshotCount() const { return int(m_snapshots.size()); }

private:
    struct Snapshot
    {
        QDateTime readAt;
        connectors::DatasetTablePtr table;
    };

    void start();
    void watch();
    void takePushes();
    void pollTtl();
    // The refresh task's latest run the result backend still holds (before this session).
    void findLastRefresh();
    void changeSeen(const QString &how);
    void showRead(const connectors::DatasetRead &read);
    void compareWith(int snapshot);
    void showSnapshot(int snapshot);
    void publishSnapshots();
    void saveCatalog();
    void editDefinition(const QString &name);
    void exportTo(const QString &path, bool json, bool shownOnly);
    void onResult(const connectors::CeleryTaskResult &result);

    connectors::ConnectionSettings m_settings;
    TasksController *m_tasks; // Not owned.
    QPointer<ui::DataPage> m_page;
    models::DatasetTableModel *m_model;            // Not owned.
    connectors::RedisClient *m_client = nullptr;   // Owned (child): reads.
    connectors::RedisClient *m_watcher = nullptr;  // Owned (child): push, restarted per dataset.
    connectors::DatasetReader *m_reader = nullptr; // Owned (child).
    connectors::RedisClient *m_results = nullptr;  // Owned (child): the result backend, lazily.
    connectors::DatasetCatalog m_catalog;
    QString m_userPath;
    connectors::DatasetDefinition m_current;
    connectors::DatasetReadOptions m_readOptions;
    std::vector<Snapshot> m_snapshots;
    int m_shown = 0;       // index in m_snapshots of the read shown (the newest, unless chosen)
    int m_compared = -1;   // index in m_snapshots the shown read is compared with
    bool m_active = false; // the page was shown (or a dataset opened): reading and watching
    bool m_reading = false;
    bool m_readAgain = false; // a change came during a read
    QString m_pendingWhy;
    QString m_watchNote; // how changes are seen when keyspace notifications are off
    quint64 m_readGeneration = 0;
    QTimer *m_settle = nullptr;
    QTimer *m_ttlTimer = nullptr;
    qint64 m_lastPttlMs = -3;
    QDateTime m_lastPttlAt;
    QString m_refreshId; // the refresh task followed now
    QDateTime m_refreshSentAt;
};

} // namespace bd::app
