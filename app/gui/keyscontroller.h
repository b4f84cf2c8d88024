#pragma once

#include "keys/keyspage.h"
#include "redis/keydetails.h"

#include <QObject>
#include <QPersistentModelIndex>
#include <QPointer>

namespace bd::connectors {
class BackgroundKeyScan;
class KeyFactsLoader;
class KeyInspector;
class RedisClient;
} // namespace bd::connectors
namespace bd::models {
class KeyTreeModel;
}

namespace bd::app {

class LiveKeys;

// The Keys page's wiring: scans (each on a connection of its own), per-key facts, the detail
// pane and every edit (on the browser connection, which is in the db the page shows), bulk
// jobs, the database list and live mode.
class KeysController : public QObject
{
    Q_OBJECT

public:
    // browser: facts, values, edits and SELECT (scans and bulk jobs copy its settings, so they
    // all follow the db the page shows; the console's connection stays in its own).
    KeysController(connectors::RedisClient *browser, models::KeyTreeModel *model,
                   ui::KeysPage *page, QObject *parent = nullptr);

    // The bulk delete / TTL dialog for keys matching pattern (also the Cache page's
    // "Invalidate namespace").
    void openBulkDialog(const QString &pattern);

private:
    void startScan(const QByteArray &pattern, const QByteArray &type);
    void openKey(const QByteArray &key);
    // Type, TTL and memory of these rows, into the model; sortAfter: sort again when in.
    void loadFacts(const QList<QPersistentModelIndex> &rows, bool sortAfter);
    void refreshDatabases();
    // Runs a command that changes a key (in the db the page shows), then shows the key
    // again; the model follows (a deleted key leaves the tree).
    // unchanged: the message when the command answers 0 (HSETNX on an existing field, ...).
    void changeKey(const QByteArray &key, const QList<QByteArray> &command, const QString &done,
                   const QString &unchanged = {});
    void createKey(const QByteArray &key, const connectors::NewItem &item, qint64 ttlMs);

    connectors::RedisClient *m_browserClient; // Not owned.
    models::KeyTreeModel *m_keyModel;         // Not owned.
    QPointer<ui::KeysPage> m_keysPage;
    connectors::KeyFactsLoader *m_factsLoader = nullptr; // Owned (child).
    connectors::KeyInspector *m_inspector = nullptr;     // Owned (child).
    QPointer<connectors::BackgroundKeyScan> m_scan;      // Owned (child), one at a time.
    LiveKeys *m_live = nullptr;                          // Owned (child).
    int m_databaseCount = 16;                            // CONFIG GET databases, when allowed
};

} // namespace bd::app
