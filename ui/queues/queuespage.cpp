#include "queuespage.h"

#include "codec/untrustedjson.h"
#include "common/confirmation.h"
#include "common/counts.h"
#include "common/tableviews.h"
#include "common/tones.h"
#include "pubsub/payloaddetail.h"
#include "pubsub/sparklinedelegate.h"
#include "queues/queuelistmodel.h"
#include "queues/queuemessagesmodel.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace bd::ui {

using models::QueueListModel;
using models::QueueMessagesModel;

QueuesPage::QueuesPage(QueueListModel *queues, QueueMessagesModel *messages, QWidget *parent)
    : QWidget(parent)
    , m_queues(queues)
    , m_messages(messages)
{
    m_addEdit = new QLineEdit(this);
    m_addEdit->setObjectName(QStringLiteral("queuesAddEdit"));
    m_addEdit->setPlaceholderText(
        tr("Add a queue by name (a plain Redis list, or a queue not declared yet)"));
    auto *add = new QPushButton(tr("Add"), this);
    add->setObjectName(QStringLiteral("queuesAdd"));
    auto *refresh = new QPushButton(tr("Refresh"), this);
    refresh->setObjectName(QStringLiteral("queuesRefresh"));
    auto *runTask = new QPushButton(tr("Run task…"), this);
    runTask->setObjectName(QStringLiteral("queuesRunTask"));
    runTask->setToolTip(
        tr("Send a task to the selected queue; its state is followed on the Tasks page"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("queuesStatus"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_addEdit, 1);
    bar->addWidget(add);
    bar->addWidget(refresh);
    bar->addWidget(runTask);
    bar->addWidget(m_status, 1);

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(queues);
    m_proxy->setSortRole(QueueListModel::RawValueRole);
    m_queueTable = new QTableView(this);
    m_queueTable->setObjectName(QStringLiteral("queuesTable"));
    m_queueTable->setModel(m_proxy);
    m_queueTable->setSortingEnabled(true);
    m_queueTable->sortByColumn(QueueListModel::DepthColumn, Qt::DescendingOrder);
    useFixedRowTable(m_queueTable);
    m_queueTable->setItemDelegateForColumn(
        QueueListModel::GraphColumn,
        new SparklineDelegate(QueueListModel::HistoryRole, m_queueTable));
    m_queueTable->horizontalHeader()->setSectionResizeMode(QueueListModel::NameColumn,
                                                           QHeaderView::Stretch);

    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    m_depthSeries = new QLineSeries(chart);
    chart->addSeries(m_depthSeries); // the chart owns its series and axes from here
    m_depthTime = new QDateTimeAxis;
    m_depthTime->setFormat(QStringLiteral("HH:mm:ss"));
    m_depthTime->setTickCount(3);
    m_depthValue = new QValueAxis;
    m_depthValue->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(m_depthTime, Qt::AlignBottom);
    chart->addAxis(m_depthValue, Qt::AlignLeft);
    m_depthSeries->attachAxis(m_depthTime);
    m_depthSeries->attachAxis(m_depthValue);
    auto *view = new QChartView(chart, this);
    view->setObjectName(QStringLiteral("queuesChart"));
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(140);
    m_chart = view;

    m_contentsNote = new QLabel(tr("Select a queue to see what waits in it."), this);
    m_contentsNote->setObjectName(QStringLiteral("queuesContentsNote"));
    m_delete = new QPushButton(tr("Delete message…"), this);
    m_delete->setObjectName(QStringLiteral("queuesDelete"));
    m_move = new QPushButton(tr("Move…"), this);
    m_move->setObjectName(QStringLiteral("queuesMove"));
    m_move->setToolTip(tr("Move the selected messages to another queue"));
    m_export = new QPushButton(tr("Export…"), this);
    m_export->setObjectName(QStringLiteral("queuesExport"));
    m_export->setToolTip(tr("Save the selected messages as JSON Lines"));
    m_purge = new QPushButton(tr("Purge queue…"), this);
    m_purge->setObjectName(QStringLiteral("queuesPurge"));
    m_actionResult = new QLabel(this);
    m_actionResult->setObjectName(QStringLiteral("queuesActionResult"));
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_contentsNote, 1);
    actions->addWidget(m_actionResult);
    actions->addWidget(m_delete);
    actions->addWidget(m_move);
    actions->addWidget(m_export);
    actions->addWidget(m_purge);
    m_messageTable = new QTableView(this);
    m_messageTable->setObjectName(QStringLiteral("queuesMessages"));
    m_messageTable->setModel(messages);
    useFixedRowTable(m_messageTable);
    m_messageTable->setSelectionMode(
        QAbstractItemView::ExtendedSelection); // move and export take many
    const int digit = m_messageTable->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_messageTable->setColumnWidth(QueueMessagesModel::PositionColumn, digit * 8);
    m_messageTable->setColumnWidth(QueueMessagesModel::TaskColumn, digit * 30);
    m_messageTable->setColumnWidth(QueueMessagesModel::IdColumn, digit * 14);
    m_messageTable->setColumnWidth(QueueMessagesModel::ArgsColumn, digit * 16);
    m_messageTable->setColumnWidth(QueueMessagesModel::KwargsColumn, digit * 16);
    m_detail = new QPlainTextEdit(this);
    m_detail->setObjectName(QStringLiteral("queuesDetail"));
    m_detail->setReadOnly(true);
    m_detail->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_queueTable);
    left->addWidget(m_chart);
    auto *contents = new QWidget(this);
    auto *contentsLayout = new QVBoxLayout(contents);
    contentsLayout->setContentsMargins(0, 0, 0, 0);
    contentsLayout->addLayout(actions);
    auto *right = new QSplitter(Qt::Vertical, contents);
    right->addWidget(m_messageTable);
    right->addWidget(m_detail);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    contentsLayout->addWidget(right, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(contents);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    split->setSizes({360, 900}); // the queue table's columns visible from the start

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    const auto addTyped = [this] {
        const QByteArray name = m_addEdit->text().trimmed().toUtf8();
        if (name.isEmpty())
            return;
        m_addEdit->clear();
        Q_EMIT addQueueRequested(name);
    };
    connect(add, &QPushButton::clicked, this, addTyped);
    connect(m_addEdit, &QLineEdit::returnPressed, this, addTyped);
    connect(refresh, &QPushButton::clicked, this, &QueuesPage::refreshRequested);
    connect(runTask, &QPushButton::clicked, this, [this] { Q_EMIT runTaskRequested(m_selected); });
    connect(m_queueTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const QByteArray name =
                    current.siblingAtColumn(0).data(QueueListModel::NameBytesRole).toByteArray();
                if (name.isEmpty() || name == m_selected)
                    return;
                m_selected = name;
                m_detail->clear();
                m_contentsNote->setText(
                    tr("%1, next to run first").arg(current.siblingAtColumn(0).data().toString()));
                updateChart();
                Q_EMIT queueSelected(name);
                updateActions();
            });
    connect(m_messageTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                showMessage(current);
                updateActions();
            });
    // A page read again (the queue moved) arrives after the message was asked for.
    connect(m_messages, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const QModelIndex current = m_messageTable->currentIndex();
                if (m_detailWaiting && current.isValid() && current.row() >= topLeft.row()
                    && current.row() <= bottomRight.row())
                    showMessage(current);
            });
    connect(m_purge, &QPushButton::clicked, this, &QueuesPage::askPurge);
    connect(m_delete, &QPushButton::clicked, this, &QueuesPage::askDelete);
    connect(m_move, &QPushButton::clicked, this, &QueuesPage::askMove);
    connect(m_export, &QPushButton::clicked, this, &QueuesPage::askExport);
    connect(m_messageTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &QueuesPage::updateActions);
    updateActions();
    connect(queues, &QAbstractItemModel::dataChanged, this, &QueuesPage::updateChart);
}

