#pragma once

#include <QDialog>
#include <QVariantMap>

class QDialogButtonBox;
class QFormLayout;
class QLabel;

namespace bd::ui {

// The values of one remote-control command (pool_grow's n, rate_limit's task and rate, …),
// asked for in a window-modal dialog that does not block (open()); accepted() when they are
// valid. Shutdown asks for the worker's hostname, typed: OK stays disabled until it matches.
class WorkerControlDialog : public QDialog
{
    Q_OBJECT

public:
    // knownTasks / knownQueues: offered in the task and queue fields (any text is allowed).
    WorkerControlDialog(const QString &method, const QStringList &workers,
                        const QStringList &knownTasks, const QStringList &knownQueues,
                        QWidget *parent = nullptr);

    const QString &method() const { return m_method; }
    // The command's arguments as Celery reads them (n, max/min, queue, task_name, …).
    QVariantMap arguments() const;
    // The values in words, for the confirmation: "n = 2", "tasks.add: 10/m".
    QString valuesText() const;
    // The methods this dialog knows, with their labels for menus.
    static QList<std::pair<QString, QString>> methods();
    static QString label(const QString &method);

private:
    void validate();

    QString m_method;
    QStringList m_workers;
    QFormLayout *m_form = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QHash<QString, QWidget *> m_fields; // by argument name
};

} // namespace bd::ui
