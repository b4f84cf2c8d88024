#include "keyfactsloader.h"

#include "redisclient.h"

#include <memory>

namespace bd::connectors {

KeyFactsLoader::KeyFactsLoader(RedisClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

void KeyFactsLoader::load(const QList<QByteArray> &keys, const QObject *context, Handler handler)
{
    struct Batch
    {
        QList<KeyFacts> facts;
        qsizetype outstanding = 0;
        Handler handler;
        QPointer<QObject> context;
        bool hasContext = false;
    };
    auto batch = std::make_shared<Batch>();
    batch->handler = std::move(handler);
    batch->context = const_cast<QObject *>(context);
    batch->hasContext = context != nullptr;
    batch->facts.resize(keys.size());
    if (keys.isEmpty() || !m_client) {
        batch->handler(batch->facts);
        return;
    }
    const bool withMemory = m_memoryWanted && !m_memoryDenied;
    batch->outstanding = keys.size() * (withMemory ? 3 : 2);
    const auto done = [batch] {
        if (--batch->outstanding == 0 && !(batch->hasContext && batch->context.isNull()))
            batch->handler(batch->facts);
    };
    for (qsizetype i = 0; i < keys.size(); ++i) {
        batch->facts[i].key = keys[i];
        m_client->send({"TYPE", keys[i]}, this, [batch, i, done](const RedisResult &r) {
            if (r.ok() && r.reply.isStatus())
                batch->facts[i].type = r.reply.bytes();
            else
                batch->facts[i].error = r.error;
            done();
        });
        m_client->send({"PTTL", keys[i]}, this, [batch, i, done](const RedisResult &r) {
            if (r.ok() && r.reply.isInteger())
                batch->facts[i].pttlMs = r.reply.toInteger();
            done();
        });
        if (!withMemory)
            continue;
        m_client->send({"MEMORY", "USAGE", keys[i], "SAMPLES", "0"}, this,
                       [this, batch, i, done](const RedisResult &r) {
                           if (r.ok() && r.reply.isInteger()) {
                               batch->facts[i].memoryBytes = r.reply.toInteger();
                           } else if (r.error.kind == RedisError::Kind::ServerError
                                      || r.error.kind == RedisError::Kind::ReadOnlyRefused) {
                               // NOPERM or unknown command: this user cannot ask, so stop asking.
                               m_memoryDenied = true;
                               m_memoryDeniedReason = r.error.toString();
                           }
                           done();
                       });
    }
}

} // namespace bd::connectors
