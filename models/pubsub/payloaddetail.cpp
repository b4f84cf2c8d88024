#include "payloaddetail.h"

#include "celery/celeryevent.h"
#include "celery/jsonfields.h"
#include "celery/kombuenvelope.h"
#include "codec/untrustedjson.h"
#include "keys/valueformat.h"

#include <QLocale>
#include <QMap>
#include <QStringList>

namespace bd::models {

namespace {

using json = nlohmann::json;
using connectors::KombuEnvelope;

QString pretty(const json &value)
{
    // Replacement, not an exception, for invalid UTF-8 inside decoded strings.
    return connectors::jsonToText(value, 2);
}

// What the envelope carries, in one line (celery.md §2, §5, §6).
QString summarise(const KombuEnvelope &e)
{
    const json info = e.properties.value("delivery_info", json::object());
    const QString exchange = connectors::jsonText(info, "exchange");
    const QString task = connectors::jsonText(e.headers, "task");
    if (!task.isEmpty())
        return QObject::tr("Celery task %1 [%2]").arg(task, connectors::jsonText(e.headers, "id"));
    if (exchange == QLatin1String("celeryev")
        && (e.bodyJson.is_object() || e.bodyJson.is_array())) {
        QMap<QString, int> types;
        QString host;
        for (const connectors::CeleryEvent &event :
             connectors::celeryEventsFromJson(e.bodyJson).events) {
            ++types[event.type];
            if (host.isEmpty())
                host = event.hostname;
        }
        QStringList parts;
        for (auto it = types.constBegin(); it != types.constEnd(); ++it)
            parts << (it.value() > 1 ? QStringLiteral("%1 ×%2").arg(it.key()).arg(it.value())
                                     : it.key());
        return QObject::tr("Celery event: %1 from %2").arg(parts.join(QStringLiteral(", ")), host);
    }
    if (exchange == QLatin1String("celery.pidbox")
        || exchange == QLatin1String("reply.celery.pidbox")) {
        const QString method = connectors::jsonText(e.bodyJson, "method");
        if (!method.isEmpty())
            return QObject::tr("Celery remote control: %1").arg(method);
        return QObject::tr("Celery remote-control reply");
    }
    return exchange.isEmpty() ? QObject::tr("kombu message")
                              : QObject::tr("kombu message on exchange %1").arg(exchange);
}

QString bodyText(const KombuEnvelope &e)
{
    const QLocale locale;
    const QString size = locale.formattedDataSize(e.body.size());
    switch (e.bodyKind) {
    case KombuEnvelope::BodyKind::Json:
    case KombuEnvelope::BodyKind::MessagePack:
        return QObject::tr("body (%1, %2):\n%3")
            .arg(e.bodyKind == KombuEnvelope::BodyKind::Json ? QStringLiteral("JSON")
                                                             : QStringLiteral("MessagePack"),
                 size, pretty(e.bodyJson));
    case KombuEnvelope::BodyKind::Yaml:
        return QObject::tr("body (YAML, %1; shown as text, never evaluated):\n%2")
            .arg(size, QString::fromUtf8(e.body));
    case KombuEnvelope::BodyKind::Text:
        return QObject::tr("body (text, %1):\n%2").arg(size, QString::fromUtf8(e.body));
    case KombuEnvelope::BodyKind::Pickle:
        return QObject::tr("body (pickle, %1; never deserialised):\n%2")
            .arg(size, hexDump(e.body.left(kMaxHexBytes)));
    case KombuEnvelope::BodyKind::Binary:
    case KombuEnvelope::BodyKind::None:
        return QObject::tr("body (%1):\n%2").arg(size, hexDump(e.body.left(kMaxHexBytes)));
    }
    return {};
}

} // namespace

QString envelopeSummary(const QByteArray &payload)
{
    // An envelope is a JSON object with a "body": anything else is not parsed at all.
    const QByteArray head = payload.left(16).trimmed();
    if (!head.startsWith('{') || !payload.contains("\"body\""))
        return {};
    const KombuEnvelope e = connectors::decodeKombuEnvelope(payload);
    return e.isEnvelope ? summarise(e) : QString();
}

PayloadDetail describePayload(const QByteArray &payload)
{
    PayloadDetail d;
    const ValueView view = formatValue(payload, payload.size());
    d.text = view.text;
    d.textNote = view.note;
    d.hex = hexDump(payload.left(kMaxHexBytes));
    if (payload.size() > kMaxHexBytes)
        d.hex +=
            QObject::tr("\n… %1 more bytes").arg(QLocale().toString(payload.size() - kMaxHexBytes));
    const KombuEnvelope e = connectors::decodeKombuEnvelope(payload);
    if (!e.isEnvelope)
        return d;
    d.isEnvelope = true;
    d.envelopeSummary = summarise(e);
    QStringList lines;
    lines << d.envelopeSummary;
    lines << QObject::tr("content-type: %1 · content-encoding: %2 · body encoding: %3%4")
                 .arg(e.contentType.isEmpty() ? QObject::tr("(none)") : e.contentType,
                      e.contentEncoding.isEmpty() ? QObject::tr("(none)") : e.contentEncoding,
                      e.bodyEncoding.isEmpty() ? QObject::tr("none (the string itself)")
                                               : e.bodyEncoding,
                      e.compression.isEmpty()
                          ? QString()
                          : QObject::tr(" · compression: %1").arg(e.compression));
    if (!e.bodyError.isEmpty())
        lines << QObject::tr("Body not decoded: %1").arg(e.bodyError);
    lines << QString() << bodyText(e);
    lines << QString() << QObject::tr("headers:") << pretty(e.headers);
    lines << QString() << QObject::tr("properties:") << pretty(e.properties);
    d.envelope = lines.join(QLatin1Char('\n'));
    return d;
}

} // namespace bd::models
