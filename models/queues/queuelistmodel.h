#pragma once

#include "celery/rediscelerybroker.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

namespace bd::models {

// The Queues page's table: each queue's depth (the sum of its priority lists, with the
// breakdown), the change per second estimated from successive depths (positive: filling),
// and the depth over the last samples for a graph.
class QueueListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        DepthColumn,
        PrioritiesColumn,
        InFlightColumn,
        RateColumn,
        GraphColumn,
        ColumnCount
    };
    enum Role { RawValueRole = Qt::UserRole, NameBytesRole, HistoryRole };
    static constexpr int kHistoryPoints = 120;

    explicit QueueListModel(QObject *parent = nullptr);

    // A new reading of every queue, taken at timeMs (ms since the epoch).
    void setQueues(const QList<connectors::CeleryQueueInfo> &queues, qint64 timeMs);
    // Messages taken by workers and not acknowledged, per queue: how many, and the oldest's
    // age in seconds; flagged past visibilityTimeoutS (Celery then hands them out again).
    struct InFlight
    {
        qint64 count = 0;
        double oldestAgeS = 0;
    };
    void setInFlight(const QHash<QByteArray, InFlight> &byQueue, double visibilityTimeoutS);
    int rowOf(const QByteArray &name) const { return m_rowOf.value(name, -1); }
    const connectors::CeleryQueueInfo *queueAt(int row) const;
    // The queues' names, as text, in row order (for pickers).
    QStringList names() const;
    // Depth readings of a queue: (time ms, depth), oldest first.
    QList<QPair<qint64, qint64>> history(const QByteArray &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        connectors::CeleryQueueInfo info;
        double rate = 0; // messages per second, net
        InFlight inFlight;
        std::vector<QPair<qint64, qint64>> history;
    };
    std::vector<Row> m_rows;
    QHash<QByteArray, int> m_rowOf;
    double m_visibilityTimeoutS = 3600;
};

} // namespace bd::models
