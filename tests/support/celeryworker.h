#pragma once

#include <QProcess>
#include <QString>

#include <memory>

namespace bd::test {

// A real Celery worker (Debian's python3-celery) running the demo app's tasks
// (resources/demo/tasks/celery_tasks.py) against a broker URL. Stopped (warm shutdown, then
// kill) in the destructor; its pid file under the fixture's private/ folder lets the fixture's
// cleanup stop it if the test crashes.
class CeleryWorker
{
public:
    // keyPrefix: the broker's global_keyprefix (none when empty).
    explicit CeleryWorker(QString brokerUrl, QString resultUrl = {}, QString keyPrefix = {});
    ~CeleryWorker();

    // Starts the worker and waits until it logs "ready" (or timeoutMs passes).
    bool start(int timeoutMs = 60000);
    void stop();
    // SIGKILL, children first (a worker that dies without a goodbye, as an OOM kill does).
    void kill();
    QString log() const { return m_log; }
    QString nodeName() const { return m_nodeName; }

private:
    QString m_brokerUrl;
    QString m_resultUrl;
    QString m_keyPrefix;
    QString m_nodeName;
    QString m_log;
    QString m_pidFile;
    std::unique_ptr<QProcess> m_process;
};

} // namespace bd::test
