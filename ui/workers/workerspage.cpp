#include "workerspage.h"

#include "celery/jsonfields.h"
#include "common/confirmation.h"
#include "common/counts.h"
#include "common/tableviews.h"
#include "common/tones.h"
#include "keys/jsontree.h"
#include "workercontroldialog.h"
#include "workers/workerlistmodel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace bd::ui {

using connectors::WorkerInspection;
using models::WorkerListModel;

namespace {

QTableView *listView(QStandardItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    useFixedRowTable(view);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

QString jsonCell(const nlohmann::json &object, const char *name)
{
    return connectors::jsonText(object, name).left(500);
}

// Epoch seconds (Celery's time_start) as a time of day.
QString epochText(const nlohmann::json &object, const char *name)
{
    const auto it = object.is_object() ? object.find(name) : object.end();
    if (it == object.end() || !it->is_number())
        return connectors::jsonText(object, name);
    return QDateTime::fromMSecsSinceEpoch(qint64(it->get<double>() * 1000))
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

// Active and reserved requests: id, task, args, kwargs, started, queue.
void fillRequests(QStandardItemModel *model, const nlohmann::json &list, bool answered,
                  const QString &whenHeader, bool scheduled)
{
    model->clear();
    model->setHorizontalHeaderLabels({QObject::tr("ID"), QObject::tr("Task"), QObject::tr("Args"),
                                      QObject::tr("Kwargs"), whenHeader, QObject::tr("Queue")});
    if (!answered) {
        model->appendRow(new QStandardItem(QObject::tr("(the worker did not answer)")));
        return;
    }
    if (!list.is_array())
        return;
    for (const nlohmann::json &entry : list) {
        const nlohmann::json &request =
            scheduled && entry.is_object() && entry.contains("request") ? entry["request"] : entry;
        const nlohmann::json info = request.is_object() && request.contains("delivery_info")
                                        ? request["delivery_info"]
                                        : nlohmann::json::object();
        QList<QStandardItem *> row{new QStandardItem(jsonCell(request, "id")),
                                   new QStandardItem(jsonCell(request, "name")),
                                   new QStandardItem(jsonCell(request, "args")),
                                   new QStandardItem(jsonCell(request, "kwargs")),
                                   new QStandardItem(scheduled ? jsonCell(entry, "eta")
                                                               : epochText(request, "time_start")),
                                   new QStandardItem(jsonCell(info, "routing_key"))};
        model->appendRow(row);
    }
}

} // namespace

WorkersPage::WorkersPage(WorkerListModel *workers, QWidget *parent)
    : QWidget(parent)
    , m_workers(workers)
{
    setObjectName(QStringLiteral("workersPage"));
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("refreshWorkers"));
    m_refresh->setToolTip(tr("Ask every worker again (ping, stats, queues, tasks). While this page "
                             "is shown it asks every 10 seconds."));
    bar->addWidget(m_refresh);
    const auto controlButton = [this](const QString &text, const QString &name, bool all) {
        auto *button = new QToolButton(this);
        button->setObjectName(name);
        button->setText(text);
        button->setPopupMode(QToolButton::InstantPopup);
        auto *menu = new QMenu(button);
        for (const auto &[method, label] : WorkerControlDialog::methods()) {
            if (all && method == QLatin1String("shutdown"))
                continue; // one worker at a time, its name typed
            QAction *action = menu->addAction(label);
            action->setObjectName(method);
            connect(action, &QAction::triggered, this,
                    [this, method = method, all] { requestControl(method, all); });
        }
        button->setMenu(menu);
        return button;
    };
    m_controlSelected =
        controlButton(tr("Selected workers"), QStringLiteral("controlSelected"), false);
    m_controlAll = controlButton(tr("All workers"), QStringLiteral("controlAll"), true);
    bar->addWidget(m_controlSelected);
    bar->addWidget(m_controlAll);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("workersStatus"));
    bar->addWidget(m_status, 1);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_sorted = new QSortFilterProxyModel(this);
    m_sorted->setSourceModel(m_workers);
    m_sorted->setSortRole(WorkerListModel::RawValueRole);
    m_table = new QTableView(split);
    m_table->setObjectName(QStringLiteral("workersTable"));
    m_table->setModel(m_sorted);
    useFixedRowTable(m_table);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(WorkerListModel::HostnameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->horizontalHeader()->setStretchLastSection(true);
    split->addWidget(m_table);

    auto *detail = new QWidget(split);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_detailNote =
        new QLabel(tr("Select a worker to see its tasks, stats and configuration."), detail);
    detailLayout->addWidget(m_detailNote);
    m_details = new QTabWidget(detail);
    m_details->setObjectName(QStringLiteral("workerDetails"));
    m_registered = new QStandardItemModel(this);
    m_active = new QStandardItemModel(this);
    m_reserved = new QStandardItemModel(this);
    m_scheduled = new QStandardItemModel(this);
    m_revoked = new QStandardItemModel(this);
    m_details->addTab(listView(m_registered, m_details), tr("Registered"));
    m_details->addTab(listView(m_active, m_details), tr("Active"));
    m_details->addTab(listView(m_reserved, m_details), tr("Reserved"));
    m_details->addTab(listView(m_scheduled, m_details), tr("Scheduled"));
    m_details->addTab(listView(m_revoked, m_details), tr("Revoked"));
    m_stats = new QTreeView(m_details);
    m_stats->setUniformRowHeights(true);
    m_details->addTab(m_stats, tr("Stats"));
    m_conf = new QTreeView(m_details);
    m_conf->setUniformRowHeights(true);
    m_details->addTab(m_conf, tr("Configuration"));
    m_replies = new QPlainTextEdit(m_details);
    m_replies->setObjectName(QStringLiteral("controlReplies"));
    m_replies->setReadOnly(true);
    m_replies->setPlaceholderText(tr("The replies of the workers to the controls sent from here."));
    m_details->addTab(m_replies, tr("Replies"));
    detailLayout->addWidget(m_details);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_refresh, &QPushButton::clicked, this, &WorkersPage::refreshRequested);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        refreshDetails();
        updateActions();
    });
    connect(m_workers, &QAbstractItemModel::rowsInserted, this, [this] {
        updateActions();
        m_sizedToContents = false; // a new worker: columns fit again at the next inspection
    });
    updateActions();
}

void WorkersPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    Q_EMIT shown();
}

void WorkersPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    Q_EMIT hidden();
}

void WorkersPage::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateActions();
}

void WorkersPage::updateActions()
{
    const QString why = tr("This profile is read-only: workers cannot be controlled from it.");
    m_controlSelected->setEnabled(!m_readOnly && !selectedWorkers().isEmpty());
    m_controlAll->setEnabled(!m_readOnly && m_workers->rowCount() > 0);
    m_controlSelected->setToolTip(m_readOnly ? why : tr("Controls for the selected workers"));
    m_controlAll->setToolTip(m_readOnly ? why : tr("Controls for every worker"));
}

void WorkersPage::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error) : QString());
}

void WorkersPage::showReplies(const QString &title, const QStringList &lines, bool problem)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    m_replies->appendPlainText(
        QStringLiteral("%1  %2\n  %3\n").arg(stamp, title, lines.join(QLatin1String("\n  "))));
    m_details->setCurrentWidget(m_replies);
    setStatus(title + QStringLiteral(": ") + lines.join(QLatin1String("; ")), problem);
}

QStringList WorkersPage::selectedWorkers() const
{
    QStringList names;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        names << index.data(WorkerListModel::HostnameRole).toString();
    names.sort();
    return names;
}

QStringList WorkersPage::allWorkers() const
{
    QStringList names;
    for (int row = 0; row < m_workers->rowCount(); ++row)
        names << m_workers->hostname(row);
    return names;
}

QStringList WorkersPage::knownTasks() const
{
    QStringList tasks;
    for (const QString &name : allWorkers()) {
        if (const WorkerInspection *w = m_workers->inspection(name))
            tasks += w->registered;
    }
    tasks.removeDuplicates();
    tasks.sort();
    return tasks;
}

QStringList WorkersPage::knownQueues() const
{
    QStringList queues;
    for (const QString &name : allWorkers()) {
        if (const WorkerInspection *w = m_workers->inspection(name))
            queues += w->queues;
    }
    queues.removeDuplicates();
    queues.sort();
    return queues;
}

void WorkersPage::requestControl(const QString &method, bool all)
{
    if (m_readOnly)
        return;
    const QStringList workers = all ? allWorkers() : selectedWorkers();
    if (workers.isEmpty())
        return;
    if (method == QLatin1String("enable_events") || method == QLatin1String("disable_events")) {
        confirm(method, {}, workers, QString(), all);
        return;
    }
    if (method == QLatin1String("shutdown") && workers.size() != 1) {
        setStatus(tr("Shut down one worker at a time: select one."), true);
        return;
    }
    auto *dialog = new WorkerControlDialog(method, workers, knownTasks(), knownQueues(), this);
    connect(dialog, &QDialog::accepted, this, [this, dialog, workers, all] {
        if (dialog->method() == QLatin1String("shutdown")) {
            // The name was typed: that is the confirmation.
            Q_EMIT controlRequested(dialog->method(), {}, workers);
            return;
        }
        confirm(dialog->method(), dialog->arguments(), workers, dialog->valuesText(), all);
    });
    dialog->open();
}

