#include "keyspage.h"

#include "common/confirmation.h"
#include "common/counts.h"
#include "common/tones.h"
#include "itemdialog.h"
#include "keydetailspane.h"
#include "keys/keytreemodel.h"
#include "redis/redisglob.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <utility>

namespace bd::ui {

using models::KeyTreeModel;

namespace {
constexpr int kTtlRepaintMs = 1000;
constexpr int kFactsDelayMs = 120; // wait for scrolling to settle
constexpr int kMaxFactsPerRequest = 200;
constexpr int kMaxSortFacts = 20000; // facts loaded to sort the open folders by a fact
constexpr int kFilterDelayMs = 250;  // typing pauses this long before the loaded keys are filtered
constexpr int kExpandFilteredKeys =
    500; // a filter that leaves at most this many opens every folder
} // namespace

KeysPage::KeysPage(models::KeyTreeModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    m_pattern = new QLineEdit(this);
    m_pattern->setObjectName(QStringLiteral("keysPattern"));
    m_pattern->setPlaceholderText(
        tr("Filter: text narrows the loaded keys as you type (Enter asks the server); "
           "a glob (user:*) is matched by the server on Enter; empty for all"));
    m_pattern->setClearButtonEnabled(true);
    m_type = new QComboBox(this);
    m_type->addItem(tr("All types"), QByteArray());
    for (const char *t : {"string", "hash", "list", "set", "zset", "stream"})
        m_type->addItem(QString::fromLatin1(t), QByteArray(t));
    m_database = new QComboBox(this);
    m_database->setObjectName(QStringLiteral("keysDatabase"));
    m_database->setToolTip(tr("Database (keys per database from INFO keyspace)"));
    m_database->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_separator = new QLineEdit(QString::fromUtf8(model->separator()), this);
    m_separator->setToolTip(tr("Namespace separator; empty for a flat list"));
    m_separator->setMaximumWidth(40);
    m_scan = new QPushButton(tr("Scan"), this);
    m_scan->setObjectName(QStringLiteral("keysScan"));
    m_cancel = new QPushButton(tr("Stop"), this);
    m_cancel->setEnabled(false);
    m_bulk = new QPushButton(tr("Bulk…"), this);
    m_bulk->setObjectName(QStringLiteral("keysBulk"));
    m_bulk->setToolTip(
        tr("Delete, or set the TTL of, every key matching a pattern (dry run first)"));
    m_newKey = new QPushButton(tr("New key…"), this);
    m_newKey->setObjectName(QStringLiteral("keysNewKey"));
    m_progress = new QLabel(this);
    m_progress->setObjectName(QStringLiteral("keysProgress"));
    m_filterNote = new QLabel(this);
    m_filterNote->setObjectName(QStringLiteral("keysFilterNote"));
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(kFilterDelayMs);
    m_memoryNote = new QLabel(this);
    m_memoryNote->setStyleSheet(QStringLiteral("color: palette(placeholder-text)"));
    m_live = new QCheckBox(tr("Live"), this);
    m_live->setObjectName(QStringLiteral("keysLive"));
    m_live->setToolTip(
        tr("Follow the server's keyspace events: keys that are set appear, keys that are "
           "deleted or expire leave, changed keys show their new TTL and type"));
    m_liveStatus = new QLabel(this);
    m_liveStatus->setObjectName(QStringLiteral("keysLiveStatus"));
    m_enableEvents = new QPushButton(tr("Enable key events…"), this);
    m_enableEvents->setObjectName(QStringLiteral("keysEnableEvents"));
    m_enableEvents->hide();

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_database);
    bar->addWidget(m_pattern, 1);
    bar->addWidget(m_type);
    bar->addWidget(new QLabel(tr("Separator"), this));
    bar->addWidget(m_separator);
    bar->addWidget(m_scan);
    bar->addWidget(m_cancel);
    bar->addWidget(m_newKey);
    bar->addWidget(m_bulk);
    bar->addWidget(m_live);

    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("keysView"));
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true); // millions of rows: never measure each one
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAllColumnsShowFocus(true);
    m_view->setTextElideMode(Qt::ElideMiddle);
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(KeyTreeModel::NameColumn, QHeaderView::Stretch);
    for (int c : {KeyTreeModel::TypeColumn, KeyTreeModel::TtlColumn, KeyTreeModel::MemoryColumn}) {
        header->setSectionResizeMode(c, QHeaderView::Interactive);
        header->resizeSection(c, 90);
    }

    header->setSectionsClickable(true);
    header->setSortIndicatorShown(true);
    header->setSortIndicator(KeyTreeModel::NameColumn, Qt::AscendingOrder);
    connect(header, &QHeaderView::sortIndicatorChanged, this,
            [this](int column, Qt::SortOrder order) {
                m_model->sortBy(column, order);
                if (column != KeyTreeModel::NameColumn)
                    requestSortFacts();
            });

    auto *status = new QHBoxLayout;
    status->addWidget(m_progress, 1);
    status->addWidget(m_filterNote);
    status->addWidget(m_liveStatus);
    status->addWidget(m_enableEvents);
    status->addWidget(m_memoryNote);

    m_details = new KeyDetailsPane(this);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
    layout->addLayout(status);

    m_tick = new QTimer(this);
    m_tick->setInterval(kTtlRepaintMs);
    connect(m_tick, &QTimer::timeout, m_view->viewport(), qOverload<>(&QWidget::update));
    connect(m_tick, &QTimer::timeout, this, &KeysPage::updateFilterNote);
    m_tick->start();
    m_factsDelay = new QTimer(this);
    m_factsDelay->setSingleShot(true);
    m_factsDelay->setInterval(kFactsDelayMs);
    connect(m_factsDelay, &QTimer::timeout, this, &KeysPage::requestVisibleFacts);

    connect(m_scan, &QPushButton::clicked, this, &KeysPage::startScan);
    connect(m_pattern, &QLineEdit::returnPressed, this, &KeysPage::startScan);
    // Plain text narrows what is loaded, as it is typed; a glob waits for Enter (the server).
    connect(m_pattern, &QLineEdit::textEdited, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_pattern, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            applyLocalFilter(); // the clear button: at once
    });
    connect(m_filterDelay, &QTimer::timeout, this, &KeysPage::applyLocalFilter);
    connect(m_model, &KeyTreeModel::localFilterApplied, this, [this] {
        m_expandFiltered = !m_model->localFilter().isEmpty();
        updateFilterNote();
    });
    // A filter that leaves a few keys opens their folders (once they are in and sorted).
    connect(m_model, &KeyTreeModel::sorted, this, [this] {
        if (std::exchange(m_expandFiltered, false) && m_model->keyCount() <= kExpandFilteredKeys)
            m_view->expandAll();
    });
    connect(m_cancel, &QPushButton::clicked, this, &KeysPage::cancelRequested);
    connect(m_database, &QComboBox::activated, this,
            [this](int index) { Q_EMIT databaseRequested(m_database->itemData(index).toInt()); });
    connect(m_newKey, &QPushButton::clicked, this, [this] {
        auto *dialog = new ItemDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        // A folder selected: the name starts with its prefix.
        const QModelIndex current = m_view->currentIndex().siblingAtColumn(0);
        if (current.isValid() && current.data(KeyTreeModel::IsFolderRole).toBool())
            dialog->nameEdit()->setText(
                QString::fromUtf8(current.data(KeyTreeModel::KeyRole).toByteArray()));
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
            Q_EMIT newKeyRequested(dialog->key(), dialog->item(), dialog->ttlMs());
        });
        dialog->open();
    });
    connect(m_bulk, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_view->currentIndex().siblingAtColumn(0);
        QString pattern = m_pattern->text().trimmed();
        if (current.isValid() && current.data(KeyTreeModel::IsFolderRole).toBool())
            pattern = QString::fromUtf8(current.data(KeyTreeModel::KeyRole).toByteArray())
                      + QLatin1Char('*');
        Q_EMIT bulkRequested(pattern);
    });
    connect(m_separator, &QLineEdit::editingFinished, this, [this] {
        if (m_separator->text().toUtf8() == m_model->separator())
            return;
        m_model->setSeparator(m_separator->text().toUtf8());
        m_model->sort();
    });
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &KeysPage::scheduleFacts);
    connect(m_view, &QTreeView::expanded, this, &KeysPage::scheduleFacts);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &KeysPage::scheduleFacts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &KeysPage::scheduleFacts);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            &KeysPage::scheduleFacts); // live changes
    connect(m_live, &QCheckBox::toggled, this, [this](bool on) {
        if (!on) {
            hideKeyEventsOffer();
            setLiveStatus(QString(), false);
        }
        Q_EMIT liveToggled(on);
    });
    connect(m_enableEvents, &QPushButton::clicked, this, [this] {
        const QByteArray value = m_proposedEvents;
        askConfirmation(
            this, tr("Enable keyspace events"),
            tr("Set notify-keyspace-events on this server to \"%1\"?\n\n"
               "The server then publishes an event for every change of every key, in every "
               "database, to every client that listens: on a busy server this costs CPU and "
               "network. The setting lasts until the server restarts (CONFIG REWRITE is not run).")
                .arg(QString::fromUtf8(value)),
            tr("Enable key events"), QStringLiteral("confirmKeyEvents"),
            [this, value] { Q_EMIT keyEventsChangeRequested(value); }, QMessageBox::AcceptRole);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid() || current.data(KeyTreeModel::IsFolderRole).toBool())
                    return;
                const QByteArray key =
                    current.siblingAtColumn(0).data(KeyTreeModel::KeyRole).toByteArray();
                if (key == m_details->currentKey())
                    return;
                m_details->showLoading(key);
                Q_EMIT keyOpened(key);
            });
    // A reset for a filter or a separator keeps the key open; a new scan closes it (startScan).
}

