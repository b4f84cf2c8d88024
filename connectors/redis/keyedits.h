#pragma once

#include "keydetails.h"
#include "rediserror.h"
#include "redisreply.h"

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
QList<QByteArray> removeCommand(const QByteArray &key, const QByteArray &type,
                                const QList<QByteArray> &items);

// Single changes from the detail pane. None re-creates a key deleted meanwhile, and none
// touches what the operator did not name.
QList<QByteArray> setTtlCommand(const QByteArray &key, qint64 ms); // PEXPIRE
QList<QByteArray> persistCommand(const QByteArray &key);           // PERSIST
QList<QByteArray> setHashFieldCommand(const QByteArray &key, const QByteArray &field,
                                      const QByteArray &value); // HSET of that field
QList<QByteArray> setListElementCommand(const QByteArray &key, qint64 index,
                                        const QByteArray &value); // LSET
// ZADD XX: only an existing member's score; a member removed meanwhile is not re-added.
QList<QByteArray> setZsetScoreCommand(const QByteArray &key, const QByteArray &member,
                                      const QByteArray &score);
// UNLINK: the memory is freed in the background, so a big key never blocks the server.
QList<QByteArray> deleteCommand(const QByteArray &key);
// RENAMENX: never overwrites a key the operator did not name. The reply is 0 when newKey exists.
QList<QByteArray> renameCommand(const QByteArray &key, const QByteArray &newKey);

// Sends one of these changes. A server without UNLINK (before 4.0) gets DEL instead; the
// handler gets the reply of the command that ran.
using ChangeHandler = std::function<void(const QList<QByteArray> &ran, const RedisResult &result)>;
void apply(RedisClient *client, const QList<QByteArray> &command, const QObject *context,
           ChangeHandler handler);

// Whether the reply of a change says that nothing was changed (0 fields, members or keys; nil).
bool changedNothing(const RedisReply &reply);

// Creates key holding item, with a TTL when ttlMs > 0, only if no key of that name exists:
// strings with SET NX, the other types with WATCH, EXISTS, then MULTI/EXEC (EXEC fails if the
// key appeared meanwhile). The handler gets created = false and no error when the key exists.
using CreateHandler = std::function<void(bool created, const RedisError &error)>;
void createKey(RedisClient *client, const QByteArray &key, const NewItem &item, qint64 ttlMs,
               const QObject *context, CreateHandler handler);

} // namespace keyedits

} // namespace bd::connectors
