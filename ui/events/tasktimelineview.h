#pragma once

#include "events/taskstatistics.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QTabWidget;

namespace bd::models {
class TaskTimelineModel;
class TimelineFilter;
} // namespace bd::models

namespace bd::ui {

// The tasks timeline: every task seen in events, newest first, with filters that never stop
// ingest; the selected task's whole event history and, read when it is selected, its result
// backend record; revoke (with terminate) for the selected tasks; per-task statistics over
// the last hour.
class TaskTimelineView : public QWidget
{
    Q_OBJECT

public:
    explicit TaskTimelineView(models::TaskTimelineModel *timeline, QWidget *parent = nullptr);

    void setReadOnly(bool readOnly);
    // Counts, the store's state, gaps: one line under the filters.
    void setStatus(const QString &text, bool problem);
    // The selected task's result backend record, as text (or why it could not be read).
    void showBackendRecord(const QString &uuid, const QString &text);
    // Where Brokerdesk saw the selected task's message (a queue's page, sent from here), as text.
    void showQueueMessage(const QString &uuid, const QString &text);
    void showStatistics(const QList<models::TaskNameStatistics> &statistics);
    // The detail of the selected task is written again (its events changed).
    void refreshDetail();
    QStringList selectedTasks() const;
    QTableView *table() const { return m_table; }
    models::TimelineFilter *filter() const { return m_filter; }

Q_SIGNALS:
    void taskSelected(const QString &uuid);
    void revokeRequested(const QStringList &uuids, bool terminate, const QString &signal);
    void statisticsRequested();

private:
    void applyFilters();
    void askRevoke(bool terminate);

    models::TaskTimelineModel *m_timeline; // Not owned.
    models::TimelineFilter *m_filter = nullptr;
    QComboBox *m_state = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_worker = nullptr;
    QLineEdit *m_text = nullptr;
    QComboBox *m_range = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_table = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QPushButton *m_revoke = nullptr;
    QPushButton *m_terminate = nullptr;
    QComboBox *m_signal = nullptr;
    QTableWidget *m_statistics = nullptr;
    QString m_shownUuid;
    QString m_backendUuid;
    QString m_backendText;
    QString m_queueUuid;
    QString m_queueText;
    bool m_readOnly = false;
};

} // namespace bd::ui
