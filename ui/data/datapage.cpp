#include "datapage.h"

#include "codec/untrustedjson.h"
#include "common/confirmation.h"
#include "common/counts.h"
#include "common/tableviews.h"
#include "data/datasetfreshness.h"
#include "data/datasetsearch.h"
#include "data/datasettablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace bd::ui {

using models::Tone;
using models::toneBadgeStyleSheet;
using models::toneBannerStyleSheet;
using models::toneStyleSheet;

using models::DatasetTableModel;

namespace {

constexpr int kSearchDelayMs = 200; // typing settles before the records are searched again
constexpr int kClockMs = 1000;      // the TTL countdown's step
constexpr qsizetype kMaxPrettyBytes = 256 * 1024; // of a record's JSON, indented in the detail
constexpr qsizetype kMaxFieldChars = 10000;       // of one value in the record form

QLabel *wrappedLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

DataPage::DataPage(DatasetTableModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    // Left: the datasets.
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Datasets"), left));
    m_datasets = new QListWidget(left);
    m_datasets->setObjectName(QStringLiteral("dataDatasets"));
    leftLayout->addWidget(m_datasets, 1);
    auto *datasetButtons = new QHBoxLayout;
    m_add = new QPushButton(tr("Add…"), left);
    m_add->setObjectName(QStringLiteral("dataAdd"));
    m_edit = new QPushButton(tr("Edit…"), left);
    m_edit->setObjectName(QStringLiteral("dataEdit"));
    m_remove = new QPushButton(tr("Remove"), left);
    m_remove->setObjectName(QStringLiteral("dataRemove"));
    for (QPushButton *b : {m_add, m_edit, m_remove})
        datasetButtons->addWidget(b);
    leftLayout->addLayout(datasetButtons);

    // Right: the chosen dataset.
    auto *right = new QWidget(this);
    auto *layout = new QVBoxLayout(right);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(right);
    m_title->setObjectName(QStringLiteral("dataTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_description = wrappedLabel(right, QStringLiteral("dataDescription"));
    layout->addWidget(m_title);
    layout->addWidget(m_description);

    auto *freshness = new QHBoxLayout;
    m_state = new QLabel(right);
    m_state->setObjectName(QStringLiteral("dataState"));
    m_stateDetail = wrappedLabel(right, QStringLiteral("dataStateDetail"));
    m_reload = new QPushButton(tr("Reload"), right);
    m_reload->setObjectName(QStringLiteral("dataReload"));
    m_reload->setToolTip(tr("Read the records again from Redis"));
    m_refresh = new QPushButton(tr("Refresh"), right);
    m_refresh->setObjectName(QStringLiteral("dataRefresh"));
    freshness->addWidget(m_state);
    freshness->addWidget(m_stateDetail, 1);
    freshness->addWidget(m_reload);
    freshness->addWidget(m_refresh);
    layout->addLayout(freshness);
    auto *history = new QHBoxLayout;
    m_lastChange = wrappedLabel(right, QStringLiteral("dataLastChange"));
    m_refreshOutcome = wrappedLabel(right, QStringLiteral("dataRefreshOutcome"));
    m_traceback = new QPushButton(tr("Traceback…"), right);
    m_traceback->setObjectName(QStringLiteral("dataTraceback"));
    m_traceback->hide();
    history->addWidget(m_lastChange, 1);
    history->addWidget(m_refreshOutcome, 1);
    history->addWidget(m_traceback);
    layout->addLayout(history);
    auto *problemRow = new QHBoxLayout;
    m_problem = wrappedLabel(right, QStringLiteral("dataProblem"));
    m_problem->hide();
    m_raiseLimit = new QPushButton(tr("Raise the limit and read"), right);
    m_raiseLimit->setObjectName(QStringLiteral("dataRaiseLimit"));
    m_raiseLimit->hide();
    problemRow->addWidget(m_problem, 1);
    problemRow->addWidget(m_raiseLimit);
    layout->addLayout(problemRow);

    auto *tools = new QHBoxLayout;
    m_search = new QLineEdit(right);
    m_search->setObjectName(QStringLiteral("dataSearch"));
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(tr("Search all columns; department:Retail for one column"));
    m_groupBy = new QComboBox(right);
    m_groupBy->setObjectName(QStringLiteral("dataGroupBy"));
    m_onlyChanges = new QCheckBox(tr("Only changes"), right);
    m_onlyChanges->setObjectName(QStringLiteral("dataOnlyChanges"));
    m_show = new QComboBox(right);
    m_show->setObjectName(QStringLiteral("dataShow"));
    m_show->setToolTip(tr("The read the table shows: the latest, or an earlier one"));
    m_show->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_compare = new QComboBox(right);
    m_compare->setObjectName(QStringLiteral("dataCompare"));
    m_compare->setToolTip(tr("The earlier read the table is compared with"));
    m_compare->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_export = new QPushButton(tr("Export"), right);
    m_export->setObjectName(QStringLiteral("dataExport"));
    auto *exportMenu = new QMenu(m_export);
    exportMenu->addAction(tr("Shown records as CSV…"), this, [this] { chooseExport(false, true); });
    exportMenu->addAction(tr("All records as CSV…"), this, [this] { chooseExport(false, false); });
    exportMenu->addAction(tr("Shown records as JSON…"), this, [this] { chooseExport(true, true); });
    exportMenu->addAction(tr("All records as JSON…"), this, [this] { chooseExport(true, false); });
    m_export->setMenu(exportMenu);
    tools->addWidget(new QLabel(tr("Group by"), right));
    tools->addWidget(m_groupBy);
    tools->addWidget(new QLabel(tr("Show"), right));
    tools->addWidget(m_show);
    tools->addWidget(new QLabel(tr("Compare with"), right));
    tools->addWidget(m_compare);
    tools->addWidget(m_onlyChanges);
    tools->addWidget(m_export);
    tools->addStretch(1);
    m_counts = new QLabel(right);
    m_counts->setObjectName(QStringLiteral("dataCounts"));
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_counts);
    layout->addLayout(searchRow);
    layout->addLayout(tools);

    auto *body = new QSplitter(Qt::Horizontal, right);
    m_groups = new QTableWidget(0, 2, body);
    m_groups->setObjectName(QStringLiteral("dataGroups"));
    m_groups->setHorizontalHeaderLabels({tr("Group"), tr("Records")});
    m_groups->horizontalHeader()->setStretchLastSection(false);
    m_groups->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_groups->setEditTriggers(QAbstractItemView::NoEditTriggers);
    useFixedRowTable(m_groups);
    m_groups->hide();
    m_table = new QTableView(body);
    m_table->setObjectName(QStringLiteral("dataTable"));
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setDefaultSectionSize(160);
    m_table->horizontalHeader()->setStretchLastSection(true);
    useFixedRowTable(m_table);
    auto *detail = new QTabWidget(body);
    detail->setObjectName(QStringLiteral("dataDetail"));
    m_form = new QTableWidget(0, 2, detail);
    m_form->setObjectName(QStringLiteral("dataForm"));
    m_form->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    m_form->horizontalHeader()->setStretchLastSection(true);
    m_form->setEditTriggers(QAbstractItemView::NoEditTriggers);
    useFixedRowTable(m_form);
    m_json = new QPlainTextEdit(detail);
    m_json->setObjectName(QStringLiteral("dataJson"));
    m_json->setReadOnly(true);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    detail->addTab(m_form, tr("Record"));
    detail->addTab(m_json, tr("JSON"));
    body->addWidget(m_groups);
    body->addWidget(m_table);
    body->addWidget(detail);
    body->setStretchFactor(1, 3);
    body->setStretchFactor(2, 1);
    body->setSizes({160, 700, 300});
    m_form->horizontalHeader()->setDefaultSectionSize(110);
    layout->addWidget(body, 1);
    m_status = wrappedLabel(right, QStringLiteral("dataStatus"));
    layout->addWidget(m_status);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({150, 1050});
    left->setMaximumWidth(220);
    auto *outer = new QVBoxLayout(this);
    outer->addWidget(split);

    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(kSearchDelayMs);
    m_clock = new QTimer(this);
    m_clock->setInterval(kClockMs);
    m_clock->start();

    connect(m_datasets, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (!name.isEmpty())
            Q_EMIT datasetChosen(name);
    });
    connect(m_add, &QPushButton::clicked, this, &DataPage::addRequested);
    connect(m_edit, &QPushButton::clicked, this,
            [this] { Q_EMIT editRequested(currentDataset()); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const QString name = currentDataset();
        askConfirmation(this, tr("Remove dataset"),
                        tr("Remove your dataset definition \"%1\"? The records in Redis stay "
                           "as they are.")
                            .arg(name),
                        tr("Remove"), QStringLiteral("dataRemoveConfirmation"),
                        [this, name] { Q_EMIT removeRequested(name); });
    });
    connect(m_reload, &QPushButton::clicked, this, &DataPage::reloadRequested);
    connect(m_refresh, &QPushButton::clicked, this, &DataPage::refreshRequested);
    connect(m_raiseLimit, &QPushButton::clicked, this, &DataPage::raiseLimitRequested);
    connect(m_traceback, &QPushButton::clicked, this, [this] {
        auto *box = new QMessageBox(QMessageBox::Critical, tr("Refresh failed"),
                                    m_refreshOutcome->text(), QMessageBox::Close, this);
        box->setObjectName(QStringLiteral("dataTracebackBox"));
        box->setDetailedText(m_tracebackText);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &DataPage::applyView);
    connect(m_groupBy, &QComboBox::currentIndexChanged, this, [this] {
        m_groupSelected = false;
        applyView();
    });
    connect(m_onlyChanges, &QCheckBox::toggled, this, &DataPage::applyView);
    connect(m_show, &QComboBox::activated, this,
            [this](int index) { Q_EMIT showChosen(m_show->itemData(index).toInt()); });
    connect(m_compare, &QComboBox::activated, this,
            [this](int index) { Q_EMIT compareChosen(m_compare->itemData(index).toInt()); });
    connect(m_groups, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto selected = m_groups->selectedItems();
        const bool any = !selected.isEmpty();
        const QString value =
            any ? m_groups->item(selected.first()->row(), 0)->data(Qt::UserRole).toString()
                : QString();
        if (any == m_groupSelected && value == m_selectedGroup)
            return;
        m_groupSelected = any;
        m_selectedGroup = value;
        applyView();
    });
    connect(m_model, &DatasetTableModel::viewUpdated, this, [this] {
        updateCounts();
        updateGroups();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        // Columns may have changed: the group-by choices follow them.
        const QString chosen = m_groupBy->currentText();
        const QStringList columns = m_model->table() ? m_model->table()->columns() : QStringList();
        if (m_groupBy->count() == columns.size() + 1) {
            bool same = true;
            for (int i = 0; i < columns.size() && same; ++i)
                same = m_groupBy->itemText(i + 1) == columns.at(i);
            if (same)
                return;
        }
        const QSignalBlocker block(m_groupBy);
        m_groupBy->clear();
        m_groupBy->addItem(tr("(none)"), -1);
        for (int i = 0; i < columns.size(); ++i)
            m_groupBy->addItem(columns.at(i), i);
        m_groupBy->setCurrentIndex(qMax(0, m_groupBy->findText(chosen)));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DataPage::showRecord);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DataPage::showRecord);
    connect(m_clock, &QTimer::timeout, this, &DataPage::updateFreshness);
    setRefreshBusy(false);
    updateFreshness();
}

void DataPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_shownOnce) {
        m_shownOnce = true;
        Q_EMIT firstShown();
    }
}

