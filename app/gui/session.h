#pragma once

#include "cache/cachepage.h"
#include "console/commandhistory.h"
#include "console/consolepage.h"
#include "data/datapage.h"
#include "events/tasktimelineview.h"
#include "keys/keyspage.h"
#include "keys/keytreemodel.h"
#include "profiles/connectionprofile.h"
#include "pubsub/profilerpage.h"
#include "pubsub/pubsubpage.h"
#include "queues/queuespage.h"
#include "redis/connectionstate.h"
#include "redis/rediserror.h"
#include "tasks/taskspage.h"
#include "workers/workerspage.h"

#include <QObject>
#include <QPointer>
#include <QTabWidget>

namespace bd::connectors {
class CeleryBroker;
class RedisClient;
class ServerStatusProbe;
} // namespace bd::connectors
namespace bd::store {
class EventStore;
}
namespace bd::models {
class MessageLogModel;
class QueueListModel;
class QueueMessagesModel;
class AuditLogModel;
class DatasetTableModel;
class TaskTimelineModel;
class WorkerListModel;
class TaskRunsModel;
class NamespaceStatsModel;
class SessionStatus;
class TrafficStatsModel;
} // namespace bd::models

namespace bd::app {

class CacheController;
class ConsoleController;
class DataController;
class EventsController;
class WorkersController;
class TimelineController;
class KeysController;
class ProfilerController;
class PubSubController;
class QueuesController;
class TasksController;

// One connected profile: its connections, its status and its pages, wired together. This is
// where a connector's signals meet the models and widgets (and nowhere else).
//
// Owns the connection(s) and the status model; the view (a tab widget of feature pages) is
// handed to the main window, which owns it from then on.
class Session : public QObject
{
    Q_OBJECT

public:
    // settings carries the password, in memory only; backendPassword the result backend's own
    // (empty: the broker's).
    Session(const connectors::ConnectionProfile &profile,
            const connectors::ConnectionSettings &settings, const QString &backendPassword = {},
            QObject *parent = nullptr);
    ~Session() override;

    void start();

    const connectors::ConnectionProfile &profile() const { return m_profile; }
    connectors::RedisClient *client() const { return m_client; }
    models::SessionStatus *status() const { return m_status; }
    QTabWidget *view() const { return m_view; }
    ui::ConsolePage *console() const { return m_console; }
    ui::KeysPage *keysPage() const { return m_keysPage; }
    ui::CachePage *cachePage() const { return m_cachePage; }
    models::NamespaceStatsModel *cacheModel() const { return m_cacheModel; }
    models::KeyTreeModel *keyModel() const { return m_keyModel; }
    ui::DataPage *dataPage() const { return m_dataPage; }
    DataController *data() const { return m_data; }
    models::DatasetTableModel *dataModel() const { return m_dataModel; }
    ui::QueuesPage *queuesPage() const { return m_queuesPage; }
    QueuesController *queues() const { return m_queues; }
    connectors::CeleryBroker *broker() const { return m_broker; }
    models::QueueListModel *queueList() const { return m_queueList; }
    models::QueueMessagesModel *queueMessages() const { return m_queueMessages; }
    ui::TasksPage *tasksPage() const { return m_tasksPage; }
    TasksController *tasks() const { return m_tasks; }
    models::TaskRunsModel *taskRuns() const { return m_taskRuns; }
    models::AuditLogModel *auditLog() const { return m_auditLog; }
    ui::PubSubPage *pubSubPage() const { return m_pubSubPage; }
    PubSubController *pubSub() const { return m_pubSub; }
    models::MessageLogModel *pubSubLog() const { return m_pubSubLog; }
    models::TrafficStatsModel *pubSubTraffic() const { return m_pubSubTraffic; }
    ui::ProfilerPage *profilerPage() const { return m_profilerPage; }
    ProfilerController *profiler() const { return m_profiler; }
    models::MessageLogModel *profilerLog() const { return m_profilerLog; }
    models::TrafficStatsModel *profilerCounts() const { return m_profilerCounts; }
    ui::WorkersPage *workersPage() const { return m_workersPage; }
    WorkersController *workers() const { return m_workers; }
    models::WorkerListModel *workerList() const { return m_workerList; }
    EventsController *events() const { return m_events; }
    models::TaskTimelineModel *timeline() const { return m_timeline; }
    ui::TaskTimelineView *timelineView() const { return m_timelineView; }
    TimelineController *timelineController() const { return m_timelineController; }
    store::EventStore *eventStore() const { return m_eventStore; }
    // The profile's task event store (under the app's data folder; a --connect session's is
    // named after its server).
    QString eventStorePath() const;

Q_SIGNALS:
    void stateChanged(bd::connectors::ConnectionState state,
                      const bd::connectors::RedisError &error, const QString &text);

private:
    QString historyPath() const;

