#pragma once

#include "celery/celeryeventstate.h"
#include "celery/workerinspection.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>

namespace bd::models {

// Every worker that sent heartbeats or answered an inspect call, by hostname: what its events
// say (alive by heartbeat, last seen, processed, load) beside what it answered (pool,
// concurrency, queues, uptime, prefetch, broker). A worker that stops sending heartbeats stays
// listed, greyed, offline since its last one; one that did not answer the last inspection is
// "not answering", never shown as having nothing.
class WorkerListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        HostnameColumn,
        StatusColumn,
        LastSeenColumn,
        PidColumn,
        PoolColumn,
        ConcurrencyColumn,
        ProcessedColumn,
        ActiveColumn,
        LoadColumn,
        QueuesColumn,
        UptimeColumn,
        PrefetchColumn,
        BrokerColumn,
        ColumnCount
    };
    enum Role {
        RawValueRole = Qt::UserRole,
        HostnameRole,
        StatusRole, // Status as a number
    };
    enum class Status {
        Online,         // heartbeats arrive
        OnlineNoEvents, // answers inspect calls but sends no heartbeats (events are off)
        Offline,        // heartbeats stopped (or it said goodbye)
        NotAnswering,   // no heartbeats and no answer to the last inspection
    };

    explicit WorkerListModel(QObject *parent = nullptr);

    // What the events said, as the state holds it now (hostnames that changed, or all).
    void setEventWorkers(const QHash<QString, connectors::WorkerEventRecord> &workers);
    // The result of one inspection round: every worker that answered anything, and the
    // methods that were asked (a worker that answered none of them is not answering).
    void setInspection(const QHash<QString, connectors::WorkerInspection> &inspection);
    // Time moves on: statuses and "last seen" that depend on it are announced again.
    void tick(double now);

    Status status(int row) const;
    QString hostname(int row) const;
    int rowOf(const QString &hostname) const;
    const connectors::WorkerInspection *inspection(const QString &hostname) const;
    const connectors::WorkerEventRecord *eventRecord(const QString &hostname) const;
    bool hasInspected() const { return m_inspected; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString statusText(Status status);
    static QString durationText(double seconds);

private:
    // Adds the hostnames not listed yet (sorted in), one insert each.
    void ensureRows(const QStringList &hostnames);

    QStringList m_hostnames; // rows, sorted
    QHash<QString, connectors::WorkerEventRecord> m_events;
    QHash<QString, connectors::WorkerInspection> m_inspection;
    bool m_inspected = false;
    double m_now = 0;
};

} // namespace bd::models
