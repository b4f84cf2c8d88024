#pragma once

#include "data/datasetdiff.h"
#include "data/datasettable.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QString>

#include <memory>
#include <vector>

namespace bd::models {

// The records of one read of a dataset as a table: every column of the read, sortable (natural
// order, the system locale's collation: Cyrillic sorts as a Russian reader expects), searchable
// across all columns, filtered per column and by a group (a value of the group-by column), and,
// against an earlier read, marked: added rows, changed cells (with the earlier value as their
// tooltip), removed rows (struck out, after the others). "Only changes" shows the marked rows.
//
// Searching, filtering, grouping and sorting run on a pool thread; the result replaces the
// rows with one model reset (DESIGN.md, "Data flow"). Text is made for the rows painted.
class DatasetTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        ChangeRole = Qt::UserRole, // Change
        RecordJsonRole,            // QByteArray: the record as the server holds it
        RecordNameRole,            // QString: its id, key or position
    };
    enum class Change { Same, Added, Changed, Removed };

    struct ViewOptions
    {
        QString search;              // in any column, without case
        QHash<int, QString> filters; // by column: the cell contains this, without case
        int groupColumn = -1;        // counts of its values are made (groups())
        QString group;               // shown: only rows whose group column is this
        bool groupSelected = false;  // group applies (an empty value is a group too)
        bool onlyChanges = false;    // added, changed and removed rows only
        int sortColumn = -1;         // -1: record order
        Qt::SortOrder order = Qt::AscendingOrder;
    };

    struct Group
    {
        QString value;
        qint64 count = 0;
    };

    explicit DatasetTableModel(QObject *parent = nullptr);

    // Shows a read; with earlier and diff (diffDatasets(*earlier, *table)) its changes too.
    void setTable(connectors::DatasetTablePtr table, connectors::DatasetTablePtr earlier = {},
                  std::shared_ptr<const connectors::DatasetDiff> diff = {});
    connectors::DatasetTablePtr table() const { return m_table; }
    const connectors::DatasetDiff *diff() const { return m_diff.get(); }

    void setViewOptions(const ViewOptions &options);
    const ViewOptions &viewOptions() const { return m_options; }

    // The rows after search, filters, group and "only changes", and every row of the read.
    qint64 shownCount() const { return qint64(m_rows.size()); }
    qint64 totalCount() const;
    // The group-by column's values with their counts, most first (of the rows that pass the
    // search and filters).
    const std::vector<Group> &groups() const { return m_groups; }
    // No view job is running: rows and groups are up to date with the options.
    bool isSettled() const { return m_running == 0; }

    Change changeAt(int row) const;
    // The record behind a row: its JSON, pretty, and its fields in column order.
    QByteArray recordJson(int row) const;
    QList<std::pair<QString, QString>> recordFields(int row) const;
    // The rows shown, as their records (for export): (read, record) pairs.
    struct RowRef
    {
        bool earlier = false; // a removed record, from the earlier read
        qsizetype record = 0;
    };
    const std::vector<RowRef> &rows() const { return m_rows; }
    const connectors::DatasetTable *tableOf(const RowRef &ref) const
    {
        return ref.earlier ? m_earlier.get() : m_table.get();
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    // The rows and groups changed (after every view job).
    void viewUpdated();

private:
    void refresh();

    // A read with what it is compared with: what the rows index, and what the next view job
    // works on. The rows and the reads they index are replaced together (a row of an earlier
    // read must never outlive that read).
    struct Reads
    {
        connectors::DatasetTablePtr table;
        connectors::DatasetTablePtr earlier;
        std::shared_ptr<const connectors::DatasetDiff> diff;
        std::vector<int> earlierColumn; // by column of table: the same in earlier, or -1
    };

    Reads m_next; // set by setTable(), taken by the next view job
    // What m_rows index (shown).
    connectors::DatasetTablePtr m_table;
    connectors::DatasetTablePtr m_earlier;
    std::shared_ptr<const connectors::DatasetDiff> m_diff;
    std::vector<int> m_earlierColumn;
    ViewOptions m_options;
    std::vector<RowRef> m_rows;
    std::vector<Group> m_groups;
    quint64 m_generation = 0; // the view job whose rows are wanted
    int m_running = 0;
};

} // namespace bd::models
