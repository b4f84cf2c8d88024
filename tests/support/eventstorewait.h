#pragma once

// Waiting on the task event store in tests (header only: for tests that link the store).

#include "events/eventstore.h"

#include <QObject>
#include <QSignalSpy>
#include <QTest>

namespace bd::test {

// Opens a store and waits until it says how that went; true when it opened.
inline bool openStore(store::EventStore &store)
{
    QSignalSpy opened(&store, &store::EventStore::opened);
    QSignalSpy problem(&store, &store::EventStore::problem);
    store.open();
    return QTest::qWaitFor([&] { return !opened.isEmpty() || !problem.isEmpty(); }, 10000)
           && !opened.isEmpty();
}

// The store's newest limit tasks, its workers and gaps, read back; problem "no answer" when it
// did not answer in time.
inline store::StoredTimeline loadStored(store::EventStore &store, qint64 limit)
{
    store::StoredTimeline timeline;
    bool done = false;
    QObject context;
    store.loadRecent(limit, &context, [&](const store::StoredTimeline &t) {
        timeline = t;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        timeline.problem = QStringLiteral("no answer");
    return timeline;
}

} // namespace bd::test
