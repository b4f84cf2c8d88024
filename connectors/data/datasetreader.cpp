#include "datasetreader.h"

#include "codec/untrustedjson.h"
#include "data/datasetdecoder.h"
#include "redis/redisclient.h"

#include <QCoreApplication>
#include <QThreadPool>

#include <vector>

namespace bd::connectors {

namespace {

QString keyText(const QByteArray &key)
{
    return QString::fromUtf8(key);
}

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1 << 20), 'f', bytes < (10 << 20) ? 1 : 0);
}

// Names where the problems added since `before` came from ("field 7: ", "key employee:7: ").
void prefixNew(DatasetTableBuilder &builder, qsizetype before, const QString &where)
{
    auto &problems = builder.table().problemList();
    for (qsizetype i = before; i < problems.size(); ++i)
        problems[i].text.prepend(where);
}

constexpr int kValueBatch = 500; // keys of a pattern whose values are asked for at once

// A key of a pattern: a hash's fields, or a string's JSON.
struct PatternValue
{
    QByteArray key;
    bool hash = false;
    QByteArray json;
    std::vector<std::pair<QByteArray, QByteArray>> fields;
};

} // namespace

struct DatasetReader::Job
{
    DatasetDefinition definition;
    DatasetReadOptions options;
    QPointer<const QObject> context;
    bool hasContext = false;
    Handler handler;
    DatasetRead result;
    QByteArray value;                                       // a string's bytes
    std::vector<std::pair<QByteArray, QByteArray>> entries; // a hash's fields
    QList<QByteArray> keys;                                 // a pattern's keys
    std::vector<PatternValue> values;                       // their values
    qint64 bytes = 0;                                       // read so far
    int pending = 0;                                        // chunks or values in flight
    bool failed = false;

    void fail(const QString &why)
    {
        if (!failed)
            result.error = why;
        failed = true;
    }
};

