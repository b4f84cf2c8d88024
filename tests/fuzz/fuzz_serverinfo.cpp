// libFuzzer target: an INFO reply, as the status bar, the cache page and the db switcher
// read it. Must never crash, hang or throw.
#include "redis/serverinfo.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using bd::connectors::ServerInfo;
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const ServerInfo info = ServerInfo::parse(bytes);
    (void)info.version();
    (void)info.role();
    for (const char *field : {"used_memory", "keyspace_hits", "keyspace_misses", "expired_keys",
                              "evicted_keys", "connected_clients", "uptime_in_seconds", "db0"})
        (void)info.integer(QString::fromLatin1(field));
    return 0;
}
