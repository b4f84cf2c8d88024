#pragma once

#include "redis/cachestats.h"

#include <QAbstractTableModel>
#include <QHash>

namespace bd::models {

// One row per namespace of the Cache page: key count, TTL distribution, keys expiring soon,
// sampled memory, and a flag on keys without a TTL where most have one (possible leaks).
// Updated from analysis snapshots: new namespaces are inserted, known ones change in place.
class NamespaceStatsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NamespaceColumn,
        KeysColumn,
        WithTtlColumn,
        FirstBucketColumn, // one column per TtlBucket, in order
        ExpiringSoonColumn = FirstBucketColumn + connectors::TtlBucketCount,
        MemoryColumn,
        NoteColumn,
        ColumnCount
    };
    enum Role { RawValueRole = Qt::UserRole, PrefixRole, LeakRole };

    explicit NamespaceStatsModel(QObject *parent = nullptr);

    void clear();
    void setStats(const QList<connectors::NamespaceStats> &stats);
    const connectors::NamespaceStats *statsFor(const QByteArray &prefix) const;
    void setMemoryUnknownReason(const QString &why);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<connectors::NamespaceStats> m_rows;
    QHash<QByteArray, int> m_rowOf;
    QString m_memoryUnknown;
};

} // namespace bd::models
