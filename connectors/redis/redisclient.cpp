#include "redisclient.h"

#include "rediscommandtable.h"
#include "redisconnectionworker.h"

#include <QPromise>
#include <QThread>

namespace bd::connectors {

RedisClient::RedisClient(ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_exchange(std::make_shared<CommandExchange>())
    , m_thread(new QThread)
    , m_worker(new RedisConnectionWorker(m_settings, m_exchange))
{
    qRegisterMetaType<ConnectionState>();
    qRegisterMetaType<RedisError>();
    m_thread->setObjectName(QStringLiteral("redis:") + m_settings.endpoint());
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &RedisConnectionWorker::responsesAvailable, this, &RedisClient::takeResponses,
            Qt::QueuedConnection);
    connect(m_worker, &RedisConnectionWorker::pushMessagesAvailable, this,
            &RedisClient::pushMessagesAvailable, Qt::QueuedConnection);
    connect(
        m_worker, &RedisConnectionWorker::databaseChanged, this,
        [this](int db) {
            m_settings.db = db;
            Q_EMIT databaseChanged(db);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &RedisConnectionWorker::stateChanged, this,
        [this](ConnectionState state, const RedisError &error, int retryInMs) {
            m_state = state;
            if (error.isError())
                m_lastError = error;
            else if (state == ConnectionState::Connected)
                m_lastError = {};
            Q_EMIT stateChanged(state, error, retryInMs);
        },
        Qt::QueuedConnection);
    m_thread->start();
}

RedisClient::~RedisClient()
{
    // Handlers still pending are dropped: their callers are being torn down with us. Futures
    // are cancelled by their promises' destructors.
    m_worker->disconnect(this);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void RedisClient::assertThread() const
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "RedisClient",
               "used from a thread other than its owner's");
}

void RedisClient::open()
{
    assertThread();
    QMetaObject::invokeMethod(m_worker, &RedisConnectionWorker::connectToServer,
                              Qt::QueuedConnection);
}

void RedisClient::enablePushMode(int maxQueued)
{
    assertThread();
    // Queued before open()'s call, so the worker is in push mode before it connects.
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, maxQueued] { worker->enablePushMode(maxQueued); },
        Qt::QueuedConnection);
}

std::deque<PushMessage> RedisClient::takePushMessages(quint64 *dropped)
{
    assertThread();
    return m_exchange->takePushMessages(dropped);
}

quint64 RedisClient::pushMessagesArrived() const
{
    assertThread();
    return m_exchange->pushesArrived();
}

void RedisClient::close()
{
    assertThread();
    QMetaObject::invokeMethod(m_worker, &RedisConnectionWorker::disconnectFromServer,
                              Qt::QueuedConnection);
}

void RedisClient::send(const QList<QByteArray> &args, const QObject *context, ReplyHandler handler,
                       int timeoutMs)
{
    Pending pending;
    pending.handler = std::move(handler);
    submit(CommandRequest{0, args, timeoutMs}, context, std::move(pending));
}

quint64 RedisClient::walk(const QList<QByteArray> &args, int cursorArg, qint64 limit,
                          const QObject *context, PageHandler handler, int timeoutMs)
{
    CommandRequest request{0, args, timeoutMs};
    request.cursorArg = cursorArg;
    request.walkLimit = limit;
    Pending pending;
    pending.pageHandler = std::move(handler);
    return submit(std::move(request), context, std::move(pending));
}

quint64 RedisClient::submit(CommandRequest request, const QObject *context, Pending pending)
{
    assertThread();
    Q_ASSERT_X(!context || context->thread() == thread(), "RedisClient",
               "the context object must live on the client's thread");
    const quint64 id = m_nextId++;
    pending.context = const_cast<QObject *>(context);
    pending.hasContext = context != nullptr;
    m_pending.insert(id, std::move(pending));
    if (m_settings.readOnly) {
        const QString reason = RedisCommandTable::readOnlyRefusal(request.args);
        if (!reason.isEmpty()) {
            deliverLocally(id, RedisResult::fromError(RedisError::Kind::ReadOnlyRefused, reason));
            return id;
        }
    }
    request.id = id;
    queueRequest(std::move(request));
    return id;
}

void RedisClient::queueRequest(CommandRequest request)
{
    if (m_exchange->pushRequest(std::move(request)))
        QMetaObject::invokeMethod(m_worker, &RedisConnectionWorker::processRequests,
                                  Qt::QueuedConnection);
}

void RedisClient::cancelWalk(quint64 id)
{
    assertThread();
    if (!m_pending.remove(id))
        return; // ended already
    CommandRequest cancel;
    cancel.cancelWalk = id;
    queueRequest(std::move(cancel));
}

QFuture<RedisResult> RedisClient::send(const QList<QByteArray> &args, int timeoutMs)
{
    auto promise = std::make_shared<QPromise<RedisResult>>();
    promise->start();
    QFuture<RedisResult> future = promise->future();
    send(
        args, nullptr,
        [promise](const RedisResult &result) {
            promise->addResult(result);
            promise->finish();
        },
        timeoutMs);
    return future;
}

void RedisClient::deliverLocally(quint64 id, RedisResult result)
{
    // Never call a handler from inside send(): the caller may not be ready for re-entrancy.
    const bool first = m_local.empty();
    m_local.push_back({id, std::move(result)});
    if (first)
        QMetaObject::invokeMethod(this, &RedisClient::takeResponses, Qt::QueuedConnection);
}

void RedisClient::takeResponses()
{
    bool walksParked = false;
    std::vector<CommandResponse> batch = m_exchange->takeResponses(&walksParked);
    if (walksParked) // the worker waits for these pages to be taken: it may go on
        QMetaObject::invokeMethod(m_worker, &RedisConnectionWorker::resumeWalks,
                                  Qt::QueuedConnection);
    if (!m_local.empty()) {
        batch.insert(batch.end(), std::make_move_iterator(m_local.begin()),
                     std::make_move_iterator(m_local.end()));
        m_local.clear();
    }
    const QPointer<RedisClient> self(this);
    for (CommandResponse &response : batch) {
        const auto it = m_pending.find(response.id);
        if (it == m_pending.end())
            continue;
        const bool more = response.more;
        // A walk that goes on keeps its entry (copied: the handler may cancel the walk).
        Pending pending = more ? it.value() : std::move(it.value());
        if (!more)
            m_pending.erase(it);
        if (pending.hasContext && pending.context.isNull()) {
            if (more)
                cancelWalk(response.id);
            continue;
        }
        if (pending.pageHandler)
            pending.pageHandler(response.result, !more);
        else if (pending.handler)
            pending.handler(response.result);
        if (!self)
            return; // a handler destroyed this client
    }
}

} // namespace bd::connectors
