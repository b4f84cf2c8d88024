#pragma once

#include "profiles/connectionprofile.h"
#include "queues/queuespage.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {
class CeleryBroker;
class RedisClient;
} // namespace bd::connectors
namespace bd::models {
class QueueListModel;
class QueueMessagesModel;
} // namespace bd::models

namespace bd::app {

// The Queues page's wiring: the Redis broker adapter on a connection of the profile. Depths
// are read once a second (the queues themselves looked for every 30 s), in-flight messages
// every five, the selected queue's shown messages again every two, all only while the page is
// shown; pages of messages are read when the view asks for them.
class QueuesController : public QObject
{
    Q_OBJECT

public:
    // broker: the session's adapter (shared with the Tasks page); profile: the name the audit
    // log records; auditPath: its file; celery: the visibility timeout in-flight messages are
    // measured against.
    QueuesController(connectors::CeleryBroker *broker, ui::QueuesPage *page,
                     models::QueueListModel *queues, models::QueueMessagesModel *messages,
                     QString profile, QString auditPath,
                     const connectors::CeleryProfileSettings &celery = {},
                     QObject *parent = nullptr);

    connectors::CeleryBroker *broker() const { return m_broker; }
    // Adds the queue (a plain Redis list, or one no worker declared) and opens it on the page
    // once it is listed, unless the operator has opened another by then.
    void showQueue(const QByteArray &name);
    void poll();

private:
    void purge(const QByteArray &queue, qint64 depth);
    void deleteMessage(const QByteArray &queue, int step, const QByteArray &message,
                       const QString &taskId);
    void move(const QByteArray &from, const QByteArray &to,
              const QList<models::QueuedMessage> &messages);
    void exportMessages(const QString &path, const QByteArray &queue,
                        const QList<models::QueuedMessage> &messages, int notLoaded);
    // Appends to the audit log; returns what to add to the result when it could not.
    QString audit(const QString &action, const QByteArray &queue, const QStringList &taskIds,
                  const QString &outcome);

    connectors::CeleryBroker *m_broker; // Not owned: the session's.
    QString m_profile;
    QString m_auditPath;
    QPointer<ui::QueuesPage> m_page;
    models::QueueListModel *m_queues;       // Not owned.
    models::QueueMessagesModel *m_messages; // Not owned.
    QTimer *m_poll = nullptr;               // Owned.
    QElapsedTimer m_sinceContents;
    bool m_polling = false; // a reading is under way: the next tick waits for it
    quint64 m_readings = 0;
    double m_visibilityTimeoutS = 3600;
    QByteArray m_toOpen; // showQueue's, until it is listed
};

} // namespace bd::app
