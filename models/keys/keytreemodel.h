#pragma once

#include <QAbstractItemModel>
#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>

#include <memory>
#include <vector>

class QTimer;

namespace bd::models {

// The keys of a database as a namespace tree ("user:1:profile" under user → user:1), or as a
// flat list when the separator is empty. Built for millions of keys:
//  - a key is one small KeyEntry in its folder's vector, not a node of its own; an index's
//    internal pointer is the folder that holds the row, and rows are folders first, then keys;
//  - keys arrive in batches (appendKeys) and are applied on a 50 ms timer with one
//    beginInsertRows per touched folder, so a scan never emits a signal per key;
//  - per-key facts (type, TTL, memory) are filled in later, only for rows someone looks at;
//  - the TTL is kept as an absolute expiry time: the text counts down on every repaint, and
//    nothing polls the server for it.
// Keys are bytes; the name column shows non-UTF-8 bytes escaped (\xff), KeyRole gives the
// original bytes back.
class KeyTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, TypeColumn, TtlColumn, MemoryColumn, ColumnCount };
    enum Role {
        KeyRole = Qt::UserRole, // QByteArray: the full key (keys) or the prefix (folders)
        IsFolderRole,           // bool
        KeyCountRole,           // qint64: keys in the folder and below (folders)
        ExpiresAtRole,          // qint64 ms since the epoch; kNoExpiry, kUnknown or kGone
        FactsStateRole,         // FactsState
        RawValueRole,           // the column's value for sorting (type name, ms left, bytes)
    };
    enum class FactsState : quint8 { Missing, Pending, Loaded };

    static constexpr qint64 kUnknown = -3;  // facts not loaded yet
    static constexpr qint64 kGone = -2;     // the key no longer exists
    static constexpr qint64 kNoExpiry = -1; // persistent key

    explicit KeyTreeModel(QObject *parent = nullptr);
    ~KeyTreeModel() override;

    // Empty separator: a flat list. Changing it rebuilds the tree from the keys it holds.
    void setSeparator(const QByteArray &separator);
    QByteArray separator() const { return m_separator; }

    // Queues keys; they are inserted within 50 ms, a time-boxed chunk per event-loop pass.
    void appendKeys(const QList<QByteArray> &keys);
    // Inserts everything queued now (tests, the end of a scan).
    void flush();
    // Sorts every folder by the chosen column (sortBy; natural name order at first): folders
    // first, by name, then keys. Keys whose facts are not loaded yet go last, whatever the
    // order; ties go by name. The order is computed
    // on a pool thread that reads the tree in place; meanwhile the GUI thread only reads it
    // (keys that arrive wait in the queue), and the result is applied as one layout change, so
    // expanded folders and the selection stay. Keys that waited are inserted afterwards and
    // sorted in by a second, quick pass.
    void sort();
    void sortBy(int column, Qt::SortOrder order);
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    bool isSorting() const { return m_sortRequested || m_sortInFlight; }
    // Drops every key; the local filter stays and applies to the keys that come next.
    void clear();

    // Local filter: only keys whose name contains `text` (bytes, case-sensitive, as SCAN MATCH
    // is) are rows; the others are kept aside, not lost, and come back when the filter changes
    // or is emptied. Nothing is asked of the server. Split on a pool thread that reads the tree
    // in place, then applied with a reset, the shown keys inserted in time-boxed chunks and
    // sorted. Keys that arrive later (scan pages, live changes) go through it too.
    void setLocalFilter(const QByteArray &text);
    QByteArray localFilter() const { return m_filter; }
    bool isFiltering() const { return m_filterRequested || m_filterInFlight; }
    // Keys held but not shown because of the local filter.
    qint64 filteredOutCount() const { return m_filteredOut.size(); }

    qint64 keyCount() const;
    qsizetype queuedCount() const
    {
        return m_queue.size() - m_queueFront;
    } // received, not inserted yet
    int folderCount() const { return m_folderCount; }

    // Facts for one key row (a persistent index, so rows inserted meanwhile do not matter).
    struct Facts
    {
        QByteArray type;
        qint64 pttlMs = -2;
        qint64 memoryBytes = -1;
        // When the PTTL was read (ms since the epoch), 0 for now. Facts read by one batch share
        // one reading, so keys given the same TTL count down together and sort as ties.
        qint64 readAtMs = 0;
    };
    void markPending(const QModelIndex &keyIndex);
    // The facts asked for could not be read (connection lost, ...): the row is asked again the
    // next time it is looked at, and keeps what it showed meanwhile.
    void forgetPending(const QModelIndex &keyIndex);
    // The key is gone (deleted, renamed): its row goes, and folders left empty go with it.
    void removeKey(const QModelIndex &keyIndex);
    // The index of a key's row, found by walking its namespace path (invalid if not there).
    QModelIndex indexOfKey(const QByteArray &key) const;
    void setFacts(const QModelIndex &keyIndex, const Facts &facts);
    // Live changes (keyspace events), net of each other: keys touched that the tree lacks are
    // inserted, removed ones leave (empty folders with them), touched ones it has get their
    // facts asked again; `changed` keys are refreshed if present, never inserted. Lookups are
    // hashed per folder, so a batch costs one pass over the folders it touches. Returns false,
    // changing nothing, while keys wait in the queue or a sort reads the tree: the caller keeps the
    // changes and tries again.
    bool applyKeyChanges(const QList<QByteArray> &touched, const QList<QByteArray> &changed,
                         const QList<QByteArray> &removed);

    // "14m 32s", "no TTL", "expired"; nowMs: the clock to count from.
    static QString formatTtl(qint64 expiresAtMs, qint64 nowMs);
    static QString displayKey(const QByteArray &key);

    // QAbstractItemModel
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void sorted();
    void localFilterApplied();

