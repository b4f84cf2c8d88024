#include "queuescontroller.h"

#include "auditwrite.h"
#include "celery/rediscelerybroker.h"
#include "common/counts.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"
#include "redis/redisclient.h"
#include "redis/replyformatter.h"

#include <QDateTime>
#include <QLocale>
#include <QSaveFile>
#include <QTimer>

#include <algorithm>

namespace bd::app {

using connectors::CeleryQueueInfo;
using connectors::CeleryQueuePage;
using connectors::RedisError;

namespace {
constexpr int kPollIntervalMs = 1000;
constexpr int kContentsIntervalMs = 2000;
constexpr int kMaxInFlightRead = 1000; // unacked entries read per poll, oldest first
constexpr int kInFlightEveryReadings = 5;
} // namespace

QueuesController::QueuesController(connectors::CeleryBroker *broker, ui::QueuesPage *page,
                                   models::QueueListModel *queues,
                                   models::QueueMessagesModel *messages, QString profile,
                                   QString auditPath,
                                   const connectors::CeleryProfileSettings &celery, QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_profile(std::move(profile))
    , m_auditPath(std::move(auditPath))
    , m_page(page)
    , m_queues(queues)
    , m_messages(messages)
    , m_poll(new QTimer(this))
    , m_visibilityTimeoutS(celery.visibilityTimeoutS)
{
    m_poll->setInterval(kPollIntervalMs);
    connect(m_poll, &QTimer::timeout, this, &QueuesController::poll);
    connect(page, &ui::QueuesPage::shownChanged, this, [this](bool shown) {
        if (shown) {
            poll();
            m_poll->start();
        } else {
            m_poll->stop();
        }
    });
    connect(page, &ui::QueuesPage::refreshRequested, this, [this] {
        m_broker->rediscover(); // Refresh also looks for queues declared since
        poll();
    });
    connect(page, &ui::QueuesPage::purgeRequested, this, &QueuesController::purge);
    connect(page, &ui::QueuesPage::deleteRequested, this, &QueuesController::deleteMessage);
    connect(page, &ui::QueuesPage::moveRequested, this, &QueuesController::move);
    connect(page, &ui::QueuesPage::exportRequested, this, &QueuesController::exportMessages);
    page->setReadOnly(broker->isReadOnly());
    connect(page, &ui::QueuesPage::addQueueRequested, this, [this](const QByteArray &name) {
        m_broker->addQueue(name);
        poll();
    });
    connect(page, &ui::QueuesPage::queueSelected, this, [this](const QByteArray &name) {
        const int row = m_queues->rowOf(name);
        const CeleryQueueInfo *q = m_queues->queueAt(row);
        m_messages->setQueue(name, q ? q->depth() : 0);
        m_sinceContents.start();
    });
    connect(messages, &models::QueueMessagesModel::pageWanted, this,
            [this](const QByteArray &queue, qint64 offset, int limit) {
                m_broker->peek(queue, offset, limit, this,
                               [this](const CeleryQueuePage &p, const RedisError &error) {
                                   if (error.isError()) {
                                       if (m_page)
                                           m_page->setStatus(tr("Cannot read %1: %2")
                                                                 .arg(QString::fromUtf8(p.queue),
                                                                      error.toString()),
                                                             true);
                                       return;
                                   }
                                   m_messages->setPage(p);
                               });
            });
}

void QueuesController::showQueue(const QByteArray &name)
{
    m_broker->addQueue(name);
    m_toOpen = name;
}

void QueuesController::poll()
{
    if (m_polling)
        return;
    m_polling = true;
    m_broker->listQueues(this, [this](const QList<CeleryQueueInfo> &queues,
                                      const RedisError &error) {
        m_polling = false;
        if (!m_page)
            return;
        if (error.isError()) {
            m_page->setStatus(tr("Cannot read the queues: %1").arg(error.toString()), true);
            return;
        }
        m_queues->setQueues(queues, QDateTime::currentMSecsSinceEpoch());
        qint64 total = 0;
        for (const CeleryQueueInfo &q : queues)
            total += q.depth();
        m_page->setStatus(tr("%Ln queue(s), %1 waiting · read at %2", nullptr, int(queues.size()))
                              .arg(ui::messageCount(total),
                                   QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))),
                          false);
        // In flight: what workers hold, by the queue it came from. The envelopes are read too
        // (the queue is inside), so this is read on every fifth reading only.
        if (m_readings++ % kInFlightEveryReadings == 0)
            m_broker->inFlight(
                kMaxInFlightRead, this,
                [this](const QList<connectors::CeleryInFlight> &items, qint64, const RedisError &) {
                    QHash<QByteArray, models::QueueListModel::InFlight> byQueue;
                    const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
                    for (const connectors::CeleryInFlight &f : items) {
                        auto &q = byQueue[f.queue];
                        ++q.count;
                        q.oldestAgeS = std::max(q.oldestAgeS, now - f.deliveredAt);
                    }
                    m_queues->setInFlight(byQueue, m_visibilityTimeoutS);
                });
        if (!m_toOpen.isEmpty() && m_queues->rowOf(m_toOpen) >= 0) {
            if (m_page->selectedQueue().isEmpty())
                m_page->selectQueue(m_toOpen);
            m_toOpen.clear();
        }
        const QByteArray selected = m_messages->queue();
        if (selected.isEmpty())
            return;
        const CeleryQueueInfo *q = m_queues->queueAt(m_queues->rowOf(selected));
        m_messages->setDepth(q ? q->depth() : 0);
        // What is on screen moves as workers take messages: read it again now and then.
        if (m_sinceContents.isValid() && m_sinceContents.elapsed() >= kContentsIntervalMs) {
            m_messages->refresh();
            m_sinceContents.restart();
        }
    });
}