QByteArray KeysPage::localFilterText(const QString &filter)
{
    const QByteArray text = filter.trimmed().toUtf8();
    return connectors::isGlobPattern(text) ? QByteArray() : text;
}

void KeysPage::applyLocalFilter()
{
    m_filterDelay->stop();
    m_model->setLocalFilter(localFilterText(m_pattern->text()));
    updateFilterNote();
}

void KeysPage::updateFilterNote()
{
    const QByteArray filter = m_model->localFilter();
    if (filter.isEmpty()) {
        m_filterNote->clear();
        return;
    }
    const QLocale locale;
    const qint64 shown = m_model->keyCount();
    const qint64 held = shown + m_model->filteredOutCount();
    m_filterNote->setText(m_model->isFiltering()
                              ? tr("Filtering the loaded keys…")
                              : tr("%1 of %2 loaded keys contain “%3” (Enter asks the server)")
                                    .arg(locale.toString(shown), locale.toString(held),
                                         KeyTreeModel::displayKey(filter)));
}

QString KeysPage::filterNoteText() const
{
    return m_filterNote->text();
}

void KeysPage::startScan()
{
    m_model->setSeparator(m_separator->text().toUtf8());
    m_model->clear();
    m_details->clear();
    applyLocalFilter(); // what Enter asks the server for is what the loaded keys show
    m_scan->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setText(tr("Scanning…"));
    Q_EMIT scanRequested(scanPattern(m_pattern->text()), m_type->currentData().toByteArray());
}

