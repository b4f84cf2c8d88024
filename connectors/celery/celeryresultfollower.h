#pragma once

#include "redis/connectionsettings.h"
#include "redis/rediserror.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <nlohmann/json.hpp>

namespace bd::connectors {

class RedisClient;

// A task's state as the Redis result backend holds it (celery.md §4). PENDING is never
// stored: a missing key is PENDING (or unknown, or expired).
struct CeleryTaskResult
{
    QString taskId;
    QString status = QStringLiteral("PENDING");
    nlohmann::json result; // the return value, or {exc_type, exc_message, exc_module}
    QString traceback;
    QString dateDone; // naive UTC ISO, as Celery writes it
    QByteArray raw;   // the stored value as read (empty while PENDING)
    QString error;    // the value could not be read (pickle, garbage): said, not hidden

    bool isFinal() const; // SUCCESS, FAILURE, REVOKED
    bool failed() const
    {
        return status == QLatin1String("FAILURE") || status == QLatin1String("REVOKED");
    }
    static CeleryTaskResult parse(const QString &taskId, const QByteArray &value);
};

// Follows one task's result: SUBSCRIBE to its meta key's channel (the worker PUBLISHes every
// state it stores) on a connection of its own, then GET the key, so no change is missed
// between the two. Emits each state once; stops listening at a final state.
class CeleryResultFollower : public QObject
{
    Q_OBJECT

public:
    // backend: the result backend's connection (a profile field; the broker by default).
    CeleryResultFollower(const ConnectionSettings &backend, const QString &taskId,
                         QObject *parent = nullptr);

    void start();
    const CeleryTaskResult &current() const { return m_current; }
    static QByteArray metaKey(const QString &taskId);

Q_SIGNALS:
    void stateChanged(const bd::connectors::CeleryTaskResult &result);
    void failed(const bd::connectors::RedisError &error);

private:
    void read();
    void take(const QByteArray &value);

    ConnectionSettings m_settings;
    QString m_taskId;
    RedisClient *m_subscriber = nullptr; // Owned (child).
    RedisClient *m_reader = nullptr;     // Owned (child).
    CeleryTaskResult m_current;
    bool m_announced = false;
};

} // namespace bd::connectors
