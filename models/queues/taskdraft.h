#pragma once

#include "celery/celerytaskencoder.h"

#include <QDateTime>
#include <QString>

namespace bd::models {

// What the Run task dialog holds, as the operator typed it.
struct TaskForm
{
    QString task;
    QString args = QStringLiteral("[]");   // a JSON array
    QString kwargs = QStringLiteral("{}"); // a JSON object
    QString queue = QStringLiteral("celery");
    int priority = 0;
    enum class When { Now, Countdown, Eta } when = When::Now;
    double countdownS = 0;
    QDateTime eta;       // with its offset
    double expiresS = 0; // after sending; 0: never
    QString id;          // the task id, fixed for the dialog's life
};

// The form checked and turned into the exact message to send, or the reasons it cannot be.
struct TaskDraft
{
    QString argsError;   // args is not a JSON array (with line and column)
    QString kwargsError; // kwargs is not a JSON object
    QString error;       // anything else: the encoder's refusal (celery.md §3.3), a field
    connectors::CeleryTaskRequest request;
    connectors::EncodedCeleryTask encoded;
    QString preview; // the command, the envelope pretty-printed and its decoded body

    bool ok() const
    {
        return encoded.ok && argsError.isEmpty() && kwargsError.isEmpty() && error.isEmpty();
    }
};

// keyPrefix: the broker's global_keyprefix; now: the time countdown and expires count from.
TaskDraft draftTask(const TaskForm &form, const QByteArray &keyPrefix, const QDateTime &now);

} // namespace bd::models
