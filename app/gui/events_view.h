// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt first: moc (Qt 6.4) cannot parse libstdc++'s C++23 headers unless a Qt header came before them.
// clang-format off
#include <QWidget>
// clang-format on

#include "app/gui/event_table_model.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace tattle::app {

/// The events table with its filter bar: time range, source, destination port, protocol, category, text.
class EventsView : public QWidget {
    Q_OBJECT
public:
    EventsView(JobCounter* jobs, QWidget* parent = nullptr);

    EventTableModel* model() const noexcept { return m_model; }
    QTableView* table() const noexcept { return m_table; }
    void setDatabase(const std::filesystem::path& db);
    /// Fills the category list (signature ids).
    void setCategories(const QStringList& ids);
    /// Shows only the events of one source (from the sources view).
    void showSource(const QString& address);
    /// Reads the filter fields into a filter; a field that does not parse is named in error.
    std::optional<core::BrowseFilter> filterFromFields(QString* error) const;

public slots:
    void applyFilter();
    void clearFilter();

private:
    EventTableModel* m_model;
    QTableView* m_table;
    QLineEdit *m_since, *m_until, *m_source, *m_port, *m_text;
    QComboBox *m_protocol, *m_category;
    QLabel* m_status;
};

} // namespace tattle::app
