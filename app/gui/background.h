// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QObject>
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

/// Runs work() on the global thread pool and done(result) on context's thread when it returns. The work
/// must not touch widgets; it opens its own database connection and hands back a value snapshot.
template<typename Work, typename Done>
void runInBackground(QObject* context, JobCounter* counter, Work work, Done done)
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
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

} // namespace tattle::app
