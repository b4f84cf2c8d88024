#include "keytreemodel.h"

#include "common/offthread.h"
#include "naturalorder.h"
#include "redis/replyformatter.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLocale>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace bd::models {

namespace {
constexpr int kFlushIntervalMs = 50;
// A flush inserts chunks of keys until this much time has passed, then lets the event loop
// run and continues on the next pass: a fast scan never freezes the window.
constexpr int kFlushBudgetMs = 12;
constexpr qsizetype kFlushChunk = 4096;
// Folder key counts are announced (dataChanged) at most this often while keys stream in, and
// at once when the queue has drained: a view walks every row of a changed span to find what to
// repaint, which, done for every chunk, cost a scan of a million keys a third of its time.
constexpr int kCountsIntervalMs = 200;
} // namespace

KeyTreeModel::KeyTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_shared<Folder>())
    , m_flushTimer(new QTimer(this))
{
    m_root->announced = true;
    m_typeNames << QByteArray();
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(kFlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &KeyTreeModel::flushSome);
}

KeyTreeModel::~KeyTreeModel() = default;

void KeyTreeModel::setSeparator(const QByteArray &separator)
{
    if (separator == m_separator)
        return;
    flush();
    // Collect every key, then rebuild under the new separator.
    QList<QByteArray> keys;
    keys.reserve(keyCount());
    std::vector<const Folder *> stack{m_root.get()};
    while (!stack.empty()) {
        const Folder *f = stack.back();
        stack.pop_back();
        for (const KeyEntry &e : f->keys)
            keys.push_back(e.key);
        for (const auto &child : f->folders)
            stack.push_back(child.get());
    }
    beginResetModel();
    m_separator = separator;
    emptyTree();
    endResetModel();
    insertBatch(keys);
}

void KeyTreeModel::appendKeys(const QList<QByteArray> &keys)
{
    if (m_filter.isEmpty() || m_filterInFlight) {
        m_queue += keys; // while a filter is computed, everything waits and is sorted out after
    } else {
        for (const QByteArray &key : keys) {
            if (matchesFilter(key))
                m_queue.push_back(key);
            else
                m_filteredOut.insert(key);
        }
        if (queuedCount() == 0)
            return;
    }
    if (!m_flushTimer->isActive())
        m_flushTimer->start(kFlushIntervalMs);
}

void KeyTreeModel::flush()
{
    m_flushTimer->stop();
    if (queuedCount() == 0)
        return;
    if (treeFrozen())
        return; // the tree is being read by a pool task; the keys go in when it is applied
    const QList<QByteArray> batch = std::exchange(m_queue, {});
    const qsizetype from = std::exchange(m_queueFront, 0);
    insertBatch(batch.constData() + from, batch.constData() + batch.size());
    if (m_sortRequested)
        startSort(); // a sort waiting for these keys
}

void KeyTreeModel::flushSome()
{
    if (treeFrozen())
        return; // resumed when the sort or the filter is applied
    QElapsedTimer budget;
    budget.start();
    // A chunk at a time from m_queueFront on, without copying the keys out of the queue (a
    // shared copy of the list keeps them valid should a slot append meanwhile).
    while (queuedCount() > 0 && budget.elapsed() < kFlushBudgetMs) {
        const QList<QByteArray> queue = m_queue;
        const qsizetype n = qMin(kFlushChunk, queuedCount());
        const QByteArray *first = queue.constData() + m_queueFront;
        insertBatch(first, first + n);
        m_queueFront += n;
    }
    if (queuedCount() == 0) {
        m_queue.clear();
        m_queueFront = 0;
    } else if (m_queueFront >= kFlushChunk * 16 && m_queueFront * 2 >= m_queue.size()) {
        m_queue.remove(0, m_queueFront); // what was inserted goes, now and then
        m_queueFront = 0;
    }
    if (queuedCount() > 0) {
        m_flushTimer->start(0); // the rest on the next pass, after pending events
        return;
    }
    publishCounts();
    if (m_sortRequested)
        startSort(); // the sort asked for while keys were still coming in
}

// The order computed for each folder: order[newRow] = oldRow, folders and keys apart.
struct KeyTreeModel::SortResult
{
    struct Part
    {
        Folder *folder = nullptr;
        std::vector<int> folderOrder;
        std::vector<int> keyOrder;
    };
    std::vector<Part> parts;
    std::shared_ptr<Folder> root; // keeps the tree alive while the task reads it
    quint64 generation = 0;
    int column = NameColumn;
    bool descending = false;
    // Sorting by type: each type code's rank (kLast for unknown). The task reads the other facts
    // from the keys themselves: facts that arrive meanwhile wait (see setFacts).
    std::vector<qint64> typeRank;
    static constexpr qint64 kLast = std::numeric_limits<qint64>::max();
};

