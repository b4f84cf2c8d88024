#pragma once

#include "celery/taskcatalog.h"
#include "queues/taskdraft.h"

#include <QDialog>

class QComboBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStringListModel;

namespace bd::ui {

// Run task: a task by name (completed from the catalog and from names seen in queues), its
// args and kwargs as JSON checked as they are typed, its queue, priority, countdown or ETA
// and expiry, and a preview of the exact message Send pushes. The task id is chosen when the
// dialog opens and kept: the message previewed is the message sent. Send is pressed once:
// the dialog waits for the broker's answer (sent, or not) and never sends again by itself.
class RunTaskDialog : public QDialog
{
    Q_OBJECT

public:
    explicit RunTaskDialog(QWidget *parent = nullptr);

    // The catalog's tasks (their descriptions and defaults) and the other names to complete.
    void setCatalog(const QList<connectors::CatalogTask> &catalog, const QStringList &seenNames);
    void setQueues(const QStringList &queues);
    // The queue to send to (one of setQueues' or another).
    void setQueue(const QString &queue);
    void setKeyPrefix(const QByteArray &prefix);
    // Read-only profiles: the dialog shows the message, Send stays disabled.
    void setReadOnly(bool readOnly);
    // Fills in a catalogued task's queue, args and kwargs (or just the name).
    void chooseTask(const QString &name);

    QString taskId() const { return m_form.id; }
    models::TaskForm form() const;
    const models::TaskDraft &draft() const { return m_draft; }

    // The broker's answer to the send: the dialog closes when sent. When not, a message that
    // surely did not leave lets the operator send again; one that may have arrived does not.
    void sendFinished(bool sent, const QString &problem, bool mayHaveArrived);

Q_SIGNALS:
    // Send was pressed: the draft, encoded just now, is to be pushed once.
    void sendRequested(const bd::models::TaskDraft &draft);

private:
    void redraft();
    void send();
    void updateSend();

    QList<connectors::CatalogTask> m_catalog;
    models::TaskForm m_form;
    models::TaskDraft m_draft;
    QByteArray m_keyPrefix;
    bool m_readOnly = false;
    bool m_sending = false;
    bool m_blocked = false; // an unknown outcome: no second send from this dialog

    QLineEdit *m_task = nullptr;
    QStringListModel *m_names = nullptr;
    QLabel *m_description = nullptr;
    QPlainTextEdit *m_args = nullptr;
    QLabel *m_argsError = nullptr;
    QPlainTextEdit *m_kwargs = nullptr;
    QLabel *m_kwargsError = nullptr;
    QComboBox *m_queue = nullptr;
    QSpinBox *m_priority = nullptr;
    QComboBox *m_when = nullptr;
    QDoubleSpinBox *m_countdown = nullptr;
    QDateTimeEdit *m_eta = nullptr;
    QDoubleSpinBox *m_expires = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_send = nullptr;
};

} // namespace bd::ui
