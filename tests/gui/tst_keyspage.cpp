// The Keys page, driven offscreen through a real Session against the fixture's redis-server.
#include "cache/namespacestatsmodel.h"
#include "commandwait.h"
#include "common/counts.h"
#include "gui/session.h"
#include "guitest.h"
#include "keys/bulkoperationdialog.h"
#include "keys/itemdialog.h"
#include "keys/keydetailspane.h"
#include "keys/keyspage.h"
#include "keys/keytreemodel.h"
#include "redis/keyeventfollower.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace bd;
using bd::models::KeyTreeModel;

class TestKeysPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void browsesANamespaceWithLiveTtls();
    void opensAKeyAndDeletesItAfterConfirmation();
    void readOnlyProfilesCannotChangeKeys();
    void bulkDeletesANamespaceAfterDryRunAndConfirmation();
    void cachePageAnalysesWhenOpened();
    void renamesWithoutOverwriting();
    void createsKeysAndEditsCollections();
    void showsCompressedAndBrokenValues();
    void loadsAndSavesLargeValues();
    void sortsOpenFoldersByTtl();
    void factsThatCannotBeReadAreAskedAgain();
    void liveModeFollowsKeyEvents();
    void liveModeCannotChangeTheServerOnReadOnlyProfiles();
    void editsGoToTheDatabaseShown();
};

namespace {

QModelIndex find(const KeyTreeModel *model, const QByteArray &key)
{
    return model->indexOfKey(key);
}

} // namespace

void TestKeysPage::opensAKeyAndDeletesItAfterConfirmation()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    const QString url = fixture.url(11);
    connectors::RedisClient seeder(connectors::RedisUrl::parse(url).settings);
    seeder.open();
    seeder.send({"FLUSHDB"}, nullptr, {});
    seeder.send({"SET", "employees", R"([{"name":"Иван Петров","branch":"Kazan"}])", "EX", "3600"},
                nullptr, {});
    QFuture<connectors::RedisResult> last =
        seeder.send({"HSET", "shift:1", "start", "09:00", "end", "18:00"});
    QTRY_VERIFY(last.isFinished());

    OpenSession session = openSession(url, false);
    KeyTreeModel *model = session->keyModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 2, 10000);

    ui::KeysPage *page = session->keysPage();
    ui::KeyDetailsPane *pane = page->details();
    page->view()->setCurrentIndex(find(model, "employees"));
    QTRY_VERIFY_WITH_TIMEOUT(
        pane->valueText()->toPlainText().contains(QStringLiteral("\"name\": \"Иван Петров\"")),
        10000);
    QVERIFY2(pane->summaryText().startsWith(QLatin1String("string")),
             qPrintable(pane->summaryText()));
    QVERIFY(pane->summaryText().contains(QLatin1String("TTL: 59m"))
            || pane->summaryText().contains(QLatin1String("TTL: 1h")));

    // A hash shows its fields; editing a value writes it to Redis.
    page->view()->expand(find(model, "shift:1").parent());
    page->view()->setCurrentIndex(find(model, "shift:1"));
    QTRY_COMPARE_WITH_TIMEOUT(pane->valueTable()->rowCount(), 2, 10000);
    QTableWidget *table = pane->valueTable();
    int endRow = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        endRow = table->item(r, 0)->text() == QLatin1String("end") ? r : endRow;
    QVERIFY(endRow >= 0);
    QVERIFY(
        !(table->item(endRow, 0)->flags() & Qt::ItemIsEditable)); // field names are not edited here
    QVERIFY(table->item(endRow, 1)->flags() & Qt::ItemIsEditable);
    table->setCurrentCell(endRow, 1);
    table->editItem(table->item(endRow, 1));
    QWidget *editor = table->viewport()->focusWidget();
    QVERIFY(qobject_cast<QLineEdit *>(editor));
    static_cast<QLineEdit *>(editor)->setText(QStringLiteral("20:00"));
    QTest::keyClick(editor, Qt::Key_Return);
    QFuture<connectors::RedisResult> saved;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            saved = seeder.send({"HGET", "shift:1", "end"});
            return QTest::qWaitFor([&] { return saved.isFinished(); }, 2000)
                   && saved.result().reply.bytes() == "20:00";
        }(),
        10000);

    // Delete asks first, naming the key; Cancel changes nothing.
    QPushButton *del = pane->findChild<QPushButton *>(QStringLiteral("keyDelete"));
    QVERIFY(del->isEnabled());
    del->click();
    QTRY_VERIFY(visibleBox(pane));
    QVERIFY(visibleBox(pane)->text().contains(QLatin1String("shift:1")));
    answer(visibleBox(pane), QMessageBox::RejectRole);
    QFuture<connectors::RedisResult> exists = seeder.send({"EXISTS", "shift:1"});
    QTRY_VERIFY(exists.isFinished());
    QCOMPARE(exists.result().reply.toInteger(), 1);

    QTRY_VERIFY(!visibleBox(pane));
    del->click();
    QTRY_VERIFY(visibleBox(pane));
    answer(visibleBox(pane), QMessageBox::DestructiveRole);
    QTRY_VERIFY_WITH_TIMEOUT(!find(model, "shift:1").isValid(), 10000); // gone from the tree
    QCOMPARE(model->keyCount(), 1);
    exists = seeder.send({"EXISTS", "shift:1"});
    QTRY_VERIFY(exists.isFinished());
    QCOMPARE(exists.result().reply.toInteger(), 0); // and from Redis
}

