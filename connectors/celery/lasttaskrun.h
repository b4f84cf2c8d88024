#pragma once

#include "redis/rediserror.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <nlohmann/json.hpp>

#include <functional>

namespace bd::connectors {

class RedisClient;

// The latest run of a task, as the Redis result backend still holds it.
struct LastTaskRun
{
    bool found = false;
    QString taskId;
    QString status;
    QString traceback;
    nlohmann::json result;
    QDateTime doneAt;     // UTC
    qint64 scanned = 0;   // result keys looked at
    bool complete = true; // false: stopped at the cap, an older run may be the latest shown
    QString error;
};

// Finds the latest stored result of a task by name: SCAN celery-task-meta-* (up to maxKeys),
// MGET in batches, and the newest date_done among those naming the task. The task name is in
// the result only with result_extended (celery.md §4); without it nothing is found, and that
// is said by found = false. A read, on the given connection (the result backend's).
void findLastTaskRun(RedisClient *client, const QString &taskName, qint64 maxKeys,
                     const QObject *context, std::function<void(const LastTaskRun &)> done);

} // namespace bd::connectors
