// SPDX-License-Identifier: GPL-3.0-or-later
// A database of one million events opened in the window and scrolled, sorted and filtered; and the
// --screenshot mode of tattle-gui for every view.
#include "app/gui/event_table_model.h"
#include "app/gui/events_view.h"
#include "app/gui/main_window.h"
#include "app/gui/source_tree_model.h"
#include "core/store/event_store.h"
#include "test_support.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QScrollBar>
#include <QTableView>
#include <gtest/gtest.h>
#include <iostream>
#include <set>

namespace tattle::test {
namespace {

namespace fs = std::filesystem;

/// Writes `events` events from 256 sources over `events` seconds, straight into the schema (the importer
/// would take minutes for a million lines in a test run).
void generateDatabase(const fs::path& db, int events)
{
    auto store = core::EventStore::open(db);
    ASSERT_TRUE(store) << store.error().message;
    auto& d = store->database();
    store->dropEventIndexes();
    core::sql::Transaction tx(d);
    const std::int64_t category = store->labelId("smb");
    const std::int64_t rule = store->labelId("UFW BLOCK");
    d.exec(
        "INSERT INTO imports(id, path, format, started_at, first_line, events_stored) VALUES (1, '/gen.log', "
        "'netfilter', 0, 1, 0)");
    d.exec("INSERT INTO raw_blocks(id, import_id, lines, data) VALUES (1, 1, 1, x'00')");
    d.exec("CREATE TEMP TABLE srcs(i INTEGER PRIMARY KEY, b BLOB)");
    auto ins = d.prepare("INSERT INTO temp.srcs VALUES (?, ?)");
    for (int i = 0; i < 256; ++i) {
        const std::uint8_t b[4] = {203, 0, 113, std::uint8_t(i)};
        ins.reset();
        ins.bind(1, i);
        ins.bindBlob(2, b, 4);
        ins.run();
    }
    auto gen = d.prepare("WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x + 1 < ?1) "
                         "INSERT INTO events(id, import_id, line_no, ts, action, direction, proto, src, "
                         "src_port, dst, dst_port, "
                         "category, rule, raw_block, raw_index) "
                         "SELECT x + 1, 1, x + 1, 1709251200000000 + x * 1000000, 0, 1, 6, (SELECT b FROM "
                         "temp.srcs WHERE i = x % 256), "
                         "1024 + x % 60000, x'C000020A', (x * 7919) % 65536, ?2, ?3, 1, 0 FROM c");
    gen.bind(1, events);
    gen.bind(2, category);
    gen.bind(3, rule);
    gen.run();
    d.exec("INSERT INTO source_ports SELECT src, proto, dst_port, category, count(*), count(*), min(ts), "
           "max(ts) "
           "FROM events GROUP BY src, proto, dst_port, category");
    d.exec("UPDATE imports SET events_stored = (SELECT count(*) FROM events), finished_at = 1");
    tx.commit();
    store->createEventIndexes();
}

TEST(LargeDatabaseTest, AMillionEventsOpenScrollSortAndFilter)
{
    constexpr int kEvents = 1'000'000;
    const auto dir = scratchDir();
    const auto db = dir / "million.db";
    QElapsedTimer timer;
    timer.start();
    generateDatabase(db, kEvents);
    std::cout << "[ info ] generated " << kEvents << " events in " << timer.elapsed() << " ms\n";

    timer.restart();
    app::MainWindow window(db);
    window.setInteractive(false);
    window.showView(app::MainWindow::View::Events);
    window.show();
    auto* model = window.eventsView()->model();
    auto* table = window.eventsView()->table();
    while (model->rowCount() == 0 && timer.elapsed() < 30'000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    const auto firstPage = timer.elapsed();
    ASSERT_EQ(model->rowCount(), int(app::EventTableModel::kPageSize));
    ASSERT_TRUE(window.waitForIdle(120'000));
    std::cout << "[ info ] first page after " << firstPage << " ms, everything loaded after "
              << timer.elapsed() << " ms\n";
    EXPECT_EQ(model->matchCount(), kEvents);
    EXPECT_EQ(window.sourceModel()->totalEvents(), kEvents);

    // Scrolling to the end fetches one more page each time; rows stay in time order.
    timer.restart();
    for (int i = 0; i < 20; ++i) {
        table->scrollToBottom();
        ASSERT_TRUE(window.waitForIdle());
        QCoreApplication::processEvents();
    }
    std::cout << "[ info ] 20 scrolls to the end in " << timer.elapsed() << " ms, " << model->rowCount()
              << " rows\n";
    EXPECT_GE(model->rowCount(), 20 * int(app::EventTableModel::kPageSize));
    EXPECT_LT(model->rowCount(), kEvents / 10); // never all rows
    for (int r = 1; r < model->rowCount(); r += 997)
        EXPECT_LE(model->index(r - 1, 0).data(app::EventTableModel::SortRole).toLongLong(),
            model->index(r, 0).data(app::EventTableModel::SortRole).toLongLong());

    // Sort by destination port, newest first by time, and filter by port: each answers with a first page.
    struct Step {
        const char* name;
        std::function<void()> action;
        std::function<void()> check;
    };
    const Step steps[] = {
        {"sort by destination port descending",
            [&] { table->sortByColumn(app::EventTableModel::DestinationPort, Qt::DescendingOrder); },
            [&] { EXPECT_EQ(model->index(0, app::EventTableModel::DestinationPort).data().toInt(), 65535); }},
        {"sort by time descending",
            [&] { table->sortByColumn(app::EventTableModel::Time, Qt::DescendingOrder); },
            [&] {
                EXPECT_EQ(model->index(0, app::EventTableModel::Time)
                              .data(app::EventTableModel::SortRole)
                              .toLongLong(),
                    1709251200000000LL + (kEvents - 1) * 1000000LL);
            }},
        {"filter by source", [&] { window.eventsView()->showSource(QStringLiteral("203.0.113.7")); },
            [&] {
                EXPECT_EQ(model->matchCount(), kEvents / 256 + (7 < kEvents % 256 ? 1 : 0));
                EXPECT_EQ(model->index(0, app::EventTableModel::Source).data().toString(),
                    QStringLiteral("203.0.113.7"));
            }},
    };
    for (const auto& s : steps) {
        timer.restart();
        s.action();
        while ((model->rowCount() == 0 || model->matchCount() < 0) && timer.elapsed() < 60'000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        std::cout << "[ info ] " << s.name << ": first page and count in " << timer.elapsed() << " ms\n";
        ASSERT_TRUE(window.waitForIdle());
        s.check();
    }
}

/// Distinct colours in an image (a blank or one-colour render has one or two).
std::size_t colours(const QImage& img)
{
    std::set<QRgb> seen;
    for (int y = 0; y < img.height(); y += 3)
        for (int x = 0; x < img.width(); x += 3)
            seen.insert(img.pixel(x, y));
    return seen.size();
}

TEST(ScreenshotTest, EveryViewRendersToAPng)
{
    const auto dir = scratchDir();
    const auto db = dir / "shots.db";
    generateDatabase(db, 5'000);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QString::fromStdString((dir / "config").string()));
    env.insert(QStringLiteral("XDG_DATA_HOME"), QString::fromStdString((dir / "data").string()));
    for (const char* view : {"sources", "events", "charts", "report"}) {
        const QString out = QString::fromStdString((dir / (std::string(view) + ".png")).string());
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(TATTLE_GUI_PATH),
            {QStringLiteral("--db"), QString::fromStdString(db.string()), QStringLiteral("--screenshot"), out,
                QStringLiteral("--view"), QString::fromLatin1(view)});
        ASSERT_TRUE(p.waitForFinished(60'000)) << view;
        EXPECT_EQ(p.exitCode(), 0) << view << ": " << p.readAllStandardError().toStdString();
        QImage img(out);
        ASSERT_FALSE(img.isNull()) << view;
        EXPECT_EQ(img.size(), QSize(1100, 720)) << view;
        EXPECT_GT(colours(img), 20u) << view;
    }
    // A wrong view name is a usage error, and no PNG is written.
    QProcess bad;
    bad.setProcessEnvironment(env);
    const QString out = QString::fromStdString((dir / "bad.png").string());
    bad.start(QStringLiteral(TATTLE_GUI_PATH),
        {QStringLiteral("--db"), QString::fromStdString(db.string()), QStringLiteral("--screenshot"), out,
            QStringLiteral("--view"), QStringLiteral("nonsense")});
    ASSERT_TRUE(bad.waitForFinished(30'000));
    EXPECT_EQ(bad.exitCode(), 64);
    EXPECT_FALSE(QFileInfo::exists(out));
}

} // namespace
} // namespace tattle::test
