#include "datasettablemodel.h"

#include "codec/untrustedjson.h"
#include "common/offthread.h"
#include "common/tones.h"

#include <QCollator>
#include <QFont>
#include <QLocale>

#include <algorithm>
#include <charconv>

namespace bd::models {

using connectors::DatasetDiff;
using connectors::DatasetTable;

namespace {

constexpr int kMaxShownChars = 1000; // of one cell in the table; the detail shows all of it

struct ViewJob
{
    connectors::DatasetTablePtr table;
    connectors::DatasetTablePtr earlier;
    std::shared_ptr<const DatasetDiff> diff;
    std::vector<int> earlierColumn;
    DatasetTableModel::ViewOptions options;
    std::vector<DatasetTableModel::RowRef> rows;
    std::vector<DatasetTableModel::Group> groups;

    QByteArrayView cell(const DatasetTableModel::RowRef &ref, int column) const
    {
        if (ref.earlier)
            return earlier->cellUtf8(ref.record, earlierColumn[size_t(column)]);
        return table->cellUtf8(ref.record, column);
    }

    bool contains(const DatasetTableModel::RowRef &ref, int column, const QString &text) const
    {
        return QString::fromUtf8(cell(ref, column)).contains(text, Qt::CaseInsensitive);
    }

    bool passes(const DatasetTableModel::RowRef &ref) const
    {
        const int columns = table->columnCount();
        if (!options.search.isEmpty()) {
            bool found = false;
            for (int c = 0; c < columns && !found; ++c)
                found = contains(ref, c, options.search);
            if (!found)
                return false;
        }
        for (auto it = options.filters.cbegin(); it != options.filters.cend(); ++it) {
            if (it.key() >= 0 && it.key() < columns && !it.value().isEmpty()
                && !contains(ref, it.key(), it.value()))
                return false;
        }
        return true;
    }

    void run();
    void sortRows(std::vector<DatasetTableModel::RowRef> &rows) const;
};

bool parseNumber(QByteArrayView text, double *out)
{
    if (text.isEmpty())
        return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
    return ec == std::errc() && end == text.data() + text.size();
}

// The system locale's collation; under the C locale (a session without LANG), the root
// collation Unicode defines, not code point order (which puts Ё before А).
QLocale collationLocale()
{
    const QLocale system;
    return system.language() == QLocale::C ? QLocale(QLocale::English) : system;
}

// The text with each run of digits left-padded with zeros to kDigits: "employee 9" sorts
// before "employee 10" under any collation. Longer runs stay as they are.
QString naturalKey(const QString &text)
{
    constexpr qsizetype kDigits = 20;
    QString out;
    out.reserve(text.size() + 8);
    qsizetype i = 0;
    while (i < text.size()) {
        if (!text.at(i).isDigit()) {
            out += text.at(i++);
            continue;
        }
        qsizetype end = i;
        while (end < text.size() && text.at(end).isDigit())
            ++end;
        if (end - i < kDigits)
            out += QString(kDigits - (end - i), QLatin1Char('0'));
        out += QStringView(text).sliced(i, end - i);
        i = end;
    }
    return out;
}

void ViewJob::sortRows(std::vector<DatasetTableModel::RowRef> &rows) const
{
    const int column = options.sortColumn;
    if (column < 0 || column >= table->columnCount() || rows.size() < 2)
        return;
    const bool descending = options.order == Qt::DescendingOrder;
    std::vector<size_t> order(rows.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    // Numbers when every cell that has a value is one; else text in the locale's collation,
    // digits as numbers (employee 9 before employee 10).
    std::vector<double> numbers(rows.size(), 0);
    bool numeric = true;
    for (size_t i = 0; i < rows.size() && numeric; ++i) {
        const QByteArrayView text = cell(rows[i], column);
        numeric = text.isEmpty() || parseNumber(text, &numbers[i]);
    }
    const auto tie = [&rows](size_t a, size_t b) {
        return rows[a].record < rows[b].record; // record order among equals
    };
    if (numeric) {
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            const bool emptyA = cell(rows[a], column).isEmpty();
            const bool emptyB = cell(rows[b], column).isEmpty();
            if (emptyA != emptyB)
                return emptyB; // empty cells last, either way
            if (numbers[a] != numbers[b])
                return descending ? numbers[a] > numbers[b] : numbers[a] < numbers[b];
            return tie(a, b);
        });
    } else {
        // Digit runs padded to one width before collating: natural order in every locale
        // (QCollator's numeric mode is not there in all of them, the C locale among them).
        QCollator collator{collationLocale()};
        collator.setCaseSensitivity(Qt::CaseInsensitive);
        std::vector<QCollatorSortKey> keys;
        keys.reserve(rows.size());
        std::vector<bool> empty(rows.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            const QByteArrayView text = cell(rows[i], column);
            empty[i] = text.isEmpty();
            keys.push_back(collator.sortKey(naturalKey(QString::fromUtf8(text))));
        }
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            if (empty[a] != empty[b])
                return bool(empty[b]);
            const int c = keys[a].compare(keys[b]);
            if (c != 0)
                return descending ? c > 0 : c < 0;
            return tie(a, b);
        });
    }
    std::vector<DatasetTableModel::RowRef> sorted;
    sorted.reserve(rows.size());
    for (size_t i : order)
        sorted.push_back(rows[i]);
    rows.swap(sorted);
}

