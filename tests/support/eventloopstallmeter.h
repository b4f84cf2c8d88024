#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace bd::test {

// Measures how late the event loop gets: a timer ticks every intervalMs, and the worst delay
// beyond that interval is kept. Used by benchmarks ("longest event-loop stall").
class EventLoopStallMeter : public QObject
{
public:
    explicit EventLoopStallMeter(int intervalMs = 5, QObject *parent = nullptr)
        : QObject(parent)
        , m_intervalMs(intervalMs)
    {
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_worstMs = qMax(m_worstMs, m_sinceTick.elapsed() - m_intervalMs);
            m_sinceTick.restart();
        });
    }

    void start()
    {
        m_worstMs = 0;
        m_sinceTick.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    qint64 worstMs() const { return m_worstMs; }

private:
    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    qint64 m_worstMs = 0;
};

} // namespace bd::test
