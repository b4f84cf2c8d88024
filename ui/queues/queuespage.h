#pragma once

#include "queues/queuemessagesmodel.h"

#include <QByteArray>
#include <QWidget>

class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QValueAxis;

namespace bd::models {
class QueueListModel;
} // namespace bd::models

namespace bd::ui {

// The Queues page: every Celery queue with its depth per priority, its change per second and
// a graph of its depth; the selected queue's messages in the order workers take them, decoded
// (task, id, args, kwargs, ETA, expiry, retries, priority, content type, size, origin), and
// the whole envelope of the selected message; delete, move, purge (confirmed) and export.
class QueuesPage : public QWidget
{
    Q_OBJECT

public:
    QueuesPage(models::QueueListModel *queues, models::QueueMessagesModel *messages,
               QWidget *parent = nullptr);

    QByteArray selectedQueue() const { return m_selected; }
    void selectQueue(const QByteArray &name);
    void setStatus(const QString &text, bool problem);
    // What the last action on a queue did (kept while the readings go on).
    void setActionResult(const QString &text, bool problem);
    // Read-only profiles: the actions that change a queue are disabled (and refused below).
    void setReadOnly(bool readOnly);
    // The selected messages (those loaded): moved after the operator confirms, or exported.
    // Move… and Export… ask for the queue and the file, then call these.
    void moveSelectedTo(const QByteArray &queue);
    void exportSelectedTo(const QString &path);

Q_SIGNALS:
    void queueSelected(const QByteArray &name);
    void addQueueRequested(const QByteArray &name);
    void refreshRequested();
    // Asked after the operator confirmed, naming what it touches.
    void purgeRequested(const QByteArray &queue, qint64 depth);
    void deleteRequested(const QByteArray &queue, int step, const QByteArray &message,
                         const QString &taskId);
    void moveRequested(const QByteArray &from, const QByteArray &to,
                       const QList<bd::models::QueuedMessage> &messages);
    // notLoaded: selected rows left out because they are not loaded (said in the result).
    void exportRequested(const QString &path, const QByteArray &queue,
                         const QList<bd::models::QueuedMessage> &messages, int notLoaded);
    void shownChanged(bool shown);
    // Run task… for the selected queue (empty when none is selected).
    void runTaskRequested(const QByteArray &queue);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void showMessage(const QModelIndex &index);
    void askPurge();
    void askDelete();
    void askMove();
    void askExport();
    QList<models::QueuedMessage> selectedMessages(int *notLoaded) const;
    void updateActions();
    void updateChart();

    models::QueueListModel *m_queues;       // Not owned.
    models::QueueMessagesModel *m_messages; // Not owned.
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_queueTable = nullptr;
    QTableView *m_messageTable = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    bool m_detailWaiting =
        false; // the current message was not loaded when shown: show it when it is
    QLabel *m_status = nullptr;
    QLabel *m_contentsNote = nullptr;
    QLineEdit *m_addEdit = nullptr;
    QWidget *m_chart = nullptr; // a QChartView
    // The depth chart's one series and axes, owned by the chart.
    QLineSeries *m_depthSeries = nullptr;
    QDateTimeAxis *m_depthTime = nullptr;
    QValueAxis *m_depthValue = nullptr;
    QByteArray m_selected;
    QLabel *m_actionResult = nullptr;
    QPushButton *m_purge = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_move = nullptr;
    QPushButton *m_export = nullptr;
    bool m_readOnly = false;
};

} // namespace bd::ui