void ViewJob::run()
{
    std::vector<DatasetTableModel::RowRef> current;
    std::vector<DatasetTableModel::RowRef> removed;
    QHash<QString, qint64> counts;
    const int groupColumn = options.groupColumn < table->columnCount() ? options.groupColumn : -1;
    const auto consider = [&](const DatasetTableModel::RowRef &ref,
                              std::vector<DatasetTableModel::RowRef> &into) {
        if (!passes(ref))
            return;
        if (groupColumn >= 0) {
            const QString value = QString::fromUtf8(cell(ref, groupColumn));
            ++counts[value];
            if (options.groupSelected && value != options.group)
                return;
        }
        into.push_back(ref);
    };
    for (qsizetype r = 0; r < table->recordCount(); ++r) {
        if (options.onlyChanges
            && (!diff || diff->byRecord[size_t(r)] == DatasetDiff::Change::Same))
            continue;
        consider({false, r}, current);
    }
    if (diff && earlier) {
        for (qint64 r : diff->removed)
            consider({true, qsizetype(r)}, removed);
    }
    sortRows(current);
    sortRows(removed);
    rows = std::move(current);
    rows.insert(rows.end(), removed.begin(), removed.end());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        groups.push_back({it.key(), it.value()});
    QCollator collator{collationLocale()};
    collator.setNumericMode(true);
    std::sort(groups.begin(), groups.end(),
              [&collator](const DatasetTableModel::Group &a, const DatasetTableModel::Group &b) {
                  if (a.count != b.count)
                      return a.count > b.count;
                  return collator.compare(a.value, b.value) < 0;
              });
}

} // namespace

DatasetTableModel::DatasetTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void DatasetTableModel::setTable(connectors::DatasetTablePtr table,
                                 connectors::DatasetTablePtr earlier,
                                 std::shared_ptr<const DatasetDiff> diff)
{
    Reads next;
    next.table = std::move(table);
    next.earlier = diff && next.table ? std::move(earlier) : nullptr;
    next.diff = next.earlier ? std::move(diff) : nullptr;
    if (next.table && next.earlier) {
        for (const QString &name : next.table->columns())
            next.earlierColumn.push_back(next.earlier->columnOf(name));
    }
    m_next = next;
    const bool sameColumns = m_table && next.table && m_table->columns() == next.table->columns();
    if (!sameColumns) {
        // Other columns: shown at once, without rows until the view job has them; options
        // that name columns of another table no longer apply.
        beginResetModel();
        m_table = next.table;
        m_earlier = next.earlier;
        m_diff = next.diff;
        m_earlierColumn = next.earlierColumn;
        m_options.filters.clear();
        m_options.groupColumn = -1;
        m_options.groupSelected = false;
        m_options.sortColumn = -1;
        m_rows.clear();
        m_groups.clear();
        endResetModel();
    }
    refresh();
}

void DatasetTableModel::setViewOptions(const ViewOptions &options)
{
    m_options = options;
    refresh();
}

void DatasetTableModel::sort(int column, Qt::SortOrder order)
{
    m_options.sortColumn = column;
    m_options.order = order;
    refresh();
}

qint64 DatasetTableModel::totalCount() const
{
    if (!m_table)
        return 0;
    return m_table->recordCount() + (m_diff ? qint64(m_diff->removed.size()) : 0);
}