private:
    struct KeyEntry
    {
        QByteArray key;
        qint64 expiresAtMs = kUnknown;
        qint64 memoryBytes = -1;
        quint8 type = 0; // index into typeNames()
        FactsState state = FactsState::Missing;
    };
    struct Folder
    {
        QByteArray prefix; // "user:1:" (with the separator); empty for the root
        QByteArray name;   // "1"
        Folder *parent = nullptr;
        int row = 0; // row in the parent folder
        bool announced = false;
        qint64 keyCount = 0; // keys here and below
        std::vector<std::unique_ptr<Folder>> folders;
        QHash<QByteArray, Folder *> folderByName;
        std::vector<KeyEntry> keys;
        // While removeKeysAt runs: keys[gapAt, gapAt + gapSize) are dead entries the rows skip,
        // so that removing k of n keys moves each survivor once, not k times.
        size_t gapAt = 0;
        size_t gapSize = 0;
        // While insertBatch runs: the last hiddenTail keys are not rows yet (announced at once).
        size_t hiddenTail = 0;
        bool countsDirty = false; // in KeyTreeModel::m_countsDirty
        int rows() const
        {
            return static_cast<int>(folders.size() + keys.size() - gapSize - hiddenTail);
        }
    };

    Folder *folderOf(const QModelIndex &index) const; // the folder the row is (folders only)
    KeyEntry *keyOf(const QModelIndex &index) const;  // the key the row is (keys only)
    QModelIndex indexOfFolder(const Folder *folder, int column = 0) const;
    // The announced folder that holds (or would hold) key; null if a folder on the way is missing.
    Folder *existingFolderOf(const QByteArray &key) const;
    // Removes the keys at these positions of folder->keys (ascending, distinct): one
    // rowsRemoved per run of neighbours, one pass over the vector, counts updated once, and
    // folders left empty removed with them.
    void removeKeysAt(Folder *folder, const std::vector<int> &positions);
    quint8 typeCode(const QByteArray &type);
    void insertBatch(const QByteArray *begin, const QByteArray *end);
    void insertBatch(const QList<QByteArray> &keys)
    {
        insertBatch(keys.constData(), keys.constData() + keys.size());
    }
    // Announces the key counts of the folders changed since the last time.
    void publishCounts();
    void flushSome();
    struct SortResult;
    struct FilterResult;
    // A new, empty root (between beginResetModel and endResetModel).
    void emptyTree();
    bool treeFrozen() const { return m_sortInFlight || m_filterInFlight; } // a pool task reads it
    bool matchesFilter(const QByteArray &key) const;
    void startFilter();
    void applyFilter(const std::shared_ptr<FilterResult> &result);
    void startSort();
    void applySort(const std::shared_ptr<SortResult> &result);
    void applyOrder(const std::shared_ptr<SortResult> &result);

    QByteArray m_separator = ":";
    // Shared with a running sort task, so that a reset during the sort cannot free the tree
    // under it.
    std::shared_ptr<Folder> m_root;
    QList<QByteArray> m_queue; // keys received; those from m_queueFront on wait to be inserted
    qsizetype m_queueFront = 0;
    QList<QByteArray> m_typeNames;       // index = KeyEntry::type; 0 = not known yet
    QTimer *m_flushTimer = nullptr;      // Owned.
    std::vector<Folder *> m_countsDirty; // counts changed, not announced yet (Folder::countsDirty)
    QElapsedTimer m_countsClock;         // since counts were last announced
    int m_folderCount = 0;
    quint64 m_generation = 0;     // bumped by every change of structure
    bool m_sortRequested = false; // someone asked; runs once the queue is empty
    bool m_sortInFlight = false;  // a pool task is reading the tree: no structural change
    // Facts read while a sort task reads the tree, applied when it is done.
    std::vector<std::pair<QPersistentModelIndex, Facts>> m_factsWhileSorting;
    // Local filter.
    QByteArray m_filter;
    QSet<QByteArray> m_filteredOut; // held, not shown (a set: live mode sets a key many times)
    bool m_filterRequested = false;
    bool m_filterInFlight = false;
    quint64 m_clears = 0;
    int m_sortColumn = NameColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace bd::models
