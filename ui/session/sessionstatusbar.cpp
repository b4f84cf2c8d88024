#include "sessionstatusbar.h"

#include "common/tones.h"
#include "session/sessionstatus.h"

#include <QHBoxLayout>
#include <QLabel>

namespace bd::ui {

using connectors::ConnectionState;

SessionStatusBar::SessionStatusBar(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("statusState"));
    m_version = new QLabel(this);
    m_db = new QLabel(this);
    m_latency = new QLabel(this);
    m_latency->setObjectName(QStringLiteral("statusLatency"));
    m_memory = new QLabel(this);
    m_readOnly = new QLabel(tr(" READ-ONLY "), this);
    m_readOnly->setStyleSheet(models::toneBadgeStyleSheet(models::Tone::Info));
    m_readOnly->setToolTip(tr("This profile refuses every command that could change data"));
    for (QLabel *l : {m_state, m_version, m_db, m_latency, m_memory})
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_readOnly);
    layout->addWidget(m_state, 1);
    layout->addWidget(m_version);
    layout->addWidget(m_db);
    layout->addWidget(m_latency);
    layout->addWidget(m_memory);
    refresh();
}

void SessionStatusBar::setStatus(models::SessionStatus *status)
{
    if (m_status)
        m_status->disconnect(this);
    m_status = status;
    if (m_status)
        connect(m_status, &models::SessionStatus::changed, this, &SessionStatusBar::refresh);
    refresh();
}

QString SessionStatusBar::stateText() const
{
    return m_state->text();
}

void SessionStatusBar::refresh()
{
    if (!m_status) {
        m_state->setText(tr("Not connected"));
        for (QLabel *l : {m_version, m_db, m_latency, m_memory})
            l->clear();
        m_readOnly->hide();
        return;
    }
    const auto &server = m_status->server();
    const bool connected = m_status->state() == ConnectionState::Connected;
    m_state->setText(m_status->endpoint() + QStringLiteral(" — ") + m_status->stateText());
    m_state->setStyleSheet(m_status->state() == ConnectionState::Failed
                                   || m_status->state() == ConnectionState::WaitingToReconnect
                               ? models::toneStyleSheet(models::Tone::Error)
                               : QString());
    m_version->setText(server.version.isEmpty()
                           ? (server.infoError.isEmpty() ? QString() : tr("INFO denied"))
                           : tr("Redis %1 (%2)").arg(server.version, server.role));
    m_version->setToolTip(server.infoError);
    m_db->setText(tr("db %1").arg(m_status->db()));
    m_latency->setText(connected && server.latencyMs >= 0
                           ? tr("%1 ms").arg(server.latencyMs, 0, 'f', 2)
                           : QString());
    m_memory->setText(server.usedMemoryHuman.isEmpty() ? QString()
                                                       : tr("%1 used").arg(server.usedMemoryHuman));
    m_readOnly->setVisible(m_status->readOnly());
}

} // namespace bd::ui
