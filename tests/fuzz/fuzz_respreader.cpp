// libFuzzer target: bytes from a Redis server (or anything pretending to be one) through the
// RESP reader, and every reply it yields through the formatters that display it: the
// console's redis-cli text, --raw, and the CLI's --json output (toJson, then jsonToBytes, as
// CliContext::finishWithJson prints it).
// Must never crash, hang, or throw.
#include "codec/untrustedjson.h"
#include "redis/replyformatter.h"
#include "redis/respreader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace bd::connectors;
    if (size == 0)
        return 0;
    // The first byte chooses where the stream is split, as reads split it on a socket.
    const size_t cut = data[0] % size;
    const char *bytes = reinterpret_cast<const char *>(data + 1);
    const size_t length = size - 1;
    const size_t first = cut < length ? cut : length;

    RespReader reader;
    RedisReply reply;
    int replies = 0;
    const auto drain = [&] {
        for (;;) {
            const RespReader::Result r = reader.next(&reply);
            if (r != RespReader::Result::Reply)
                return r;
            ++replies;
            const QString text = ReplyFormatter::toCliText(reply, {1000, 4096});
            const QByteArray raw = ReplyFormatter::toRaw(reply);
            const QByteArray json = jsonToBytes(ReplyFormatter::toJson(reply));
            (void)text;
            (void)raw;
            (void)json;
        }
    };
    reader.feed(bytes, static_cast<qsizetype>(first));
    if (drain() == RespReader::Result::ProtocolError)
        return 0;
    reader.feed(bytes + first, static_cast<qsizetype>(length - first));
    drain();
    return 0;
}