void TestKeysPage::readOnlyProfilesCannotChangeKeys()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    const QString url = fixture.url(11);
    OpenSession session = openSession(url, true);
    KeyTreeModel *model = session->keyModel();
    QTRY_VERIFY_WITH_TIMEOUT(find(model, "employees").isValid(), 10000);
    session->keysPage()->view()->setCurrentIndex(find(model, "employees"));
    ui::KeyDetailsPane *pane = session->keysPage()->details();
    QTRY_VERIFY_WITH_TIMEOUT(!pane->valueText()->toPlainText().isEmpty(),
                             10000); // everything is shown
    QVERIFY(!pane->findChild<QPushButton *>(QStringLiteral("keyDelete"))
                 ->isEnabled()); // nothing changes
    QFuture<connectors::RedisResult> seeded =
        session->client()->send({"HSET", "ro:hash", "f", "v"});
    QTRY_VERIFY(seeded.isFinished());
    QCOMPARE(seeded.result().error.kind, connectors::RedisError::Kind::ReadOnlyRefused);
}

void TestKeysPage::browsesANamespaceWithLiveTtls()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    QVERIFY2(fixture.ok, qPrintable(fixture.error));
    const QString url = fixture.url(10);
    connectors::RedisClient seeder(connectors::RedisUrl::parse(url).settings);
    seeder.open();
    seeder.send({"FLUSHDB"}, nullptr, {});
    for (int i = 0; i < 50; ++i)
        seeder.send({"SET", "user:" + QByteArray::number(i), "{}", "EX", "900"}, nullptr, {});
    for (int i = 0; i < 20; ++i)
        seeder.send({"HSET", "shift:" + QByteArray::number(i), "start", "09:00"}, nullptr, {});
    QFuture<connectors::RedisResult> last = seeder.send({"SET", "registry", "{}"});
    QTRY_VERIFY(last.isFinished());

    OpenSession session = openSession(url, false);

    // The scan starts by itself once connected, and says when it is done.
    ui::KeysPage *page = session->keysPage();
    QTRY_COMPARE_WITH_TIMEOUT(page->progressText(), QStringLiteral("71 keys"), 10000);
    KeyTreeModel *model = session->keyModel();
    QTRY_COMPARE(model->keyCount(), 71);
    QCOMPARE(model->rowCount(), 3);

    QModelIndex user;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data(KeyTreeModel::KeyRole).toByteArray() == "user:")
            user = model->index(r, 0);
    }
    QVERIFY(user.isValid());
    QCOMPARE(user.data().toString(), QStringLiteral("user  (50)"));
    page->view()->expand(user);
    page->view()->scrollTo(model->index(0, 0, user), QAbstractItemView::PositionAtTop);

    // Facts arrive for the rows on screen, and only for them.
    const QModelIndex firstKey = model->index(0, 0, user);
    const QModelIndex type = model->index(0, KeyTreeModel::TypeColumn, user);
    const QModelIndex ttl = model->index(0, KeyTreeModel::TtlColumn, user);
    QTRY_COMPARE_WITH_TIMEOUT(type.data().toString(), QStringLiteral("string"), 10000);
    QVERIFY2(ttl.data().toString().startsWith(QLatin1String("14m "))
                 || ttl.data().toString() == QLatin1String("15m 00s"),
             qPrintable(ttl.data().toString()));
    const QModelIndex lastUser = model->index(49, 0, user);
    if (page->view()->visualRect(lastUser).top() > page->view()->viewport()->height())
        QCOMPARE(lastUser.data(KeyTreeModel::FactsStateRole).toInt(),
                 int(KeyTreeModel::FactsState::Missing));

    // The countdown moves without asking the server again.
    const QString before = ttl.data().toString();
    QTRY_VERIFY_WITH_TIMEOUT(ttl.data().toString() != before, 3000);
    QCOMPARE(firstKey.data(KeyTreeModel::FactsStateRole).toInt(),
             int(KeyTreeModel::FactsState::Loaded));

    // The database switcher lists the dbs with their key counts and scans the one picked.
    auto *databases = page->findChild<QComboBox *>(QStringLiteral("keysDatabase"));
    QTRY_VERIFY(databases->count() >= 16);
    QCOMPARE(databases->currentText(), QStringLiteral("db10 (71)"));
    const int db0 = databases->findData(0);
    QVERIFY(db0 >= 0);
    databases->setCurrentIndex(db0);
    Q_EMIT databases->activated(db0);
    // Done scanning db0 (which other tests share: any count, "1 key" included).
    QTRY_VERIFY_WITH_TIMEOUT(session->keyModel()->keyCount() != 71
                                 && page->progressText()
                                        == ui::keyCount(session->keyModel()->keyCount()),
                             10000);
    const int db10 = databases->findData(10);
    databases->setCurrentIndex(db10);
    Q_EMIT databases->activated(db10);
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 71, 10000);

    // Plain text typed narrows the loaded keys at once, without a new scan.
    QSignalSpy scans(page, &ui::KeysPage::scanRequested);
    QTest::keyClicks(page->patternEdit(), QStringLiteral("user:4"));
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 11, 5000); // user:4, user:40..49
    QTRY_COMPARE(page->filterNoteText(),
                 QStringLiteral("11 of 71 loaded keys contain “user:4” (Enter asks the server)"));
    QCOMPARE(scans.count(), 0);
    QCOMPARE(page->progressText(), QStringLiteral("71 keys"));
    QCOMPARE(model->rowCount(), 1);
    QTRY_VERIFY(page->view()->isExpanded(model->index(0, 0))); // a few keys: their folder opens
    page->patternEdit()->clear(); // the clear button: every loaded key is back
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 71, 5000);
    QTRY_COMPARE(page->filterNoteText(), QString());
    QCOMPARE(scans.count(), 0);

    // A filter is a new scan with MATCH.
    page->patternEdit()->setText(QStringLiteral("shift:*"));
    page->startScan();
    QTRY_COMPARE_WITH_TIMEOUT(page->progressText(), QStringLiteral("20 keys"), 10000);
    QTRY_COMPARE(model->keyCount(), 20);
    QCOMPARE(model->rowCount(), 1);
    // Plain text is a substring.
    QCOMPARE(ui::KeysPage::scanPattern(QStringLiteral(" ift:1 ")), QByteArray("*ift:1*"));
    QCOMPARE(ui::KeysPage::scanPattern(QStringLiteral("a\\b")), QByteArray("*a\\\\b*"));
    QCOMPARE(ui::KeysPage::scanPattern(QStringLiteral("user:?")), QByteArray("user:?"));
    page->patternEdit()->setText(QStringLiteral("ift:1"));
    page->startScan();
    QTRY_COMPARE_WITH_TIMEOUT(page->progressText(), QStringLiteral("11 keys"),
                              10000); // shift:1, shift:10..19
}

