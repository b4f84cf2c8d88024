#include "livekeys.h"

#include "keys/keyspage.h"
#include "keys/keytreemodel.h"
#include "redis/keyspacenotifications.h"
#include "redis/redisclient.h"
#include "redis/redisglob.h"

#include <QLocale>
#include <QTimer>

namespace bd::app {

using connectors::ConnectionState;
using connectors::KeyEvent;
using connectors::KeyEventFollower;
using connectors::RedisError;
using connectors::RedisResult;

namespace {
constexpr int kApplyIntervalMs = 250;
// Distinct keys whose changes may wait (while a scan runs, or between applies); the changes of
// keys beyond it are dropped and counted, like events the connection drops.
constexpr qsizetype kMaxPendingChanges = 100000;
} // namespace

LiveKeys::LiveKeys(connectors::RedisClient *browser, models::KeyTreeModel *model,
                   ui::KeysPage *page, QObject *parent)
    : QObject(parent)
    , m_browser(browser)
    , m_model(model)
    , m_page(page)
    , m_applyTimer(new QTimer(this))
{
    m_applyTimer->setInterval(kApplyIntervalMs);
    m_applyTimer->setSingleShot(true);
    connect(m_applyTimer, &QTimer::timeout, this, &LiveKeys::applyPending);
    connect(page, &ui::KeysPage::liveToggled, this, &LiveKeys::setEnabled);
    connect(page, &ui::KeysPage::keyEventsChangeRequested, this, &LiveKeys::changeServer);
    connect(browser, &connectors::RedisClient::databaseChanged, this, [this] {
        m_pending.clear(); // the tree is about to show another db
        if (m_follower)
            follow();
    });
}

void LiveKeys::setFilter(const QByteArray &pattern, const QByteArray &type)
{
    m_pattern = pattern;
    m_type = type;
}

void LiveKeys::setScanning(bool scanning)
{
    m_scanning = scanning;
    if (scanning) {
        m_gap = false; // the scan catches up with whatever was missed
        m_pending.clear();
    } else if (!m_pending.isEmpty()) {
        m_applyTimer->start();
    }
    showStatus();
}

void LiveKeys::setEnabled(bool on)
{
    if (!on) {
        delete m_follower;
        m_follower = nullptr;
        m_pending.clear();
        m_applyTimer->stop();
        return;
    }
    checkServer();
    follow();
}

void LiveKeys::checkServer()
{
    using connectors::KeyspaceNotifications;
    KeyspaceNotifications::read(
        m_browser, this, [this](const KeyspaceNotifications::Setting &setting) {
            if (!m_page || !m_follower)
                return;
            m_silent = false;
            m_configNote.clear();
            if (!setting.known) {
                // An ACL without CONFIG: follow anyway, and say what is not known.
                m_configNote = tr("cannot read notify-keyspace-events (%1): events show if the "
                                  "server publishes them")
                                   .arg(setting.problem);
            } else {
                m_flags = setting.flags;
                m_silent =
                    !KeyspaceNotifications::suffices(m_flags, KeyspaceNotifications::Use::LiveKeys);
            }
            if (!m_silent)
                m_page->hideKeyEventsOffer();
            showStatus();
        });
}

void LiveKeys::changeServer(const QByteArray &value)
{
    // Refused by the connector too on a read-only profile; the page disables the button.
    connectors::KeyspaceNotifications::change(
        m_browser, value, this, [this](const RedisError &error) {
            if (!m_page)
                return;
            if (error.isError()) {
                m_page->setLiveStatus(
                    tr("Live: notify-keyspace-events not changed: %1").arg(error.toString()), true);
                return;
            }
            checkServer();
        });
}

void LiveKeys::follow()
{
    if (!m_follower) {
        m_follower = new KeyEventFollower(m_browser->settings(), this);
        m_wasConnected = false;
        m_gap = false;
        m_changes = 0;
        m_dropped = 0;
        connect(m_follower, &KeyEventFollower::eventsArrived, this, &LiveKeys::onEvents);
        connect(m_follower, &KeyEventFollower::stateChanged, this, &LiveKeys::onState);
        connect(m_follower, &KeyEventFollower::refused, this, [this](const QString &message) {
            if (m_page)
                m_page->setLiveStatus(
                    tr("Live: the server refused the subscription: %1").arg(message), true);
        });
    }
    m_follower->follow(m_browser->settings().db);
    showStatus();
}

void LiveKeys::onEvents(const QList<KeyEvent> &events, quint64 dropped)
{
    m_dropped += dropped;
    if (dropped > 0)
        m_gap = true;
    for (const KeyEvent &e : events) {
        if (!m_pattern.isEmpty() && !connectors::globMatches(m_pattern, e.key))
            continue;
        // With a type filter, an event may add a key only when it says the key's type.
        const bool mayInsert = m_type.isEmpty() || KeyEventFollower::impliedType(e.event) == m_type;
        if (m_pending.size() >= kMaxPendingChanges && !m_pending.contains(e.key)) {
            ++m_dropped;
            m_gap = true;
            continue;
        }
        m_pending.insert(e.key, {e.effect, mayInsert});
    }
    if (!m_pending.isEmpty() && !m_scanning && !m_applyTimer->isActive())
        m_applyTimer->start();
    if (m_gap)
        showStatus();
}

void LiveKeys::applyPending()
{
    if (m_scanning || m_pending.isEmpty())
        return;
    QList<QByteArray> touched;
    QList<QByteArray> changed;
    QList<QByteArray> removed;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (it->effect == KeyEvent::Effect::Removed)
            removed << it.key();
        else
            (it->mayInsert ? touched : changed) << it.key();
    }
    if (!m_model->applyKeyChanges(touched, changed, removed)) {
        m_applyTimer->start(); // keys still queued, or a sort reads the tree: try again soon
        return;
    }
    m_changes += m_pending.size();
    m_pending.clear();
    showStatus();
}

void LiveKeys::onState(ConnectionState state, const RedisError &error)
{
    if (state == ConnectionState::Connected) {
        if (m_wasConnected)
            m_gap = true; // events published while we were away are lost
        m_wasConnected = true;
        showStatus();
    } else if (m_page
               && (state == ConnectionState::WaitingToReconnect
                   || state == ConnectionState::Failed)) {
        m_page->setLiveStatus(tr("Live: %1; changes meanwhile are missed").arg(error.toString()),
                              true);
    }
}

void LiveKeys::showStatus()
{
    if (!m_page || !m_follower)
        return;
    if (m_silent) {
        // Nothing will come until the setting changes: say that, whatever the connection does.
        m_page->offerKeyEvents(m_flags,
                               connectors::KeyspaceNotifications::completed(
                                   m_flags, connectors::KeyspaceNotifications::Use::LiveKeys),
                               m_browser->isReadOnly());
        return;
    }
    const QLocale locale;
    QString text = m_scanning ? tr("Live: changes wait for the scan")
                              : tr("Live: following db%1, %2 changes")
                                    .arg(m_follower->database())
                                    .arg(locale.toString(m_changes));
    if (m_gap) {
        text +=
            m_dropped > 0
                ? tr("; %1 events dropped (too many): scan again to catch up")
                      .arg(locale.toString(m_dropped))
                : tr("; the connection dropped and changes were missed: scan again to catch up");
    }
    if (!m_configNote.isEmpty())
        text += QStringLiteral("; ") + m_configNote;
    m_page->setLiveStatus(text, m_gap || !m_configNote.isEmpty());
}

} // namespace bd::app
