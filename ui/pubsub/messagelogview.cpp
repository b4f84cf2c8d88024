#include "messagelogview.h"

#include "common/offthread.h"
#include "common/tableviews.h"
#include "pubsub/payloaddetail.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace bd::ui {

using models::LoggedMessage;
using models::MessageLogModel;

namespace {
constexpr int kFilterDelayMs = 250;
}

MessageLogView::MessageLogView(MessageLogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    const bool monitor = model->mode() == MessageLogModel::Mode::Monitor;
    const QString prefix = monitor ? QStringLiteral("profiler") : QStringLiteral("pubsub");
    m_nameFilter = new QLineEdit(this);
    m_nameFilter->setObjectName(prefix + QStringLiteral("NameFilter"));
    m_nameFilter->setPlaceholderText(monitor ? tr("Command contains…") : tr("Channel contains…"));
    m_nameFilter->setClearButtonEnabled(true);
    m_textFilter = new QLineEdit(this);
    m_textFilter->setObjectName(prefix + QStringLiteral("TextFilter"));
    m_textFilter->setPlaceholderText(monitor ? tr("Arguments or client contain… (case-sensitive)")
                                             : tr("Payload contains… (case-sensitive)"));
    m_textFilter->setClearButtonEnabled(true);
    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(prefix + QStringLiteral("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the table; messages keep being received and counted"));
    m_clear = new QPushButton(tr("Clear"), this);
    m_clear->setObjectName(prefix + QStringLiteral("Clear"));
    m_follow = new QCheckBox(tr("Follow"), this);
    m_follow->setObjectName(prefix + QStringLiteral("Follow"));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest row in sight; scrolling up turns it off"));
    m_capacity = new QSpinBox(this);
    m_capacity->setObjectName(prefix + QStringLiteral("Capacity"));
    m_capacity->setRange(1000, 5000000);
    m_capacity->setSingleStep(10000);
    m_capacity->setGroupSeparatorShown(true);
    m_capacity->setValue(int(model->capacity()));
    m_capacity->setPrefix(tr("keep "));
    m_capacity->setSuffix(tr(" rows"));
    m_capacity->setToolTip(
        tr("The newest rows kept in memory (and at most %1); older ones are dropped from "
           "the view, and counted")
            .arg(QLocale().formattedDataSize(model->maxBytes())));
    m_export = new QPushButton(tr("Export"), this);
    m_export->setObjectName(prefix + QStringLiteral("Export"));
    auto *exportMenu = new QMenu(m_export);
    exportMenu->addAction(tr("Shown rows as JSON Lines…"), this,
                          [this] { askExport(MessageLogModel::ExportFormat::JsonLines, true); });
    exportMenu->addAction(tr("Shown rows as CSV…"), this,
                          [this] { askExport(MessageLogModel::ExportFormat::Csv, true); });
    exportMenu->addSeparator();
    exportMenu->addAction(tr("Whole capture as JSON Lines…"), this,
                          [this] { askExport(MessageLogModel::ExportFormat::JsonLines, false); });
    exportMenu->addAction(tr("Whole capture as CSV…"), this,
                          [this] { askExport(MessageLogModel::ExportFormat::Csv, false); });
    m_export->setMenu(exportMenu);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_nameFilter, 3);
    bar->addWidget(m_textFilter, 4);
    bar->addWidget(m_pause);
    bar->addWidget(m_clear);
    bar->addWidget(m_follow);
    bar->addWidget(m_capacity);
    bar->addWidget(m_export);

    m_status = new QLabel(this);
    m_status->setObjectName(prefix + QStringLiteral("Status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_exportNote = new QLabel(this);
    m_exportNote->setObjectName(prefix + QStringLiteral("ExportNote"));
    m_exportNote->hide();

    m_table = new QTableView(this);
    m_table->setObjectName(prefix + QStringLiteral("Messages"));
    m_table->setModel(model);
    useFixedRowTable(m_table);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(MessageLogModel::TimeColumn, digit * 14);
    m_table->setColumnWidth(MessageLogModel::NameColumn, digit * 24);
    m_table->setColumnWidth(MessageLogModel::OriginColumn, digit * (monitor ? 20 : 14));
    m_table->setColumnWidth(MessageLogModel::NumberColumn, digit * 8);

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const auto makeText = [this, &fixed](const QString &name) {
        auto *edit = new QPlainTextEdit(this);
        edit->setObjectName(name);
        edit->setReadOnly(true);
        edit->setFont(fixed);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        return edit;
    };
    m_detailText = makeText(prefix + QStringLiteral("DetailText"));
    m_detailHex = makeText(prefix + QStringLiteral("DetailHex"));
    m_detailEnvelope = makeText(prefix + QStringLiteral("DetailEnvelope"));
    m_detailSummary = new QLabel(tr("Select a row to see all of it."), this);
    m_detailSummary->setObjectName(prefix + QStringLiteral("DetailSummary"));
    m_detailSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailSummary->setWordWrap(true); // long channel names must not widen the window
    m_detailTabs = new QTabWidget(this);
    m_detailTabs->setObjectName(prefix + QStringLiteral("DetailTabs"));
    m_detailTabs->setDocumentMode(true);
    m_detailTabs->addTab(m_detailText, monitor ? tr("Command") : tr("Payload"));
    m_detailTabs->addTab(m_detailHex, tr("Hex"));
    if (!monitor)
        m_detailTabs->addTab(m_detailEnvelope, tr("Envelope"));
    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_detailSummary);
    detailLayout->addWidget(m_detailTabs);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addWidget(m_exportNote);
    layout->addWidget(split, 1);

    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(kFilterDelayMs);
    connect(m_filterDelay, &QTimer::timeout, this, &MessageLogView::applyFilter);
    const auto filterEdited = [this] {
        // Typing waits a moment; clearing a filter shows everything at once.
        if (m_nameFilter->text().isEmpty() && m_textFilter->text().isEmpty())
            applyFilter();
        else
            m_filterDelay->start();
    };
    connect(m_nameFilter, &QLineEdit::textChanged, this, filterEdited);
    connect(m_textFilter, &QLineEdit::textChanged, this, filterEdited);
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_model->setPaused(paused);
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        updateStatus();
    });
    connect(m_clear, &QPushButton::clicked, this, [this] {
        m_model->clear();
        m_detailSummary->setText(tr("Select a row to see all of it."));
        m_detailText->clear();
        m_detailHex->clear();
        m_detailEnvelope->clear();
        Q_EMIT cleared();
    });
    connect(m_capacity, &QSpinBox::editingFinished, this,
            [this] { m_model->setCapacity(m_capacity->value()); });
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            onRowsInserted();
    });
    connect(m_table->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] {
        // The operator moved the scroll bar (wheel, drag, keys on it): looking back stops follow.
        QScrollBar *bar = m_table->verticalScrollBar();
        QTimer::singleShot(0, this, [this, bar] {
            if (bar->value() < bar->maximum())
                m_follow->setChecked(false);
        });
    });
    connect(model, &QAbstractItemModel::rowsInserted, this, &MessageLogView::onRowsInserted);
    connect(model, &MessageLogModel::countsChanged, this, &MessageLogView::updateStatus);
    connect(model, &MessageLogModel::filterApplied, this, &MessageLogView::updateStatus);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MessageLogView::showDetail);
    updateStatus();
}