void TestKeysPage::bulkDeletesANamespaceAfterDryRunAndConfirmation()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    const QString url = fixture.url(12);
    connectors::RedisClient seeder(connectors::RedisUrl::parse(url).settings);
    seeder.open();
    seeder.send({"FLUSHDB"}, nullptr, {});
    for (int i = 0; i < 100; ++i)
        seeder.send({"SET", "user:" + QByteArray::number(i), "x"}, nullptr, {});
    for (int i = 0; i < 10; ++i)
        seeder.send({"SET", "users:" + QByteArray::number(i), "keep"}, nullptr, {});
    QFuture<connectors::RedisResult> last = seeder.send({"DBSIZE"});
    QTRY_VERIFY(last.isFinished());
    QCOMPARE(last.result().reply.toInteger(), 110);

    OpenSession session = openSession(url, false);
    KeyTreeModel *model = session->keyModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 110, 10000);
    QModelIndex users;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data(KeyTreeModel::KeyRole).toByteArray() == "user:")
            users = model->index(r, 0);
    }
    ui::KeysPage *page = session->keysPage();
    page->view()->setCurrentIndex(users);
    page->findChild<QPushButton *>(QStringLiteral("keysBulk"))->click();
    ui::BulkOperationDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = page->findChild<ui::BulkOperationDialog *>()) != nullptr);
    QCOMPARE(dialog->patternEdit()->text(), QStringLiteral("user:*"));
    QVERIFY(!dialog->runButton()->isEnabled()); // no run without a dry run

    dialog->dryRunButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog->resultText(), QStringLiteral("100 keys match user:*."),
                              10000);
    QVERIFY(dialog->runButton()->isEnabled());
    dialog->patternEdit()->setText(QStringLiteral("user*")); // not what was counted
    QVERIFY(!dialog->runButton()->isEnabled());
    dialog->patternEdit()->setText(QStringLiteral("user:*"));
    QVERIFY(dialog->runButton()->isEnabled());

    dialog->runButton()->click();
    QTRY_VERIFY(visibleBox(dialog));
    QVERIFY(visibleBox(dialog)->text().contains(QLatin1String("100 keys matching \"user:*\"")));
    answer(visibleBox(dialog), QMessageBox::DestructiveRole);
    QTRY_VERIFY_WITH_TIMEOUT(
        dialog->resultText().startsWith(QLatin1String("100 keys matching user:* deleted")), 10000);

    QFuture<connectors::RedisResult> size = seeder.send({"DBSIZE"});
    QTRY_VERIFY(size.isFinished());
    QCOMPARE(size.result().reply.toInteger(), 10);           // users:* untouched
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 10, 10000); // the page rescanned
}