void WorkersPage::confirm(const QString &method, const QVariantMap &arguments,
                          const QStringList &workers, const QString &values, bool all)
{
    const QString label = WorkerControlDialog::label(method);
    QString text = values.isEmpty()
                       ? tr("%1 on %2?").arg(label, workers.join(QLatin1String(", ")))
                       : tr("%1 (%2) on %3?").arg(label, values, workers.join(QLatin1String(", ")));
    if (all)
        text += QLatin1Char('\n')
                + tr("Sent to every worker, including any not listed here (%1 listed).")
                      .arg(workers.size());
    askConfirmation(this, label, text, label, QStringLiteral("confirmWorkerControl"),
                    [this, method, arguments, workers, all] {
                        Q_EMIT controlRequested(method, arguments, all ? QStringList() : workers);
                    });
}

void WorkersPage::refreshDetails()
{
    // A handful of rows: sized to what they hold once, then left as the operator sets them.
    if (!m_sizedToContents && m_workers->hasInspected() && m_workers->rowCount() > 0) {
        m_table->resizeColumnsToContents();
        m_sizedToContents = true;
    }
    const QStringList selected = selectedWorkers();
    const QString name = selected.value(0);
    const WorkerInspection *w = name.isEmpty() ? nullptr : m_workers->inspection(name);
    m_detailNote->setText(name.isEmpty()
                              ? tr("Select a worker to see its tasks, stats and configuration.")
                          : !w ? tr("%1 has not answered remote control: its tasks, stats and "
                                    "configuration are not known.")
                                     .arg(name)
                               : tr("%1, as it answered the last inspection.").arg(name));
    const bool answeredAll = w != nullptr;
    m_registered->clear();
    m_registered->setHorizontalHeaderLabels({tr("Task"), tr("Rate limit")});
    if (w && w->hasAnswered(QStringLiteral("registered"))) {
        for (const QString &task : w->registered)
            m_registered->appendRow(
                {new QStandardItem(task), new QStandardItem(w->rateLimits.value(task))});
    } else if (w) {
        m_registered->appendRow(new QStandardItem(tr("(the worker did not answer)")));
    }
    fillRequests(m_active, w ? w->activeTasks : nlohmann::json(),
                 answeredAll && w->hasAnswered(QStringLiteral("active")), tr("Started"), false);
    fillRequests(m_reserved, w ? w->reservedTasks : nlohmann::json(),
                 answeredAll && w->hasAnswered(QStringLiteral("reserved")), tr("Started"), false);
    fillRequests(m_scheduled, w ? w->scheduledTasks : nlohmann::json(),
                 answeredAll && w->hasAnswered(QStringLiteral("scheduled")), tr("ETA"), true);
    m_revoked->clear();
    m_revoked->setHorizontalHeaderLabels({tr("Revoked task ID")});
    if (w && w->hasAnswered(QStringLiteral("revoked")) && w->revokedIds.is_array()) {
        for (const nlohmann::json &id : w->revokedIds)
            m_revoked->appendRow(
                new QStandardItem(id.is_string() ? QString::fromStdString(id.get<std::string>())
                                                 : connectors::jsonToText(id)));
    }
    m_details->setTabText(
        1, tr("Active (%1)")
               .arg(w && w->active >= 0 ? QString::number(w->active) : QStringLiteral("?")));
    m_details->setTabText(
        2, tr("Reserved (%1)")
               .arg(w && w->reserved >= 0 ? QString::number(w->reserved) : QStringLiteral("?")));
    m_details->setTabText(
        4, tr("Revoked (%1)")
               .arg(w && w->revoked >= 0 ? QString::number(w->revoked) : QStringLiteral("?")));
    for (int tab = 0; tab < 5; ++tab) {
        if (auto *view = qobject_cast<QTableView *>(m_details->widget(tab)))
            view->resizeColumnsToContents();
    }
    m_details->setTabText(
        3, tr("Scheduled (%1)")
               .arg(w && w->scheduled >= 0 ? QString::number(w->scheduled) : QStringLiteral("?")));
    const auto tree = [](QTreeView *view, const nlohmann::json &value) {
        QAbstractItemModel *old = view->model();
        auto model = models::jsonTreeModel(connectors::jsonToBytes(value));
        if (model) {
            QStandardItemModel *raw = model.release();
            raw->setParent(view);
            view->setModel(raw);
            view->expandToDepth(0);
        } else {
            view->setModel(nullptr);
        }
        delete old;
    };
    tree(m_stats, w && w->hasAnswered(QStringLiteral("stats")) ? w->stats : nlohmann::json());
    tree(m_conf, w && w->hasAnswered(QStringLiteral("conf")) ? w->conf : nlohmann::json());
}

} // namespace bd::ui
