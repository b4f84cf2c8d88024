#include "workerscontroller.h"

#include "auditwrite.h"
#include "celery/celerybroker.h"
#include "codec/untrustedjson.h"
#include "events/tasktimelinemodel.h"
#include "eventscontroller.h"
#include "workers/workercontroldialog.h"
#include "workers/workerlistmodel.h"
#include "workers/workerspage.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace bd::app {

using connectors::CeleryControlReply;
using connectors::RedisError;

namespace {

double nowSeconds()
{
    return QDateTime::currentMSecsSinceEpoch() / 1000.0;
}

// QVariantMap → the JSON object Celery reads (numbers stay numbers, null stays null).
nlohmann::json toJson(const QVariantMap &map)
{
    const QByteArray bytes = QJsonDocument(QJsonObject::fromVariantMap(map)).toJson();
    auto parsed = connectors::parseUntrustedJson(bytes);
    return parsed.ok() ? parsed.value : nlohmann::json::object();
}

} // namespace

WorkersController::WorkersController(connectors::CeleryBroker *broker,
                                     models::WorkerListModel *workers, ui::WorkersPage *page,
                                     EventsController *events, models::TaskTimelineModel *timeline,
                                     QString profile, QString auditPath, QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_workers(workers)
    , m_page(page)
    , m_timeline(timeline)
    , m_profile(std::move(profile))
    , m_auditPath(std::move(auditPath))
{
    m_inspectTimer = new QTimer(this);
    m_inspectTimer->setInterval(kInspectIntervalMs);
    connect(m_inspectTimer, &QTimer::timeout, this, &WorkersController::inspect);
    m_tick = new QTimer(this);
    m_tick->setInterval(kTickMs);
    connect(m_tick, &QTimer::timeout, this, [this] { m_workers->tick(nowSeconds()); });
    if (events) {
        connect(events, &EventsController::applied, this,
                [this] { m_workers->setEventWorkers(m_timeline->state().workers()); });
        connect(events, &EventsController::statusChanged, this,
                [this] { m_workers->setEventWorkers(m_timeline->state().workers()); });
    }
    m_page->setReadOnly(m_broker->isReadOnly());
    connect(m_page, &ui::WorkersPage::shown, this, [this] {
        m_workers->setEventWorkers(m_timeline->state().workers());
        inspect();
        m_inspectTimer->start();
        m_tick->start();
    });
    connect(m_page, &ui::WorkersPage::hidden, this, [this] {
        m_inspectTimer->stop();
        m_tick->stop();
    });
    connect(m_page, &ui::WorkersPage::refreshRequested, this, &WorkersController::inspect);
    connect(m_page, &ui::WorkersPage::controlRequested, this, &WorkersController::control);
}

void WorkersController::inspect()
{
    if (m_waiting > 0)
        return;
    const QStringList methods = connectors::workerInspectMethods();
    m_waiting = int(methods.size());
    m_round.clear();
    m_roundError.clear();
    if (m_page)
        m_page->setStatus(tr("Asking the workers…"), false);
    for (const QString &method : methods) {
        nlohmann::json arguments = nlohmann::json::object();
        if (method == QLatin1String("registered"))
            arguments["taskinfoitems"] = {"rate_limit"};
        m_broker->control(
            method, arguments, {}, kInspectTimeoutMs, this,
            [this, method](const QList<CeleryControlReply> &replies, const RedisError &error) {
                if (error.isError() && m_roundError.isEmpty())
                    m_roundError = error.toString();
                connectors::takeInspectReplies(m_round, method, replies);
                if (--m_waiting > 0)
                    return;
                m_workers->setInspection(m_round);
                if (m_page) {
                    const QString when =
                        QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
                    if (!m_roundError.isEmpty())
                        m_page->setStatus(tr("Workers could not be asked: %1").arg(m_roundError),
                                          true);
                    else
                        m_page->setStatus(
                            tr("%n worker(s) answered at %1", nullptr, int(m_round.size()))
                                .arg(when),
                            false);
                    m_page->refreshDetails();
                }
                Q_EMIT inspected();
            });
    }
}

void WorkersController::control(const QString &method, const QVariantMap &arguments,
                                const QStringList &workers)
{
    const QString label = ui::WorkerControlDialog::label(method);
    if (m_broker->isReadOnly()) {
        if (m_page)
            m_page->showReplies(label, {tr("refused: this profile is read-only")}, true);
        return;
    }
    const nlohmann::json args = toJson(arguments);
    m_broker->control(
        method, args, workers, kControlTimeoutMs, this,
        [this, method, label, args, workers](const QList<CeleryControlReply> &replies,
                                             const RedisError &error) {
            QStringList lines;
            QStringList answered;
            bool problem = error.isError();
            for (const CeleryControlReply &r : replies) {
                lines << r.node + QStringLiteral(": ") + connectors::controlReplyText(r.answer);
                answered << r.node;
                problem = problem || !connectors::isOkReply(r.answer);
            }
            for (const QString &w : workers) {
                if (!answered.contains(w)) {
                    lines << tr("%1: did not answer").arg(w);
                    problem = true;
                }
            }
            if (error.isError())
                lines << tr("failed: %1").arg(error.toString());
            else if (replies.isEmpty() && workers.isEmpty())
                lines << tr("no worker answered");
            lines.sort();
            const QString missed = writeAudit(
                m_auditPath,
                {m_profile,
                 QStringLiteral("control %1 %2").arg(method, connectors::jsonToText(args)),
                 workers.isEmpty() ? QStringLiteral("all workers")
                                   : workers.join(QLatin1String(", ")),
                 {},
                 lines.join(QLatin1String("; "))});
            if (!missed.isEmpty())
                lines << missed;
            if (m_page)
                m_page->showReplies(label, lines, problem || replies.isEmpty());
            Q_EMIT controlDone(method, lines);
            inspect(); // what changed shows at once
        });
}

} // namespace bd::app
