#pragma once

#include <QObject>
#include <QPointer>

namespace bd::connectors {
class RedisClient;
}
namespace bd::ui {
class ConsolePage;
}

namespace bd::app {

// The console's wiring: each command typed goes to the session's interactive connection, its
// answer back to the transcript with the time it took; the prompt follows SELECT. A blocking
// command (BLPOP … 0, XREAD BLOCK, WAIT: the command table says which) goes to a connection
// of its own, opened on first use in the console's db, so that key edits and the status probe,
// which share the interactive connection, never wait behind it. Blocking commands typed one
// after another wait in turn, as in redis-cli.
class ConsoleController : public QObject
{
    Q_OBJECT

public:
    ConsoleController(connectors::RedisClient *client, ui::ConsolePage *page,
                      QObject *parent = nullptr);

private:
    void run(quint64 token, const QList<QByteArray> &args);
    connectors::RedisClient *blockingClient();

    connectors::RedisClient *m_client; // Not owned: the session's.
    QPointer<ui::ConsolePage> m_page;
    connectors::RedisClient *m_blockingClient = nullptr; // Owned (child), made on first use.
};

} // namespace bd::app