void KeyTreeModel::sortBy(int column, Qt::SortOrder order)
{
    m_sortColumn = qBound(0, column, ColumnCount - 1);
    m_sortOrder = order;
    sort();
}

void KeyTreeModel::sort()
{
    m_sortRequested = true;
    if (!treeFrozen() && queuedCount() == 0)
        startSort(); // otherwise when the queue has drained (flushSome) or the sort in flight ends
}

void KeyTreeModel::startSort()
{
    m_sortRequested = false;
    m_sortInFlight = true;
    auto result = std::make_shared<SortResult>();
    result->generation = m_generation;
    result->root = m_root;
    result->column = m_sortColumn;
    result->descending = m_sortOrder == Qt::DescendingOrder;
    if (m_sortColumn != NameColumn) {
        // Types rank by name; unknown facts rank last.
        // Types rank by name (a handful of them); the keys' facts are read by the task.
        result->typeRank.assign(size_t(m_typeNames.size()), SortResult::kLast);
        std::vector<int> byName(size_t(m_typeNames.size()));
        std::iota(byName.begin(), byName.end(), 0);
        std::sort(byName.begin(), byName.end(),
                  [this](int a, int b) { return m_typeNames[a] < m_typeNames[b]; });
        for (size_t r = 0; r < byName.size(); ++r)
            result->typeRank[size_t(byName[r])] = byName[r] == 0 ? SortResult::kLast : qint64(r);
    }
    // Reads names and facts (const); the GUI thread changes neither the structure nor a fact
    // until applySort.
    runOffThread(
        this,
        [result] {
            std::vector<Folder *> stack{result->root.get()};
            while (!stack.empty()) {
                Folder *f = stack.back();
                stack.pop_back();
                SortResult::Part part;
                part.folder = f;
                part.folderOrder.resize(f->folders.size());
                for (size_t i = 0; i < part.folderOrder.size(); ++i) {
                    part.folderOrder[i] = static_cast<int>(i);
                    stack.push_back(f->folders[i].get());
                }
                const bool byNameDescending = result->column == NameColumn && result->descending;
                std::stable_sort(part.folderOrder.begin(), part.folderOrder.end(),
                                 [f, byNameDescending](int a, int b) {
                                     const QByteArray &x = f->folders[size_t(a)]->name;
                                     const QByteArray &y = f->folders[size_t(b)]->name;
                                     return byNameDescending ? naturalLess(y, x)
                                                             : naturalLess(x, y);
                                 });
                part.keyOrder.resize(f->keys.size());
                for (size_t i = 0; i < part.keyOrder.size(); ++i)
                    part.keyOrder[i] = static_cast<int>(i);
                if (result->column == NameColumn) {
                    std::stable_sort(part.keyOrder.begin(), part.keyOrder.end(),
                                     [f, byNameDescending](int a, int b) {
                                         const QByteArray &x = f->keys[size_t(a)].key;
                                         const QByteArray &y = f->keys[size_t(b)].key;
                                         return byNameDescending ? naturalLess(y, x)
                                                                 : naturalLess(x, y);
                                     });
                } else {
                    // The fact sorted by, per key; kLast for keys whose fact is not known.
                    std::vector<qint64> v;
                    v.reserve(f->keys.size());
                    for (const KeyEntry &k : f->keys) {
                        qint64 value = SortResult::kLast;
                        if (result->column == TypeColumn)
                            value = size_t(k.type) < result->typeRank.size()
                                        ? result->typeRank[k.type]
                                        : SortResult::kLast;
                        else if (result->column == TtlColumn)
                            value = k.expiresAtMs == kNoExpiry ? SortResult::kLast - 1
                                    : k.expiresAtMs >= 0       ? k.expiresAtMs
                                                               : SortResult::kLast;
                        else if (result->column == MemoryColumn)
                            value = k.memoryBytes >= 0 ? k.memoryBytes : SortResult::kLast;
                        v.push_back(value);
                    }
                    const bool descending = result->descending;
                    std::stable_sort(
                        part.keyOrder.begin(), part.keyOrder.end(),
                        [f, &v, descending](int a, int b) {
                            const qint64 x = v[size_t(a)];
                            const qint64 y = v[size_t(b)];
                            if (x != y) {
                                if (x == SortResult::kLast || y == SortResult::kLast)
                                    return y == SortResult::kLast; // unknown last, in either order
                                return descending ? y < x : x < y;
                            }
                            return naturalLess(f->keys[size_t(a)].key, f->keys[size_t(b)].key);
                        });
                }
                result->parts.push_back(std::move(part));
            }
        },
        [this, result] { applySort(result); });
}

