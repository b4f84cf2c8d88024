#pragma once

#include "celery/kombuenvelope.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace bd::connectors {

// A task to run after this one (a chain's next step, a chord's callback, a link): the
// serialized signature as Celery embeds it (celery.md §3.1).
struct TaskSignature
{
    QString task;
    QString taskId; // options.task_id, when set
    nlohmann::json args = nlohmann::json::array();
    nlohmann::json kwargs = nlohmann::json::object();
    bool immutable = false;
};

// A Celery task message decoded from a queue element (celery.md §2-3): protocol 2 (headers
// carry the task) or 1 (the body does). Never throws; what cannot be read is said in error or
// bodyError, with the envelope (and so the raw body) kept.
struct CeleryTaskMessage
{
    bool isTask = false; // a kombu envelope carrying a Celery task (v1 or v2)
    QString error;       // why not (not an envelope, no task name, ...)
    int protocol = 0;    // 1 or 2

    QString task;   // registered name
    QString shadow; // display name, when the producer set one
    QString id;
    QString rootId;
    QString parentId;
    QString group;
    std::optional<qint64> groupIndex;
    qint64 retries = 0;
    QString eta;              // ISO 8601 as written, empty when none
    QString expires;          // ISO 8601 as written, empty when none
    nlohmann::json timelimit; // [hard, soft] or null
    QString origin;
    bool ignoreResult = false;

    // Arguments: decoded when the body could be (JSON, msgpack; v1 bodies too), else only the
    // producer's repr (v2 headers, any serializer: pickle stays unread).
    bool argsDecoded = false;
    nlohmann::json args = nlohmann::json::array();
    nlohmann::json kwargs = nlohmann::json::object();
    QString argsRepr;
    QString kwargsRepr;

    QList<TaskSignature> nextSteps; // a chain's, the next one first
    std::optional<TaskSignature> chordCallback;
    QList<TaskSignature> callbacks;
    QList<TaskSignature> errbacks;

    qint64 priority = 0;
    QString exchange;
    QString routingKey;
    QString deliveryTag;
    QString bodyError; // the body did not decode (the envelope's reason)

    // The envelope as decoded; for a protocol-2 task its body's args and kwargs have been moved
    // into args and kwargs above.
    KombuEnvelope envelope;
};

CeleryTaskMessage decodeCeleryTaskMessage(const QByteArray &payload);

} // namespace bd::connectors
