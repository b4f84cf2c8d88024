#pragma once

#include "celery/taskcatalog.h"

#include <QHash>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTabWidget;

namespace bd::models {
class AuditLogModel;
class TaskRunsModel;
} // namespace bd::models

namespace bd::ui {

// The Tasks page: Run task… and the catalog's one-click data refreshes; the tasks sent from
// this window with their states followed live (the selected one's result or traceback in
// full); and the audit log of every change made to the broker.
class TasksPage : public QWidget
{
    Q_OBJECT

public:
    TasksPage(models::TaskRunsModel *runs, models::AuditLogModel *audit, QWidget *parent = nullptr);

    // The one-click actions: a button per catalogued task with a label.
    void setActions(const QList<connectors::CatalogTask> &actions);
    // An action's message is on its way: its button waits for the broker's answer.
    void setActionBusy(const QString &task, bool busy);
    void setReadOnly(bool readOnly);
    void setStatus(const QString &text, bool problem);
    void selectRun(const QString &id);
    void setAuditNote(const QString &text, bool problem);
    void showAuditLog();
    // The tasks timeline (every task seen in events), as the first tab.
    void addTimeline(QWidget *timeline);

Q_SIGNALS:
    void runTaskRequested();
    void actionRequested(const QString &task);
    void auditReloadRequested();

private:
    void showRun();
    void updateActions();

    models::TaskRunsModel *m_runs;  // Not owned.
    models::AuditLogModel *m_audit; // Not owned.
    QPushButton *m_runTask = nullptr;
    QHBoxLayout *m_actionBar = nullptr;
    QHash<QString, QPushButton *> m_actionButtons; // by task name
    QHash<QString, bool> m_busy;
    QLabel *m_status = nullptr;
    QTabWidget *m_tabs = nullptr;
    QWidget *m_runsTab = nullptr;
    QWidget *m_auditTab = nullptr;
    QTableView *m_runTable = nullptr;
    QPlainTextEdit *m_runDetail = nullptr;
    QTableView *m_auditTable = nullptr;
    QLabel *m_auditNote = nullptr;
    bool m_readOnly = false;
};

} // namespace bd::ui