void QueuesPage::selectQueue(const QByteArray &name)
{
    const int row = m_queues->rowOf(name);
    if (row >= 0)
        m_queueTable->setCurrentIndex(m_proxy->mapFromSource(m_queues->index(row, 0)));
}

void QueuesPage::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error) : QString());
}

void QueuesPage::setActionResult(const QString &text, bool problem)
{
    m_actionResult->setText(text);
    m_actionResult->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error)
                                          : QString());
}

void QueuesPage::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateActions();
}

void QueuesPage::updateActions()
{
    const QString why = m_readOnly ? tr("Read-only profile: queues cannot be changed") : QString();
    m_purge->setEnabled(!m_readOnly && !m_selected.isEmpty());
    m_purge->setToolTip(why);
    m_delete->setEnabled(!m_readOnly && m_messageTable->currentIndex().isValid()
                         && m_messages->messageAt(m_messageTable->currentIndex().row()));
    m_delete->setToolTip(why);
    const bool anySelected = m_messageTable->selectionModel()->hasSelection();
    m_move->setEnabled(!m_readOnly && anySelected);
    m_move->setToolTip(m_readOnly ? why : tr("Move the selected messages to another queue"));
    m_export->setEnabled(anySelected); // reading only: allowed on read-only profiles
}

QList<models::QueuedMessage> QueuesPage::selectedMessages(int *notLoaded) const
{
    QList<int> rows;
    for (const QModelIndex &index : m_messageTable->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    return m_messages->messagesAt(rows, notLoaded);
}

void QueuesPage::askMove()
{
    auto *ask = new QInputDialog(this);
    ask->setObjectName(QStringLiteral("queuesMoveTarget"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("Move messages"));
    ask->setLabelText(
        tr("Move the selected messages of %1 to the queue:").arg(QString::fromUtf8(m_selected)));
    QStringList names = m_queues->names();
    names.removeAll(QString::fromUtf8(m_selected));
    ask->setComboBoxItems(names);
    ask->setComboBoxEditable(true);
    connect(ask, &QInputDialog::textValueSelected, this, [this](const QString &queue) {
        if (!queue.trimmed().isEmpty())
            moveSelectedTo(queue.trimmed().toUtf8());
    });
    ask->open();
}

void QueuesPage::moveSelectedTo(const QByteArray &target)
{
    if (m_readOnly || target.isEmpty() || target == m_selected)
        return;
    int notLoaded = 0;
    const QList<models::QueuedMessage> messages = selectedMessages(&notLoaded);
    if (messages.isEmpty()) {
        setActionResult(tr("Nothing to move: the selected messages are not loaded yet"), true);
        return;
    }
    QStringList ids;
    for (const models::QueuedMessage &m : messages) {
        if (!m.taskId.isEmpty())
            ids << m.taskId;
    }
    const QString count = messageCount(messages.size());
    QString text =
        tr("Move %1 from %2 to %3 (each to the same priority list)? Workers of %3 will run "
           "them instead.")
            .arg(count, QString::fromUtf8(m_selected), QString::fromUtf8(target));
    if (!ids.isEmpty())
        text += QLatin1Char('\n')
                + tr("Tasks: %1%2")
                      .arg(ids.mid(0, 5).join(QLatin1String(", ")),
                           ids.size() > 5 ? tr(" and %1 more").arg(ids.size() - 5) : QString());
    if (notLoaded > 0)
        text += QLatin1Char('\n')
                + tr("Selected rows not loaded yet (%1) are left where they are.").arg(notLoaded);
    const QByteArray from = m_selected;
    askConfirmation(
        this, tr("Move messages"), text, tr("Move to %1").arg(QString::fromUtf8(target)),
        QStringLiteral("confirmMoveMessages"),
        [this, from, target, messages] { Q_EMIT moveRequested(from, target, messages); });
}

void QueuesPage::askExport()
{
    auto *ask = new QFileDialog(this, tr("Export messages"), QString(),
                                tr("JSON Lines (*.jsonl);;All files (*)"));
    ask->setObjectName(QStringLiteral("queuesExportFile"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setAcceptMode(QFileDialog::AcceptSave);
    ask->setDefaultSuffix(QStringLiteral("jsonl"));
    ask->selectFile(QString::fromUtf8(m_selected) + QStringLiteral(".jsonl"));
    connect(ask, &QFileDialog::fileSelected, this, &QueuesPage::exportSelectedTo);
    ask->open();
}

void QueuesPage::exportSelectedTo(const QString &path)
{
    int notLoaded = 0;
    const QList<models::QueuedMessage> messages = selectedMessages(&notLoaded);
    if (messages.isEmpty()) {
        setActionResult(tr("Nothing to export: the selected messages are not loaded yet"), true);
        return;
    }
    Q_EMIT exportRequested(path, m_selected, messages, notLoaded);
}

void QueuesPage::askPurge()
{
    const connectors::CeleryQueueInfo *q = m_queues->queueAt(m_queues->rowOf(m_selected));
    const qint64 depth = q ? q->depth() : 0;
    const QByteArray queue = m_selected;
    askConfirmation(
        this, tr("Purge queue"),
        tr("Delete all %1 waiting in %2 (its four priority lists)? Workers will never run "
           "them. Messages arriving meanwhile go too.")
            .arg(messageCount(depth), QString::fromUtf8(queue)),
        tr("Purge %1").arg(QString::fromUtf8(queue)), QStringLiteral("confirmPurgeQueue"),
        [this, queue, depth] { Q_EMIT purgeRequested(queue, depth); });
}

void QueuesPage::askDelete()
{
    const int row = m_messageTable->currentIndex().row();
    const connectors::CeleryTaskMessage *m = m_messages->messageAt(row);
    if (!m)
        return;
    const QByteArray raw = m_messages->rawAt(row);
    const int step = m_messageTable->model()
                         ->index(row, QueueMessagesModel::PriorityColumn)
                         .data(QueueMessagesModel::StepRole)
                         .toInt();
    const QString what = m->isTask ? tr("task %1 [%2]").arg(m->task, m->id)
                                   : tr("the message at position %1").arg(row);
    const QByteArray queue = m_selected;
    const QString id = m->id;
    askConfirmation(
        this, tr("Delete message"),
        tr("Delete %1 from %2? A worker will never run it.").arg(what, QString::fromUtf8(queue)),
        tr("Delete it"), QStringLiteral("confirmDeleteMessage"),
        [this, queue, step, raw, id] { Q_EMIT deleteRequested(queue, step, raw, id); });
}

void QueuesPage::showMessage(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    const connectors::CeleryTaskMessage *m = m_messages->messageAt(index.row());
    const QByteArray raw = m_messages->rawAt(index.row());
    m_detailWaiting = !m;
    if (!m) {
        m_detail->setPlainText(tr("Loading…"));
        return;
    }
    QStringList lines;
    lines << tr("Position %1 in %2 · %3")
                 .arg(QLocale().toString(index.row()), QString::fromUtf8(m_selected),
                      QLocale().formattedDataSize(raw.size()));
    if (!m->isTask)
        lines << tr("Not a Celery task: %1").arg(m->error);
    if (!m->bodyError.isEmpty())
        lines << tr("Body not decoded: %1").arg(m->bodyError);
    if (!m->nextSteps.isEmpty()) {
        lines << tr("Then, in order:");
        for (const connectors::TaskSignature &s : m->nextSteps)
            lines << QStringLiteral("  → %1 %2").arg(s.task, connectors::jsonToText(s.args));
    }
    if (m->chordCallback)
        lines << tr("Chord callback, once the group is done: %1").arg(m->chordCallback->task);
    const models::PayloadDetail detail = models::describePayload(raw);
    if (detail.isEnvelope)
        lines << QString() << detail.envelope;
    else
        lines << QString() << detail.textNote << QString()
              << detail.text; // "text; not valid JSON at line 1, …"
    m_detail->setPlainText(lines.join(QLatin1Char('\n')));
}

void QueuesPage::updateChart()
{
    // One series and two axes for the page's life, their data replaced: the chart is redrawn
    // every second while the page is shown (an axis removed with removeAxis is not deleted).
    const QList<QPair<qint64, qint64>> points = m_queues->history(m_selected);
    QChart *chart = static_cast<QChartView *>(m_chart)->chart();
    if (points.size() < 2) {
        m_depthSeries->clear();
        chart->setTitle(QString());
        return;
    }
    QList<QPointF> line;
    line.reserve(points.size());
    qint64 top = 1;
    for (const auto &[t, d] : points) {
        line.append(QPointF(qreal(t), qreal(d)));
        top = qMax(top, d);
    }
    m_depthSeries->replace(line);
    m_depthTime->setRange(QDateTime::fromMSecsSinceEpoch(points.front().first),
                          QDateTime::fromMSecsSinceEpoch(points.back().first));
    // Depths are whole messages: a step of 1, 2 or 5 × 10^n with at most five of them to the
    // top (and a tenth above it), so every tick is a whole number ("0, 0, 1, 2, 3" was 0 to 3.3
    // in five ticks, printed with %d).
    const qint64 headroom = top + qMax<qint64>(1, top / 10);
    qint64 step = 1;
    for (qint64 scale = 1; (headroom + step - 1) / step > 5; scale *= 10) {
        for (const qint64 m : {1, 2, 5}) {
            step = m * scale;
            if ((headroom + step - 1) / step <= 5)
                break;
        }
    }
    const qint64 steps = (headroom + step - 1) / step;
    m_depthValue->setRange(0, double(steps * step));
    m_depthValue->setTickCount(int(steps) + 1);
    chart->setTitle(tr("Depth of %1").arg(QString::fromUtf8(m_selected)));
}

void QueuesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    Q_EMIT shownChanged(true);
}

void QueuesPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    Q_EMIT shownChanged(false);
}

} // namespace bd::ui
