#include "datacontroller.h"

#include "celery/celeryresultfollower.h"
#include "celery/lasttaskrun.h"
#include "codec/untrustedjson.h"
#include "common/confirmation.h"
#include "common/counts.h"
#include "common/offthread.h"
#include "data/datapage.h"
#include "data/datasetdialog.h"
#include "data/datasetexport.h"
#include "data/datasettablemodel.h"
#include "redis/keyspacenotifications.h"
#include "redis/redisclient.h"
#include "taskscontroller.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

namespace bd::app {

using connectors::DatasetDefinition;
using connectors::RedisResult;
using models::Tone;

namespace {

QString timeText(const QDateTime &at)
{
    return at.toLocalTime().time().toString(Qt::ISODate);
}

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

DataController::DataController(const connectors::ConnectionSettings &settings,
                               TasksController *tasks, ui::DataPage *page,
                               models::DatasetTableModel *model, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_tasks(tasks)
    , m_page(page)
    , m_model(model)
{
    m_catalog = connectors::DatasetCatalog::loadDefault();
    m_userPath = connectors::DatasetCatalog::userPath();
    connectors::ConnectionSettings reads = settings;
    reads.clientName = QByteArrayLiteral("brokerdesk:data");
    m_client = new connectors::RedisClient(reads, this);
    m_reader = new connectors::DatasetReader(m_client, this);
    m_settle = new QTimer(this);
    m_settle->setSingleShot(true);
    m_settle->setInterval(kReloadSettleMs);
    connect(m_settle, &QTimer::timeout, this, [this] { reload(m_pendingWhy); });
    m_ttlTimer = new QTimer(this);
    m_ttlTimer->setInterval(kTtlPollMs);
    connect(m_ttlTimer, &QTimer::timeout, this, &DataController::pollTtl);

    page->setReadOnly(settings.readOnly);
    if (!m_catalog.problems().isEmpty())
        page->setStatus(tr("Datasets: %1").arg(m_catalog.problems().join(QStringLiteral("; "))),
                        true);
    connect(page, &ui::DataPage::datasetChosen, this,
            [this](const QString &name) { choose(name); });
    connect(page, &ui::DataPage::reloadRequested, this, [this] { reload(tr("reloaded")); });
    connect(page, &ui::DataPage::refreshRequested, this, &DataController::refresh);
    connect(page, &ui::DataPage::addRequested, this, [this] { editDefinition(QString()); });
    connect(page, &ui::DataPage::editRequested, this, &DataController::editDefinition);
    connect(page, &ui::DataPage::removeRequested, this, [this](const QString &name) {
        if (!m_catalog.remove(name))
            return;
        saveCatalog();
        m_page->setDatasets(m_catalog.datasets(), name);
        choose(m_catalog.find(name) ? name : m_catalog.datasets().value(0).name);
    });
    connect(page, &ui::DataPage::compareChosen, this, &DataController::compareWith);
    connect(page, &ui::DataPage::showChosen, this, &DataController::showSnapshot);
    connect(page, &ui::DataPage::raiseLimitRequested, this, [this] {
        m_readOptions.maxBytes = qMin<qint64>(m_readOptions.maxBytes * 4,
                                              connectors::DatasetReadOptions::kMaxLimitBytes);
        reload(tr("limit raised to %1").arg(sizeText(m_readOptions.maxBytes)));
    });
    connect(page, &ui::DataPage::exportRequested, this, &DataController::exportTo);
    connect(tasks, &TasksController::resultChanged, this, &DataController::onResult);

    // Nothing is read or watched until the page is first on screen: a session that never
    // opens it never reads a 20 MB value or subscribes to a channel.
    const QString first = m_catalog.datasets().value(0).name;
    page->setDatasets(m_catalog.datasets(), first);
    connect(page, &ui::DataPage::firstShown, this, [this] {
        if (!m_active && m_page)
            choose(m_page->currentDataset());
    });
}

bool DataController::choose(const QString &name)
{
    const DatasetDefinition *d = m_catalog.find(name);
    if (!d)
        return false;
    if (!m_active) {
        m_active = true;
        m_client->open();
    }
    if (m_current.name == d->name && m_current.key == d->key && m_current.source == d->source
        && !m_snapshots.empty())
        return true; // already shown
    m_current = *d;
    m_snapshots.clear();
    m_shown = 0;
    m_compared = -1;
    m_lastPttlMs = -3;
    m_refreshId.clear();
    ++m_readGeneration; // a read of the dataset before is not shown
    m_reading = false;
    m_readAgain = false;
    m_model->setTable(nullptr);
    if (m_page) {
        m_page->setDatasets(m_catalog.datasets(), d->name);
        m_page->showDefinition(m_current);
        m_page->setProblem(QString(), Tone::Muted);
        publishSnapshots();
    }
    watch();
    reload(tr("opened"));
    m_ttlTimer->start();
    findLastRefresh();
    return true;
}

void DataController::findLastRefresh()
{
    if (m_current.refreshTask.isEmpty() || !m_page)
        return;
    if (!m_results) {
        connectors::ConnectionSettings backend = m_tasks->backend();
        backend.clientName = QByteArrayLiteral("brokerdesk:data-results");
        m_results = new connectors::RedisClient(backend, this);
        m_results->open();
    }
    const quint64 generation = m_readGeneration;
    const QString task = m_current.refreshTask;
    connectors::findLastTaskRun(
        m_results, task, kMaxResultKeys, this,
        [this, generation](const connectors::LastTaskRun &run) {
            if (generation != m_readGeneration || !m_page || !m_refreshId.isEmpty())
                return; // another dataset, or a refresh of this session says more
            if (!run.error.isEmpty()) {
                m_page->setRefreshOutcome(
                    tr("Last refresh not known: the result backend: %1").arg(run.error),
                    Tone::Muted);
                return;
            }
            if (!run.found) {
                m_page->setRefreshOutcome(tr("No earlier refresh on record"), Tone::Muted);
                m_page->setRefreshOutcomeTip(
                    tr("None of the %1 results the result backend holds is a run of %2: results "
                       "are kept until they expire, and name their task only when the workers "
                       "run with result_extended.")
                        .arg(QLocale().toString(run.scanned), m_current.refreshTask));
                return;
            }
            const bool failed = run.status != QLatin1String("SUCCESS");
            m_page->setRefreshOutcome(
                tr("Last refresh: %1 at %2 on %3 (result backend)")
                    .arg(run.status, timeText(run.doneAt),
                         QLocale().toString(run.doneAt.toLocalTime().date(), QLocale::ShortFormat)),
                failed ? Tone::Error : Tone::Success, failed ? run.traceback : QString());
        });
}

void DataController::openKey(const QByteArray &key, const QByteArray &type)
{
    // A dataset of that key already defined (Employees for employees) is the one opened.
    for (const DatasetDefinition &d : m_catalog.datasets()) {
        if (d.key == key && d.source != DatasetDefinition::Source::KeyPattern) {
            choose(d.name);
            return;
        }
    }
    if (!m_catalog.find(QString::fromUtf8(key))) {
        DatasetDefinition d;
        d.name = QString::fromUtf8(key);
        d.key = key;
        d.source = type == "hash" ? DatasetDefinition::Source::JsonHash
                                  : DatasetDefinition::Source::JsonArray;
        d.origin = DatasetDefinition::kSessionOrigin;
        d.description = tr("Opened from the Keys page for this session; Edit… keeps it.");
        m_catalog.put(d);
    }
    choose(QString::fromUtf8(key));
}

void DataController::watch()
{
    if (m_watcher)
        m_watcher->deleteLater();
    m_watcher = new connectors::RedisClient(m_settings, this);
    m_watcher->enablePushMode(10000);
    connect(m_watcher, &connectors::RedisClient::pushMessagesAvailable, this,
            &DataController::takePushes);
    m_watcher->open();
    const QByteArray space = "__keyspace@" + QByteArray::number(m_settings.db) + "__:";
    if (m_current.source == DatasetDefinition::Source::KeyPattern)
        m_watcher->send({"PSUBSCRIBE", space + m_current.key}, this, [](const RedisResult &) {});
    else
        m_watcher->send({"SUBSCRIBE", space + m_current.key}, this, [](const RedisResult &) {});
    if (!m_current.changeChannel.isEmpty())
        m_watcher->send({"SUBSCRIBE", m_current.changeChannel.toUtf8()}, this,
                        [](const RedisResult &) {});
    // Keyspace events are published only when the server is told to: say what is seen then.
    connectors::KeyspaceNotifications::read(
        m_client, this, [this](const connectors::KeyspaceNotifications::Setting &setting) {
            const QByteArray &f = setting.flags;
            const bool keyEvents =
                f.contains('K') && (f.contains('A') || (f.contains('$') && f.contains('g')));
            if (setting.known && keyEvents) {
                m_watchNote.clear();
                return;
            }
            // Kept beside every read's line: it says why changes may show late.
            m_watchNote =
                setting.known
                    ? tr("Keyspace notifications are off (notify-keyspace-events \"%1\"): "
                         "changes are seen by the TTL read every %2 s, the change channel and "
                         "refresh results")
                          .arg(QString::fromLatin1(f))
                          .arg(kTtlPollMs / 1000)
                    : tr("Keyspace notifications cannot be checked (%1): changes are seen by the "
                         "TTL read every %2 s, the change channel and refresh results")
                          .arg(setting.problem)
                          .arg(kTtlPollMs / 1000);
            if (m_page && !m_reading)
                m_page->setStatus(m_watchNote, false);
        });
}

void DataController::takePushes()
{
    if (!m_watcher)
        return;
    // A batch is one change seen, said by its last message: a key rewritten many times a
    // second updates the page once per batch, not once per event.
    QString last;
    for (const connectors::PushMessage &m : m_watcher->takePushMessages()) {
        using Kind = connectors::PushMessage::Kind;
        if (m.kind != Kind::Message && m.kind != Kind::PatternMessage)
            continue;
        if (!m_current.changeChannel.isEmpty() && m.channel == m_current.changeChannel.toUtf8())
            last = tr("message on %1: %2")
                       .arg(m_current.changeChannel,
                            QString::fromUtf8(m.payload.left(120)).simplified());
        else
            last = tr("%1, keyspace event").arg(QString::fromUtf8(m.payload.left(40)));
    }
    if (!last.isEmpty())
        changeSeen(last);
}

void DataController::changeSeen(const QString &how)
{
    if (m_page)
        m_page->setLastChange(QDateTime::currentDateTimeUtc(), how);
    m_pendingWhy = how;
    // Not restarted by the next change: a key written more often than the settle time would
    // otherwise never be read again.
    if (!m_settle->isActive())
        m_settle->start();
}

void DataController::pollTtl()
{
    if (m_current.key.isEmpty() || m_current.source == DatasetDefinition::Source::KeyPattern
        || m_reading)
        return;
    const quint64 generation = m_readGeneration;
    m_client->send({"PTTL", m_current.key}, this, [this, generation](const RedisResult &r) {
        if (generation != m_readGeneration || !r.ok() || !r.reply.isInteger())
            return;
        const qint64 pttl = r.reply.toInteger();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (m_lastPttlMs != -3) {
            const bool wasThere = m_lastPttlMs != -2;
            const bool isThere = pttl != -2;
            // A write restarts the TTL: more time left than the last reading minus the time
            // since (2 s of slack for the poll's own timing).
            const qint64 expected = m_lastPttlMs - m_lastPttlAt.msecsTo(now);
            if (wasThere && !isThere)
                changeSeen(tr("the key is gone"));
            else if (!wasThere && isThere)
                changeSeen(tr("the key was written"));
            else if (isThere && pttl >= 0 && m_lastPttlMs >= 0 && pttl > expected + 2000)
                changeSeen(tr("the key was written (its TTL started again)"));
        }
        m_lastPttlMs = pttl;
        m_lastPttlAt = now;
        if (m_page)
            m_page->setKeyFacts(pttl == -2, pttl >= 0 ? now.addMSecs(pttl) : QDateTime(),
                                m_current.expectedTtl);
    });
}

void DataController::reload(const QString &why)
{
    if (m_current.key.isEmpty())
        return;
    if (m_reading) {
        m_readAgain = true; // once this read is in
        m_pendingWhy = why;
        return;
    }
    m_reading = true;
    if (m_page)
        m_page->setStatus(tr("Reading %1 (%2)…").arg(m_current.name, why), false);
    const quint64 generation = m_readGeneration;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    m_reader->read(
        m_current, m_readOptions, this,
        [this, generation, why, clock](const connectors::DatasetRead &read) {
            if (generation != m_readGeneration)
                return;
            m_reading = false;
            showRead(read);
            if (m_page && read.table)
                m_page->setStatus(
                    tr("Read %1 (%2) at %3 in %4 ms (%5)")
                            .arg(ui::recordCount(read.table->recordCount()),
                                 sizeText(read.table->bytes), timeText(read.readAt))
                            .arg(clock->elapsed())
                            .arg(why)
                        + (m_watchNote.isEmpty() ? QString() : QStringLiteral(" · ") + m_watchNote),
                    false);
            if (m_readAgain) {
                m_readAgain = false;
                reload(m_pendingWhy);
            }
        });
}

void DataController::showRead(const connectors::DatasetRead &read)
{
    m_lastPttlMs = read.pttlMs;
    m_lastPttlAt = read.readAt;
    if (m_page)
        m_page->setKeyFacts(read.missing,
                            read.pttlMs >= 0 ? read.readAt.addMSecs(read.pttlMs) : QDateTime(),
                            m_current.expectedTtl);
    if (read.missing) {
        if (m_page) {
            QString text = tr("%1 does not exist: the cache is empty, and the service will read "
                              "its source on the next request.")
                               .arg(QString::fromUtf8(m_current.key));
            if (!m_snapshots.empty())
                text += QLatin1Char(' ')
                        + tr("The table shows the read of %1.")
                              .arg(timeText(m_snapshots.back().readAt));
            m_page->setProblem(text, Tone::Error);
            m_page->setStatus(QString(), false);
        }
        return;
    }
    if (!read.table) {
        if (m_page) {
            m_page->setProblem(read.error, Tone::Error, read.tooLarge);
            m_page->setStatus(QString(), false);
        }
        return;
    }
    m_snapshots.push_back({read.readAt, read.table});
    if (m_snapshots.size() > size_t(kMaxSnapshots))
        m_snapshots.erase(m_snapshots.begin());
    // The new read shown, compared with the read before, by default.
    m_shown = int(m_snapshots.size()) - 1;
    m_compared = int(m_snapshots.size()) - 2;
    compareWith(m_compared);
    publishSnapshots();
    if (!m_page)
        return;
    const connectors::DatasetTable &t = *read.table;
    QStringList said;
    if (!t.error.isEmpty())
        said << (t.recordCount() > 0 ? tr("%1. The %n record(s) before it are shown.", nullptr,
                                          int(qMin<qint64>(t.recordCount(), INT_MAX)))
                                           .arg(t.error)
                                     : t.error);
    if (t.problemCount() > 0) {
        QStringList first;
        for (const connectors::DatasetProblem &p : t.problems().mid(0, 3))
            first << (p.record >= 0 ? tr("record %1: %2").arg(p.record).arg(p.text) : p.text);
        said << tr("%n problem(s): %1", nullptr, int(qMin<qint64>(t.problemCount(), INT_MAX)))
                        .arg(first.join(QStringLiteral("; ")))
                    + (t.problemCount() > 3 ? QStringLiteral("; …") : QString());
    }
    m_page->setProblem(said.join(QLatin1Char('\n')), t.ok() ? Tone::Warning : Tone::Error);
}

void DataController::compareWith(int snapshot)
{
    if (m_snapshots.empty())
        return;
    m_shown = qBound(0, m_shown, int(m_snapshots.size()) - 1);
    const connectors::DatasetTablePtr current = m_snapshots[size_t(m_shown)].table;
    if (snapshot < 0 || snapshot >= int(m_snapshots.size()) || snapshot == m_shown) {
        m_compared = -1;
        m_model->setTable(current);
        publishSnapshots();
        return;
    }
    m_compared = snapshot;
    const connectors::DatasetTablePtr earlier = m_snapshots[size_t(snapshot)].table;
    auto diff = std::make_shared<connectors::DatasetDiff>();
    const quint64 generation = m_readGeneration;
    models::runOffThread(
        this, [diff, earlier, current] { *diff = connectors::diffDatasets(*earlier, *current); },
        [this, diff, earlier, current, generation] {
            if (generation != m_readGeneration || m_shown >= int(m_snapshots.size())
                || m_snapshots[size_t(m_shown)].table != current)
                return; // another read, dataset or choice since
            m_model->setTable(current, earlier, diff);
        });
    publishSnapshots();
}

void DataController::showSnapshot(int snapshot)
{
    if (snapshot < 0 || snapshot >= int(m_snapshots.size()))
        return;
    m_shown = snapshot;
    compareWith(m_compared == snapshot ? -1 : m_compared);
}

void DataController::publishSnapshots()
{
    if (!m_page)
        return;
    // Every read of the session, oldest first; the page's indexes are ours.
    QStringList labels;
    for (const Snapshot &snapshot : m_snapshots)
        labels << timeText(snapshot.readAt);
    m_page->setSnapshots(labels, m_shown, m_compared);
}

void DataController::refresh()
{
    if (!m_page || m_current.refreshTask.isEmpty())
        return;
    if (m_tasks->isReadOnly()) {
        m_page->setRefreshOutcome(tr("Read-only profile: sending tasks is refused"), Tone::Error);
        return;
    }
    const DatasetDefinition d = m_current;
    const QString queue = m_tasks->catalog().find(d.refreshTask)
                              ? m_tasks->catalog().find(d.refreshTask)->queue
                              : QStringLiteral("celery");
    ui::askConfirmation(
        m_page, tr("Refresh %1").arg(d.name),
        tr("Send one %1 message to the %2 queue? A worker runs it; the table reloads when %3 "
           "changes.")
            .arg(d.refreshTask, queue, QString::fromUtf8(d.key)),
        tr("Send"), QStringLiteral("dataRefreshConfirmation"),
        [this, d] {
            if (!m_page || m_current.name != d.name)
                return;
            m_page->setRefreshBusy(true); // one press, one message
            m_refreshSentAt = QDateTime::currentDateTimeUtc();
            const QString label = tr("Refresh %1").arg(d.name);
            m_refreshId = m_tasks->sendTask(
                d.refreshTask, label,
                [this, label](bool sent, const QString &problem, bool mayHaveArrived) {
                    if (!m_page)
                        return;
                    m_page->setRefreshBusy(false);
                    if (sent) {
                        m_page->setRefreshOutcome(tr("%1 sent at %2; waiting for a worker")
                                                      .arg(label, timeText(m_refreshSentAt)),
                                                  Tone::Info);
                        return;
                    }
                    m_page->setRefreshOutcome(
                        mayHaveArrived ? tr("%1: %2; the message may have reached the broker")
                                             .arg(label, problem)
                                       : tr("%1 not sent: %2").arg(label, problem),
                        Tone::Error);
                });
        },
        QMessageBox::AcceptRole);
}

void DataController::onResult(const connectors::CeleryTaskResult &result)
{
    if (result.taskId != m_refreshId || m_refreshId.isEmpty() || !m_page)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 took = m_refreshSentAt.secsTo(now);
    if (result.status == QLatin1String("SUCCESS")) {
        m_page->setRefreshOutcome(tr("Refresh succeeded at %1 after %2 s: %3")
                                      .arg(timeText(now))
                                      .arg(took)
                                      .arg(connectors::jsonToText(result.result)),
                                  Tone::Success);
        changeSeen(tr("the refresh task succeeded"));
    } else if (result.failed()) {
        QString why = connectors::jsonToText(result.result);
        if (result.result.is_object() && result.result.contains("exc_type"))
            why = QStringLiteral("%1: %2").arg(
                connectors::jsonToText(result.result["exc_type"]).remove(QLatin1Char('"')),
                connectors::jsonToText(result.result["exc_message"]));
        m_page->setRefreshOutcome(tr("Refresh %1 at %2: %3").arg(result.status, timeText(now), why),
                                  Tone::Error, result.traceback.isEmpty() ? why : result.traceback);
    } else {
        m_page->setRefreshOutcome(
            tr("Refresh %1 (sent at %2)").arg(result.status, timeText(m_refreshSentAt)),
            Tone::Info);
    }
}

void DataController::saveCatalog()
{
    QString error;
    if (!m_catalog.saveUser(m_userPath, &error) && m_page)
        m_page->setStatus(tr("Datasets not saved to %1: %2").arg(m_userPath, error), true);
}

void DataController::editDefinition(const QString &name)
{
    if (!m_page)
        return;
    const DatasetDefinition *found = name.isEmpty() ? nullptr : m_catalog.find(name);
    const DatasetDefinition original = found ? *found : DatasetDefinition();
    auto *dialog = new ui::DatasetDialog(original, m_tasks->catalog().names(), m_page);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ui::DatasetDialog::saveRequested, this, [this, original](DatasetDefinition d) {
        if (!original.name.isEmpty() && !original.builtIn
            && original.name.compare(d.name, Qt::CaseInsensitive) != 0)
            m_catalog.remove(original.name); // renamed
        d.origin = m_userPath;
        d.builtIn = false;
        m_catalog.put(d);
        saveCatalog();
        m_current = DatasetDefinition(); // read again with the new definition
        choose(d.name);
    });
    dialog->open();
}

void DataController::exportTo(const QString &path, bool json, bool shownOnly)
{
    const connectors::DatasetTablePtr table = m_model->table();
    if (!table)
        return;
    std::vector<qsizetype> rows;
    if (shownOnly) {
        for (const auto &ref : m_model->rows()) {
            if (!ref.earlier) // removed records are not in the data
                rows.push_back(ref.record);
        }
    } else {
        rows = connectors::allDatasetRows(*table);
    }
    QList<int> columns;
    for (int c = 0; c < table->columnCount(); ++c)
        columns << c;
    struct Job
    {
        qint64 written = -1;
        QString error;
    };
    auto job = std::make_shared<Job>();
    models::runOffThread(
        this,
        [job, table, rows = std::move(rows), columns, path, json] {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly)) {
                job->error = file.errorString();
                return;
            }
            job->written = json ? connectors::writeDatasetJson(*table, rows, &file)
                                : connectors::writeDatasetCsv(*table, rows, columns, &file);
            if (job->written < 0 || !file.commit()) {
                job->written = -1;
                job->error = file.errorString();
            }
        },
        [this, job, path] {
            if (!m_page)
                return;
            if (job->written < 0)
                m_page->setStatus(tr("Not exported to %1: %2").arg(path, job->error), true);
            else
                m_page->setStatus(tr("Exported %1 to %2").arg(ui::recordCount(job->written), path),
                                  false);
        });
}

} // namespace bd::app
