#pragma once

#include "celery/celerytaskmessage.h"
#include "celery/rediscelerybroker.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QSet>

namespace bd::models {

// The contents of one queue in consumption order (row 0 runs next), paged: the model has a
// row per message in the queue, and asks for a page (pageWanted) when a row on screen is not
// loaded yet, so a queue of a million messages opens at once. Pages are decoded when they
// arrive; a bounded cache keeps the ones lately shown. The queue changes under the view
// (workers take from the front): refresh() forgets the pages, and the rows on screen ask again.
// One message of a queue, taken out of the model for an action: its place, the priority list
// it waits in and its exact bytes (what LREM matches).
struct QueuedMessage
{
    qint64 position = 0;
    int step = 0;
    QByteArray raw;
    QString taskId; // empty when not a task
    QString task;
};

// Messages as JSON Lines, one object a message: queue, position, priority_step, task, id, and
// the envelope as the JSON it is (or raw_base64 when the element is not JSON), so an export
// can be read back or pushed again byte for byte.
QByteArray exportJsonLines(const QByteArray &queue, const QList<QueuedMessage> &messages);

class QueueMessagesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        PositionColumn,
        TaskColumn,
        IdColumn,
        ArgsColumn,
        KwargsColumn,
        EtaColumn,
        ExpiresColumn,
        RetriesColumn,
        PriorityColumn,
        ContentTypeColumn,
        SizeColumn,
        OriginColumn,
        ColumnCount
    };
    enum Role { RawRole = Qt::UserRole, LoadedRole, StepRole };

    static constexpr int kPageSize = 200;

    explicit QueueMessagesModel(QObject *parent = nullptr);

    void setQueue(const QByteArray &queue, qint64 depth);
    QByteArray queue() const { return m_queue; }
    // The queue's length now: rows are added or removed at the end.
    void setDepth(qint64 depth);
    qint64 depth() const { return m_depth; }
    void setPage(const connectors::CeleryQueuePage &page);
    void refresh();

    // The decoded message of a row, when its page is loaded.
    const connectors::CeleryTaskMessage *messageAt(int row) const;
    QByteArray rawAt(int row) const;
    // The rows' messages, those loaded; notLoaded counts the others.
    QList<QueuedMessage> messagesAt(const QList<int> &rows, int *notLoaded) const;
    // Task names decoded from any queue's pages so far (for the Run task dialog's completion),
    // at most a thousand of them.
    QStringList taskNamesSeen() const
    {
        return QStringList(m_seenTasks.cbegin(), m_seenTasks.cend());
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void pageWanted(const QByteArray &queue, qint64 offset, int limit);

private:
    struct Page
    {
        QList<QByteArray> raw;
        QList<int> steps;
        std::vector<connectors::CeleryTaskMessage> decoded;
    };
    const Page *pageFor(int row) const;

    QByteArray m_queue;
    qint64 m_depth = 0;
    mutable QCache<qint64, Page> m_pages{50}; // by page index: 10,000 messages at most
    mutable QSet<qint64> m_requested;
    QSet<QString> m_seenTasks;
};

} // namespace bd::models
