#include "keydetailspane.h"

#include "common/confirmation.h"
#include "common/offthread.h"
#include "common/tones.h"
#include "itemdialog.h"
#include "keys/jsontree.h"
#include "keys/keytreemodel.h"
#include "keys/valueformat.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTextBlock>
#include <QThread>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace bd::ui {

using models::KeyTreeModel;

KeyDetailsPane::KeyDetailsPane(QWidget *parent)
    : QWidget(parent)
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("keyTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("keySummary"));
    m_summary->setWordWrap(true);
    // The note wraps and never widens the pane (a JSON error's "last read" can be 200
    // characters without a space): the key tree beside it keeps its columns. The whole note is
    // also its tooltip.
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("keyNote"));
    m_note->setWordWrap(true);
    m_note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("keyMessage"));
    m_message->setWordWrap(true);
    m_mode = new QComboBox(this);
    m_mode->addItem(tr("Auto"), int(models::ValueMode::Auto));
    m_mode->addItem(tr("Text"), int(models::ValueMode::Text));
    m_mode->addItem(tr("Hex"), int(models::ValueMode::Hex));
    m_mode->addItem(tr("Base64"), int(models::ValueMode::Base64));
    m_mode->addItem(tr("MessagePack"), int(models::ValueMode::MessagePack));
    m_mode->addItem(tr("JSON tree"), -1);
    m_mode->setObjectName(QStringLiteral("keyValueMode"));
    m_mode->setToolTip(
        tr("Auto inflates zlib/gzip, decodes base64 that hides something, and shows JSON and "
           "MessagePack pretty; pickle is shown as bytes, never deserialised"));

    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("keyValueText"));
    m_text->setReadOnly(true);
    m_text->setFont(mono);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("keyValueTable"));
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_table);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("keyValueTree"));
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_stack->addWidget(m_tree);

    m_more = new QPushButton(tr("Load more"), this);
    m_more->setObjectName(QStringLiteral("keyLoadMore"));
    m_more->setVisible(false);
    m_copy = new QPushButton(tr("Copy name"), this);
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_ttl = new QPushButton(tr("Set TTL…"), this);
    m_persist = new QPushButton(tr("Persist"), this);
    m_persist->setToolTip(tr("Remove the TTL: the key no longer expires"));
    m_rename = new QPushButton(tr("Rename…"), this);
    m_rename->setObjectName(QStringLiteral("keyRename"));
    m_delete = new QPushButton(tr("Delete…"), this);
    m_delete->setObjectName(QStringLiteral("keyDelete"));

    m_loadAll = new QPushButton(tr("Load all"), this);
    m_loadAll->setObjectName(QStringLiteral("keyLoadAll"));
    m_save = new QPushButton(tr("Save to file…"), this);
    m_save->setObjectName(QStringLiteral("keySave"));
    m_openDataset = new QPushButton(tr("Open as dataset"), this);
    m_openDataset->setObjectName(QStringLiteral("keyOpenDataset"));
    m_openDataset->setToolTip(tr("Show the JSON records this key holds as a table on the Data "
                                 "page, with freshness and what changes"));
    m_addItem = new QPushButton(tr("Add…"), this);
    m_addItem->setObjectName(QStringLiteral("keyAddItem"));
    m_removeItem = new QPushButton(tr("Remove…"), this);
    m_removeItem->setObjectName(QStringLiteral("keyRemoveItem"));
    m_groups = new QLabel(this);
    m_groups->setObjectName(QStringLiteral("keyStreamGroups"));
    m_groups->setWordWrap(true);
    m_groups->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_note, 1);
    modeRow->addWidget(m_more);
    modeRow->addWidget(m_loadAll);
    modeRow->addWidget(m_save);
    modeRow->addWidget(m_openDataset);
    modeRow->addWidget(m_mode);
    auto *actions = new QHBoxLayout;
    for (QPushButton *b : {m_copy, m_refresh, m_ttl, m_persist, m_rename, m_delete})
        actions->addWidget(b);
    actions->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addLayout(actions);
    layout->addWidget(m_message);
    layout->addLayout(modeRow);
    layout->addWidget(m_stack, 1);
    auto *editRow = new QHBoxLayout;
    editRow->addWidget(m_addItem);
    editRow->addWidget(m_removeItem);
    editRow->addStretch(1);
    layout->addLayout(editRow);
    layout->addWidget(m_groups);

    connect(m_mode, &QComboBox::currentIndexChanged, this, &KeyDetailsPane::renderString);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(KeyTreeModel::displayKey(m_key)); });
    connect(m_refresh, &QPushButton::clicked, this, [this] { Q_EMIT refreshRequested(m_key); });
    connect(m_more, &QPushButton::clicked, this, [this] { Q_EMIT moreRequested(m_key); });
    connect(m_ttl, &QPushButton::clicked, this, &KeyDetailsPane::askTtl);
    connect(m_persist, &QPushButton::clicked, this, [this] { Q_EMIT persistRequested(m_key); });
    connect(m_openDataset, &QPushButton::clicked, this,
            [this] { Q_EMIT openAsDatasetRequested(m_key, m_details.type); });
    connect(m_delete, &QPushButton::clicked, this, &KeyDetailsPane::askDelete);
    connect(m_rename, &QPushButton::clicked, this, &KeyDetailsPane::askRename);
    connect(m_addItem, &QPushButton::clicked, this, &KeyDetailsPane::askAddItem);
    connect(m_loadAll, &QPushButton::clicked, this, [this] {
        m_loadAll->setEnabled(false);
        Q_EMIT loadAllRequested(m_key);
    });
    connect(m_save, &QPushButton::clicked, this, [this] {
        auto *dialog =
            new QFileDialog(this, tr("Save the value of %1").arg(KeyTreeModel::displayKey(m_key)));
        dialog->setObjectName(QStringLiteral("saveValueDialog"));
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QString name = KeyTreeModel::displayKey(m_key);
        name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
        dialog->selectFile(name + QStringLiteral(".bin"));
        connect(dialog, &QFileDialog::fileSelected, this, &KeyDetailsPane::saveTo);
        dialog->open();
    });
    connect(m_removeItem, &QPushButton::clicked, this, &KeyDetailsPane::askRemoveItems);
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &KeyDetailsPane::refreshSummary);
    connect(m_table, &QTableWidget::cellChanged, this, &KeyDetailsPane::onCellEdited);
    clear();
}

