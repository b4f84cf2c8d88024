#pragma once

#include <QVariantMap>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;
class QTabWidget;
class QToolButton;
class QTreeView;

namespace bd::connectors {
struct CeleryControlReply;
}
namespace bd::models {
class WorkerListModel;
}

namespace bd::ui {

// The Workers page: every worker with its state (online by heartbeat, offline greyed with
// "last seen", not answering), its pool, counts, load and queues; the selected one's
// registered tasks, active, reserved and scheduled tasks, revoked ids, stats and conf. The
// controls act on the selected workers or on all, each asked for its values and confirmed
// naming the workers; the replies of every worker are shown. Inspection runs while the page is
// shown (the controller's timer): shown() and hidden() say when.
class WorkersPage : public QWidget
{
    Q_OBJECT

public:
    explicit WorkersPage(models::WorkerListModel *workers, QWidget *parent = nullptr);

    void setReadOnly(bool readOnly);
    // The inspection state: when it last completed, or a problem.
    void setStatus(const QString &text, bool problem);
    // A control's outcome: one line per worker ("ok", its error, or "did not answer").
    void showReplies(const QString &title, const QStringList &lines, bool problem);
    // The details of the selected worker are built again (after an inspection).
    void refreshDetails();
    QStringList selectedWorkers() const;
    QTableView *table() const { return m_table; }

Q_SIGNALS:
    void shown();
    void hidden();
    void refreshRequested();
    // A control, its values and confirmation given; workers empty: all of them.
    void controlRequested(const QString &method, const QVariantMap &arguments,
                          const QStringList &workers);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void requestControl(const QString &method, bool all);
    void confirm(const QString &method, const QVariantMap &arguments, const QStringList &workers,
                 const QString &values, bool all);
    QStringList allWorkers() const;
    QStringList knownTasks() const;
    QStringList knownQueues() const;
    void updateActions();

    models::WorkerListModel *m_workers; // Not owned.
    QSortFilterProxyModel *m_sorted = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_refresh = nullptr;
    QToolButton *m_controlSelected = nullptr;
    QToolButton *m_controlAll = nullptr;
    QLabel *m_status = nullptr;
    QTabWidget *m_details = nullptr;
    QStandardItemModel *m_registered = nullptr;
    QStandardItemModel *m_active = nullptr;
    QStandardItemModel *m_reserved = nullptr;
    QStandardItemModel *m_scheduled = nullptr;
    QStandardItemModel *m_revoked = nullptr;
    QTreeView *m_stats = nullptr;
    QTreeView *m_conf = nullptr;
    QPlainTextEdit *m_replies = nullptr;
    QLabel *m_detailNote = nullptr;
    bool m_readOnly = false;
    bool m_sizedToContents = false;
};

} // namespace bd::ui
