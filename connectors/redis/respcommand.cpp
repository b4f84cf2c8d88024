#include "respcommand.h"

#include <hiredis/hiredis.h>

#include <vector>

namespace bd::connectors {

void appendEncodedCommand(QByteArray &out, const QList<QByteArray> &args)
{
    if (args.isEmpty())
        return;
    // Small commands (the common case) use stack arrays; big ones (MSET of thousands) the heap.
    constexpr qsizetype kInline = 16;
    const char *argvInline[kInline];
    size_t lenInline[kInline];
    std::vector<const char *> argvHeap;
    std::vector<size_t> lenHeap;
    const char **argv = argvInline;
    size_t *lens = lenInline;
    if (args.size() > kInline) {
        argvHeap.resize(static_cast<size_t>(args.size()));
        lenHeap.resize(static_cast<size_t>(args.size()));
        argv = argvHeap.data();
        lens = lenHeap.data();
    }
    for (qsizetype i = 0; i < args.size(); ++i) {
        argv[i] = args[i].constData();
        lens[i] = static_cast<size_t>(args[i].size());
    }
    char *target = nullptr;
    const int len = redisFormatCommandArgv(&target, static_cast<int>(args.size()), argv, lens);
    if (len > 0 && target)
        out.append(target, len);
    redisFreeCommand(target);
}

QByteArray encodeCommand(const QList<QByteArray> &args)
{
    QByteArray out;
    appendEncodedCommand(out, args);
    return out;
}

QByteArray commandName(const QList<QByteArray> &args)
{
    return args.isEmpty() ? QByteArray() : args.first().toUpper();
}

} // namespace bd::connectors
