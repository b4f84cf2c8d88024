#include "taskdraft.h"

#include "celery/kombuenvelope.h"
#include "codec/untrustedjson.h"
#include "redis/replyformatter.h"

#include <nlohmann/json.hpp>

namespace bd::models {

namespace {

// Parses one JSON field; says where it fails the way an editor would (line, column).
nlohmann::json parseField(const QString &text, const char *expected,
                          bool (nlohmann::json::*kind)() const, QString *error)
{
    const std::string bytes = text.trimmed().isEmpty() ? std::string() : text.toStdString();
    if (bytes.empty())
        return nullptr; // empty: the default, filled in by the caller
    auto parsed =
        connectors::parseUntrustedJson(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
    if (!parsed.ok()) {
        *error = parsed.error.toString(); // "line 1, column 4: …", as an editor says it
        return nullptr;
    }
    if (!(parsed.value.*kind)()) {
        *error = QStringLiteral("must be a JSON %1").arg(QLatin1String(expected));
        return nullptr;
    }
    return std::move(parsed.value);
}

QString pretty(const QByteArray &json)
{
    const auto parsed = connectors::parseUntrustedOrderedJson(json);
    return parsed.ok() ? connectors::jsonToText(parsed.value, 2) : QString::fromUtf8(json);
}

} // namespace

TaskDraft draftTask(const TaskForm &form, const QByteArray &keyPrefix, const QDateTime &now)
{
    TaskDraft draft;
    connectors::CeleryTaskRequest &r = draft.request;
    r.task = form.task.trimmed();
    r.id = form.id;
    r.queue = form.queue.trimmed().isEmpty() ? QStringLiteral("celery") : form.queue.trimmed();
    r.priority = form.priority;
    const nlohmann::json args =
        parseField(form.args, "array", &nlohmann::json::is_array, &draft.argsError);
    if (!args.is_null())
        r.args = args;
    const nlohmann::json kwargs =
        parseField(form.kwargs, "object", &nlohmann::json::is_object, &draft.kwargsError);
    if (!kwargs.is_null())
        r.kwargs = kwargs;
    if (form.when == TaskForm::When::Countdown) {
        if (form.countdownS < 0)
            draft.error = QStringLiteral("the countdown cannot be negative");
        r.eta = now.addMSecs(qint64(form.countdownS * 1000));
    } else if (form.when == TaskForm::When::Eta) {
        if (!form.eta.isValid())
            draft.error = QStringLiteral("the ETA is not a valid time");
        else
            r.eta = form.eta;
    }
    if (form.expiresS < 0)
        draft.error = QStringLiteral("expires cannot be negative");
    else if (form.expiresS > 0)
        r.expires = now.addMSecs(qint64(form.expiresS * 1000));
    if (!draft.argsError.isEmpty() || !draft.kwargsError.isEmpty() || !draft.error.isEmpty())
        return draft;
    draft.encoded = connectors::encodeCeleryTask(r, keyPrefix, now);
    if (!draft.encoded.ok) {
        draft.error = draft.encoded.error;
        return draft;
    }
    const connectors::KombuEnvelope envelope =
        connectors::decodeKombuEnvelope(draft.encoded.envelope);
    QStringList lines;
    lines << QStringLiteral("LPUSH %1  (%2 bytes)")
                 .arg(connectors::ReplyFormatter::escapeBytes(draft.encoded.listKey, false))
                 .arg(draft.encoded.envelope.size());
    lines << QString() << pretty(draft.encoded.envelope);
    if (envelope.bodyKind == connectors::KombuEnvelope::BodyKind::Json)
        lines << QString() << QStringLiteral("body, decoded from base64 ([args, kwargs, embed]):")
              << connectors::jsonToText(envelope.bodyJson, 2);
    draft.preview = lines.join(QLatin1Char('\n'));
    return draft;
}

} // namespace bd::models
