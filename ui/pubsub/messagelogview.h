#pragma once

#include "pubsub/messagelogmodel.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTimer;

namespace bd::ui {

// A live message table with what both the Pub/Sub page and the profiler need: filters by
// name (channel or command) and by text that apply without stopping the capture, pause
// (the view freezes, "N new" counts on), clear, follow-tail (off as soon as the operator
// scrolls up), the ring's size, export to JSON Lines or CSV, the counts that are never
// hidden (dropped from the view, lost, gaps), and a detail pane for the selected row.
class MessageLogView : public QWidget
{
    Q_OBJECT

public:
    explicit MessageLogView(models::MessageLogModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    models::MessageLogModel *model() const { return m_model; }
    // Sets the name filter (a channel picked in the channel list, a command in the counts).
    void filterByName(const QString &name);
    bool isFollowing() const;
    // Writes the capture (visibleOnly: the rows the filter shows) to path, on a pool thread
    // (the rows are taken now); exported() and the note under the log say how it went. One
    // export at a time: the button waits for it.
    void exportTo(const QString &path, models::MessageLogModel::ExportFormat format,
                  bool visibleOnly);
    QString statusText() const;

Q_SIGNALS:
    // rows < 0: not written (error says why).
    void exported(qint64 rows, const QString &path, const QString &error);
    void cleared();

private:
    void applyFilter();
    void updateStatus();
    void showDetail(const QModelIndex &current);
    void askExport(models::MessageLogModel::ExportFormat format, bool visibleOnly);
    void onRowsInserted();

    models::MessageLogModel *m_model; // Not owned.
    QLineEdit *m_nameFilter = nullptr;
    QLineEdit *m_textFilter = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_clear = nullptr;
    QCheckBox *m_follow = nullptr;
    QSpinBox *m_capacity = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_exportNote = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_detailSummary = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    QPlainTextEdit *m_detailText = nullptr;
    QPlainTextEdit *m_detailHex = nullptr;
    QPlainTextEdit *m_detailEnvelope = nullptr;
    QTimer *m_filterDelay = nullptr; // Owned.
    bool m_scrolling = false;        // a scroll this view makes (follow), not the operator's
};

} // namespace bd::ui
