#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace bd::models {
class MessageLogModel;
class TrafficStatsModel;
} // namespace bd::models

namespace bd::ui {

class MessageLogView;

// The profiler: MONITOR on a connection of its own, for a chosen time. Every command the
// server runs, with its client and db, counted per command; the same log, filters and export
// as the Pub/Sub page. The warning about what MONITOR costs the server stays in sight.
class ProfilerPage : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kDefaultSeconds = 60;

    ProfilerPage(models::MessageLogModel *log, models::TrafficStatsModel *commands,
                 QWidget *parent = nullptr);

    MessageLogView *logView() const { return m_logView; }
    void setRunning(bool running);
    void setProgress(const QString &text, bool problem);

Q_SIGNALS:
    void startRequested(int seconds);
    void stopRequested();

private:
    MessageLogView *m_logView = nullptr;
    QSpinBox *m_duration = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_progress = nullptr;
    QTableView *m_commands = nullptr;
};

} // namespace bd::ui
