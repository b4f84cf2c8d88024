#include "keyinspector.h"

#include "redisclient.h"

#include <QHash>

#include <memory>

namespace bd::connectors {

namespace {

bool isScanned(const QByteArray &type)
{
    return type == "hash" || type == "set";
}

// Pairs from a flat array [a1, b1, a2, b2, …].
void takePairs(const RedisReply &flat, QList<QPair<QByteArray, QByteArray>> *out)
{
    const auto &e = flat.elements();
    for (size_t i = 0; i + 1 < e.size(); i += 2)
        out->push_back({e[i].bytes(), e[i + 1].isInteger()
                                          ? QByteArray::number(e[i + 1].toInteger())
                                          : e[i + 1].bytes()});
}

// The command for the page that starts at `cursor`: a SCAN cursor ("0" first), an index
// ("0" first), or for streams the last id read (empty first).
QList<QByteArray> pageCommand(const QByteArray &type, const QByteArray &key,
                              const QByteArray &cursor, int pageSize)
{
    const QByteArray page = QByteArray::number(pageSize);
    const QByteArray last = QByteArray::number(cursor.toLongLong() + pageSize - 1);
    if (type == "hash")
        return {"HSCAN", key, cursor.isEmpty() ? "0" : cursor, "COUNT", page};
    if (type == "set")
        return {"SSCAN", key, cursor.isEmpty() ? "0" : cursor, "COUNT", page};
    if (type == "list")
        return {"LRANGE", key, cursor.isEmpty() ? "0" : cursor, last};
    if (type == "zset")
        return {"ZRANGE", key, cursor.isEmpty() ? "0" : cursor, last, "WITHSCORES"};
    if (type == "stream")
        return {"XRANGE", key,     cursor.isEmpty() ? QByteArray("-") : "(" + cursor,
                "+",      "COUNT", page}; // exclusive
    return {};
}

// Reads one page reply into page (entries, cursor, truncated). shownBefore: entries already
// shown; length: the collection's size when known (-1 otherwise).
void readPage(const QByteArray &type, const RedisReply &reply, qint64 shownBefore, qint64 length,
              int pageSize, const QByteArray &previousCursor, KeyDetails *page)
{
    if (isScanned(type)) {
        if (!reply.isArray() || reply.elements().size() != 2)
            return;
        page->cursor = reply.elements()[0].bytes();
        const RedisReply &items = reply.elements()[1];
        if (type == "hash") {
            takePairs(items, &page->entries);
        } else {
            for (const RedisReply &m : items.elements())
                page->entries.push_back({m.bytes(), {}});
        }
        page->truncated = page->cursor != "0";
        return;
    }
    if (type == "list") {
        for (const RedisReply &m : reply.elements())
            page->entries.push_back({m.bytes(), {}});
    } else if (type == "zset") {
        takePairs(reply, &page->entries);
    } else if (type == "stream") {
        for (const RedisReply &entry : reply.elements()) {
            if (!entry.isArray() || entry.elements().size() != 2)
                continue;
            QByteArray fields;
            for (const RedisReply &f : entry.elements()[1].elements())
                fields += (fields.isEmpty() ? "" : " ") + f.bytes();
            page->entries.push_back({entry.elements()[0].bytes(), fields});
        }
    }
    const qint64 shown = shownBefore + page->entries.size();
    if (type == "stream")
        page->cursor = page->entries.isEmpty() ? previousCursor : page->entries.last().first;
    else
        page->cursor = QByteArray::number(shown);
    page->truncated = length >= 0 ? shown < length : page->entries.size() == pageSize;
}

} // namespace

KeyInspector::KeyInspector(RedisClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

void KeyInspector::loadMore(const KeyDetails &current, const QObject *context, Handler handler)
{
    const QList<QByteArray> command =
        pageCommand(current.type, current.key, current.cursor, m_pageSize);
    if (!m_client || !current.truncated || command.isEmpty())
        return;
    QPointer<QObject> guard(const_cast<QObject *>(context));
    const bool hasContext = context != nullptr;
    const QByteArray key = current.key, type = current.type, cursor = current.cursor;
    const qint64 shownBefore = current.entries.size(), length = current.length;
    const int pageSize = m_pageSize;
    m_client->send(command, this, [=](const RedisResult &r) {
        KeyDetails next;
        next.key = key;
        next.type = type;
        next.length = length;
        if (r.ok())
            readPage(type, r.reply, shownBefore, length, pageSize, cursor, &next);
        else
            next.error = r.error;
        if (!(hasContext && guard.isNull()))
            handler(next);
    });
}

void KeyInspector::readString(const QByteArray &key, qint64 chunkBytes, const QObject *context,
                              ChunkHandler onChunk, DoneHandler onDone)
{
    if (!m_client)
        return;
    constexpr int kInFlight = 4;
    struct State
    {
        QPointer<RedisClient> client;
        QByteArray key;
        qint64 chunk = 0;
        qint64 total = -1;
        qint64 nextOffset = 0; // of the next GETRANGE to send
        qint64 received = 0;
        bool done = false;
        QPointer<QObject> context;
        bool hasContext = false;
        ChunkHandler onChunk;
        DoneHandler onDone;
        std::function<void()> pump;
    };
    auto st = std::make_shared<State>();
    st->client = m_client;
    st->key = key;
    st->chunk = qMax<qint64>(1, chunkBytes);
    st->context = const_cast<QObject *>(context);
    st->hasContext = context != nullptr;
    st->onChunk = std::move(onChunk);
    st->onDone = std::move(onDone);
    const auto finish = [](const std::shared_ptr<State> &s, const RedisError &error) {
        if (s->done)
            return;
        s->done = true;
        s->pump = nullptr; // breaks the cycle
        if (!(s->hasContext && s->context.isNull()))
            s->onDone(error);
    };
    std::weak_ptr<State> weak = st;
    st->pump = [weak, finish, this] {
        const auto s = weak.lock();
        if (!s || s->done || !s->client)
            return;
        if (s->hasContext && s->context.isNull()) {
            s->done = true;
            s->pump = nullptr;
            return;
        }
        while (s->nextOffset < s->total && s->nextOffset - s->received < kInFlight * s->chunk) {
            const qint64 from = s->nextOffset;
            const qint64 to = qMin(s->total, from + s->chunk) - 1;
            s->nextOffset = to + 1;
            s->client->send(
                {"GETRANGE", s->key, QByteArray::number(from), QByteArray::number(to)}, this,
                [s, from, to, finish](const RedisResult &r) {
                    if (s->done)
                        return;
                    if (!r.ok()) {
                        finish(s, r.error);
                        return;
                    }
                    const QByteArray bytes = r.reply.bytes();
                    if (bytes.size() != to - from + 1) {
                        finish(s,
                               RedisError{
                                   RedisError::Kind::ServerError,
                                   tr("the value changed while it was read (%1 bytes where %2 were "
                                      "expected); nothing complete was read")
                                       .arg(bytes.size())
                                       .arg(to - from + 1)});
                        return;
                    }
                    s->received += bytes.size();
                    if (!(s->hasContext && s->context.isNull()))
                        s->onChunk(from, bytes, s->total);
                    if (s->received >= s->total)
                        finish(s, {});
                    else if (s->pump)
                        s->pump();
                });
        }
    };
    m_client->send({"STRLEN", key}, this, [st, finish](const RedisResult &r) {
        if (!r.ok() || !r.reply.isInteger()) {
            finish(st, r.ok() ? RedisError{RedisError::Kind::ServerError, tr("not a string")}
                              : r.error);
            return;
        }
        st->total = r.reply.toInteger();
        if (st->total == 0) {
            finish(st, {});
            return;
        }
        st->pump();
    });
}

void KeyInspector::inspect(const QByteArray &key, const QObject *context, Handler handler)
{
    if (!m_client)
        return;
    auto details = std::make_shared<KeyDetails>();
    details->key = key;
    QPointer<QObject> guard(const_cast<QObject *>(context));
    const bool hasContext = context != nullptr;
    auto deliver = [details, handler, guard, hasContext] {
        if (!(hasContext && guard.isNull()))
            handler(*details);
    };
    // Second round trip: the size and the first page, chosen by the type.
    auto secondStep = [this, details, deliver, key] {
        const QByteArray &t = details->type;
        QList<QByteArray> lengthCommand;
        QList<QByteArray> firstPage;
        if (t == "string") {
            lengthCommand = {"STRLEN", key};
            firstPage = {"GETRANGE", key, "0", QByteArray::number(m_previewBytes - 1)};
        } else {
            static const QHash<QByteArray, QByteArray> lengthOf = {{"hash", "HLEN"},
                                                                   {"list", "LLEN"},
                                                                   {"set", "SCARD"},
                                                                   {"zset", "ZCARD"},
                                                                   {"stream", "XLEN"}};
            if (!lengthOf.contains(t)) {
                deliver(); // gone, or a module type this pane cannot read
                return;
            }
            lengthCommand = {lengthOf.value(t), key};
            firstPage = pageCommand(t, key, {}, m_pageSize);
        }
        auto left = std::make_shared<int>(t == "stream" ? 3 : 2);
        if (t == "stream") {
            m_client->send({"XINFO", "GROUPS", key}, this,
                           [details, deliver, left](const RedisResult &r) {
                               // Denied or an old server: the groups are simply not shown.
                               if (r.ok() && r.reply.isArray()) {
                                   for (const RedisReply &g : r.reply.elements()) {
                                       StreamGroup group;
                                       const auto &f = g.elements();
                                       for (size_t i = 0; i + 1 < f.size(); i += 2) {
                                           const QByteArray &name = f[i].bytes();
                                           const RedisReply &v = f[i + 1];
                                           if (name == "name")
                                               group.name = v.bytes();
                                           else if (name == "consumers")
                                               group.consumers = v.toInteger();
                                           else if (name == "pending")
                                               group.pending = v.toInteger();
                                           else if (name == "last-delivered-id")
                                               group.lastDeliveredId = v.bytes();
                                           else if (name == "lag" && v.isInteger())
                                               group.lag = v.toInteger();
                                       }
                                       details->streamGroups << group;
                                   }
                               }
                               if (--*left == 0)
                                   deliver();
                           });
        }
        m_client->send(lengthCommand, this, [details, deliver, left](const RedisResult &r) {
            if (r.ok() && r.reply.isInteger())
                details->length = r.reply.toInteger();
            if (--*left == 0)
                deliver();
        });
        // The length is asked first, so it has arrived when the page does (replies are FIFO).
        m_client->send(firstPage, this, [this, details, deliver, left, t](const RedisResult &r) {
            if (!r.ok()) {
                details->error = r.error;
            } else if (t == "string") {
                details->stringPreview = r.reply.bytes();
                details->truncated = details->length > details->stringPreview.size();
            } else {
                readPage(t, r.reply, 0, details->length, m_pageSize, {}, details.get());
            }
            if (--*left == 0)
                deliver();
        });
    };
    // First round trip: the facts, pipelined.
    auto pending = std::make_shared<int>(4);
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
    m_client->send({"MEMORY", "USAGE", key, "SAMPLES", "0"}, this,
                   [details, stepDone](const RedisResult &r) {
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
