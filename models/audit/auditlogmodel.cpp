#include "auditlogmodel.h"

#include "common/tones.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <algorithm>

namespace bd::models {

AuditLogModel::AuditLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void AuditLogModel::setRecords(const QList<connectors::AuditLog::Record> &records)
{
    beginResetModel();
    m_records = records;
    std::reverse(m_records.begin(), m_records.end());
    endResetModel();
}

const connectors::AuditLog::Record *AuditLogModel::recordAt(int row) const
{
    return row >= 0 && row < m_records.size() ? &m_records.at(row) : nullptr;
}

int AuditLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int AuditLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditLogModel::data(const QModelIndex &index, int role) const
{
    const connectors::AuditLog::Record *r = recordAt(index.row());
    if (!r || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    if (role == Qt::ForegroundRole && index.column() == OutcomeColumn
        && r->entry.outcome.startsWith(QLatin1String("failed")))
        return QBrush(toneColor(Tone::Error));
    if (role == Qt::ToolTipRole && index.column() == TaskIdsColumn)
        return r->entry.taskIds.join(QLatin1Char('\n'));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return r->time.isValid()
                   ? r->time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                   : QString();
    case ProfileColumn:
        return r->entry.profile;
    case ActionColumn:
        return r->entry.action;
    case TargetColumn:
        return r->entry.target;
    case TaskIdsColumn:
        return r->entry.taskIds.size() > 3 ? tr("%1 … (%2 tasks)")
                                                 .arg(r->entry.taskIds.first())
                                                 .arg(r->entry.taskIds.size())
                                           : r->entry.taskIds.join(QLatin1String(", "));
    case OutcomeColumn:
        return r->entry.outcome;
    }
    return {};
}

QVariant AuditLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ProfileColumn:
        return tr("Profile");
    case ActionColumn:
        return tr("Action");
    case TargetColumn:
        return tr("Target");
    case TaskIdsColumn:
        return tr("Tasks");
    case OutcomeColumn:
        return tr("Outcome");
    }
    return {};
}

} // namespace bd::models
