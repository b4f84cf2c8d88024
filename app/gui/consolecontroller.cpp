#include "consolecontroller.h"

#include "console/consolepage.h"
#include "redis/redisclient.h"
#include "redis/rediscommandtable.h"

#include <QElapsedTimer>

#include <memory>

namespace bd::app {

using connectors::RedisResult;

ConsoleController::ConsoleController(connectors::RedisClient *client, ui::ConsolePage *page,
                                     QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_page(page)
{
    page->setPrompt(client->settings().endpoint(), client->settings().db, client->isReadOnly());
    connect(client, &connectors::RedisClient::databaseChanged, page, [this](int db) {
        m_page->setPrompt(m_client->settings().endpoint(), db, m_client->isReadOnly());
    });
    connect(page, &ui::ConsolePage::commandEntered, this, &ConsoleController::run);
}

void ConsoleController::run(quint64 token, const QList<QByteArray> &args)
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    const QPointer<ui::ConsolePage> page = m_page;
    const auto show = [page, token, timer](const RedisResult &result) {
        page->showResult(token, result, timer->nsecsElapsed() / 1e6);
    };
    if (!connectors::RedisCommandTable::describe(args).blocks) {
        m_client->send(args, m_page, show);
        return;
    }
    connectors::RedisClient *blocking = blockingClient();
    const int db = m_client->settings().db;
    if (blocking->settings().db != db)
        blocking->send({"SELECT", QByteArray::number(db)}, this, [](const RedisResult &) {});
    blocking->send(args, m_page, show, 0);
}

connectors::RedisClient *ConsoleController::blockingClient()
{
    if (!m_blockingClient) {
        connectors::ConnectionSettings settings = m_client->settings();
        settings.clientName = QByteArrayLiteral("brokerdesk:console-blocking");
        m_blockingClient = new connectors::RedisClient(settings, this);
        m_blockingClient->open();
    }
    return m_blockingClient;
}

} // namespace bd::app
