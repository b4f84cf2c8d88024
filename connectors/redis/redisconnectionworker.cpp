#include "redisconnectionworker.h"

#include "rediscommandtable.h"
#include "respcommand.h"

#include <QDateTime>
#include <QFile>
#include <QLocalSocket>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <limits>

namespace bd::connectors {

namespace {

// At most this many responses wait for the owner before a walk pauses (a page is up to
// COUNT elements, so this bounds what a stalled owner holds to some tens of thousands).
constexpr size_t kMaxWalkBacklog = 64;

constexpr int kTimeoutCheckIntervalMs = 100;

RedisError makeError(RedisError::Kind kind, QString message)
{
    return RedisError{kind, std::move(message)};
}

RedisError::Kind kindForSocketError(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return RedisError::Kind::ConnectionRefused;
    case QAbstractSocket::HostNotFoundError:
        return RedisError::Kind::HostNotFound;
    case QAbstractSocket::SocketTimeoutError:
        return RedisError::Kind::ConnectTimeout;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return RedisError::Kind::Tls;
    case QAbstractSocket::RemoteHostClosedError:
        return RedisError::Kind::ConnectionLost;
    default:
        return RedisError::Kind::Network;
    }
}

// Errors after which retrying cannot help until the operator changes the profile.
bool isPermanent(RedisError::Kind kind)
{
    return kind == RedisError::Kind::AuthenticationFailed || kind == RedisError::Kind::Tls
           || kind == RedisError::Kind::InvalidArguments;
}

} // namespace

RedisConnectionWorker::RedisConnectionWorker(ConnectionSettings settings,
                                             std::shared_ptr<CommandExchange> exchange)
    : m_settings(std::move(settings))
    , m_exchange(std::move(exchange))
    , m_connectTimer(new QTimer(this))
    , m_timeoutTimer(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
{
    m_clock.start();
    m_reader.setHeadHook([this](const QByteArray &first) { onReplyHead(first); });
    m_connectTimer->setSingleShot(true);
    m_reconnectTimer->setSingleShot(true);
    m_timeoutTimer->setInterval(kTimeoutCheckIntervalMs);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        auto *ssl = qobject_cast<QSslSocket *>(m_device);
        if (ssl && ssl->state() == QAbstractSocket::ConnectedState && !ssl->isEncrypted()) {
            dropConnection(
                makeError(RedisError::Kind::Tls,
                          QStringLiteral("no TLS handshake from %1 within %2 s: is it a TLS port?")
                              .arg(m_settings.endpoint())
                              .arg(m_settings.connectTimeoutMs / 1000.0)),
                true);
            return;
        }
        dropConnection(makeError(RedisError::Kind::ConnectTimeout,
                                 QStringLiteral("no answer from %1 within %2 s")
                                     .arg(m_settings.endpoint())
                                     .arg(m_settings.connectTimeoutMs / 1000.0)),
                       false);
    });
    connect(m_timeoutTimer, &QTimer::timeout, this, &RedisConnectionWorker::checkTimeouts);
    connect(m_reconnectTimer, &QTimer::timeout, this, &RedisConnectionWorker::startAttempt);
}

RedisConnectionWorker::~RedisConnectionWorker()
{
    if (m_device)
        m_device->disconnect(this);
}

void RedisConnectionWorker::assertThread() const
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "RedisConnectionWorker",
               "called outside the connection's own thread");
}

void RedisConnectionWorker::connectToServer()
{
    assertThread();
    m_wanted = true;
    m_attempt = 0;
    if (m_state == ConnectionState::Connected || m_state == ConnectionState::Connecting)
        return;
    m_reconnectTimer->stop();
    startAttempt();
}

void RedisConnectionWorker::disconnectFromServer()
{
    assertThread();
    m_wanted = false;
    m_reconnectTimer->stop();
    m_connectTimer->stop();
    m_timeoutTimer->stop();
    if (m_device) {
        m_device->disconnect(this);
        m_device->close();
        m_device->deleteLater();
        m_device = nullptr;
    }
    failAll(makeError(RedisError::Kind::NotConnected, QStringLiteral("disconnected by the user")));
    publishResponses();
    setState(ConnectionState::Disconnected);
}

