#include "console/commandhistory.h"
#include "profiles/profilelistmodel.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

using namespace bd;
using connectors::ConnectionProfile;
using connectors::ConnectionState;
using models::ProfileListModel;

class TestModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void profileListModelIsConsistent();
    void historyWalksLikeAShell();
    void historyNeverSavesSecrets();
};

void TestModels::profileListModelIsConsistent()
{
    ProfileListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ConnectionProfile a = ConnectionProfile::create(QStringLiteral("a"));
    ConnectionProfile b = ConnectionProfile::create(QStringLiteral("b"));
    b.settings.readOnly = true;
    model.setProfiles({a});
    QCOMPARE(model.upsert(b), 1);
    QCOMPARE(model.rowCount(), 2);
    b.name = QStringLiteral("b2");
    QCOMPARE(model.upsert(b), 1); // replaces, does not add
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("b2"));
    QCOMPARE(model.index(1).data(ProfileListModel::ReadOnlyRole).toBool(), true);

    model.setState(a.id, ConnectionState::WaitingToReconnect,
                   QStringLiteral("reconnecting in 2 s"));
    QCOMPARE(model.index(0).data(ProfileListModel::StateRole).toInt(),
             int(ConnectionState::WaitingToReconnect));
    QCOMPARE(model.index(0).data(ProfileListModel::StateTextRole).toString(),
             QStringLiteral("reconnecting in 2 s"));
    QVERIFY(
        model.index(0).data(Qt::ToolTipRole).toString().contains(QLatin1String("reconnecting")));

    model.remove(a.id);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowOf(b.id), 0);
    QCOMPARE(model.state(a.id), ConnectionState::Disconnected);
}

void TestModels::historyWalksLikeAShell()
{
    models::CommandHistory h(3);
    h.add(QStringLiteral("GET a"));
    h.add(QStringLiteral("GET a")); // repeat not stored
    h.add(QStringLiteral("GET b"));
    h.add(QStringLiteral("  "));
    QCOMPARE(h.entries(), QStringList({QStringLiteral("GET a"), QStringLiteral("GET b")}));
    QCOMPARE(h.previous(QStringLiteral("typing")), QStringLiteral("GET b"));
    QCOMPARE(h.previous(QStringLiteral("GET b")), QStringLiteral("GET a"));
    QCOMPARE(h.previous(QStringLiteral("GET a")), QStringLiteral("GET a")); // stays at the oldest
    QCOMPARE(h.next(), QStringLiteral("GET b"));
    QCOMPARE(h.next(), QStringLiteral("typing")); // the draft comes back
    h.add(QStringLiteral("c1"));
    h.add(QStringLiteral("c2"));
    QCOMPARE(h.entries().size(), 3); // the oldest went
    QCOMPARE(h.entries().first(), QStringLiteral("GET b"));
}

void TestModels::historyNeverSavesSecrets()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("h.json"));
    models::CommandHistory h;
    h.add(QStringLiteral("AUTH app hunter2"));
    h.add(QStringLiteral("config set requirepass s3cr3t"));
    h.add(QStringLiteral("ACL SETUSER bob on >pw1"));
    h.add(QStringLiteral("HELLO 3 AUTH bob pw2"));
    h.add(QStringLiteral("GET user:1"));
    QCOMPARE(h.entries().size(), 5); // usable in this session
    QVERIFY(h.save(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    for (const char *secret : {"hunter2", "s3cr3t", "pw1", "pw2"})
        QVERIFY2(!text.contains(secret), secret);
    models::CommandHistory loaded;
    QVERIFY(loaded.load(path));
    QCOMPARE(loaded.entries(), QStringList{QStringLiteral("GET user:1")});
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
