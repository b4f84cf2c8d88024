#pragma once

#include "redis/cachestats.h"

#include <QWidget>

class QLabel;
class QLineSeries;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QValueAxis;
class QDateTimeAxis;

namespace bd::models {
class NamespaceStatsModel;
}

namespace bd::ui {

// The Cache page: the keyspace seen as a cache. Per namespace (at a chosen depth): keys, share
// with a TTL, TTL distribution, keys expiring soon, sampled memory, and keys without a TTL
// flagged where most keys have one. Server-wide: hit ratio and expired/evicted keys per second,
// drawn over time. Asks through signals; the app runs the analysis.
class CachePage : public QWidget
{
    Q_OBJECT

public:
    explicit CachePage(models::NamespaceStatsModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QString progressText() const;
    QString ratesText() const;

    void setProgress(const QString &text, bool error = false);
    void setAnalysing(bool running);
    void addRates(const connectors::CacheRates &rates);
    void setRatesUnavailable(const QString &why);

Q_SIGNALS:
    void analyseRequested(int depth);
    void stopRequested();
    // "Invalidate this namespace": the bulk delete, pre-filled with prefix + "*".
    void invalidateRequested(const QString &pattern);
    void shownChanged(bool shown);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    models::NamespaceStatsModel *m_model; // Not owned.
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QSpinBox *m_depth = nullptr;
    QPushButton *m_analyse = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_invalidate = nullptr;
    QLabel *m_progress = nullptr;
    QLabel *m_rates = nullptr;
    QLineSeries *m_hitRatio = nullptr;
    QLineSeries *m_expired = nullptr;
    QLineSeries *m_evicted = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_rateAxis = nullptr;
};

} // namespace bd::ui
