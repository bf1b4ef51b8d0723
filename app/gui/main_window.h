// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt first: moc (Qt 6.4) cannot parse libstdc++'s C++23 headers unless a Qt header came before them.
// clang-format off
#include <QMainWindow>
// clang-format on

#include "app/gui/background.h"
#include "app/gui/snapshots.h"

#include <atomic>
#include <filesystem>
#include <memory>

class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTreeView;

namespace tattle::app {

class ChartsView;
class ComposerView;
class DetailsPane;
class EventsView;
class SourceTreeModel;

/// The main window: sources by abuse contact, events, charts and complaints over one database; imports
/// and lookups run in the background with a progress bar, a count and Cancel.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class View { Sources, Events, Charts, Report };

    /// Opens database with the settings in settingsFile (default: core::defaultSettingsPath()).
    explicit MainWindow(
        std::filesystem::path database, std::filesystem::path settingsFile = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    const std::filesystem::path& database() const noexcept { return m_db; }
    /// Message boxes and file dialogs (off for tests and the screenshot mode: errors go to the status bar).
    void setInteractive(bool on);
    /// Where lookups go and what they ask (the settings; tests point them at fake servers).
    void setLookupOptions(const LookupRequest& options) { m_lookup = options; }
    const LookupRequest& lookupOptions() const noexcept { return m_lookup; }
    /// The settings in use (from the settings file); setSettings applies them without writing the file.
    const core::Settings& settings() const noexcept { return m_settings; }
    void setSettings(const core::Settings& settings);
    /// Opens the settings dialog.
    void showSettings();

    void showView(View view);
    /// Runs the event loop until no background job is left, or timeoutMs passed; true when idle.
    bool waitForIdle(int timeoutMs = 30'000);
    /// Renders the window to a PNG once everything is loaded; false (with error) when it cannot.
    bool saveScreenshot(const QString& file, QString* error);

    /// Asks how to read the file (format, zone, year), then imports it.
    void openLog(const QString& file);
    /// Imports with the given choices, in the background.
    bool startImport(const ImportRequest& request);
    /// Looks up the given sources (all when empty) in the background.
    bool startLookup(const std::vector<core::IpAddress>& sources = {});
    /// Stops the running import or lookup at its next step.
    void cancelTask();
    bool taskRunning() const noexcept { return m_taskRunning; }
    /// Reloads every view from the database.
    void refresh();
    /// Selects a source in the sources tree (and shows its details); false when it is not there.
    bool selectSource(const QString& address);
    /// Writes the per-source summary as CSV.
    bool exportCsv(const QString& file);

    // For tests and the report view.
    SourceTreeModel* sourceModel() const noexcept { return m_sourceModel; }
    QTreeView* sourceTree() const noexcept { return m_tree; }
    DetailsPane* detailsPane() const noexcept { return m_details; }
    EventsView* eventsView() const noexcept { return m_events; }
    ChartsView* chartsView() const noexcept { return m_charts; }
    ComposerView* composer() const noexcept { return m_composer; }
    QTabWidget* tabs() const noexcept { return m_tabs; }
    QProgressBar* progressBar() const noexcept { return m_progress; }
    QPushButton* cancelButton() const noexcept { return m_cancel; }
    QString statusText() const;
    /// The result of the last import or lookup, in words.
    QString lastTaskSummary() const { return m_lastSummary; }
    QStringList recentLogs() const;

signals:
    /// An import or lookup finished (ok false when it failed).
    void taskFinished(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void rebuildRecentMenu();
    void rebuildUsualMenu();
    void addRecent(const QString& file);
    void showError(const QString& message);
    void beginTask(const QString& label);
    void endTask(bool ok, const QString& summary);
    void onSourceSelected();
    void openLogDialog();
    void openDatabaseDialog();
    void exportCsvDialog();
    void setDatabase(std::filesystem::path db);

    std::filesystem::path m_db;
    bool m_interactive = true;
    LookupRequest m_lookup;
    JobCounter* m_jobs;
    QTabWidget* m_tabs;
    QSplitter* m_splitter;
    QTreeView* m_tree;
    QSortFilterProxyModel* m_proxy;
    SourceTreeModel* m_sourceModel;
    DetailsPane* m_details;
    EventsView* m_events;
    ChartsView* m_charts;
    ComposerView* m_composer;
    bool m_composerStale = true;
    std::filesystem::path m_settingsFile;
    core::Settings m_settings;
    QLabel* m_statusLabel;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QMenu *m_recentMenu = nullptr, *m_usualMenu = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    bool m_taskRunning = false;
    QString m_lastSummary;
    quint64 m_detailsGeneration = 0;
    QStringList m_queuedLogs; ///< files dropped or chosen while a task ran
};

} // namespace tattle::app
