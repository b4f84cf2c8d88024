#include "keyscanjob.h"

#include "redisclient.h"

namespace bd::connectors {

KeyScanJob::KeyScanJob(RedisClient *client, Options options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(std::move(options))
{}

qint64 KeyScanJob::examinedEstimate() const
{
    const qint64 estimate = m_pages * m_options.count;
    return m_dbSize >= 0 ? qMin(estimate, m_dbSize) : estimate;
}

void KeyScanJob::start()
{
    if (!m_client)
        return;
    ++m_generation;
    m_found = 0;
    m_pages = 0;
    m_dbSize = -1;
    m_running = true;
    const quint64 generation = m_generation;
    m_client->send({"DBSIZE"}, this, [this, generation](const RedisResult &r) {
        if (generation == m_generation && r.ok() && r.reply.isInteger())
            m_dbSize = r.reply.toInteger();
    });
    startWalk();
}

void KeyScanJob::cancel()
{
    if (!m_running)
        return;
    stop(false, false, {});
}

void KeyScanJob::startWalk()
{
    QList<QByteArray> command{"SCAN", "0"};
    if (!m_options.match.isEmpty())
        command << "MATCH" << m_options.match;
    command << "COUNT" << QByteArray::number(m_options.count);
    if (!m_options.type.isEmpty())
        command << "TYPE" << m_options.type;
    const quint64 generation = m_generation;
    // The connection's thread asks for each next page itself, so the walk goes at the
    // server's pace whatever this thread is doing.
    m_walk = m_client->walk(command, 1, m_options.cap, this,
                            [this, generation](const RedisResult &r, bool last) {
                                if (generation == m_generation && m_running)
                                    onPage(r, last);
                            });
}

void KeyScanJob::onPage(const RedisResult &result, bool last)
{
    const RedisReply &reply = result.reply;
    if (!result.ok()) {
        stop(false, false, result.error);
        return;
    }
    if (!reply.isArray() || reply.elements().size() != 2 || !reply.elements()[0].isString()
        || !reply.elements()[1].isArray()) {
        stop(false, false,
             RedisError{RedisError::Kind::Protocol, QStringLiteral("unexpected SCAN reply")});
        return;
    }
    ++m_pages;
    const bool atEnd = reply.elements()[0].bytes() == "0";
    if (last && !atEnd && m_found + qint64(reply.elements()[1].elements().size()) < m_options.cap) {
        // The walk stopped short of both the end and the cap: it cannot go on.
        stop(false, false,
             RedisError{RedisError::Kind::Protocol, QStringLiteral("the scan stopped early")});
        return;
    }
    const auto &elements = reply.elements()[1].elements();
    QList<QByteArray> keys;
    keys.reserve(static_cast<qsizetype>(elements.size()));
    for (const RedisReply &e : elements) {
        if (m_found + keys.size() >= m_options.cap)
            break;
        if (e.isString())
            keys.push_back(e.bytes());
    }
    m_found += keys.size();
    const bool capped = m_found >= m_options.cap && !atEnd;
    if (!keys.isEmpty())
        Q_EMIT keysFound(keys);
    Q_EMIT progress(m_found, atEnd ? qMax<qint64>(m_dbSize, 0) : examinedEstimate(), m_dbSize);
    if (atEnd || capped)
        stop(atEnd, capped, {});
}

void KeyScanJob::stop(bool complete, bool capped, const RedisError &error)
{
    if (m_client && m_walk)
        m_client->cancelWalk(m_walk); // nothing if it has ended
    m_walk = 0;
    m_running = false;
    ++m_generation;
    Q_EMIT finished(complete, capped, error);
}

} // namespace bd::connectors
