#pragma once

#include "commandexchange.h"
#include "connectionsettings.h"
#include "connectionstate.h"
#include "respreader.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>

#include <deque>
#include <memory>
#include <unordered_map>

class QIODevice;
class QTimer;

namespace bd::connectors {

// Owns one Redis connection: the socket, the RESP reader, the in-flight FIFO, timeouts and
// reconnects.
//
// Threading contract: created on any thread, then moved to its own QThread by RedisClient;
// every slot and every private method runs on that thread (asserted). The only data shared
// with the owner thread is the CommandExchange; everything else is reported through queued
// signals. It never blocks: no waitFor*(), no nested event loop.
class RedisConnectionWorker : public QObject
{
    Q_OBJECT

public:
    RedisConnectionWorker(ConnectionSettings settings, std::shared_ptr<CommandExchange> exchange);
    ~RedisConnectionWorker() override;

public Q_SLOTS:
    void connectToServer();
    void disconnectFromServer();
    // Drains the exchange's request queue (woken by RedisClient).
    void processRequests();
    // Makes this a push connection: SUBSCRIBE, PSUBSCRIBE, their UNs and MONITOR keep a set
    // that is restored on every reconnect, and what the server pushes goes to the exchange's
    // push queue (at most `limit` messages wait there).
    void enablePushMode(int limit);
    // Sends the next page of the walks that paused while the owner had pages to take.
    void resumeWalks();

Q_SIGNALS:
    void stateChanged(bd::connectors::ConnectionState state,
                      const bd::connectors::RedisError &error, int retryInMs);
    void responsesAvailable();
    void pushMessagesAvailable();
    void databaseChanged(int db);

private:
    enum class Step { None, Auth, Select, SetName, Ping };
    struct InFlight
    {
        quint64 id = 0; // 0 for the connection's own handshake commands
        Step step = Step::None;
        qint64 deadlineMs = 0; // monotonic ms; 0 = no deadline
        int selectDb = -1;     // a user SELECT: the db to remember for reconnects
    };

    void assertThread() const;
    void startAttempt();
    void createDevice();
    void onTransportReady();
    void onReadyRead();
    void onDeviceError(RedisError::Kind kind, const QString &message);
    void onDeviceClosed();
    void onHandshakeReply(const InFlight &entry, const RedisReply &reply);
    void becomeReady();
    void sendRequest(CommandRequest &request);
    void flushWrites();
    void checkTimeouts();
    // Drops the socket and fails every pending command; reconnects when the policy allows.
    void dropConnection(RedisError error, bool permanent);
    void failAll(const RedisError &error);
    void respond(quint64 id, RedisResult result);
    void publishResponses();
    void setState(ConnectionState state, const RedisError &error = {}, int retryInMs = 0);
    int nextBackoffMs();
    bool handlePushRequest(const CommandRequest &request);
    // Takes a pushed message out of the reply stream; false if the reply answers a command.
    static QByteArray shared(QByteArray &last, QByteArray bytes);
    bool takePush(RedisReply &reply, qint64 nowMs);
    void restoreSubscriptions();
    qint64 deadlineFor(int timeoutMs) const;
    // A page of a walk arrived: asks for the next one (before handing this one on) unless
    // the walk has ended; responds either way.
    void continueWalk(quint64 id, RedisReply reply);
    // The first element of a reply being read: when it is a walk's cursor, the next page is
    // asked for (and written) at once, while the rest of this one is still being read.
    void onReplyHead(const QByteArray &first);
    struct Walk;
    void sendWalkPage(quint64 id, const Walk &walk); // args hold the cursor to ask for
    // Enough replies wait for the owner that a walk should pause until it takes them.
    bool walkBacklogFull();

    ConnectionSettings m_settings;
    std::shared_ptr<CommandExchange> m_exchange;
    QIODevice *m_device = nullptr; // Owned (child); replaced on every attempt.
    RespReader m_reader;
    std::deque<InFlight> m_inFlight;
    std::deque<CommandRequest> m_held; // arrived while connecting; sent once ready
    std::vector<CommandResponse> m_outgoing;
    QByteArray m_writeBuffer;
    QTimer *m_connectTimer = nullptr;   // Owned.
    QTimer *m_timeoutTimer = nullptr;   // Owned.
    QTimer *m_reconnectTimer = nullptr; // Owned.
    ConnectionState m_state = ConnectionState::Disconnected;
    int m_attempt = 0;
    RedisError m_lastError; // why the last attempt failed: the answer to commands while Failed
    QString m_tlsErrors;    // collected from sslErrors() for the handshake failure message
    bool m_wanted = false;  // the owner asked to be connected
    QElapsedTimer m_clock;  // monotonic time base for command deadlines

    // Push mode.
    bool m_pushMode = false;
    qsizetype m_pushLimit = 0;
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
    bool m_monitor = false;
    std::vector<PushMessage> m_pushOut;
    QByteArray m_lastChannel; // the last message's channel and pattern, shared by the next ones
    QByteArray m_lastPattern;

    // Cursor walks (CommandRequest::cursorArg), by request id.
    struct Walk
    {
        QList<QByteArray> args;
        int cursorArg = 0;
        int timeoutMs = -1;
        qint64 limit = 0;
        qint64 seen = 0;
        bool parked = false;    // waiting for the owner to take its pages
        bool aheadSent = false; // the page after the one being read is asked for already
    };
    std::unordered_map<quint64, Walk> m_walks;
};

} // namespace bd::connectors