void RedisConnectionWorker::startAttempt()
{
    assertThread();
    if (!m_wanted)
        return;
    m_reader.reset();
    m_tlsErrors.clear();
    setState(ConnectionState::Connecting);
    createDevice();
    if (m_device)
        m_connectTimer->start(m_settings.connectTimeoutMs);
}

void RedisConnectionWorker::createDevice()
{
    if (m_device) {
        m_device->disconnect(this);
        m_device->deleteLater();
        m_device = nullptr;
    }
    switch (m_settings.transport) {
    case ConnectionSettings::Transport::Unix: {
        auto *socket = new QLocalSocket(this);
        m_device = socket;
        connect(socket, &QLocalSocket::connected, this, &RedisConnectionWorker::onTransportReady);
        connect(socket, &QLocalSocket::readyRead, this, &RedisConnectionWorker::onReadyRead);
        connect(socket, &QLocalSocket::disconnected, this, &RedisConnectionWorker::onDeviceClosed);
        connect(socket, &QLocalSocket::errorOccurred, this,
                [this, socket](QLocalSocket::LocalSocketError e) {
                    RedisError::Kind kind = RedisError::Kind::Network;
                    QString message = socket->errorString();
                    if (e == QLocalSocket::ServerNotFoundError) {
                        kind = RedisError::Kind::HostNotFound;
                        message =
                            QStringLiteral("no Redis socket at %1").arg(m_settings.socketPath);
                    } else if (e == QLocalSocket::ConnectionRefusedError) {
                        kind = RedisError::Kind::ConnectionRefused;
                        message = m_settings.endpoint();
                    } else if (e == QLocalSocket::PeerClosedError) {
                        kind = RedisError::Kind::ConnectionLost;
                    }
                    onDeviceError(kind, message);
                });
        socket->connectToServer(m_settings.socketPath);
        return;
    }
    case ConnectionSettings::Transport::Tcp:
    case ConnectionSettings::Transport::Tls:
        break;
    }

    QTcpSocket *socket = nullptr;
    if (m_settings.transport == ConnectionSettings::Transport::Tls) {
        if (!QSslSocket::supportsSsl()) {
            dropConnection(makeError(RedisError::Kind::Tls,
                                     QStringLiteral("this build of Qt has no TLS backend")),
                           true);
            return;
        }
        auto *ssl = new QSslSocket(this);
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        const TlsSettings &tls = m_settings.tls;
        if (!tls.caFile.isEmpty()) {
            const auto cas = QSslCertificate::fromPath(tls.caFile, QSsl::Pem);
            if (cas.isEmpty()) {
                delete ssl;
                dropConnection(
                    makeError(
                        RedisError::Kind::Tls,
                        QStringLiteral("cannot read a CA certificate from %1").arg(tls.caFile)),
                    true);
                return;
            }
            conf.setCaCertificates(cas);
        }
        if (!tls.certFile.isEmpty()) {
            const auto certs = QSslCertificate::fromPath(tls.certFile, QSsl::Pem);
            QFile keyFile(tls.keyFile.isEmpty() ? tls.certFile : tls.keyFile);
            QSslKey key;
            if (keyFile.open(QIODevice::ReadOnly)) {
                const QByteArray pem = keyFile.readAll();
                const QByteArray pass = tls.keyPassphrase.toUtf8();
                for (QSsl::KeyAlgorithm alg : {QSsl::Rsa, QSsl::Ec, QSsl::Opaque}) {
                    key = QSslKey(pem, alg, QSsl::Pem, QSsl::PrivateKey, pass);
                    if (!key.isNull())
                        break;
                }
            }
            if (certs.isEmpty() || key.isNull()) {
                delete ssl;
                dropConnection(
                    makeError(
                        RedisError::Kind::Tls,
                        certs.isEmpty()
                            ? QStringLiteral("cannot read the client certificate %1")
                                  .arg(tls.certFile)
                            : QStringLiteral("cannot read the client key %1 (wrong passphrase?)")
                                  .arg(keyFile.fileName())),
                    true);
                return;
            }
            conf.setLocalCertificate(certs.first());
            conf.setPrivateKey(key);
        }
        conf.setPeerVerifyMode(tls.verifyPeer ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
        ssl->setSslConfiguration(conf);
        connect(ssl, &QSslSocket::sslErrors, this, [this, ssl](const QList<QSslError> &errors) {
            if (!m_settings.tls.verifyPeer) {
                ssl->ignoreSslErrors();
                return;
            }
            QStringList texts;
            for (const QSslError &e : errors)
                texts << e.errorString();
            m_tlsErrors = texts.join(QStringLiteral("; "));
        });
        connect(ssl, &QSslSocket::encrypted, this, &RedisConnectionWorker::onTransportReady);
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
        connect(socket, &QTcpSocket::connected, this, &RedisConnectionWorker::onTransportReady);
    }
    m_device = socket;
    connect(socket, &QTcpSocket::readyRead, this, &RedisConnectionWorker::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &RedisConnectionWorker::onDeviceClosed);
    connect(socket, &QTcpSocket::errorOccurred, this,
            [this, socket](QAbstractSocket::SocketError e) {
                RedisError::Kind kind = kindForSocketError(e);
                QString message = socket->errorString();
                if (kind == RedisError::Kind::ConnectionRefused)
                    message = m_settings.endpoint();
                else if (kind == RedisError::Kind::HostNotFound)
                    message = m_settings.host;
                else if (kind == RedisError::Kind::Tls && !m_tlsErrors.isEmpty())
                    message = m_tlsErrors;
                else if (kind == RedisError::Kind::ConnectionLost
                         && m_state == ConnectionState::Connecting
                         && m_settings.transport == ConnectionSettings::Transport::Tls)
                    kind = RedisError::Kind::Tls,
                    message =
                        QStringLiteral("the server closed the connection during the TLS handshake");
                onDeviceError(kind, message);
            });

    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        const QString peer =
            m_settings.tls.serverName.isEmpty() ? m_settings.host : m_settings.tls.serverName;
        ssl->connectToHostEncrypted(m_settings.host, m_settings.port, peer);
    } else {
        socket->connectToHost(m_settings.host, m_settings.port);
    }
}

