#pragma once

#include "data/datasetcatalog.h"
#include "data/datasettable.h"
#include "redis/rediserror.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <functional>

namespace bd::connectors {

class RedisClient;

struct DatasetReadOptions
{
    // The most any limit may be: a table's cells are indexed by 32 bits, and a QByteArray
    // holding the value must fit too. read() holds maxBytes to it.
    static constexpr qint64 kMaxLimitBytes = 2047ll << 20;

    qint64 maxBytes = 64ll << 20; // a value larger than this is refused (the operator can raise it)
    qint64 chunkBytes = 4ll << 20; // GETRANGE step for a large string
    qint64 maxKeys = 200000;       // records of a key pattern
};

// One read of a dataset: its records (decoded off the owner's thread) and the key's facts.
struct DatasetRead
{
    DatasetTablePtr table; // null when nothing could be decoded
    bool missing = false;  // the key does not exist (expired, deleted, never written)
    bool tooLarge = false; // size is past options.maxBytes: not read
    QByteArray type;       // TYPE's answer ("string", "hash", "none")
    qint64 pttlMs = -2;    // PTTL: -1 no TTL, -2 missing; for a pattern, the soonest of its keys
    qint64 size = 0;       // bytes of the value (string), fields (hash) or keys (pattern)
    QString error;         // the read failed or the value is not records: said, whole
    QDateTime readAt;      // UTC, when the server answered
};

// Reads a dataset's records from Redis without blocking the owner's thread: TYPE, size and
// PTTL first; a string in GETRANGE chunks (refused past a limit), a hash by HSCAN, a pattern by
// SCAN and one value per key. Decoding (DatasetDecoder) runs on a pool thread.
//
// Threading contract: owner thread only, as the RedisClient it uses (not owned; the
// database shown by that client is the one read).
class DatasetReader : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const DatasetRead &)>;

    explicit DatasetReader(RedisClient *client, QObject *parent = nullptr);

    // The handler runs once, on the owner thread, unless context dies first.
    void read(const DatasetDefinition &definition, const DatasetReadOptions &options,
              const QObject *context, Handler handler);

private:
    struct Job;
    // TYPE, PTTL and sizeCommand; then() when the key exists and has the type, else the read
    // ends (missing, an error, or wrongType with the key and its type for %1 and %2).
    void readFacts(const std::shared_ptr<Job> &job, const QByteArray &sizeCommand,
                   const QByteArray &type, const QString &wrongType, std::function<void()> then);
    void readString(const std::shared_ptr<Job> &job);
    void readHash(const std::shared_ptr<Job> &job);
    void readPattern(const std::shared_ptr<Job> &job);
    void readPatternValues(const std::shared_ptr<Job> &job, qsizetype from);
    void finish(const std::shared_ptr<Job> &job);
    void decodeAndFinish(const std::shared_ptr<Job> &job);

    RedisClient *m_client; // Not owned.
};

} // namespace bd::connectors
