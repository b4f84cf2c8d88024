// libFuzzer target: the one gate for untrusted JSON and MessagePack, and the printers.
// Must never crash, hang or throw; what it accepts is never deeper than its cap, prints, and
// reads back as the same value.
#include "codec/untrustedjson.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace bd::connectors;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto json = parseUntrustedJson(bytes);
    const auto ordered = parseUntrustedOrderedJson(bytes);
    if (json.ok() != ordered.ok() || json.error.offset != ordered.error.offset)
        std::abort(); // the two flavours are one gate
    if (json.ok()) {
        // What was accepted prints, and the print reads back as the same value.
        const QByteArray compact = jsonToBytes(json.value);
        const auto again = parseUntrustedJson(compact);
        if (!again.ok() || again.value != json.value)
            std::abort();
        (void)jsonToText(ordered.value, 2);
    } else if (json.error.line < 1 || json.error.column < 1 || json.error.reason.isEmpty()) {
        std::abort(); // an error always says where and why
    }
    const auto msgpack = parseUntrustedMessagePack(bytes);
    if (msgpack.ok()) {
        (void)jsonToText(msgpack.value, 2);
        (void)jsonToBytes(msgpack.value);
    } else if (msgpack.error.reason.isEmpty()) {
        std::abort();
    }
    return 0;
}
