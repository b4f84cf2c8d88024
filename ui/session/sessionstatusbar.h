#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;

namespace bd::models {
class SessionStatus;
}

namespace bd::ui {

// The status bar's session part: connection state, server version, db, round-trip latency,
// used memory and a read-only badge. Follows one SessionStatus at a time.
class SessionStatusBar : public QWidget
{
    Q_OBJECT

public:
    explicit SessionStatusBar(QWidget *parent = nullptr);

    void setStatus(models::SessionStatus *status); // nullptr: no session
    QString stateText() const;

private:
    void refresh();

    QPointer<models::SessionStatus> m_status;
    QLabel *m_state = nullptr;
    QLabel *m_version = nullptr;
    QLabel *m_db = nullptr;
    QLabel *m_latency = nullptr;
    QLabel *m_memory = nullptr;
    QLabel *m_readOnly = nullptr;
};

} // namespace bd::ui
