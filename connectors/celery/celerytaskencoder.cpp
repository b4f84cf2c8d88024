#include "celerytaskencoder.h"

#include "codec/untrustedjson.h"

#include <QHostInfo>
#include <QUuid>

namespace bd::connectors {

namespace {

using json = nlohmann::json;

constexpr qsizetype kMaxReprChars = 1024; // Celery's amqp.argsrepr_maxsize

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString pythonString(const std::string &utf8)
{
    const QString s = QString::fromStdString(utf8);
    // Python picks single quotes unless the text has one and no double quote.
    const QChar quote = s.contains(QLatin1Char('\'')) && !s.contains(QLatin1Char('"'))
                            ? QLatin1Char('"')
                            : QLatin1Char('\'');
    QString out(quote);
    for (const QChar c : s) {
        if (c == quote || c == QLatin1Char('\\'))
            out += QLatin1Char('\\') + QString(c);
        else if (c == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else if (c == QLatin1Char('\r'))
            out += QStringLiteral("\\r");
        else if (c == QLatin1Char('\t'))
            out += QStringLiteral("\\t");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + quote;
}

QString repr(const json &v)
{
    switch (v.type()) {
    case json::value_t::null:
        return QStringLiteral("None");
    case json::value_t::boolean:
        return v.get<bool>() ? QStringLiteral("True") : QStringLiteral("False");
    case json::value_t::string:
        return pythonString(v.get<std::string>());
    case json::value_t::array: {
        QStringList items;
        for (const json &e : v)
            items << repr(e);
        return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    case json::value_t::object: {
        QStringList items;
        for (auto it = v.begin(); it != v.end(); ++it)
            items << pythonString(it.key()) + QStringLiteral(": ") + repr(it.value());
        return QLatin1Char('{') + items.join(QStringLiteral(", ")) + QLatin1Char('}');
    }
    default:
        return jsonToText(v); // numbers
    }
}

QString truncated(QString repr)
{
    if (repr.size() > kMaxReprChars)
        repr = repr.left(kMaxReprChars - 3) + QStringLiteral("...");
    return repr;
}

json optionalTime(const std::optional<QDateTime> &t)
{
    return t ? json(celeryIsoTime(*t).toStdString()) : json();
}

json optionalText(const QString &s)
{
    return s.isEmpty() ? json() : json(s.toStdString());
}

} // namespace

QString pythonRepr(const json &value, bool asTuple)
{
    if (!asTuple || !value.is_array())
        return repr(value);
    QStringList items;
    for (const json &e : value)
        items << repr(e);
    if (items.size() == 1)
        return QLatin1Char('(') + items.first() + QStringLiteral(",)");
    return QLatin1Char('(') + items.join(QStringLiteral(", ")) + QLatin1Char(')');
}

QString celeryIsoTime(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    // Microseconds as Python writes them (Qt keeps milliseconds).
    return utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("000+00:00");
}

QByteArray priorityListKey(const QByteArray &queue, int priority, const QByteArray &keyPrefix)
{
    // Clamped to 0-9 and rounded down to a step of [0, 3, 6, 9]; step 0 has no suffix.
    const int step = qBound(0, priority, 9) / 3 * 3;
    QByteArray key = keyPrefix + queue;
    if (step > 0)
        key += QByteArrayLiteral("\x06\x16") + QByteArray::number(step);
    return key;
}

EncodedCeleryTask encodeCeleryTask(const CeleryTaskRequest &r, const QByteArray &keyPrefix,
                                   const QDateTime &now)
{
    EncodedCeleryTask out;
    // What would kill a worker or make it drop the message is refused here (celery.md §3.3).
    if (r.task.trimmed().isEmpty())
        out.error = QStringLiteral("a task name is needed");
    else if (r.task != r.task.trimmed())
        out.error = QStringLiteral("the task name has spaces around it");
    else if (!r.args.is_array())
        out.error = QStringLiteral("args must be a JSON array");
    else if (!r.kwargs.is_object())
        out.error = QStringLiteral("kwargs must be a JSON object");
    else if (r.queue.isEmpty())
        out.error = QStringLiteral("a queue is needed");
    else if (r.priority < 0 || r.priority > 9)
        out.error = QStringLiteral("priority must be 0 to 9");
    else if ((r.eta && !r.eta->isValid()) || (r.expires && !r.expires->isValid()))
        out.error = QStringLiteral("the ETA or expiry is not a valid time");
    else if (r.expires && *r.expires <= now)
        out.error = QStringLiteral("it would expire before it is sent");
    else if (r.eta && r.expires && *r.expires <= *r.eta)
        out.error = QStringLiteral("it would expire before its ETA: the worker would never run it");
    else if (!r.timelimit.is_array() || r.timelimit.size() != 2)
        out.error = QStringLiteral("the time limit must be [hard, soft]");
    if (!out.error.isEmpty())
        return out;

    out.id = r.id.isEmpty() ? newUuid() : r.id;
    out.deliveryTag = newUuid();
    out.listKey = priorityListKey(r.queue.toUtf8(), r.priority, keyPrefix);
    const QString origin = r.origin.isEmpty()
                               ? QStringLiteral("brokerdesk@%1").arg(QHostInfo::localHostName())
                               : r.origin;
    json headers{{"lang", "py"},
                 {"task", r.task.toStdString()},
                 {"id", out.id.toStdString()},
                 {"shadow", nullptr},
                 {"eta", optionalTime(r.eta)},
                 {"expires", optionalTime(r.expires)},
                 {"group", nullptr},
                 {"group_index", nullptr},
                 {"retries", 0},
                 {"timelimit", r.timelimit},
                 {"root_id", (r.rootId.isEmpty() ? out.id : r.rootId).toStdString()},
                 {"parent_id", optionalText(r.parentId)},
                 {"argsrepr", truncated(pythonRepr(r.args, true)).toStdString()},
                 {"kwargsrepr", truncated(pythonRepr(r.kwargs)).toStdString()},
                 {"origin", origin.toStdString()},
                 {"ignore_result", false}};
    if (!r.replayOf.isEmpty())
        headers["brokerdesk_replay_of"] = r.replayOf.toStdString();
    const json body = json::array(
        {r.args,
         r.kwargs,
         {{"callbacks", nullptr}, {"errbacks", nullptr}, {"chain", nullptr}, {"chord", nullptr}}});
    const QByteArray bodyBytes = jsonToBytes(body);
    const json envelope{
        {"body", bodyBytes.toBase64().toStdString()},
        {"content-encoding", "utf-8"},
        {"content-type", "application/json"},
        {"headers", headers},
        {"properties",
         {{"correlation_id", out.id.toStdString()},
          {"reply_to", ""},
          {"delivery_mode", 2},
          {"delivery_info", {{"exchange", ""}, {"routing_key", r.queue.toStdString()}}},
          {"priority", r.priority},
          {"body_encoding", "base64"},
          {"delivery_tag", out.deliveryTag.toStdString()}}}};
    out.envelope = jsonToBytes(envelope);
    out.ok = true;
    return out;
}

} // namespace bd::connectors