void DatasetTableModel::refresh()
{
    if (!m_next.table) {
        ++m_generation; // a job on its way is not applied
        beginResetModel();
        m_rows.clear();
        m_groups.clear();
        endResetModel();
        Q_EMIT viewUpdated();
        return;
    }
    auto job = std::make_shared<ViewJob>();
    job->table = m_next.table;
    job->earlier = m_next.earlier;
    job->diff = m_next.diff;
    job->earlierColumn = m_next.earlierColumn;
    job->options = m_options;
    const quint64 generation = ++m_generation;
    ++m_running;
    runOffThread(
        this, [job] { job->run(); },
        [this, job, generation] {
            --m_running;
            if (generation != m_generation)
                return; // a newer job is on its way
            beginResetModel();
            m_table = job->table;
            m_earlier = job->earlier;
            m_diff = job->diff;
            m_earlierColumn = job->earlierColumn;
            m_rows = std::move(job->rows);
            m_groups = std::move(job->groups);
            endResetModel();
            Q_EMIT viewUpdated();
        });
}

DatasetTableModel::Change DatasetTableModel::changeAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size() || !m_diff)
        return Change::Same;
    const RowRef &ref = m_rows[size_t(row)];
    if (ref.earlier)
        return Change::Removed;
    switch (m_diff->byRecord[size_t(ref.record)]) {
    case DatasetDiff::Change::Added:
        return Change::Added;
    case DatasetDiff::Change::Changed:
        return Change::Changed;
    case DatasetDiff::Change::Same:
        break;
    }
    return Change::Same;
}

QByteArray DatasetTableModel::recordJson(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return {};
    const RowRef &ref = m_rows[size_t(row)];
    return tableOf(ref)->recordJson(ref.record).toByteArray();
}

QList<std::pair<QString, QString>> DatasetTableModel::recordFields(int row) const
{
    QList<std::pair<QString, QString>> out;
    if (row < 0 || size_t(row) >= m_rows.size())
        return out;
    const RowRef &ref = m_rows[size_t(row)];
    const DatasetTable *t = tableOf(ref);
    for (int c = 0; c < t->columnCount(); ++c) {
        if (!t->cellUtf8(ref.record, c).isEmpty())
            out.append({t->columns().at(c), t->cell(ref.record, c)});
    }
    return out;
}

int DatasetTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DatasetTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_table ? 0 : m_table->columnCount();
}

QVariant DatasetTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_rows.size() || !m_table
        || index.column() >= m_table->columnCount())
        return {};
    const RowRef &ref = m_rows[size_t(index.row())];
    const int column = index.column();
    const auto cellOf = [&]() -> QByteArrayView {
        if (ref.earlier)
            return m_earlier->cellUtf8(ref.record, m_earlierColumn[size_t(column)]);
        return m_table->cellUtf8(ref.record, column);
    };
    const Change change = changeAt(index.row());
    const bool changedCell = change == Change::Changed
                             && m_diff->changedColumns.value(qint64(ref.record)).contains(column);
    switch (role) {
    case Qt::DisplayRole: {
        QString text = QString::fromUtf8(cellOf());
        if (text.size() > kMaxShownChars) {
            text.truncate(kMaxShownChars);
            text += QChar(0x2026);
        }
        return text;
    }
    case Qt::ToolTipRole:
        if (changedCell) {
            const qint64 was = m_diff->earlierRecord[size_t(ref.record)];
            const QString before =
                QString::fromUtf8(m_earlier->cellUtf8(was, m_earlierColumn[size_t(column)]));
            return tr("Was: %1").arg(before.isEmpty() ? tr("(empty)")
                                                      : before.left(kMaxShownChars));
        }
        if (change == Change::Added)
            return tr("Added since the earlier read");
        if (change == Change::Removed)
            return tr("Removed since the earlier read");
        return {};
    case Qt::BackgroundRole:
        if (change == Change::Added)
            return toneBackground(Tone::Success);
        if (change == Change::Removed)
            return toneBackground(Tone::Error);
        if (changedCell)
            return toneBackground(Tone::Warning);
        return {};
    case Qt::ForegroundRole:
        return change == Change::Removed ? QVariant(toneColor(Tone::Muted)) : QVariant();
    case Qt::FontRole:
        if (change == Change::Removed) {
            QFont font;
            font.setStrikeOut(true);
            return font;
        }
        return {};
    case ChangeRole:
        return int(change);
    case RecordJsonRole:
        return tableOf(ref)->recordJson(ref.record).toByteArray();
    case RecordNameRole:
        return tableOf(ref)->recordName(ref.record);
    default:
        return {};
    }
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || !m_table || section < 0
        || section >= m_table->columnCount())
        return {};
    if (role == Qt::DisplayRole)
        return m_table->columns().at(section);
    if (role == Qt::ToolTipRole
        && m_table->columns().at(section) == m_table->columns().value(m_table->idColumn()))
        return tr("The id field: records are matched by it between reads");
    return {};
}

} // namespace bd::models
