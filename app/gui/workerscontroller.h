#pragma once

#include "celery/workerinspection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QVariantMap>

class QTimer;

namespace bd::connectors {
class CeleryBroker;
}
namespace bd::models {
class TaskTimelineModel;
class WorkerListModel;
} // namespace bd::models
namespace bd::ui {
class WorkersPage;
}

namespace bd::app {

class EventsController;

// The Workers page's wiring: the workers the events report (heartbeats, task events) joined
// with what they answer to inspect calls, asked when the page is shown, on Refresh and every
// 10 s while it is shown (never while hidden); liveness re-judged twice a second. Controls go
// to the broker as remote-control commands (refused on read-only profiles), every worker's
// reply is shown, and each is written to the audit log with the replies.
class WorkersController : public QObject
{
    Q_OBJECT

public:
    WorkersController(connectors::CeleryBroker *broker, models::WorkerListModel *workers,
                      ui::WorkersPage *page, EventsController *events,
                      models::TaskTimelineModel *timeline, QString profile, QString auditPath,
                      QObject *parent = nullptr);

    // One inspection round (all methods at once); ignored while one runs.
    void inspect();

    static constexpr int kInspectIntervalMs = 10000;
    static constexpr int kInspectTimeoutMs = 1500; // a worker slower than this is not answering
    static constexpr int kControlTimeoutMs = 2000;
    // Liveness is judged again this often (a heartbeat window is 2 × 2 s by default).
    static constexpr int kTickMs = 500;

Q_SIGNALS:
    void inspected();
    // A control's replies arrived (and were audited).
    void controlDone(const QString &method, const QStringList &lines);

private:
    void control(const QString &method, const QVariantMap &arguments, const QStringList &workers);

    connectors::CeleryBroker *m_broker; // Not owned: the session's.
    models::WorkerListModel *m_workers; // Not owned.
    QPointer<ui::WorkersPage> m_page;
    models::TaskTimelineModel *m_timeline; // Not owned.
    QString m_profile;
    QString m_auditPath;
    QTimer *m_inspectTimer = nullptr; // Owned (child).
    QTimer *m_tick = nullptr;         // Owned (child).
    int m_waiting = 0;                // inspect calls in flight
    QHash<QString, connectors::WorkerInspection> m_round;
    QString m_roundError;
};

} // namespace bd::app
