#include "namespacestatsmodel.h"

#include "common/tones.h"
#include "keys/keytreemodel.h"

#include <QColor>
#include <QLocale>

namespace bd::models {

using connectors::NamespaceStats;

NamespaceStatsModel::NamespaceStatsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void NamespaceStatsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    endResetModel();
}

void NamespaceStatsModel::setStats(const QList<NamespaceStats> &stats)
{
    QList<NamespaceStats> fresh;
    for (const NamespaceStats &s : stats) {
        if (s.keys == 0)
            continue;
        const auto it = m_rowOf.constFind(s.prefix);
        if (it != m_rowOf.constEnd())
            m_rows[*it] = s;
        else
            fresh << s;
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    if (!fresh.isEmpty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
        for (const NamespaceStats &s : fresh) {
            m_rowOf.insert(s.prefix, static_cast<int>(m_rows.size()));
            m_rows << s;
        }
        endInsertRows();
    }
}

const NamespaceStats *NamespaceStatsModel::statsFor(const QByteArray &prefix) const
{
    const auto it = m_rowOf.constFind(prefix);
    return it == m_rowOf.constEnd() ? nullptr : &m_rows[*it];
}

void NamespaceStatsModel::setMemoryUnknownReason(const QString &why)
{
    m_memoryUnknown = why;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, MemoryColumn), index(rowCount() - 1, MemoryColumn));
}

int NamespaceStatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int NamespaceStatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NamespaceStatsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const NamespaceStats &s = m_rows.at(index.row());
    const int c = index.column();
    const QLocale locale;
    if (role == PrefixRole)
        return s.prefix;
    if (role == LeakRole)
        return s.possibleLeak();
    if (role == RawValueRole) {
        if (c == NamespaceColumn)
            return s.prefix;
        if (c == KeysColumn)
            return s.keys;
        if (c == WithTtlColumn)
            return s.keys ? double(s.withTtl()) / double(s.keys) : 0.0;
        if (c >= FirstBucketColumn && c < ExpiringSoonColumn)
            return s.buckets[size_t(c - FirstBucketColumn)];
        if (c == ExpiringSoonColumn)
            return s.expiringSoon;
        if (c == MemoryColumn)
            return s.memoryEstimate();
        return s.possibleLeak() ? s.buckets[connectors::TtlNone] : 0;
    }
    if (role == Qt::ForegroundRole && c == NoteColumn && s.possibleLeak())
        return toneColor(Tone::Error);
    if (role == Qt::TextAlignmentRole)
        return c == NamespaceColumn || c == NoteColumn
                   ? QVariant()
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && c == MemoryColumn && s.memoryEstimate() < 0)
        return m_memoryUnknown;
    if (role != Qt::DisplayRole)
        return {};
    switch (c) {
    case NamespaceColumn:
        return s.prefix.isEmpty() ? tr("(no namespace)")
                                  : KeyTreeModel::displayKey(s.prefix) + QLatin1Char('*');
    case KeysColumn:
        return locale.toString(s.keys);
    case WithTtlColumn:
        return s.keys ? QStringLiteral("%1%").arg(100.0 * double(s.withTtl()) / double(s.keys), 0,
                                                  'f', 0)
                      : QString();
    case ExpiringSoonColumn:
        return s.expiringSoon ? locale.toString(s.expiringSoon) : QString();
    case MemoryColumn:
        return s.memoryEstimate() < 0 ? QStringLiteral("?")
                                      : locale.formattedDataSize(s.memoryEstimate());
    case NoteColumn:
        if (s.possibleLeak())
            return tr("%n key(s) without TTL: possible leak", nullptr,
                      int(qMin<qint64>(s.buckets[connectors::TtlNone], INT_MAX)));
        return s.withTtl() == 0 ? tr("nothing here expires") : QString();
    default: {
        const qint64 n = s.buckets[size_t(c - FirstBucketColumn)];
        return n ? locale.toString(n) : QString();
    }
    }
}

QVariant NamespaceStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList bucketNames = {tr("< 1 min"),   tr("1–5 min"), tr("5–15 min"),
                                            tr("15–60 min"), tr("1–24 h"),  tr("> 24 h"),
                                            tr("No TTL")};
    if (section >= FirstBucketColumn && section < ExpiringSoonColumn)
        return bucketNames.value(section - FirstBucketColumn);
    switch (section) {
    case NamespaceColumn:
        return tr("Namespace");
    case KeysColumn:
        return tr("Keys");
    case WithTtlColumn:
        return tr("With TTL");
    case ExpiringSoonColumn:
        return tr("Expiring < 1 min");
    case MemoryColumn:
        return tr("Memory (sampled)");
    case NoteColumn:
        return tr("Note");
    default:
        return {};
    }
}

} // namespace bd::models