KeyDetailsPane::~KeyDetailsPane()
{
    m_tree->setModel(nullptr); // the view lets go of the model before the model goes
}

void KeyDetailsPane::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateActions();
}

void KeyDetailsPane::clear()
{
    m_key.clear();
    m_details = {};
    m_title->setText(tr("Select a key to see its value."));
    m_summary->clear();
    setNote(QString());
    m_message->clear();
    m_text->clear();
    m_table->clear();
    m_table->setRowCount(0);
    m_more->setVisible(false);
    m_groups->clear();
    m_tick->stop();
    updateActions();
}

void KeyDetailsPane::saveTo(const QString &path)
{
    if (!m_key.isEmpty() && !path.isEmpty())
        Q_EMIT saveRequested(m_key, path);
}

void KeyDetailsPane::showFullValue(const QByteArray &key, const QByteArray &bytes)
{
    if (key != m_key || m_details.type != "string")
        return;
    m_details.stringPreview = bytes;
    m_details.length = bytes.size();
    m_details.truncated = false;
    renderString();
    updateActions();
}

QString KeyDetailsPane::noteText() const
{
    return m_note->text();
}

QString KeyDetailsPane::groupsText() const
{
    return m_groups->text();
}

void KeyDetailsPane::showLoading(const QByteArray &key)
{
    m_key = key;
    m_title->setText(KeyTreeModel::displayKey(key));
    m_summary->setText(tr("Loading…"));
    m_message->clear();
    updateActions();
}

QString KeyDetailsPane::summaryText() const
{
    return m_summary->text();
}

