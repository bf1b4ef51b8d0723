// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/main_window.h"

#include "app/gui/charts_view.h"
#include "app/gui/composer_view.h"
#include "app/gui/details_pane.h"
#include "app/gui/events_view.h"
#include "app/gui/import_dialog.h"
#include "app/gui/log_locations.h"
#include "app/gui/settings_dialog.h"
#include "app/gui/source_tree_model.h"
#include "core/resources.h"
#include "core/signatures.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDeadlineTimer>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QImage>
#include <QKeySequence>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QTreeView>
#include <QVBoxLayout>

namespace tattle::app {

namespace {

constexpr int kMaxRecent = 10;

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

/// Posts fn to obj's thread (the worker's progress callbacks call it).
template<typename Fn> void post(QObject* obj, Fn fn)
{
    QMetaObject::invokeMethod(obj, std::move(fn), Qt::QueuedConnection);
}

} // namespace

MainWindow::MainWindow(std::filesystem::path database, std::filesystem::path settingsFile, QWidget* parent)
    : QMainWindow(parent)
    , m_jobs(new JobCounter(this))
    , m_tabs(new QTabWidget(this))
    , m_splitter(new QSplitter(this))
    , m_tree(new QTreeView(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_sourceModel(new SourceTreeModel(this))
    , m_details(new DetailsPane(this))
    , m_events(new EventsView(m_jobs, this))
    , m_charts(new ChartsView(this))
    , m_composer(new ComposerView(
          m_jobs, [this] { return m_settings; }, this))
    , m_settingsFile(settingsFile.empty() ? core::defaultSettingsPath() : std::move(settingsFile))
    , m_statusLabel(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    setWindowTitle(tr("tattle"));
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    resize(1100, 720);

    m_proxy->setSourceModel(m_sourceModel);
    m_proxy->setSortRole(SourceTreeModel::SortRole);
    m_tree->setModel(m_proxy);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(SourceTreeModel::Events, Qt::DescendingOrder);
    m_tree->setAccessibleName(tr("Sources by abuse contact and network"));
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->resizeSection(SourceTreeModel::Name, 300);
    m_tree->header()->resizeSection(SourceTreeModel::Events, 80);
    m_splitter->setObjectName(QStringLiteral("sourcesSplitter"));
    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    m_tabs->addTab(m_splitter, tr("&Sources"));
    m_tabs->addTab(m_events, tr("&Events"));
    m_tabs->addTab(m_charts, tr("C&harts"));
    m_tabs->addTab(m_composer, tr("&Report"));
    m_tabs->setAccessibleName(tr("Views"));
    setCentralWidget(m_tabs);

    m_statusLabel->setAccessibleName(tr("Status"));
    m_progress->setAccessibleName(tr("Progress"));
    m_progress->setMaximumWidth(240);
    m_progress->hide();
    m_cancel->setAccessibleName(tr("Cancel the running import or lookup"));
    m_cancel->hide();
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, &MainWindow::cancelTask);

    connect(
        m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onSourceSelected);
    connect(m_tree, &QTreeView::doubleClicked, this, [this](const QModelIndex& i) {
        const QString a = i.data(SourceTreeModel::AddressRole).toString();
        if (a.isEmpty()) return;
        m_events->showSource(a);
        showView(View::Events);
    });

    if (auto dir = core::resourcesDir()) {
        if (auto sigs = core::SignatureTable::load(*dir / "signatures.json")) {
            QStringList ids;
            for (const auto& s : sigs->signatures())
                ids << qs(s.id);
            ids.sort();
            m_events->setCategories(ids);
        }
    }

    if (auto loaded = loadSettingsFile(m_settingsFile))
        setSettings(*loaded);
    else
        m_statusLabel->setText(QString::fromStdString(loaded.error().message));
    connect(m_composer, &ComposerView::complaintRecorded, this, &MainWindow::refresh);
    connect(m_composer, &ComposerView::status, m_statusLabel, &QLabel::setText);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int i) {
        if (i == int(View::Report) && m_composerStale) {
            m_composerStale = false;
            m_composer->setDatabase(m_db);
        }
    });

