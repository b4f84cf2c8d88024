#include "timelinecontroller.h"

#include "auditwrite.h"
#include "celery/celerybroker.h"
#include "celery/celeryresultfollower.h"
#include "celery/workerinspection.h"
#include "codec/untrustedjson.h"
#include "events/eventstore.h"
#include "events/taskstatistics.h"
#include "events/tasktimelinemodel.h"
#include "events/tasktimelineview.h"
#include "eventscontroller.h"
#include "queues/queuemessagesmodel.h"
#include "queues/taskrunsmodel.h"
#include "redis/redisclient.h"

#include <QDateTime>
#include <QLocale>
#include <QTimer>

namespace bd::app {

using connectors::CeleryControlReply;
using connectors::RedisError;
using connectors::RedisResult;

TimelineController::TimelineController(connectors::CeleryBroker *broker, EventsController *events,
                                       models::TaskTimelineModel *timeline,
                                       store::EventStore *store, ui::TaskTimelineView *view,
                                       const connectors::ConnectionSettings &backend,
                                       QString profile, QString auditPath, QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_events(events)
    , m_timeline(timeline)
    , m_store(store)
    , m_view(view)
    , m_backendSettings(backend)
    , m_profile(std::move(profile))
    , m_auditPath(std::move(auditPath))
{
    m_backendSettings.clientName = QByteArrayLiteral("brokerdesk:timeline");
    m_status = new QTimer(this);
    m_status->setSingleShot(true);
    m_status->setInterval(kStatusIntervalMs);
    connect(m_status, &QTimer::timeout, this, &TimelineController::updateStatus);
    const auto soon = [this] {
        if (!m_status->isActive())
            m_status->start();
    };
    connect(m_events, &EventsController::applied, this, soon);
    connect(m_events, &EventsController::statusChanged, this, soon);
    m_view->setReadOnly(m_broker->isReadOnly());
    connect(m_view, &ui::TaskTimelineView::taskSelected, this, &TimelineController::readBackend);
    connect(m_view, &ui::TaskTimelineView::taskSelected, this,
            &TimelineController::findQueueMessage);
    connect(m_view, &ui::TaskTimelineView::revokeRequested, this, &TimelineController::revoke);
    connect(m_view, &ui::TaskTimelineView::statisticsRequested, this, [this] {
        m_view->showStatistics(models::taskStatistics(
            m_timeline->state(), QDateTime::currentMSecsSinceEpoch() / 1000.0 - 3600));
    });
    updateStatus();
}

void TimelineController::updateStatus()
{
    if (!m_view)
        return;
    const QLocale locale;
    QStringList parts;
    parts << tr("%n task(s) in the timeline", nullptr, int(m_timeline->rowCount()));
    if (m_events->eventsApplied() > 0)
        parts << tr("%n event(s) this session", nullptr, int(m_events->eventsApplied()));
    if (m_events->duplicates() > 0)
        parts << tr("%n duplicate(s) ignored", nullptr, int(m_events->duplicates()));
    if (m_events->malformed() > 0)
        parts << tr("%n with fields of the wrong type", nullptr, int(m_events->malformed()));
    if (m_broker->undecodableEvents() > 0)
        parts << tr("%n publish(es) unreadable (last: %1)", nullptr,
                    int(m_broker->undecodableEvents()))
                     .arg(m_broker->lastUndecodableEvent());
    bool problem = false;
    if (m_broker->droppedEvents() > 0) {
        parts << tr("%n publish(es) of events dropped: this window fell behind a flood", nullptr,
                    int(m_broker->droppedEvents()));
        problem = true;
    }
    if (m_events->notStored() > 0) {
        parts << tr("%n task(s) left memory before the store could take them: not stored", nullptr,
                    int(m_events->notStored()));
        problem = true;
    }
    if (!m_events->storeProblem().isEmpty()) {
        parts << tr("events kept in memory only: %1").arg(m_events->storeProblem());
        problem = true;
    }
    const QList<store::EventGap> &gaps = m_events->gaps();
    for (qsizetype i = std::max<qsizetype>(0, gaps.size() - 3); i < gaps.size(); ++i) {
        const auto time = [](double at) {
            return QDateTime::fromMSecsSinceEpoch(qint64(at * 1000))
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        };
        parts << tr("no events from %1 to %2 (the connection was lost)")
                     .arg(time(gaps[i].from), time(gaps[i].to));
        problem = true;
    }
    if (m_events->eventsApplied() == 0 && m_timeline->rowCount() == 0)
        parts << tr("no events yet: workers send them when started with -E (or enable events "
                    "on the Workers page)");
    m_view->setStatus(parts.join(QStringLiteral(" · ")), problem);
}

void TimelineController::setSeenMessages(models::QueueMessagesModel *queued,
                                         models::TaskRunsModel *sent)
{
    m_queued = queued;
    m_sent = sent;
}

void TimelineController::findQueueMessage(const QString &uuid)
{
    if (!m_view)
        return;
    if (m_sent) {
        const int row = m_sent->rowOf(uuid);
        if (const models::TaskRun *run = row >= 0 ? m_sent->runAt(row) : nullptr) {
            m_view->showQueueMessage(
                uuid, tr("sent from this window to %1 at %2 (Tasks ▸ Sent from here)")
                          .arg(run->queue, run->sentAt.toLocalTime().toString(
                                               QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
            return;
        }
    }
    if (m_queued) {
        // The rows of the pages the Queues page holds (a page not held answers null).
        const int rows = std::min(m_queued->rowCount(), kMaxQueueRowsLooked);
        for (int row = 0; row < rows; ++row) {
            const connectors::CeleryTaskMessage *m = m_queued->messageAt(row);
            if (!m || m->id != uuid)
                continue;
            m_view->showQueueMessage(
                uuid, tr("seen in queue %1 at position %2 (Queues page); exactly as sent:\n"
                         "args   %3\nkwargs %4")
                          .arg(QString::fromUtf8(m_queued->queue()))
                          .arg(row)
                          .arg(m->argsDecoded ? connectors::jsonToText(m->args) : m->argsRepr,
                               m->argsDecoded ? connectors::jsonToText(m->kwargs) : m->kwargsRepr));
            return;
        }
    }
    m_view->showQueueMessage(uuid, tr("not seen here: the Queues page did not show it before a "
                                      "worker took it"));
}

void TimelineController::readBackend(const QString &uuid)
{
    if (!m_backend) {
        m_backend = new connectors::RedisClient(m_backendSettings, this);
        m_backend->open();
    }
    m_backend->send({"GET", connectors::CeleryResultFollower::metaKey(uuid)}, this,
                    [this, uuid](const RedisResult &r) {
                        if (!m_view)
                            return;
                        if (!r.ok()) {
                            m_view->showBackendRecord(
                                uuid, tr("could not be read: %1").arg(r.error.toString()));
                            return;
                        }
                        if (r.reply.isNil()) {
                            m_view->showBackendRecord(
                                uuid, tr("none (not stored yet, expired, or the task ignores "
                                         "results)"));
                            return;
                        }
                        const connectors::CeleryTaskResult result =
                            connectors::CeleryTaskResult::parse(uuid, r.reply.bytes());
                        QString text = result.error.isEmpty()
                                           ? tr("%1, done %2\n%3")
                                                 .arg(result.status, result.dateDone,
                                                      connectors::jsonToText(result.result, 2))
                                           : result.error;
                        if (!result.traceback.isEmpty())
                            text += QLatin1Char('\n') + result.traceback;
                        m_view->showBackendRecord(uuid, text);
                    });
}

void TimelineController::revoke(const QStringList &ids, bool terminate, const QString &signal)
{
    if (m_broker->isReadOnly()) {
        if (m_view)
            m_view->setStatus(tr("Revoke refused: this profile is read-only"), true);
        return;
    }
    nlohmann::json taskIds = nlohmann::json::array();
    for (const QString &id : ids)
        taskIds.push_back(id.toStdString());
    nlohmann::json args{{"task_id", taskIds}};
    if (terminate) {
        args["terminate"] = true;
        args["signal"] = signal.toStdString();
    }
    m_broker->control(
        QStringLiteral("revoke"), args, {}, kRevokeTimeoutMs, this,
        [this, ids, args](const QList<CeleryControlReply> &replies, const RedisError &error) {
            QStringList lines;
            for (const CeleryControlReply &r : replies)
                lines << r.node + QStringLiteral(": ") + connectors::controlReplyText(r.answer);
            if (error.isError())
                lines << tr("failed: %1").arg(error.toString());
            else if (replies.isEmpty())
                lines << tr("no worker answered: nothing was revoked");
            lines.sort();
            const QString missed = writeAudit(
                m_auditPath,
                {m_profile, QStringLiteral("control revoke %1").arg(connectors::jsonToText(args)),
                 QStringLiteral("all workers"), ids, lines.join(QLatin1String("; "))});
            if (!missed.isEmpty())
                lines << missed;
            if (m_view)
                m_view->setStatus(tr("Revoke: %1").arg(lines.join(QLatin1String("; "))),
                                  error.isError() || replies.isEmpty());
            Q_EMIT revoked(ids, lines);
        });
}

} // namespace bd::app