void MessageLogView::filterByName(const QString &name)
{
    m_nameFilter->setText(name);
    applyFilter();
}

bool MessageLogView::isFollowing() const
{
    return m_follow->isChecked();
}

void MessageLogView::applyFilter()
{
    m_filterDelay->stop();
    m_model->setFilter(m_nameFilter->text(), m_textFilter->text());
    updateStatus();
}

void MessageLogView::onRowsInserted()
{
    if (m_follow->isChecked())
        m_table->scrollToBottom();
}

QString MessageLogView::statusText() const
{
    return m_status->text();
}

void MessageLogView::updateStatus()
{
    const QLocale l;
    const bool monitor = m_model->mode() == MessageLogModel::Mode::Monitor;
    QStringList parts;
    parts << (monitor ? tr("%1 commands").arg(l.toString(m_model->receivedCount()))
                      : tr("%1 messages received").arg(l.toString(m_model->receivedCount())));
    if (m_model->isFiltering())
        parts << tr("%1 rows match the filter").arg(l.toString(m_model->rowCount()));
    if (m_model->isApplyingFilter())
        parts << tr("filtering…");
    parts << tr("%1 kept (ring of %2)")
                 .arg(l.toString(m_model->storedCount()), l.toString(m_model->capacity()));
    if (m_model->evictedCount() > 0)
        parts << tr("%1 older dropped from the view").arg(l.toString(m_model->evictedCount()));
    if (m_model->lostCount() > 0)
        parts
            << tr("<b>%1 lost: this console fell behind</b>").arg(l.toString(m_model->lostCount()));
    if (m_model->gapCount() > 0)
        parts << tr("<b>%n gap(s) while disconnected</b>", nullptr, int(m_model->gapCount()));
    if (m_model->isPaused())
        parts << tr("<b>paused: %1 new</b>").arg(l.toString(m_model->heldCount()));
    m_status->setText(parts.join(QStringLiteral(" · ")));
}