void KeyDetailsPane::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? models::toneStyleSheet(models::Tone::Error) : QString());
}

void KeyDetailsPane::showDetails(const connectors::KeyDetails &details)
{
    if (details.key != m_key)
        return; // an answer for a key no longer selected
    m_details = details;
    if (details.type == "none" || details.type.isEmpty()) {
        m_tick->stop();
        m_summary->setText(details.error.isError() ? details.error.toString()
                                                   : tr("This key no longer exists."));
        m_text->clear();
        m_table->setRowCount(0);
        setNote(QString());
        updateActions();
        return;
    }
    m_expiresAtMs = details.pttlMs >= 0 ? QDateTime::currentMSecsSinceEpoch() + details.pttlMs
                                        : KeyTreeModel::kNoExpiry;
    refreshSummary();
    if (m_expiresAtMs >= 0)
        m_tick->start();
    else
        m_tick->stop();
    if (details.error.isError())
        showMessage(details.error.toString(), true);

    if (details.type == "string") {
        m_mode->setEnabled(true);
        m_more->setVisible(false);
        renderString();
    } else {
        m_mode->setEnabled(false);
        m_stack->setCurrentWidget(m_table);
        const bool pairs =
            details.type == "hash" || details.type == "zset" || details.type == "stream";
        m_table->clear();
        m_table->setColumnCount(pairs ? 2 : 1);
        if (details.type == "hash")
            m_table->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
        else if (details.type == "zset")
            m_table->setHorizontalHeaderLabels({tr("Member"), tr("Score")});
        else if (details.type == "stream")
            m_table->setHorizontalHeaderLabels({tr("ID"), tr("Fields")});
        else
            m_table->setHorizontalHeaderLabels(
                {details.type == "list" ? tr("Element") : tr("Member")});
        m_table->setRowCount(0);
        fillTable(0);
        updatePageNote();
    }
    QStringList groups;
    const QLocale locale;
    for (const connectors::StreamGroup &g : details.streamGroups) {
        QString line = tr("%1: %2 consumers, %3 pending, last delivered %4")
                           .arg(KeyTreeModel::displayKey(g.name), locale.toString(g.consumers),
                                locale.toString(g.pending), QString::fromUtf8(g.lastDeliveredId));
        if (g.lag >= 0)
            line += tr(", lag %1").arg(locale.toString(g.lag));
        groups << line;
    }
    m_groups->setText(details.type != "stream" ? QString()
                      : groups.isEmpty()
                          ? tr("No consumer groups.")
                          : tr("Consumer groups:\n") + groups.join(QLatin1Char('\n')));
    updateActions();
}