void KeyTreeModel::applySort(const std::shared_ptr<SortResult> &result)
{
    m_sortInFlight = false;
    const bool current = result->generation == m_generation && result->root == m_root;
    if (current) {
        applyOrder(result);
        Q_EMIT sorted();
    }
    // The facts that arrived while the task read them, on their rows wherever they moved.
    std::vector<std::pair<QPersistentModelIndex, Facts>> waiting;
    waiting.swap(m_factsWhileSorting);
    for (const auto &[row, facts] : waiting)
        if (row.isValid())
            setFacts(row, facts);
    if (m_filterRequested) {
        startFilter(); // the keys that waited are sorted out and in after it
    } else if (queuedCount() > 0) {
        m_sortRequested = true; // the keys that waited must be sorted in too
        m_flushTimer->start(0);
    } else if (m_sortRequested) {
        startSort();
    }
}

bool KeyTreeModel::matchesFilter(const QByteArray &key) const
{
    return key.contains(m_filter);
}

void KeyTreeModel::setLocalFilter(const QByteArray &text)
{
    if (text == m_filter && !m_filterRequested)
        return;
    m_filter = text;
    m_filterRequested = true;
    if (!treeFrozen())
        startFilter(); // otherwise when the sort or the filter in flight is applied
}

// Every key the model holds, split by the filter: the ones to show, the ones to keep aside.
struct KeyTreeModel::FilterResult
{
    std::shared_ptr<Folder> root; // read in place by the task, frozen meanwhile
    QSet<QByteArray> aside;       // kept aside by the previous filter
    QByteArray filter;
    quint64 clears = 0;
    QList<QByteArray> shown;
    QSet<QByteArray> hidden;
};

void KeyTreeModel::startFilter()
{
    m_filterRequested = false;
    m_filterInFlight = true;
    auto result = std::make_shared<FilterResult>();
    result->root = m_root;
    result->aside = std::exchange(m_filteredOut, {});
    result->filter = m_filter;
    result->clears = m_clears;
    runOffThread(
        this,
        [result] {
            const QByteArray &filter = result->filter;
            const auto place = [&](const QByteArray &key) {
                if (key.contains(filter)) // an empty filter: every key
                    result->shown.push_back(key);
                else
                    result->hidden.insert(key);
            };
            std::vector<const Folder *> stack{result->root.get()};
            while (!stack.empty()) {
                const Folder *f = stack.back();
                stack.pop_back();
                for (const KeyEntry &e : f->keys)
                    place(e.key); // names only: the GUI thread may be writing the facts
                for (const auto &child : f->folders)
                    stack.push_back(child.get());
            }
            for (const QByteArray &key :
                 std::as_const(result->aside)) // kept, should the result be stale
                place(key);
        },
        [this, result] { applyFilter(result); });
}

void KeyTreeModel::applyFilter(const std::shared_ptr<FilterResult> &result)
{
    m_filterInFlight = false;
    const bool current = result->root == m_root;
    if (!current || m_filterRequested) {
        // Stale: the filter changed again, or the tree was rebuilt (separator) or cleared
        // meanwhile. Nothing was applied; what was aside stays aside (unless cleared) and the
        // filter runs again over what the model holds now.
        if (result->clears == m_clears)
            m_filteredOut.unite(result->aside);
        startFilter();
        return;
    }
    beginResetModel();
    ++m_generation;
    emptyTree();
    m_filteredOut = std::move(result->hidden);
    endResetModel();
    // The keys shown, and those that waited, go in through the new filter in time-boxed
    // chunks, then are sorted.
    const QList<QByteArray> waited = m_queue.mid(m_queueFront);
    m_queue.clear();
    m_queueFront = 0;
    appendKeys(result->shown);
    appendKeys(waited);
    sort(); // once they are in
    Q_EMIT localFilterApplied();
}

