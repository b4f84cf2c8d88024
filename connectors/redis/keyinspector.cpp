#include "keyinspector.h"

#include "redisclient.h"

#include <memory>

namespace bd::connectors {

namespace {

// Pairs from a flat array [a1, b1, a2, b2, …].
void takePairs(const RedisReply &flat, QList<QPair<QByteArray, QByteArray>> *out)
{
    const auto &e = flat.elements();
    for (size_t i = 0; i + 1 < e.size(); i += 2)
        out->push_back({e[i].bytes(), e[i + 1].isInteger() ? QByteArray::number(e[i + 1].toInteger()) : e[i + 1].bytes()});
}

} // namespace

KeyInspector::KeyInspector(RedisClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

void KeyInspector::loadMore(const KeyDetails &current, const QObject *context, Handler handler)
{
    if (!m_client || !current.truncated)
        return;
    const QByteArray &t = current.type;
    const QByteArray &key = current.key;
    const QByteArray page = QByteArray::number(m_pageSize);
    QList<QByteArray> command;
    if (t == "hash" || t == "set") {
        command = {t == "hash" ? "HSCAN" : "SSCAN", key, current.cursor, "COUNT", page};
    } else if (t == "list") {
        const qint64 from = current.cursor.toLongLong();
        command = {"LRANGE", key, current.cursor, QByteArray::number(from + m_pageSize - 1)};
    } else if (t == "zset") {
        const qint64 from = current.cursor.toLongLong();
        command = {"ZRANGE", key, current.cursor, QByteArray::number(from + m_pageSize - 1), "WITHSCORES"};
    } else if (t == "stream") {
        command = {"XRANGE", key, "(" + current.cursor, "+", "COUNT", page}; // exclusive start
    } else {
        return;
    }
    QPointer<QObject> guard(const_cast<QObject *>(context));
    const bool hasContext = context != nullptr;
    const qint64 shownBefore = current.entries.size();
    const qint64 length = current.length;
    m_client->send(command, this, [=, this](const RedisResult &r) {
        KeyDetails next;
        next.key = key;
        next.type = t;
        next.length = length;
        if (!r.ok()) {
            next.error = r.error;
        } else if (t == "hash" || t == "set") {
            if (r.reply.isArray() && r.reply.elements().size() == 2) {
                next.cursor = r.reply.elements()[0].bytes();
                const RedisReply &items = r.reply.elements()[1];
                if (t == "hash") {
                    takePairs(items, &next.entries);
                } else {
                    for (const RedisReply &m : items.elements())
                        next.entries.push_back({m.bytes(), {}});
                }
                next.truncated = next.cursor != "0";
            }
        } else if (t == "list" || t == "zset") {
            if (t == "list") {
                for (const RedisReply &m : r.reply.elements())
                    next.entries.push_back({m.bytes(), {}});
            } else {
                takePairs(r.reply, &next.entries);
            }
            const qint64 shown = shownBefore + next.entries.size();
            next.cursor = QByteArray::number(shown);
            next.truncated = length >= 0 ? shown < length : next.entries.size() == m_pageSize;
        } else {
            for (const RedisReply &entry : r.reply.elements()) {
                if (!entry.isArray() || entry.elements().size() != 2)
                    continue;
                QByteArray fields;
                for (const RedisReply &f : entry.elements()[1].elements())
                    fields += (fields.isEmpty() ? "" : " ") + f.bytes();
                next.entries.push_back({entry.elements()[0].bytes(), fields});
            }
            next.cursor = next.entries.isEmpty() ? current.cursor : next.entries.last().first;
            const qint64 shown = shownBefore + next.entries.size();
            next.truncated = length >= 0 ? shown < length : next.entries.size() == m_pageSize;
        }
        if (!(hasContext && guard.isNull()))
            handler(next);
    });
}

void KeyInspector::inspect(const QByteArray &key, const QObject *context, Handler handler)
{
    if (!m_client)
        return;
    auto details = std::make_shared<KeyDetails>();
    details->key = key;
    auto pending = std::make_shared<int>(4);
    QPointer<QObject> guard(const_cast<QObject *>(context));
    const bool hasContext = context != nullptr;
    auto deliver = [details, handler, guard, hasContext] {
        if (!(hasContext && guard.isNull()))
            handler(*details);
    };
    auto secondStep = [this, details, deliver, key] {
        const QByteArray &t = details->type;
        const QByteArray page = QByteArray::number(m_pageSize);
        QList<QByteArray> lengthCommand;
        QList<QByteArray> pageCommand;
        if (t == "string") {
            lengthCommand = {"STRLEN", key};
            pageCommand = {"GETRANGE", key, "0", QByteArray::number(m_previewBytes - 1)};
        } else if (t == "hash") {
            lengthCommand = {"HLEN", key};
            pageCommand = {"HSCAN", key, "0", "COUNT", page};
        } else if (t == "list") {
            lengthCommand = {"LLEN", key};
            pageCommand = {"LRANGE", key, "0", QByteArray::number(m_pageSize - 1)};
        } else if (t == "set") {
            lengthCommand = {"SCARD", key};
            pageCommand = {"SSCAN", key, "0", "COUNT", page};
        } else if (t == "zset") {
            lengthCommand = {"ZCARD", key};
            pageCommand = {"ZRANGE", key, "0", QByteArray::number(m_pageSize - 1), "WITHSCORES"};
        } else if (t == "stream") {
            lengthCommand = {"XLEN", key};
            pageCommand = {"XRANGE", key, "-", "+", "COUNT", page};
        } else {
            deliver(); // gone, or a module type this pane cannot read
            return;
        }
        auto left = std::make_shared<int>(2);
        m_client->send(lengthCommand, this, [details, deliver, left](const RedisResult &r) {
            if (r.ok() && r.reply.isInteger())
                details->length = r.reply.toInteger();
            if (--*left == 0)
                deliver();
        });
        m_client->send(pageCommand, this, [this, details, deliver, left, t](const RedisResult &r) {
            if (!r.ok()) {
                details->error = r.error;
            } else if (t == "string") {
                details->stringPreview = r.reply.bytes();
            } else if (t == "hash" || t == "set") {
                // [cursor, [items…]]
                if (r.reply.isArray() && r.reply.elements().size() == 2) {
                    const RedisReply &items = r.reply.elements()[1];
                    if (t == "hash") {
                        takePairs(items, &details->entries);
                    } else {
                        for (const RedisReply &m : items.elements())
                            details->entries.push_back({m.bytes(), {}});
                    }
                    details->cursor = r.reply.elements()[0].bytes();
                    details->truncated = details->cursor != "0";
                }
            } else if (t == "list") {
                for (const RedisReply &m : r.reply.elements())
                    details->entries.push_back({m.bytes(), {}});
                details->cursor = QByteArray::number(details->entries.size());
            } else if (t == "zset") {
                takePairs(r.reply, &details->entries);
                details->cursor = QByteArray::number(details->entries.size());
            } else if (t == "stream") {
                for (const RedisReply &entry : r.reply.elements()) {
                    if (!entry.isArray() || entry.elements().size() != 2)
                        continue;
                    QByteArray fields;
                    for (const RedisReply &f : entry.elements()[1].elements())
                        fields += (fields.isEmpty() ? "" : " ") + f.bytes();
                    details->entries.push_back({entry.elements()[0].bytes(), fields});
                }
                if (!details->entries.isEmpty())
                    details->cursor = details->entries.last().first;
            }
            Q_UNUSED(this);
            if (--*left == 0) {
                if (details->length >= 0 && t != "hash" && t != "set") {
                    const qint64 shown = t == "string" ? details->stringPreview.size() : details->entries.size();
                    details->truncated = shown < details->length;
                }
                deliver();
            }
        });
    };
    const auto stepDone = [pending, secondStep] {
        if (--*pending == 0)
            secondStep();
    };
    m_client->send({"TYPE", key}, this, [details, stepDone](const RedisResult &r) {
        if (r.ok() && r.reply.isStatus())
            details->type = r.reply.bytes();
        else
            details->error = r.error;
        stepDone();
    });
    m_client->send({"PTTL", key}, this, [details, stepDone](const RedisResult &r) {
        if (r.ok() && r.reply.isInteger())
            details->pttlMs = r.reply.toInteger();
        stepDone();
    });
    m_client->send({"MEMORY", "USAGE", key, "SAMPLES", "0"}, this, [details, stepDone](const RedisResult &r) {
        if (r.ok() && r.reply.isInteger())
            details->memoryBytes = r.reply.toInteger();
        stepDone();
    });
    m_client->send({"OBJECT", "ENCODING", key}, this, [details, stepDone](const RedisResult &r) {
        if (r.ok() && r.reply.isString())
            details->encoding = r.reply.bytes();
        stepDone();
    });
}

} // namespace bd::connectors
