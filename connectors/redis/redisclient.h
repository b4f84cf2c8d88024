#pragma once

#include "commandexchange.h"
#include "connectionsettings.h"
#include "connectionstate.h"
#include "rediserror.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QThread;

namespace bd::connectors {

class RedisConnectionWorker;

// A Redis connection for the thread that creates it (normally the GUI thread).
//
// Threading contract: every public method must be called on the thread that owns this object
// (asserted). The socket lives in a RedisConnectionWorker on a private QThread; commands cross
// over through a CommandExchange and come back in batches. No method blocks on the network.
// Handlers always run on the owner thread, asynchronously (never inside send()), in the order
// the replies arrive; a handler bound to a context object is dropped if the context is
// destroyed first.
//
// Commands are pipelined: any number may be in flight; replies are matched FIFO.
class RedisClient : public QObject
{
    Q_OBJECT

public:
    using ReplyHandler = std::function<void(const RedisResult &)>;
    using PageHandler = std::function<void(const RedisResult &page, bool last)>;

    explicit RedisClient(ConnectionSettings settings, QObject *parent = nullptr);
    ~RedisClient() override;

    // Starts connecting (AUTH, SELECT, CLIENT SETNAME, PING). Commands sent before the
    // connection is ready wait for it; they fail with the connection's error if it fails.
    void open();
    void close();

    ConnectionState state() const { return m_state; }
    RedisError lastError() const { return m_lastError; }
    // The settings in force; db follows successful SELECT commands. Holds secrets: do not log.
    const ConnectionSettings &settings() const { return m_settings; }
    bool isReadOnly() const { return m_settings.readOnly; }

    // timeoutMs: -1 = the connection's default, 0 = none (for blocking commands).
    void send(const QList<QByteArray> &args, const QObject *context, ReplyHandler handler,
              int timeoutMs = -1);
    QFuture<RedisResult> send(const QList<QByteArray> &args, int timeoutMs = -1);

    // Walks a cursor (SCAN, HSCAN, SSCAN, ZSCAN): args[cursorArg] is the first cursor ("0").
    // The connection's thread sends the next page the moment one arrives, so the walk never
    // waits for this thread; pages reach the handler in order, the last one with last = true
    // (the cursor came back to 0, `limit` elements were seen, or an error). When the pages
    // are not taken (this thread is busy), the walk pauses after some tens of them.
    // Returns an id for cancelWalk(); after a cancel the handler is not called again.
    quint64 walk(const QList<QByteArray> &args, int cursorArg, qint64 limit, const QObject *context,
                 PageHandler handler, int timeoutMs = -1);
    void cancelWalk(quint64 id);

    // Commands sent and not yet answered.
    qsizetype pendingCount() const { return m_pending.size(); }

    // Makes this a push connection; call before open(). SUBSCRIBE / PSUBSCRIBE / their UNs /
    // MONITOR sent through send() are then kept as a set the connection restores after every
    // reconnect; they are answered "OK" at once (so they never time out, whatever the
    // command timeout), and the server's confirmations, messages and
    // errors arrive as PushMessages: pushMessagesAvailable() says some wait, takePushMessages()
    // takes them (with the number dropped because more than maxQueued waited).
    void enablePushMode(int maxQueued = 100000);
    std::deque<PushMessage> takePushMessages(quint64 *dropped = nullptr);
    // Every push message this connection has received: taken, waiting or dropped.
    quint64 pushMessagesArrived() const;

Q_SIGNALS:
    void stateChanged(bd::connectors::ConnectionState state,
                      const bd::connectors::RedisError &error, int retryInMs);
    void databaseChanged(int db);
    void pushMessagesAvailable();

private:
    struct Pending
    {
        QPointer<QObject> context;
        bool hasContext = false;
        ReplyHandler handler;
        PageHandler pageHandler; // walks
    };

    void assertThread() const;
    void takeResponses();
    void deliverLocally(quint64 id, RedisResult result);
    // Registers the handler and queues the request (or refuses it on a read-only profile).
    quint64 submit(CommandRequest request, const QObject *context, Pending pending);
    void queueRequest(CommandRequest request);

    ConnectionSettings m_settings;
    std::shared_ptr<CommandExchange> m_exchange;
    QThread *m_thread = nullptr;               // Owned; joined in the destructor.
    RedisConnectionWorker *m_worker = nullptr; // Lives in m_thread; deleted when it finishes.
    QHash<quint64, Pending> m_pending;
    std::vector<CommandResponse> m_local; // refusals answered without the worker
    quint64 m_nextId = 1;
    ConnectionState m_state = ConnectionState::Disconnected;
    RedisError m_lastError;
};

} // namespace bd::connectors