void KeyDetailsPane::refreshSummary()
{
    const connectors::KeyDetails &details = m_details;
    const QLocale locale;
    QStringList parts{QString::fromUtf8(details.type)};
    if (!details.encoding.isEmpty())
        parts << tr("encoding %1").arg(QString::fromUtf8(details.encoding));
    if (details.length >= 0)
        parts << (details.type == "string" ? locale.formattedDataSize(details.length)
                                           : tr("%1 items").arg(locale.toString(details.length)));
    parts << tr("TTL: %1").arg(
        KeyTreeModel::formatTtl(m_expiresAtMs, QDateTime::currentMSecsSinceEpoch()));
    if (details.memoryBytes >= 0)
        parts << tr("memory %1").arg(locale.formattedDataSize(details.memoryBytes));
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

void KeyDetailsPane::askRename()
{
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Rename key"));
    dialog->setLabelText(tr("New name for %1 (an existing key is never overwritten):")
                             .arg(KeyTreeModel::displayKey(m_key)));
    dialog->setTextValue(QString::fromUtf8(m_key));
    const QByteArray key = m_key;
    connect(dialog, &QInputDialog::textValueSelected, this, [this, key](const QString &name) {
        const QByteArray newKey = name.toUtf8();
        if (!newKey.isEmpty() && newKey != key)
            Q_EMIT renameRequested(key, newKey);
    });
    dialog->open();
}

void KeyDetailsPane::fillTable(int fromRow)
{
    const connectors::KeyDetails &details = m_details;
    const bool pairs = details.type == "hash" || details.type == "zset" || details.type == "stream";
    // Which column can be edited: hash values, list elements, zset scores. Binary values are
    // shown escaped and are not edited here (the text would not round-trip).
    const int editable = details.type == "hash" || details.type == "zset" ? 1
                         : details.type == "list"                         ? 0
                                                                          : -1;
    m_filling = true;
    m_table->setRowCount(static_cast<int>(details.entries.size()));
    for (int r = fromRow; r < details.entries.size(); ++r) {
        for (int c = 0; c < (pairs ? 2 : 1); ++c) {
            const QByteArray &bytes = c == 0 ? details.entries[r].first : details.entries[r].second;
            auto *item = new QTableWidgetItem(KeyTreeModel::displayKey(bytes));
            const bool canEdit =
                c == editable && !m_readOnly && KeyTreeModel::displayKey(bytes).toUtf8() == bytes;
            item->setFlags(canEdit ? item->flags() | Qt::ItemIsEditable
                                   : item->flags() & ~Qt::ItemIsEditable);
            m_table->setItem(r, c, item);
        }
    }
    m_filling = false;
}

void KeyDetailsPane::updatePageNote()
{
    const QLocale locale;
    if (m_details.truncated) {
        setNote(m_details.length >= 0
                    ? tr("%1 of %2 shown")
                          .arg(locale.toString(m_details.entries.size()),
                               locale.toString(m_details.length))
                    : tr("%1 shown").arg(locale.toString(m_details.entries.size())));
    } else {
        setNote(m_details.entries.isEmpty()
                    ? QString()
                    : tr("all %1 shown").arg(locale.toString(m_details.entries.size())));
    }
    m_more->setVisible(m_details.truncated && m_details.type != "string");
}

void KeyDetailsPane::appendPage(const connectors::KeyDetails &page)
{
    if (page.key != m_key || page.type != m_details.type)
        return;
    if (page.error.isError()) {
        showMessage(page.error.toString(), true);
        return;
    }
    const int from = static_cast<int>(m_details.entries.size());
    m_details.entries += page.entries;
    m_details.cursor = page.cursor;
    m_details.truncated = page.truncated;
    fillTable(from);
    updatePageNote();
}

void KeyDetailsPane::onCellEdited(int row, int column)
{
    if (m_filling || m_readOnly || row < 0 || row >= m_details.entries.size())
        return;
    const QByteArray value = m_table->item(row, column)->text().toUtf8();
    const auto &entry = m_details.entries[row];
    if (m_details.type == "hash" && column == 1 && value != entry.second) {
        Q_EMIT hashFieldEdited(m_key, entry.first, value);
    } else if (m_details.type == "list" && column == 0 && value != entry.first) {
        Q_EMIT listElementEdited(m_key, row, value); // the page starts at index 0
    } else if (m_details.type == "zset" && column == 1 && value != entry.second) {
        bool ok = false;
        value.toDouble(&ok);
        if (!ok) {
            showMessage(tr("A score is a number: %1").arg(QString::fromUtf8(value)), true);
            return;
        }
        Q_EMIT zsetScoreEdited(m_key, entry.first, value);
    }
}

struct KeyDetailsPane::Rendered
{
    models::ValueView view;
    bool tree = false;
    std::unique_ptr<QStandardItemModel> treeModel;
};

void KeyDetailsPane::renderString()
{
    if (m_details.type != "string")
        return;
    const int mode = m_mode->currentData().toInt();
    const bool tree = mode < 0;
    const QByteArray bytes = m_details.stringPreview;
    const qint64 length = m_details.length;
    QThread *gui = thread();
    auto work = [bytes, length, mode, tree, gui] {
        auto r = std::make_shared<Rendered>();
        r->tree = tree;
        r->view = models::formatValue(
            bytes, length, tree ? models::ValueMode::Auto : static_cast<models::ValueMode>(mode));
        if (tree) {
            r->treeModel = models::jsonTreeModel(r->view.json);
            if (r->treeModel)
                r->treeModel->moveToThread(gui); // built here, used there
        }
        return r;
    };
    const quint64 generation = ++m_renderGeneration;
    if (bytes.size() <= kFormatInlineBytes) {
        showRendered(work());
        return;
    }
    // A whole value (Load all) is parsed, inflated and dumped on a pool thread; the pane shows
    // the result if it is still the current one.
    setNote(tr("Formatting %1…").arg(QLocale().formattedDataSize(bytes.size())));
    auto rendered = std::make_shared<std::shared_ptr<Rendered>>();
    models::runOffThread(
        this, [rendered, work] { *rendered = work(); },
        [this, rendered, generation] {
            if (generation == m_renderGeneration)
                showRendered(*rendered);
        });
}

void KeyDetailsPane::showRendered(const std::shared_ptr<Rendered> &rendered)
{
    const models::ValueView &view = rendered->view;
    setNote(view.note);
    if (rendered->tree) {
        m_treeModel = std::move(rendered->treeModel);
        if (m_treeModel) {
            m_tree->setModel(m_treeModel.get());
            m_tree->expandToDepth(1);
            m_tree->resizeColumnToContents(0);
            m_stack->setCurrentWidget(m_tree);
            return;
        }
        setNote(view.note + tr(" — not JSON: no tree"));
    }
    m_stack->setCurrentWidget(m_text);
    m_text->setPlainText(view.text);
    QList<QTextEdit::ExtraSelection> marks;
    if (view.jsonErrorOffset >= 0) {
        // The place the JSON breaks: the line highlighted, the cursor on the character.
        QTextCursor cursor(m_text->document());
        cursor.setPosition(
            int(qMin<qint64>(view.jsonErrorOffset, m_text->document()->characterCount() - 1)));
        QTextEdit::ExtraSelection line;
        line.format.setBackground(models::toneBackground(models::Tone::Error));
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = cursor;
        marks << line;
        m_text->setTextCursor(cursor);
        m_text->centerCursor();
    }
    m_text->setExtraSelections(marks);
}

void KeyDetailsPane::askTtl()
{
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Set TTL"));
    dialog->setLabelText(tr("Seconds until %1 expires:").arg(KeyTreeModel::displayKey(m_key)));
    dialog->setInputMode(QInputDialog::IntInput);
    dialog->setIntRange(1, std::numeric_limits<int>::max());
    dialog->setIntValue(m_details.pttlMs > 0 ? int(qMin<qint64>(m_details.pttlMs / 1000, INT_MAX))
                                             : 900);
    const QByteArray key = m_key;
    connect(dialog, &QInputDialog::intValueSelected, this,
            [this, key](int seconds) { Q_EMIT ttlRequested(key, qint64(seconds) * 1000); });
    dialog->open();
}

void KeyDetailsPane::askDelete()
{
    const QByteArray key = m_key;
    askConfirmation(this, tr("Delete key"),
                    tr("Delete the key \"%1\" (%2)? This cannot be undone.")
                        .arg(KeyTreeModel::displayKey(key), QString::fromUtf8(m_details.type)),
                    tr("Delete"), QStringLiteral("confirmDelete"),
                    [this, key] { Q_EMIT deleteRequested(key); });
}

void KeyDetailsPane::updateActions()
{
    const bool exists = !m_key.isEmpty() && !m_details.type.isEmpty() && m_details.type != "none";
    m_copy->setEnabled(!m_key.isEmpty());
    m_refresh->setEnabled(!m_key.isEmpty());
    for (QPushButton *b : {m_ttl, m_persist, m_rename, m_delete}) {
        b->setEnabled(exists && !m_readOnly);
        b->setToolTip(m_readOnly ? tr("Read-only profile: nothing can be changed") : QString());
    }
    m_persist->setEnabled(exists && !m_readOnly && m_details.pttlMs >= 0);
    const bool string = exists && m_details.type == "string";
    m_save->setVisible(string);
    m_openDataset->setVisible(string || (exists && m_details.type == "hash"));
    m_loadAll->setVisible(string && m_details.truncated);
    m_loadAll->setEnabled(m_details.length <= kMaxLoadAllBytes);
    m_loadAll->setText(
        tr("Load all (%1)").arg(QLocale().formattedDataSize(qMax<qint64>(0, m_details.length))));
    m_loadAll->setToolTip(
        m_details.length > kMaxLoadAllBytes
            ? tr("Too big to show whole (more than %1): save it to a file instead")
                  .arg(QLocale().formattedDataSize(kMaxLoadAllBytes))
            : tr("Read the whole value, 1 MiB at a time"));
    const bool collection = exists && m_details.type != "string";
    m_addItem->setVisible(collection);
    m_removeItem->setVisible(collection);
    m_addItem->setEnabled(collection && !m_readOnly);
    m_removeItem->setEnabled(collection && !m_readOnly);
    m_addItem->setText(m_details.type == "list" ? tr("Push…") : tr("Add…"));
    m_removeItem->setText(m_details.type == "list" ? tr("Pop…") : tr("Remove selected…"));
    for (QPushButton *b : {m_addItem, m_removeItem})
        b->setToolTip(m_readOnly ? tr("Read-only profile: nothing can be changed") : QString());
}

void KeyDetailsPane::askAddItem()
{
    auto *dialog = new ItemDialog(m_key, m_details.type, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QByteArray key = m_key;
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, key] { Q_EMIT itemAddRequested(key, dialog->item()); });
    dialog->open();
}