    connectors::ConnectionProfile m_profile;
    connectors::RedisClient *m_client = nullptr;      // Owned (child).
    connectors::ServerStatusProbe *m_probe = nullptr; // Owned (child).
    // The key browser's connection for per-key facts (scans have their own, see startScan):
    // neither ever queues behind the console.
    connectors::RedisClient *m_browserClient = nullptr; // Owned (child).
    models::KeyTreeModel *m_keyModel = nullptr;         // Owned (child).
    models::SessionStatus *m_status = nullptr;          // Owned (child).
    models::CommandHistory m_history;
    QPointer<QTabWidget> m_view;                         // Owned by the main window once shown.
    QPointer<ui::ConsolePage> m_console;                 // Inside m_view.
    QPointer<ui::KeysPage> m_keysPage;                   // Inside m_view.
    bool m_scannedOnce = false;                          // the first connect starts a scan
    QPointer<ui::CachePage> m_cachePage;                 // Inside m_view.
    models::NamespaceStatsModel *m_cacheModel = nullptr; // Owned (child).
    ConsoleController *m_consoleController = nullptr;    // Owned (child).
    models::DatasetTableModel *m_dataModel = nullptr;    // Owned (child).
    QPointer<ui::DataPage> m_dataPage;                   // Inside m_view.
    DataController *m_data = nullptr;                    // Owned (child).
    CacheController *m_cache = nullptr;                  // Owned (child).
    KeysController *m_keys = nullptr;                    // Owned (child).
    connectors::CeleryBroker *m_broker = nullptr;  // Owned (child): Queues and Tasks share it.
    models::QueueListModel *m_queueList = nullptr; // Owned (child).
    models::QueueMessagesModel *m_queueMessages = nullptr; // Owned (child).
    QPointer<ui::QueuesPage> m_queuesPage;                 // Inside m_view.
    QueuesController *m_queues = nullptr;                  // Owned (child).
    models::TaskRunsModel *m_taskRuns = nullptr;           // Owned (child).
    models::AuditLogModel *m_auditLog = nullptr;           // Owned (child).
    QPointer<ui::TasksPage> m_tasksPage;                   // Inside m_view.
    TasksController *m_tasks = nullptr;                    // Owned (child).
    models::MessageLogModel *m_pubSubLog = nullptr;        // Owned (child).
    models::TrafficStatsModel *m_pubSubTraffic = nullptr;  // Owned (child).
    QPointer<ui::PubSubPage> m_pubSubPage;                 // Inside m_view.
    PubSubController *m_pubSub = nullptr;                  // Owned (child).
    models::MessageLogModel *m_profilerLog = nullptr;      // Owned (child).
    models::TrafficStatsModel *m_profilerCounts = nullptr; // Owned (child).
    QPointer<ui::ProfilerPage> m_profilerPage;             // Inside m_view.
    ProfilerController *m_profiler = nullptr;              // Owned (child).
    models::TaskTimelineModel *m_timeline = nullptr;       // Owned (child).
    store::EventStore *m_eventStore = nullptr;             // Owned (child).
    EventsController *m_events = nullptr;                  // Owned (child).
    models::WorkerListModel *m_workerList = nullptr;       // Owned (child).
    QPointer<ui::WorkersPage> m_workersPage;               // Inside m_view.
    WorkersController *m_workers = nullptr;                // Owned (child).
    QPointer<ui::TaskTimelineView> m_timelineView;         // Inside the Tasks page.
    TimelineController *m_timelineController = nullptr;    // Owned (child).
    bool m_everConnected = false;
    bool m_reconnecting = false; // an outage is under way (its notice has been shown)
};

} // namespace bd::app
