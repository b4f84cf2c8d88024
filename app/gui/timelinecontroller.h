#pragma once

#include "redis/connectionsettings.h"

#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {
class CeleryBroker;
class RedisClient;
} // namespace bd::connectors
namespace bd::models {
class QueueMessagesModel;
class TaskRunsModel;
class TaskTimelineModel;
} // namespace bd::models
namespace bd::store {
class EventStore;
}
namespace bd::ui {
class TaskTimelineView;
}

namespace bd::app {

class EventsController;

// The tasks timeline's wiring: its status line (counts, the store, gaps), the result backend
// record of the selected task (read when it is selected), revoke (audited, every worker's
// reply said), and the per-task statistics of the last hour.
class TimelineController : public QObject
{
    Q_OBJECT

public:
    TimelineController(connectors::CeleryBroker *broker, EventsController *events,
                       models::TaskTimelineModel *timeline, store::EventStore *store,
                       ui::TaskTimelineView *view, const connectors::ConnectionSettings &backend,
                       QString profile, QString auditPath, QObject *parent = nullptr);

    // Where a task's message may have been seen: the Queues page's pages, the tasks sent here.
    void setSeenMessages(models::QueueMessagesModel *queued, models::TaskRunsModel *sent);

    static constexpr int kStatusIntervalMs = 500;
    static constexpr int kRevokeTimeoutMs = 2000;
    static constexpr int kMaxQueueRowsLooked = 200000; // a selection never waits on more

Q_SIGNALS:
    void revoked(const QStringList &ids, const QStringList &replies);

private:
    void updateStatus();
    void readBackend(const QString &uuid);
    void findQueueMessage(const QString &uuid);
    void revoke(const QStringList &ids, bool terminate, const QString &signal);

    connectors::CeleryBroker *m_broker;    // Not owned: the session's.
    EventsController *m_events;            // Not owned.
    models::TaskTimelineModel *m_timeline; // Not owned.
    QPointer<store::EventStore> m_store;
    QPointer<ui::TaskTimelineView> m_view;
    connectors::ConnectionSettings m_backendSettings;
    connectors::RedisClient *m_backend = nullptr; // Owned (child), made when first needed.
    QPointer<models::QueueMessagesModel> m_queued;
    QPointer<models::TaskRunsModel> m_sent;
    QString m_profile;
    QString m_auditPath;
    QTimer *m_status = nullptr; // Owned (child): the status line at most this often
};

} // namespace bd::app