DatasetReader::DatasetReader(RedisClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

void DatasetReader::read(const DatasetDefinition &definition, const DatasetReadOptions &options,
                         const QObject *context, Handler handler)
{
    auto job = std::make_shared<Job>();
    job->definition = definition;
    job->options = options;
    job->options.maxBytes = qBound<qint64>(0, options.maxBytes, DatasetReadOptions::kMaxLimitBytes);
    job->context = context;
    job->hasContext = context != nullptr;
    job->handler = std::move(handler);
    switch (definition.source) {
    case DatasetDefinition::Source::JsonArray:
        readString(job);
        break;
    case DatasetDefinition::Source::JsonHash:
        readHash(job);
        break;
    case DatasetDefinition::Source::KeyPattern:
        readPattern(job);
        break;
    }
}

void DatasetReader::readFacts(const std::shared_ptr<Job> &job, const QByteArray &sizeCommand,
                              const QByteArray &type, const QString &wrongType,
                              std::function<void()> then)
{
    const QByteArray key = job->definition.key;
    // TYPE, PTTL and the size pipelined; the last answer decides.
    m_client->send({"TYPE", key}, this, [job](const RedisResult &r) {
        if (!r.ok())
            job->fail(r.error.toString());
        else
            job->result.type = r.reply.bytes();
    });
    m_client->send({"PTTL", key}, this, [job](const RedisResult &r) {
        if (!r.ok())
            job->fail(r.error.toString());
        else
            job->result.pttlMs = r.reply.toInteger();
    });
    m_client->send(
        {sizeCommand, key}, this, [this, job, key, type, wrongType, then](const RedisResult &r) {
            // The size of another type is an error the type check says better.
            if (!r.ok() && !job->failed && job->result.type == type)
                job->fail(r.error.toString());
            job->result.size = r.ok() ? r.reply.toInteger() : 0;
            job->result.readAt = QDateTime::currentDateTimeUtc();
            if (job->failed)
                return finish(job);
            if (job->result.type == "none") {
                job->result.missing = true;
                return finish(job);
            }
            if (job->result.type != type) {
                job->fail(wrongType.arg(keyText(key), QString::fromUtf8(job->result.type)));
                return finish(job);
            }
            then();
        });
}

void DatasetReader::readString(const std::shared_ptr<Job> &job)
{
    const QByteArray key = job->definition.key;
    const QString wrongType =
        tr("%1 is a %2, not a string holding a JSON array (a hash of JSON records is read by a "
           "dataset of the json-hash kind)");
    readFacts(job, "STRLEN", "string", wrongType, [this, job, key] {
        const qint64 length = job->result.size;
        if (length > job->options.maxBytes) {
            job->result.tooLarge = true;
            job->fail(tr("%1 holds %2 MB, more than the %3 MB limit: raise the limit to read it")
                          .arg(keyText(key), megabytes(length), megabytes(job->options.maxBytes)));
            return finish(job);
        }
        const qint64 step = qMax<qint64>(1, job->options.chunkBytes);
        if (length <= step) {
            m_client->send({"GET", key}, this, [this, job](const RedisResult &got) {
                if (!got.ok())
                    job->fail(got.error.toString());
                else if (got.reply.isNil())
                    job->result.missing = true; // gone between STRLEN and GET
                else
                    job->value = got.reply.bytes();
                job->failed || job->result.missing ? finish(job) : decodeAndFinish(job);
            });
            return;
        }
        // Chunks pipelined back to back; the server answers them in order. Room for
        // simdjson's padding: the decoder reads these bytes in place, without a copy.
        job->value.reserve(length + 64);
        for (qint64 from = 0; from < length; from += step) {
            ++job->pending;
            const qint64 to = qMin(length, from + step) - 1;
            m_client->send({"GETRANGE", key, QByteArray::number(from), QByteArray::number(to)},
                           this, [this, job, length](const RedisResult &chunk) {
                               --job->pending;
                               if (!chunk.ok())
                                   job->fail(chunk.error.toString());
                               else if (!job->failed)
                                   job->value += chunk.reply.bytes();
                               if (job->pending > 0)
                                   return;
                               if (!job->failed && job->value.size() != length)
                                   job->fail(tr("the value changed while it was read (%1 bytes "
                                                "expected, %2 read): read it again")
                                                 .arg(length)
                                                 .arg(job->value.size()));
                               job->failed ? finish(job) : decodeAndFinish(job);
                           });
        }
    });
}

void DatasetReader::readHash(const std::shared_ptr<Job> &job)
{
    const QByteArray key = job->definition.key;
    readFacts(job, "HLEN", "hash", tr("%1 is a %2, not a hash of JSON records"), [this, job, key] {
        m_client->walk({"HSCAN", key, "0", "COUNT", "1000"}, 2, -1, this,
                       [this, job](const RedisResult &page, bool last) {
                           if (job->failed)
                               return;
                           const RedisReply &reply = page.reply;
                           if (!page.ok()) {
                               job->fail(page.error.toString());
                           } else if (!reply.isArray() || reply.elements().size() != 2
                                      || !reply.elements()[1].isArray()) {
                               job->fail(tr("the server answered HSCAN with something else"));
                           } else {
                               const auto &items = reply.elements()[1].elements();
                               for (size_t i = 0; i + 1 < items.size(); i += 2) {
                                   job->bytes += items[i + 1].bytes().size();
                                   job->entries.emplace_back(items[i].bytes(),
                                                             items[i + 1].bytes());
                               }
                               if (job->bytes > job->options.maxBytes) {
                                   job->result.tooLarge = true;
                                   job->fail(tr("the hash holds more than the %1 MB limit: "
                                                "raise the limit to read it")
                                                 .arg(megabytes(job->options.maxBytes)));
                               }
                           }
                           if (job->failed)
                               return finish(job);
                           if (last)
                               decodeAndFinish(job);
                       });
    });
}

void DatasetReader::readPattern(const std::shared_ptr<Job> &job)
{
    m_client->walk({"SCAN", "0", "MATCH", job->definition.key, "COUNT", "1000"}, 1,
                   job->options.maxKeys, this, [this, job](const RedisResult &page, bool last) {
                       if (job->failed)
                           return;
                       const RedisReply &reply = page.reply;
                       if (!page.ok()) {
                           job->fail(page.error.toString());
                           return finish(job);
                       }
                       if (!reply.isArray() || reply.elements().size() != 2
                           || !reply.elements()[1].isArray()) {
                           job->fail(tr("the server answered SCAN with something else"));
                           return finish(job);
                       }
                       for (const RedisReply &key : reply.elements()[1].elements())
                           job->keys << key.bytes();
                       if (!last)
                           return;
                       job->result.readAt = QDateTime::currentDateTimeUtc();
                       job->result.size = job->keys.size();
                       job->result.type = "pattern";
                       if (job->keys.isEmpty()) {
                           job->result.missing = true;
                           return finish(job);
                       }
                       readPatternValues(job, 0);
                   });
}

void DatasetReader::readPatternValues(const std::shared_ptr<Job> &job, qsizetype from)
{
    // A batch of keys: TYPE of each, then GET or HGETALL and PTTL of each, pipelined.
    const QList<QByteArray> batch = job->keys.mid(from, kValueBatch);
    auto types = std::make_shared<QList<QByteArray>>();
    for (const QByteArray &key : batch) {
        m_client->send({"TYPE", key}, this, [this, job, types, batch, from](const RedisResult &r) {
            types->append(r.ok() ? r.reply.bytes() : QByteArray());
            if (types->size() < batch.size())
                return;
            for (qsizetype i = 0; i < batch.size(); ++i) {
                const QByteArray &key = batch.at(i);
                const QByteArray &type = types->at(i);
                if (type != "string" && type != "hash")
                    continue; // gone meanwhile, or not a record: skipped
                ++job->pending;
                m_client->send({"PTTL", key}, this, [job](const RedisResult &t) {
                    if (!t.ok() || t.reply.toInteger() < 0)
                        return;
                    const qint64 ttl = t.reply.toInteger();
                    if (job->result.pttlMs < 0 || ttl < job->result.pttlMs)
                        job->result.pttlMs = ttl;
                });
                const bool hash = type == "hash";
                m_client->send(
                    {hash ? QByteArray("HGETALL") : QByteArray("GET"), key}, this,
                    [this, job, key, hash, last = from + batch.size()](const RedisResult &v) {
                        --job->pending;
                        if (v.ok() && !v.reply.isNil() && !job->failed) {
                            PatternValue value;
                            value.key = key;
                            value.hash = hash;
                            if (hash) {
                                const auto &items = v.reply.elements();
                                for (size_t j = 0; j + 1 < items.size(); j += 2) {
                                    job->bytes += items[j + 1].bytes().size();
                                    value.fields.emplace_back(items[j].bytes(),
                                                              items[j + 1].bytes());
                                }
                            } else {
                                job->bytes += v.reply.bytes().size();
                                value.json = v.reply.bytes();
                            }
                            job->values.push_back(std::move(value));
                        } else if (!v.ok()) {
                            job->fail(v.error.toString());
                        }
                        if (!job->failed && job->bytes > job->options.maxBytes) {
                            job->result.tooLarge = true;
                            job->fail(tr("the keys hold more than the %1 MB "
                                         "limit: raise the limit to read them")
                                          .arg(megabytes(job->options.maxBytes)));
                        }
                        if (job->pending > 0)
                            return;
                        if (job->failed)
                            return finish(job);
                        if (last < job->keys.size())
                            return readPatternValues(job, last);
                        decodeAndFinish(job);
                    });
            }
            if (job->pending == 0) {
                // None of the batch was a record.
                const qsizetype last = from + batch.size();
                if (last < job->keys.size())
                    return readPatternValues(job, last);
                decodeAndFinish(job);
            }
        });
    }
}

void DatasetReader::decodeAndFinish(const std::shared_ptr<Job> &job)
{
    // On a pool thread: 20 MB of JSON is tens of milliseconds the owner's thread keeps.
    QPointer<DatasetReader> self(this);
    QThreadPool::globalInstance()->start([self, job] {
        const DatasetDecodeOptions options{job->definition.columns, job->definition.idField};
        DatasetTable table;
        switch (job->definition.source) {
        case DatasetDefinition::Source::JsonArray:
            table = decodeDatasetJson(job->value, options);
            job->value.clear();
            break;
        case DatasetDefinition::Source::JsonHash: {
            DatasetTableBuilder builder(options);
            qint64 index = 0;
            for (const auto &[field, json] : job->entries) {
                const qsizetype before = builder.table().problemList().size();
                builder.addJsonRecord(index++, field, json);
                prefixNew(builder, before, tr("field %1: ").arg(QString::fromUtf8(field)));
            }
            table = builder.take();
            table.bytes = job->bytes;
            break;
        }
        case DatasetDefinition::Source::KeyPattern: {
            // Keys in name order: the table's first look is stable between reads.
            std::sort(job->values.begin(), job->values.end(),
                      [](const PatternValue &a, const PatternValue &b) { return a.key < b.key; });
            DatasetTableBuilder builder(options);
            qint64 index = 0;
            for (const PatternValue &v : job->values) {
                if (v.hash) {
                    builder.beginRecord(index, v.key);
                    nlohmann::json object = nlohmann::json::object();
                    for (const auto &[field, value] : v.fields) {
                        builder.field(std::string_view(field.constData(), size_t(field.size())),
                                      value);
                        object[field.toStdString()] = value.toStdString();
                    }
                    builder.appendRecordJson(jsonToBytes(object));
                    builder.endRecord();
                } else {
                    const qsizetype before = builder.table().problemList().size();
                    builder.addJsonRecord(index, v.key, v.json);
                    prefixNew(builder, before, tr("key %1: ").arg(QString::fromUtf8(v.key)));
                }
                ++index;
            }
            table = builder.take();
            table.bytes = job->bytes;
            break;
        }
        }
        if (!table.ok() && job->result.error.isEmpty())
            job->result.error = table.error;
        job->result.table = std::make_shared<const DatasetTable>(std::move(table));
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, job] {
                if (self)
                    self->finish(job);
            },
            Qt::QueuedConnection);
    });
}

void DatasetReader::finish(const std::shared_ptr<Job> &job)
{
    if (!job->handler)
        return; // finished already
    Handler handler = std::move(job->handler);
    job->handler = nullptr;
    if (job->hasContext && !job->context)
        return;
    handler(job->result);
}

} // namespace bd::connectors