void RedisConnectionWorker::onTransportReady()
{
    assertThread();
    if (auto *socket = qobject_cast<QAbstractSocket *>(m_device)) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    }
    // The handshake is pipelined: AUTH, SELECT, CLIENT SETNAME, PING in one write. PING last
    // proves the server speaks RESP and that no password is missing (NOAUTH).
    const qint64 deadline = deadlineFor(m_settings.connectTimeoutMs);
    if (!m_settings.password.isEmpty()) {
        QList<QByteArray> auth{QByteArrayLiteral("AUTH")};
        if (!m_settings.username.isEmpty())
            auth << m_settings.username.toUtf8();
        auth << m_settings.password.toUtf8();
        appendEncodedCommand(m_writeBuffer, auth);
        m_inFlight.push_back({0, Step::Auth, deadline, -1});
    } else if (!m_settings.username.isEmpty() && m_settings.username != QLatin1String("default")) {
        // An ACL user without a password: Redis has no such login, say so rather than guess.
        dropConnection(
            makeError(RedisError::Kind::AuthenticationFailed,
                      QStringLiteral("user \"%1\" needs a password").arg(m_settings.username)),
            true);
        return;
    }
    if (m_settings.db != 0) {
        appendEncodedCommand(m_writeBuffer,
                             {QByteArrayLiteral("SELECT"), QByteArray::number(m_settings.db)});
        m_inFlight.push_back({0, Step::Select, deadline, -1});
    }
    if (!m_settings.clientName.isEmpty()) {
        appendEncodedCommand(m_writeBuffer, {QByteArrayLiteral("CLIENT"),
                                             QByteArrayLiteral("SETNAME"), m_settings.clientName});
        m_inFlight.push_back({0, Step::SetName, deadline, -1});
    }
    appendEncodedCommand(m_writeBuffer, {QByteArrayLiteral("PING")});
    m_inFlight.push_back({0, Step::Ping, deadline, -1});
    flushWrites();
    m_timeoutTimer->start();
}

