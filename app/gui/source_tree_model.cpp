// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/source_tree_model.h"

#include "core/text_util.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>
#include <limits>

namespace tattle::app {

namespace {

QString timeText(core::Micros t)
{
    if (t == 0) return {};
    return QDateTime::fromMSecsSinceEpoch(t / 1000, QTimeZone::utc())
        .toLocalTime()
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString fromStd(const std::string& s)
{
    return QString::fromStdString(core::sanitizeForDisplay(s));
}

} // namespace

SourceTreeModel::SourceTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{
}

void SourceTreeModel::setSnapshot(SourceTreeData snapshot)
{
    beginResetModel();
    m_events = snapshot.events;
    m_sources = std::size_t(snapshot.sources);
    build(snapshot);
    endResetModel();
}

void SourceTreeModel::build(const SourceTreeData& data)
{
    const auto& reported = data.reported;
    m_nodes.clear();
    m_top.clear();
    for (const auto& g : data.groups) {
        const int gi = int(m_nodes.size());
        m_nodes.push_back({});
        m_nodes[std::size_t(gi)].kind = 0;
        m_nodes[std::size_t(gi)].row = int(m_top.size());
        m_top.push_back(gi);
        const QString contact = fromStd(g.key);
        m_nodes[std::size_t(gi)].name = g.key.empty() ? tr("No abuse contact known") : contact;
        m_nodes[std::size_t(gi)].contact = contact;
        core::Micros gFirst = std::numeric_limits<core::Micros>::max(), gLast = 0;
        bool gReported = !g.networks.empty();
        for (const auto& n : g.networks) {
            const int ni = int(m_nodes.size());
            Node net;
            net.kind = 1;
            net.parent = gi;
            net.row = int(m_nodes[std::size_t(gi)].children.size());
            net.contact = contact;
            if (n.network) {
                const auto& i = n.network->info;
                net.name = fromStd(i.range.toString() + (i.name.empty() ? "" : " " + i.name)
                    + (i.orgName.empty() ? "" : " (" + i.orgName + ")"));
                net.country = fromStd(i.country);
                if (i.asn) net.as = QStringLiteral("AS%1 %2").arg(*i.asn).arg(fromStd(i.asName)).trimmed();
            } else {
                net.name = tr("Not looked up, special-purpose or failed");
            }
            net.events = n.events;
            m_nodes[std::size_t(gi)].children.push_back(ni);
            m_nodes.push_back(std::move(net));
            core::Micros nFirst = std::numeric_limits<core::Micros>::max(), nLast = 0;
            bool nReported = !n.sources.empty();
            for (const auto& s : n.sources) {
                nFirst = std::min(nFirst, s.firstSeen);
                nLast = std::max(nLast, s.lastSeen);
            }
            std::size_t shown = 0;
            for (const auto& s : n.sources) {
                if (shown++ == kMaxSourcesPerNetwork) {
                    Node more;
                    more.kind = 2;
                    more.parent = ni;
                    more.row = int(m_nodes[std::size_t(ni)].children.size());
                    more.name
                        = tr("... %1 more sources (see the Events view)")
                              .arg(QLocale().toString(qulonglong(n.sources.size() - kMaxSourcesPerNetwork)));
                    more.contact = contact;
                    m_nodes[std::size_t(ni)].children.push_back(int(m_nodes.size()));
                    m_nodes.push_back(std::move(more));
                    nReported = false;
                    break;
                }
                const int si = int(m_nodes.size());
                Node src;
                src.kind = 2;
                src.parent = ni;
                src.row = int(m_nodes[std::size_t(ni)].children.size());
                src.name = fromStd(s.address);
                src.address = s.members.size() == 1 ? fromStd(s.members.front().toString()) : QString();
                src.contact = contact;
                src.country = m_nodes[std::size_t(ni)].country;
                src.as = m_nodes[std::size_t(ni)].as;
                src.events = s.events;
                src.firstSeen = s.firstSeen;
                src.lastSeen = s.lastSeen;
                QStringList cats;
                bool all = !s.members.empty();
                for (const auto& m : s.members) {
                    if (auto it = data.summaries.find(m); it != data.summaries.end())
                        for (const auto& c : it->second.categories)
                            if (!cats.contains(fromStd(c))) cats << fromStd(c);
                    all = all && reported.contains(m);
                }
                src.categories = cats.join(QStringLiteral(", "));
                src.reported = all;
                nReported = nReported && all;
                m_nodes[std::size_t(ni)].children.push_back(si);
                m_nodes.push_back(std::move(src));
            }
            auto& netNode = m_nodes[std::size_t(ni)];
            netNode.firstSeen = n.sources.empty() ? 0 : nFirst;
            netNode.lastSeen = nLast;
            netNode.reported = nReported;
            gReported = gReported && nReported;
            if (!n.sources.empty()) gFirst = std::min(gFirst, nFirst);
            gLast = std::max(gLast, nLast);
        }
        auto& gNode = m_nodes[std::size_t(gi)];
        gNode.events = g.events;
        gNode.firstSeen = gLast == 0 ? 0 : gFirst;
        gNode.lastSeen = gLast;
        gNode.reported = gReported;
        if (g.networks.size() == 1) {
            gNode.country = m_nodes[std::size_t(gNode.children.front())].country;
            gNode.as = m_nodes[std::size_t(gNode.children.front())].as;
        }
    }
    if (data.otherSources > 0) {
        Node rest;
        rest.kind = 0;
        rest.row = int(m_top.size());
        rest.name = tr("... %1 less active sources (see the Events view)")
                        .arg(QLocale().toString(qlonglong(data.otherSources)));
        rest.events = data.otherEvents;
        m_top.push_back(int(m_nodes.size()));
        m_nodes.push_back(std::move(rest));
    }
}

QModelIndex SourceTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount) return {};
    const std::vector<int>& list = parent.isValid() ? m_nodes[parent.internalId()].children : m_top;
    if (parent.isValid() && parent.column() != 0) return {};
    if (row >= int(list.size())) return {};
    return createIndex(row, column, quintptr(list[std::size_t(row)]));
}

