#pragma once

#include "pushmessage.h"
#include "rediserror.h"

#include <QByteArray>
#include <QList>
#include <QMutex>

#include <deque>
#include <vector>

namespace bd::connectors {

struct CommandRequest
{
    quint64 id = 0;
    QList<QByteArray> args;
    int timeoutMs = -1; // -1: the connection's default; 0: none (blocking commands)
    // A cursor walk (SCAN, HSCAN, …): args[cursorArg] is the cursor. The worker sends the next
    // page the moment a page arrives, until the cursor is 0 or walkLimit elements were seen.
    int cursorArg = 0;
    qint64 walkLimit = 0;
    // Not a command: stops the walk with this id (no reply).
    quint64 cancelWalk = 0;
};

struct CommandResponse
{
    quint64 id = 0;
    RedisResult result;
    bool more = false; // a page of a walk that goes on
};

// The two queues between a RedisClient (owner thread) and its RedisConnectionWorker (socket
// thread). Each side pushes under the mutex and wakes the other only when a queue goes from
// empty to non-empty, so a burst of N commands costs one cross-thread event, not N.
class CommandExchange
{
public:
    // Returns true when the queue was empty, i.e. the consumer must be woken.
    bool pushRequest(CommandRequest request)
    {
        QMutexLocker lock(&m_mutex);
        const bool wasEmpty = m_requests.empty();
        m_requests.push_back(std::move(request));
        return wasEmpty;
    }
    std::vector<CommandRequest> takeRequests()
    {
        QMutexLocker lock(&m_mutex);
        return std::exchange(m_requests, {});
    }
    bool pushResponses(std::vector<CommandResponse> &batch)
    {
        QMutexLocker lock(&m_mutex);
        const bool wasEmpty = m_responses.empty();
        if (wasEmpty) {
            m_responses.swap(batch);
        } else {
            m_responses.insert(m_responses.end(), std::make_move_iterator(batch.begin()),
                               std::make_move_iterator(batch.end()));
        }
        batch.clear();
        return wasEmpty;
    }
    // walksParked: set when a walk waits for the owner to take what is queued (resumeWalks()).
    std::vector<CommandResponse> takeResponses(bool *walksParked = nullptr)
    {
        QMutexLocker lock(&m_mutex);
        if (walksParked)
            *walksParked = std::exchange(m_walksParked, false);
        return std::exchange(m_responses, {});
    }
    // Responses the owner has not taken yet: a walk pauses when too many wait, so a slow
    // owner cannot make the process grow without bound.
    size_t responseBacklog()
    {
        QMutexLocker lock(&m_mutex);
        return m_responses.size();
    }
    void noteWalkParked()
    {
        QMutexLocker lock(&m_mutex);
        m_walksParked = true;
    }

    // Push messages (subscriber and MONITOR connections). At most `limit` wait: when the owner
    // falls behind, the oldest are dropped and counted, so a slow consumer cannot make the
    // process grow without bound.
    bool pushMessages(std::vector<PushMessage> &batch, qsizetype limit)
    {
        QMutexLocker lock(&m_mutex);
        const bool wasEmpty = m_pushes.empty();
        m_pushesArrived += batch.size();
        for (PushMessage &m : batch)
            m_pushes.push_back(std::move(m));
        batch.clear();
        while (qsizetype(m_pushes.size()) > limit) {
            m_pushes.pop_front();
            ++m_pushesDropped;
        }
        return wasEmpty;
    }
    quint64 pushesArrived()
    {
        QMutexLocker lock(&m_mutex);
        return m_pushesArrived;
    }
    // The waiting messages, and how many were dropped since the last call.
    std::deque<PushMessage> takePushMessages(quint64 *dropped)
    {
        QMutexLocker lock(&m_mutex);
        if (dropped)
            *dropped = std::exchange(m_pushesDropped, 0);
        return std::exchange(m_pushes, {});
    }

private:
    QMutex m_mutex;
    std::vector<CommandRequest> m_requests;
    std::vector<CommandResponse> m_responses;
    std::deque<PushMessage> m_pushes;
    quint64 m_pushesDropped = 0;
    quint64 m_pushesArrived = 0; // ever: taken, waiting or dropped
    bool m_walksParked = false;
};

} // namespace bd::connectors
