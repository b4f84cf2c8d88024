#include "tasktimelineview.h"

#include "common/confirmation.h"
#include "common/tableviews.h"
#include "common/tones.h"
#include "events/tasktimelinemodel.h"
#include "events/timelinefilter.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QVBoxLayout>

namespace bd::ui {

using connectors::TaskEventRecord;
using models::TaskTimelineModel;

namespace {

QString seconds(double s)
{
    return s < 0 ? QStringLiteral("–") : QLocale().toString(s, 'f', 3) + QStringLiteral(" s");
}

} // namespace

TaskTimelineView::TaskTimelineView(TaskTimelineModel *timeline, QWidget *parent)
    : QWidget(parent)
    , m_timeline(timeline)
{
    setObjectName(QStringLiteral("taskTimeline"));
    auto *layout = new QVBoxLayout(this);
    auto *filters = new QHBoxLayout;
    m_state = new QComboBox(this);
    m_state->setObjectName(QStringLiteral("timelineState"));
    m_state->addItem(tr("Any state"), QString());
    for (const char *s :
         {"PENDING", "RECEIVED", "STARTED", "RETRY", "SUCCESS", "FAILURE", "REVOKED", "REJECTED"})
        m_state->addItem(QLatin1String(s), QLatin1String(s));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("timelineName"));
    m_name->setPlaceholderText(tr("Task name"));
    m_worker = new QLineEdit(this);
    m_worker->setPlaceholderText(tr("Worker"));
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("timelineText"));
    m_text->setPlaceholderText(tr("Text in args, result, exception or ID"));
    m_range = new QComboBox(this);
    m_range->addItem(tr("Any time"), 0);
    m_range->addItem(tr("Last 5 minutes"), 5 * 60);
    m_range->addItem(tr("Last hour"), 3600);
    m_range->addItem(tr("Last 24 hours"), 24 * 3600);
    filters->addWidget(m_state);
    filters->addWidget(m_name, 1);
    filters->addWidget(m_worker);
    filters->addWidget(m_text, 2);
    filters->addWidget(m_range);
    layout->addLayout(filters);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("timelineStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_filter = new models::TimelineFilter(this);
    m_filter->setSourceModel(m_timeline);
    m_table = new QTableView(split);
    m_table->setObjectName(QStringLiteral("timelineTable"));
    m_table->setModel(m_filter);
    useFixedRowTable(m_table);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const QFontMetrics metrics(font());
    m_table->setColumnWidth(TaskTimelineModel::StateColumn,
                            metrics.horizontalAdvance(QStringLiteral("RECEIVED__")));
    m_table->setColumnWidth(TaskTimelineModel::NameColumn,
                            metrics.horizontalAdvance(QLatin1Char('x')) * 32);
    m_table->setColumnWidth(TaskTimelineModel::IdColumn,
                            metrics.horizontalAdvance(QStringLiteral("0123abcd-")) * 4);
    m_table->setColumnWidth(TaskTimelineModel::WorkerColumn,
                            metrics.horizontalAdvance(QLatin1Char('x')) * 18);
    m_table->setColumnWidth(TaskTimelineModel::ReceivedColumn,
                            metrics.horizontalAdvance(QStringLiteral("00:00:00.000__")));
    m_table->setColumnWidth(TaskTimelineModel::StartedColumn,
                            metrics.horizontalAdvance(QStringLiteral("00:00:00.000__")));
    m_table->setColumnWidth(TaskTimelineModel::FinishedColumn,
                            metrics.horizontalAdvance(QStringLiteral("00:00:00.000__")));
    split->addWidget(m_table);

    auto *lower = new QWidget(split);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    auto *actions = new QHBoxLayout;
    m_revoke = new QPushButton(tr("Revoke…"), lower);
    m_revoke->setObjectName(QStringLiteral("revokeTasks"));
    m_terminate = new QPushButton(tr("Revoke and terminate…"), lower);
    m_terminate->setObjectName(QStringLiteral("terminateTasks"));
    m_signal = new QComboBox(lower);
    m_signal->setObjectName(QStringLiteral("terminateSignal"));
    m_signal->addItems({QStringLiteral("SIGTERM"), QStringLiteral("SIGKILL"),
                        QStringLiteral("SIGINT"), QStringLiteral("SIGUSR1")});
    auto *note = new QLabel(tr("A revoke lives in the workers' memory: it is lost when they "
                               "restart, unless they run with --statedb."),
                            lower);
    note->setStyleSheet(models::toneStyleSheet(models::Tone::Muted));
    note->setWordWrap(true);
    actions->addWidget(m_revoke);
    actions->addWidget(m_terminate);
    actions->addWidget(m_signal);
    actions->addWidget(note, 1);
    lowerLayout->addLayout(actions);
    m_tabs = new QTabWidget(lower);
    m_detail = new QPlainTextEdit(m_tabs);
    m_detail->setObjectName(QStringLiteral("timelineDetail"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select a task to follow it from the queue to its result."));
    m_tabs->addTab(m_detail, tr("Task"));
    m_statistics = new QTableWidget(0, 6, m_tabs);
    m_statistics->setObjectName(QStringLiteral("timelineStatistics"));
    m_statistics->setHorizontalHeaderLabels(
        {tr("Task"), tr("Count"), tr("Failed"), tr("Runtime p50"), tr("p95"), tr("max")});
    m_statistics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_statistics->horizontalHeader()->setStretchLastSection(true);
    m_tabs->addTab(m_statistics, tr("Last hour, by task"));
    lowerLayout->addWidget(m_tabs, 1);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_state, &QComboBox::currentIndexChanged, this, &TaskTimelineView::applyFilters);
    connect(m_range, &QComboBox::currentIndexChanged, this, &TaskTimelineView::applyFilters);
    for (QLineEdit *edit : {m_name, m_worker, m_text})
        connect(edit, &QLineEdit::textChanged, this, &TaskTimelineView::applyFilters);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QStringList selected = selectedTasks();
        m_revoke->setEnabled(!m_readOnly && !selected.isEmpty());
        m_terminate->setEnabled(!m_readOnly && !selected.isEmpty());
        const QString uuid = selected.value(0);
        if (uuid != m_shownUuid) {
            m_shownUuid = uuid;
            refreshDetail();
            if (!uuid.isEmpty())
                Q_EMIT taskSelected(uuid);
        }
    });
    // The selected task's events keep coming: its detail follows them.
    connect(m_timeline, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &from, const QModelIndex &to) {
                const int row = m_timeline->rowOf(m_shownUuid);
                if (row >= from.row() && row <= to.row())
                    refreshDetail();
            });
    connect(m_revoke, &QPushButton::clicked, this, [this] { askRevoke(false); });
    connect(m_terminate, &QPushButton::clicked, this, [this] { askRevoke(true); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) == m_statistics)
            Q_EMIT statisticsRequested();
    });
    m_revoke->setEnabled(false);
    m_terminate->setEnabled(false);
}