void RedisConnectionWorker::onHandshakeReply(const InFlight &entry, const RedisReply &reply)
{
    switch (entry.step) {
    case Step::Auth:
        if (reply.isError()) {
            dropConnection(
                makeError(RedisError::Kind::AuthenticationFailed, QString::fromUtf8(reply.bytes())),
                true);
        }
        return;
    case Step::Select:
        if (reply.isError()) {
            dropConnection(makeError(RedisError::Kind::InvalidArguments,
                                     QStringLiteral("cannot select database %1: %2")
                                         .arg(m_settings.db)
                                         .arg(QString::fromUtf8(reply.bytes()))),
                           true);
        }
        return;
    case Step::SetName:
        return; // an ACL may deny CLIENT; the connection works without a name
    case Step::Ping:
        if (reply.isError()) {
            const QByteArray code = reply.errorCode();
            if (code == "NOAUTH" || code == "WRONGPASS" || code == "NOPERM") {
                dropConnection(makeError(RedisError::Kind::AuthenticationFailed,
                                         QStringLiteral("the server requires a password (%1)")
                                             .arg(QString::fromUtf8(reply.bytes()))),
                               true);
            } else {
                // LOADING, MASTERDOWN and the like pass; try again later.
                dropConnection(
                    makeError(RedisError::Kind::ServerError, QString::fromUtf8(reply.bytes())),
                    false);
            }
            return;
        }
        becomeReady();
        return;
    case Step::None:
        return;
    }
}

void RedisConnectionWorker::becomeReady()
{
    m_connectTimer->stop();
    m_attempt = 0;
    setState(ConnectionState::Connected);
    if (m_pushMode)
        restoreSubscriptions();
    while (!m_held.empty()) {
        CommandRequest request = std::move(m_held.front());
        m_held.pop_front();
        sendRequest(request);
    }
    flushWrites();
}

void RedisConnectionWorker::processRequests()
{
    assertThread();
    std::vector<CommandRequest> requests = m_exchange->takeRequests();
    for (CommandRequest &request : requests) {
        if (request.cancelWalk != 0) {
            // Its page in flight, if any, is answered as a last page the owner no longer wants.
            m_walks.erase(request.cancelWalk);
            continue;
        }
        if (request.args.isEmpty()) {
            respond(request.id, RedisResult::fromError(RedisError::Kind::InvalidArguments,
                                                       QStringLiteral("empty command")));
            continue;
        }
        if (m_pushMode && handlePushRequest(request))
            continue;
        if (m_settings.readOnly) {
            // Checked here too (RedisClient checks first): nothing that writes leaves the process.
            const QString reason = RedisCommandTable::readOnlyRefusal(request.args);
            if (!reason.isEmpty()) {
                respond(request.id,
                        RedisResult::fromError(RedisError::Kind::ReadOnlyRefused, reason));
                continue;
            }
        }
        if (request.cursorArg > 0 && !m_pushMode) {
            if (request.cursorArg >= request.args.size()) {
                respond(request.id,
                        RedisResult::fromError(RedisError::Kind::InvalidArguments,
                                               QStringLiteral("no cursor in the command")));
                continue;
            }
            m_walks[request.id] =
                Walk{request.args,
                     request.cursorArg,
                     request.timeoutMs,
                     request.walkLimit > 0 ? request.walkLimit : std::numeric_limits<qint64>::max(),
                     0,
                     false};
        }
        switch (m_state) {
        case ConnectionState::Connected:
            sendRequest(request);
            break;
        case ConnectionState::Connecting:
            m_held.push_back(std::move(request));
            break;
        case ConnectionState::WaitingToReconnect:
            respond(request.id,
                    RedisResult::fromError(
                        RedisError::Kind::NotConnected,
                        QStringLiteral("reconnecting to %1 in %2 s (%3)")
                            .arg(m_settings.endpoint())
                            .arg(qMax(1, (m_reconnectTimer->remainingTime() + 999) / 1000))
                            .arg(m_lastError.toString())));
            break;
        case ConnectionState::Failed:
            // The same error the connection failed with: "wrong password", not "not connected".
            respond(request.id, RedisResult::fromError(m_lastError.kind, m_lastError.message));
            break;
        case ConnectionState::Disconnected:
            respond(request.id,
                    RedisResult::fromError(
                        RedisError::Kind::NotConnected,
                        QStringLiteral("not connected to %1").arg(m_settings.endpoint())));
            break;
        }
    }
    flushWrites();
    publishResponses();
}