void DataPage::setDatasets(const QList<connectors::DatasetDefinition> &datasets,
                           const QString &current)
{
    const QSignalBlocker block(m_datasets);
    m_datasets->clear();
    for (const connectors::DatasetDefinition &d : datasets) {
        auto *item = new QListWidgetItem(d.name, m_datasets);
        item->setToolTip(d.builtIn ? tr("Built in: %1").arg(QString::fromUtf8(d.key))
                                   : tr("Yours (%1): %2").arg(d.origin, QString::fromUtf8(d.key)));
        if (d.name.compare(current, Qt::CaseInsensitive) == 0)
            m_datasets->setCurrentItem(item);
    }
}

QString DataPage::currentDataset() const
{
    return m_datasets->currentItem() ? m_datasets->currentItem()->text() : QString();
}

void DataPage::showDefinition(const connectors::DatasetDefinition &d)
{
    m_title->setText(d.name);
    QString where;
    switch (d.source) {
    case connectors::DatasetDefinition::Source::JsonArray:
        where = tr("JSON array in %1").arg(QString::fromUtf8(d.key));
        break;
    case connectors::DatasetDefinition::Source::JsonHash:
        where = tr("JSON records in the hash %1").arg(QString::fromUtf8(d.key));
        break;
    case connectors::DatasetDefinition::Source::KeyPattern:
        where = tr("one record per key of %1").arg(QString::fromUtf8(d.key));
        break;
    }
    QStringList parts{where};
    if (!d.changeChannel.isEmpty())
        parts << tr("changes announced on %1").arg(d.changeChannel);
    if (!d.refreshTask.isEmpty())
        parts << tr("refreshed by %1").arg(d.refreshTask);
    m_description->setText(
        parts.join(QStringLiteral(" · "))
        + (d.description.isEmpty() ? QString() : QStringLiteral("\n") + d.description));
    m_hasRefreshTask = !d.refreshTask.isEmpty();
    m_refresh->setToolTip(m_hasRefreshTask ? tr("Send %1 to the workers").arg(d.refreshTask)
                                           : tr("This dataset names no refresh task"));
    m_remove->setEnabled(!d.builtIn); // built-ins stay; an override of one can go
    m_known = false;
    m_lastChangeAt = QDateTime();
    m_lastChange->setText(tr("No change seen yet"));
    m_refreshOutcome->clear();
    m_traceback->hide();
    m_search->clear();
    m_onlyChanges->setChecked(false);
    setRefreshBusy(false);
    updateFreshness();
}

