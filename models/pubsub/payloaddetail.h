#pragma once

#include <QByteArray>
#include <QString>

namespace bd::models {

// What the detail pane of the Pub/Sub page shows of one payload. Built for the one message
// the operator opens, never for rows in bulk.
struct PayloadDetail
{
    QString text;     // UTF-8 text, pretty JSON, or a hex dump when the bytes are not text
    QString textNote; // "JSON object", "binary: 12 bytes", ...
    QString hex;      // every byte (up to kMaxHexBytes)
    bool isEnvelope = false;
    QString
        envelopeSummary; // "Celery event: task-succeeded ×3 from w1@vm", "Task tasks.add [id]", ...
    QString envelope;    // the envelope's fields and its decoded body, as text
};

PayloadDetail describePayload(const QByteArray &payload);

// The one-line summary of a kombu envelope ("Celery event: task-succeeded from w1@vm"), or an
// empty string when the payload is not one. Cheap on other payloads (a look at the first bytes).
QString envelopeSummary(const QByteArray &payload);

} // namespace bd::models