void TestKeysPage::cachePageAnalysesWhenOpened()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    const QString url = fixture.url(13);
    connectors::RedisClient seeder(connectors::RedisUrl::parse(url).settings);
    seeder.open();
    seeder.send({"FLUSHDB"}, nullptr, {});
    for (int i = 0; i < 40; ++i)
        seeder.send({"SET", "shift:" + QByteArray::number(i), "x", "EX", "300"}, nullptr, {});
    QFuture<connectors::RedisResult> last = seeder.send({"SET", "user:1", "x", "EX", "900"});
    QTRY_VERIFY(last.isFinished());

    OpenSession session = openSession(url, false);
    QTRY_COMPARE_WITH_TIMEOUT(session->client()->state(), connectors::ConnectionState::Connected,
                              10000);
    session->view()->setCurrentWidget(session->cachePage()); // opening the page starts the analysis
    QTRY_COMPARE_WITH_TIMEOUT(session->cachePage()->progressText(),
                              QStringLiteral("41 keys analysed"), 10000);
    const auto *shift = session->cacheModel()->statsFor("shift:");
    QVERIFY(shift);
    QCOMPARE(shift->buckets[connectors::Ttl1to5m], 40);
    QCOMPARE(session->cachePage()->table()->model()->rowCount(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(
        session->cachePage()->ratesText().startsWith(QLatin1String("Hit ratio")), 10000);
}

void TestKeysPage::renamesWithoutOverwriting()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    const QString url = fixture.url(14);
    connectors::RedisClient seeder(connectors::RedisUrl::parse(url).settings);
    seeder.open();
    seeder.send({"FLUSHDB"}, nullptr, {});
    seeder.send({"SET", "old:name", "1"}, nullptr, {});
    QFuture<connectors::RedisResult> last = seeder.send({"SET", "taken", "2"});
    QTRY_VERIFY(last.isFinished());

    OpenSession session = openSession(url);
    KeyTreeModel *model = session->keyModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 2, 10000);
    ui::KeysPage *page = session->keysPage();
    ui::KeyDetailsPane *pane = page->details();
    page->view()->expand(find(model, "old:name").parent());
    page->view()->setCurrentIndex(find(model, "old:name"));
    QPushButton *rename = pane->findChild<QPushButton *>(QStringLiteral("keyRename"));
    QTRY_VERIFY_WITH_TIMEOUT(rename->isEnabled(), 10000);

    const auto renameTo = [&](const QString &name) {
        rename->click();
        QInputDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = pane->findChild<QInputDialog *>()) != nullptr && dialog->isVisible());
        dialog->setTextValue(name);
        dialog->accept();
    };
    const auto exists = [&](const QByteArray &key) {
        QFuture<connectors::RedisResult> f = seeder.send({"EXISTS", key});
        return QTest::qWaitFor([&] { return f.isFinished(); }, 5000) ? f.result().reply.toInteger()
                                                                     : -1;
    };

    renameTo(QStringLiteral("taken")); // exists: refused, nothing overwritten
    QLabel *message = pane->findChild<QLabel *>(QStringLiteral("keyMessage"));
    QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(QLatin1String("taken already exists")), 5000);
    QCOMPARE(exists("old:name"), 1);
    QCOMPARE(exists("taken"), 1);
    QFuture<connectors::RedisResult> taken = seeder.send({"GET", "taken"});
    QTRY_VERIFY(taken.isFinished());
    QCOMPARE(taken.result().reply.bytes(), QByteArray("2"));

    QTRY_VERIFY(!pane->findChild<QInputDialog *>());
    renameTo(QStringLiteral("new:name"));
    QTRY_VERIFY_WITH_TIMEOUT(exists("new:name") == 1, 5000);
    QCOMPARE(exists("old:name"), 0);
    QTRY_VERIFY(find(model, "new:name").isValid());
    QVERIFY(!find(model, "old:name").isValid());
    QCOMPARE(model->keyCount(), 2);
}

