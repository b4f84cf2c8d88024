#include "datasettable.h"

namespace bd::connectors {

QByteArrayView DatasetTable::cellUtf8(qsizetype row, int column) const
{
    if (column < 0 || size_t(column) >= m_cells.size() || row < 0
        || size_t(row) >= m_records.size())
        return {};
    const Column &c = m_cells[size_t(column)];
    const quint32 start = row > 0 ? c.ends[size_t(row) - 1] : 0;
    return QByteArrayView(c.text.constData() + start, qsizetype(c.ends[size_t(row)] - start));
}

QByteArrayView DatasetTable::recordJson(qsizetype row) const
{
    if (row < 0 || size_t(row) >= m_records.size())
        return {};
    const Record &r = m_records[size_t(row)];
    return QByteArrayView(m_jsonStore).sliced(r.jsonStart, r.jsonLength);
}

QString DatasetTable::recordName(qsizetype row) const
{
    if (const QByteArrayView id = idUtf8(row); !id.isEmpty())
        return QString::fromUtf8(id);
    const Record &r = record(row);
    if (!r.origin.isEmpty())
        return QString::fromUtf8(r.origin);
    return QStringLiteral("#%1").arg(r.index);
}

void DatasetTable::addProblem(qint64 record, const QString &text)
{
    if (m_problems.size() < kMaxProblems)
        m_problems.append({record, text});
    ++m_problemCount;
}

} // namespace bd::connectors
