// libFuzzer target: a list element or PUBLISH payload (anything a broker hands over) through
// the kombu envelope, Celery task, event, remote-control and result decoders, and a MONITOR
// line through its parser.
// Must never crash, hang, or throw.
#include "celery/celeryevent.h"
#include "celery/celeryresultfollower.h"
#include "celery/celerytaskmessage.h"
#include "redis/monitorline.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace bd::connectors;
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const CeleryTaskMessage m = decodeCeleryTaskMessage(bytes);
    // What the views do with a decoded message: dump its JSON parts.
    const std::string parts = m.args.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                              + m.kwargs.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                              + m.envelope.headers.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                              + m.envelope.bodyJson.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    (void)parts;
    // The same bytes as an event publish, a remote-control message and a stored result.
    const CeleryEventBatch events = decodeCeleryEvents(bytes);
    for (const CeleryEvent &e : events.events)
        (void)e.fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const PidboxMessage pidbox = decodePidboxMessage(bytes);
    (void)pidbox.answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const CeleryTaskResult result = CeleryTaskResult::parse(QStringLiteral("id"), bytes);
    (void)result.result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const MonitorLine line = parseMonitorLine(bytes);
    (void)line;
    return 0;
}