QModelIndex SourceTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid()) return {};
    const int p = m_nodes[child.internalId()].parent;
    if (p < 0) return {};
    return createIndex(m_nodes[std::size_t(p)].row, 0, quintptr(p));
}

int SourceTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid()) return int(m_top.size());
    if (parent.column() != 0) return 0;
    return int(m_nodes[parent.internalId()].children.size());
}

int SourceTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant SourceTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.internalId() >= m_nodes.size()) return {};
    const Node& n = m_nodes[index.internalId()];
    switch (role) {
    case AddressRole:
        return n.kind == 2 ? QVariant(n.address) : QVariant();
    case ContactRole:
        return n.contact;
    case KindRole:
        return n.kind;
    case Qt::TextAlignmentRole:
        return index.column() == Events ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case SortRole:
        switch (index.column()) {
        case Events:
            return qlonglong(n.events);
        case FirstSeen:
            return qlonglong(n.firstSeen);
        case LastSeen:
            return qlonglong(n.lastSeen);
        case Reported:
            return n.reported;
        default:
            break;
        }
        [[fallthrough]];
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Name:
            return n.name;
        case Events:
            return role == Qt::DisplayRole ? QLocale().toString(qlonglong(n.events))
                                           : QVariant(qlonglong(n.events));
        case FirstSeen:
            return timeText(n.firstSeen);
        case LastSeen:
            return timeText(n.lastSeen);
        case Country:
            return n.country;
        case As:
            return n.as;
        case Categories:
            return n.categories;
        case Reported:
            return n.reported ? tr("yes") : tr("no");
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant SourceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name:
        return tr("Contact / network / source");
    case Events:
        return tr("Events");
    case FirstSeen:
        return tr("First seen");
    case LastSeen:
        return tr("Last seen");
    case Country:
        return tr("Country");
    case As:
        return tr("AS");
    case Categories:
        return tr("Categories");
    case Reported:
        return tr("Reported");
    default:
        return {};
    }
}

} // namespace tattle::app