QByteArray KeysPage::scanPattern(const QString &filter)
{
    // Plain text is a substring: *text*. A glob is sent as it is.
    const QByteArray text = filter.trimmed().toUtf8();
    if (text.isEmpty() || connectors::isGlobPattern(text))
        return text;
    QByteArray escaped;
    for (char c : text) {
        if (c == '\\' || c == ']')
            escaped += '\\';
        escaped += c;
    }
    return '*' + escaped + '*';
}

QString KeysPage::progressText() const
{
    return m_progress->text();
}

void KeysPage::setScanProgress(qint64 found, qint64 examined, qint64 databaseSize)
{
    const QLocale locale;
    if (databaseSize >= 0) {
        m_progress->setText(
            tr("Scanning: %1 found, about %2 of %3 examined")
                .arg(keyCount(found), locale.toString(examined), locale.toString(databaseSize)));
    } else {
        m_progress->setText(tr("Scanning: %1 found").arg(keyCount(found)));
    }
}

void KeysPage::setScanFinished(const QString &summary, bool ok)
{
    m_scan->setEnabled(true);
    m_cancel->setEnabled(false);
    m_progress->setText(summary);
    m_progress->setStyleSheet(ok ? QString() : models::toneStyleSheet(models::Tone::Error));
}

void KeysPage::setDatabases(const QList<QPair<int, qint64>> &databases, int current)
{
    const QSignalBlocker blocker(m_database);
    m_database->clear();
    const QLocale locale;
    for (const auto &[db, keys] : databases) {
        m_database->addItem(keys >= 0 ? tr("db%1 (%2)").arg(db).arg(locale.toString(keys))
                                      : tr("db%1").arg(db),
                            db);
        if (db == current)
            m_database->setCurrentIndex(m_database->count() - 1);
    }
}

