#include "codec/untrustedjson.h"
#include "profiles/profilestore.h"
#include "profiles/secretstore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace bd::connectors;

class TestProfileStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEveryField();
    void resultBackendDefaultsToTheBroker();
    void neverWritesSecrets();
    void missingFileIsEmpty();
    void damagedFileIsKeptAside();
    void numbersOutOfRangeReadAsDefaults();
    void memorySecretStoreAnswersLater();
};

void TestProfileStore::roundTripsEveryField()
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("sub/profiles.json")));
    ConnectionProfile p = ConnectionProfile::create(QStringLiteral("Прод кэш"));
    p.settings.transport = ConnectionSettings::Transport::Tls;
    p.settings.host = QStringLiteral("::1");
    p.settings.port = 6380;
    p.settings.db = 4;
    p.settings.username = QStringLiteral("app");
    p.settings.tls.caFile = QStringLiteral("/etc/ca.pem");
    p.settings.tls.certFile = QStringLiteral("/etc/c.pem");
    p.settings.tls.keyFile = QStringLiteral("/etc/k.pem");
    p.settings.tls.serverName = QStringLiteral("redis.internal");
    p.settings.tls.verifyPeer = false;
    p.settings.readOnly = true;
    p.colorTag = QStringLiteral("#c01c28");
    p.rememberPassword = false;
    p.celery.resultBackend = QStringLiteral("redis://results.internal:6379/1");
    p.celery.keyPrefix = QStringLiteral("app:");
    p.celery.visibilityTimeoutS = 43200;
    ConnectionProfile transient = ConnectionProfile::create(QStringLiteral("demo"));
    transient.transient = true;
    QString error;
    QVERIFY2(store.save({p, transient}, &error), qPrintable(error));

    QList<ConnectionProfile> loaded;
    QVERIFY2(store.load(&loaded, &error), qPrintable(error));
    QCOMPARE(loaded.size(), 1); // transient profiles are never written
    const ConnectionProfile &l = loaded.first();
    QCOMPARE(l.id, p.id);
    QCOMPARE(l.name, p.name);
    QCOMPARE(l.settings.transport, p.settings.transport);
    QCOMPARE(l.settings.host, p.settings.host);
    QCOMPARE(l.settings.port, p.settings.port);
    QCOMPARE(l.settings.db, p.settings.db);
    QCOMPARE(l.settings.username, p.settings.username);
    QCOMPARE(l.settings.tls.caFile, p.settings.tls.caFile);
    QCOMPARE(l.settings.tls.certFile, p.settings.tls.certFile);
    QCOMPARE(l.settings.tls.keyFile, p.settings.tls.keyFile);
    QCOMPARE(l.settings.tls.serverName, p.settings.tls.serverName);
    QCOMPARE(l.settings.tls.verifyPeer, false);
    QCOMPARE(l.settings.readOnly, true);
    QCOMPARE(l.colorTag, p.colorTag);
    QCOMPARE(l.rememberPassword, false);
    QVERIFY(l.celery == p.celery);
}

void TestProfileStore::resultBackendDefaultsToTheBroker()
{
    ConnectionProfile p = ConnectionProfile::create(QStringLiteral("x"));
    ConnectionSettings broker;
    broker.host = QStringLiteral("broker.internal");
    broker.db = 2;
    broker.username = QStringLiteral("app");
    broker.password = QStringLiteral("secret");
    broker.readOnly = true;
    ConnectionSettings backend;
    QString error;
    QVERIFY(p.resultBackendSettings(broker, &backend, &error));
    QCOMPARE(backend.host, broker.host);
    QCOMPARE(backend.db, 2);
    // Another db or server: the broker's credentials unless the URL names a user of its own.
    p.celery.resultBackend = QStringLiteral("redis://results.internal:6390/5");
    QVERIFY(p.resultBackendSettings(broker, &backend, &error));
    QCOMPARE(backend.host, QStringLiteral("results.internal"));
    QCOMPARE(backend.port, quint16(6390));
    QCOMPARE(backend.db, 5);
    QCOMPARE(backend.username, QStringLiteral("app"));
    QCOMPARE(backend.password, QStringLiteral("secret"));
    QVERIFY(backend.readOnly); // a read-only profile stays read-only everywhere
    p.celery.resultBackend = QStringLiteral("redis://h:bad");
    QVERIFY(!p.resultBackendSettings(broker, &backend, &error));
    QVERIFY(error.startsWith(QLatin1String("result backend:")));
}

