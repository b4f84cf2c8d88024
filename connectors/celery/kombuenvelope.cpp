#include "kombuenvelope.h"

#include "celery/jsonfields.h"
#include "codec/compression.h"
#include "codec/untrustedjson.h"

#include <QStringDecoder>

namespace bd::connectors {

namespace {

using json = nlohmann::json;

bool isUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)decoder.decode(bytes);
    return !decoder.hasError();
}

void decodeBody(KombuEnvelope &e)
{
    const QString type = e.contentType.toLower();
    if (type == QLatin1String("application/json") || type.endsWith(QLatin1String("+json"))) {
        auto parsed = parseUntrustedJson(e.body);
        if (!parsed.ok()) {
            e.bodyError =
                QStringLiteral("the body is not valid JSON (%1)").arg(parsed.error.toString());
            e.bodyKind =
                isUtf8(e.body) ? KombuEnvelope::BodyKind::Text : KombuEnvelope::BodyKind::Binary;
            return;
        }
        e.bodyKind = KombuEnvelope::BodyKind::Json;
        e.bodyJson = std::move(parsed.value);
    } else if (type == QLatin1String("application/x-msgpack")
               || type == QLatin1String("application/msgpack")) {
        auto parsed = parseUntrustedMessagePack(e.body);
        if (!parsed.ok()) {
            e.bodyError = QStringLiteral("the body is not valid MessagePack (%1)")
                              .arg(parsed.error.toString());
            e.bodyKind = KombuEnvelope::BodyKind::Binary;
            return;
        }
        e.bodyKind = KombuEnvelope::BodyKind::MessagePack;
        e.bodyJson = std::move(parsed.value);
    } else if (type == QLatin1String("application/x-yaml")
               || type == QLatin1String("application/yaml")) {
        e.bodyKind =
            isUtf8(e.body) ? KombuEnvelope::BodyKind::Yaml : KombuEnvelope::BodyKind::Binary;
    } else if (type == QLatin1String("application/x-python-serialize")) {
        e.bodyKind = KombuEnvelope::BodyKind::Pickle;
    } else {
        e.bodyKind =
            isUtf8(e.body) ? KombuEnvelope::BodyKind::Text : KombuEnvelope::BodyKind::Binary;
    }
}

} // namespace

KombuEnvelope decodeKombuEnvelope(const QByteArray &payload)
{
    KombuEnvelope e;
    const qsizetype first = payload.indexOf('{');
    if (first < 0 || !payload.left(first).trimmed().isEmpty()) {
        e.error = QStringLiteral("not a JSON object");
        return e;
    }
    auto parsed = parseUntrustedJson(payload);
    if (!parsed.ok()) {
        e.error = QStringLiteral("not valid JSON: %1").arg(parsed.error.toString());
        return e;
    }
    json &root = parsed.value;
    if (!root.is_object()) {
        e.error = QStringLiteral("not a JSON object");
        return e;
    }
    const auto body = root.find("body");
    const bool hasKombuFields = root.contains("properties") || root.contains("content-type");
    if (body == root.end() || !hasKombuFields) {
        e.error = QStringLiteral("a JSON object without a kombu body and properties");
        return e;
    }
    e.isEnvelope = true;
    if (const auto h = root.find("headers"); h != root.end() && h->is_object())
        e.headers = std::move(*h);
    if (const auto p = root.find("properties"); p != root.end() && p->is_object())
        e.properties = std::move(*p);
    e.contentType = jsonText(root, "content-type");
    e.contentEncoding = jsonText(root, "content-encoding");
    e.bodyEncoding = jsonText(e.properties, "body_encoding");
    e.compression = jsonText(e.headers, "compression");

    if (!body->is_string()) {
        // kombu always writes a string; a JSON body written inline is shown as it is.
        e.body = jsonToBytes(*body);
        e.bodyError = QStringLiteral("the body is not a string");
        e.bodyKind = KombuEnvelope::BodyKind::Json;
        e.bodyJson = *body;
        return e;
    }
    const QByteArray text = QByteArray::fromStdString(body->get<std::string>());
    if (e.bodyEncoding.compare(QLatin1String("base64"), Qt::CaseInsensitive) == 0) {
        auto decoded =
            QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            e.body = text;
            e.bodyError = QStringLiteral("the body is not valid base64");
            e.bodyKind = KombuEnvelope::BodyKind::Binary;
            return e;
        }
        e.body = std::move(*decoded);
    } else {
        e.body = text;
    }
    if (!e.compression.isEmpty()) {
        // kombu's "application/x-gzip" is a zlib stream (celery.md §2); other codecs are shown raw.
        const QString c = e.compression.toLower();
        if (c != QLatin1String("application/x-gzip") && c != QLatin1String("application/zlib")
            && c != QLatin1String("zlib")) {
            e.bodyError = QStringLiteral("compressed with %1: not inflated").arg(e.compression);
            e.bodyKind = KombuEnvelope::BodyKind::Binary;
            return e;
        }
        bool complete = false;
        QByteArray inflated = inflate(e.body, kMaxEnvelopeBodyBytes, &complete);
        if (!complete) {
            e.bodyError = inflated.isEmpty()
                              ? QStringLiteral("the body is not a valid zlib stream")
                              : QStringLiteral("the inflated body is larger than %1 MiB: cut")
                                    .arg(kMaxEnvelopeBodyBytes / (1024 * 1024));
            if (inflated.isEmpty()) {
                e.bodyKind = KombuEnvelope::BodyKind::Binary;
                return e;
            }
        }
        e.body = std::move(inflated);
        if (!complete) {
            e.bodyKind = KombuEnvelope::BodyKind::Binary;
            return e;
        }
    }
    decodeBody(e);
    return e;
}

QByteArray rerouteEnvelope(const QByteArray &payload, const QByteArray &queue)
{
    auto parsed = parseUntrustedOrderedJson(payload);
    nlohmann::ordered_json &envelope = parsed.value;
    if (!parsed.ok() || !envelope.is_object() || !envelope.contains("body"))
        return payload;
    nlohmann::ordered_json &properties = envelope["properties"];
    if (!properties.is_object())
        return payload; // a null or odd properties field: not kombu's, leave it alone
    nlohmann::ordered_json &info = properties["delivery_info"];
    if (!info.is_object())
        info = nlohmann::ordered_json::object();
    info["exchange"] = "";
    info["routing_key"] = queue.toStdString();
    return jsonToBytes(envelope);
}

} // namespace bd::connectors
