#include "celerytaskmessage.h"

#include "celery/jsonfields.h"

#include <algorithm>

namespace bd::connectors {

namespace {

using json = nlohmann::json;

std::optional<qint64> integer(const json &object, const char *name)
{
    if (!object.is_object())
        return std::nullopt;
    const auto it = object.find(name);
    if (it == object.end() || !it->is_number_integer())
        return std::nullopt;
    return it->get<qint64>();
}

// A serialized signature, or nullopt when the value is not one.
std::optional<TaskSignature> signature(const json &value)
{
    if (!value.is_object() || !value.contains("task"))
        return std::nullopt;
    TaskSignature s;
    s.task = jsonText(value, "task");
    if (const auto a = value.find("args"); a != value.end() && a->is_array())
        s.args = *a;
    if (const auto k = value.find("kwargs"); k != value.end() && k->is_object())
        s.kwargs = *k;
    if (const auto o = value.find("options"); o != value.end() && o->is_object())
        s.taskId = jsonText(*o, "task_id");
    if (const auto i = value.find("immutable"); i != value.end() && i->is_boolean())
        s.immutable = i->get<bool>();
    return s;
}

QList<TaskSignature> signatures(const json &value)
{
    QList<TaskSignature> out;
    if (value.is_array()) {
        for (const json &v : value) {
            if (auto s = signature(v))
                out << *s;
        }
    } else if (auto s = signature(value)) {
        out << *s;
    }
    return out;
}

// callbacks, errbacks, chain, chord: from the v2 embed or the v1 body.
void readWorkflow(CeleryTaskMessage &m, const json &holder)
{
    if (!holder.is_object())
        return;
    if (const auto c = holder.find("callbacks"); c != holder.end())
        m.callbacks = signatures(*c);
    if (const auto e = holder.find("errbacks"); e != holder.end())
        m.errbacks = signatures(*e);
    if (const auto chain = holder.find("chain"); chain != holder.end()) {
        // Stored reversed: the next step is the last element (celery.md §3.1).
        QList<TaskSignature> steps = signatures(*chain);
        std::reverse(steps.begin(), steps.end());
        m.nextSteps = steps;
    }
    if (const auto chord = holder.find("chord"); chord != holder.end())
        m.chordCallback = signature(*chord);
}

// What v2 headers and v1 bodies both carry, under the same names.
void readCommon(CeleryTaskMessage &m, const json &o)
{
    m.task = jsonText(o, "task");
    m.id = jsonText(o, "id");
    m.group = jsonText(o, "group");
    m.groupIndex = integer(o, "group_index");
    m.retries = integer(o, "retries").value_or(0);
    m.eta = jsonText(o, "eta");
    m.expires = jsonText(o, "expires");
    m.timelimit = o.value("timelimit", json());
}

void readV2Headers(CeleryTaskMessage &m, const json &h)
{
    readCommon(m, h);
    m.shadow = jsonText(h, "shadow");
    m.rootId = jsonText(h, "root_id");
    m.parentId = jsonText(h, "parent_id");
    m.origin = jsonText(h, "origin");
    const auto ignore = h.find("ignore_result");
    m.ignoreResult = ignore != h.end() && ignore->is_boolean() && ignore->get<bool>();
    m.argsRepr = jsonText(h, "argsrepr");
    m.kwargsRepr = jsonText(h, "kwargsrepr");
}

void readV1Body(CeleryTaskMessage &m, const json &b)
{
    readCommon(m, b);
    if (const auto a = b.find("args"); a != b.end() && a->is_array()) {
        m.args = *a;
        m.argsDecoded = true;
    }
    if (const auto k = b.find("kwargs"); k != b.end() && k->is_object())
        m.kwargs = *k;
    readWorkflow(m, b);
}

} // namespace

CeleryTaskMessage decodeCeleryTaskMessage(const QByteArray &payload)
{
    CeleryTaskMessage m;
    m.envelope = decodeKombuEnvelope(payload);
    KombuEnvelope &e = m.envelope;
    if (!e.isEnvelope) {
        m.error = e.error;
        return m;
    }
    m.bodyError = e.bodyError;
    if (const auto info = e.properties.find("delivery_info"); info != e.properties.end()) {
        m.exchange = jsonText(*info, "exchange");
        m.routingKey = jsonText(*info, "routing_key");
    }
    m.deliveryTag = jsonText(e.properties, "delivery_tag");
    m.priority = integer(e.properties, "priority").value_or(0);
    const bool bodyDecoded = e.bodyKind == KombuEnvelope::BodyKind::Json
                             || e.bodyKind == KombuEnvelope::BodyKind::MessagePack;
    if (e.headers.contains("task")) {
        m.protocol = 2;
        readV2Headers(m, e.headers);
        // The body is [args, kwargs, embed].
        if (bodyDecoded && e.bodyJson.is_array() && e.bodyJson.size() == 3
            && e.bodyJson[0].is_array() && e.bodyJson[1].is_object()) {
            // Moved, not copied: the envelope's body keeps the embed only.
            m.args = std::move(e.bodyJson[0]);
            m.kwargs = std::move(e.bodyJson[1]);
            m.argsDecoded = true;
            readWorkflow(m, e.bodyJson[2]);
        } else if (bodyDecoded && m.bodyError.isEmpty()) {
            m.bodyError = QStringLiteral("the body is not [args, kwargs, embed]");
        }
    } else if (bodyDecoded && e.bodyJson.is_object() && e.bodyJson.contains("task")) {
        m.protocol = 1;
        readV1Body(m, e.bodyJson);
    } else {
        m.error =
            bodyDecoded || e.bodyKind == KombuEnvelope::BodyKind::None
                ? QStringLiteral("a kombu message without a task name")
                : QStringLiteral("no task name in the headers, and a %1 body that is not read")
                      .arg(e.contentType.isEmpty() ? QStringLiteral("binary") : e.contentType);
        return m;
    }
    if (m.task.isEmpty()) {
        m.error = QStringLiteral("the task name is empty");
        return m;
    }
    m.isTask = true;
    return m;
}

} // namespace bd::connectors