void DataPage::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    setRefreshBusy(m_refreshBusy);
}

void DataPage::setRefreshBusy(bool busy)
{
    m_refreshBusy = busy;
    m_refresh->setEnabled(!busy && !m_readOnly && m_hasRefreshTask);
    if (m_readOnly)
        m_refresh->setToolTip(tr("Read-only profile: sending tasks is refused"));
    m_refresh->setText(busy ? tr("Refreshing…") : tr("Refresh"));
}

void DataPage::setKeyFacts(bool missing, const QDateTime &expiresAt, qint64 expectedTtl)
{
    m_known = true;
    m_missing = missing;
    m_expiresAt = expiresAt;
    m_expectedTtl = expectedTtl;
    updateFreshness();
}

void DataPage::setLastChange(const QDateTime &at, const QString &how)
{
    m_lastChangeAt = at;
    m_lastChange->setText(
        tr("Last change seen: %1 (%2)").arg(at.toLocalTime().time().toString(Qt::ISODate), how));
    updateFreshness();
}

void DataPage::setRefreshOutcome(const QString &text, models::Tone tone, const QString &traceback)
{
    m_refreshOutcome->setText(text);
    m_refreshOutcome->setToolTip(QString());
    m_refreshOutcome->setStyleSheet(toneStyleSheet(tone));
    m_tracebackText = traceback;
    m_traceback->setVisible(!traceback.isEmpty());
}

