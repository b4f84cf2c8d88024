#include "keyscontroller.h"

#include "common/counts.h"
#include "keys/bulkoperationdialog.h"
#include "keys/keydetailspane.h"
#include "keys/keyspage.h"
#include "keys/keytreemodel.h"
#include "livekeys.h"
#include "redis/backgroundkeyscan.h"
#include "redis/bulkkeyjob.h"
#include "redis/keyedits.h"
#include "redis/keyfactsloader.h"
#include "redis/keyinspector.h"
#include "redis/redisclient.h"
#include "redis/serverinfo.h"

#include <QDateTime>
#include <QLocale>
#include <QSaveFile>

namespace bd::app {

using connectors::RedisError;
using connectors::RedisResult;

namespace {
constexpr qint64 kTransferChunkBytes = 1024 * 1024; // GETRANGE pieces of a whole value
}

KeysController::KeysController(connectors::RedisClient *browser, models::KeyTreeModel *model,
                               ui::KeysPage *page, QObject *parent)
    : QObject(parent)
    , m_browserClient(browser)
    , m_keyModel(model)
    , m_keysPage(page)
    , m_factsLoader(new connectors::KeyFactsLoader(browser, this))
    , m_inspector(new connectors::KeyInspector(browser, this))
{
    m_live = new LiveKeys(m_browserClient, m_keyModel, m_keysPage, this);
    connect(m_keysPage, &ui::KeysPage::scanRequested, this, &KeysController::startScan);
    connect(m_keysPage, &ui::KeysPage::keyOpened, this, &KeysController::openKey);
    connect(m_keysPage, &ui::KeysPage::bulkRequested, this, &KeysController::openBulkDialog);
    connect(m_keysPage, &ui::KeysPage::databaseRequested, this, [this](int db) {
        // The browser connection moves to that db (and stays there across reconnects); scans
        // copy its settings, so the next one starts only once SELECT has answered.
        m_browserClient->send(
            {"SELECT", QByteArray::number(db)}, m_keysPage, [this, db](const RedisResult &r) {
                if (!r.ok()) {
                    m_keysPage->setScanFinished(
                        tr("Cannot open db%1: %2").arg(db).arg(r.error.toString()), false);
                    return;
                }
                m_keysPage->details()->clear();
                m_keysPage->startScan();
            });
    });
    ui::KeyDetailsPane *pane = m_keysPage->details();
    m_keysPage->setReadOnly(m_browserClient->isReadOnly());
    connect(m_keysPage, &ui::KeysPage::newKeyRequested, this, &KeysController::createKey);
    connect(pane, &ui::KeyDetailsPane::loadAllRequested, this, [this, pane](const QByteArray &key) {
        auto whole = std::make_shared<QByteArray>();
        m_inspector->readString(
            key, kTransferChunkBytes, pane,
            [pane, whole](qint64, const QByteArray &bytes, qint64 total) {
                if (whole->isEmpty())
                    whole->reserve(total);
                whole->append(bytes);
                pane->showMessage(tr("Loading: %1 of %2")
                                      .arg(QLocale().formattedDataSize(whole->size()),
                                           QLocale().formattedDataSize(total)),
                                  false);
            },
            [pane, whole, key](const RedisError &error) {
                if (error.isError()) {
                    pane->showMessage(tr("Not loaded: %1").arg(error.toString()), true);
                    return;
                }
                pane->showMessage(
                    tr("Loaded all %1.").arg(QLocale().formattedDataSize(whole->size())), false);
                pane->showFullValue(key, *whole);
            });
    });
    connect(
        pane, &ui::KeyDetailsPane::saveRequested, this,
        [this, pane](const QByteArray &key, const QString &path) {
            // Written to a temporary file renamed into place at the end: an interrupted save never
            // leaves a partial file under the chosen name.
            auto file = std::make_shared<QSaveFile>(path);
            if (!file->open(QIODevice::WriteOnly)) {
                pane->showMessage(tr("Cannot write %1: %2").arg(path, file->errorString()), true);
                return;
            }
            m_inspector->readString(
                key, kTransferChunkBytes, pane,
                [pane, file](qint64 offset, const QByteArray &bytes, qint64 total) {
                    file->write(bytes);
                    pane->showMessage(tr("Saving: %1 of %2")
                                          .arg(QLocale().formattedDataSize(offset + bytes.size()),
                                               QLocale().formattedDataSize(total)),
                                      false);
                },
                [pane, file, path](const RedisError &error) {
                    if (error.isError()) {
                        file->cancelWriting();
                        file->commit();
                        pane->showMessage(tr("Not saved: %1").arg(error.toString()), true);
                        return;
                    }
                    const qint64 size = file->size();
                    if (!file->commit()) {
                        pane->showMessage(tr("Cannot write %1: %2").arg(path, file->errorString()),
                                          true);
                        return;
                    }
                    pane->showMessage(
                        tr("Saved %1 to %2.").arg(QLocale().formattedDataSize(size), path), false);
                });
        });
    connect(pane, &ui::KeyDetailsPane::itemAddRequested, this,
            [this](const QByteArray &key, const connectors::NewItem &item) {
                const QString what = models::KeyTreeModel::displayKey(item.first);
                QString unchanged;
                if (item.type == "hash")
                    unchanged =
                        tr("Field %1 exists already; edit its value in the table.").arg(what);
                else if (item.type == "list")
                    unchanged = tr("The list no longer exists; nothing was pushed.");
                else if (item.type == "set" || item.type == "zset")
                    unchanged = tr("%1 is a member already; nothing was changed.").arg(what);
                changeKey(key, connectors::keyedits::addCommand(key, item),
                          tr("Added %1.").arg(what), unchanged);
            });
    connect(pane, &ui::KeyDetailsPane::itemsRemoveRequested, this,
            [this](const QByteArray &key, const QByteArray &type, const QList<QByteArray> &items) {
                const QList<QByteArray> command =
                    connectors::keyedits::removeCommand(key, type, items);
                if (command.isEmpty())
                    return;
                if (type == "list")
                    changeKey(key, command, tr("Popped %1."),
                              tr("The list is empty or gone; nothing was popped."));
                else
                    changeKey(key, command, tr("Removed %n item(s).", nullptr, int(items.size())),
                              tr("Nothing was removed: the items were gone already."));
            });
    connect(pane, &ui::KeyDetailsPane::refreshRequested, this, &KeysController::openKey);
    connect(pane, &ui::KeyDetailsPane::moreRequested, this, [this, pane] {
        m_inspector->loadMore(
            pane->currentDetails(), pane,
            [pane](const connectors::KeyDetails &page) { pane->appendPage(page); });
    });
    connect(pane, &ui::KeyDetailsPane::ttlRequested, this,
            [this](const QByteArray &key, qint64 ms) {
                changeKey(key, connectors::keyedits::setTtlCommand(key, ms), tr("TTL set."));
            });
    connect(pane, &ui::KeyDetailsPane::persistRequested, this, [this](const QByteArray &key) {
        changeKey(key, connectors::keyedits::persistCommand(key), tr("The key no longer expires."));
    });
    connect(pane, &ui::KeyDetailsPane::hashFieldEdited, this,
            [this](const QByteArray &key, const QByteArray &field, const QByteArray &value) {
                changeKey(key, connectors::keyedits::setHashFieldCommand(key, field, value),
                          tr("Field %1 saved.").arg(QString::fromUtf8(field)));
            });
    connect(pane, &ui::KeyDetailsPane::listElementEdited, this,
            [this](const QByteArray &key, qint64 index, const QByteArray &value) {
                changeKey(key, connectors::keyedits::setListElementCommand(key, index, value),
                          tr("Element %1 saved.").arg(index));
            });
    connect(pane, &ui::KeyDetailsPane::zsetScoreEdited, this,
            [this](const QByteArray &key, const QByteArray &member, const QByteArray &score) {
                changeKey(key, connectors::keyedits::setZsetScoreCommand(key, member, score),
                          tr("Score saved."));
            });
    connect(pane, &ui::KeyDetailsPane::renameRequested, this,
            [this, pane](const QByteArray &key, const QByteArray &newKey) {
                m_browserClient->send(
                    connectors::keyedits::renameCommand(key, newKey), pane,
                    [this, pane, key, newKey](const RedisResult &r) {
                        if (!r.ok()) {
                            pane->showMessage(r.error.toString(), true);
                            return;
                        }
                        if (r.reply.toInteger() == 0) {
                            pane->showMessage(tr("Not renamed: %1 already exists.")
                                                  .arg(models::KeyTreeModel::displayKey(newKey)),
                                              true);
                            return;
                        }
                        const QModelIndex row = m_keyModel->indexOfKey(key);
                        if (row.isValid())
                            m_keyModel->removeKey(row);
                        m_keyModel->appendKeys({newKey});
                        m_keyModel->flush();
                        pane->showLoading(newKey);
                        pane->showMessage(
                            tr("Renamed to %1.").arg(models::KeyTreeModel::displayKey(newKey)),
                            false);
                        openKey(newKey);
                    });
            });
    connect(pane, &ui::KeyDetailsPane::deleteRequested, this, [this](const QByteArray &key) {
        changeKey(key, connectors::keyedits::deleteCommand(key),
                  tr("Deleted %1.").arg(models::KeyTreeModel::displayKey(key)));
    });
    connect(m_keysPage, &ui::KeysPage::cancelRequested, this, [this] {
        if (m_scan)
            m_scan->cancel();
    });
    connect(m_keysPage, &ui::KeysPage::factsWanted, this,
            [this](const QList<QPersistentModelIndex> &rows) { loadFacts(rows, false); });
    connect(m_keysPage, &ui::KeysPage::sortFactsWanted, this,
            [this](const QList<QPersistentModelIndex> &rows) { loadFacts(rows, true); });
}

void KeysController::loadFacts(const QList<QPersistentModelIndex> &rows, bool sortAfter)
{
    QList<QByteArray> keys;
    keys.reserve(rows.size());
    for (const QPersistentModelIndex &row : rows)
        keys << row.data(models::KeyTreeModel::KeyRole).toByteArray();
    m_factsLoader->load(
        keys, m_keyModel, [this, rows, sortAfter](const QList<connectors::KeyFacts> &facts) {
            const qint64 readAtMs =
                QDateTime::currentMSecsSinceEpoch(); // one reading for the batch
            for (qsizetype i = 0; i < rows.size() && i < facts.size(); ++i) {
                // A row gone since (a new scan) is skipped; a moved one is followed.
                if (!rows[i].isValid()
                    || rows[i].data(models::KeyTreeModel::KeyRole).toByteArray() != facts[i].key)
                    continue;
                if (facts[i].error.isError()) {
                    m_keyModel->forgetPending(rows[i]); // unknown, not "gone": asked again later
                    continue;
                }
                m_keyModel->setFacts(
                    rows[i], {facts[i].type, facts[i].pttlMs, facts[i].memoryBytes, readAtMs});
            }
            if (m_factsLoader->memoryDenied() && m_keysPage)
                m_keysPage->setMemoryNote(
                    tr("Memory: not shown (%1)").arg(m_factsLoader->memoryDeniedReason()));
            if (sortAfter)
                m_keyModel->sort(); // now with the facts of the open folders
            if (sortAfter && m_keysPage && !(m_scan && m_scan->isRunning())) {
                m_keysPage->setScanFinished(
                    tr("%1, sorted by %2")
                        .arg(ui::keyCount(m_keyModel->keyCount()))
                        .arg(m_keyModel
                                 ->headerData(m_keyModel->sortColumn(), Qt::Horizontal,
                                              Qt::DisplayRole)
                                 .toString()
                                 .toLower()),
                    true);
            }
        });
}

void KeysController::openKey(const QByteArray &key)
{
    m_inspector->inspect(key, m_keysPage, [this](const connectors::KeyDetails &details) {
        if (!m_keysPage)
            return;
        m_keysPage->details()->showDetails(details);
        // Opening a key refreshes what the tree shows of it.
        const QModelIndex row = m_keyModel->indexOfKey(details.key);
        if (row.isValid())
            m_keyModel->setFacts(row, {details.type, details.pttlMs, details.memoryBytes});
    });
}

void KeysController::changeKey(const QByteArray &key, const QList<QByteArray> &command,
                               const QString &done, const QString &unchanged)
{
    connectors::keyedits::apply(
        m_browserClient, command, m_keysPage,
        [this, key, done, unchanged](const QList<QByteArray> &ran, const RedisResult &r) {
            ui::KeyDetailsPane *pane = m_keysPage->details();
            const QByteArray &name = ran.first();
            if (!r.ok()) {
                pane->showMessage(r.error.toString(), true);
                return;
            }
            if (name == "UNLINK" || name == "DEL") {
                const QModelIndex row = m_keyModel->indexOfKey(key);
                if (row.isValid())
                    m_keyModel->removeKey(row);
                pane->clear();
                pane->showMessage(done, false);
                return;
            }
            if (connectors::keyedits::changedNothing(r.reply) && !unchanged.isEmpty())
                pane->showMessage(unchanged, true);
            else if ((name == "LPOP" || name == "RPOP") && r.reply.isString())
                pane->showMessage(done.arg(models::KeyTreeModel::displayKey(r.reply.bytes())),
                                  false);
            else
                pane->showMessage(done, false);
            openKey(key); // a collection emptied by the change is gone: the pane says so
        });
}

void KeysController::createKey(const QByteArray &key, const connectors::NewItem &item, qint64 ttlMs)
{
    ui::KeyDetailsPane *pane = m_keysPage->details();
    connectors::keyedits::createKey(
        m_browserClient, key, item, ttlMs, m_keysPage,
        [this, key, pane](bool created, const RedisError &error) {
            const QString name = models::KeyTreeModel::displayKey(key);
            pane->showLoading(key);
            if (error.isError())
                pane->showMessage(tr("%1 not created: %2").arg(name, error.toString()), true);
            else if (!created)
                pane->showMessage(
                    tr("A key named %1 exists already; nothing was changed.").arg(name), true);
            else
                pane->showMessage(tr("Created %1.").arg(name), false);
            if (created && !m_keyModel->indexOfKey(key).isValid()) {
                m_keyModel->appendKeys({key});
                m_keyModel->flush();
            }
            m_keysPage->revealKey(m_keyModel->indexOfKey(key));
            openKey(key);
        });
}

void KeysController::refreshDatabases()
{
    m_browserClient->send({"CONFIG", "GET", "databases"}, m_keysPage, [this](const RedisResult &r) {
        // Denied by an ACL: keep the default of 16.
        if (r.ok() && r.reply.isArray() && r.reply.elements().size() == 2)
            m_databaseCount = qBound(1, r.reply.elements()[1].bytes().toInt(), 1024);
    });
    m_browserClient->send({"INFO", "keyspace"}, m_keysPage, [this](const RedisResult &r) {
        const QMap<int, connectors::KeyspaceCounts> keyspace =
            connectors::ServerInfo::parse(r.ok() ? r.reply.bytes() : QByteArray()).keyspace();
        QList<QPair<int, qint64>> databases;
        for (int db = 0; db < m_databaseCount; ++db) {
            // INFO lists only non-empty dbs; denied: unknown.
            const qint64 keys = !r.ok() ? -1 : keyspace.contains(db) ? keyspace.value(db).keys : 0;
            databases.push_back({db, keys});
        }
        m_keysPage->setDatabases(databases, m_browserClient->settings().db);
    });
}

void KeysController::openBulkDialog(const QString &pattern)
{
    auto *dialog = new ui::BulkOperationDialog(pattern, m_browserClient->isReadOnly(), m_keysPage);
    dialog->setObjectName(QStringLiteral("bulkDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Bulk jobs run on a connection of their own (the long-jobs connection), closed with the
    // dialog; a read-only profile's connection refuses every change before it is sent.
    connectors::ConnectionSettings settings = m_browserClient->settings();
    settings.clientName = QByteArrayLiteral("brokerdesk:bulk");
    auto *client = new connectors::RedisClient(settings, dialog);
    client->open();
    auto job = std::make_shared<QPointer<connectors::BulkKeyJob>>();
    const auto launch = [this, dialog, client, job](connectors::BulkKeyJob::Action action,
                                                    const QByteArray &pattern, qint64 ttlMs) {
        auto *j = new connectors::BulkKeyJob(client, action, pattern, ttlMs, dialog);
        *job = j;
        connect(j, &connectors::BulkKeyJob::progress, dialog,
                &ui::BulkOperationDialog::showProgress);
        connect(j, &connectors::BulkKeyJob::finished, dialog,
                [this, dialog, j](const connectors::BulkKeyJob::Report &r) {
                    j->deleteLater();
                    if (r.action == connectors::BulkKeyJob::Action::DryRun) {
                        dialog->showDryRun(r.matched, r.samples,
                                           r.error.isError() ? r.error.toString() : QString());
                        return;
                    }
                    const QString verb = r.action == connectors::BulkKeyJob::Action::Delete
                                             ? tr("deleted")
                                             : tr("given the new TTL");
                    QString report =
                        tr("%1 matching %2 %3 in %4 s")
                            .arg(ui::keyCount(r.affected), QString::fromUtf8(r.pattern), verb)
                            .arg(r.elapsedMs / 1000.0, 0, 'f', 1);
                    if (r.cancelled)
                        report += tr("; stopped by you");
                    if (r.error.isError())
                        report += tr("; stopped: %1").arg(r.error.toString());
                    dialog->showReport(report + QLatin1Char('.'), !r.error.isError());
                    if (r.affected > 0 && m_keysPage)
                        m_keysPage->startScan(); // the tree shows what is there now
                });
        j->start();
    };
    connect(dialog, &ui::BulkOperationDialog::dryRunRequested, dialog,
            [launch](const QByteArray &pattern) {
                launch(connectors::BulkKeyJob::Action::DryRun, pattern, 0);
            });
    connect(
        dialog, &ui::BulkOperationDialog::runRequested, dialog,
        [launch](const QByteArray &pattern, ui::BulkOperationDialog::Action action, qint64 ttlMs) {
            launch(action == ui::BulkOperationDialog::Action::Delete
                       ? connectors::BulkKeyJob::Action::Delete
                       : connectors::BulkKeyJob::Action::SetTtl,
                   pattern, ttlMs);
        });
    connect(dialog, &ui::BulkOperationDialog::stopRequested, dialog, [job] {
        if (*job)
            (*job)->cancel();
    });
    dialog->open();
}

void KeysController::startScan(const QByteArray &pattern, const QByteArray &type)
{
    if (m_scan) {
        m_scan->disconnect();  // its late pages and progress must reach nobody
        m_scan->deleteLater(); // its destructor stops the scan and joins its thread
    }
    connectors::KeyScanJob::Options options;
    options.match = pattern;
    options.type = type;
    // Scans run on the profile's "long jobs" connection, a connection of their own.
    connectors::ConnectionSettings settings = m_browserClient->settings();
    settings.clientName = QByteArrayLiteral("brokerdesk:scan");
    m_scan = new connectors::BackgroundKeyScan(settings, options, this);
    m_live->setFilter(pattern, type);
    m_live->setScanning(true);
    connectors::BackgroundKeyScan *job = m_scan;
    connect(job, &connectors::BackgroundKeyScan::keysFound, m_keyModel,
            &models::KeyTreeModel::appendKeys);
    connect(job, &connectors::BackgroundKeyScan::progress, m_keysPage,
            &ui::KeysPage::setScanProgress);
    connect(job, &connectors::BackgroundKeyScan::finished, this,
            [this, job](bool complete, bool capped, const RedisError &error) {
                m_keyModel->sort(); // off the GUI thread, once the last keys are in
                m_live->setScanning(false);
                refreshDatabases();
                const QLocale locale;
                QString summary;
                if (error.isError())
                    summary = tr("Scan stopped after %1: %2")
                                  .arg(ui::keyCount(job->found()), error.toString());
                else if (capped)
                    summary = tr("Stopped at the cap of %1 keys: narrow the filter to see the rest")
                                  .arg(locale.toString(job->found()));
                else if (complete)
                    summary = ui::keyCount(job->found());
                else
                    summary = tr("Stopped by you after %1").arg(ui::keyCount(job->found()));
                if (m_keysPage)
                    m_keysPage->setScanFinished(summary, !error.isError());
            });
    job->start();
}

} // namespace bd::app
