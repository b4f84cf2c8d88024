#include "lasttaskrun.h"

#include "celery/jsonfields.h"
#include "codec/untrustedjson.h"
#include "redis/redisclient.h"

#include <QPointer>

#include <memory>

namespace bd::connectors {

namespace {

constexpr int kBatch = 500; // keys per MGET

struct Search
{
    QString taskName;
    QList<QByteArray> keys;
    qsizetype next = 0;
    LastTaskRun run;
    QPointer<const QObject> context;
    bool hasContext = false;
    std::function<void(const LastTaskRun &)> done;

    void finish()
    {
        if (!done || (hasContext && !context))
            return;
        auto callback = std::move(done);
        done = nullptr;
        callback(run);
    }
};

void take(Search &s, const QByteArray &value)
{
    const auto parsed = parseUntrustedJson(value);
    if (!parsed.ok() || !parsed.value.is_object() || jsonText(parsed.value, "name") != s.taskName)
        return;
    QDateTime done = QDateTime::fromString(jsonText(parsed.value, "date_done"), Qt::ISODateWithMs);
    if (!done.isValid())
        return;
    if (done.timeSpec() == Qt::LocalTime)
        done.setTimeSpec(Qt::UTC); // Celery writes naive UTC
    if (s.run.found && done <= s.run.doneAt)
        return;
    s.run.found = true;
    s.run.doneAt = done.toUTC();
    s.run.taskId = jsonText(parsed.value, "task_id");
    s.run.status = jsonText(parsed.value, "status");
    s.run.traceback = jsonText(parsed.value, "traceback");
    s.run.result = parsed.value.contains("result") ? parsed.value["result"] : nlohmann::json();
}

void readValues(RedisClient *client, const std::shared_ptr<Search> &s)
{
    if (s->next >= s->keys.size())
        return s->finish();
    QList<QByteArray> command{"MGET"};
    command += s->keys.mid(s->next, kBatch);
    s->next += kBatch;
    client->send(command, client, [client, s](const RedisResult &r) {
        if (!r.ok()) {
            s->run.error = r.error.toString();
            return s->finish();
        }
        for (const RedisReply &value : r.reply.elements()) {
            if (value.isString())
                take(*s, value.bytes());
        }
        readValues(client, s);
    });
}

} // namespace

void findLastTaskRun(RedisClient *client, const QString &taskName, qint64 maxKeys,
                     const QObject *context, std::function<void(const LastTaskRun &)> done)
{
    auto s = std::make_shared<Search>();
    s->taskName = taskName;
    s->context = context;
    s->hasContext = context != nullptr;
    s->done = std::move(done);
    client->walk({"SCAN", "0", "MATCH", "celery-task-meta-*", "COUNT", "1000"}, 1, maxKeys, client,
                 [client, s, maxKeys](const RedisResult &page, bool last) {
                     if (!page.ok()) {
                         s->run.error = page.error.toString();
                         return s->finish();
                     }
                     const RedisReply &reply = page.reply;
                     if (reply.isArray() && reply.elements().size() == 2
                         && reply.elements()[1].isArray()) {
                         for (const RedisReply &key : reply.elements()[1].elements())
                             s->keys << key.bytes();
                         if (last)
                             s->run.complete =
                                 reply.elements()[0].bytes() == "0" && s->keys.size() < maxKeys;
                     }
                     if (!last)
                         return;
                     s->run.scanned = s->keys.size();
                     readValues(client, s);
                 });
}

} // namespace bd::connectors