void DataPage::setRefreshOutcomeTip(const QString &tip)
{
    m_refreshOutcome->setToolTip(tip);
}

void DataPage::setProblem(const QString &text, models::Tone tone, bool tooLarge)
{
    m_problem->setText(text);
    m_problem->setStyleSheet(toneBannerStyleSheet(tone));
    m_problem->setVisible(!text.isEmpty());
    m_raiseLimit->setVisible(tooLarge);
}

void DataPage::setSnapshots(const QStringList &labels, int shown, int compared)
{
    const QSignalBlocker blockShow(m_show);
    const QSignalBlocker blockCompare(m_compare);
    m_show->clear();
    m_compare->clear();
    m_compare->addItem(tr("(nothing)"), -1);
    // Newest first.
    for (int i = int(labels.size()) - 1; i >= 0; --i) {
        m_show->addItem(labels.at(i), i); // newest first: the first is the latest
        if (i != shown)
            m_compare->addItem(labels.at(i), i);
    }
    m_show->setCurrentIndex(qMax(0, m_show->findData(shown)));
    m_compare->setCurrentIndex(qMax(0, m_compare->findData(compared)));
    m_show->setEnabled(labels.size() > 1);
    m_compare->setEnabled(labels.size() > 1);
}

void DataPage::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? toneStyleSheet(Tone::Error) : QString());
}

void DataPage::applyView()
{
    const QStringList columns = m_model->table() ? m_model->table()->columns() : QStringList();
    const models::DatasetSearch search = models::DatasetSearch::parse(m_search->text(), columns);
    DatasetTableModel::ViewOptions options = m_model->viewOptions();
    options.search = search.anywhere;
    options.filters = search.filters;
    options.groupColumn =
        m_groupBy->currentData().isValid() ? m_groupBy->currentData().toInt() : -1;
    options.groupSelected = options.groupColumn >= 0 && m_groupSelected;
    options.group = m_selectedGroup;
    options.onlyChanges = m_onlyChanges->isChecked();
    m_groups->setVisible(options.groupColumn >= 0);
    m_model->setViewOptions(options);
}

