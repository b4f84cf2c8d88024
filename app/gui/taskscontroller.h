#pragma once

#include "celery/celeryresultfollower.h"
#include "celery/taskcatalog.h"
#include "redis/connectionsettings.h"
#include "tasks/taskspage.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace bd::connectors {
class CeleryResultFollower;
class CeleryBroker;
class RedisClient;
} // namespace bd::connectors
namespace bd::models {
class AuditLogModel;
class QueueListModel;
class QueueMessagesModel;
struct TaskDraft;
class TaskRunsModel;
} // namespace bd::models
namespace bd::ui {
class RunTaskDialog;
}

namespace bd::app {

// The Tasks page's wiring: Run task… and the catalog's one-click actions push a task message
// (once per press: a button waits for the broker's answer), each sent task's state is
// followed on the result backend until it is final, every send is written to the audit log,
// and the audit log is read back when its tab is shown.
class TasksController : public QObject
{
    Q_OBJECT

public:
    struct Setup
    {
        connectors::ConnectionSettings backend; // the result backend (the broker by default)
        QByteArray keyPrefix; // the broker's global_keyprefix (the message's list key)
        connectors::TaskCatalog catalog;
        QString profile; // the name the audit log records
        QString auditPath;
    };

    // broker: the session's adapter (shared with the Queues page).
    TasksController(connectors::CeleryBroker *broker, Setup setup, ui::TasksPage *page,
                    models::TaskRunsModel *runs, models::AuditLogModel *audit,
                    models::QueueListModel *queues, models::QueueMessagesModel *seen,
                    QObject *parent = nullptr);

    // Opens the Run task dialog (window-modal, not blocking), the task filled in when named.
    ui::RunTaskDialog *openRunDialog(const QString &task = {});
    void reloadAudit();
    // Tasks followed on the result backend now (each on two connections of its own).
    int followed() const { return int(m_followers.size()); }
    // Where results are read from.
    const connectors::ConnectionSettings &backend() const { return m_setup.backend; }
    connectors::CeleryBroker *broker() const { return m_broker; }
    const connectors::TaskCatalog &catalog() const { return m_setup.catalog; }
    bool isReadOnly() const { return m_readOnly; }

    // Sends one message of a task (its catalog arguments and queue, or none and "celery" when
    // it is not catalogued), followed and audited as every send; done says how the broker
    // answered. Returns the message's id, or empty when it could not be made (said in done).
    using SendDone = std::function<void(bool sent, const QString &problem, bool mayHaveArrived)>;
    QString sendTask(const QString &task, const QString &label, SendDone done);

    static constexpr int kMaxFollowed = 50;

Q_SIGNALS:
    // A followed task's state, as the result backend holds it (every task sent from here).
    void resultChanged(const bd::connectors::CeleryTaskResult &result);

private:
    void send(const models::TaskDraft &draft, const QString &label, SendDone done);
    void runAction(const QString &task);
    void follow(const QString &id);
    void stopFollowing(const QString &id);

    connectors::CeleryBroker *m_broker; // Not owned: the session's.
    bool m_readOnly;
    Setup m_setup;
    QPointer<ui::TasksPage> m_page;
    models::TaskRunsModel *m_runs;                                  // Not owned.
    models::AuditLogModel *m_audit;                                 // Not owned.
    models::QueueListModel *m_queues;                               // Not owned.
    models::QueueMessagesModel *m_seen;                             // Not owned.
    QHash<QString, connectors::CeleryResultFollower *> m_followers; // Owned (children), by task id.
    QStringList m_followOrder;                                      // oldest first
    quint64 m_auditGeneration = 0; // the audit log reload whose result is shown
};

// The default catalog shipped in the resources, then the operator's own
// (<AppConfigLocation>/tasks.json), which overrides it task by task.
connectors::TaskCatalog loadTaskCatalog();

} // namespace bd::app