void TestKeysPage::liveModeFollowsKeyEvents()
{
    // A server of its own: the test changes notify-keyspace-events.
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const QString url = server.url(2);
    connectors::RedisClient writer(connectors::RedisUrl::parse(url).settings);
    writer.open();
    QFuture<connectors::RedisResult> seeded =
        writer.send({"MSET", "live:1", "a", "live:2", "b", "other:1", "c"});
    QTRY_VERIFY(seeded.isFinished());

    OpenSession session = openSession(url, false);
    KeyTreeModel *model = session->keyModel();
    ui::KeysPage *page = session->keysPage();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 3, 10000);
    QTRY_VERIFY(!page->progressText().startsWith(QLatin1String("Scanning")));

    // The server publishes nothing: the page says so and offers to change it.
    page->liveCheckBox()->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(page->enableKeyEventsButton()->isVisible(), 5000);
    QVERIFY2(page->liveStatusText().contains(QLatin1String("publishes no key events")),
             qPrintable(page->liveStatusText()));
    QVERIFY(page->enableKeyEventsButton()->isEnabled());
    page->enableKeyEventsButton()->click();
    QMessageBox *box = visibleBox(page);
    QVERIFY(box);
    QVERIFY2(box->text().contains(QLatin1String("\"EA\"")), qPrintable(box->text()));
    answer(box, QMessageBox::AcceptRole);
    QTRY_VERIFY_WITH_TIMEOUT(!page->enableKeyEventsButton()->isVisible(), 5000);
    const connectors::RedisResult flags =
        test::runCommand(writer, {"CONFIG", "GET", "notify-keyspace-events"});
    QVERIFY(flags.ok() && flags.reply.elements().size() == 2);
    const QByteArray value = flags.reply.elements()[1].bytes();
    QVERIFY2(value.contains('E') && (value.contains('A') || value.contains('g')),
             value.constData());
    QTRY_VERIFY_WITH_TIMEOUT(
        page->liveStatusText().startsWith(QLatin1String("Live: following db2")), 5000);
    // The key events connection holds its pattern (the session's Celery events connection has
    // a pattern of its own, so NUMPAT alone says nothing).
    const auto keyEventsSubscribed = [&writer] {
        const QByteArray clients = test::runCommand(writer, {"CLIENT", "LIST"}).reply.bytes();
        for (const QByteArray &line : clients.split('\n')) {
            if (line.contains("name=brokerdesk:keyevents ") && line.contains(" psub=1 "))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(keyEventsSubscribed(), 5000);

    // Keys set elsewhere appear; deleted and expired ones leave; a folder emptied goes too.
    writer.send({"SET", "live:3", "new"}, nullptr, {});
    writer.send({"HSET", "fresh:1", "f", "v"}, nullptr, {});
    writer.send({"DEL", "other:1"}, nullptr, {});
    writer.send({"PEXPIRE", "live:1", "50"}, nullptr, {});
    QTRY_VERIFY_WITH_TIMEOUT(model->indexOfKey("live:3").isValid(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(model->indexOfKey("fresh:1").isValid(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!model->indexOfKey("other:1").isValid(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!model->indexOfKey("live:1").isValid(), 5000);
    QCOMPARE(model->keyCount(), 3); // live:2, live:3, fresh:1
    QTRY_VERIFY(page->liveStatusText().contains(QLatin1String("changes")));

    // Turned off: the page's subscription leaves the server, so nothing can follow.
    page->liveCheckBox()->setChecked(false);
    QTRY_VERIFY_WITH_TIMEOUT(!keyEventsSubscribed(), 5000);
    // A follower of the test's own sees the next change published; the page, given four of its
    // apply intervals (250 ms) after that, still does not show it.
    connectors::KeyEventFollower watcher(connectors::RedisUrl::parse(url).settings);
    QList<QByteArray> watched;
    connect(&watcher, &connectors::KeyEventFollower::eventsArrived, this,
            [&watched](const QList<connectors::KeyEvent> &events, quint64) {
                for (const connectors::KeyEvent &e : events)
                    watched << e.key;
            });
    watcher.follow(2);
    QTRY_VERIFY_WITH_TIMEOUT(keyEventsSubscribed(), 5000); // the watcher's own
    QVERIFY(test::runCommand(writer, {"SET", "live:4", "x"}).ok());
    QTRY_VERIFY_WITH_TIMEOUT(watched.contains("live:4"), 5000);
    QTest::qWait(4
                 * 250); // a "nothing happens" check: four apply intervals after the control saw it
    QVERIFY(!model->indexOfKey("live:4").isValid());
}

void TestKeysPage::liveModeCannotChangeTheServerOnReadOnlyProfiles()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    OpenSession session = openSession(server.url(), true);
    ui::KeysPage *page = session->keysPage();
    page->liveCheckBox()->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(page->enableKeyEventsButton()->isVisible(), 5000);
    QVERIFY(!page->enableKeyEventsButton()->isEnabled());
}

namespace {

ui::ItemDialog *visibleItemDialog(QWidget *parent)
{
    for (ui::ItemDialog *d : parent->findChildren<ui::ItemDialog *>())
        if (d->isVisible())
            return d;
    return nullptr;
}

QByteArray valueOf(connectors::RedisClient &client, const QList<QByteArray> &command)
{
    const connectors::RedisResult r = test::runCommand(client, command);
    return r.reply.isInteger() ? QByteArray::number(r.reply.toInteger()) : r.reply.bytes();
}

} // namespace

void TestKeysPage::createsKeysAndEditsCollections()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    const QString url = fixture.url(12);
    connectors::RedisClient redis(connectors::RedisUrl::parse(url).settings);
    redis.open();
    QCOMPARE(valueOf(redis, {"FLUSHDB"}), QByteArray("OK"));
    QCOMPARE(valueOf(redis, {"SET", "crew:0", "x"}), QByteArray("OK"));

    OpenSession session = openSession(url, false);
    KeyTreeModel *model = session->keyModel();
    ui::KeysPage *page = session->keysPage();
    ui::KeyDetailsPane *pane = page->details();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 1, 10000);

    // New key: a hash with its first field and a TTL.
    page->newKeyButton()->click();
    ui::ItemDialog *dialog = visibleItemDialog(page);
    QVERIFY(dialog);
    dialog->nameEdit()->setText(QStringLiteral("crew:1"));
    // A score that is not a number cannot be sent.
    dialog->typeBox()->setCurrentIndex(dialog->typeBox()->findData(QByteArray("zset")));
    dialog->firstEdit()->setPlainText(QStringLiteral("m"));
    dialog->secondEdit()->setText(QStringLiteral("abc"));
    QCOMPARE(dialog->problem(), QStringLiteral("A score is a number"));
    dialog->typeBox()->setCurrentIndex(dialog->typeBox()->findData(QByteArray("hash")));
    dialog->firstEdit()->setPlainText(QStringLiteral("name"));
    dialog->secondEdit()->setText(QStringLiteral("Анна"));
    dialog->ttlBox()->setValue(600);
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(valueOf(redis, {"HGET", "crew:1", "name"}), QByteArray("Анна"), 5000);
    QVERIFY(valueOf(redis, {"TTL", "crew:1"}).toInt() > 590);
    QTRY_VERIFY(model->indexOfKey("crew:1").isValid());
    QTRY_COMPARE_WITH_TIMEOUT(pane->valueTable()->rowCount(), 1, 5000);
    QCOMPARE(pane->currentKey(), QByteArray("crew:1"));

    // The same name again: refused, the existing key untouched.
    page->newKeyButton()->click();
    dialog = visibleItemDialog(page);
    dialog->nameEdit()->setText(QStringLiteral("crew:1"));
    dialog->firstEdit()->setPlainText(QStringLiteral("overwrite?"));
    dialog->accept();
    QTRY_VERIFY_WITH_TIMEOUT(pane->findChild<QLabel *>(QStringLiteral("keyMessage"))
                                 ->text()
                                 .contains(QLatin1String("exists already")),
                             5000);
    QCOMPARE(valueOf(redis, {"TYPE", "crew:1"}), QByteArray("hash"));

    // Add a field, then remove the first one after confirmation.
    QTRY_COMPARE_WITH_TIMEOUT(pane->valueTable()->rowCount(), 1, 5000);
    QVERIFY(pane->addItemButton()->isEnabled());
    pane->addItemButton()->click();
    dialog = visibleItemDialog(pane);
    QVERIFY(dialog);
    dialog->firstEdit()->setPlainText(QStringLiteral("dept"));
    dialog->secondEdit()->setText(QStringLiteral("Ops"));
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(valueOf(redis, {"HGET", "crew:1", "dept"}), QByteArray("Ops"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(pane->valueTable()->rowCount(), 2, 5000);
    int nameRow = -1;
    for (int r = 0; r < 2; ++r)
        nameRow = pane->valueTable()->item(r, 0)->text() == QLatin1String("name") ? r : nameRow;
    QVERIFY(nameRow >= 0);
    pane->valueTable()->selectRow(nameRow);
    pane->removeItemButton()->click();
    QMessageBox *box = visibleBox(pane);
    QVERIFY(box);
    QVERIFY2(box->text().contains(QLatin1String("name"))
                 && box->text().contains(QLatin1String("crew:1")),
             qPrintable(box->text()));
    answer(box, QMessageBox::DestructiveRole);
    QTRY_COMPARE_WITH_TIMEOUT(valueOf(redis, {"HEXISTS", "crew:1", "name"}), QByteArray("0"), 5000);
    QCOMPARE(valueOf(redis, {"HGET", "crew:1", "dept"}), QByteArray("Ops"));

    // A list: created, pushed at the head, popped from the head.
    page->newKeyButton()->click();
    dialog = visibleItemDialog(page);
    dialog->nameEdit()->setText(QStringLiteral("queue"));
    dialog->typeBox()->setCurrentIndex(dialog->typeBox()->findData(QByteArray("list")));
    dialog->firstEdit()->setPlainText(QStringLiteral("job-1"));
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(valueOf(redis, {"LLEN", "queue"}), QByteArray("1"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(pane->removeItemButton()->text(), QStringLiteral("Pop…"), 5000);
    pane->addItemButton()->click();
    dialog = visibleItemDialog(pane);
    dialog->firstEdit()->setPlainText(QStringLiteral("job-0"));
    dialog->endBox()->setCurrentIndex(1); // head
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(valueOf(redis, {"LINDEX", "queue", "0"}), QByteArray("job-0"), 5000);
    pane->removeItemButton()->click();
    box = visibleBox(pane);
    QVERIFY(box);
    box->findChild<QPushButton *>(QStringLiteral("popFirst"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(valueOf(redis, {"LLEN", "queue"}), QByteArray("1"), 5000);
    QCOMPARE(valueOf(redis, {"LINDEX", "queue", "0"}), QByteArray("job-1"));
    QTRY_VERIFY_WITH_TIMEOUT(pane->findChild<QLabel *>(QStringLiteral("keyMessage"))
                                 ->text()
                                 .contains(QLatin1String("Popped job-0")),
                             5000);
}

void TestKeysPage::showsCompressedAndBrokenValues()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    const QString url = fixture.url(13);
    connectors::RedisClient redis(connectors::RedisUrl::parse(url).settings);
    redis.open();
    QCOMPARE(valueOf(redis, {"FLUSHDB"}), QByteArray("OK"));
    // qCompress: a 4-byte length, then a zlib stream.
    const QByteArray json =
        R"({"employees":[{"name":"Иван","branch":"Kazan"},{"name":"Anna","branch":"Perm"}]})";
    QCOMPARE(valueOf(redis, {"SET", "cache:zipped", qCompress(json).mid(4)}), QByteArray("OK"));
    QCOMPARE(valueOf(redis, {"SET", "cache:broken", "{\"a\": 1,\n \"b\": }"}), QByteArray("OK"));

    OpenSession session = openSession(url, false);
    KeyTreeModel *model = session->keyModel();
    ui::KeysPage *page = session->keysPage();
    ui::KeyDetailsPane *pane = page->details();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 2, 10000);
    page->view()->expand(find(model, "cache:zipped").parent());
    page->view()->setCurrentIndex(find(model, "cache:zipped"));
    QTRY_VERIFY_WITH_TIMEOUT(pane->noteText().startsWith(QLatin1String("zlib")), 5000);
    QVERIFY2(pane->valueText()->toPlainText().contains(QStringLiteral("\"name\": \"Иван\"")),
             qPrintable(pane->valueText()->toPlainText()));
    // As a tree: the root, its employees array, two objects.
    pane->modeBox()->setCurrentIndex(pane->modeBox()->findText(QStringLiteral("JSON tree")));
    QVERIFY(pane->valueTree()->isVisible());
    const QAbstractItemModel *tree = pane->valueTree()->model();
    QVERIFY(tree);
    const QModelIndex root = tree->index(0, 0);
    const QModelIndex employees = tree->index(0, 0, root);
    QCOMPARE(employees.data().toString(), QStringLiteral("employees"));
    QCOMPARE(tree->rowCount(employees), 2);
    const QModelIndex second = tree->index(1, 0, employees);
    QString name;
    for (int r = 0; r < tree->rowCount(second); ++r)
        if (tree->index(r, 0, second).data().toString() == QLatin1String("name"))
            name = tree->index(r, 1, second).data().toString();
    QCOMPARE(name, QStringLiteral("Anna"));
    pane->modeBox()->setCurrentIndex(0);

    page->view()->setCurrentIndex(find(model, "cache:broken"));
    QTRY_VERIFY_WITH_TIMEOUT(pane->noteText().contains(QLatin1String("not valid JSON at line 2")),
                             5000);
    QCOMPARE(pane->valueText()->textCursor().blockNumber(),
             1); // the cursor waits on the broken line
}

void TestKeysPage::loadsAndSavesLargeValues()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    const QString url = fixture.url(14);
    connectors::RedisClient redis(connectors::RedisUrl::parse(url).settings);
    redis.open();
    QCOMPARE(valueOf(redis, {"FLUSHDB"}), QByteArray("OK"));
    QByteArray value;
    // Over the 64 KiB preview and over what the pane formats at once (so formatting runs on a
    // pool thread), under what it shows whole.
    while (value.size() < 1536 * 1024)
        value += "row " + QByteArray::number(value.size()) + "\n";
    value += "THE END";
    QCOMPARE(valueOf(redis, {"SET", "export", value}), QByteArray("OK"));

    OpenSession session = openSession(url, false);
    KeyTreeModel *model = session->keyModel();
    ui::KeysPage *page = session->keysPage();
    ui::KeyDetailsPane *pane = page->details();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 1, 10000);
    page->view()->setCurrentIndex(find(model, "export"));
    QTRY_VERIFY_WITH_TIMEOUT(pane->loadAllButton()->isVisible(), 5000);
    QVERIFY(!pane->valueText()->toPlainText().contains(QLatin1String("THE END"))); // a preview only
    QVERIFY(pane->loadAllButton()->isEnabled());
    pane->loadAllButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(pane->valueText()->toPlainText().endsWith(QLatin1String("THE END")),
                             20000);
    QVERIFY(!pane->loadAllButton()->isVisible());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("export.bin"));
    pane->saveTo(path);
    QLabel *message = pane->findChild<QLabel *>(QStringLiteral("keyMessage"));
    QTRY_VERIFY_WITH_TIMEOUT(message->text().startsWith(QLatin1String("Saved")), 20000);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll() == value);
}

void TestKeysPage::sortsOpenFoldersByTtl()
{
    const test::RedisFixture fixture = test::RedisFixture::load();
    const QString url = fixture.url(15);
    connectors::RedisClient redis(connectors::RedisUrl::parse(url).settings);
    redis.open();
    QCOMPARE(valueOf(redis, {"FLUSHDB"}), QByteArray("OK"));
    // 300 keys in one folder, the higher the number the shorter the TTL; most are off screen.
    for (int i = 1; i <= 300; ++i)
        redis.send(
            {"SET", "t:" + QByteArray::number(i), "v", "EX", QByteArray::number(10000 - i * 10)},
            nullptr, {});
    QCOMPARE(valueOf(redis, {"SET", "t:forever", "v"}), QByteArray("OK"));

    OpenSession session = openSession(url, false, {1000, 400});
    KeyTreeModel *model = session->keyModel();
    ui::KeysPage *page = session->keysPage();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 301, 10000);
    QTRY_VERIFY(!page->progressText().startsWith(QLatin1String("Scanning")));
    const QModelIndex folder = find(model, "t:1").parent();
    page->view()->expand(folder);
    page->view()->header()->setSortIndicator(KeyTreeModel::TtlColumn, Qt::AscendingOrder);
    // Facts of every key in the open folder are loaded, then the folder is sorted by them.
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0, folder).data(KeyTreeModel::KeyRole).toByteArray(),
                              QByteArray("t:300"), 10000);
    QCOMPARE(model->index(299, 0, folder).data(KeyTreeModel::KeyRole).toByteArray(),
             QByteArray("t:1"));
    QCOMPARE(model->index(300, 0, folder).data(KeyTreeModel::KeyRole).toByteArray(),
             QByteArray("t:forever"));
    QTRY_VERIFY(page->progressText().contains(QLatin1String("sorted by ttl")));
}

