#include "respreader.h"

#include <hiredis/hiredis.h>

#include <limits>

namespace bd::connectors {

// The reader whose next() runs on this thread: hiredis's callbacks have no way to reach it
// that works across hiredis versions.
struct RespReaderHooks
{
    static inline thread_local RespReader *current = nullptr;
    struct Scope
    {
        explicit Scope(RespReader *reader) { current = reader; }
        ~Scope() { current = nullptr; }
    };
    static void head(const QByteArray &first)
    {
        if (current && current->m_headHook)
            current->m_headHook(first);
    }
    static void tooDeep()
    {
        if (current)
            current->m_tooDeep = true;
    }
};

namespace {

// hiredis builds the reply tree through these callbacks, depth first: an array's elements are
// created in order, and a nested array is complete before its next sibling is created. So an
// array grows as its elements arrive (push_back may move the completed siblings, which nobody
// points at any more) and the array being filled never moves. Nothing is reserved from the
// announced length beyond a small bound: "*2147483647\r\n" from a broken or hostile server
// must not allocate gigabytes before a single element has arrived. hiredis frees only the
// root object (on error or reader destruction), never a child.
constexpr size_t kMaxReservedElements = 1024;
// Redis's deepest replies (XINFO STREAM FULL, COMMAND DOCS) nest about a dozen levels.
// hiredis 0.14 stops at 7 by itself; hiredis 1.x grows its stack without a bound, and a reply
// is copied, printed and destroyed by recursion, so a hostile server's 100,000 levels are
// refused here.
constexpr int kMaxReplyDepth = 128;

RedisReply *placeInParent(const redisReadTask *task, RedisReply &&value)
{
    if (task->parent) {
        auto *parent = static_cast<RedisReply *>(task->parent->obj);
        std::vector<RedisReply> &siblings = parent->elements();
        const auto idx = static_cast<size_t>(task->idx);
        if (idx >= siblings.size())
            siblings.resize(idx + 1);
        siblings[idx] = std::move(value);
        return &siblings[idx];
    }
    return new RedisReply(std::move(value));
}

void *createString(const redisReadTask *task, char *str, size_t len)
{
    QByteArray bytes(str, static_cast<qsizetype>(len));
    if (task->idx == 0 && task->parent && !task->parent->parent && task->type == REDIS_REPLY_STRING)
        RespReaderHooks::head(bytes);
    switch (task->type) {
    case REDIS_REPLY_ERROR:
        return placeInParent(task, RedisReply::error(std::move(bytes)));
    case REDIS_REPLY_STATUS:
        return placeInParent(task, RedisReply::status(std::move(bytes)));
    default:
        return placeInParent(task, RedisReply::string(std::move(bytes)));
    }
}

void *createArray(const redisReadTask *task, int elements)
{
    int depth = 1;
    for (const redisReadTask *p = task->parent; p; p = p->parent)
        ++depth;
    if (depth > kMaxReplyDepth) {
        RespReaderHooks::tooDeep();
        return nullptr; // hiredis stops with an error
    }
    std::vector<RedisReply> children;
    children.reserve(
        std::min(static_cast<size_t>(elements < 0 ? 0 : elements), kMaxReservedElements));
    return placeInParent(task, RedisReply::array(std::move(children)));
}

void *createInteger(const redisReadTask *task, long long value)
{
    return placeInParent(task, RedisReply::integer(value));
}

void *createNil(const redisReadTask *task)
{
    return placeInParent(task, RedisReply::nil());
}

void freeObject(void *object)
{
    delete static_cast<RedisReply *>(object);
}

redisReplyObjectFunctions *replyFunctions()
{
    static redisReplyObjectFunctions fn = [] {
        redisReplyObjectFunctions f{};
        f.createString = createString;
        f.createArray = createArray;
        f.createInteger = createInteger;
        f.createNil = createNil;
        f.freeObject = freeObject;
        return f;
    }();
    return &fn;
}

} // namespace

RespReader::RespReader()
{
    reset();
}

RespReader::~RespReader()
{
    if (m_reader)
        redisReaderFree(m_reader);
}

void RespReader::reset()
{
    if (m_reader)
        redisReaderFree(m_reader);
    m_reader = redisReaderCreateWithFunctions(replyFunctions());
    // Keep up to 1 MiB of unused buffer between reads instead of hiredis's 16 KiB: a pipelined
    // stream of small replies would otherwise free and reallocate the buffer on every read.
    m_reader->maxbuf = 1024 * 1024;
    m_error.clear();
    m_tooDeep = false;
    m_pending.clear();
    m_pendingPos = 0;
}

void RespReader::feed(const char *data, qsizetype size)
{
    if (m_pendingPos > 0 && m_pendingPos == m_pending.size()) {
        m_pending.clear();
        m_pendingPos = 0;
    }
    m_pending.append(data, size);
}

void RespReader::feed(const QByteArray &bytes)
{
    if (m_pendingPos >= m_pending.size()) {
        m_pending = bytes;
        m_pendingPos = 0;
        return;
    }
    feed(bytes.constData(), bytes.size());
}

bool RespReader::feedSlice()
{
    // hiredis moves what is left of its buffer to the front every time 1 KiB of it has been
    // parsed: fed a whole read of several MiB of small replies (a pub/sub flood), that is
    // quadratic. Fed a few KiB at a time, what it moves stays small.
    constexpr qsizetype kSlice = 4096;
    if (m_pendingPos >= m_pending.size())
        return false;
    const qsizetype n = std::min(kSlice, m_pending.size() - m_pendingPos);
    if (redisReaderFeed(m_reader, m_pending.constData() + m_pendingPos, static_cast<size_t>(n))
        != REDIS_OK) {
        m_error = QString::fromLatin1(m_reader->errstr);
        return false;
    }
    m_pendingPos += n;
    if (m_pendingPos == m_pending.size()) {
        m_pending.clear();
        m_pendingPos = 0;
    }
    return true;
}

RespReader::Result RespReader::next(RedisReply *reply)
{
    if (!m_error.isEmpty())
        return Result::ProtocolError;
    void *object = nullptr;
    const RespReaderHooks::Scope scope(this);
    for (;;) {
        if (redisReaderGetReply(m_reader, &object) != REDIS_OK) {
            m_error =
                m_tooDeep
                    ? QStringLiteral("a reply nested deeper than %1 levels").arg(kMaxReplyDepth)
                    : QString::fromLatin1(m_reader->errstr);
            if (m_error.isEmpty())
                m_error = QStringLiteral("malformed reply");
            return Result::ProtocolError;
        }
        if (object)
            break;
        if (!feedSlice())
            return m_error.isEmpty() ? Result::NeedMoreData : Result::ProtocolError;
    }
    auto *root = static_cast<RedisReply *>(object);
    *reply = std::move(*root);
    delete root;
    return Result::Reply;
}

} // namespace bd::connectors
