#include "profilercontroller.h"

#include "pubsub/messagelogmodel.h"
#include "pubsub/profilerpage.h"
#include "pubsub/trafficstatsmodel.h"
#include "redis/redisclient.h"

#include <QLocale>
#include <QTimer>

namespace bd::app {

using connectors::ConnectionState;
using connectors::PushMessage;
using connectors::RedisError;
using models::LoggedMessage;
using models::MessageLogModel;

namespace {
constexpr int kMaxQueuedLines = 200000;
}

ProfilerController::ProfilerController(connectors::RedisClient *commands, ui::ProfilerPage *page,
                                       models::MessageLogModel *log,
                                       models::TrafficStatsModel *counts, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_page(page)
    , m_log(log)
    , m_counts(counts)
    , m_tick(new QTimer(this))
{
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &ProfilerController::showProgress);
    connect(page, &ui::ProfilerPage::startRequested, this, &ProfilerController::start);
    connect(page, &ui::ProfilerPage::stopRequested, this, [this] {
        m_stopReason = tr("stopped by you");
        stop();
    });
}

void ProfilerController::start(int seconds)
{
    if (m_monitor)
        return;
    connectors::ConnectionSettings settings = m_commands->settings();
    settings.clientName = QByteArrayLiteral("brokerdesk:monitor");
    m_monitor = new connectors::RedisClient(settings, this);
    m_monitor->enablePushMode(kMaxQueuedLines);
    connect(m_monitor, &connectors::RedisClient::pushMessagesAvailable, this,
            &ProfilerController::takeLines);
    connect(m_monitor, &connectors::RedisClient::stateChanged, this,
            [this](ConnectionState state, const RedisError &error, int) { onState(state, error); });
    m_monitor->open();
    m_monitor->send({"MONITOR"}, this, [](const connectors::RedisResult &) {});
    m_seconds = seconds;
    m_stopReason.clear();
    m_running.start();
    m_tick->start();
    m_log->addNote(tr("MONITOR started for %n second(s)", nullptr, seconds));
    if (m_page)
        m_page->setRunning(true);
    showProgress();
}

void ProfilerController::stop()
{
    if (!m_monitor)
        return;
    takeLines();      // what arrived before the stop is kept
    delete m_monitor; // closing the connection ends MONITOR on the server
    m_monitor = nullptr;
    m_tick->stop();
    const QString why = m_stopReason.isEmpty() ? tr("time is up") : m_stopReason;
    m_log->addNote(tr("MONITOR stopped (%1)").arg(why));
    m_log->flush();
    if (m_page) {
        m_page->setRunning(false);
        m_page->setProgress(tr("Stopped (%1) after %2 s: %3 commands seen.")
                                .arg(why)
                                .arg(m_running.elapsed() / 1000)
                                .arg(QLocale().toString(m_log->receivedCount())),
                            false);
    }
}

void ProfilerController::takeLines()
{
    if (!m_monitor)
        return;
    quint64 lost = 0;
    const std::deque<PushMessage> lines = m_monitor->takePushMessages(&lost);
    for (const PushMessage &p : lines) {
        LoggedMessage m;
        if (p.kind == PushMessage::Kind::Error) {
            m_stopReason = tr("the server refused: %1").arg(QString::fromUtf8(p.payload));
            m_log->addNote(m_stopReason);
            continue;
        }
        if (!MessageLogModel::fromPush(p, MessageLogModel::Mode::Monitor, &m))
            continue;
        if (m.kind == LoggedMessage::Kind::Command)
            m_counts->count(m.name);
        m_log->append(std::move(m));
    }
    if (lost > 0)
        m_log->appendPushMessages({}, lost);
}

void ProfilerController::showProgress()
{
    if (!m_monitor)
        return;
    const qint64 elapsed = m_running.elapsed() / 1000;
    if (elapsed >= m_seconds) {
        stop();
        return;
    }
    if (m_page) {
        m_page->setProgress(tr("Running: %1 s left · %2 commands · %3 /s")
                                .arg(m_seconds - elapsed)
                                .arg(QLocale().toString(m_log->receivedCount()))
                                .arg(QLocale().toString(qRound64(m_counts->totalRate()))),
                            false);
    }
}

void ProfilerController::onState(ConnectionState state, const RedisError &error)
{
    if (state == ConnectionState::WaitingToReconnect || state == ConnectionState::Failed) {
        // A profile is a measurement of a stretch of time: one with a hole in it is stopped
        // rather than resumed.
        m_stopReason = tr("the connection was lost: %1").arg(error.toString());
        QTimer::singleShot(0, this, &ProfilerController::stop);
    }
}

} // namespace bd::app