void TestKeysPage::factsThatCannotBeReadAreAskedAgain()
{
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    connectors::RedisClient writer(connectors::RedisUrl::parse(server.url()).settings);
    writer.open();
    QCOMPARE(valueOf(writer, {"SET", "a:1", "x", "EX", "3000"}), QByteArray("OK"));
    QCOMPARE(valueOf(writer, {"SET", "b:1", "y", "EX", "3000"}), QByteArray("OK"));

    OpenSession session = openSession(server.url(), false);
    KeyTreeModel *model = session->keyModel();
    ui::KeysPage *page = session->keysPage();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 2, 10000);
    QTRY_VERIFY(!page->progressText().startsWith(QLatin1String("Scanning")));

    // The server dies; a folder opened now cannot get its keys' facts.
    server.kill();
    page->view()->expand(find(model, "a:1").parent());
    const QModelIndex a1 = find(model, "a:1");
    // Unknown, not "gone": the row shows no TTL rather than a wrong one.
    QTRY_VERIFY_WITH_TIMEOUT(a1.data(KeyTreeModel::FactsStateRole).toInt()
                                 != int(KeyTreeModel::FactsState::Pending),
                             10000);
    QCOMPARE(a1.data(KeyTreeModel::FactsStateRole).toInt(), int(KeyTreeModel::FactsState::Missing));
    QCOMPARE(a1.siblingAtColumn(KeyTreeModel::TtlColumn).data().toString(), QString());

    // Back again: the next look asks again and gets them.
    QVERIFY(server.restart());
    QTRY_VERIFY_WITH_TIMEOUT(valueOf(writer, {"PING"}) == "PONG", 15000);
    QCOMPARE(valueOf(writer, {"SET", "a:1", "x", "EX", "3000"}), QByteArray("OK"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            page->view()->expand(find(model, "b:1").parent()); // something to look at again
            page->view()->collapse(find(model, "b:1").parent());
            return find(model, "a:1")
                .siblingAtColumn(KeyTreeModel::TtlColumn)
                .data()
                .toString()
                .startsWith(QLatin1String("49m"));
        }(),
        15000);
}

