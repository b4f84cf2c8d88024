#include "celeryevent.h"

#include "celery/jsonfields.h"
#include "celery/kombuenvelope.h"
#include "codec/hotjson.h"
#include "codec/untrustedjson.h"

#include <QUuid>

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

namespace bd::connectors {

namespace {

// Every field an event can carry that is read into a member; the rest are only checked.
enum class Key {
    Unknown,
    Type,
    Hostname,
    Timestamp,
    Clock,
    Pid,
    UtcOffset,
    Uuid,
    Name,
    Args,
    Kwargs,
    RootId,
    ParentId,
    Retries,
    Eta,
    Expires,
    Queue,
    Exchange,
    RoutingKey,
    Result,
    Exception,
    Traceback,
    Runtime,
    Terminated,
    Expired,
    Requeue,
    Signum,
    Freq,
    Active,
    Processed,
    LoadAverage,
    SwIdent,
    SwVer,
    SwSys,
};

Key keyOf(std::string_view name)
{
    static const std::unordered_map<std::string_view, Key> keys{
        {"type", Key::Type},
        {"hostname", Key::Hostname},
        {"timestamp", Key::Timestamp},
        {"clock", Key::Clock},
        {"pid", Key::Pid},
        {"utcoffset", Key::UtcOffset},
        {"uuid", Key::Uuid},
        {"name", Key::Name},
        {"args", Key::Args},
        {"kwargs", Key::Kwargs},
        {"root_id", Key::RootId},
        {"parent_id", Key::ParentId},
        {"retries", Key::Retries},
        {"eta", Key::Eta},
        {"expires", Key::Expires},
        {"queue", Key::Queue},
        {"exchange", Key::Exchange},
        {"routing_key", Key::RoutingKey},
        {"result", Key::Result},
        {"exception", Key::Exception},
        {"traceback", Key::Traceback},
        {"runtime", Key::Runtime},
        {"terminated", Key::Terminated},
        {"expired", Key::Expired},
        {"requeue", Key::Requeue},
        {"signum", Key::Signum},
        {"freq", Key::Freq},
        {"active", Key::Active},
        {"processed", Key::Processed},
        {"loadavg", Key::LoadAverage},
        {"sw_ident", Key::SwIdent},
        {"sw_ver", Key::SwVer},
        {"sw_sys", Key::SwSys},
    };
    const auto it = keys.find(name);
    return it == keys.end() ? Key::Unknown : it->second;
}

QString *textField(CeleryEvent &e, Key key)
{
    switch (key) {
    case Key::Hostname:
        return &e.hostname;
    case Key::Uuid:
        return &e.uuid;
    case Key::Name:
        return &e.name;
    case Key::Args:
        return &e.args;
    case Key::Kwargs:
        return &e.kwargs;
    case Key::RootId:
        return &e.rootId;
    case Key::ParentId:
        return &e.parentId;
    case Key::Eta:
        return &e.eta;
    case Key::Expires:
        return &e.expires;
    case Key::Queue:
        return &e.queue;
    case Key::Exchange:
        return &e.exchange;
    case Key::RoutingKey:
        return &e.routingKey;
    case Key::Result:
        return &e.result;
    case Key::Exception:
        return &e.exception;
    case Key::Traceback:
        return &e.traceback;
    case Key::Signum:
        return &e.signum;
    case Key::SwIdent:
        return &e.swIdent;
    case Key::SwVer:
        return &e.swVer;
    case Key::SwSys:
        return &e.swSys;
    default:
        return nullptr;
    }
}

// A whole number from a field a sender may fill with anything: read as a double first (as the
// sender's JSON library may have written it), out of range reads as 0 (casting 1e300 to an
// integer is undefined behaviour).
qint64 whole(double value)
{
    return value > -9.0e18 && value < 9.0e18 ? qint64(value) : 0;
}

// A number field: its value, or its default and a malformed bit when the value is of another
// type. null is "not sent".
void setNumber(CeleryEvent &e, Key key, const double *value, bool null)
{
    const auto mark = [&](CeleryEvent::Field bit) {
        if (value || null)
            e.malformed &= ~quint32(bit);
        else
            e.malformed |= bit;
    };
    switch (key) {
    case Key::Timestamp:
        e.timestamp = value ? *value : 0;
        mark(CeleryEvent::Timestamp);
        break;
    case Key::Clock:
        e.clock = value ? whole(*value) : 0;
        mark(CeleryEvent::Clock);
        break;
    case Key::Pid:
        e.pid = value ? whole(*value) : 0;
        mark(CeleryEvent::Pid);
        break;
    case Key::UtcOffset:
        e.utcoffset = value ? *value : 0;
        mark(CeleryEvent::UtcOffset);
        break;
    case Key::Retries:
        e.retries = value ? whole(*value) : -1;
        mark(CeleryEvent::Retries);
        break;
    case Key::Runtime:
        e.runtime = value ? *value : -1;
        mark(CeleryEvent::Runtime);
        break;
    case Key::Freq:
        e.freq = value ? *value : 0;
        mark(CeleryEvent::Freq);
        break;
    case Key::Active:
        e.active = value ? whole(*value) : -1;
        mark(CeleryEvent::Active);
        break;
    case Key::Processed:
        e.processed = value ? whole(*value) : -1;
        mark(CeleryEvent::Processed);
        break;
    default:
        break;
    }
}

bool isNumberKey(Key key)
{
    switch (key) {
    case Key::Timestamp:
    case Key::Clock:
    case Key::Pid:
    case Key::UtcOffset:
    case Key::Retries:
    case Key::Runtime:
    case Key::Freq:
    case Key::Active:
    case Key::Processed:
        return true;
    default:
        return false;
    }
}

void setFlag(CeleryEvent &e, Key key, const bool *value, bool null)
{
    bool *flag = key == Key::Terminated ? &e.terminated
                 : key == Key::Expired  ? &e.expired
                                        : &e.requeue;
    const CeleryEvent::Field bit = key == Key::Terminated ? CeleryEvent::Terminated
                                   : key == Key::Expired  ? CeleryEvent::Expired
                                                          : CeleryEvent::Requeue;
    *flag = value && *value;
    if (value || null)
        e.malformed &= ~quint32(bit);
    else
        e.malformed |= bit;
}

constexpr qsizetype kMaxLoadAverages = 3; // 1, 5 and 15 minutes

// ---- The reference: a value that passed the gate.

// Reads one member; false when it makes the object no event (a type that is no string).
bool applyReference(CeleryEvent &e, Key key, const nlohmann::json &value, bool *typed)
{
    if (key == Key::Type) {
        *typed = value.is_string();
        if (*typed)
            e.type = QString::fromStdString(value.get<std::string>());
        return true;
    }
    if (QString *text = textField(e, key)) {
        *text = value.is_null()     ? QString()
                : value.is_string() ? QString::fromStdString(value.get<std::string>())
                                    : jsonToText(value);
        return true;
    }
    if (isNumberKey(key)) {
        const double number = value.is_number() ? value.get<double>() : 0;
        setNumber(e, key, value.is_number() ? &number : nullptr, value.is_null());
        return true;
    }
    if (key == Key::Terminated || key == Key::Expired || key == Key::Requeue) {
        const bool flag = value.is_boolean() && value.get<bool>();
        setFlag(e, key, value.is_boolean() ? &flag : nullptr, value.is_null());
        return true;
    }
    if (key == Key::LoadAverage) {
        e.loadavg.clear();
        bool ok = value.is_null() || value.is_array();
        if (value.is_array()) {
            for (const nlohmann::json &n : value) {
                if (!n.is_number()) {
                    ok = false;
                    break;
                }
                if (e.loadavg.size() < kMaxLoadAverages)
                    e.loadavg << n.get<double>();
            }
        }
        if (!ok)
            e.loadavg.clear();
        e.malformed = ok ? e.malformed & ~quint32(CeleryEvent::LoadAverage)
                         : e.malformed | CeleryEvent::LoadAverage;
    }
    return true;
}

bool toEvent(const nlohmann::json &object, CeleryEvent *out)
{
    if (!object.is_object())
        return false;
    *out = CeleryEvent();
    bool typed = false;
    for (auto it = object.begin(); it != object.end(); ++it)
        applyReference(*out, keyOf(it.key()), it.value(), &typed);
    return typed;
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

QString noEventIn(size_t elements)
{
    return QStringLiteral("an array of %1 elements, none of them an event").arg(elements);
}

QString notAnEvent()
{
    return QStringLiteral("not a Celery event (no type)");
}

// ---- The hot path: simdjson On-Demand. Every function answers false where it cannot give the
// reference's answer; the caller then asks the reference.

using namespace simdjson;

// How deep an event's members are at most (an array of events, an event, its member): the
// depth they are checked at, never less than the reference counts.
constexpr int kMemberDepth = 3;

QString utf8(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Texts that repeat from event to event (types, hostnames, task names, queues): the QString of
// the last few of each kind is kept per thread and shared by every event that has it, so a
// flood of events allocates for what differs (ids, args, results) only.
class RepeatedTexts
{
public:
    QString get(std::string_view text)
    {
        for (const auto &[bytes, shared] : m_entries) {
            if (!shared.isNull() && bytes == text)
                return shared;
        }
        auto &slot = m_entries[m_next++ % m_entries.size()];
        slot.first.assign(text);
        slot.second = utf8(text);
        return slot.second;
    }

private:
    std::array<std::pair<std::string, QString>, 16> m_entries;
    size_t m_next = 0;
};

RepeatedTexts &repeated(Key key)
{
    thread_local RepeatedTexts types, hosts, names, routes, small;
    switch (key) {
    case Key::Type:
        return types;
    case Key::Hostname:
        return hosts;
    case Key::Name:
        return names;
    case Key::Queue:
    case Key::Exchange:
    case Key::RoutingKey:
        return routes;
    default:
        return small; // "{}", "()", sw_* and the like
    }
}

bool isRepeated(Key key, std::string_view text)
{
    switch (key) {
    case Key::Type:
    case Key::Hostname:
    case Key::Name:
    case Key::Queue:
    case Key::Exchange:
    case Key::RoutingKey:
    case Key::SwIdent:
    case Key::SwVer:
    case Key::SwSys:
        return true;
    case Key::Args:
    case Key::Kwargs:
        return text.size() <= 2; // "()", "{}"
    default:
        return false;
    }
}

// The text is ASCII and reads the same as the string (task ids are).
bool sameAscii(const QString &string, std::string_view text)
{
    if (string.size() != qsizetype(text.size()))
        return false;
    for (size_t i = 0; i < text.size(); ++i) {
        if (uchar(text[i]) >= 0x80 || string.at(qsizetype(i)).unicode() != uchar(text[i]))
            return false;
    }
    return true;
}

bool applyHot(CeleryEvent &e, Key key, ondemand::value &value, bool *typed)
{
    ondemand::json_type type;
    if (value.type().get(type))
        return false;
    const bool null = type == ondemand::json_type::null;
    if (null) {
        bool isNull = false;
        if (value.is_null().get(isNull) || !isNull)
            return false;
    }
    if (key == Key::Type) {
        *typed = type == ondemand::json_type::string;
        if (!*typed)
            return null || hotjson::consume(value, kMemberDepth);
        std::string_view s;
        if (value.get_string().get(s))
            return false;
        e.type = repeated(Key::Type).get(s);
        return true;
    }
    if (QString *text = textField(e, key)) {
        if (null) {
            *text = QString();
            return true;
        }
        std::string_view s;
        // Another type is printed as the reference prints it: the reference does that.
        if (type != ondemand::json_type::string || value.get_string().get(s))
            return false;
        if (key == Key::RootId && sameAscii(e.uuid, s))
            *text = e.uuid; // a chain's first task is its own root
        else
            *text = isRepeated(key, s) ? repeated(key).get(s) : utf8(s);
        return true;
    }
    if (isNumberKey(key)) {
        double number = 0;
        if (type == ondemand::json_type::number) {
            if (!hotjson::readDouble(value, &number))
                return false;
            setNumber(e, key, &number, false);
            return true;
        }
        setNumber(e, key, nullptr, null);
        return null || hotjson::consume(value, kMemberDepth);
    }
    if (key == Key::Terminated || key == Key::Expired || key == Key::Requeue) {
        bool flag = false;
        if (type == ondemand::json_type::boolean) {
            if (value.get_bool().get(flag))
                return false;
            setFlag(e, key, &flag, false);
            return true;
        }
        setFlag(e, key, nullptr, null);
        return null || hotjson::consume(value, kMemberDepth);
    }
    if (key == Key::LoadAverage && type == ondemand::json_type::array) {
        e.loadavg.clear();
        bool ok = true;
        ondemand::array array;
        if (value.get_array().get(array))
            return false;
        for (auto element : array) {
            ondemand::value item;
            ondemand::json_type itemType;
            if (element.get(item) || item.type().get(itemType))
                return false;
            if (itemType != ondemand::json_type::number) {
                ok = false;
                if (!hotjson::consume(item, kMemberDepth + 1))
                    return false;
                continue;
            }
            double number = 0;
            if (!hotjson::readDouble(item, &number))
                return false;
            if (ok && e.loadavg.size() < kMaxLoadAverages)
                e.loadavg << number;
        }
        if (!ok)
            e.loadavg.clear();
        e.malformed = ok ? e.malformed & ~quint32(CeleryEvent::LoadAverage)
                         : e.malformed | CeleryEvent::LoadAverage;
        return true;
    }
    if (key == Key::LoadAverage) {
        e.loadavg.clear();
        e.malformed = null ? e.malformed & ~quint32(CeleryEvent::LoadAverage)
                           : e.malformed | CeleryEvent::LoadAverage;
    }
    return null || hotjson::consume(value, kMemberDepth);
}

// One element of a body: an event (true in *isEvent) or something else, read through.
bool hotElement(ondemand::value &value, CeleryEvent *out, bool *isEvent)
{
    ondemand::json_type type;
    if (value.type().get(type))
        return false;
    *isEvent = false;
    if (type != ondemand::json_type::object)
        return hotjson::consume(value, kMemberDepth - 1);
    ondemand::object object;
    if (value.get_object().get(object))
        return false;
    *out = CeleryEvent();
    bool typed = false;
    for (auto field : object) {
        std::string_view key;
        ondemand::value member;
        if (field.unescaped_key().get(key) || field.value().get(member)
            || !applyHot(*out, keyOf(key), member, &typed))
            return false;
    }
    *isEvent = typed;
    return true;
}

ondemand::parser &hotParser()
{
    thread_local ondemand::parser parser;
    return parser;
}

// A document of the hot parser over padded bytes.
bool hotDocument(simdjson::padded_string_view bytes, ondemand::document *doc)
{
    ondemand::parser &parser = hotParser();
    if (parser.capacity() < bytes.size() || parser.max_depth() != size_t(kMaxJsonDepth)) {
        if (parser.allocate(std::max<size_t>(bytes.size(), 64 * 1024), size_t(kMaxJsonDepth)))
            return false;
    }
    return !parser.iterate(bytes).get(*doc);
}

// A document of the hot parser over bytes (their padded copy in scratch).
bool hotDocument(QByteArrayView bytes, std::string &scratch, ondemand::document *doc)
{
    return hotDocument(hotjson::padded(bytes, scratch), doc);
}

// Nothing may follow the root value (simdjson 3.0 reads the root only): past the end, the
// iterator has no location.
bool hotEnded(ondemand::document &doc)
{
    const char *trailing = nullptr;
    return doc.current_location().get(trailing) == OUT_OF_BOUNDS;
}

bool hotBody(simdjson::padded_string_view json, CeleryEventBatch *batch)
{
    ondemand::document doc;
    ondemand::json_type type;
    if (!hotDocument(json, &doc) || doc.type().get(type))
        return false;
    CeleryEvent event;
    bool isEvent = false;
    const qsizetype before = batch->events.size(); // the caller's, appended to
    if (type == ondemand::json_type::array) {
        ondemand::array array;
        if (doc.get_array().get(array))
            return false;
        size_t elements = 0;
        for (auto element : array) {
            ondemand::value value;
            if (element.get(value) || !hotElement(value, &event, &isEvent))
                return false;
            ++elements;
            if (isEvent)
                batch->events << std::move(event);
            else
                ++batch->skipped;
        }
        if (!hotEnded(doc))
            return false;
        batch->ok = batch->events.size() > before || elements == 0;
        if (!batch->ok)
            batch->error = noEventIn(elements);
        return true;
    }
    if (type != ondemand::json_type::object)
        return false; // rare: the reference says what it is
    ondemand::value root;
    if (doc.get_value().get(root) || !hotElement(root, &event, &isEvent) || !hotEnded(doc))
        return false;
    if (isEvent)
        batch->events << std::move(event);
    else
        batch->error = notAnEvent();
    batch->ok = isEvent;
    return true;
}

bool asciiEqualsLower(std::string_view text, std::string_view lower)
{
    if (text.size() != lower.size())
        return false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i] >= 'A' && text[i] <= 'Z' ? char(text[i] - 'A' + 'a') : text[i];
        if (c != lower[i])
            return false;
    }
    return true;
}

enum class HotEnvelope { Body, NoEnvelope, GiveUp };

// kombu's envelope as every Celery worker on Redis writes it (JSON body, base64, no
// compression): the body's bytes into *body (padded, in memory of this thread's, valid until
// the next call). NoEnvelope: a JSON object without a body (a bare event). GiveUp for
// anything else.
HotEnvelope hotEnvelopeBody(QByteArrayView payload, simdjson::padded_string_view *body)
{
    thread_local std::string scratch;
    ondemand::document doc;
    ondemand::object root;
    if (!hotDocument(payload, scratch, &doc) || doc.get_object().get(root))
        return HotEnvelope::GiveUp;
    std::string_view text;
    bool hasBody = false;
    bool json = false;
    bool base64 = false;
    bool kombu = false;
    for (auto field : root) {
        std::string_view key;
        ondemand::value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            return HotEnvelope::GiveUp;
        if (key == "body") {
            if (value.get_string().get(text))
                return HotEnvelope::GiveUp;
            hasBody = true;
        } else if (key == "content-type") {
            std::string_view type;
            if (value.get_string().get(type))
                return HotEnvelope::GiveUp;
            json = asciiEqualsLower(type, "application/json");
            kombu = true;
        } else if (key == "properties") {
            ondemand::object properties;
            if (value.get_object().get(properties))
                return HotEnvelope::GiveUp;
            kombu = true;
            base64 = false;
            for (auto property : properties) {
                std::string_view name;
                ondemand::value member;
                if (property.unescaped_key().get(name) || property.value().get(member))
                    return HotEnvelope::GiveUp;
                if (name == "body_encoding") {
                    std::string_view encoding;
                    if (member.get_string().get(encoding))
                        return HotEnvelope::GiveUp;
                    base64 = asciiEqualsLower(encoding, "base64");
                } else if (!hotjson::consume(member, 3)) {
                    return HotEnvelope::GiveUp;
                }
            }
        } else if (key == "headers") {
            ondemand::json_type type;
            if (value.type().get(type))
                return HotEnvelope::GiveUp;
            if (type != ondemand::json_type::object) {
                if (!hotjson::consume(value, 2))
                    return HotEnvelope::GiveUp;
                continue;
            }
            ondemand::object headers;
            if (value.get_object().get(headers))
                return HotEnvelope::GiveUp;
            for (auto header : headers) {
                std::string_view name;
                ondemand::value member;
                if (header.unescaped_key().get(name) || header.value().get(member)
                    || name == "compression" || !hotjson::consume(member, 3))
                    return HotEnvelope::GiveUp;
            }
        } else if (!hotjson::consume(value, 2)) {
            return HotEnvelope::GiveUp;
        }
    }
    if (!hotEnded(doc))
        return HotEnvelope::GiveUp;
    if (!hasBody)
        return HotEnvelope::NoEnvelope;
    // The body's string lives in the parser: decoded before the parser reads the body.
    if (!kombu || !json || !base64)
        return HotEnvelope::GiveUp;
    thread_local std::string decoded;
    if (!hotjson::decodeBase64Padded(text, decoded, body))
        return HotEnvelope::GiveUp;
    return HotEnvelope::Body;
}

} // namespace

QStringList CeleryEvent::malformedFields() const
{
    static const std::pair<Field, const char *> names[] = {{Timestamp, "timestamp"},
                                                           {Clock, "clock"},
                                                           {Pid, "pid"},
                                                           {UtcOffset, "utcoffset"},
                                                           {Retries, "retries"},
                                                           {Runtime, "runtime"},
                                                           {Terminated, "terminated"},
                                                           {Expired, "expired"},
                                                           {Requeue, "requeue"},
                                                           {Freq, "freq"},
                                                           {Active, "active"},
                                                           {Processed, "processed"},
                                                           {LoadAverage, "loadavg"}};
    QStringList fields;
    for (const auto &[bit, name] : names) {
        if (malformed & bit)
            fields << QLatin1String(name);
    }
    return fields;
}

namespace {

// The hot path into batch (its events appended to); false: the reference must decide, batch
// as it was.
bool decodeHot(const QByteArray &payload, CeleryEventBatch *batch)
{
    thread_local std::string scratch;
    const qsizetype before = batch->events.size();
    const qsizetype first = payload.indexOf('{');
    const qsizetype array = payload.indexOf('[');
    bool decoded = false;
    if (first >= 0 && (array < 0 || first < array)) {
        simdjson::padded_string_view body;
        switch (hotEnvelopeBody(payload, &body)) {
        case HotEnvelope::Body:
            decoded = hotBody(body, batch);
            break;
        case HotEnvelope::NoEnvelope: // one bare event (RabbitMQ)
            decoded = hotBody(hotjson::padded(payload, scratch), batch);
            break;
        case HotEnvelope::GiveUp:
            break;
        }
    } else if (array >= 0) {
        decoded = hotBody(hotjson::padded(payload, scratch), batch); // RabbitMQ's task.multi
    }
    if (!decoded) {
        batch->events.resize(before);
        batch->skipped = 0;
        batch->ok = false;
        batch->error.clear();
    }
    return decoded;
}

} // namespace

CeleryEventBatch decodeCeleryEvents(const QByteArray &payload)
{
    CeleryEventBatch batch;
    if (decodeHot(payload, &batch))
        return batch;
    return decodeCeleryEventsReference(payload);
}

bool appendCeleryEvents(const QByteArray &payload, QList<CeleryEvent> *events, QString *error)
{
    CeleryEventBatch batch;
    batch.events = std::move(*events);
    if (!decodeHot(payload, &batch)) {
        CeleryEventBatch reference = decodeCeleryEventsReference(payload);
        batch.events += reference.events;
        batch.ok = reference.ok;
        batch.error = reference.error;
    }
    *events = std::move(batch.events);
    if (!batch.ok && error)
        *error = batch.error;
    return batch.ok;
}

CeleryEventBatch decodeCeleryEventsReference(const QByteArray &payload)
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
            batch.error = noEventIn(body.size());
        return batch;
    }
    if (toEvent(body, &event)) {
        batch.events << event;
        batch.ok = true;
        return batch;
    }
    batch.error = notAnEvent();
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
