#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace bd::connectors {

// A kombu envelope (celery.md §2): one JSON object per list element or PUBLISH payload, with
// the serialized body inside. Decoding never executes anything: pickle stays bytes, YAML stays
// text, and anything malformed comes back with the reason and the raw bytes.
struct KombuEnvelope
{
    enum class BodyKind {
        None,        // not decoded (see error)
        Json,        // application/json: bodyJson
        MessagePack, // application/x-msgpack: bodyJson
        Yaml,        // application/x-yaml: shown as text, never evaluated
        Pickle,      // application/x-python-serialize: shown as bytes, never deserialised
        Text,        // another type whose bytes are UTF-8
        Binary,      // another type, or a compression that is not inflated here
    };

    // The payload is a JSON object with a body and kombu's fields: an envelope, even when its
    // body then fails to decode (bodyError says why).
    bool isEnvelope = false;
    QString error; // why the payload is not an envelope (empty when it is one)

    nlohmann::json headers = nlohmann::json::object();
    nlohmann::json properties = nlohmann::json::object();
    QString contentType;
    QString contentEncoding;
    QString bodyEncoding; // "base64", or empty: the body was the string itself
    QString compression;  // headers.compression, when present

    BodyKind bodyKind = BodyKind::None;
    QByteArray body;         // after base64 and inflate: the serializer's bytes
    nlohmann::json bodyJson; // Json and MessagePack
    QString bodyError;       // why the body could not be decoded (body holds what there is)
};

// What an inflated body may grow to (a small message can hide a bomb).
constexpr qint64 kMaxEnvelopeBodyBytes = 16 * 1024 * 1024;

KombuEnvelope decodeKombuEnvelope(const QByteArray &payload);

// The envelope readdressed to another queue: properties.delivery_info.routing_key (and an
// empty exchange, the default direct one) name the queue, so a message a worker takes and
// gives back (visibility timeout, a lost worker) returns to the queue it was moved to, not
// to the one it came from. Anything else is kept as it was, field order included. A payload
// that is not an envelope (a plain list queue's element) comes back unchanged.
QByteArray rerouteEnvelope(const QByteArray &payload, const QByteArray &queue);

} // namespace bd::connectors
