#pragma once

#include "audit/auditlog.h"

#include <QAbstractTableModel>

namespace bd::models {

// The audit log's records, newest first, as read from its file.
class AuditLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        ProfileColumn,
        ActionColumn,
        TargetColumn,
        TaskIdsColumn,
        OutcomeColumn,
        ColumnCount
    };

    explicit AuditLogModel(QObject *parent = nullptr);

    // records: oldest first, as AuditLog::readLast gives them.
    void setRecords(const QList<connectors::AuditLog::Record> &records);
    const connectors::AuditLog::Record *recordAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<connectors::AuditLog::Record> m_records; // newest first
};

} // namespace bd::models