void RedisConnectionWorker::sendRequest(CommandRequest &request)
{
    appendEncodedCommand(m_writeBuffer, request.args);
    InFlight entry;
    entry.id = request.id;
    entry.deadlineMs = deadlineFor(request.timeoutMs);
    if (request.args.size() == 2 && commandName(request.args) == "SELECT") {
        bool ok = false;
        const int db = request.args[1].toInt(&ok);
        if (ok)
            entry.selectDb = db;
    }
    m_inFlight.push_back(entry);
    if (!m_timeoutTimer->isActive())
        m_timeoutTimer->start();
}

void RedisConnectionWorker::flushWrites()
{
    if (m_writeBuffer.isEmpty() || !m_device)
        return;
    m_device->write(m_writeBuffer);
    m_writeBuffer.clear();
}

void RedisConnectionWorker::onReadyRead()
{
    assertThread();
    if (!m_device)
        return;
    const QByteArray data = m_device->readAll();
    m_reader.feed(data);
    const qint64 nowMs = m_pushMode ? QDateTime::currentMSecsSinceEpoch() : 0;
    RedisReply reply;
    for (;;) {
        const RespReader::Result r = m_reader.next(&reply);
        if (r == RespReader::Result::NeedMoreData)
            break;
        if (r == RespReader::Result::ProtocolError) {
            dropConnection(makeError(RedisError::Kind::Protocol,
                                     QStringLiteral("%1 (is %2 a Redis server?)")
                                         .arg(m_reader.errorString(), m_settings.endpoint())),
                           false);
            break;
        }
        if (m_pushMode && m_state == ConnectionState::Connected && takePush(reply, nowMs))
            continue;
        if (m_inFlight.empty()) {
            dropConnection(makeError(RedisError::Kind::Protocol,
                                     QStringLiteral("a reply arrived for no command")),
                           false);
            break;
        }
        const InFlight entry = m_inFlight.front();
        m_inFlight.pop_front();
        if (entry.id == 0) {
            onHandshakeReply(entry, reply);
            if (!m_device)
                break; // the handshake failed and dropped the connection
            continue;
        }
        if (entry.selectDb >= 0 && reply.isStatus()) {
            m_settings.db = entry.selectDb;
            Q_EMIT databaseChanged(entry.selectDb);
        }
        if (!m_walks.empty() && m_walks.count(entry.id))
            continueWalk(entry.id, std::move(reply));
        else
            respond(entry.id, RedisResult::fromReply(std::move(reply)));
    }
    flushWrites(); // the walks' next pages
    if (m_inFlight.empty())
        m_timeoutTimer->stop();
    publishResponses();
    if (!m_pushOut.empty() && m_exchange->pushMessages(m_pushOut, m_pushLimit))
        Q_EMIT pushMessagesAvailable();
}

void RedisConnectionWorker::continueWalk(quint64 id, RedisReply reply)
{
    const auto it = m_walks.find(id);
    Walk &walk = it->second;
    const bool aheadSent = std::exchange(walk.aheadSent, false);
    bool more = false;
    if (reply.isArray() && reply.elements().size() == 2 && reply.elements()[0].isString()
        && reply.elements()[1].isArray()) {
        walk.seen += qint64(reply.elements()[1].elements().size());
        const QByteArray &cursor = reply.elements()[0].bytes();
        if (cursor != "0" && walk.seen < walk.limit) {
            more = true;
            walk.args[walk.cursorArg] = cursor;
            if (aheadSent) {
                // asked for when this page's cursor was read (onReplyHead)
            } else if (walkBacklogFull()) {
                walk.parked = true;
                m_exchange->noteWalkParked();
            } else {
                sendWalkPage(id, walk);
            }
        }
    }
    // The last page, an error, or a reply that is not a page. A page asked for ahead is then
    // answered under an id nobody waits for any more.
    if (!more)
        m_walks.erase(it);
    CommandResponse response{id, RedisResult::fromReply(std::move(reply)), more};
    m_outgoing.push_back(std::move(response));
}