QString QueuesController::audit(const QString &action, const QByteArray &queue,
                                const QStringList &taskIds, const QString &outcome)
{
    return writeAudit(m_auditPath,
                      {m_profile, action, connectors::ReplyFormatter::escapeBytes(queue, false),
                       taskIds, outcome});
}

void QueuesController::purge(const QByteArray &queue, qint64 depth)
{
    Q_UNUSED(depth); // what the operator was shown; the count reported is what went
    m_broker->purge(queue, this, [this, queue](qint64 removed, const RedisError &error) {
        const QString name = QString::fromUtf8(queue);
        if (error.isError()) {
            const QString unaudited = audit(QStringLiteral("purge"), queue, {},
                                            QStringLiteral("failed: %1").arg(error.toString()));
            if (m_page)
                m_page->setActionResult(
                    tr("%1 not purged: %2").arg(name, error.toString()) + unaudited, true);
            return;
        }
        const QString unaudited =
            audit(QStringLiteral("purge"), queue, {}, QStringLiteral("removed %1").arg(removed));
        if (m_page)
            m_page->setActionResult(tr("Purged %1: %2 removed").arg(name, ui::messageCount(removed))
                                        + unaudited,
                                    !unaudited.isEmpty());
        poll();
    });
}

void QueuesController::deleteMessage(const QByteArray &queue, int step, const QByteArray &message,
                                     const QString &taskId)
{
    m_broker->deleteMessage(
        queue, step, message, this, [this, queue, taskId](qint64 removed, const RedisError &error) {
            const QStringList ids = taskId.isEmpty() ? QStringList() : QStringList{taskId};
            if (error.isError()) {
                const QString unaudited = audit(QStringLiteral("delete"), queue, ids,
                                                QStringLiteral("failed: %1").arg(error.toString()));
                if (m_page)
                    m_page->setActionResult(tr("Not deleted: %1").arg(error.toString()) + unaudited,
                                            true);
                return;
            }
            const QString unaudited =
                audit(QStringLiteral("delete"), queue, ids,
                      removed > 0 ? QStringLiteral("removed") : QStringLiteral("gone already"));
            if (m_page) {
                const QString what = taskId.isEmpty() ? tr("the message") : taskId;
                m_page->setActionResult(
                    (removed > 0 ? tr("Deleted %1 from %2").arg(what, QString::fromUtf8(queue))
                                 : tr("Nothing deleted: a worker took the message first"))
                        + unaudited,
                    removed == 0 || !unaudited.isEmpty());
            }
            m_messages->refresh();
            poll();
        });
}

void QueuesController::move(const QByteArray &from, const QByteArray &to,
                            const QList<models::QueuedMessage> &messages)
{
    QList<connectors::CeleryBroker::MovedMessage> moved;
    QStringList ids;
    for (const models::QueuedMessage &m : messages) {
        moved << connectors::CeleryBroker::MovedMessage{m.step, m.raw};
        if (!m.taskId.isEmpty())
            ids << m.taskId;
    }
    const qsizetype asked = messages.size();
    m_broker->move(
        from, to, moved, this, [this, from, to, ids, asked](qint64 count, const RedisError &error) {
            const QByteArray target = from + " -> " + to;
            QString outcome = QStringLiteral("moved %1 of %2").arg(count).arg(asked);
            if (error.isError())
                outcome += QStringLiteral("; failed: %1").arg(error.toString());
            const QString unaudited = audit(QStringLiteral("move"), target, ids, outcome);
            if (m_page) {
                QString text = tr("Moved %1 of %2 from %3 to %4")
                                   .arg(QLocale().toString(count), ui::messageCount(asked),
                                        QString::fromUtf8(from), QString::fromUtf8(to));
                if (count < asked && !error.isError())
                    text += tr(" (the others were taken by workers first)");
                if (error.isError())
                    text += tr("; %1").arg(error.toString());
                m_page->setActionResult(text + unaudited, error.isError() || !unaudited.isEmpty());
            }
            m_broker->addQueue(to); // shown even before a worker declares it
            m_messages->refresh();
            poll();
        });
}

void QueuesController::exportMessages(const QString &path, const QByteArray &queue,
                                      const QList<models::QueuedMessage> &messages, int notLoaded)
{
    QStringList ids;
    for (const models::QueuedMessage &m : messages) {
        if (!m.taskId.isEmpty())
            ids << m.taskId;
    }
    QSaveFile file(path);
    const QByteArray lines = models::exportJsonLines(queue, messages);
    const bool written =
        file.open(QIODevice::WriteOnly) && file.write(lines) == lines.size() && file.commit();
    const QString outcome = written
                                ? QStringLiteral("%1 messages to %2").arg(messages.size()).arg(path)
                                : QStringLiteral("failed: %1").arg(file.errorString());
    const QString unaudited = audit(QStringLiteral("export"), queue, ids, outcome);
    if (!m_page)
        return;
    if (!written) {
        m_page->setActionResult(
            tr("Not exported: %1: %2").arg(path, file.errorString()) + unaudited, true);
        return;
    }
    QString text = tr("Exported %1 to %2").arg(ui::messageCount(messages.size()), path);
    if (notLoaded > 0)
        text += tr(" (selected rows not loaded yet left out: %1)").arg(notLoaded);
    m_page->setActionResult(text + unaudited, notLoaded > 0 || !unaudited.isEmpty());
}

} // namespace bd::app