void KeyTreeModel::applyOrder(const std::shared_ptr<SortResult> &result)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    // Where each old row goes, per folder, for the persistent indexes (expansion, selection).
    std::unordered_map<const Folder *, std::vector<int>> newRowOf;
    for (SortResult::Part &part : result->parts) {
        Folder *f = part.folder;
        const int nf = static_cast<int>(f->folders.size());
        std::vector<int> &map = newRowOf[f];
        map.resize(static_cast<size_t>(f->rows()));
        std::vector<std::unique_ptr<Folder>> folders(f->folders.size());
        for (size_t n = 0; n < part.folderOrder.size(); ++n) {
            const int old = part.folderOrder[n];
            map[size_t(old)] = static_cast<int>(n);
            folders[n] = std::move(f->folders[size_t(old)]);
            folders[n]->row = static_cast<int>(n);
        }
        f->folders = std::move(folders);
        std::vector<KeyEntry> keys(f->keys.size());
        for (size_t n = 0; n < part.keyOrder.size(); ++n) {
            const int old = part.keyOrder[n];
            map[size_t(nf + old)] = nf + static_cast<int>(n);
            keys[n] = std::move(f->keys[size_t(old)]);
        }
        f->keys = std::move(keys);
    }
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &i : from) {
        const auto *holder = static_cast<const Folder *>(i.internalPointer());
        const auto it = newRowOf.find(holder);
        const int row = it != newRowOf.end() && size_t(i.row()) < it->second.size()
                            ? it->second[size_t(i.row())]
                            : i.row();
        to << createIndex(row, i.column(), i.internalPointer());
    }
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void KeyTreeModel::clear()
{
    m_flushTimer->stop();
    beginResetModel();
    ++m_generation;
    m_sortRequested = false;
    m_queue.clear();
    m_queueFront = 0;
    ++m_clears;
    m_filteredOut.clear();
    emptyTree();
    endResetModel();
}

void KeyTreeModel::emptyTree()
{
    m_root = std::make_shared<Folder>(); // a pool task still reading the old one keeps it alive
    m_root->announced = true;
    m_folderCount = 0;
    m_countsDirty.clear();
}

qint64 KeyTreeModel::keyCount() const
{
    return m_root->keyCount;
}

void KeyTreeModel::insertBatch(const QByteArray *begin, const QByteArray *end)
{
    ++m_generation;
    // Rows for folders the views already know of are announced once per folder and batch:
    // the keys are appended at once behind a hidden tail (Folder::hiddenTail) that the rows
    // do not count until its beginInsertRows. Folders created in this batch are filled
    // directly and appear with their contents when their own row is announced.
    std::unordered_map<Folder *, std::vector<std::unique_ptr<Folder>>> newFolders;
    std::vector<Folder *> grown; // announced folders with a hidden tail
    const qsizetype sepSize = m_separator.size();

    for (const QByteArray *k = begin; k != end; ++k) {
        const QByteArray &key = *k;
        Folder *folder = m_root.get();
        if (sepSize > 0) {
            qsizetype start = 0;
            for (qsizetype pos = key.indexOf(m_separator, start); pos >= 0;
                 pos = key.indexOf(m_separator, start)) {
                // Looked up without copying the segment; copied only for a new folder.
                const QByteArray name =
                    QByteArray::fromRawData(key.constData() + start, pos - start);
                Folder *child = folder->folderByName.value(name);
                if (!child) {
                    auto created = std::make_unique<Folder>();
                    created->prefix = key.left(pos + sepSize);
                    created->name = QByteArray(name.constData(), name.size());
                    created->parent = folder;
                    child = created.get();
                    folder->folderByName.insert(created->name, child);
                    if (folder->announced) {
                        newFolders[folder].push_back(std::move(created));
                    } else {
                        child->row = static_cast<int>(folder->folders.size());
                        folder->folders.push_back(std::move(created));
                    }
                    ++m_folderCount;
                }
                folder = child;
                start = pos + sepSize;
            }
        }
        for (Folder *a = folder; a; a = a->parent)
            ++a->keyCount;
        // The deepest folder the views know of: it and its ancestors show new counts.
        Folder *known = folder;
        while (!known->announced)
            known = known->parent;
        if (!known->countsDirty) {
            known->countsDirty = true;
            m_countsDirty.push_back(known);
        }
        if (folder->announced && folder->hiddenTail++ == 0)
            grown.push_back(folder);
        folder->keys.emplace_back().key = key;
    }

    for (auto &[parent, folders] : newFolders) {
        const int first = static_cast<int>(parent->folders.size());
        beginInsertRows(indexOfFolder(parent), first, first + static_cast<int>(folders.size()) - 1);
        for (auto &f : folders) {
            f->row = static_cast<int>(parent->folders.size());
            // Everything created inside it becomes known to the views with it.
            std::vector<Folder *> stack{f.get()};
            while (!stack.empty()) {
                Folder *g = stack.back();
                stack.pop_back();
                g->announced = true;
                for (auto &c : g->folders)
                    stack.push_back(c.get());
            }
            parent->folders.push_back(std::move(f));
        }
        endInsertRows();
    }
    for (Folder *folder : grown) {
        const int first = folder->rows();
        beginInsertRows(indexOfFolder(folder), first,
                        first + static_cast<int>(folder->hiddenTail) - 1);
        folder->hiddenTail = 0;
        endInsertRows();
    }
    // Folder names carry their key counts: announced with the next publishCounts().
    if (queuedCount() == 0 || !m_countsClock.isValid()
        || m_countsClock.elapsed() >= kCountsIntervalMs)
        publishCounts();
}

