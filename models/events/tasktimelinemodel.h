#pragma once

#include "celery/celeryeventstate.h"

#include <QAbstractTableModel>

namespace bd::models {

// Every task seen in events, newest first: the live state (CeleryEventState) behind a table.
// A batch of events is applied at once: the oldest tasks past the limit leave the bottom with
// one beginRemoveRows, the new ones enter the top with one beginInsertRows, and the tasks that
// changed are announced in one dataChanged per run of neighbouring rows. Text is built in
// data(), for the rows a view paints.
class TaskTimelineModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        StateColumn,
        NameColumn,
        IdColumn,
        WorkerColumn,
        ReceivedColumn,
        StartedColumn,
        FinishedColumn,
        RuntimeColumn,
        RetriesColumn,
        ArgsColumn,
        KwargsColumn,
        OutcomeColumn, // the result, or the exception
        RootColumn,    // the first task of its workflow (empty when it is its own root)
        ParentColumn,
        ColumnCount
    };
    enum Role {
        RawValueRole = Qt::UserRole, // numbers and times as numbers, for sorting and filtering
        UuidRole,
        StateRole, // the state's name
    };

    explicit TaskTimelineModel(qint64 maxTasks = 20000, QObject *parent = nullptr);

    // now: this machine's clock (epoch seconds) when the events arrived.
    connectors::EventStateChanges apply(const QList<connectors::CeleryEvent> &events, double now);
    // Batches as they arrived, announced as one.
    connectors::EventStateChanges apply(const QList<QList<connectors::CeleryEvent>> &batches,
                                        double now);
    // Tasks read back from the store, oldest first, shown below anything live.
    void restore(std::vector<connectors::TaskEventRecord> tasks);
    void restoreWorkers(const QList<connectors::WorkerEventRecord> &workers)
    {
        m_state.restoreWorkers(workers);
    }

    const connectors::CeleryEventState &state() const { return m_state; }
    // CeleryEventState::keepEvictedChangedSince.
    void keepEvictedChangedSince(qint64 batch) { m_state.keepEvictedChangedSince(batch); }
    const connectors::TaskEventRecord *taskAt(int row) const;
    int rowOf(const QString &uuid) const; // -1 when not held

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // A time of the sender's clock as the timeline shows it: the time of day, with the date
    // when it is not today.
    static QString timeText(double epochSeconds);

private:
    connectors::CeleryEventState m_state;
    int m_rows = 0;      // rows announced to views
    qint64 m_topSeq = 0; // the seq of row 0
};

} // namespace bd::models
