#include "celeryevent.h"

#include "celery/jsonfields.h"
#include "celery/kombuenvelope.h"
#include "codec/untrustedjson.h"

#include <QUuid>

namespace bd::connectors {

namespace {

double number(const nlohmann::json &object, const char *name)
{
    const auto it = object.find(name);
    return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

// A whole number from a field a sender may fill with anything: out of range reads as 0
// (casting 1e300 to an integer is undefined behaviour).
qint64 wholeNumber(const nlohmann::json &object, const char *name)
{
    const double value = number(object, name);
    return value > -9.0e18 && value < 9.0e18 ? qint64(value) : 0;
}

// The body of a payload: the envelope's decoded body, or the payload itself as JSON (RabbitMQ
// publishes events with no envelope). Sets error when neither.
nlohmann::json bodyOf(const QByteArray &payload, KombuEnvelope *envelope, QString *error)
{
    *envelope = decodeKombuEnvelope(payload);
    if (envelope->isEnvelope) {
        if (envelope->bodyKind == KombuEnvelope::BodyKind::Json
            || envelope->bodyKind == KombuEnvelope::BodyKind::MessagePack)
            return envelope->bodyJson;
        *error = envelope->bodyError.isEmpty()
                     ? QStringLiteral("the body is %1, not JSON").arg(envelope->contentType)
                     : envelope->bodyError;
        return nullptr;
    }
    auto bare = parseUntrustedJson(payload);
    if (!bare.ok()) {
        *error = envelope->error;
        return nullptr;
    }
    return std::move(bare.value);
}

bool toEvent(const nlohmann::json &object, CeleryEvent *out)
{
    if (!object.is_object())
        return false;
    const auto type = object.find("type");
    if (type == object.end() || !type->is_string())
        return false;
    out->type = QString::fromStdString(type->get<std::string>());
    out->hostname = jsonText(object, "hostname");
    out->timestamp = number(object, "timestamp");
    out->clock = wholeNumber(object, "clock");
    out->pid = wholeNumber(object, "pid");
    out->utcoffset = number(object, "utcoffset");
    out->uuid = jsonText(object, "uuid");
    out->fields = object;
    return true;
}

} // namespace

CeleryEventBatch decodeCeleryEvents(const QByteArray &payload)
{
    CeleryEventBatch batch;
    KombuEnvelope envelope;
    const nlohmann::json body = bodyOf(payload, &envelope, &batch.error);
    if (body.is_null() && !batch.error.isEmpty())
        return batch;
    return celeryEventsFromJson(body);
}

CeleryEventBatch celeryEventsFromJson(const nlohmann::json &body)
{
    CeleryEventBatch batch;
    CeleryEvent event;
    if (body.is_array()) {
        for (const nlohmann::json &element : body) {
            if (toEvent(element, &event))
                batch.events << event;
            else
                ++batch.skipped;
        }
        batch.ok = !batch.events.isEmpty() || body.empty();
        if (!batch.ok)
            batch.error =
                QStringLiteral("an array of %1 elements, none of them an event").arg(body.size());
        return batch;
    }
    if (toEvent(body, &event)) {
        batch.events << event;
        batch.ok = true;
        return batch;
    }
    batch.error = QStringLiteral("not a Celery event (no type)");
    return batch;
}

PidboxMessage decodePidboxMessage(const QByteArray &payload)
{
    PidboxMessage m;
    KombuEnvelope envelope;
    const nlohmann::json body = bodyOf(payload, &envelope, &m.error);
    if (!body.is_object()) {
        if (m.error.isEmpty())
            m.error = QStringLiteral("the body is not a JSON object");
        return m;
    }
    if (body.contains("method")) {
        if (!body["method"].is_string()) {
            m.error = QStringLiteral("the method is not a string");
            return m;
        }
        m.kind = PidboxMessage::Kind::Request;
        m.method = jsonText(body, "method");
        if (body.contains("arguments") && body["arguments"].is_object())
            m.arguments = body["arguments"];
        if (const auto d = body.find("destination"); d != body.end() && d->is_array()) {
            for (const nlohmann::json &node : *d) {
                if (node.is_string())
                    m.destination << QString::fromStdString(node.get<std::string>());
            }
        }
        m.ticket = jsonText(body, "ticket");
        if (const auto r = body.find("reply_to"); r != body.end() && r->is_object()) {
            m.replyExchange = jsonText(*r, "exchange");
            m.replyRoutingKey = jsonText(*r, "routing_key");
        }
        return m;
    }
    // A reply: one node's answer, its ticket in the envelope's headers.
    if (body.size() != 1) {
        m.error = QStringLiteral("neither a request (no method) nor one worker's reply (%1 keys)")
                      .arg(body.size());
        return m;
    }
    m.kind = PidboxMessage::Kind::Reply;
    m.node = QString::fromStdString(body.begin().key());
    m.answer = body.begin().value();
    m.ticket = jsonText(envelope.headers, "ticket");
    return m;
}

QByteArray encodePidboxRequest(const QString &method, const nlohmann::json &arguments,
                               const QStringList &destination, const QString &ticket,
                               const QString &replyOid, double expiresEpoch)
{
    nlohmann::ordered_json body{
        {"method", method.toStdString()},
        {"arguments", arguments.is_object() ? arguments : nlohmann::json::object()},
        {"destination", nullptr},
        {"pattern", nullptr},
        {"matcher", nullptr}};
    if (!destination.isEmpty()) {
        nlohmann::json nodes = nlohmann::json::array();
        for (const QString &node : destination)
            nodes.push_back(node.toStdString());
        body["destination"] = nodes;
    }
    if (!replyOid.isEmpty()) {
        body["ticket"] = ticket.toStdString();
        body["reply_to"] = {{"exchange", "reply.celery.pidbox"},
                            {"routing_key", replyOid.toStdString()}};
    }
    const QByteArray encodedBody = jsonToBytes(body).toBase64();
    const nlohmann::ordered_json envelope{
        {"body", encodedBody.toStdString()},
        {"content-encoding", "utf-8"},
        {"content-type", "application/json"},
        {"headers", {{"clock", 1}, {"expires", expiresEpoch}}},
        {"properties",
         {{"delivery_mode", 2},
          {"delivery_info", {{"exchange", "celery.pidbox"}, {"routing_key", ""}}},
          {"priority", 0},
          {"body_encoding", "base64"},
          {"delivery_tag", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()}}}};
    return jsonToBytes(envelope);
}

} // namespace bd::connectors