void RedisConnectionWorker::onReplyHead(const QByteArray &first)
{
    if (m_walks.empty() || m_inFlight.empty() || m_state != ConnectionState::Connected)
        return;
    const auto it = m_walks.find(m_inFlight.front().id); // the reply being read answers it
    if (it == m_walks.end())
        return;
    Walk &walk = it->second;
    if (walk.aheadSent || walk.parked || first == "0" || walk.seen >= walk.limit
        || walkBacklogFull())
        return; // continueWalk decides once the page is whole
    walk.aheadSent = true;
    walk.args[walk.cursorArg] = first;
    sendWalkPage(it->first, walk);
    flushWrites();
    // Written now, not on the event loop's next pass: the server works on the next page
    // while this one is parsed.
    if (auto *socket = qobject_cast<QAbstractSocket *>(m_device))
        socket->flush();
    else if (auto *local = qobject_cast<QLocalSocket *>(m_device))
        local->flush();
}

void RedisConnectionWorker::resumeWalks()
{
    assertThread();
    if (m_state != ConnectionState::Connected)
        return;
    for (auto &[id, walk] : m_walks) {
        if (!walk.parked)
            continue;
        walk.parked = false;
        sendWalkPage(id, walk);
    }
    flushWrites();
}

void RedisConnectionWorker::sendWalkPage(quint64 id, const Walk &walk)
{
    CommandRequest next{id, walk.args, walk.timeoutMs};
    sendRequest(next);
}

bool RedisConnectionWorker::walkBacklogFull()
{
    return m_outgoing.size() + m_exchange->responseBacklog() >= kMaxWalkBacklog;
}

void RedisConnectionWorker::enablePushMode(int limit)
{
    assertThread();
    m_pushMode = true;
    m_pushLimit = qMax(1, limit);
}

bool RedisConnectionWorker::handlePushRequest(const CommandRequest &request)
{
    const QByteArray name = commandName(request.args);
    const bool subscribe = name == "SUBSCRIBE";
    const bool psubscribe = name == "PSUBSCRIBE";
    const bool unsubscribe = name == "UNSUBSCRIBE";
    const bool punsubscribe = name == "PUNSUBSCRIBE";
    const bool monitor = name == "MONITOR";
    if (!subscribe && !psubscribe && !unsubscribe && !punsubscribe && !monitor)
        return false;
    if ((subscribe || psubscribe) && request.args.size() < 2) {
        respond(
            request.id,
            RedisResult::fromError(
                RedisError::Kind::InvalidArguments,
                QStringLiteral("%1 needs a channel or pattern").arg(QString::fromLatin1(name))));
        return true;
    }
    // The set is what the connection must be subscribed to; it is sent now when connected and
    // restored on every reconnect. Confirmations and errors arrive as push messages.
    const QList<QByteArray> names = request.args.mid(1);
    QSet<QByteArray> &set = (subscribe || unsubscribe) ? m_channels : m_patterns;
    if (subscribe || psubscribe) {
        for (const QByteArray &n : names)
            set.insert(n);
    } else if (unsubscribe || punsubscribe) {
        if (names.isEmpty())
            set.clear();
        for (const QByteArray &n : names)
            set.remove(n);
    } else {
        m_monitor = true;
    }
    if (m_state == ConnectionState::Connected)
        appendEncodedCommand(m_writeBuffer, request.args);
    respond(request.id, RedisResult::fromReply(RedisReply::status(QByteArrayLiteral("OK"))));
    return true;
}

