#include "celeryeventstate.h"

#include <algorithm>

namespace bd::connectors {

namespace {

constexpr qsizetype kMaxInterned = 10000; // names and hostnames shared; past this, start over

struct StateName
{
    TaskEventState state;
    const char *name;
};
constexpr StateName kStateNames[] = {
    {TaskEventState::Pending, "PENDING"}, {TaskEventState::Received, "RECEIVED"},
    {TaskEventState::Started, "STARTED"}, {TaskEventState::Retry, "RETRY"},
    {TaskEventState::Success, "SUCCESS"}, {TaskEventState::Failure, "FAILURE"},
    {TaskEventState::Revoked, "REVOKED"}, {TaskEventState::Rejected, "REJECTED"},
};

// celery.states.PRECEDENCE: a lower number is a later state. An application's own states sit
// where Celery puts None (after FAILURE, before REVOKED).
int precedence(TaskEventState state)
{
    switch (state) {
    case TaskEventState::Success:
        return 0;
    case TaskEventState::Failure:
        return 1;
    case TaskEventState::Custom:
        return 2;
    case TaskEventState::Revoked:
        return 3;
    case TaskEventState::Started:
        return 4;
    case TaskEventState::Received:
        return 5;
    case TaskEventState::Rejected:
        return 6;
    case TaskEventState::Retry:
        return 7;
    case TaskEventState::Pending:
        return 8;
    }
    return 2;
}

// The state a task event moves to; Custom with its name for task-<other>.
TaskEventState stateOf(const QString &type, QString *custom)
{
    const QStringView subject = QStringView(type).mid(5); // after "task-"
    if (subject == u"sent")
        return TaskEventState::Pending;
    if (subject == u"received")
        return TaskEventState::Received;
    if (subject == u"started")
        return TaskEventState::Started;
    if (subject == u"succeeded")
        return TaskEventState::Success;
    if (subject == u"failed")
        return TaskEventState::Failure;
    if (subject == u"retried")
        return TaskEventState::Retry;
    if (subject == u"revoked")
        return TaskEventState::Revoked;
    if (subject == u"rejected")
        return TaskEventState::Rejected;
    *custom = subject.toString().toUpper();
    return TaskEventState::Custom;
}

void setIfSent(QString &field, const QString &value)
{
    if (!value.isEmpty())
        field = value;
}

// A text a record keeps, in memory of its own. An event's texts live in the memory of the
// thread that decoded them, among everything else a flood brought: a record that held on to
// them would keep those pages from going back to the system once the flood is over.
QString kept(const QString &text)
{
    return text.isEmpty() ? QString() : QString(text.constData(), text.size());
}

void keepIfSent(QString &field, const QString &value)
{
    if (!value.isEmpty() && field != value)
        field = kept(value);
}

} // namespace

QString taskEventStateName(TaskEventState state)
{
    for (const StateName &s : kStateNames) {
        if (s.state == state)
            return QLatin1String(s.name);
    }
    return QStringLiteral("CUSTOM");
}

TaskEventState taskEventStateFromName(const QString &name)
{
    for (const StateName &s : kStateNames) {
        if (name == QLatin1String(s.name))
            return s.state;
    }
    return TaskEventState::Custom;
}

bool isReadyState(TaskEventState state)
{
    return state == TaskEventState::Success || state == TaskEventState::Failure
           || state == TaskEventState::Revoked;
}

QString TaskEventRecord::stateName() const
{
    return state == TaskEventState::Custom ? customState : taskEventStateName(state);
}

bool WorkerEventRecord::alive(double now) const
{
    return !offline && lastHeartbeat > 0 && now < expiresAt();
}

double WorkerEventRecord::expiresAt() const
{
    if (lastHeartbeat <= 0)
        return 0;
    return lastHeartbeat + (freq > 0 ? freq : 2.0) * 2.0;
}

CeleryEventState::CeleryEventState(qint64 maxTasks)
    : m_maxTasks(std::max<qint64>(1, maxTasks))
{}

void CeleryEventState::setMaxTasks(qint64 maxTasks)
{
    m_maxTasks = std::max<qint64>(1, maxTasks);
}

const TaskEventRecord *CeleryEventState::taskBySeq(qint64 seq) const
{
    const qint64 index = seq - firstSeq();
    if (m_tasks.empty() || index < 0 || index >= qint64(m_tasks.size()))
        return nullptr;
    return &m_tasks[size_t(index)];
}

const TaskEventRecord *CeleryEventState::task(const QString &uuid) const
{
    const auto it = m_seqByUuid.constFind(uuid);
    return it == m_seqByUuid.cend() ? nullptr : taskBySeq(*it);
}

QString CeleryEventState::intern(const QString &text)
{
    if (text.isEmpty())
        return text;
    // The decoders already share the texts that repeat: most arrive as a string seen before,
    // found by its address (the entry keeps that string alive, so the address is not reused).
    const quint64 address = quintptr(text.constData());
    static_assert(std::tuple_size_v<decltype(m_recent)> == 256); // the index's 8 bits
    RecentText &recent = m_recent[(address * 0x9E3779B97F4A7C15ull) >> 56];
    if (text.isSharedWith(recent.arrived))
        return recent.held;
    auto it = m_strings.constFind(text);
    if (it == m_strings.cend()) {
        if (m_strings.size() >= kMaxInterned) {
            m_strings.clear();
            m_recent = {};
        }
        it = m_strings.insert(text);
    }
    recent = {text, *it};
    return *it;
}

WorkerEventRecord *CeleryEventState::worker(const QString &hostname, double now)
{
    // Task events come in runs from one worker: its record is found again without a lookup.
    if (!m_lastWorker || !hostname.isSharedWith(m_lastWorker->hostname)) {
        auto it = m_workers.find(hostname);
        if (it == m_workers.end()) {
            if (m_workers.size() >= kMaxWorkers) {
                ++m_refusedWorkers;
                return nullptr;
            }
            it = m_workers.insert(hostname, WorkerEventRecord());
            it->hostname = intern(hostname);
            it->firstSeen = now;
        }
        m_lastWorker = &*it; // valid until the next insert (which comes here)
    }
    m_lastWorker->lastEvent = now;
    return m_lastWorker;
}

void CeleryEventState::restore(std::vector<TaskEventRecord> tasks)
{
    for (TaskEventRecord &t : tasks) {
        if (t.uuid.isEmpty() || m_seqByUuid.contains(t.uuid))
            continue;
        t.seq = m_nextSeq++;
        t.name = intern(t.name);
        t.worker = intern(t.worker);
        m_seqByUuid.insert(t.uuid, t.seq);
        m_tasks.push_back(std::move(t));
    }
    EventStateChanges ignored;
    evict(ignored, m_batch + 1);
}

void CeleryEventState::restoreWorkers(const QList<WorkerEventRecord> &workers)
{
    for (const WorkerEventRecord &w : workers) {
        if (w.hostname.isEmpty() || m_workers.contains(w.hostname)
            || m_workers.size() >= kMaxWorkers)
            continue;
        m_lastWorker = nullptr; // the insert may move every record
        WorkerEventRecord &stored = m_workers[w.hostname];
        stored = w;
        stored.hostname = intern(w.hostname);
    }
}

EventStateChanges CeleryEventState::apply(const QList<CeleryEvent> &events, double now)
{
    return apply(QList<QList<CeleryEvent>>{events}, now);
}

EventStateChanges CeleryEventState::apply(const QList<QList<CeleryEvent>> &batches, double now)
{
    EventStateChanges changes;
    ++m_batch;
    m_lastChangedWorker.clear();
    const qint64 firstNew = m_nextSeq;
    for (const QList<CeleryEvent> &events : batches) {
        for (const CeleryEvent &event : events) {
            if (event.malformed)
                ++changes.malformed;
            if (event.isTaskEvent())
                applyTask(event, now, changes);
            else if (event.isWorkerEvent())
                applyWorker(event, now, changes);
            else
                ++changes.ignored;
        }
    }
    changes.newTasks = m_nextSeq - firstNew;
    evict(changes, std::min(m_batch, m_keepEvictedSince));
    // Tasks held before this batch, each once.
    const qint64 oldest = firstSeq();
    std::sort(changes.changed.begin(), changes.changed.end());
    changes.changed.erase(std::unique(changes.changed.begin(), changes.changed.end()),
                          changes.changed.end());
    std::erase_if(changes.changed, [&](qint64 seq) { return seq >= firstNew || seq < oldest; });
    // New tasks evicted in the same batch (a batch larger than maxTasks) are not new.
    changes.newTasks = std::min<qint64>(changes.newTasks, m_nextSeq - oldest);
    return changes;
}

void CeleryEventState::evict(EventStateChanges &changes, qint64 touchedSince)
{
    while (qint64(m_tasks.size()) > m_maxTasks) {
        m_seqByUuid.remove(m_tasks.front().uuid);
        if (m_tasks.front().lastBatch >= touchedSince)
            changes.evictedChanged.push_back(std::move(m_tasks.front()));
        m_tasks.pop_front();
        ++changes.evicted;
    }
}

void CeleryEventState::applyTask(const CeleryEvent &event, double now, EventStateChanges &changes)
{
    if (event.uuid.isEmpty()) {
        ++changes.ignored;
        return;
    }
    TaskEventRecord *task = nullptr;
    const auto found = m_seqByUuid.constFind(event.uuid);
    const bool isNew = found == m_seqByUuid.cend();
    if (!isNew) {
        task = &m_tasks[size_t(*found - firstSeq())];
    } else {
        TaskEventRecord created;
        created.history.reserve(4); // sent, received, started, and how it ended
        created.uuid = kept(event.uuid);
        created.seq = m_nextSeq++;
        created.firstSeen = now;
        m_seqByUuid.insert(created.uuid, created.seq);
        m_tasks.push_back(std::move(created));
        task = &m_tasks.back();
    }

    TaskEventEntry entry;
    entry.type = intern(event.type);
    entry.hostname = intern(event.hostname);
    entry.timestamp = event.timestamp;
    entry.receivedAt = now;
    entry.clock = event.clock;
    if (event.type == QLatin1String("task-retried") || event.type == QLatin1String("task-failed"))
        entry.detail = kept(event.exception);
    else if (event.type == QLatin1String("task-revoked") && event.terminated)
        entry.detail = event.signum.isEmpty() ? QStringLiteral("terminated")
                                              : QStringLiteral("terminated (%1)").arg(event.signum);
    else if (event.type == QLatin1String("task-revoked") && event.expired)
        entry.detail = QStringLiteral("expired");
    // The same event twice (a receiver subscribed twice, a replayed capture): counted, once.
    const auto same = [&](const TaskEventEntry &e) {
        return e.type == entry.type && e.clock == entry.clock && e.timestamp == entry.timestamp
               && e.hostname == entry.hostname;
    };
    if (std::any_of(task->history.cbegin(), task->history.cend(), same)) {
        ++changes.duplicates;
        return;
    }
    ++changes.events;
    if (!isNew) // a new task is announced as new, not as changed
        changes.changed.push_back(task->seq);
    task->lastSeen = now;
    task->lastBatch = m_batch;

    // History in the senders' order (Lamport clock, then time): an event late to arrive
    // takes its place.
    const auto before = [](const TaskEventEntry &a, const TaskEventEntry &b) {
        return a.timestamp != b.timestamp ? a.timestamp < b.timestamp : a.clock < b.clock;
    };
    task->history.insert(
        std::upper_bound(task->history.begin(), task->history.end(), entry, before), entry);
    if (task->history.size() > size_t(kMaxHistory))
        task->history.erase(task->history.begin() + 1); // the first (sent/received) stays

    QString custom;
    const TaskEventState state = stateOf(event.type, &custom);
    switch (state) {
    case TaskEventState::Pending:
        task->sent = event.timestamp;
        break;
    case TaskEventState::Received:
        task->received = event.timestamp;
        break;
    case TaskEventState::Started:
        task->started = event.timestamp;
        break;
    case TaskEventState::Success:
    case TaskEventState::Failure:
    case TaskEventState::Revoked:
    case TaskEventState::Rejected:
        task->finished = event.timestamp;
        break;
    default:
        break;
    }
    if (state != TaskEventState::Pending)
        task->worker = intern(event.hostname); // the producer of task-sent is no worker

    // Celery's Task.event(): a state that logically comes before the current one merges its
    // fields only (task-received: just what describes the task); RETRY always moves.
    const bool behind = state != TaskEventState::Retry && task->state != TaskEventState::Retry
                        && precedence(state) > precedence(task->state);
    if (!behind) {
        task->state = state;
        task->customState = custom;
    }
    setIfSent(task->name, intern(event.name));
    keepIfSent(task->args, event.args);
    keepIfSent(task->kwargs, event.kwargs);
    if (event.rootId == task->uuid)
        task->rootId = task->uuid; // a task that is its own root (most are)
    else
        keepIfSent(task->rootId, event.rootId);
    keepIfSent(task->parentId, event.parentId);
    keepIfSent(task->eta, event.eta);
    keepIfSent(task->expires, event.expires);
    if (event.retries >= 0)
        task->retries = event.retries;
    if (behind && state == TaskEventState::Received)
        return;
    setIfSent(task->queue, intern(event.queue));
    setIfSent(task->exchange, intern(event.exchange));
    setIfSent(task->routingKey, intern(event.routingKey));
    keepIfSent(task->result, event.result);
    keepIfSent(task->exception, event.exception);
    keepIfSent(task->traceback, event.traceback);
    if (event.runtime >= 0)
        task->runtime = event.runtime;
    if (state == TaskEventState::Revoked) {
        task->terminated = event.terminated;
        task->signum = kept(event.signum);
        task->expired = event.expired;
    }
    // A worker that sends task events is alive enough to be listed (its heartbeats say more).
    if (state != TaskEventState::Pending && !event.hostname.isEmpty()) {
        const WorkerEventRecord *w = worker(event.hostname, now);
        if (w && !w->hostname.isSharedWith(m_lastChangedWorker)) {
            changes.workers.insert(w->hostname);
            m_lastChangedWorker = w->hostname;
        }
    }
}

void CeleryEventState::applyWorker(const CeleryEvent &event, double now, EventStateChanges &changes)
{
    if (event.hostname.isEmpty()) {
        ++changes.ignored;
        return;
    }
    const QStringView subject = QStringView(event.type).mid(7); // after "worker-"
    const bool online = subject == u"online";
    const bool heartbeat = subject == u"heartbeat";
    const bool offline = subject == u"offline";
    if (!online && !heartbeat && !offline) {
        ++changes.ignored;
        return;
    }
    WorkerEventRecord *known = worker(event.hostname, now);
    if (!known) { // one worker too many: a flood of made-up names is counted, not kept
        ++changes.ignored;
        return;
    }
    ++changes.events;
    WorkerEventRecord &w = *known;
    changes.workers.insert(w.hostname);
    if (event.pid)
        w.pid = event.pid;
    if (event.freq > 0)
        w.freq = event.freq;
    if (event.active >= 0)
        w.active = event.active;
    if (event.processed >= 0)
        w.processed = event.processed;
    if (!event.loadavg.isEmpty())
        w.loadavg = event.loadavg;
    setIfSent(w.swIdent, event.swIdent);
    setIfSent(w.swVer, event.swVer);
    setIfSent(w.swSys, event.swSys);
    if (offline) {
        w.offline = true;
        w.lastHeartbeat = 0;
        return;
    }
    // Liveness counts on this machine's clock, so a worker whose clock is off (or whose
    // heartbeats arrive out of order) is judged by when its heartbeats arrive.
    w.offline = false;
    ++w.heartbeats;
    w.lastHeartbeat = std::max(w.lastHeartbeat, now);
    if (event.timestamp > 0) {
        w.lastTimestamp = std::max(w.lastTimestamp, event.timestamp);
        w.clockSkew = event.timestamp - now;
    }
}

} // namespace bd::connectors