void TaskTimelineView::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    const QString why = tr("This profile is read-only: tasks cannot be revoked from it.");
    m_revoke->setToolTip(readOnly ? why
                                  : tr("Workers discard the selected tasks when they get "
                                       "to them (queued, reserved or scheduled)."));
    m_terminate->setToolTip(readOnly ? why
                                     : tr("As Revoke, and a running task's process gets "
                                          "the signal."));
    m_revoke->setEnabled(!readOnly && !selectedTasks().isEmpty());
    m_terminate->setEnabled(!readOnly && !selectedTasks().isEmpty());
}

void TaskTimelineView::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Warning) : QString());
}

void TaskTimelineView::applyFilters()
{
    m_filter->setState(m_state->currentData().toString());
    m_filter->setName(m_name->text());
    m_filter->setWorker(m_worker->text());
    m_filter->setText(m_text->text());
    const int range = m_range->currentData().toInt();
    m_filter->setSince(range > 0 ? QDateTime::currentMSecsSinceEpoch() / 1000.0 - range : 0);
}

QStringList TaskTimelineView::selectedTasks() const
{
    QStringList ids;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        ids << index.data(TaskTimelineModel::UuidRole).toString();
    return ids;
}

void TaskTimelineView::askRevoke(bool terminate)
{
    const QStringList ids = selectedTasks();
    if (ids.isEmpty() || m_readOnly)
        return;
    QStringList names;
    for (const QString &id : ids.mid(0, 10)) {
        const TaskEventRecord *t = m_timeline->state().task(id);
        names << QStringLiteral("%1 [%2]").arg(t && !t->name.isEmpty() ? t->name : tr("task"), id);
    }
    if (ids.size() > 10)
        names << tr("… and %1 more").arg(ids.size() - 10);
    const QString signal = m_signal->currentText();
    const QString text =
        (terminate ? tr("Revoke these tasks and send %1 to the ones running?").arg(signal)
                   : tr("Revoke these tasks? Workers discard them when they get to them."))
        + QStringLiteral("\n\n") + names.join(QLatin1Char('\n'));
    askConfirmation(
        this, terminate ? tr("Revoke and terminate") : tr("Revoke"), text,
        terminate ? tr("Revoke and terminate") : tr("Revoke"), QStringLiteral("confirmRevoke"),
        [this, ids, terminate, signal] { Q_EMIT revokeRequested(ids, terminate, signal); });
}

