#pragma once

#include <QSortFilterProxyModel>

namespace bd::models {

// The timeline's filters: state, task name, worker, a time range and text in the args,
// kwargs, result, exception or traceback. The order stays the timeline's (newest first), and
// new tasks are filtered as they arrive: ingest never stops for a filter.
class TimelineFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setState(const QString &state); // empty: any
    void setName(const QString &text);   // part of the task's name
    void setWorker(const QString &text); // part of the worker's name
    void setText(const QString &text);   // in args, kwargs, result, exception, traceback
    // Only tasks received (or sent) at or after this time, epoch seconds; 0: any.
    void setSince(double epochSeconds);
    bool isFiltering() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_state, m_name, m_worker, m_text;
    double m_since = 0;
};

} // namespace bd::models