void MessageLogView::showDetail(const QModelIndex &current)
{
    const LoggedMessage *m = current.isValid() ? m_model->messageAt(current.row()) : nullptr;
    if (!m)
        return;
    const QLocale l;
    const QString time =
        current.siblingAtColumn(MessageLogModel::TimeColumn).data(Qt::ToolTipRole).toString();
    const QString name = current.siblingAtColumn(MessageLogModel::NameColumn).data().toString();
    switch (m->kind) {
    case LoggedMessage::Kind::Gap:
    case LoggedMessage::Kind::Note:
        m_detailSummary->setText(time);
        m_detailText->setPlainText(QString::fromUtf8(m->payload));
        m_detailHex->clear();
        m_detailEnvelope->clear();
        return;
    case LoggedMessage::Kind::Command:
        m_detailSummary->setText(
            tr("%1 · %2 from %3 in db%4").arg(time, name, QString::fromUtf8(m->origin)).arg(m->db));
        m_detailText->setPlainText(name + QLatin1Char(' ') + QString::fromUtf8(m->payload));
        m_detailHex->setPlainText(QString::fromUtf8(m->payload)); // already escaped by the server
        return;
    case LoggedMessage::Kind::Message:
        break;
    }
    const models::PayloadDetail d = models::describePayload(m->payload);
    QString summary = tr("%1 · %2 · %3").arg(time, name, l.formattedDataSize(m->payload.size()));
    if (!m->origin.isEmpty())
        summary +=
            tr(" · pattern %1")
                .arg(current.siblingAtColumn(MessageLogModel::OriginColumn).data().toString());
    if (!d.textNote.isEmpty())
        summary += QStringLiteral(" · ") + d.textNote;
    if (d.isEnvelope)
        summary += QStringLiteral(" · ") + d.envelopeSummary;
    m_detailSummary->setText(summary);
    m_detailText->setPlainText(d.text);
    m_detailHex->setPlainText(d.hex);
    m_detailEnvelope->setPlainText(d.isEnvelope ? d.envelope : tr("Not a kombu envelope."));
    if (d.isEnvelope && m_detailTabs->currentWidget() == m_detailText)
        m_detailTabs->setCurrentWidget(m_detailEnvelope);
}

void MessageLogView::askExport(MessageLogModel::ExportFormat format, bool visibleOnly)
{
    const bool jsonl = format == MessageLogModel::ExportFormat::JsonLines;
    auto *dialog = new QFileDialog(this, visibleOnly ? tr("Export the shown rows")
                                                     : tr("Export the whole capture"));
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setNameFilter(jsonl ? tr("JSON Lines (*.jsonl)") : tr("CSV (*.csv)"));
    dialog->setDefaultSuffix(jsonl ? QStringLiteral("jsonl") : QStringLiteral("csv"));
    dialog->selectFile(m_model->mode() == MessageLogModel::Mode::Monitor
                           ? QStringLiteral("profile")
                           : QStringLiteral("messages"));
    connect(
        dialog, &QFileDialog::fileSelected, this,
        [this, format, visibleOnly](const QString &path) { exportTo(path, format, visibleOnly); });
    dialog->open();
}

void MessageLogView::exportTo(const QString &path, MessageLogModel::ExportFormat format,
                              bool visibleOnly)
{
    struct Job
    {
        MessageLogModel::ExportRows rows;
        QString path;
        MessageLogModel::ExportFormat format = MessageLogModel::ExportFormat::JsonLines;
        qint64 written = -1;
        QString error;
    };
    auto job = std::make_shared<Job>();
    job->rows = m_model->exportRows(visibleOnly);
    job->path = path;
    job->format = format;
    m_export->setEnabled(false);
    m_exportNote->setText(tr("Exporting %1 rows to %2…")
                              .arg(QLocale().toString(qint64(job->rows.rows.size())), path));
    m_exportNote->show();
    models::runOffThread(
        this,
        [job] {
            // Written beside and renamed into place: an export that fails leaves no partial file.
            QSaveFile file(job->path);
            if (file.open(QIODevice::WriteOnly)) {
                const qint64 n = MessageLogModel::writeExport(job->rows, &file, job->format);
                if (file.commit())
                    job->written = n;
            }
            if (job->written < 0)
                job->error = file.errorString();
            job->rows = {}; // the bytes are let go here, not on the GUI thread
        },
        [this, job] {
            m_export->setEnabled(true);
            m_exportNote->setText(job->written < 0
                                      ? tr("Not exported: %1: %2").arg(job->path, job->error)
                                      : tr("Exported %1 rows to %2")
                                            .arg(QLocale().toString(job->written), job->path));
            Q_EMIT exported(job->written, job->path, job->error);
        });
}

} // namespace bd::ui
