#include "taskspage.h"

#include "audit/auditlogmodel.h"
#include "common/tableviews.h"
#include "common/tones.h"
#include "queues/taskrunsmodel.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTabWidget>
#include <QVBoxLayout>

namespace bd::ui {

using models::TaskRunsModel;

TasksPage::TasksPage(TaskRunsModel *runs, models::AuditLogModel *audit, QWidget *parent)
    : QWidget(parent)
    , m_runs(runs)
    , m_audit(audit)
{
    m_runTask = new QPushButton(tr("Run task…"), this);
    m_runTask->setObjectName(QStringLiteral("tasksRunTask"));
    m_actionBar = new QHBoxLayout;
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("tasksStatus"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_runTask);
    bar->addLayout(m_actionBar);
    bar->addWidget(m_status, 1);

    m_runTable = new QTableView(this);
    m_runTable->setObjectName(QStringLiteral("tasksRuns"));
    m_runTable->setModel(runs);
    useFixedRowTable(m_runTable);
    const int digit = m_runTable->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_runTable->setColumnWidth(TaskRunsModel::SentColumn, digit * 10);
    m_runTable->setColumnWidth(TaskRunsModel::TaskColumn, digit * 36);
    m_runTable->setColumnWidth(TaskRunsModel::StateColumn, digit * 12);
    m_runTable->setColumnWidth(TaskRunsModel::QueueColumn, digit * 12);
    m_runTable->setColumnWidth(TaskRunsModel::IdColumn, digit * 20);
    m_runTable->horizontalHeader()->setStretchLastSection(true); // the result
    m_runDetail = new QPlainTextEdit(this);
    m_runDetail->setObjectName(QStringLiteral("tasksRunDetail"));
    m_runDetail->setReadOnly(true);
    m_runDetail->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_runDetail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_runDetail->setPlaceholderText(
        tr("Tasks sent from this window appear above; select one to see its result "
           "or its traceback."));
    auto *runsSplit = new QSplitter(Qt::Vertical, this);
    runsSplit->addWidget(m_runTable);
    runsSplit->addWidget(m_runDetail);

    m_auditTable = new QTableView(this);
    m_auditTable->setObjectName(QStringLiteral("tasksAudit"));
    m_auditTable->setModel(audit);
    useFixedRowTable(m_auditTable);
    m_auditTable->setColumnWidth(models::AuditLogModel::TimeColumn, digit * 20);
    m_auditTable->setColumnWidth(models::AuditLogModel::TaskIdsColumn, digit * 38);
    m_auditTable->horizontalHeader()->setStretchLastSection(true);
    m_auditNote = new QLabel(this);
    m_auditNote->setObjectName(QStringLiteral("tasksAuditNote"));
    m_auditNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *reload = new QPushButton(tr("Reload"), this);
    reload->setObjectName(QStringLiteral("tasksAuditReload"));
    auto *auditPage = new QWidget(this);
    auto *auditBar = new QHBoxLayout;
    auditBar->addWidget(m_auditNote, 1);
    auditBar->addWidget(reload);
    auto *auditLayout = new QVBoxLayout(auditPage);
    auditLayout->addLayout(auditBar);
    auditLayout->addWidget(m_auditTable, 1);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("tasksTabs"));
    m_runsTab = runsSplit;
    m_auditTab = auditPage;
    m_tabs->addTab(runsSplit, tr("Sent from here"));
    m_tabs->addTab(auditPage, tr("Audit log"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_tabs, 1);

    connect(m_runTask, &QPushButton::clicked, this, &TasksPage::runTaskRequested);
    connect(reload, &QPushButton::clicked, this, &TasksPage::auditReloadRequested);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) == m_auditTab)
            Q_EMIT auditReloadRequested();
    });
    connect(m_runTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TasksPage::showRun);
    connect(runs, &TaskRunsModel::runChanged, this, [this](const QString &id) {
        const QModelIndex current = m_runTable->currentIndex();
        if (current.isValid() && current.data(TaskRunsModel::IdRole).toString() == id)
            showRun();
    });
    updateActions();
}

