#include "session.h"

#include "audit/auditlog.h"
#include "audit/auditlogmodel.h"
#include "cache/cachepage.h"
#include "cache/namespacestatsmodel.h"
#include "cachecontroller.h"
#include "celery/rediscelerybroker.h"
#include "console/consolepage.h"
#include "consolecontroller.h"
#include "data/datasettablemodel.h"
#include "datacontroller.h"
#include "events/eventstore.h"
#include "events/tasktimelinemodel.h"
#include "events/tasktimelineview.h"
#include "eventscontroller.h"
#include "keys/keydetailspane.h"
#include "keys/keyspage.h"
#include "keys/keytreemodel.h"
#include "keyscontroller.h"
#include "profilercontroller.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/profilerpage.h"
#include "pubsub/pubsubpage.h"
#include "pubsub/trafficstatsmodel.h"
#include "pubsubcontroller.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"
#include "queues/taskrunsmodel.h"
#include "queuescontroller.h"
#include "redis/redisclient.h"
#include "redis/serverstatusprobe.h"
#include "session/sessionstatus.h"
#include "tasks/runtaskdialog.h"
#include "taskscontroller.h"
#include "timelinecontroller.h"
#include "workers/workerlistmodel.h"
#include "workerscontroller.h"

#include <QCryptographicHash>
#include <QStandardPaths>
#include <QTabWidget>

