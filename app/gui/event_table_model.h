// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt first: moc (Qt 6.4) cannot parse libstdc++'s C++23 headers unless a Qt header came before them.
// clang-format off
#include <QAbstractTableModel>
// clang-format on

#include "app/gui/background.h"
#include "core/store/event_browser.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace tattle::app {

/// The stored events as a table, read a page at a time in the background (keyset paging over SQLite):
/// rows are fetched as the view scrolls towards the end, so a database of millions of events opens at once
/// and never loads all rows. Sorting and filters start a new query; replies to an older query are dropped.
class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Time,
        Action,
        Source,
        SourcePort,
        Destination,
        DestinationPort,
        Protocol,
        Category,
        Rule,
        Interface,
        Count,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole, IdRole };
    static constexpr std::size_t kPageSize = 500;

    explicit EventTableModel(JobCounter* jobs, QObject* parent = nullptr);

    /// The database to read (resets the model).
    void setDatabase(const std::filesystem::path& db);
    void setFilter(const core::BrowseFilter& filter);
    const core::BrowseFilter& filter() const noexcept { return m_filter; }
    /// Events matching the filter (-1 while counting).
    std::int64_t matchCount() const noexcept { return m_count; }
    /// The event id of a row.
    std::int64_t eventId(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

signals:
    /// The number of matching events is known (after setFilter, sort or setDatabase).
    void countChanged(qint64 count);
    /// A page could not be read.
    void failed(const QString& message);
    /// A page was appended (or the query found nothing).
    void pageLoaded();

private:
    void restart();
    std::filesystem::path m_db;
    JobCounter* m_jobs;
    core::BrowseFilter m_filter;
    core::EventSort m_sort;
    std::vector<core::EventRow> m_rows;
    std::optional<core::EventCursor> m_next;
    bool m_atEnd = true, m_fetching = false;
    std::int64_t m_count = -1;
    quint64 m_generation = 0;
};

} // namespace tattle::app