void TasksPage::setActions(const QList<connectors::CatalogTask> &actions)
{
    qDeleteAll(m_actionButtons);
    m_actionButtons.clear();
    for (const connectors::CatalogTask &action : actions) {
        auto *button = new QPushButton(action.label, this);
        button->setObjectName(QStringLiteral("tasksAction:") + action.name);
        button->setToolTip(action.description.isEmpty()
                               ? action.name
                               : QStringLiteral("%1\n%2").arg(action.description, action.name));
        const QString name = action.name;
        connect(button, &QPushButton::clicked, this, [this, name] {
            if (m_busy.value(name))
                return;
            Q_EMIT actionRequested(name);
        });
        m_actionBar->addWidget(button);
        m_actionButtons.insert(action.name, button);
    }
    updateActions();
}

void TasksPage::setActionBusy(const QString &task, bool busy)
{
    m_busy[task] = busy;
    updateActions();
}

void TasksPage::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateActions();
}

void TasksPage::updateActions()
{
    const QString why = tr("Read-only profile: no task can be sent");
    m_runTask->setToolTip(
        m_readOnly ? tr("Read-only profile: the dialog shows the message, it cannot send it")
                   : QString());
    for (auto it = m_actionButtons.cbegin(); it != m_actionButtons.cend(); ++it) {
        it.value()->setEnabled(!m_readOnly && !m_busy.value(it.key()));
        if (m_readOnly)
            it.value()->setToolTip(why);
    }
}

void TasksPage::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error) : QString());
}

void TasksPage::selectRun(const QString &id)
{
    const int row = m_runs->rowOf(id);
    if (row < 0)
        return;
    m_tabs->setCurrentWidget(m_runsTab);
    m_runTable->setCurrentIndex(m_runs->index(row, 0));
}

void TasksPage::setAuditNote(const QString &text, bool problem)
{
    m_auditNote->setText(text);
    m_auditNote->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error) : QString());
}

void TasksPage::showAuditLog()
{
    m_tabs->setCurrentWidget(m_auditTab);
}

void TasksPage::addTimeline(QWidget *timeline)
{
    // First: where operators look for what their workers did.
    m_tabs->insertTab(0, timeline, tr("Timeline"));
    m_tabs->setCurrentIndex(0);
}

void TasksPage::showRun()
{
    const models::TaskRun *run = m_runs->runAt(m_runTable->currentIndex().row());
    if (!run) {
        m_runDetail->clear();
        return;
    }
    QStringList lines;
    lines << tr("Task     %1%2")
                 .arg(run->task,
                      run->label.isEmpty() ? QString() : QStringLiteral("  (%1)").arg(run->label));
    lines << tr("Id       %1").arg(run->id);
    lines << tr("Queue    %1 · sent %2")
                 .arg(run->queue,
                      run->sentAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    lines << tr("State    %1%2")
                 .arg(run->status, run->dateDone.isEmpty()
                                       ? QString()
                                       : tr(" · done %1 UTC").arg(run->dateDone));
    if (run->status == QLatin1String("FAILURE") || run->status == QLatin1String("RETRY"))
        lines << tr("Error    %1").arg(run->summary);
    if (!run->problem.isEmpty())
        lines << tr("Problem  %1").arg(run->problem);
    if (run->status == QLatin1String("PENDING"))
        lines << QString()
              << tr("Waiting for a worker: PENDING is what the result backend says until one takes "
                    "it "
                    "(no worker on the queue, or the task is not registered there).");
    if (!run->resultText.isEmpty())
        lines << QString()
              << (run->status == QLatin1String("SUCCESS") ? tr("Result:") : tr("Stored result:"))
              << run->resultText;
    if (!run->traceback.isEmpty())
        lines << QString() << tr("Traceback:") << run->traceback;
    m_runDetail->setPlainText(lines.join(QLatin1Char('\n')));
}

} // namespace bd::ui
