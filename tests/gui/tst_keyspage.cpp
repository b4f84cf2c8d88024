// The Keys page, driven offscreen through a real Session against the fixture's redis-server.
#include "gui/session.h"
#include "keys/keyspage.h"
#include "keys/keytreemodel.h"
#include "redis/redisclient.h"
#include "redis/redisurl.h"
#include "testredis.h"

#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QTreeView>

using namespace bd;
using bd::models::KeyTreeModel;

class TestKeysPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void browsesANamespaceWithLiveTtls();
};

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

    connectors::ConnectionProfile profile = connectors::ConnectionProfile::create(QStringLiteral("keys"));
    profile.settings = connectors::RedisUrl::parse(url).settings;
    profile.transient = true;
    app::Session session(profile, profile.settings);
    std::unique_ptr<QWidget> view(session.view());
    view->resize(1000, 700);
    view->show();
    session.start();

    // The scan starts by itself once connected, and says when it is done.
    ui::KeysPage *page = session.keysPage();
    QTRY_COMPARE_WITH_TIMEOUT(page->progressText(), QStringLiteral("71 keys"), 10000);
    KeyTreeModel *model = session.keyModel();
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
    QVERIFY2(ttl.data().toString().startsWith(QLatin1String("14m ")) || ttl.data().toString() == QLatin1String("15m 00s"),
             qPrintable(ttl.data().toString()));
    const QModelIndex lastUser = model->index(49, 0, user);
    if (page->view()->visualRect(lastUser).top() > page->view()->viewport()->height())
        QCOMPARE(lastUser.data(KeyTreeModel::FactsStateRole).toInt(), int(KeyTreeModel::FactsState::Missing));

    // The countdown moves without asking the server again.
    const QString before = ttl.data().toString();
    QTRY_VERIFY_WITH_TIMEOUT(ttl.data().toString() != before, 3000);
    QCOMPARE(firstKey.data(KeyTreeModel::FactsStateRole).toInt(), int(KeyTreeModel::FactsState::Loaded));

    // A filter is a new scan with MATCH.
    page->patternEdit()->setText(QStringLiteral("shift:*"));
    page->startScan();
    QTRY_COMPARE_WITH_TIMEOUT(page->progressText(), QStringLiteral("20 keys"), 10000);
    QTRY_COMPARE(model->keyCount(), 20);
    QCOMPARE(model->rowCount(), 1);
}

QTEST_MAIN(TestKeysPage)
#include "tst_keyspage.moc"