void TaskTimelineView::showBackendRecord(const QString &uuid, const QString &text)
{
    m_backendUuid = uuid;
    m_backendText = text;
    if (uuid == m_shownUuid)
        refreshDetail();
}

void TaskTimelineView::showQueueMessage(const QString &uuid, const QString &text)
{
    m_queueUuid = uuid;
    m_queueText = text;
    if (uuid == m_shownUuid)
        refreshDetail();
}

void TaskTimelineView::refreshDetail()
{
    const TaskEventRecord *t =
        m_shownUuid.isEmpty() ? nullptr : m_timeline->state().task(m_shownUuid);
    if (!t) {
        m_detail->setPlainText(
            m_shownUuid.isEmpty()
                ? QString()
                : tr("%1 is no longer in memory (the store keeps it).").arg(m_shownUuid));
        return;
    }
    QStringList lines;
    const auto field = [&lines](const QString &label, const QString &value) {
        if (!value.isEmpty())
            lines << QStringLiteral("%1 %2").arg(label + QLatin1Char(':'), -12).arg(value);
    };
    field(tr("Task"), t->name);
    field(tr("ID"), t->uuid);
    field(tr("State"), t->stateName());
    field(tr("Worker"), t->worker);
    field(tr("Queue"), t->queue.isEmpty() ? t->routingKey : t->queue);
    field(tr("Sent"), TaskTimelineModel::timeText(t->sent));
    field(tr("Received"), TaskTimelineModel::timeText(t->received));
    field(tr("Started"), TaskTimelineModel::timeText(t->started));
    field(tr("Finished"), TaskTimelineModel::timeText(t->finished));
    if (t->runtime >= 0)
        field(tr("Runtime"), seconds(t->runtime));
    if (t->retries > 0)
        field(tr("Retries"), QString::number(t->retries));
    field(tr("ETA"), t->eta);
    field(tr("Expires"), t->expires);
    field(tr("Root"), t->rootId != t->uuid ? t->rootId : QString());
    field(tr("Parent"), t->parentId);
    field(tr("Args"), t->args.isEmpty()
                          ? QString()
                          : t->args + tr("   (repr from events: may be cut short, not JSON)"));
    field(tr("Kwargs"), t->kwargs);
    field(tr("Result"), t->result);
    field(tr("Exception"), t->exception);
    if (t->state == connectors::TaskEventState::Revoked)
        field(tr("Revoked"), t->terminated ? tr("terminated (%1)").arg(t->signum)
                             : t->expired  ? tr("expired")
                                           : tr("yes"));
    lines << QString() << tr("Events:");
    for (const connectors::TaskEventEntry &e : t->history) {
        lines << QStringLiteral("  %1  %2  %3%4")
                     .arg(TaskTimelineModel::timeText(e.timestamp), e.type, e.hostname,
                          e.detail.isEmpty() ? QString() : QStringLiteral("  ") + e.detail);
    }
    if (!t->traceback.isEmpty())
        lines << QString() << tr("Traceback:") << t->traceback;
    if (m_queueUuid == t->uuid && !m_queueText.isEmpty())
        lines << QString() << tr("Queue message:") << m_queueText;
    lines << QString() << tr("Result backend (celery-task-meta-%1):").arg(t->uuid);
    lines << (m_backendUuid == t->uuid ? m_backendText : tr("reading…"));
    m_detail->setPlainText(lines.join(QLatin1Char('\n')));
}

void TaskTimelineView::showStatistics(const QList<models::TaskNameStatistics> &statistics)
{
    m_statistics->setRowCount(int(statistics.size()));
    for (int row = 0; row < statistics.size(); ++row) {
        const models::TaskNameStatistics &s = statistics[row];
        const QStringList cells{s.name,
                                QLocale().toString(s.count),
                                s.finished > 0
                                    ? QStringLiteral("%1 (%2 %)")
                                          .arg(QLocale().toString(s.failed))
                                          .arg(QLocale().toString(100.0 * s.failureRate(), 'f', 1))
                                    : QStringLiteral("–"),
                                seconds(s.p50),
                                seconds(s.p95),
                                seconds(s.max)};
        for (int column = 0; column < cells.size(); ++column)
            m_statistics->setItem(row, column, new QTableWidgetItem(cells[column]));
    }
    m_statistics->resizeColumnsToContents();
}

} // namespace bd::ui
