#pragma once

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>

#include <utility>

namespace bd::models {

// Runs work() on a pool thread, then then() on the GUI thread, unless owner (an object of the
// GUI thread) was destroyed meanwhile. Work and its result travel in what the two capture
// (a shared_ptr to a job, typically); owner is only looked at on the GUI thread.
template<class Work, class Then> void runOffThread(QObject *owner, Work work, Then then)
{
    QPointer<QObject> self(owner);
    QThreadPool::globalInstance()->start(
        [self, work = std::move(work), then = std::move(then)]() mutable {
            work();
            QMetaObject::invokeMethod(
                QCoreApplication::instance(), // lives on the GUI thread, as owner does
                [self, then = std::move(then)]() mutable {
                    if (self)
                        then();
                },
                Qt::QueuedConnection);
        });
}

} // namespace bd::models
