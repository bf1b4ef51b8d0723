// SPDX-License-Identifier: GPL-3.0-or-later
// tattle_gui_bench DB: opens the main window on DB (offscreen unless a display is asked for) and reports, in
// milliseconds: the window's first paint, the events view's first page painted, the sources tree loaded,
// the charts loaded, each sort and filter of the events table answered (first page and count), and the
// process's peak resident memory. One line per figure, "name<TAB>value<TAB>unit".
#include "app/gui/event_table_model.h"
#include "app/gui/events_view.h"
#include "app/gui/main_window.h"
#include "app/gui/source_tree_model.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QHeaderView>
#include <QTableView>
#include <cstdio>
#include <functional>
#include <sys/resource.h>

namespace {

/// Notes the first paint of a widget while `when` holds (always, when unset).
class PaintWatch : public QObject {
public:
    bool painted = false;
    std::function<bool()> when;
    bool eventFilter(QObject* o, QEvent* e) override
    {
        if (e->type() == QEvent::Paint && (!when || when())) painted = true;
        return QObject::eventFilter(o, e);
    }
};

void report(const char* name, double value, const char* unit)
{
    std::printf("%s\t%.1f\t%s\n", name, value, unit);
    std::fflush(stdout);
}

bool spin(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QApplication::processEvents(QEventLoop::AllEvents, 2);
    return done();
}

} // namespace

int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tattle-gui-bench"));
    if (argc < 2) {
        std::fprintf(stderr, "usage: tattle_gui_bench DATABASE\n");
        return 64;
    }
    QElapsedTimer total;
    total.start();
    tattle::app::MainWindow window(argv[1]);
    window.setInteractive(false);
    window.showView(tattle::app::MainWindow::View::Events);
    auto* table = window.eventsView()->table();
    auto* model = window.eventsView()->model();
    PaintWatch windowPaint, tablePaint;
    window.installEventFilter(&windowPaint);
    table->viewport()->installEventFilter(&tablePaint);
    window.show();
    spin([&] { return windowPaint.painted; }, 60'000);
    report("window first paint", double(total.elapsed()), "ms");
    tablePaint.when = [&] { return model->rowCount() > 0; };
    spin([&] { return tablePaint.painted; }, 60'000);
    report("events view first page painted", double(total.elapsed()), "ms");
    spin([&] { return model->matchCount() >= 0; }, 600'000);
    report("events counted", double(total.elapsed()), "ms");
    spin([&] { return window.sourceModel()->rowCount() > 0; }, 600'000);
    report("sources tree loaded", double(total.elapsed()), "ms");
    window.waitForIdle(600'000);
    report("everything loaded (tree, charts, count)", double(total.elapsed()), "ms");

    struct Step {
        const char* name;
        std::function<void()> action;
    };
    const Step steps[] = {
        {"sort: time descending",
            [&] { table->sortByColumn(tattle::app::EventTableModel::Time, Qt::DescendingOrder); }},
        {"sort: source ascending",
            [&] { table->sortByColumn(tattle::app::EventTableModel::Source, Qt::AscendingOrder); }},
        {"sort: destination port descending",
            [&] { table->sortByColumn(tattle::app::EventTableModel::DestinationPort, Qt::DescendingOrder); }},
        {"sort: category ascending",
            [&] { table->sortByColumn(tattle::app::EventTableModel::Category, Qt::AscendingOrder); }},
        {"sort: time ascending",
            [&] { table->sortByColumn(tattle::app::EventTableModel::Time, Qt::AscendingOrder); }},
        {"filter: one source (198.51.100.35, the busiest in bench/gen_logs.py --seed 1)",
            [&] { window.eventsView()->showSource(QStringLiteral("198.51.100.35")); }},
        {"filter: destination port 445",
            [&] {
                tattle::core::BrowseFilter f;
                f.port = 445;
                model->setFilter(f);
            }},
        {"filter: UDP",
            [&] {
                tattle::core::BrowseFilter f;
                f.protocol = 17;
                model->setFilter(f);
            }},
        {"filter: text 'ssh'",
            [&] {
                tattle::core::BrowseFilter f;
                f.text = "ssh";
                model->setFilter(f);
            }},
        {"filter: last 7 days of the log",
            [&] {
                tattle::core::BrowseFilter f;
                f.since = 1720051200000000LL; // 2024-07-04, the log ends 2024-07-04/05
                model->setFilter(f);
            }},
        {"filter: cleared", [&] { window.eventsView()->clearFilter(); }},
    };
    for (const auto& s : steps) {
        QElapsedTimer t;
        t.start();
        s.action();
        spin([&] { return model->rowCount() > 0 || model->matchCount() == 0; }, 600'000);
        const double first = double(t.elapsed());
        spin([&] { return model->matchCount() >= 0; }, 600'000);
        std::printf("%s\t%.1f\tms first page\t%.1f\tms count (%lld events)\n", s.name, first,
            double(t.elapsed()), static_cast<long long>(model->matchCount()));
        window.waitForIdle(600'000);
    }
    // Scroll down 100 pages.
    {
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 100; ++i) {
            table->scrollToBottom();
            window.waitForIdle(60'000);
        }
        report("100 pages scrolled", double(t.elapsed()), "ms");
    }
    rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    report("peak RSS", double(ru.ru_maxrss) / 1024.0, "MB");
    return 0;
}
