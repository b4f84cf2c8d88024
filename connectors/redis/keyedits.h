#pragma once

#include "keydetails.h"
#include "rediserror.h"

#include <QByteArray>
#include <QList>
#include <QObject>

#include <functional>

namespace bd::connectors {

class RedisClient;

// The commands that change collections from the key detail pane. None of them overwrites
// what the operator did not name: a new hash field uses HSETNX, a new zset member ZADD NX,
// and an add to a list uses LPUSHX/RPUSHX so a list deleted meanwhile is not re-created.
namespace keyedits {

// The command that adds item to an existing key of item.type; empty for an unknown type.
QList<QByteArray> addCommand(const QByteArray &key, const NewItem &item);
// The command that removes these items (fields, members, stream ids) from key; for a list,
// items must be one of "first"/"last" and the command pops that end.
QList<QByteArray> removeCommand(const QByteArray &key, const QByteArray &type, const QList<QByteArray> &items);

// Creates key holding item, with a TTL when ttlMs > 0, only if no key of that name exists:
// strings with SET NX, the other types with WATCH, EXISTS, then MULTI/EXEC (EXEC fails if the
// key appeared meanwhile). The handler gets created = false and no error when the key exists.
using CreateHandler = std::function<void(bool created, const RedisError &error)>;
void createKey(RedisClient *client, const QByteArray &key, const NewItem &item, qint64 ttlMs,
               const QObject *context, CreateHandler handler);

} // namespace keyedits

} // namespace bd::connectors
