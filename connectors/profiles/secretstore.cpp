#include "secretstore.h"

#include <QPointer>
#include <qt6keychain/keychain.h>
#include <QTimer>

namespace bd::connectors {

namespace {

// Runs f on the next event-loop pass if the context still exists: callbacks are never
// re-entrant into the caller.
void later(const QObject *context, std::function<void()> f)
{
    QPointer<QObject> guard(const_cast<QObject *>(context));
    const bool hasContext = context != nullptr;
    QTimer::singleShot(0, [guard, hasContext, f = std::move(f)] {
        if (hasContext && guard.isNull())
            return;
        f();
    });
}

} // namespace

void MemorySecretStore::read(const QString &key, const QObject *context, ReadHandler handler)
{
    const auto it = m_secrets.constFind(key);
    std::optional<QString> value;
    if (it != m_secrets.constEnd())
        value = *it;
    later(context, [handler = std::move(handler), value] { handler(value, {}); });
}

void MemorySecretStore::write(const QString &key, const QString &secret, const QObject *context,
                              WriteHandler handler)
{
    m_secrets.insert(key, secret);
    later(context, [handler = std::move(handler)] {
        if (handler)
            handler(true, {});
    });
}

void MemorySecretStore::remove(const QString &key)
{
    m_secrets.remove(key);
}

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent)
    : SecretStore(parent)
    , m_service(std::move(service))
{}

void KeychainSecretStore::read(const QString &key, const QObject *context, ReadHandler handler)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    QPointer<QObject> guard(const_cast<QObject *>(context));
    const bool hasContext = context != nullptr;
    connect(
        job, &QKeychain::Job::finished, this,
        [this, key, guard, hasContext, handler = std::move(handler)](QKeychain::Job *j) mutable {
            if (hasContext && guard.isNull())
                return;
            auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(j);
            if (readJob->error() == QKeychain::NoError) {
                handler(readJob->textData(), {});
                return;
            }
            if (readJob->error() == QKeychain::EntryNotFound) {
                // Not in the keychain: it may be in this session's memory fallback.
                m_sessionFallback.read(key, guard, std::move(handler));
                return;
            }
            const QString error = readJob->errorString();
            m_sessionFallback.read(
                key, guard,
                [handler = std::move(handler), error](std::optional<QString> v, QString) {
                    handler(v, v ? QString() : error);
                });
        });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QString &secret, const QObject *context,
                                WriteHandler handler)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(secret);
    QPointer<QObject> guard(const_cast<QObject *>(context));
    const bool hasContext = context != nullptr;
    connect(
        job, &QKeychain::Job::finished, this,
        [this, key, secret, guard, hasContext, handler = std::move(handler)](QKeychain::Job *j) {
            const bool ok = j->error() == QKeychain::NoError;
            const QString error = ok ? QString() : j->errorString();
            if (!ok)
                m_sessionFallback.write(key, secret, nullptr, {});
            if ((hasContext && guard.isNull()) || !handler)
                return;
            handler(ok, error);
        });
    job->start();
}

void KeychainSecretStore::remove(const QString &key)
{
    m_sessionFallback.remove(key);
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->start();
}

} // namespace bd::connectors