void RedisConnectionWorker::restoreSubscriptions()
{
    constexpr qsizetype kPerCommand = 1000;
    const auto sendAll = [this](const QByteArray &command, const QSet<QByteArray> &set) {
        QList<QByteArray> args{command};
        for (const QByteArray &n : set) {
            args << n;
            if (args.size() > kPerCommand) {
                appendEncodedCommand(m_writeBuffer, args);
                args.resize(1);
            }
        }
        if (args.size() > 1)
            appendEncodedCommand(m_writeBuffer, args);
    };
    sendAll(QByteArrayLiteral("SUBSCRIBE"), m_channels);
    sendAll(QByteArrayLiteral("PSUBSCRIBE"), m_patterns);
    if (m_monitor)
        appendEncodedCommand(m_writeBuffer, {QByteArrayLiteral("MONITOR")});
}

// A flood comes on few channels: a message on the same channel as the one before shares its
// bytes (one allocation fewer per message, for as long as the message lives in a ring).
QByteArray RedisConnectionWorker::shared(QByteArray &last, QByteArray bytes)
{
    if (bytes == last)
        return last;
    last = std::move(bytes);
    return last;
}

bool RedisConnectionWorker::takePush(RedisReply &reply, qint64 nowMs)
{
    using Kind = PushMessage::Kind;
    PushMessage m;
    m.receivedMs = nowMs;
    if (reply.isArray()) {
        std::vector<RedisReply> &e = reply.elements();
        if (e.size() < 3 || !e[0].isString())
            return false;
        const QByteArray &word = e[0].bytes();
        if ((word == "message" || word == "smessage") && e.size() == 3) {
            m.kind = Kind::Message;
            m.channel = shared(m_lastChannel, e[1].takeBytes());
            m.payload = e[2].takeBytes();
        } else if (word == "pmessage" && e.size() == 4) {
            m.kind = Kind::PatternMessage;
            m.pattern = shared(m_lastPattern, e[1].takeBytes());
            m.channel = shared(m_lastChannel, e[2].takeBytes());
            m.payload = e[3].takeBytes();
        } else if (e.size() == 3 && e[2].isInteger()) {
            if (word == "subscribe" || word == "ssubscribe")
                m.kind = Kind::Subscribed;
            else if (word == "psubscribe")
                m.kind = Kind::PatternSubscribed;
            else if (word == "unsubscribe" || word == "sunsubscribe")
                m.kind = Kind::Unsubscribed;
            else if (word == "punsubscribe")
                m.kind = Kind::PatternUnsubscribed;
            else
                return false;
            m.count = e[2].toInteger();
            (m.kind == Kind::PatternSubscribed || m.kind == Kind::PatternUnsubscribed ? m.pattern
                                                                                      : m.channel) =
                e[1].takeBytes();
        } else {
            return false;
        }
    } else if (m_inFlight.empty() && reply.isStatus() && m_monitor) {
        if (reply.bytes() == "OK")
            return true; // MONITOR's own confirmation
        m.kind = Kind::Monitor;
        m.payload = reply.takeBytes();
    } else if (m_inFlight.empty() && reply.isError()) {
        m.kind = Kind::Error;
        m.payload = reply.takeBytes();
    } else {
        return false;
    }
    m_pushOut.push_back(std::move(m));
    return true;
}

void RedisConnectionWorker::checkTimeouts()
{
    if (m_inFlight.empty()) {
        m_timeoutTimer->stop();
        return;
    }
    // Replies come in order, so only the oldest command can be the first to time out.
    const InFlight &front = m_inFlight.front();
    if (front.deadlineMs == 0 || m_clock.elapsed() < front.deadlineMs)
        return;
    if (front.id == 0) {
        dropConnection(makeError(RedisError::Kind::ConnectTimeout,
                                 QStringLiteral("%1 accepted the connection but did not answer")
                                     .arg(m_settings.endpoint())),
                       false);
        return;
    }
    // A pipelined connection cannot skip one reply: answer the late command with a timeout,
    // then reset the connection so that no later reply is matched to the wrong command.
    respond(front.id,
            RedisResult::fromError(RedisError::Kind::CommandTimeout,
                                   QStringLiteral("no reply from %1 in time; the connection "
                                                  "was reset")
                                       .arg(m_settings.endpoint())));
    m_inFlight.pop_front();
    dropConnection(makeError(RedisError::Kind::ConnectionLost,
                             QStringLiteral("the connection was reset after a command timed out")),
                   false);
}

