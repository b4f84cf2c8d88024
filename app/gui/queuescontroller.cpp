#include "queuescontroller.h"

#include "celery/rediscelerybroker.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"
#include "redis/redisclient.h"

#include <QDateTime>
#include <QLocale>
#include <QTimer>

namespace bd::app {

using connectors::CeleryQueueInfo;
using connectors::CeleryQueuePage;
using connectors::RedisError;

namespace {
constexpr int kPollIntervalMs = 1000;
constexpr int kContentsIntervalMs = 2000;
} // namespace

QueuesController::QueuesController(connectors::RedisClient *client, ui::QueuesPage *page,
                                   models::QueueListModel *queues, models::QueueMessagesModel *messages,
                                   QObject *parent)
    : QObject(parent)
    , m_broker(new connectors::RedisCeleryBroker(client, {}, this))
    , m_page(page)
    , m_queues(queues)
    , m_messages(messages)
    , m_poll(new QTimer(this))
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
    connect(page, &ui::QueuesPage::refreshRequested, this, &QueuesController::poll);
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
                m_broker->peek(queue, offset, limit, this, [this](const CeleryQueuePage &p, const RedisError &error) {
                    if (error.isError()) {
                        if (m_page)
                            m_page->setStatus(tr("Cannot read %1: %2").arg(QString::fromUtf8(p.queue), error.toString()),
                                              true);
                        return;
                    }
                    m_messages->setPage(p);
                });
            });
}

void QueuesController::poll()
{
    if (m_polling)
        return;
    m_polling = true;
    m_broker->listQueues(this, [this](const QList<CeleryQueueInfo> &queues, const RedisError &error) {
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
        m_page->setStatus(tr("%n queue(s), %1 messages waiting · read at %2", nullptr, int(queues.size()))
                              .arg(QLocale().toString(total), QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))),
                          false);
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

} // namespace bd::app
