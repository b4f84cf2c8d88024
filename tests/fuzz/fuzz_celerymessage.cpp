// libFuzzer target: a list element or PUBLISH payload (anything a broker hands over) through
// the kombu envelope, Celery task, event, remote-control and result decoders, and a MONITOR
// line through its parser.
// Must never crash, hang, or throw.
#include "celery/celeryevent.h"
#include "celery/celeryresultfollower.h"
#include "celery/celerytaskmessage.h"
#include "codec/untrustedjson.h"
#include "redis/monitorline.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace bd::connectors;
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const CeleryTaskMessage m = decodeCeleryTaskMessage(bytes);
    // What the views do with a decoded message: dump its JSON parts.
    const QByteArray parts = jsonToBytes(m.args) + jsonToBytes(m.kwargs)
                             + jsonToBytes(m.envelope.headers, 2)
                             + jsonToBytes(m.envelope.bodyJson, 2);
    (void)parts;
    // The same bytes as an event publish, a remote-control message and a stored result.
    // The hot event decoder (simdjson) answers as the reference does, or the target stops.
    const CeleryEventBatch events = decodeCeleryEvents(bytes);
    if (!(events == decodeCeleryEventsReference(bytes)))
        std::abort();
    // Appended to a list that holds events already (as the broker decodes a batch): those
    // stay, the payload's follow.
    static const QList<CeleryEvent> earlier =
        decodeCeleryEvents(
            QByteArrayLiteral(R"([{"type": "task-started", "uuid": "u", "hostname": "w"}])"))
            .events;
    QList<CeleryEvent> appended = earlier;
    QString error;
    const bool ok = appendCeleryEvents(bytes, &appended, &error);
    if (ok != events.ok || (!ok && error != events.error) || appended != earlier + events.events)
        std::abort();
    const PidboxMessage pidbox = decodePidboxMessage(bytes);
    (void)jsonToBytes(pidbox.answer);
    const CeleryTaskResult result = CeleryTaskResult::parse(QStringLiteral("id"), bytes);
    (void)jsonToBytes(result.result);
    const MonitorLine line = parseMonitorLine(bytes);
    (void)line;
    return 0;
}
