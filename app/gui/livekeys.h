#pragma once

#include "redis/connectionstate.h"
#include "redis/keyeventfollower.h"
#include "redis/rediserror.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QTimer;

namespace bd::connectors {
class RedisClient;
}
namespace bd::models {
class KeyTreeModel;
}
namespace bd::ui {
class KeysPage;
}

namespace bd::app {

// The Keys page's live mode: keyevent notifications followed into the key tree.
//
// When the operator turns it on, the server's notify-keyspace-events is read (on the browser
// connection) and, if it publishes too little, the page offers to change it; then a
// KeyEventFollower subscribes to the browser's db. Events are reduced to one net change per
// key and applied to the model four times a second; while a scan fills the tree they wait, so
// a key is never listed twice. Keys outside the scan's filter stay out.
class LiveKeys : public QObject
{
    Q_OBJECT

public:
    LiveKeys(connectors::RedisClient *browser, models::KeyTreeModel *model, ui::KeysPage *page,
             QObject *parent = nullptr);

    // The filter of the scan that filled the tree: keys events add must pass it too.
    void setFilter(const QByteArray &pattern, const QByteArray &type);
    void setScanning(bool scanning);
    qint64 changesApplied() const { return m_changes; }

private:
    void setEnabled(bool on);
    void checkServer();
    void changeServer(const QByteArray &value);
    void follow();
    void onEvents(const QList<connectors::KeyEvent> &events, quint64 dropped);
    void onState(connectors::ConnectionState state, const connectors::RedisError &error);
    void applyPending();
    void showStatus();

    connectors::RedisClient *m_browser; // Not owned.
    models::KeyTreeModel *m_model;      // Not owned.
    QPointer<ui::KeysPage> m_page;
    connectors::KeyEventFollower *m_follower = nullptr; // Owned (child) while live.
    QTimer *m_applyTimer = nullptr;                     // Owned.
    // Net change per key since the last apply: its last event, and whether it may insert it.
    struct Change
    {
        connectors::KeyEvent::Effect effect;
        bool mayInsert;
    };
    QHash<QByteArray, Change> m_pending;
    QByteArray m_pattern;
    QByteArray m_type;
    bool m_scanning = false;
    // What the server's notify-keyspace-events says: silent = it publishes too little (the
    // page offers to change it); configNote = why it could not be read.
    bool m_silent = false;
    QByteArray m_flags;
    QString m_configNote;
    bool m_wasConnected = false;
    bool m_gap = false; // a reconnect happened: events were missed
    qint64 m_changes = 0;
    quint64 m_dropped = 0; // events dropped by the connection or over kMaxPendingChanges
};

} // namespace bd::app
