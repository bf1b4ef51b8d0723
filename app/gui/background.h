// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <functional>
#include <type_traits>
#include <utility>

namespace tattle::app {

/// Counts the background jobs in flight, so that tests and the screenshot mode can wait until the window
/// shows everything it was asked to load.
class JobCounter : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    int running() const noexcept { return m_running; }
    void started() { ++m_running; }
    void finished()
    {
        if (--m_running == 0) emit idle();
    }

signals:
    /// The last running job finished.
    void idle();

private:
    int m_running = 0;
};

/// Where jobs run. Not Qt's global pool: the raster paint engine draws with that one, and a long query
/// holding its threads would stop the window from painting. Quick queries (a page of events, a source's
/// details) have their own pool, so that they never wait behind a long one (the source tree, the charts,
/// an import).
enum class Lane { Long, Quick };
inline QThreadPool* pool(Lane lane)
{
    static QThreadPool* longPool = [] {
        auto* p = new QThreadPool;
        p->setMaxThreadCount(3);
        return p;
    }();
    static QThreadPool* quickPool = [] {
        auto* p = new QThreadPool;
        p->setMaxThreadCount(2);
        return p;
    }();
    return lane == Lane::Quick ? quickPool : longPool;
}

/// Runs work() on a pool of ours and done(result) on context's thread when it returns. The work must not
/// touch widgets; it opens its own database connection and hands back a value snapshot.
template<typename Work, typename Done>
void runInBackground(QObject* context, JobCounter* counter, Work work, Done done, Lane lane = Lane::Long)
{
    using T = std::invoke_result_t<Work>;
    auto* watcher = new QFutureWatcher<T>(context);
    if (counter) counter->started();
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
        [watcher, counter, done = std::move(done)]() mutable {
            done(watcher->result());
            watcher->deleteLater();
            if (counter) counter->finished();
        });
    watcher->setFuture(QtConcurrent::run(pool(lane), std::move(work)));
}

} // namespace tattle::app
