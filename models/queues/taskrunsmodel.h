#pragma once

#include "celery/celeryresultfollower.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace bd::models {

// A task the operator sent from this window, and what became of it.
struct TaskRun
{
    QString id;
    QString task;
    QString label; // the catalog action that sent it ("Refresh employees"), or empty
    QString queue;
    QDateTime sentAt;
    // SENDING (not confirmed by the broker yet), NOT SENT, then the result backend's states:
    // PENDING, RECEIVED, STARTED, RETRY, SUCCESS, FAILURE, REVOKED.
    QString status = QStringLiteral("SENDING");
    QString summary;    // the result, the exception, or what went wrong
    QString resultText; // the stored result, pretty-printed
    QString traceback;
    QString dateDone;
    QString problem; // the broker or the result backend could not be read
    bool final = false;
};

// The tasks sent from this window, newest first, their states followed live. Bounded: the
// oldest finished runs go beyond kMaxRuns.
class TaskRunsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        SentColumn,
        TaskColumn,
        StateColumn,
        QueueColumn,
        IdColumn,
        ResultColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole, FinalRole };
    static constexpr int kMaxRuns = 500;

    explicit TaskRunsModel(QObject *parent = nullptr);

    void addRun(const TaskRun &run);
    // The broker took the message: PENDING until a worker says more.
    void setSent(const QString &id);
    // The message was not sent (or its fate is unknown: problem says which).
    void setNotSent(const QString &id, const QString &problem);
    void setResult(const connectors::CeleryTaskResult &result);
    // The result backend cannot be read now; the state shown is the last one known.
    void setProblem(const QString &id, const QString &problem);

    int rowOf(const QString &id) const;
    const TaskRun *runAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    // A run changed (its row is dataChanged too): the detail pane follows it.
    void runChanged(const QString &id);

private:
    void changed(int row);

    QList<TaskRun> m_runs; // newest first
};

} // namespace bd::models
