// libFuzzer target: a list element or PUBLISH payload (anything a broker hands over) through
// the kombu envelope and Celery task decoders, and a MONITOR line through its parser.
// Must never crash, hang, or throw.
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
    const MonitorLine line = parseMonitorLine(bytes);
    (void)line;
    return 0;
}