void DataPage::updateCounts()
{
    QString text;
    if (const connectors::DatasetTable *t = m_model->table().get()) {
        const qint64 shown = m_model->shownCount();
        const qint64 records = t->recordCount();
        text = shown == m_model->totalCount()
                   ? recordCount(records)
                   : tr("%1 of %2").arg(QLocale().toString(shown), recordCount(records));
        if (const connectors::DatasetDiff *diff = m_model->diff())
            text += QStringLiteral(" · ") + diff->summary();
    }
    m_counts->setText(text);
}

void DataPage::updateGroups()
{
    const auto &groups = m_model->groups();
    const QSignalBlocker block(m_groups);
    m_groups->setRowCount(int(groups.size()));
    int selectedRow = -1;
    for (int i = 0; i < int(groups.size()); ++i) {
        const auto &g = groups[size_t(i)];
        auto *name = new QTableWidgetItem(g.value.isEmpty() ? tr("(empty)") : g.value);
        name->setData(Qt::UserRole, g.value);
        auto *count = new QTableWidgetItem(QLocale().toString(g.count));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_groups->setItem(i, 0, name);
        m_groups->setItem(i, 1, count);
        if (m_groupSelected && g.value == m_selectedGroup)
            selectedRow = i;
    }
    if (selectedRow >= 0)
        m_groups->selectRow(selectedRow);
    else
        m_groups->clearSelection();
}

void DataPage::updateFreshness()
{
    if (!m_known) {
        m_state->setText(tr("Not read yet"));
        m_state->setStyleSheet(toneBadgeStyleSheet(Tone::Muted));
        m_stateDetail->clear();
        return;
    }
    const models::DatasetFreshness f = models::DatasetFreshness::assess(
        m_missing, m_expiresAt, m_expectedTtl, m_lastChangeAt, QDateTime::currentDateTimeUtc());
    m_state->setText(f.label);
    m_state->setStyleSheet(toneBadgeStyleSheet(f.tone));
    m_stateDetail->setText(f.detail);
}

void DataPage::showRecord()
{
    const int row = m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1;
    const auto fields = m_model->recordFields(row);
    m_form->setRowCount(int(fields.size()));
    for (int i = 0; i < int(fields.size()); ++i) {
        const QString &text = fields.at(i).second;
        m_form->setItem(i, 0, new QTableWidgetItem(fields.at(i).first));
        auto *value = new QTableWidgetItem(
            text.size() > kMaxFieldChars ? text.left(kMaxFieldChars) + QChar(0x2026) : text);
        value->setToolTip(text.left(2000));
        m_form->setItem(i, 1, value);
    }
    const QByteArray json = m_model->recordJson(row);
    if (json.isEmpty()) {
        m_json->clear();
        return;
    }
    // A record may be as large as the value (one record of 60 MB): pretty only when small,
    // else its start as stored, on the GUI thread either way within a few milliseconds.
    if (json.size() > kMaxPrettyBytes) {
        m_json->setPlainText(
            QString::fromUtf8(json.left(kMaxPrettyBytes))
            + tr("\n… (the first %1 of %2 bytes; export the records to see all of it)")
                  .arg(QLocale().toString(kMaxPrettyBytes), QLocale().toString(json.size())));
        return;
    }
    // It passed the gate when the table was read; through the gate again to print it.
    const auto parsed = connectors::parseUntrustedOrderedJson(json);
    m_json->setPlainText(parsed.ok() ? connectors::jsonToText(parsed.value, 2)
                                     : QString::fromUtf8(json));
}

void DataPage::chooseExport(bool json, bool shownOnly)
{
    auto *dialog = new QFileDialog(this, shownOnly ? tr("Export the shown records")
                                                   : tr("Export all records"));
    dialog->setObjectName(QStringLiteral("dataExportDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setNameFilter(json ? tr("JSON (*.json)") : tr("CSV (*.csv)"));
    dialog->setDefaultSuffix(json ? QStringLiteral("json") : QStringLiteral("csv"));
    dialog->selectFile(currentDataset().toLower());
    connect(dialog, &QFileDialog::fileSelected, this, [this, json, shownOnly](const QString &path) {
        Q_EMIT exportRequested(path, json, shownOnly);
    });
    dialog->open();
}

} // namespace bd::ui
