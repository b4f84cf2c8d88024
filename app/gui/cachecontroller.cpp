#include "cachecontroller.h"

#include "cache/cachepage.h"
#include "cache/namespacestatsmodel.h"
#include "common/counts.h"
#include "keys/keytreemodel.h"
#include "redis/cacheanalysisjob.h"
#include "redis/redisclient.h"
#include "redis/serverstatusprobe.h"

namespace bd::app {

using connectors::RedisError;

CacheController::CacheController(const connectors::RedisClient *browser,
                                 connectors::ServerStatusProbe *probe,
                                 const models::KeyTreeModel *keys,
                                 models::NamespaceStatsModel *model, ui::CachePage *page,
                                 QObject *parent)
    : QObject(parent)
    , m_browser(browser)
    , m_keys(keys)
    , m_model(model)
    , m_page(page)
    , m_probe(probe)
{
    connect(probe, &connectors::ServerStatusProbe::infoRead, this,
            [this](const connectors::ServerInfo &info, qint64 atMs) {
                if (!m_opened || !m_page)
                    return;
                if (const auto rates = m_rates.add(info, atMs))
                    m_page->addRates(*rates);
            });
    connect(probe, &connectors::ServerStatusProbe::infoRefused, page,
            &ui::CachePage::setRatesUnavailable);
    connect(page, &ui::CachePage::analyseRequested, this, &CacheController::analyse);
    connect(page, &ui::CachePage::stopRequested, this, [this] {
        if (m_analysis)
            m_analysis->cancel();
    });
    connect(page, &ui::CachePage::shownChanged, this, [this](bool shown) {
        // Rates every sample (2 s) while the page is shown; every fifth when it is not.
        m_probe->setInfoEverySample(shown);
        if (!shown || m_opened)
            return;
        m_opened = true;
        m_probe->sampleNow();
        analyse(1);
    });
}

void CacheController::analyse(int depth)
{
    if (!m_page)
        return;
    if (m_analysis) {
        m_analysis->cancel();
        m_analysis->deleteLater();
    }
    const int db = m_browser->settings().db;
    if (!m_client) {
        connectors::ConnectionSettings settings = m_browser->settings();
        settings.clientName = QByteArrayLiteral("brokerdesk:cache");
        m_client = new connectors::RedisClient(settings, this);
        m_client->open();
    } else if (m_client->settings().db != db) {
        // The Keys page moved to another db since: analyse that one (pipelined before the scan).
        m_client->send({"SELECT", QByteArray::number(db)}, this,
                       [](const connectors::RedisResult &) {});
    }
    m_model->clear();
    m_page->setAnalysing(true);
    m_page->setProgress(tr("Analysing…"));
    auto *job = new connectors::CacheAnalysisJob(m_client, m_keys->separator(), depth, this);
    m_analysis = job;
    connect(job, &connectors::CacheAnalysisJob::updated, this,
            [this, job](qint64 analysed) { analysisUpdated(job, analysed); });
    connect(job, &connectors::CacheAnalysisJob::finished, this,
            [this, job](bool complete, const RedisError &error) {
                if (!m_page)
                    return;
                m_page->setAnalysing(false);
                qint64 keys = 0;
                for (const auto &s : job->snapshot())
                    keys += s.keys;
                const QString counted = ui::keyCount(keys);
                if (error.isError())
                    m_page->setProgress(tr("Stopped after %1: %2").arg(counted, error.toString()),
                                        true);
                else
                    m_page->setProgress(complete ? tr("%1 analysed").arg(counted)
                                                 : tr("Stopped by you after %1").arg(counted));
            });
    job->start();
}

void CacheController::analysisUpdated(const connectors::CacheAnalysisJob *job, qint64 analysed)
{
    if (job != m_analysis || !m_page)
        return; // a job replaced since: its figures are not this analysis's
    m_model->setStats(job->snapshot());
    if (job->memoryDenied())
        m_model->setMemoryUnknownReason(tr("MEMORY USAGE is not allowed for this user"));
    if (job->isRunning())
        m_page->setProgress(tr("Analysing: %1").arg(ui::keyCount(analysed)));
}

} // namespace bd::app
