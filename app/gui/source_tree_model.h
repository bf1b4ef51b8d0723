// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt first: moc (Qt 6.4) cannot parse libstdc++'s C++23 headers unless a Qt header came before them.
// clang-format off
#include <QAbstractItemModel>
// clang-format on

#include "app/gui/snapshots.h"

#include <set>

namespace tattle::app {

/// The sources as a tree: abuse contact (or "no contact known") -> network -> source address, with event
/// counts, first and last seen, country, AS, categories and whether a complaint covered them.
class SourceTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Events, FirstSeen, LastSeen, Country, As, Categories, Reported, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole, ///< raw value for sorting
        AddressRole, ///< the source address (source rows only)
        ContactRole, ///< the abuse contact's e-mail (every row under a contact)
        KindRole, ///< 0 contact, 1 network, 2 source
    };

    explicit SourceTreeModel(QObject* parent = nullptr);

    /// Swaps in a new snapshot (from loadSourceTree).
    void setSnapshot(SourceTreeData snapshot);
    /// Sources shown under one network at most (most events first); a last row counts the rest, which the
    /// events view shows. Keeps a database of a million sources from building a million rows.
    static constexpr std::size_t kMaxSourcesPerNetwork = 2000;

    std::int64_t totalEvents() const noexcept { return m_events; }
    std::size_t sourceCount() const noexcept { return m_sources; }
    /// Rows in the whole tree (contacts, networks and the sources shown).
    std::size_t nodeCount() const noexcept { return m_nodes.size(); }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node {
        int kind = 0; ///< 0 contact, 1 network, 2 source
        int parent = -1; ///< node index, -1 for top level
        int row = 0; ///< row under the parent
        std::vector<int> children;
        QString name, country, as, categories, contact, address;
        std::int64_t events = 0;
        core::Micros firstSeen = 0, lastSeen = 0;
        bool reported = false;
    };
    void build(const SourceTreeData& data);
    std::int64_t m_events = 0;
    std::size_t m_sources = 0;
    std::vector<Node> m_nodes;
    std::vector<int> m_top;
};

} // namespace tattle::app
