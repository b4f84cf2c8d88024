#include "celeryresultfollower.h"

#include "celery/jsonfields.h"
#include "codec/untrustedjson.h"
#include "redis/redisclient.h"

namespace bd::connectors {

bool CeleryTaskResult::isFinal() const
{
    return status == QLatin1String("SUCCESS") || status == QLatin1String("FAILURE")
           || status == QLatin1String("REVOKED");
}

CeleryTaskResult CeleryTaskResult::parse(const QString &taskId, const QByteArray &value)
{
    CeleryTaskResult r;
    r.taskId = taskId;
    r.raw = value;
    if (value.isEmpty())
        return r; // PENDING
    const auto parsed = parseUntrustedJson(value);
    const nlohmann::json &meta = parsed.value;
    if (!parsed.ok()) {
        r.status = QStringLiteral("UNKNOWN");
        r.error = QStringLiteral(
                      "the stored result is not JSON (another result_serializer?): %1 bytes; %2")
                      .arg(value.size())
                      .arg(parsed.error.toString());
        return r;
    }
    if (!meta.is_object() || !meta.contains("status")) {
        r.status = QStringLiteral("UNKNOWN");
        r.error = QStringLiteral("the stored result is JSON without a status: %1 bytes")
                      .arg(value.size());
        return r;
    }
    r.status = jsonText(meta, "status");
    r.result = meta.value("result", nlohmann::json());
    r.traceback = jsonText(meta, "traceback");
    r.dateDone = jsonText(meta, "date_done");
    return r;
}

QByteArray CeleryResultFollower::metaKey(const QString &taskId)
{
    return "celery-task-meta-" + taskId.toUtf8();
}

CeleryResultFollower::CeleryResultFollower(const ConnectionSettings &backend, const QString &taskId,
                                           QObject *parent)
    : QObject(parent)
    , m_settings(backend)
    , m_taskId(taskId)
{
    m_current.taskId = taskId;
}

void CeleryResultFollower::start()
{
    ConnectionSettings push = m_settings;
    push.clientName = QByteArrayLiteral("brokerdesk:results");
    m_subscriber = new RedisClient(push, this);
    m_subscriber->enablePushMode(1000);
    ConnectionSettings reader = m_settings;
    reader.clientName = QByteArrayLiteral("brokerdesk:results");
    m_reader = new RedisClient(reader, this);
    connect(m_subscriber, &RedisClient::pushMessagesAvailable, this, [this] {
        // Final already (read by GET while this was queued): the subscription is being dropped.
        if (!m_subscriber)
            return;
        for (const PushMessage &m : m_subscriber->takePushMessages()) {
            if (m.kind == PushMessage::Kind::Subscribed)
                read(); // subscribed: now nothing stored later can be missed
            else if (m.kind == PushMessage::Kind::Message)
                take(m.payload);
            else if (m.kind == PushMessage::Kind::Error)
                Q_EMIT failed(
                    RedisError{RedisError::Kind::ServerError, QString::fromUtf8(m.payload)});
        }
    });
    m_subscriber->open();
    m_reader->open();
    m_subscriber->send({"SUBSCRIBE", metaKey(m_taskId)}, this, [](const RedisResult &) {});
}

void CeleryResultFollower::read()
{
    m_reader->send({"GET", metaKey(m_taskId)}, this, [this](const RedisResult &r) {
        if (!r.ok()) {
            Q_EMIT failed(r.error);
            return;
        }
        take(r.reply.isString() ? r.reply.bytes() : QByteArray());
    });
}

void CeleryResultFollower::take(const QByteArray &value)
{
    if (m_current.isFinal())
        return; // the worker does not overwrite a final state; neither does this
    const CeleryTaskResult next = CeleryTaskResult::parse(m_taskId, value);
    if (m_announced && next.status == m_current.status && next.raw == m_current.raw)
        return;
    m_current = next;
    m_announced = true;
    Q_EMIT stateChanged(m_current);
    if (m_current.isFinal()) {
        // Done: the subscription is dropped with its connection.
        m_subscriber->deleteLater();
        m_subscriber = nullptr;
    }
}

} // namespace bd::connectors
