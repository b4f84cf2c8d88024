#include "bulkkeyjob.h"

#include "redisclient.h"

namespace bd::connectors {

namespace {
constexpr int kScanCount = 1000;
constexpr int kUnlinkBatch = 500; // keys per UNLINK command
} // namespace

BulkKeyJob::BulkKeyJob(RedisClient *client, Action action, QByteArray pattern, qint64 ttlMs,
                       QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_ttlMs(ttlMs)
{
    qRegisterMetaType<Report>();
    m_report.action = action;
    m_report.pattern = std::move(pattern);
}

void BulkKeyJob::start()
{
    if (m_running || !m_client)
        return;
    if (m_report.pattern.isEmpty()) {
        m_running = true;
        finish(RedisError{RedisError::Kind::InvalidArguments,
                          QStringLiteral("no pattern: a bulk operation needs one")});
        return;
    }
    if (m_report.action == Action::SetTtl && m_ttlMs <= 0) {
        m_running = true;
        finish(RedisError{RedisError::Kind::InvalidArguments,
                          QStringLiteral("the TTL must be positive")});
        return;
    }
    m_running = true;
    m_clock.start();
    requestPage();
}

void BulkKeyJob::requestPage()
{
    m_client->send(
        {"SCAN", m_cursor, "MATCH", m_report.pattern, "COUNT", QByteArray::number(kScanCount)},
        this, [this](const RedisResult &r) { onPage(r); });
}

void BulkKeyJob::onPage(const RedisResult &result)
{
    if (!m_running)
        return;
    const RedisReply &reply = result.reply;
    if (!result.ok()) {
        finish(result.error);
        return;
    }
    if (!reply.isArray() || reply.elements().size() != 2 || !reply.elements()[1].isArray()) {
        finish(RedisError{RedisError::Kind::Protocol, QStringLiteral("unexpected SCAN reply")});
        return;
    }
    m_cursor = reply.elements()[0].bytes();
    m_lastPage = m_cursor == "0";
    QList<QByteArray> keys;
    for (const RedisReply &k : reply.elements()[1].elements())
        keys << k.bytes();
    m_report.matched += keys.size();
    for (const QByteArray &k : keys) {
        if (m_report.samples.size() >= kSampleCount)
            break;
        if (!m_report.samples.contains(k))
            m_report.samples << k;
    }
    if (m_report.action == Action::DryRun || keys.isEmpty()) {
        Q_EMIT progress(m_report.matched, m_report.affected);
        if (m_lastPage || m_cancelled) {
            m_report.cancelled = m_cancelled && !m_lastPage;
            finish();
        } else {
            requestPage();
        }
        return;
    }
    applyTo(keys);
}

void BulkKeyJob::applyTo(const QList<QByteArray> &keys)
{
    // The page's changes go out pipelined; the next page is asked for once they are answered,
    // so a cancel stops after at most one page of changes.
    auto outstanding = std::make_shared<int>(0);
    const auto batchDone = [this, outstanding](const RedisResult &r, qint64 affected) {
        if (!m_running)
            return;
        if (!r.ok() && !m_report.error.isError())
            m_report.error = r.error;
        m_report.affected += affected;
        if (--*outstanding > 0)
            return;
        Q_EMIT progress(m_report.matched, m_report.affected);
        if (m_report.error.isError()) {
            finish(m_report.error);
        } else if (m_lastPage || m_cancelled) {
            m_report.cancelled = m_cancelled && !m_lastPage;
            finish();
        } else {
            requestPage();
        }
    };
    if (m_report.action == Action::Delete) {
        for (qsizetype i = 0; i < keys.size(); i += kUnlinkBatch) {
            QList<QByteArray> command{"UNLINK"};
            command += keys.mid(i, kUnlinkBatch);
            ++*outstanding;
            m_client->send(command, this, [batchDone](const RedisResult &r) {
                batchDone(r, r.ok() && r.reply.isInteger() ? r.reply.toInteger() : 0);
            });
        }
    } else {
        const QByteArray ttl = QByteArray::number(m_ttlMs);
        for (const QByteArray &key : keys) {
            ++*outstanding;
            m_client->send({"PEXPIRE", key, ttl}, this, [batchDone](const RedisResult &r) {
                batchDone(r, r.ok() && r.reply.isInteger() ? r.reply.toInteger() : 0);
            });
        }
    }
}

void BulkKeyJob::finish(const RedisError &error)
{
    if (!m_running)
        return;
    m_running = false;
    if (error.isError())
        m_report.error = error;
    m_report.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    Q_EMIT finished(m_report);
}

} // namespace bd::connectors