void TestKeysPage::editsGoToTheDatabaseShown()
{
    // The same key name in two dbs: the page moved to db 3 changes db 3's key, never db 0's
    // (edits went through the console's connection, which stays in the profile's db).
    test::PrivateRedisServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    connectors::RedisClient db0(connectors::RedisUrl::parse(server.url(0)).settings);
    connectors::RedisClient db3(connectors::RedisUrl::parse(server.url(3)).settings);
    db0.open();
    db3.open();
    for (connectors::RedisClient *c : {&db0, &db3}) {
        QCOMPARE(valueOf(*c, {"SET", "same", "v"}), QByteArray("OK"));
        QCOMPARE(valueOf(*c, {"SET", "renamed", "v"}), QByteArray("OK"));
        QCOMPARE(valueOf(*c, {"DEL", "renamed"}), QByteArray("1"));
        QCOMPARE(valueOf(*c, {"SET", "doomed", "v"}), QByteArray("OK"));
    }
    QCOMPARE(valueOf(db3, {"SET", "only-in-3", "v"}),
             QByteArray("OK")); // tells the dbs' trees apart
    OpenSession session = openSession(server.url(0), false);
    KeyTreeModel *model = session->keyModel();
    ui::KeysPage *page = session->keysPage();
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 2, 10000);
    auto *databases = child<QComboBox>(page, "keysDatabase");
    QTRY_VERIFY(databases->findData(3) >= 0);
    databases->setCurrentIndex(databases->findData(3));
    Q_EMIT databases->activated(databases->currentIndex());
    QTRY_COMPARE_WITH_TIMEOUT(model->keyCount(), 3, 10000);
    QVERIFY(model->indexOfKey("only-in-3").isValid());

    ui::KeyDetailsPane *pane = page->details();
    Q_EMIT pane->ttlRequested("same", 600000);
    QTRY_VERIFY_WITH_TIMEOUT(test::runCommand(db3, {"PTTL", "same"}).reply.toInteger() > 0, 5000);
    QCOMPARE(test::runCommand(db0, {"PTTL", "same"}).reply.toInteger(), -1);
    Q_EMIT pane->renameRequested("same", "renamed");
    QTRY_VERIFY_WITH_TIMEOUT(test::runCommand(db3, {"EXISTS", "renamed"}).reply.toInteger() == 1,
                             5000);
    QCOMPARE(test::runCommand(db0, {"EXISTS", "renamed"}).reply.toInteger(), 0);
    Q_EMIT pane->deleteRequested("doomed");
    QTRY_VERIFY_WITH_TIMEOUT(test::runCommand(db3, {"EXISTS", "doomed"}).reply.toInteger() == 0,
                             5000);
    QCOMPARE(test::runCommand(db0, {"EXISTS", "doomed"}).reply.toInteger(), 1);
    QCOMPARE(test::runCommand(db0, {"EXISTS", "same"}).reply.toInteger(), 1);
}

QTEST_MAIN(TestKeysPage)
#include "tst_keyspage.moc"