void KeyTreeModel::publishCounts()
{
    m_countsClock.start();
    if (m_countsDirty.empty())
        return;
    // One dataChanged per parent, spanning the rows of its changed sub-folders, not one per
    // folder (and never one per key). Ancestors' counts changed too.
    std::vector<Folder *> changed = std::exchange(m_countsDirty, {});
    for (size_t i = 0; i < changed.size(); ++i) {
        Folder *p = changed[i]->parent;
        if (p && !p->countsDirty) {
            p->countsDirty = true;
            changed.push_back(p);
        }
    }
    for (Folder *f : changed)
        f->countsDirty = false;
    std::unordered_map<Folder *, std::pair<int, int>> spans; // parent -> first, last row
    for (Folder *f : changed) {
        if (f == m_root.get() || !f->announced)
            continue;
        auto [it, inserted] = spans.try_emplace(f->parent, f->row, f->row);
        if (!inserted) {
            it->second.first = qMin(it->second.first, f->row);
            it->second.second = qMax(it->second.second, f->row);
        }
    }
    for (const auto &[parent, span] : spans) {
        const QModelIndex p = indexOfFolder(parent);
        Q_EMIT dataChanged(index(span.first, NameColumn, p), index(span.second, NameColumn, p),
                           {Qt::DisplayRole, KeyCountRole});
    }
}

KeyTreeModel::Folder *KeyTreeModel::folderOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return m_root.get();
    auto *holder = static_cast<Folder *>(index.internalPointer());
    if (index.row() < static_cast<int>(holder->folders.size()))
        return holder->folders[static_cast<size_t>(index.row())].get();
    return nullptr;
}

KeyTreeModel::KeyEntry *KeyTreeModel::keyOf(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    auto *holder = static_cast<Folder *>(index.internalPointer());
    const int keyRow = index.row() - static_cast<int>(holder->folders.size());
    if (keyRow < 0
        || keyRow >= static_cast<int>(holder->keys.size() - holder->gapSize - holder->hiddenTail))
        return nullptr;
    const size_t at = static_cast<size_t>(keyRow);
    return &holder->keys[at < holder->gapAt ? at : at + holder->gapSize];
}

QModelIndex KeyTreeModel::indexOfFolder(const Folder *folder, int column) const
{
    if (!folder || folder == m_root.get())
        return {};
    return createIndex(folder->row, column, folder->parent);
}

QModelIndex KeyTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    Folder *folder =
        parent.isValid() ? (parent.column() == 0 ? folderOf(parent) : nullptr) : m_root.get();
    if (!folder || row >= folder->rows())
        return {};
    return createIndex(row, column, folder);
}

QModelIndex KeyTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOfFolder(static_cast<Folder *>(child.internalPointer()));
}

int KeyTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const Folder *folder = folderOf(parent);
    return folder ? folder->rows() : 0;
}

int KeyTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool KeyTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QString KeyTreeModel::displayKey(const QByteArray &key)
{
    return connectors::ReplyFormatter::escapeBytes(key, false);
}

