// libFuzzer target: an INFO reply, as the status bar, the cache page and the db switcher
// read it. Must never crash, hang or throw.
#include "redis/serverinfo.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using bd::connectors::ServerInfo;
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const ServerInfo info = ServerInfo::parse(bytes);
    (void)info.version();
    (void)info.role();
    for (const char *field : {"used_memory", "keyspace_hits", "keyspace_misses", "expired_keys",
                              "evicted_keys", "connected_clients", "uptime_in_seconds"})
        (void)info.integer(QString::fromLatin1(field));
    // The Keyspace section, as the db switcher reads it: counts are never negative.
    const auto keyspace = info.keyspace();
    for (auto it = keyspace.cbegin(); it != keyspace.cend(); ++it)
        if (it.key() < 0 || it->keys < 0 || it->expires < 0 || it->avgTtlMs < 0)
            std::abort();
    return 0;
}
