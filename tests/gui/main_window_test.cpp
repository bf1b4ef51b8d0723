// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's main flows on the offscreen platform: import the sample log, select a source, look it
// up against fake RDAP/WHOIS servers on loopback, export CSV; cancel an import; drag and drop; the import
// dialog; the models under QAbstractItemModelTester.
#include "../core/fake_servers.h"
#include "app/gui/charts_view.h"
#include "app/gui/composer_view.h"
#include "app/gui/details_pane.h"
#include "app/gui/event_table_model.h"
#include "app/gui/events_view.h"
#include "app/gui/import_dialog.h"
#include "app/gui/log_locations.h"
#include "app/gui/main_window.h"
#include "app/gui/settings_dialog.h"
#include "app/gui/source_tree_model.h"
#include "core/store/event_store.h"
#include "test_support.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTranslator>
#include <QTreeView>
#include <QUrl>
#include <gtest/gtest.h>

namespace tattle::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSample = fs::path(TATTLE_RESOURCES_DIR) / "samples" / "ufw.log";

/// An RDAP answer for the network of 9.153.80.216 with an abuse contact.
const char* kRdapAnswer = R"({
  "objectClassName": "ip network", "handle": "NET-9-0-0-0-1", "startAddress": "9.0.0.0",
  "endAddress": "9.255.255.255", "ipVersion": "v4", "name": "EXAMPLE-NET", "country": "US",
  "rdapConformance": ["rdap_level_0"],
  "entities": [{"objectClassName": "entity", "handle": "EXAMPLE-ABUSE", "roles": ["abuse"],
    "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Example Abuse"],
      ["email", {}, "text", "abuse@example.net"]]]},
    {"objectClassName": "entity", "handle": "EXAMPLE-ORG", "roles": ["registrant"],
    "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Example Networks"],
      ["kind", {}, "text", "org"]]]}]
})";

core::EventStore openStore(const fs::path& db)
{
    auto s = core::EventStore::open(db);
    if (!s) throw std::runtime_error(s.error().message);
    return std::move(*s);
}

class MainWindowTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_rdap.addJson("/arin/ip/9.153.80.216", kRdapAnswer);
        m_window = std::make_unique<app::MainWindow>(m_db, m_dir / "settings.json");
        m_window->setInteractive(false);
        core::Settings settings;
        settings.reporter.name = "Test Reporter";
        settings.reporter.email = "reporter@example.org";
        settings.ownNetworks = {"203.0.113.10/32"};
        m_window->setSettings(settings);
        app::LookupRequest lookup;
        lookup.reverseDns = false;
        lookup.rdapBases = {"https://rdap.arin.net/registry/=" + m_rdap.baseUrl() + "/arin/",
            "https://rdap.db.ripe.net/=" + m_rdap.baseUrl() + "/ripe/"};
        lookup.endpoints = {"whois.arin.net=" + m_whois.endpoint(), "whois.ripe.net=" + m_whois.endpoint(),
            "whois.cymru.com=" + m_whois.endpoint()};
        lookup.rate = "1ms";
        lookup.timeoutSeconds = 3;
        m_window->setLookupOptions(lookup);
        m_window->show();
        ASSERT_TRUE(m_window->waitForIdle());
    }

    void TearDown() override { m_window.reset(); }

    /// Starts an import and waits for it to end.
    bool import(const fs::path& file, const std::string& format = "")
    {
        QSignalSpy done(m_window.get(), &app::MainWindow::taskFinished);
        if (!m_window->startImport({file, format, "UTC", 2024})) return false;
        if (!done.wait(120'000)) return false;
        return done.front().front().toBool() && m_window->waitForIdle();
    }

    fs::path m_dir = scratchDir();
    fs::path m_db = m_dir / "gui.db";
    FakeHttpServer m_rdap;
    FakeWhoisServer m_whois;
    std::unique_ptr<app::MainWindow> m_window;
};

TEST_F(MainWindowTest, ImportSelectLookUpAndExport)
{
    ASSERT_TRUE(import(kSample)) << m_window->lastTaskSummary().toStdString();
    EXPECT_TRUE(m_window->lastTaskSummary().contains(QStringLiteral("netfilter")))
        << m_window->lastTaskSummary().toStdString();
    const auto stored = openStore(m_db).eventCount();
    ASSERT_GT(stored, 1000);
    // The tree counts probes (inbound), the events table every event.
    EXPECT_EQ(m_window->sourceModel()->totalEvents(),
        openStore(m_db).database().queryInt("SELECT count(*) FROM events WHERE direction <> 2"));
    EXPECT_GT(m_window->sourceModel()->rowCount(), 0);
    EXPECT_TRUE(m_window->recentLogs().contains(QString::fromStdString(kSample.string())));
    // The events table counted every event and shows its first page.
    EXPECT_EQ(m_window->eventsView()->model()->matchCount(), stored);
    EXPECT_EQ(m_window->eventsView()->model()->rowCount(), int(app::EventTableModel::kPageSize));

    // Select a source: the details pane shows its probes and lines, not yet any registry record.
    ASSERT_TRUE(m_window->selectSource(QStringLiteral("9.153.80.216")));
    ASSERT_TRUE(m_window->waitForIdle());
    EXPECT_TRUE(m_window->detailsPane()->summaryText().contains(QStringLiteral("Not looked up")))
        << m_window->detailsPane()->summaryText().toStdString();
    EXPECT_EQ(m_window->detailsPane()->logLinesText().count(QStringLiteral("SRC=9.153.80.216")), 95);
    EXPECT_FALSE(m_window->selectSource(QStringLiteral("192.0.2.250")));

    // Look it up against the fake servers.
    QSignalSpy done(m_window.get(), &app::MainWindow::taskFinished);
    ASSERT_TRUE(m_window->startLookup({*core::IpAddress::parse("9.153.80.216")}));
    EXPECT_TRUE(m_window->progressBar()->isVisible());
    EXPECT_TRUE(m_window->cancelButton()->isVisible());
    ASSERT_TRUE(done.wait(60'000));
    ASSERT_TRUE(done.front().front().toBool()) << m_window->lastTaskSummary().toStdString();
    EXPECT_TRUE(m_window->lastTaskSummary().contains(QStringLiteral("1 resolved")))
        << m_window->lastTaskSummary().toStdString();
    EXPECT_FALSE(m_window->progressBar()->isVisible());
    EXPECT_EQ(m_rdap.requestCount(), 1u);
    ASSERT_TRUE(m_window->waitForIdle());
    // The tree now has the contact as a group, with the network and the source under it.
    ASSERT_TRUE(m_window->selectSource(QStringLiteral("9.153.80.216")));
    ASSERT_TRUE(m_window->waitForIdle());
    const QModelIndex current = m_window->sourceTree()->currentIndex();
    EXPECT_EQ(
        current.data(app::SourceTreeModel::ContactRole).toString(), QStringLiteral("abuse@example.net"));
    EXPECT_TRUE(current.parent().data().toString().startsWith(QStringLiteral("9.0.0.0/8 EXAMPLE-NET")))
        << current.parent().data().toString().toStdString();
    EXPECT_TRUE(m_window->detailsPane()->summaryText().contains(QStringLiteral("abuse@example.net")))
        << m_window->detailsPane()->summaryText().toStdString();
    EXPECT_TRUE(m_window->detailsPane()->registryText().contains(QStringLiteral("NET-9-0-0-0-1")))
        << m_window->detailsPane()->registryText().toStdString();

    // Compose the complaint to the contact, edit it, save it as .eml: it is recorded and the source's
    // events count as reported.
    m_window->showView(app::MainWindow::View::Report);
    ASSERT_TRUE(m_window->waitForIdle());
    auto* composer = m_window->composer();
    ASSERT_EQ(composer->queueSize(), 1) << composer->statusText().toStdString();
    EXPECT_GT(composer->skippedCount(), 0); // sources without a contact, special-purpose ones
    EXPECT_EQ(composer->to(), QStringLiteral("abuse@example.net"));
    EXPECT_TRUE(composer->body().contains(QStringLiteral("9.153.80.216")));
    EXPECT_FALSE(composer->body().contains(QStringLiteral("203.0.113.10,")))
        << "own address listed as a source";
    composer->setSubject(QStringLiteral("Port scans from 9.153.80.216 (edited)"));
    const auto eml = m_dir / "complaint.eml";
    ASSERT_TRUE(composer->saveEml(QString::fromStdString(eml.string())));
    ASSERT_TRUE(m_window->waitForIdle());
    const std::string mail = readFile(eml);
    EXPECT_NE(mail.find("To: abuse@example.net"), std::string::npos) << mail.substr(0, 600);
    EXPECT_NE(mail.find("Subject: Port scans from 9.153.80.216 (edited)"), std::string::npos)
        << mail.substr(0, 600);
    EXPECT_NE(mail.find("From: Test Reporter <reporter@example.org>"), std::string::npos)
        << mail.substr(0, 600);
    EXPECT_NE(mail.find("X-Unsent: 1"), std::string::npos);
    {
        auto store = openStore(m_db);
        EXPECT_EQ(store.database().queryInt("SELECT count(*) FROM complaints WHERE method = 'eml'"), 1);
        EXPECT_EQ(store.database().queryInt("SELECT count(*) FROM complaint_events"), 95);
    }
    // The queue is empty now, the history has the contact, and the tree says the source was reported.
    EXPECT_EQ(composer->queueSize(), 0) << composer->statusText().toStdString();
    EXPECT_EQ(composer->historyCount(), 1);
    ASSERT_TRUE(m_window->selectSource(QStringLiteral("9.153.80.216")));
    EXPECT_EQ(m_window->sourceTree()
                  ->currentIndex()
                  .siblingAtColumn(app::SourceTreeModel::Reported)
                  .data(app::SourceTreeModel::SortRole)
                  .toBool(),
        true);
    // Without an SMTP server in the settings, Send says so and records nothing.
    EXPECT_FALSE(composer->send(QStringLiteral("secret")));

    // Export CSV.
    const QString csv = QString::fromStdString((m_dir / "sources.csv").string());
    ASSERT_TRUE(m_window->exportCsv(csv));
    const std::string text = readFile(m_dir / "sources.csv");
    EXPECT_EQ(text.rfind("src,", 0), 0u) << text.substr(0, 200);
    EXPECT_NE(text.find("9.153.80.216,95,"), std::string::npos) << text.substr(0, 400);
    // A file that cannot be written is an error in the status bar, not a crash.
    EXPECT_FALSE(m_window->exportCsv(QString::fromStdString((m_dir / "no-such-dir" / "x.csv").string())));
    EXPECT_TRUE(m_window->statusText().contains(QStringLiteral("Cannot write")));
}

TEST_F(MainWindowTest, CancelledImportLeavesTheDatabaseConsistent)
{
    // A log big enough that the import is still running when Cancel is pressed.
    std::string log;
    for (int i = 0; i < 300'000; ++i)
        log += "Mar  1 10:" + std::to_string(10 + (i / 60) % 50) + ":" + std::to_string(10 + i % 50)
            + " fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113." + std::to_string(i % 250)
            + " DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=40 ID=1 PROTO=TCP SPT="
            + std::to_string(1024 + i % 60000) + " DPT=" + std::to_string(i % 1000)
            + " WINDOW=1 RES=0x00 SYN URGP=0\n";
    writeFile(m_dir / "big.log", log);
    QSignalSpy done(m_window.get(), &app::MainWindow::taskFinished);
    ASSERT_TRUE(m_window->startImport({m_dir / "big.log", "netfilter", "UTC", 2024}));
    m_window->cancelButton()->click();
    ASSERT_TRUE(done.wait(120'000));
    EXPECT_TRUE(m_window->lastTaskSummary().contains(QStringLiteral("cancelled")))
        << m_window->lastTaskSummary().toStdString();
    ASSERT_TRUE(m_window->waitForIdle());
    std::int64_t afterCancel = 0;
    {
        auto store = openStore(m_db);
        EXPECT_EQ(store.database().queryInt(
                      "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"),
            0);
        afterCancel = store.eventCount();
        EXPECT_LT(afterCancel, 300'000);
        // Every stored event belongs to a recorded import and a stored block of original lines.
        EXPECT_EQ(
            store.database().queryInt("SELECT coalesce(sum(events_stored), 0) FROM imports"), afterCancel);
        EXPECT_EQ(store.database().queryInt("SELECT count(*) FROM events e LEFT JOIN raw_blocks b ON b.id = "
                                            "e.raw_block WHERE b.id IS NULL"),
            0);
    }
    EXPECT_EQ(m_window->sourceModel()->totalEvents(), afterCancel);
    // Importing again stores the rest, and only the rest.
    ASSERT_TRUE(import(m_dir / "big.log", "netfilter")) << m_window->lastTaskSummary().toStdString();
    EXPECT_EQ(openStore(m_db).eventCount(), 300'000);
}

TEST_F(MainWindowTest, DroppedFilesAreImportedOneAfterTheOther)
{
    writeFile(m_dir / "a.log",
        "Mar  1 10:00:00 fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 "
        "PREC=0x00 "
        "TTL=40 ID=1 PROTO=TCP SPT=4000 DPT=445 WINDOW=1 RES=0x00 SYN URGP=0\n");
    writeFile(m_dir / "b.log",
        "Mar  1 10:00:01 fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.7 DST=192.0.2.10 LEN=60 TOS=0x00 "
        "PREC=0x00 TTL=40 ID=1 PROTO=TCP SPT=4000 DPT=23 WINDOW=1 RES=0x00 SYN URGP=0\n");
    writeFile(m_dir / "junk.txt", "");
    QSettings().remove(QStringLiteral("recentLogs"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(QString::fromStdString((m_dir / "a.log").string())),
        QUrl::fromLocalFile(QString::fromStdString((m_dir / "b.log").string()))});
    QSignalSpy done(m_window.get(), &app::MainWindow::taskFinished);
    // As a drag does it: enter (accepted: the window takes file URLs), then drop.
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    ASSERT_TRUE(done.wait(60'000)) << m_window->statusText().toStdString();
    if (done.size() < 2) {
        ASSERT_TRUE(done.wait(60'000));
    }
    ASSERT_TRUE(m_window->waitForIdle());
    EXPECT_EQ(openStore(m_db).eventCount(), 2);
    // Most recent first.
    EXPECT_EQ(m_window->recentLogs(),
        QStringList({QString::fromStdString((m_dir / "b.log").string()),
            QString::fromStdString((m_dir / "a.log").string())}));
    // An empty file is refused with a sentence naming it.
    m_window->openLog(QString::fromStdString((m_dir / "junk.txt").string()));
    EXPECT_TRUE(m_window->statusText().contains(QStringLiteral("junk.txt")));
    EXPECT_TRUE(m_window->statusText().contains(QStringLiteral("empty")));
}

TEST_F(MainWindowTest, SendsThroughSmtpAndRecordsTheComplaint)
{
    ASSERT_TRUE(import(kSample));
    QSignalSpy done(m_window.get(), &app::MainWindow::taskFinished);
    ASSERT_TRUE(m_window->startLookup({*core::IpAddress::parse("9.153.80.216")}));
    ASSERT_TRUE(done.wait(60'000));
    ASSERT_TRUE(m_window->waitForIdle());

    // A real SMTP server on loopback (tests/reports/smtp_server.py, aiosmtpd) that wants a login.
    const auto mailDir = m_dir / "mail";
    fs::create_directories(mailDir);
    QProcess server;
    server.start(QStringLiteral("/usr/bin/python3"),
        {QString::fromStdString(
             (fs::path(TATTLE_TEST_DATA_DIR).parent_path() / "reports" / "smtp_server.py").string()),
            QStringLiteral("--dir"), QString::fromStdString(mailDir.string()), QStringLiteral("--tls"),
            QStringLiteral("none"), QStringLiteral("--auth"), QStringLiteral("reporter:s3cret"),
            QStringLiteral("--lifetime"), QStringLiteral("120")});
    ASSERT_TRUE(server.waitForReadyRead(30'000)) << server.readAllStandardError().toStdString();
    const QString ready = QString::fromUtf8(server.readLine()).trimmed();
    ASSERT_TRUE(ready.startsWith(QStringLiteral("READY "))) << ready.toStdString();
    auto settings = m_window->settings();
    settings.smtp.url = "smtp://127.0.0.1:" + ready.mid(6).toStdString();
    settings.smtp.user = "reporter";
    m_window->setSettings(settings);

    m_window->showView(app::MainWindow::View::Report);
    ASSERT_TRUE(m_window->waitForIdle());
    auto* composer = m_window->composer();
    ASSERT_EQ(composer->queueSize(), 1) << composer->statusText().toStdString();
    // A wrong password: the server refuses, nothing is recorded, the complaint stays in the queue.
    ASSERT_TRUE(composer->send(QStringLiteral("wrong")));
    ASSERT_TRUE(m_window->waitForIdle());
    EXPECT_EQ(openStore(m_db).database().queryInt("SELECT count(*) FROM complaints"), 0);
    EXPECT_EQ(composer->queueSize(), 1);
    EXPECT_FALSE(fs::exists(mailDir / "1.eml"));
    // The right one: delivered, recorded as sent.
    ASSERT_TRUE(composer->send(QStringLiteral("s3cret")));
    ASSERT_TRUE(m_window->waitForIdle());
    ASSERT_TRUE(fs::exists(mailDir / "1.eml")) << composer->statusText().toStdString();
    const std::string mail = readFile(mailDir / "1.eml");
    EXPECT_NE(mail.find("To: abuse@example.net"), std::string::npos) << mail.substr(0, 400);
    EXPECT_EQ(mail.find("X-Unsent"), std::string::npos);
    EXPECT_EQ(openStore(m_db).database().queryInt(
                  "SELECT count(*) FROM complaints WHERE method = 'smtp' AND sent_at IS NOT NULL"),
        1);
    EXPECT_EQ(composer->queueSize(), 0);
    server.kill();
    server.waitForFinished();
}

TEST_F(MainWindowTest, CancelStopsALookupAndTheWindowStaysLive)
{
    ASSERT_TRUE(import(kSample));
    // A registry that never answers: each query waits for the 3 s timeout unless the lookup is cancelled.
    m_rdap.setMode(HostileMode::NeverAnswer);
    m_whois.setMode(HostileMode::NeverAnswer);
    QSignalSpy done(m_window.get(), &app::MainWindow::taskFinished);
    std::vector<core::IpAddress> sources;
    for (const char* a :
        {"9.153.80.216", "22.0.163.90", "107.13.84.155", "144.129.130.208", "141.17.110.206"})
        sources.push_back(*core::IpAddress::parse(a));
    QElapsedTimer timer;
    timer.start();
    ASSERT_TRUE(m_window->startLookup(sources));
    // The window keeps handling events while the lookup runs: another lookup is refused, not queued.
    QTest::qWait(200);
    EXPECT_TRUE(m_window->taskRunning());
    EXPECT_FALSE(m_window->startLookup());
    m_window->cancelButton()->click();
    ASSERT_TRUE(done.wait(30'000));
    EXPECT_LT(timer.elapsed(), 10'000); // not 5 sources x 2 registries x 3 s
    EXPECT_TRUE(m_window->lastTaskSummary().contains(QStringLiteral("cancelled")))
        << m_window->lastTaskSummary().toStdString();
    EXPECT_FALSE(m_window->taskRunning());
}

TEST(WindowStateTest, SizeAndSplitterAreRemembered)
{
    const auto dir = scratchDir();
    QByteArray splitter;
    {
        app::MainWindow w(dir / "state.db", dir / "settings.json");
        w.setInteractive(false);
        w.show();
        w.resize(900, 640);
        ASSERT_TRUE(w.waitForIdle());
        w.close();
        splitter = QSettings().value(QStringLiteral("window/sourcesSplitter")).toByteArray();
    }
    EXPECT_FALSE(splitter.isEmpty());
    EXPECT_FALSE(QSettings().value(QStringLiteral("window/geometry")).toByteArray().isEmpty());
    app::MainWindow again(dir / "state.db", dir / "settings.json");
    again.setInteractive(false);
    EXPECT_EQ(again.size(), QSize(900, 640));
    EXPECT_TRUE(again.waitForIdle());
    // Leave the default size to the other tests (the screenshot test runs its own process anyway).
    QSettings().remove(QStringLiteral("window"));
}

TEST_F(MainWindowTest, CopyMailtoAndChartsAfterALookup)
{
    std::string second = kRdapAnswer;
    for (auto [from, to] : {std::pair {"9.0.0.0", "22.0.0.0"}, std::pair {"9.255.255.255", "22.255.255.255"},
             std::pair {"NET-9-0-0-0-1", "NET-22-0-0-0-1"},
             std::pair {"abuse@example.net", "abuse@example.com"},
             std::pair {"\"country\": \"US\"", "\"country\": \"SE\""}})
        second.replace(second.find(from), std::string(from).size(), to);
    m_rdap.addJson("/arin/ip/22.0.163.90", second);
    ASSERT_TRUE(import(kSample));
    QSignalSpy done(m_window.get(), &app::MainWindow::taskFinished);
    ASSERT_TRUE(m_window->startLookup(
        {*core::IpAddress::parse("9.153.80.216"), *core::IpAddress::parse("22.0.163.90")}));
    ASSERT_TRUE(done.wait(60'000));
    ASSERT_TRUE(m_window->waitForIdle());
    // The charts now have owners and countries.
    EXPECT_EQ(m_window->chartsView()->barCount(1), 8); // top destination ports
    EXPECT_EQ(m_window->chartsView()->barCount(2), 8); // top sources
    EXPECT_EQ(m_window->chartsView()->barCount(3), 1); // one organisation name for both (EXAMPLE-NET's)
    EXPECT_EQ(m_window->chartsView()->barCount(4), 2); // US and SE
    EXPECT_GT(m_window->chartsView()->barCount(0), 0); // events over time

    m_window->showView(app::MainWindow::View::Report);
    ASSERT_TRUE(m_window->waitForIdle());
    auto* composer = m_window->composer();
    ASSERT_EQ(composer->queueSize(), 2) << composer->statusText().toStdString();
    // Copy: the message goes to the clipboard and is recorded.
    composer->selectComplaint(0);
    const QString to = composer->to();
    ASSERT_TRUE(composer->copy());
    ASSERT_TRUE(m_window->waitForIdle());
    EXPECT_TRUE(QApplication::clipboard()->text().startsWith(QStringLiteral("To: ") + to))
        << QApplication::clipboard()->text().left(200).toStdString();
    ASSERT_EQ(composer->queueSize(), 1);
    // Mailto: a long body does not fit a link and nothing is recorded; a short one does.
    composer->setBody(QString(3000, QLatin1Char('x')));
    EXPECT_FALSE(composer->openInMailClient());
    EXPECT_TRUE(composer->statusText().contains(QStringLiteral("too long")));
    composer->setBody(QStringLiteral("Short complaint."));
    ASSERT_TRUE(composer->openInMailClient());
    ASSERT_TRUE(m_window->waitForIdle());
    auto store = openStore(m_db);
    EXPECT_EQ(store.database().queryInt("SELECT count(*) FROM complaints WHERE method = 'copy'"), 1);
    EXPECT_EQ(store.database().queryInt("SELECT count(*) FROM complaints WHERE method = 'mailto'"), 1);
    EXPECT_EQ(composer->queueSize(), 0);
    EXPECT_EQ(composer->historyCount(), 2);
}

TEST(ImportDialogTest, AsksForWhatTheFormatLeavesOpen)
{
    const auto dir = scratchDir();
    writeFile(dir / "pfirewall.log",
        "#Version: 1.5\n#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags "
        "tcpsyn "
        "tcpack tcpwin icmptype icmpcode info path\n"
        "2003-12-05 23:34:50 DROP TCP 203.0.113.8 192.0.2.20 4000 445 48 S 12345 0 65535 - - - RECEIVE\n");
    writeFile(dir / "noise.txt", "hello\nworld\n");
    struct Case {
        fs::path file;
        std::string format;
        bool zone, year;
    };
    const Case cases[] = {{kSample, "netfilter", true, true},
        {dir / "pfirewall.log", "windows-firewall", true, false}, {dir / "noise.txt", "", true, true}};
    const auto formats = app::availableFormats();
    for (const auto& c : cases) {
        const auto guess = app::detectFormat(c.file);
        EXPECT_EQ(guess.format, c.format) << c.file;
        app::ImportDialog dialog(
            QString::fromStdString(c.file.string()), guess, formats, QStringLiteral("Europe/Stockholm"));
        EXPECT_EQ(dialog.zoneBox()->isEnabled(), c.zone) << c.file;
        EXPECT_EQ(dialog.yearBox()->isEnabled(), c.year) << c.file;
        auto r = dialog.request();
        if (!c.format.empty()) {
            EXPECT_EQ(r.format, c.format);
        }
        EXPECT_EQ(r.timeZone, "Europe/Stockholm");
        EXPECT_EQ(r.year, 0);
        // The user can choose another format and a year.
        dialog.formatBox()->setCurrentIndex(dialog.formatBox()->findData(QStringLiteral("zonealarm")));
        dialog.yearBox()->setValue(2020);
        r = dialog.request();
        EXPECT_EQ(r.format, "zonealarm");
        EXPECT_EQ(r.year, 2020);
        EXPECT_TRUE(dialog.yearBox()->isEnabled());
    }
    EXPECT_FALSE(app::detectFormat(dir / "missing.log").error.empty());
}

TEST(SettingsDialogTest, ValidatesSavesAndReloads)
{
    const auto dir = scratchDir();
    const auto file = dir / "cfg" / "settings.json";
    app::SettingsDialog dialog(core::Settings {}, file);
    struct Bad {
        const char* name;
        const char* email;
        const char* own;
    };
    // Each is refused with a sentence, and nothing is written.
    const Bad bad[] = {{"Me", "not an address", ""}, {"Me\nBcc: victim@example.com", "me@example.org", ""},
        {"Me", "me@example.org", "192.0.2.0/33"}};
    for (const auto& b : bad) {
        dialog.reporterName()->setText(QString::fromUtf8(b.name));
        dialog.reporterEmail()->setText(QString::fromUtf8(b.email));
        dialog.ownNetworks()->setPlainText(QString::fromUtf8(b.own));
        EXPECT_FALSE(dialog.save()) << b.name << " " << b.email << " " << b.own;
        EXPECT_FALSE(dialog.errorText().isEmpty());
        EXPECT_FALSE(fs::exists(file));
    }
    dialog.reporterName()->setText(QStringLiteral("Me"));
    dialog.reporterEmail()->setText(QStringLiteral("me@example.org"));
    dialog.ownNetworks()->setPlainText(QStringLiteral("192.0.2.0/24\n\n2001:db8::/48\n"));
    dialog.maskOwn()->setChecked(true);
    dialog.smtpUrl()->setText(QStringLiteral("smtp://127.0.0.1:2525"));
    ASSERT_TRUE(dialog.save()) << dialog.errorText().toStdString();
    auto loaded = core::loadSettings(file);
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(loaded->reporter.email, "me@example.org");
    EXPECT_EQ(loaded->ownNetworks, (std::vector<std::string> {"192.0.2.0/24", "2001:db8::/48"}));
    EXPECT_TRUE(loaded->maskOwnAddress);
    EXPECT_EQ(loaded->smtp.url, "smtp://127.0.0.1:2525");
    EXPECT_TRUE(loaded->smtp.password.empty()); // never in the file
    // The window reads the settings file it is given.
    app::MainWindow window(dir / "w.db", file);
    window.setInteractive(false);
    EXPECT_EQ(window.settings().reporter.email, "me@example.org");
    EXPECT_TRUE(window.waitForIdle());
}

TEST(TranslationTest, SwedishCatalogueIsBuiltInAndUsed)
{
    ASSERT_TRUE(QFile::exists(QStringLiteral(":/i18n/tattle_sv.qm")));
    QTranslator sv;
    ASSERT_TRUE(sv.load(QLocale(QLocale::Swedish, QLocale::Sweden), QStringLiteral("tattle"),
        QStringLiteral("_"), QStringLiteral(":/i18n")));
    QApplication::installTranslator(&sv);
    const auto dir = scratchDir();
    {
        app::MainWindow window(dir / "sv.db", dir / "settings.json");
        window.setInteractive(false);
        QStringList menus;
        for (auto* a : window.menuBar()->actions())
            menus << a->text();
        EXPECT_EQ(menus,
            QStringList({QStringLiteral("&Arkiv"), QStringLiteral("&Visa"), QStringLiteral("&Verktyg"),
                QStringLiteral("&Hjälp")}));
        EXPECT_EQ(window.tabs()->tabText(0), QStringLiteral("&Källor"));
        EXPECT_TRUE(window.waitForIdle());
    }
    QApplication::removeTranslator(&sv);
    app::MainWindow english(dir / "en.db", dir / "settings.json");
    EXPECT_EQ(english.menuBar()->actions().front()->text(), QStringLiteral("&File"));
    EXPECT_TRUE(english.waitForIdle());
}

TEST_F(MainWindowTest, EveryControlHasAnAccessibleNameOrText)
{
    for (int v = 0; v < 4; ++v) {
        m_window->showView(app::MainWindow::View(v));
        ASSERT_TRUE(m_window->waitForIdle());
    }
    int checked = 0;
    for (QWidget* w : m_window->findChildren<QWidget*>()) {
        const bool control = qobject_cast<QLineEdit*>(w) || qobject_cast<QComboBox*>(w)
            || qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QPlainTextEdit*>(w)
            || qobject_cast<QAbstractButton*>(w) || qobject_cast<QAbstractItemView*>(w);
        if (!control) continue;
        // A combo box's or spin box's own editor: the box carries the name.
        const QObject* parent = w->parent();
        if (parent && w->inherits("QLineEdit")
            && (parent->inherits("QComboBox") || parent->inherits("QAbstractSpinBox")))
            continue;
        // Qt's own parts of composite widgets: tab bar scroll buttons, item view headers and corner
        // buttons, line edit clear buttons.
        if (parent
            && (parent->inherits("QTabBar") || parent->inherits("QAbstractItemView")
                || parent->inherits("QLineEdit")))
            continue;
        if (w->inherits("QAbstractItemView") && w->parent()
            && w->parent()->inherits("QComboBoxPrivateContainer"))
            continue;
        if (w->objectName().startsWith(QStringLiteral("qt_"))) continue; // Qt's own helpers
        const auto* b = qobject_cast<QAbstractButton*>(w);
        const bool named = !w->accessibleName().isEmpty() || (b && !b->text().isEmpty());
        EXPECT_TRUE(named) << w->metaObject()->className() << " under "
                           << (w->parentWidget() ? w->parentWidget()->metaObject()->className() : "-");
        ++checked;
    }
    EXPECT_GE(checked, 25); // the filter bar, composer, details pane, trees and tables were all looked at
}

TEST(LogLocationsTest, OnlyReadableFilesAreOffered)
{
    const auto usual = app::usualLogLocations();
    EXPECT_TRUE(usual.contains(QStringLiteral("/var/log/ufw.log")));
    for (const auto& f : app::readableLogLocations()) {
        EXPECT_TRUE(usual.contains(f));
        EXPECT_TRUE(QFileInfo(f).isReadable());
    }
}

TEST_F(MainWindowTest, ModelsPassTheModelTester)
{
    ASSERT_TRUE(import(kSample));
    QAbstractItemModelTester tree(
        m_window->sourceModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester events(
        m_window->eventsView()->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    // Filters, sorts and a refresh while the testers watch.
    auto* view = m_window->eventsView();
    view->showSource(QStringLiteral("198.51.100.82"));
    ASSERT_TRUE(m_window->waitForIdle());
    EXPECT_EQ(view->model()->matchCount(), 436);
    view->model()->sort(app::EventTableModel::DestinationPort, Qt::DescendingOrder);
    ASSERT_TRUE(m_window->waitForIdle());
    ASSERT_GT(view->model()->rowCount(), 0);
    for (int r = 1; r < view->model()->rowCount(); ++r)
        EXPECT_GE(view->model()->index(r - 1, app::EventTableModel::DestinationPort).data().toInt(),
            view->model()->index(r, app::EventTableModel::DestinationPort).data().toInt());
    m_window->refresh();
    ASSERT_TRUE(m_window->waitForIdle());
}

} // namespace
} // namespace tattle::test
