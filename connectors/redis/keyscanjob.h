#pragma once

#include "rediserror.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

namespace bd::connectors {

class RedisClient;

// Walks a database with SCAN (MATCH and TYPE when given) on the client it is given — meant
// to be a connection of its own, so that a long scan never queues behind the console. The
// pages are a RedisClient::walk(): the connection's thread requests each next page as soon as
// a reply arrives, so the server is never idle waiting for the GUI. Emits one keysFound() per
// page (never one signal per key). Stops at the cap, on cancel(), or at the end of the keyspace.
//
// Threading: lives on the client's thread; every method is called there.
class KeyScanJob : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QByteArray match;       // glob; empty = every key
        QByteArray type;        // "string", "hash", …; empty = every type (Redis ≥ 6.0)
        int count = 1000;       // SCAN COUNT hint per page
        qint64 cap = 5'000'000; // stop after this many keys
    };

    KeyScanJob(RedisClient *client, Options options, QObject *parent = nullptr);

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    qint64 found() const { return m_found; }
    // Roughly how many keys the server has looked at: COUNT × pages, at most DBSIZE.
    qint64 examinedEstimate() const;

Q_SIGNALS:
    void keysFound(const QList<QByteArray> &keys);
    void progress(qint64 found, qint64 examinedEstimate, qint64 databaseSize);
    // complete: the cursor came back to 0. capped: stopped at the cap. error: why it stopped.
    void finished(bool complete, bool capped, const bd::connectors::RedisError &error);

private:
    void startWalk();
    void onPage(const RedisResult &result, bool last);
    void stop(bool complete, bool capped, const RedisError &error);

    QPointer<RedisClient> m_client;
    Options m_options;
    qint64 m_found = 0;
    qint64 m_pages = 0;
    qint64 m_dbSize = -1;
    bool m_running = false;
    quint64 m_generation = 0; // replies of an earlier run or a cancelled one are ignored
    quint64 m_walk = 0;       // the client's walk id while running
};

} // namespace bd::connectors
