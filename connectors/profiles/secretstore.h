#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace bd::connectors {

// Where passwords go: never a settings file, never a log. All calls are asynchronous (a
// keychain may show its own unlock prompt); callbacks run on the caller's thread, bound to a
// context object.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using ReadHandler = std::function<void(std::optional<QString> secret, QString error)>;
    using WriteHandler = std::function<void(bool ok, QString error)>;

    using QObject::QObject;

    virtual void read(const QString &key, const QObject *context, ReadHandler handler) = 0;
    virtual void write(const QString &key, const QString &secret, const QObject *context,
                       WriteHandler handler) = 0;
    virtual void remove(const QString &key) = 0;
};

// Keeps secrets in this process's memory only: the fallback when no keychain answers, and the
// store for tests.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT

public:
    using SecretStore::SecretStore;

    void read(const QString &key, const QObject *context, ReadHandler handler) override;
    void write(const QString &key, const QString &secret, const QObject *context,
               WriteHandler handler) override;
    void remove(const QString &key) override;

private:
    QHash<QString, QString> m_secrets;
};

// The OS keychain through QtKeychain (Secret Service / KWallet on Linux, Credential Manager on
// Windows). Secrets a keychain could not take are kept in memory for this session, so the
// operator is asked once, not on every reconnect.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT

public:
    explicit KeychainSecretStore(QString service = QStringLiteral("Brokerdesk"),
                                 QObject *parent = nullptr);

    void read(const QString &key, const QObject *context, ReadHandler handler) override;
    void write(const QString &key, const QString &secret, const QObject *context,
               WriteHandler handler) override;
    void remove(const QString &key) override;

private:
    QString m_service;
    MemorySecretStore m_sessionFallback;
};

} // namespace bd::connectors
