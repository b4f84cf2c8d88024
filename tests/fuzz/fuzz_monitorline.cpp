// libFuzzer target: one line of MONITOR output (the profiler's input).
// Must never crash, hang or throw; a line that parses has a command and a sane time.
#include "redis/monitorline.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const bd::connectors::MonitorLine line = bd::connectors::parseMonitorLine(bytes);
    if (line.ok && (line.args.isEmpty() || line.timeUs < 0))
        std::abort();
    return 0;
}