QString KeyTreeModel::formatTtl(qint64 expiresAtMs, qint64 nowMs)
{
    if (expiresAtMs == kUnknown)
        return {};
    if (expiresAtMs == kGone)
        return tr("gone");
    if (expiresAtMs == kNoExpiry)
        return tr("no TTL");
    const qint64 left = (expiresAtMs - nowMs + 999) / 1000; // seconds, rounded up
    if (left <= 0)
        return tr("expired");
    const qint64 d = left / 86400, h = (left % 86400) / 3600, m = (left % 3600) / 60, s = left % 60;
    if (d > 0)
        return QStringLiteral("%1d %2h").arg(d).arg(h, 2, 10, QLatin1Char('0'));
    if (h > 0)
        return QStringLiteral("%1h %2m").arg(h).arg(m, 2, 10, QLatin1Char('0'));
    if (m > 0)
        return QStringLiteral("%1m %2s").arg(m).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1s").arg(s);
}

QVariant KeyTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (const Folder *folder = folderOf(index)) {
        switch (role) {
        case Qt::DisplayRole:
            if (index.column() == NameColumn)
                return QStringLiteral("%1  (%2)")
                    .arg(displayKey(folder->name))
                    .arg(folder->keyCount);
            return {};
        case Qt::ToolTipRole:
            return tr("%1* — %n key(s)", nullptr, int(qMin<qint64>(folder->keyCount, INT_MAX)))
                .arg(displayKey(folder->prefix));
        case KeyRole:
            return folder->prefix;
        case IsFolderRole:
            return true;
        case KeyCountRole:
            return folder->keyCount;
        case RawValueRole:
            return index.column() == NameColumn ? QVariant(folder->name) : QVariant();
        default:
            return {};
        }
    }
    const KeyEntry *key = keyOf(index);
    if (!key)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return displayKey(key->key);
        case TypeColumn:
            return QString::fromUtf8(m_typeNames.value(key->type));
        case TtlColumn:
            return formatTtl(key->expiresAtMs, QDateTime::currentMSecsSinceEpoch());
        case MemoryColumn:
            return key->memoryBytes < 0 ? QString() : QLocale().formattedDataSize(key->memoryBytes);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return displayKey(key->key);
    case Qt::TextAlignmentRole:
        return index.column() == NameColumn ? QVariant()
                                            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case KeyRole:
        return key->key;
    case IsFolderRole:
        return false;
    case ExpiresAtRole:
        return key->expiresAtMs;
    case FactsStateRole:
        return QVariant::fromValue(static_cast<int>(key->state));
    case RawValueRole:
        switch (index.column()) {
        case NameColumn:
            return key->key;
        case TypeColumn:
            return m_typeNames.value(key->type);
        case TtlColumn:
            return key->expiresAtMs;
        case MemoryColumn:
            return key->memoryBytes;
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant KeyTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Key");
    case TypeColumn:
        return tr("Type");
    case TtlColumn:
        return tr("TTL");
    case MemoryColumn:
        return tr("Memory");
    default:
        return {};
    }
}

quint8 KeyTreeModel::typeCode(const QByteArray &type)
{
    const qsizetype at = m_typeNames.indexOf(type);
    if (at >= 0)
        return static_cast<quint8>(at);
    if (m_typeNames.size() >= 255)
        return 0; // more distinct module types than a byte holds: shown as not known
    m_typeNames << type;
    return static_cast<quint8>(m_typeNames.size() - 1);
}

void KeyTreeModel::markPending(const QModelIndex &keyIndex)
{
    if (KeyEntry *key = keyOf(keyIndex); key && key->state == FactsState::Missing)
        key->state = FactsState::Pending;
}

KeyTreeModel::Folder *KeyTreeModel::existingFolderOf(const QByteArray &key) const
{
    Folder *folder = m_root.get();
    const qsizetype sepSize = m_separator.size();
    if (sepSize > 0) {
        qsizetype start = 0;
        for (qsizetype pos = key.indexOf(m_separator, start); pos >= 0;
             pos = key.indexOf(m_separator, start)) {
            folder = folder->folderByName.value(
                QByteArray::fromRawData(key.constData() + start, pos - start));
            if (!folder || !folder->announced)
                return nullptr;
            start = pos + sepSize;
        }
    }
    return folder;
}

void KeyTreeModel::forgetPending(const QModelIndex &keyIndex)
{
    if (KeyEntry *key = keyOf(keyIndex); key && key->state == FactsState::Pending)
        key->state = FactsState::Missing;
}

QModelIndex KeyTreeModel::indexOfKey(const QByteArray &key) const
{
    Folder *folder = existingFolderOf(key);
    if (!folder)
        return {};
    for (size_t i = 0; i < folder->keys.size(); ++i) {
        if (folder->keys[i].key == key)
            return createIndex(static_cast<int>(folder->folders.size() + i), 0, folder);
    }
    return {};
}