void KeyDetailsPane::askRemoveItems()
{
    const QByteArray key = m_key;
    const QByteArray type = m_details.type;
    const QString name = KeyTreeModel::displayKey(key);
    if (type == "list") {
        // Two actions (pop first, pop last), so not askConfirmation.
        auto *box = new QMessageBox(
            QMessageBox::Warning, tr("Pop an element"),
            tr("Remove the first or the last element of the list \"%1\"? This cannot be undone.")
                .arg(name),
            QMessageBox::Cancel, this);
        QPushButton *first = box->addButton(tr("Pop first"), QMessageBox::DestructiveRole);
        first->setObjectName(QStringLiteral("popFirst"));
        QPushButton *last = box->addButton(tr("Pop last"), QMessageBox::DestructiveRole);
        last->setObjectName(QStringLiteral("popLast"));
        connect(box, &QMessageBox::buttonClicked, this,
                [this, key, type, first, last](QAbstractButton *b) {
                    if (b == first || b == last)
                        Q_EMIT itemsRemoveRequested(
                            key, type, {b == first ? QByteArray("first") : QByteArray("last")});
                });
        box->setObjectName(QStringLiteral("confirmRemoveItems"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    QList<QByteArray> items;
    QStringList shown;
    for (const QModelIndex &row : m_table->selectionModel()->selectedRows()) {
        if (row.row() < m_details.entries.size()) {
            items << m_details.entries[row.row()].first;
            if (shown.size() < 10)
                shown << KeyTreeModel::displayKey(items.last());
        }
    }
    if (items.isEmpty()) {
        showMessage(tr("Select the rows to remove first."), true);
        return;
    }
    const QString what = type == "hash"     ? tr("fields")
                         : type == "stream" ? tr("entries")
                                            : tr("members");
    askConfirmation(this, tr("Remove %1").arg(what),
                    tr("Remove %1 %2 from \"%3\"?\n\n%4%5\n\nThis cannot be undone.")
                        .arg(items.size())
                        .arg(what, name, shown.join(QLatin1Char('\n')),
                             items.size() > shown.size() ? tr("\n…") : QString()),
                    tr("Remove"), QStringLiteral("confirmRemoveItems"),
                    [this, key, type, items] { Q_EMIT itemsRemoveRequested(key, type, items); });
}

void KeyDetailsPane::setNote(const QString &note)
{
    m_note->setText(note);
    m_note->setToolTip(note);
}

} // namespace bd::ui
