#pragma once

#include "redis/cacheratetracker.h"

#include <QObject>
#include <QPointer>

namespace bd::connectors {
class CacheAnalysisJob;
class RedisClient;
class ServerStatusProbe;
} // namespace bd::connectors
namespace bd::models {
class KeyTreeModel;
class NamespaceStatsModel;
} // namespace bd::models
namespace bd::ui {
class CachePage;
}

namespace bd::app {

// The Cache page's wiring. The first time the page is shown, the keyspace is analysed at depth
// 1 on a connection of its own (the long-jobs one, opened then), one analysis at a time. The
// server-wide rates come from the session's INFO poller, which reads INFO on every sample while
// the page is shown.
class CacheController : public QObject
{
    Q_OBJECT

public:
    // browser: the Keys page's connection (the analysis opens one of its own like it, in the db
    // it shows); keys: for the separator the Keys page uses.
    CacheController(const connectors::RedisClient *browser, connectors::ServerStatusProbe *probe,
                    const models::KeyTreeModel *keys, models::NamespaceStatsModel *model,
                    ui::CachePage *page, QObject *parent = nullptr);

    void analyse(int depth);

private:
    void analysisUpdated(const connectors::CacheAnalysisJob *job, qint64 analysed);

    const connectors::RedisClient *m_browser; // Not owned.
    const models::KeyTreeModel *m_keys;       // Not owned.
    models::NamespaceStatsModel *m_model;     // Not owned.
    QPointer<ui::CachePage> m_page;
    connectors::ServerStatusProbe *m_probe;            // Not owned.
    connectors::RedisClient *m_client = nullptr;       // Owned (child): the analysis' connection.
    QPointer<connectors::CacheAnalysisJob> m_analysis; // Owned (child), one at a time.
    connectors::CacheRateTracker m_rates;
    bool m_opened = false;
};

} // namespace bd::app
