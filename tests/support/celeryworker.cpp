#include "celeryworker.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcessEnvironment>

#include <csignal>

namespace bd::test {

CeleryWorker::CeleryWorker(QString brokerUrl, QString resultUrl, QString keyPrefix)
    : m_brokerUrl(std::move(brokerUrl))
    , m_resultUrl(std::move(resultUrl))
    , m_keyPrefix(std::move(keyPrefix))
{}

CeleryWorker::~CeleryWorker()
{
    stop();
}

bool CeleryWorker::start(int timeoutMs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setWorkingDirectory(QStringLiteral(BROKERDESK_DEMO_DIR));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DEMO_BROKER_URL"), m_brokerUrl);
    if (!m_resultUrl.isEmpty())
        env.insert(QStringLiteral("DEMO_RESULT_URL"), m_resultUrl);
    if (!m_keyPrefix.isEmpty())
        env.insert(QStringLiteral("DEMO_KEY_PREFIX"), m_keyPrefix);
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    m_process->setProcessEnvironment(env);
    m_nodeName = QStringLiteral("test-%1@localhost").arg(QCoreApplication::applicationPid());
    m_process->start(QStringLiteral(BROKERDESK_PYTHON),
                     {QStringLiteral("-m"), QStringLiteral("celery"), QStringLiteral("-A"),
                      QStringLiteral("tasks.celery_tasks"), QStringLiteral("worker"),
                      QStringLiteral("-E"), QStringLiteral("-l"), QStringLiteral("info"),
                      QStringLiteral("-n"), m_nodeName, QStringLiteral("-c"), QStringLiteral("1"),
                      QStringLiteral("-Q"), QStringLiteral("celery,reports"), // a custom queue too
                      QStringLiteral("--without-mingle"), QStringLiteral("--without-gossip")});
    if (!m_process->waitForStarted(10000)) {
        m_log = m_process->errorString();
        return false;
    }
    const QString base = qEnvironmentVariable("BROKERDESK_FIXTURE_DIR", QDir::tempPath());
    QDir().mkpath(base + QStringLiteral("/private"));
    m_pidFile = base + QStringLiteral("/private/celery-%1.pid").arg(m_process->processId());
    QFile pid(m_pidFile);
    if (pid.open(QIODevice::WriteOnly))
        pid.write(QByteArray::number(m_process->processId()));

    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->waitForReadyRead(200))
            m_log += QString::fromUtf8(m_process->readAll());
        if (m_log.contains(QLatin1String(" ready.")))
            return true;
        if (m_process->state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

void CeleryWorker::kill()
{
    if (!m_process)
        return;
    const qint64 pid = m_process->processId();
#ifdef Q_OS_LINUX
    // The pool's processes would otherwise be left behind, orphaned.
    QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(pid));
    if (children.open(QIODevice::ReadOnly)) {
        for (const QByteArray &child : children.readAll().split(' ')) {
            if (child.trimmed().toLongLong() > 0)
                ::kill(pid_t(child.trimmed().toLongLong()), SIGKILL);
        }
    }
#endif
    Q_UNUSED(pid);
    m_process->kill();
    m_process->waitForFinished(5000);
    m_log += QString::fromUtf8(m_process->readAll());
    m_process.reset();
    if (!m_pidFile.isEmpty())
        QFile::remove(m_pidFile);
}

void CeleryWorker::stop()
{
    if (!m_process)
        return;
    m_process->terminate(); // SIGTERM: Celery's warm shutdown
    if (!m_process->waitForFinished(15000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_log += QString::fromUtf8(m_process->readAll());
    m_process.reset();
    if (!m_pidFile.isEmpty())
        QFile::remove(m_pidFile);
}

} // namespace bd::test