namespace bd::app {

using connectors::ConnectionState;
using connectors::RedisError;
using connectors::RedisResult;

namespace {

constexpr int kStatusIntervalMs = 2000;

} // namespace

Session::Session(const connectors::ConnectionProfile &profile,
                 const connectors::ConnectionSettings &settings, const QString &backendPassword,
                 QObject *parent)
    : QObject(parent)
    , m_profile(profile)
{
    connectors::ConnectionSettings s = settings;
    s.clientName = QByteArrayLiteral("brokerdesk:console");
    m_client = new connectors::RedisClient(s, this);
    m_probe = new connectors::ServerStatusProbe(m_client, this);
    m_status = new models::SessionStatus(s.endpoint(), s.readOnly, this);
    connectors::ConnectionSettings browser = s;
    browser.clientName = QByteArrayLiteral("brokerdesk:browser");
    m_browserClient = new connectors::RedisClient(browser, this);
    m_keyModel = new models::KeyTreeModel(this);
    m_status->setDb(s.db);
    if (!m_profile.transient)
        m_history.load(historyPath());

    m_view = new QTabWidget;
    m_view->setObjectName(QStringLiteral("sessionView"));
    m_view->setDocumentMode(true);
    m_keysPage = new ui::KeysPage(m_keyModel, m_view);
    m_view->addTab(m_keysPage, tr("Keys"));
    m_cacheModel = new models::NamespaceStatsModel(this);
    m_cachePage = new ui::CachePage(m_cacheModel, m_view);
    m_view->addTab(m_cachePage, tr("Cache"));
    m_dataModel = new models::DatasetTableModel(this);
    m_dataPage = new ui::DataPage(m_dataModel, m_view);
    m_view->addTab(m_dataPage, tr("Data"));
    m_queueList = new models::QueueListModel(this);
    m_queueMessages = new models::QueueMessagesModel(this);
    m_queuesPage = new ui::QueuesPage(m_queueList, m_queueMessages, m_view);
    m_view->addTab(m_queuesPage, tr("Queues"));
    m_taskRuns = new models::TaskRunsModel(this);
    m_auditLog = new models::AuditLogModel(this);
    m_tasksPage = new ui::TasksPage(m_taskRuns, m_auditLog, m_view);
    m_view->addTab(m_tasksPage, tr("Tasks"));
    m_workerList = new models::WorkerListModel(this);
    m_workersPage = new ui::WorkersPage(m_workerList, m_view);
    m_view->addTab(m_workersPage, tr("Workers"));
    m_pubSubLog = new models::MessageLogModel(models::MessageLogModel::Mode::PubSub, this);
    m_pubSubTraffic =
        new models::TrafficStatsModel(models::TrafficStatsModel::Mode::Channels, this);
    m_pubSubPage = new ui::PubSubPage(m_pubSubLog, m_pubSubTraffic, m_view);
    m_view->addTab(m_pubSubPage, tr("Pub/Sub"));
    m_profilerLog = new models::MessageLogModel(models::MessageLogModel::Mode::Monitor, this);
    m_profilerCounts =
        new models::TrafficStatsModel(models::TrafficStatsModel::Mode::Commands, this);
    m_profilerPage = new ui::ProfilerPage(m_profilerLog, m_profilerCounts, m_view);
    m_view->addTab(m_profilerPage, tr("Profiler"));
    m_console = new ui::ConsolePage(&m_history, m_view);
    m_view->addTab(m_console, tr("Console"));
    m_view->setFocusProxy(m_console);

    connect(m_client, &connectors::RedisClient::stateChanged, m_status,
            &models::SessionStatus::setConnectionState);
    connect(m_client, &connectors::RedisClient::databaseChanged, m_status,
            &models::SessionStatus::setDb);
    connect(m_probe, &connectors::ServerStatusProbe::statusChanged, m_status,
            &models::SessionStatus::setServerStatus);
    connect(m_client, &connectors::RedisClient::stateChanged, this,
            [this](ConnectionState state, const RedisError &error, int) {
                if (state == ConnectionState::Connected) {
                    m_reconnecting = false;
                    if (m_everConnected && m_console)
                        m_console->showNotice(tr("reconnected"));
                    m_everConnected = true;
                    m_probe->sampleNow();
                    if (!m_scannedOnce && m_keysPage) {
                        m_scannedOnce = true;
                        m_keysPage->startScan(); // keys stream in as soon as the page is there
                    }
                } else if (state == ConnectionState::WaitingToReconnect && m_console
                           && !m_reconnecting) {
                    // Said once per outage; the sidebar and status bar keep the countdown.
                    m_reconnecting = true;
                    m_console->showNotice(tr("%1; reconnecting…").arg(error.toString()));
                } else if (state == ConnectionState::Failed && m_console) {
                    m_console->showNotice(error.toString());
                }
                Q_EMIT stateChanged(state, error, m_status->stateText());
            });
    m_consoleController = new ConsoleController(m_client, m_console, this);
    m_keys = new KeysController(m_browserClient, m_keyModel, m_keysPage, this);
    m_cache =
        new CacheController(m_browserClient, m_probe, m_keyModel, m_cacheModel, m_cachePage, this);
    connect(m_cachePage, &ui::CachePage::invalidateRequested, m_keys,
            &KeysController::openBulkDialog);
    // Pub/Sub listings, PUBLISH and CONFIG on the browser connection (never behind the
    // console); subscriptions and MONITOR on connections of their own.
    m_pubSub =
        new PubSubController(m_browserClient, m_pubSubPage, m_pubSubLog, m_pubSubTraffic, this);
    if (!m_profile.transient) {
        m_pubSub->rememberSubscriptionsIn(
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
            + QStringLiteral("/pubsub/") + m_profile.id + QStringLiteral(".json"));
    }
    // One broker adapter for the session: the Queues and Tasks pages share its queue list and
    // its connection (the browser's).
    m_broker = new connectors::RedisCeleryBroker(m_browserClient,
                                                 m_profile.celery.keyPrefix.toUtf8(), this);
    m_queues =
        new QueuesController(m_broker, m_queuesPage, m_queueList, m_queueMessages, m_profile.name,
                             connectors::AuditLog::defaultPath(), m_profile.celery, this);
    TasksController::Setup tasks;
    QString backendProblem;
    if (!m_profile.resultBackendSettings(s, &tasks.backend, &backendProblem))
        tasks.backend = s; // said on the page below; the broker's db is the next best guess
    else if (!backendPassword.isEmpty() && !m_profile.celery.resultBackend.isEmpty())
        tasks.backend.password = backendPassword;
    tasks.keyPrefix = m_profile.celery.keyPrefix.toUtf8();
    tasks.catalog = loadTaskCatalog();
    tasks.profile = m_profile.name;
    tasks.auditPath = connectors::AuditLog::defaultPath();
    m_tasks = new TasksController(m_broker, std::move(tasks), m_tasksPage, m_taskRuns, m_auditLog,
                                  m_queueList, m_queueMessages, this);
    // The Data page: its own connections (a large value never queues behind the browser); its
    // refreshes go through the Tasks page's controller (audited, followed there too).
    m_data = new DataController(s, m_tasks, m_dataPage, m_dataModel, this);
    connect(m_keysPage->details(), &ui::KeyDetailsPane::openAsDatasetRequested, this,
            [this](const QByteArray &key, const QByteArray &type) {
                m_data->openKey(key, type);
                if (m_view && m_dataPage)
                    m_view->setCurrentWidget(m_dataPage);
            });
    // Run task… on the Queues page: the same dialog, the selected queue chosen; the run is
    // followed on the Tasks page.
    connect(m_queuesPage, &ui::QueuesPage::runTaskRequested, this, [this](const QByteArray &queue) {
        ui::RunTaskDialog *dialog = m_tasks->openRunDialog();
        if (!queue.isEmpty())
            dialog->setQueue(QString::fromUtf8(queue));
    });
    if (!backendProblem.isEmpty())
        m_tasksPage->setStatus(
            tr("%1; results are read from the broker's db instead").arg(backendProblem), true);
    // Celery's events for the whole session: the timeline and the Workers page, kept in the
    // profile's event store.
    m_timeline = new models::TaskTimelineModel(EventsController::kTasksInMemory, this);
    m_eventStore = new store::EventStore(
        eventStorePath(), store::EventStoreLimits::load(store::EventStoreLimits::defaultPath()),
        this);
    m_events = new EventsController(m_broker, m_timeline, m_eventStore, this);
    m_workers = new WorkersController(m_broker, m_workerList, m_workersPage, m_events, m_timeline,
                                      m_profile.name, connectors::AuditLog::defaultPath(), this);
    m_timelineView = new ui::TaskTimelineView(m_timeline, m_tasksPage);
    m_tasksPage->addTimeline(m_timelineView);
    m_timelineController = new TimelineController(
        m_broker, m_events, m_timeline, m_eventStore, m_timelineView, m_tasks->backend(),
        m_profile.name, connectors::AuditLog::defaultPath(), this);
    m_timelineController->setSeenMessages(m_queueMessages, m_taskRuns);
    m_profiler = new ProfilerController(m_browserClient, m_profilerPage, m_profilerLog,
                                        m_profilerCounts, this);
}

Session::~Session()
{
    if (!m_profile.transient)
        m_history.save(historyPath());
}

void Session::start()
{
    m_client->open();
    m_browserClient->open();
    m_events->start();
    m_probe->start(kStatusIntervalMs);
}

QString Session::eventStorePath() const
{
    QString name = m_profile.id;
    if (m_profile.transient || name.isEmpty()) {
        // Named after the server and db (never a secret): the same --connect finds it again.
        const QByteArray where = m_client->settings().endpoint().toUtf8() + '/'
                                 + QByteArray::number(m_client->settings().db);
        name = QStringLiteral("server-")
               + QString::fromLatin1(
                   QCryptographicHash::hash(where, QCryptographicHash::Sha1).toHex().left(16));
    }
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/events/") + name + QStringLiteral(".sqlite");
}

QString Session::historyPath() const
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/history/") + m_profile.id + QStringLiteral(".json");
}

} // namespace bd::app