void KeyTreeModel::removeKey(const QModelIndex &keyIndex)
{
    if (!keyOf(keyIndex))
        return;
    auto *folder = static_cast<Folder *>(keyIndex.internalPointer());
    if (treeFrozen()) {
        // The tree is being read by a pool task: mark it gone (once the sort has read the facts),
        // it disappears on the next scan.
        Facts gone;
        gone.type = "none";
        setFacts(keyIndex, gone);
        return;
    }
    removeKeysAt(folder, {keyIndex.row() - static_cast<int>(folder->folders.size())});
}

void KeyTreeModel::removeKeysAt(Folder *folder, const std::vector<int> &positions)
{
    if (positions.empty())
        return;
    ++m_generation;
    const QModelIndex parentIndex = indexOfFolder(folder);
    const int nf = static_cast<int>(folder->folders.size());
    std::vector<KeyEntry> &keys = folder->keys;
    // Live rows are keys[0, w) then keys[r, n); [w, r) is the gap. Survivors move down once.
    size_t w = 0;
    size_t r = 0;
    size_t i = 0;
    while (i < positions.size()) {
        // A run of neighbouring positions goes in one signal.
        const size_t first = size_t(positions[i]);
        size_t last = first;
        while (i + 1 < positions.size() && size_t(positions[i + 1]) == last + 1)
            last = size_t(positions[++i]);
        ++i;
        for (; r < first; ++r, ++w) // invisible to the views: the rows stay what they were
            if (w != r)
                keys[w] = std::move(keys[r]);
        folder->gapAt = w;
        folder->gapSize = r - w;
        const int row = nf + static_cast<int>(w);
        beginRemoveRows(parentIndex, row, row + static_cast<int>(last - first));
        r = last + 1;
        folder->gapSize = r - w;
        endRemoveRows();
    }
    for (; r < keys.size(); ++r, ++w)
        if (w != r)
            keys[w] = std::move(keys[r]);
    keys.resize(w);
    folder->gapAt = 0;
    folder->gapSize = 0;
    const qint64 removed = qint64(positions.size());
    for (Folder *a = folder; a; a = a->parent)
        a->keyCount -= removed;
    // Folders left with no key under them go too.
    while (folder != m_root.get() && folder->keyCount == 0) {
        Folder *parent = folder->parent;
        const int folderRow = folder->row;
        beginRemoveRows(indexOfFolder(parent), folderRow, folderRow);
        parent->folderByName.remove(folder->name);
        if (folder->countsDirty)
            m_countsDirty.erase(std::find(m_countsDirty.begin(), m_countsDirty.end(), folder));
        parent->folders.erase(parent->folders.begin() + folderRow);
        for (size_t i = size_t(folderRow); i < parent->folders.size(); ++i)
            parent->folders[i]->row = static_cast<int>(i);
        --m_folderCount;
        endRemoveRows();
        folder = parent;
    }
    for (Folder *a = folder; a && a != m_root.get(); a = a->parent) {
        const QModelIndex i = indexOfFolder(a);
        Q_EMIT dataChanged(i, i, {Qt::DisplayRole, KeyCountRole});
    }
}

