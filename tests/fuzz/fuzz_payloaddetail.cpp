// libFuzzer target: a pub/sub payload or queue message through what the detail panes show
// of it (text, hex, a decoded kombu envelope) and the one-line envelope summary.
// Must never crash, hang or throw.
#include "pubsub/payloaddetail.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const bd::models::PayloadDetail detail = bd::models::describePayload(bytes);
    (void)detail;
    (void)bd::models::envelopeSummary(bytes);
    return 0;
}