void KeysPage::revealKey(const QModelIndex &row)
{
    if (!row.isValid())
        return;
    const QSignalBlocker quiet(m_view->selectionModel());
    m_view->scrollTo(row);
    m_view->setCurrentIndex(row);
    m_view->viewport()->update();
}

void KeysPage::setReadOnly(bool readOnly)
{
    m_newKey->setEnabled(!readOnly);
    m_newKey->setToolTip(readOnly ? tr("Read-only profile: nothing can be changed") : QString());
    m_details->setReadOnly(readOnly);
}

void KeysPage::setLiveStatus(const QString &text, bool problem)
{
    m_liveStatus->setText(text);
    m_liveStatus->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error) : QString());
}

QString KeysPage::liveStatusText() const
{
    return m_liveStatus->text();
}

bool KeysPage::isLive() const
{
    return m_live->isChecked();
}

void KeysPage::offerKeyEvents(const QByteArray &current, const QByteArray &proposed, bool readOnly)
{
    m_proposedEvents = proposed;
    setLiveStatus(tr("Live: this server publishes no key events (notify-keyspace-events is \"%1\")")
                      .arg(QString::fromUtf8(current)),
                  true);
    m_enableEvents->setVisible(true);
    m_enableEvents->setEnabled(!readOnly);
    m_enableEvents->setToolTip(
        readOnly ? tr("Read-only profile: the server's settings cannot be changed")
                 : tr("CONFIG SET notify-keyspace-events %1").arg(QString::fromUtf8(proposed)));
}

void KeysPage::hideKeyEventsOffer()
{
    m_enableEvents->hide();
}

void KeysPage::setMemoryNote(const QString &note)
{
    m_memoryNote->setText(note);
}

void KeysPage::requestSortFacts()
{
    // The keys of the root and of every open folder, depth first, up to the cap.
    QList<QPersistentModelIndex> wanted;
    std::vector<QModelIndex> stack{QModelIndex()};
    while (!stack.empty() && wanted.size() < kMaxSortFacts) {
        const QModelIndex parent = stack.back();
        stack.pop_back();
        const int rows = m_model->rowCount(parent);
        for (int r = 0; r < rows && wanted.size() < kMaxSortFacts; ++r) {
            const QModelIndex i = m_model->index(r, 0, parent);
            if (i.data(KeyTreeModel::IsFolderRole).toBool()) {
                if (m_view->isExpanded(i))
                    stack.push_back(i);
            } else if (i.data(KeyTreeModel::FactsStateRole).toInt()
                       == int(KeyTreeModel::FactsState::Missing)) {
                m_model->markPending(i);
                wanted << QPersistentModelIndex(i);
            }
        }
    }
    if (!wanted.isEmpty()) {
        m_progress->setText(tr("Sorting: loading the facts of %1…").arg(keyCount(wanted.size())));
        Q_EMIT sortFactsWanted(wanted);
    }
}

void KeysPage::scheduleFacts()
{
    if (!m_factsDelay->isActive())
        m_factsDelay->start();
}

void KeysPage::requestVisibleFacts()
{
    QList<QPersistentModelIndex> wanted;
    const QRect area = m_view->viewport()->rect();
    for (QModelIndex i = m_view->indexAt(area.topLeft());
         i.isValid() && wanted.size() < kMaxFactsPerRequest; i = m_view->indexBelow(i)) {
        if (m_view->visualRect(i).top() > area.bottom())
            break;
        if (i.data(KeyTreeModel::IsFolderRole).toBool())
            continue;
        if (i.data(KeyTreeModel::FactsStateRole).toInt() != int(KeyTreeModel::FactsState::Missing))
            continue;
        m_model->markPending(i);
        wanted << QPersistentModelIndex(i);
    }
    if (!wanted.isEmpty())
        Q_EMIT factsWanted(wanted);
}

} // namespace bd::ui