bool KeyTreeModel::applyKeyChanges(const QList<QByteArray> &touched,
                                   const QList<QByteArray> &changed,
                                   const QList<QByteArray> &removed)
{
    if (treeFrozen() || queuedCount() > 0)
        return false;
    // Group the keys by the folder that holds them; a touched key whose folder is missing is new.
    struct Group
    {
        QList<QByteArray> touched;
        QList<QByteArray> changed;
        QList<QByteArray> removed;
    };
    std::unordered_map<Folder *, Group> groups;
    QList<QByteArray> fresh;
    for (const QByteArray &key : touched) {
        if (Folder *f = existingFolderOf(key))
            groups[f].touched << key;
        else
            fresh << key;
    }
    for (const QByteArray &key : changed) {
        if (Folder *f = existingFolderOf(key))
            groups[f].changed << key;
    }
    for (const QByteArray &key : removed) {
        if (Folder *f = existingFolderOf(key))
            groups[f].removed << key;
    }
    // Positions first (no structure changes yet), then changes, then removals.
    std::vector<std::pair<Folder *, std::vector<int>>> removals; // key positions, ascending
    for (auto &folderGroup : groups) {
        // Named, not a structured binding: lambdas below capture it (clang 14, the fuzz build's
        // compiler, cannot capture bindings).
        Folder *const folder = folderGroup.first;
        auto &group = folderGroup.second;
        const qsizetype lookups =
            group.touched.size() + group.changed.size() + group.removed.size();
        // Many lookups: one pass over the folder against a hash of the keys looked for (small),
        // not a hash of the folder (a million entries would cost ~0.4 s a batch).
        QHash<QByteArray, int> position;
        const bool hashed = lookups > 4 && folder->keys.size() > 64;
        if (hashed) {
            QSet<qsizetype> lengths;
            for (const QList<QByteArray> *list : {&group.touched, &group.changed, &group.removed}) {
                for (const QByteArray &key : *list) {
                    position.insert(key, -1);
                    lengths.insert(key.size());
                }
            }
            qsizetype missing = position.size();
            for (size_t i = 0; i < folder->keys.size() && missing > 0; ++i) {
                const QByteArray &key = folder->keys[i].key;
                if (!lengths.contains(key.size()))
                    continue;
                const auto it = position.find(key);
                if (it != position.end() && it.value() < 0) {
                    it.value() = static_cast<int>(i);
                    --missing;
                }
            }
        }
        const auto find = [&](const QByteArray &key) {
            if (hashed)
                return position.value(key, -1);
            for (size_t i = 0; i < folder->keys.size(); ++i)
                if (folder->keys[i].key == key)
                    return static_cast<int>(i);
            return -1;
        };
        const int folderRows = static_cast<int>(folder->folders.size());
        const auto refresh = [&](const QByteArray &key, bool insertIfAbsent) {
            const int i = find(key);
            if (i < 0) {
                if (insertIfAbsent)
                    fresh << key;
                return;
            }
            KeyEntry &entry = folder->keys[size_t(i)];
            if (entry.state == FactsState::Pending)
                return; // asked already; the answer will be the new state
            entry.state = FactsState::Missing;
            const QModelIndex first = createIndex(folderRows + i, TypeColumn, folder);
            Q_EMIT dataChanged(first, first.siblingAtColumn(MemoryColumn));
        };
        for (const QByteArray &key : group.touched)
            refresh(key, true);
        for (const QByteArray &key : group.changed)
            refresh(key, false);
        std::vector<int> gone;
        for (const QByteArray &key : group.removed) {
            const int i = find(key);
            if (i >= 0)
                gone.push_back(i);
        }
        if (!gone.empty()) {
            std::sort(gone.begin(), gone.end());
            gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
            removals.emplace_back(folder, std::move(gone));
        }
    }
    // A folder is dropped only once no key is left under it, and every position here names a
    // distinct existing key, so a folder still listed is never one already dropped.
    for (auto &[folder, positions] : removals)
        removeKeysAt(folder, positions);
    if (!m_filter.isEmpty()) {
        // Keys the filter keeps aside: new ones join them (once, however often they are set),
        // deleted ones leave them.
        QList<QByteArray> shown;
        for (const QByteArray &key : fresh) {
            if (matchesFilter(key))
                shown << key;
            else
                m_filteredOut.insert(key);
        }
        fresh = shown;
        for (const QByteArray &key : removed)
            m_filteredOut.remove(key);
    }
    if (!fresh.isEmpty())
        insertBatch(fresh);
    return true;
}

void KeyTreeModel::setFacts(const QModelIndex &keyIndex, const Facts &facts)
{
    KeyEntry *key = keyOf(keyIndex);
    if (!key)
        return;
    if (m_sortInFlight) {
        // The sort task reads the facts now: these wait for it (their row may move).
        m_factsWhileSorting.emplace_back(QPersistentModelIndex(keyIndex), facts);
        return;
    }
    key->type = typeCode(facts.type == "none" ? QByteArray() : facts.type);
    if (facts.pttlMs == -2 || facts.type == "none")
        key->expiresAtMs = kGone;
    else if (facts.pttlMs == -1)
        key->expiresAtMs = kNoExpiry;
    else
        key->expiresAtMs =
            (facts.readAtMs > 0 ? facts.readAtMs : QDateTime::currentMSecsSinceEpoch())
            + facts.pttlMs;
    key->memoryBytes = facts.memoryBytes;
    key->state = FactsState::Loaded;
    Q_EMIT dataChanged(index(keyIndex.row(), TypeColumn, keyIndex.parent()),
                       index(keyIndex.row(), MemoryColumn, keyIndex.parent()));
}

} // namespace bd::models