void RedisConnectionWorker::onDeviceError(RedisError::Kind kind, const QString &message)
{
    assertThread();
    if (!m_device)
        return;
    if (kind == RedisError::Kind::ConnectionLost && m_state == ConnectionState::Connected) {
        dropConnection(
            makeError(kind, QStringLiteral("%1 closed the connection").arg(m_settings.endpoint())),
            false);
        return;
    }
    dropConnection(makeError(kind, message), isPermanent(kind));
}

void RedisConnectionWorker::onDeviceClosed()
{
    assertThread();
    if (!m_device)
        return;
    dropConnection(makeError(RedisError::Kind::ConnectionLost,
                             QStringLiteral("%1 closed the connection").arg(m_settings.endpoint())),
                   false);
}

void RedisConnectionWorker::dropConnection(RedisError error, bool permanent)
{
    m_connectTimer->stop();
    m_timeoutTimer->stop();
    if (m_device) {
        m_device->disconnect(this);
        if (auto *socket = qobject_cast<QAbstractSocket *>(m_device))
            socket->abort();
        else if (auto *local = qobject_cast<QLocalSocket *>(m_device))
            local->abort();
        m_device->deleteLater();
        m_device = nullptr;
    }
    m_writeBuffer.clear();
    m_reader.reset();

    m_lastError = error;
    RedisError forPending = error;
    if (m_state == ConnectionState::Connected && error.kind != RedisError::Kind::ConnectionLost) {
        forPending.kind = RedisError::Kind::ConnectionLost;
        forPending.message = error.toString();
    }
    failAll(forPending);
    publishResponses();

    if (m_wanted && !permanent && m_settings.reconnect.enabled) {
        const int delay = nextBackoffMs();
        setState(ConnectionState::WaitingToReconnect, error, delay);
        m_reconnectTimer->start(delay);
    } else {
        m_wanted = false;
        setState(ConnectionState::Failed, error);
    }
}

void RedisConnectionWorker::failAll(const RedisError &error)
{
    while (!m_inFlight.empty()) {
        const InFlight entry = m_inFlight.front();
        m_inFlight.pop_front();
        if (entry.id != 0)
            respond(entry.id, RedisResult::fromError(error.kind, error.message));
    }
    while (!m_held.empty()) {
        respond(m_held.front().id, RedisResult::fromError(error.kind, error.message));
        m_held.pop_front();
    }
    // Walks whose page was in flight were answered above; parked ones have no command out.
    for (const auto &[id, walk] : m_walks) {
        if (walk.parked)
            respond(id, RedisResult::fromError(error.kind, error.message));
    }
    m_walks.clear();
}

void RedisConnectionWorker::respond(quint64 id, RedisResult result)
{
    m_outgoing.push_back({id, std::move(result)});
}

void RedisConnectionWorker::publishResponses()
{
    if (m_outgoing.empty())
        return;
    if (m_exchange->pushResponses(m_outgoing))
        Q_EMIT responsesAvailable();
}

void RedisConnectionWorker::setState(ConnectionState state, const RedisError &error, int retryInMs)
{
    m_state = state;
    Q_EMIT stateChanged(state, error, retryInMs);
}

int RedisConnectionWorker::nextBackoffMs()
{
    const ReconnectPolicy &p = m_settings.reconnect;
    const int shift = qMin(m_attempt, 16);
    ++m_attempt;
    const qint64 base = qMin<qint64>(qint64(p.initialDelayMs) << shift, p.maxDelayMs);
    // ±20 % jitter, so that many consoles do not reconnect in lockstep after a restart.
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    return static_cast<int>(qMin<qint64>(static_cast<qint64>(base * jitter), p.maxDelayMs));
}

qint64 RedisConnectionWorker::deadlineFor(int timeoutMs) const
{
    const int t = timeoutMs < 0 ? m_settings.commandTimeoutMs : timeoutMs;
    return t <= 0 ? 0 : m_clock.elapsed() + t;
}

} // namespace bd::connectors