void TestProfileStore::neverWritesSecrets()
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
    ConnectionProfile p = ConnectionProfile::create(QStringLiteral("x"));
    p.settings.password = QStringLiteral("hunter2-secret");
    p.settings.tls.keyPassphrase = QStringLiteral("passphrase-secret");
    QString error;
    QVERIFY(store.save({p}, &error));
    QFile file(store.filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("\"x\""));
    QVERIFY(!text.contains("hunter2-secret"));
    QVERIFY(!text.contains("passphrase-secret"));
    QVERIFY(!text.contains("password\":")); // no field for it at all
}

void TestProfileStore::missingFileIsEmpty()
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("none.json")));
    QList<ConnectionProfile> loaded{ConnectionProfile::create(QStringLiteral("stale"))};
    QString error;
    QVERIFY(store.load(&loaded, &error));
    QVERIFY(loaded.isEmpty());
}

void TestProfileStore::damagedFileIsKeptAside()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profiles.json"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"profiles\": [ {\"name\": \"half");
    }
    ProfileStore store(path);
    QList<ConnectionProfile> loaded;
    QString error;
    QVERIFY(!store.load(&loaded, &error));
    QVERIFY(error.contains(QLatin1String("not valid JSON")));
    QVERIFY(store.save({ConnectionProfile::create(QStringLiteral("new"))}, &error));
    const QStringList backups =
        QDir(dir.path()).entryList({QStringLiteral("profiles.json.damaged-*")});
    QCOMPARE(backups.size(), 1);
}

void TestProfileStore::numbersOutOfRangeReadAsDefaults()
{
    // A hand-edited file: numbers no int holds fall back, never overflow a cast (UB).
    const auto file = parseUntrustedJson(
        R"({"name": "odd", "port": 1e300, "db": -1e20, "connectTimeoutMs": 9e18,
            "commandTimeoutMs": 2500.9, "celery": {"visibilityTimeoutS": -4e12}})");
    QVERIFY(file.ok());
    ConnectionProfile p;
    QString error;
    QVERIFY(ConnectionProfile::fromJson(file.value, &p, &error));
    QCOMPARE(p.settings.port, quint16(6379));
    QCOMPARE(p.settings.db, 0);
    QCOMPARE(p.settings.connectTimeoutMs, ConnectionSettings().connectTimeoutMs);
    QCOMPARE(p.settings.commandTimeoutMs, 2500); // in range: the whole part
    QCOMPARE(p.celery.visibilityTimeoutS, 3600);
}

void TestProfileStore::memorySecretStoreAnswersLater()
{
    MemorySecretStore store;
    bool written = false;
    store.write(QStringLiteral("k"), QStringLiteral("v"), this,
                [&](bool ok, const QString &) { written = ok; });
    QVERIFY(!written); // never re-entrant
    QTRY_VERIFY(written);
    std::optional<QString> value;
    bool answered = false;
    store.read(QStringLiteral("k"), this, [&](std::optional<QString> v, const QString &) {
        value = v;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QCOMPARE(value.value_or(QString()), QStringLiteral("v"));
    store.remove(QStringLiteral("k"));
    answered = false;
    store.read(QStringLiteral("k"), this, [&](std::optional<QString> v, const QString &) {
        value = v;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QVERIFY(!value.has_value());
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
