#include "cachepage.h"

#include "cache/namespacestatsmodel.h"
#include "common/tableviews.h"
#include "common/tones.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

namespace bd::ui {

using models::NamespaceStatsModel;

namespace {
constexpr int kChartPoints = 150; // five minutes at one sample every two seconds
}

CachePage::CachePage(models::NamespaceStatsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    m_depth = new QSpinBox(this);
    m_depth->setRange(1, 6);
    m_depth->setValue(1);
    m_depth->setPrefix(tr("depth "));
    m_depth->setToolTip(
        tr("How many separators deep a namespace goes (user: at 1, user:42: at 2)"));
    m_analyse = new QPushButton(tr("Analyse"), this);
    m_analyse->setObjectName(QStringLiteral("cacheAnalyse"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setEnabled(false);
    m_invalidate = new QPushButton(tr("Invalidate namespace…"), this);
    m_invalidate->setToolTip(
        tr("Delete every key of the selected namespace (dry run and confirmation first)"));
    m_invalidate->setEnabled(false);
    m_progress = new QLabel(
        tr("Reads every key's TTL (and samples memory) on a connection of its own."), this);
    m_progress->setObjectName(QStringLiteral("cacheProgress"));

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(NamespaceStatsModel::RawValueRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("cacheTable"));
    m_table->setModel(m_proxy);
    useFixedRowTable(m_table);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(NamespaceStatsModel::KeysColumn, Qt::DescendingOrder);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setDefaultSectionSize(64);
    m_table->setColumnWidth(NamespaceStatsModel::NamespaceColumn, 140);
    m_table->setColumnWidth(NamespaceStatsModel::ExpiringSoonColumn, 110);
    m_table->setColumnWidth(NamespaceStatsModel::MemoryColumn, 120);

    auto *chart = new QChart;
    chart->setTitle(tr("Hit ratio and expired / evicted keys"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_hitRatio = new QLineSeries(chart);
    m_hitRatio->setName(tr("hit ratio %"));
    m_expired = new QLineSeries(chart);
    m_expired->setName(tr("expired / s"));
    m_evicted = new QLineSeries(chart);
    m_evicted->setName(tr("evicted / s"));
    for (QLineSeries *s : {m_hitRatio, m_expired, m_evicted})
        chart->addSeries(s);
    m_timeAxis = new QDateTimeAxis(chart);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    auto *ratioAxis = new QValueAxis(chart);
    ratioAxis->setRange(0, 100);
    ratioAxis->setTitleText(tr("%"));
    m_rateAxis = new QValueAxis(chart);
    m_rateAxis->setRange(0, 10);
    m_rateAxis->setTitleText(tr("keys / s"));
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(ratioAxis, Qt::AlignLeft);
    chart->addAxis(m_rateAxis, Qt::AlignRight);
    for (QLineSeries *s : {m_hitRatio, m_expired, m_evicted})
        s->attachAxis(m_timeAxis);
    m_hitRatio->attachAxis(ratioAxis);
    m_expired->attachAxis(m_rateAxis);
    m_evicted->attachAxis(m_rateAxis);
    auto *chartView = new QChartView(chart, this);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(200);
    m_rates = new QLabel(this);
    m_rates->setObjectName(QStringLiteral("cacheRates"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_depth);
    bar->addWidget(m_analyse);
    bar->addWidget(m_stop);
    bar->addWidget(m_invalidate);
    bar->addWidget(m_progress, 1);
    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_rates);
    lowerLayout->addWidget(chartView, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    connect(m_analyse, &QPushButton::clicked, this,
            [this] { Q_EMIT analyseRequested(m_depth->value()); });
    connect(m_stop, &QPushButton::clicked, this, &CachePage::stopRequested);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { m_invalidate->setEnabled(current.isValid()); });
    connect(m_invalidate, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (!current.isValid())
            return;
        const QByteArray prefix =
            current.siblingAtColumn(0).data(NamespaceStatsModel::PrefixRole).toByteArray();
        Q_EMIT invalidateRequested(prefix.isEmpty() ? QString()
                                                    : QString::fromUtf8(prefix) + QLatin1Char('*'));
    });
}

QString CachePage::progressText() const
{
    return m_progress->text();
}

QString CachePage::ratesText() const
{
    return m_rates->text();
}

void CachePage::setProgress(const QString &text, bool error)
{
    m_progress->setText(text);
    m_progress->setStyleSheet(error ? models::toneStyleSheet(models::Tone::Error) : QString());
}

void CachePage::setAnalysing(bool running)
{
    m_analyse->setEnabled(!running);
    m_stop->setEnabled(running);
    m_depth->setEnabled(!running);
}

void CachePage::addRates(const connectors::CacheRates &rates)
{
    const qreal x = rates.at.toMSecsSinceEpoch();
    if (rates.hitRatio >= 0)
        m_hitRatio->append(x, rates.hitRatio * 100.0);
    m_expired->append(x, rates.expiredPerSecond);
    m_evicted->append(x, rates.evictedPerSecond);
    qreal top = 10;
    for (QLineSeries *s : {m_hitRatio, m_expired, m_evicted}) {
        while (s->count() > kChartPoints)
            s->remove(0);
    }
    for (QLineSeries *s : {m_expired, m_evicted}) {
        for (const QPointF &p : s->points())
            top = qMax(top, p.y() * 1.2);
    }
    m_rateAxis->setRange(0, top);
    const qreal first = m_expired->count() ? m_expired->at(0).x() : x;
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(qint64(first)),
                         QDateTime::fromMSecsSinceEpoch(qint64(qMax(x, first + 1000))));
    const qint64 lookups = rates.totalHits + rates.totalMisses;
    m_rates->setText(
        tr("Hit ratio: %1 now, %2 since the server started · expired %3/s · evicted %4/s")
            .arg(rates.hitRatio >= 0 ? QStringLiteral("%1%").arg(rates.hitRatio * 100, 0, 'f', 1)
                                     : tr("no lookups"))
            .arg(lookups > 0
                     ? QStringLiteral("%1%").arg(100.0 * rates.totalHits / lookups, 0, 'f', 1)
                     : tr("no lookups"))
            .arg(rates.expiredPerSecond, 0, 'f', 1)
            .arg(rates.evictedPerSecond, 0, 'f', 1));
}

void CachePage::setRatesUnavailable(const QString &why)
{
    m_rates->setText(tr("Server-wide figures unavailable: %1").arg(why));
}

void CachePage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    Q_EMIT shownChanged(true);
}

void CachePage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    Q_EMIT shownChanged(false);
}

} // namespace bd::ui
