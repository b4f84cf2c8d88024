#include "profilerpage.h"

#include "common/tableviews.h"
#include "common/tones.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/messagelogview.h"
#include "pubsub/sparklinedelegate.h"
#include "pubsub/trafficstatsmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace bd::ui {

using models::TrafficStatsModel;

ProfilerPage::ProfilerPage(models::MessageLogModel *log, TrafficStatsModel *commands,
                           QWidget *parent)
    : QWidget(parent)
{
    auto *warning = new QLabel(tr("<b>MONITOR has a cost.</b> The server sends this console every "
                                  "command it runs, from every client: "
                                  "on a busy server that can take a large part of its throughput "
                                  "and grow its output buffer. Run it "
                                  "briefly; it stops by itself after the time chosen."),
                               this);
    warning->setObjectName(QStringLiteral("profilerWarning"));
    warning->setWordWrap(true);
    warning->setStyleSheet(models::toneBannerStyleSheet(models::Tone::Warning));
    m_duration = new QSpinBox(this);
    m_duration->setObjectName(QStringLiteral("profilerDuration"));
    m_duration->setRange(1, 3600);
    m_duration->setValue(kDefaultSeconds);
    m_duration->setPrefix(tr("stop after "));
    m_duration->setSuffix(tr(" s"));
    m_start = new QPushButton(tr("Start MONITOR"), this);
    m_start->setObjectName(QStringLiteral("profilerStart"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("profilerStop"));
    m_stop->setEnabled(false);
    m_progress = new QLabel(tr("Not running."), this);
    m_progress->setObjectName(QStringLiteral("profilerProgress"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_duration);
    bar->addWidget(m_start);
    bar->addWidget(m_stop);
    bar->addWidget(m_progress, 1);

    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(commands);
    proxy->setSortRole(TrafficStatsModel::RawValueRole);
    m_commands = new QTableView(this);
    m_commands->setObjectName(QStringLiteral("profilerCommands"));
    m_commands->setModel(proxy);
    useFixedRowTable(m_commands);
    m_commands->setSortingEnabled(true);
    m_commands->sortByColumn(TrafficStatsModel::TotalColumn, Qt::DescendingOrder);
    m_commands->hideColumn(TrafficStatsModel::SubscribersColumn);
    m_commands->setItemDelegateForColumn(
        TrafficStatsModel::GraphColumn,
        new SparklineDelegate(TrafficStatsModel::HistoryRole, m_commands));
    m_commands->horizontalHeader()->setStretchLastSection(true);
    m_commands->setToolTip(tr("Double-click a command to show only it in the log"));

    m_logView = new MessageLogView(log, this);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_commands);
    split->addWidget(m_logView);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(warning);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_start, &QPushButton::clicked, this,
            [this] { Q_EMIT startRequested(m_duration->value()); });
    connect(m_stop, &QPushButton::clicked, this, &ProfilerPage::stopRequested);
    connect(m_commands, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        m_logView->filterByName(QString::fromUtf8(
            index.siblingAtColumn(0).data(TrafficStatsModel::NameBytesRole).toByteArray()));
    });
    connect(m_logView, &MessageLogView::cleared, commands, &TrafficStatsModel::clearCounts);
}

void ProfilerPage::setRunning(bool running)
{
    m_start->setEnabled(!running);
    m_duration->setEnabled(!running);
    m_stop->setEnabled(running);
}

void ProfilerPage::setProgress(const QString &text, bool problem)
{
    m_progress->setText(text);
    m_progress->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error) : QString());
}

} // namespace bd::ui