    QSettings settings;
    buildMenus();
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/sourcesSplitter")).toByteArray());
    setDatabase(std::move(database));
}

MainWindow::~MainWindow()
{
    // Background jobs hold no pointer to the window, but their replies do: let them finish first.
    if (m_cancelFlag) m_cancelFlag->store(true);
    waitForIdle(60'000);
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open log..."), this, &MainWindow::openLogDialog);
    open->setShortcut(QKeySequence::Open);
    m_usualMenu = file->addMenu(tr("Open &usual log"));
    m_recentMenu = file->addMenu(tr("Open &recent log"));
    file->addSeparator();
    auto* openDb = file->addAction(tr("Open &database..."), this, &MainWindow::openDatabaseDialog);
    openDb->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    auto* exportMenu = file->addMenu(tr("&Export"));
    auto* csv = exportMenu->addAction(tr("Sources as &CSV..."), this, &MainWindow::exportCsvDialog);
    csv->setShortcut(QKeySequence(tr("Ctrl+E")));
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* view = menuBar()->addMenu(tr("&View"));
    const std::pair<QString, View> views[] = {{tr("&Sources"), View::Sources}, {tr("&Events"), View::Events},
        {tr("&Charts"), View::Charts}, {tr("&Report"), View::Report}};
    int n = 1;
    for (const auto& [label, v] : views) {
        auto* a = view->addAction(label, this, [this, v = v] { showView(v); });
        a->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(n++)));
    }
    view->addSeparator();
    auto* reload = view->addAction(tr("Re&load"), this, &MainWindow::refresh);
    reload->setShortcut(QKeySequence::Refresh);
    view->addSeparator();
    auto* prefs = view->addAction(tr("S&ettings..."), this, &MainWindow::showSettings);
    prefs->setShortcut(QKeySequence::Preferences);
    if (prefs->shortcut().isEmpty()) prefs->setShortcut(QKeySequence(tr("Ctrl+,")));

    auto* tools = menuBar()->addMenu(tr("&Tools"));
    auto* lookupAll = tools->addAction(tr("&Look up all sources"), this, [this] { startLookup(); });
    lookupAll->setShortcut(QKeySequence(tr("Ctrl+L")));
    auto* lookupOne = tools->addAction(tr("Look up the &selected source"), this, [this] {
        const QString a = m_tree->currentIndex().data(SourceTreeModel::AddressRole).toString();
        if (auto ip = core::IpAddress::parse(a.toStdString())) startLookup({*ip});
    });
    lookupOne->setShortcut(QKeySequence(tr("Ctrl+Shift+L")));
    auto* cancel = tools->addAction(tr("&Cancel the running task"), this, &MainWindow::cancelTask);
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About tattle"), this, [this] {
        QMessageBox::about(this, tr("About tattle"),
            tr("<p><b>tattle</b> %1</p><p>Reads firewall logs, finds who is behind each probe and helps you "
               "write to their ISP's abuse desk.</p><p>GPL-3.0-or-later.</p>")
                .arg(QStringLiteral(TATTLE_VERSION)));
    });
    rebuildRecentMenu();
    rebuildUsualMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentLogs();
    for (const auto& f : recent)
        m_recentMenu->addAction(f, this, [this, f] { openLog(f); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::rebuildUsualMenu()
{
    m_usualMenu->clear();
    const QStringList found = readableLogLocations();
    for (const auto& f : found)
        m_usualMenu->addAction(f, this, [this, f] { openLog(f); });
    if (found.isEmpty()) {
        auto* none = m_usualMenu->addAction(tr("No readable firewall log in the usual places"));
        none->setEnabled(false);
    }
}

QStringList MainWindow::recentLogs() const
{
    return QSettings().value(QStringLiteral("recentLogs")).toStringList();
}

void MainWindow::addRecent(const QString& file)
{
    QStringList recent = recentLogs();
    recent.removeAll(file);
    recent.prepend(file);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(QStringLiteral("recentLogs"), recent);
    rebuildRecentMenu();
}

void MainWindow::setInteractive(bool on)
{
    m_interactive = on;
    m_composer->setInteractive(on);
}

void MainWindow::setSettings(const core::Settings& settings)
{
    m_settings = settings;
    m_lookup.useRdap = settings.useRdap;
    m_lookup.useWhois = settings.useWhois;
    m_composerStale = true;
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, m_settingsFile, this);
    if (dialog.exec() != QDialog::Accepted) return;
    const auto before = m_settings.databasePath;
    setSettings(dialog.settings());
    if (m_settings.databasePath != before && !m_settings.databasePath.empty())
        setDatabase(std::filesystem::path(m_settings.databasePath));
    else
        refresh();
}

void MainWindow::setDatabase(std::filesystem::path db)
{
    m_db = std::move(db);
    setWindowTitle(tr("tattle - %1").arg(qs(m_db.filename().string())));
    m_details->clear();
    refresh();
}

void MainWindow::refresh()
{
    runInBackground(
        this, m_jobs, [db = m_db] { return loadSourceTree(db); },
        [this](Result<SourceTreeData> r) {
            if (!r) {
                showError(qs(r.error().message));
                return;
            }
            m_sourceModel->setSnapshot(std::move(*r));
            // Down to the sources when the tree is small enough to lay out at once.
            m_tree->expandToDepth(m_sourceModel->nodeCount() < 20'000 ? 1 : 0);
            m_statusLabel->setText(tr("%1 events from %2 sources")
                                       .arg(QLocale().toString(qlonglong(m_sourceModel->totalEvents())))
                                       .arg(QLocale().toString(qulonglong(m_sourceModel->sourceCount()))));
        });
    m_events->setDatabase(m_db);
    m_composerStale = true;
    if (m_tabs->currentIndex() == int(View::Report)) {
        m_composerStale = false;
        m_composer->setDatabase(m_db);
    }
    runInBackground(
        this, m_jobs, [db = m_db] { return loadChartData(db); },
        [this](Result<ChartData> r) {
            if (r) m_charts->setData(*r);
        });
}

void MainWindow::showView(View view)
{
    m_tabs->setCurrentIndex(int(view));
}

bool MainWindow::waitForIdle(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_jobs->running() > 0 && !deadline.hasExpired()) {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    QApplication::processEvents();
    return m_jobs->running() == 0;
}

bool MainWindow::saveScreenshot(const QString& file, QString* error)
{
    if (!isVisible()) show();
    if (!waitForIdle()) {
        if (error) *error = tr("The views did not finish loading in time.");
        return false;
    }
    // Lazily fetched rows and chart layouts settle in the next passes of the event loop.
    for (int i = 0; i < 3; ++i) {
        QApplication::processEvents();
        waitForIdle();
    }
    const QPixmap pixmap = grab();
    if (pixmap.isNull() || !pixmap.save(file, "PNG")) {
        if (error) *error = tr("Cannot write the screenshot '%1'.").arg(file);
        return false;
    }
    return true;
}

QString MainWindow::statusText() const
{
    return m_statusLabel->text();
}

void MainWindow::showError(const QString& message)
{
    m_statusLabel->setText(message);
    if (m_interactive) QMessageBox::warning(this, tr("tattle"), message);
}

void MainWindow::openLogDialog()
{
    const QString start
        = recentLogs().isEmpty() ? QStringLiteral("/var/log") : QFileInfo(recentLogs().front()).path();
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open firewall logs"), start, tr("Logs (*.log *.txt *.gz *.json *);;All files (*)"));
    for (const auto& f : files)
        openLog(f);
}

void MainWindow::openLog(const QString& file)
{
    if (m_taskRunning) {
        m_queuedLogs << file;
        return;
    }
    const FormatGuess guess = detectFormat(std::filesystem::path(file.toStdString()));
    if (!guess.error.empty()) {
        showError(qs(guess.error));
        return;
    }
    ImportDialog dialog(
        file, guess, availableFormats(), QSettings().value(QStringLiteral("logTimeZone")).toString(), this);
    if (m_interactive && dialog.exec() != QDialog::Accepted) return;
    if (!m_interactive && guess.format.empty()) {
        showError(tr("The format of '%1' is not recognised.").arg(file));
        return;
    }
    startImport(dialog.request());
}

void MainWindow::beginTask(const QString& label)
{
    m_taskRunning = true;
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_statusLabel->setText(label);
    m_progress->setRange(0, 0);
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->setEnabled(true);
    m_cancel->show();
}

void MainWindow::endTask(bool ok, const QString& summary)
{
    m_taskRunning = false;
    m_progress->hide();
    m_cancel->hide();
    m_lastSummary = summary;
    if (ok)
        m_statusLabel->setText(summary);
    else
        showError(summary);
    refresh();
    emit taskFinished(ok);
    if (!m_queuedLogs.isEmpty()) openLog(m_queuedLogs.takeFirst());
}

void MainWindow::cancelTask()
{
    if (!m_taskRunning || !m_cancelFlag) return;
    m_cancelFlag->store(true);
    m_cancel->setEnabled(false);
    m_statusLabel->setText(tr("Cancelling..."));
}

bool MainWindow::startImport(const ImportRequest& request)
{
    if (m_taskRunning) {
        showError(tr("An import or lookup is running: wait for it or cancel it first."));
        return false;
    }
    const QString name = qs(request.file.filename().string());
    addRecent(qs(request.file.string()));
    beginTask(tr("Importing %1...").arg(name));
    auto flag = m_cancelFlag;
    QPointer<MainWindow> self(this);
    auto progress = [self, name](std::uint64_t done, std::uint64_t total) {
        post(self.data(), [self, done, total, name] {
            if (!self || !self->m_taskRunning) return;
            if (total > 0) {
                self->m_progress->setRange(0, 1000);
                self->m_progress->setValue(int(std::min<std::uint64_t>(1000, done * 1000 / total)));
            }
            self->m_statusLabel->setText(tr("Importing %1: %2 MiB read")
                                             .arg(name)
                                             .arg(QLocale().toString(double(done) / (1 << 20), 'f', 1)));
        });
    };
    runInBackground(
        this, m_jobs,
        [db = m_db, request, progress, flag] { return runImport(db, request, progress, flag.get()); },
        [this, name](Result<core::ImportResult> r) {
            if (!r) {
                endTask(false, qs(r.error().message));
                return;
            }
            QString s = tr("%1: %2, %3 lines read, %4 events stored, %5 not events, %6 skipped")
                            .arg(name, qs(r->format))
                            .arg(QLocale().toString(qulonglong(r->linesRead)))
                            .arg(QLocale().toString(qulonglong(r->eventsStored)))
                            .arg(QLocale().toString(qulonglong(r->linesIgnored)))
                            .arg(QLocale().toString(qulonglong(r->linesSkipped)));
            if (r->linesAlreadyImported)
                s += tr(" (%1 lines imported before)")
                         .arg(QLocale().toString(qulonglong(r->linesAlreadyImported)));
            if (r->cancelled) s += tr("; cancelled: what was read so far is stored");
            if (!r->readError.empty()) s += QStringLiteral("; ") + qs(r->readError);
            endTask(true, s);
        });
    return true;
}

bool MainWindow::startLookup(const std::vector<core::IpAddress>& sources)
{
    if (m_taskRunning) {
        showError(tr("An import or lookup is running: wait for it or cancel it first."));
        return false;
    }
    beginTask(tr("Looking up sources..."));
    auto flag = m_cancelFlag;
    LookupRequest request = m_lookup;
    request.sources = sources;
    QPointer<MainWindow> self(this);
    auto progress = [self](const core::resolver::ResolveProgress& p) {
        const QString stage = qs(std::string(p.stage));
        post(self.data(), [self, done = p.done, total = p.total, queries = p.queries, stage] {
            if (!self || !self->m_taskRunning) return;
            self->m_progress->setRange(0, int(std::max<std::size_t>(1, total)));
            self->m_progress->setValue(int(done));
            self->m_statusLabel->setText(tr("Looking up: %1 of %2 sources, %3 queries (%4)")
                                             .arg(done)
                                             .arg(total)
                                             .arg(queries)
                                             .arg(stage));
        });
    };
    runInBackground(
        this, m_jobs,
        [db = m_db, request, progress, flag] { return runLookup(db, request, progress, flag.get()); },
        [this](Result<core::resolver::ResolveReport> r) {
            if (!r) {
                endTask(false, qs(r.error().message));
                return;
            }
            QString s
                = tr("Looked up %1 sources: %2 resolved (%3 from the cache), %4 special-purpose, %5 failed")
                      .arg(r->sources)
                      .arg(r->resolved)
                      .arg(r->fromCache)
                      .arg(r->special)
                      .arg(r->failed);
            if (r->wasCancelled) s += tr("; cancelled: %1 sources not looked up").arg(r->cancelled);
            if (!r->failures.empty())
                s += QStringLiteral(" (") + qs(r->failures.front().reason) + QStringLiteral(")");
            endTask(true, s);
        });
    return true;
}

bool MainWindow::selectSource(const QString& address)
{
    const QModelIndexList hits = m_proxy->match(m_proxy->index(0, 0), SourceTreeModel::AddressRole, address,
        1, Qt::MatchExactly | Qt::MatchRecursive);
    if (hits.isEmpty()) return false;
    m_tree->setCurrentIndex(hits.front());
    m_tree->scrollTo(hits.front());
    return true;
}

void MainWindow::onSourceSelected()
{
    const QString a = m_tree->currentIndex().data(SourceTreeModel::AddressRole).toString();
    auto ip = core::IpAddress::parse(a.toStdString());
    const quint64 gen = ++m_detailsGeneration;
    if (!ip) {
        m_details->clear();
        return;
    }
    runInBackground(
        this, m_jobs, [db = m_db, src = *ip] { return loadSourceDetails(db, src); },
        [this, gen](Result<SourceDetails> d) {
            if (gen != m_detailsGeneration) return;
            if (!d) {
                showError(qs(d.error().message));
                return;
            }
            m_details->setDetails(*d);
        },
        Lane::Quick);
}

void MainWindow::openDatabaseDialog()
{
    const QString f
        = QFileDialog::getSaveFileName(this, tr("Open or create a database"), qs(m_db.parent_path().string()),
            tr("tattle databases (*.db);;All files (*)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!f.isEmpty()) setDatabase(std::filesystem::path(f.toStdString()));
}

void MainWindow::exportCsvDialog()
{
    const QString f = QFileDialog::getSaveFileName(
        this, tr("Export the sources as CSV"), QStringLiteral("sources.csv"), tr("CSV (*.csv)"));
    if (!f.isEmpty()) exportCsv(f);
}

bool MainWindow::exportCsv(const QString& file)
{
    auto r = exportSourcesCsv(m_db, std::filesystem::path(file.toStdString()));
    if (!r) {
        showError(qs(r.error().message));
        return false;
    }
    m_statusLabel->setText(tr("Sources written to %1.").arg(file));
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/sourcesSplitter"), m_splitter->saveState());
    cancelTask();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) openLog(url.toLocalFile());
    event->acceptProposedAction();
}

} // namespace tattle::app
