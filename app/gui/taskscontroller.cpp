#include "taskscontroller.h"

#include "audit/auditlog.h"
#include "audit/auditlogmodel.h"
#include "auditwrite.h"
#include "celery/celeryresultfollower.h"
#include "celery/rediscelerybroker.h"
#include "codec/untrustedjson.h"
#include "common/offthread.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"
#include "queues/taskdraft.h"
#include "queues/taskrunsmodel.h"
#include "redis/redisclient.h"
#include "tasks/runtaskdialog.h"

#include <QStandardPaths>
#include <QUuid>

#include <memory>

namespace bd::app {

using connectors::RedisError;

connectors::TaskCatalog loadTaskCatalog()
{
    connectors::TaskCatalog catalog;
    catalog.loadFile(QStringLiteral(":/brokerdesk/catalog/tasks.json"), false);
    catalog.loadFile(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
                         + QStringLiteral("/tasks.json"),
                     true);
    return catalog;
}

TasksController::TasksController(connectors::CeleryBroker *broker, Setup setup, ui::TasksPage *page,
                                 models::TaskRunsModel *runs, models::AuditLogModel *audit,
                                 models::QueueListModel *queues, models::QueueMessagesModel *seen,
                                 QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_readOnly(broker->isReadOnly())
    , m_setup(std::move(setup))
    , m_page(page)
    , m_runs(runs)
    , m_audit(audit)
    , m_queues(queues)
    , m_seen(seen)
{
    page->setActions(m_setup.catalog.actions());
    page->setReadOnly(m_readOnly);
    if (!m_setup.catalog.problems().isEmpty())
        page->setStatus(
            tr("Task catalog: %1").arg(m_setup.catalog.problems().join(QLatin1String("; "))), true);
    connect(page, &ui::TasksPage::runTaskRequested, this, [this] { openRunDialog(); });
    connect(page, &ui::TasksPage::actionRequested, this, &TasksController::runAction);
    connect(page, &ui::TasksPage::auditReloadRequested, this, &TasksController::reloadAudit);
}

ui::RunTaskDialog *TasksController::openRunDialog(const QString &task)
{
    auto *dialog = new ui::RunTaskDialog(m_page);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setCatalog(m_setup.catalog.tasks(), m_seen->taskNamesSeen());
    dialog->setQueues(m_queues->names());
    dialog->setKeyPrefix(m_setup.keyPrefix);
    dialog->setReadOnly(m_readOnly);
    if (!task.isEmpty())
        dialog->chooseTask(task);
    QPointer<ui::RunTaskDialog> guard(dialog);
    connect(dialog, &ui::RunTaskDialog::sendRequested, this,
            [this, guard](const models::TaskDraft &draft) {
                send(draft, QString(),
                     [guard](bool sent, const QString &problem, bool mayHaveArrived) {
                         if (guard)
                             guard->sendFinished(sent, problem, mayHaveArrived);
                     });
            });
    dialog->open();
    return dialog;
}

QString TasksController::sendTask(const QString &task, const QString &label, SendDone done)
{
    models::TaskForm form;
    form.task = task;
    if (const connectors::CatalogTask *entry = m_setup.catalog.find(task)) {
        form.args = connectors::jsonToText(entry->args);
        form.kwargs = connectors::jsonToText(entry->kwargs);
        form.queue = entry->queue;
    } else {
        form.args = QStringLiteral("[]");
        form.kwargs = QStringLiteral("{}");
        form.queue = QStringLiteral("celery");
    }
    form.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const models::TaskDraft draft =
        models::draftTask(form, m_setup.keyPrefix, QDateTime::currentDateTimeUtc());
    if (!draft.ok()) {
        done(false, !draft.error.isEmpty() ? draft.error : draft.argsError + draft.kwargsError,
             false);
        return {};
    }
    send(draft, label, std::move(done));
    return draft.encoded.id;
}

void TasksController::runAction(const QString &task)
{
    const connectors::CatalogTask *entry = m_setup.catalog.find(task);
    if (!entry || !m_page)
        return;
    m_page->setActionBusy(task, true); // one press, one message
    const QString label = entry->label;
    sendTask(
        task, label, [this, task, label](bool sent, const QString &problem, bool mayHaveArrived) {
            if (!m_page)
                return;
            m_page->setActionBusy(task, false);
            if (!sent)
                m_page->setStatus(
                    mayHaveArrived
                        ? tr("%1: %2; the message may have reached the broker").arg(label, problem)
                        : tr("%1 not sent: %2").arg(label, problem),
                    true);
        });
}

void TasksController::send(const models::TaskDraft &draft, const QString &label, SendDone done)
{
    const connectors::EncodedCeleryTask &task = draft.encoded;
    models::TaskRun run;
    run.id = task.id;
    run.task = draft.request.task;
    run.label = label;
    run.queue = draft.request.queue;
    run.sentAt = QDateTime::currentDateTimeUtc();
    m_runs->addRun(run);
    if (m_page)
        m_page->selectRun(run.id);
    // Followed before the message leaves: a worker quicker than this answer is not missed.
    follow(task.id);
    const QString queue = draft.request.queue;
    const QString name = draft.request.task;
    m_broker->publish(
        task, this,
        [this, id = task.id, queue, name, label, done](qint64, const RedisError &error) {
            QString outcome = error.isError() ? QStringLiteral("failed: %1").arg(error.toString())
                                              : QStringLiteral("sent %1").arg(name);
            if (!label.isEmpty())
                outcome += QStringLiteral(" (%1)").arg(label);
            const QString unaudited = writeAudit(
                m_setup.auditPath, {m_setup.profile, QStringLiteral("send"), queue, {id}, outcome});
            if (error.isError()) {
                // Lost with the command in flight: it may have arrived. Refused or never
                // connected: it surely did not.
                const bool mayHaveArrived = error.kind == RedisError::Kind::ConnectionLost
                                            || error.kind == RedisError::Kind::CommandTimeout;
                if (mayHaveArrived) {
                    // Still followed and not final: if the message did arrive, its states still
                    // show.
                    m_runs->setProblem(
                        id,
                        tr("%1: the message may have reached the broker").arg(error.toString()));
                } else {
                    m_runs->setNotSent(id, error.toString());
                    stopFollowing(id);
                }
                done(false, error.toString() + unaudited, mayHaveArrived);
                return;
            }
            m_runs->setSent(id);
            if (m_page)
                m_page->setStatus(
                    tr("Sent %1 to %2 as %3").arg(label.isEmpty() ? name : label, queue, id)
                        + unaudited,
                    !unaudited.isEmpty());
            done(true, QString(), false);
        });
}

void TasksController::follow(const QString &id)
{
    // Bounded: each follower holds two connections until its task ends.
    while (m_followOrder.size() >= kMaxFollowed) {
        const QString oldest = m_followOrder.first();
        m_runs->setProblem(
            oldest, tr("no longer followed (%1 tasks followed at once); brokerdesk-cli result %2 "
                       "reads its state")
                        .arg(kMaxFollowed)
                        .arg(oldest));
        stopFollowing(oldest);
    }
    auto *follower = new connectors::CeleryResultFollower(m_setup.backend, id, this);
    m_followers.insert(id, follower);
    m_followOrder << id;
    connect(follower, &connectors::CeleryResultFollower::stateChanged, this,
            [this, id](const connectors::CeleryTaskResult &result) {
                m_runs->setResult(result);
                Q_EMIT resultChanged(result);
                if (result.isFinal())
                    stopFollowing(id);
            });
    connect(follower, &connectors::CeleryResultFollower::failed, this,
            [this, id](const RedisError &error) {
                m_runs->setProblem(id, tr("result backend: %1").arg(error.toString()));
            });
    follower->start();
}

void TasksController::stopFollowing(const QString &id)
{
    m_followOrder.removeAll(id);
    if (connectors::CeleryResultFollower *f = m_followers.take(id))
        f->deleteLater();
}

void TasksController::reloadAudit()
{
    // Up to 4 MiB of the log's tail is read and parsed: on a pool thread, not the GUI's.
    struct Job
    {
        QList<connectors::AuditLog::Record> records;
        int skipped = 0;
        QString error;
    };
    auto job = std::make_shared<Job>();
    const QString path = m_setup.auditPath;
    const quint64 generation = ++m_auditGeneration;
    if (m_page)
        m_page->setAuditNote(tr("Reading %1…").arg(path), false);
    models::runOffThread(
        this,
        [job, path] {
            constexpr int kShown = 5000;
            job->records = connectors::AuditLog(path).readLast(kShown, &job->skipped, &job->error);
        },
        [this, job, path, generation] {
            if (generation != m_auditGeneration)
                return; // a newer reload is on its way
            m_audit->setRecords(job->records);
            if (!m_page)
                return;
            if (!job->error.isEmpty()) {
                m_page->setAuditNote(tr("Cannot read %1: %2").arg(path, job->error), true);
                return;
            }
            QString note = tr("%1 · the last %Ln change(s) made to a broker from this computer",
                              nullptr, m_audit->rowCount())
                               .arg(path);
            if (job->skipped > 0)
                note += tr(" · %n line(s) that are not records skipped", nullptr, job->skipped);
            m_page->setAuditNote(note, job->skipped > 0);
        });
}

} // namespace bd::app
