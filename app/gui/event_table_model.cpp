// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/event_table_model.h"

#include "core/event.h"
#include "core/text_util.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

namespace tattle::app {

EventTableModel::EventTableModel(JobCounter* jobs, QObject* parent)
    : QAbstractTableModel(parent)
    , m_jobs(jobs)
{
}

void EventTableModel::setDatabase(const std::filesystem::path& db)
{
    m_db = db;
    restart();
}

void EventTableModel::setFilter(const core::BrowseFilter& filter)
{
    m_filter = filter;
    restart();
}

std::int64_t EventTableModel::eventId(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)].id : 0;
}

void EventTableModel::restart()
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_next.reset();
    m_atEnd = m_db.empty();
    m_fetching = false;
    m_count = -1;
    endResetModel();
    if (m_db.empty()) return;
    const quint64 gen = m_generation;
    runInBackground(
        this, m_jobs,
        [db = m_db, f = m_filter]() -> Result<std::int64_t> {
            auto b = core::EventBrowser::open(db);
            if (!b) return std::unexpected(b.error());
            return b->count(f);
        },
        [this, gen](const Result<std::int64_t>& n) {
            if (gen != m_generation) return;
            if (!n) {
                emit failed(QString::fromStdString(n.error().message));
                return;
            }
            m_count = *n;
            emit countChanged(qint64(m_count));
        });
    fetchMore({});
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool EventTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd && !m_fetching;
}

void EventTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent)) return;
    m_fetching = true;
    const quint64 gen = m_generation;
    runInBackground(
        this, m_jobs,
        [db = m_db, f = m_filter, s = m_sort, after = m_next]() -> Result<core::EventPage> {
            auto b = core::EventBrowser::open(db);
            if (!b) return std::unexpected(b.error());
            return b->page(f, s, after, kPageSize);
        },
        [this, gen](Result<core::EventPage> page) {
            if (gen != m_generation) return; // a reply to an older query
            m_fetching = false;
            if (!page) {
                m_atEnd = true;
                emit failed(QString::fromStdString(page.error().message));
                return;
            }
            m_next = page->next;
            m_atEnd = !m_next.has_value();
            if (!page->rows.empty()) {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page->rows.size()) - 1);
                m_rows.insert(m_rows.end(), std::make_move_iterator(page->rows.begin()),
                    std::make_move_iterator(page->rows.end()));
                endInsertRows();
            }
            emit pageLoaded();
        },
        Lane::Quick);
}

void EventTableModel::sort(int column, Qt::SortOrder order)
{
    static constexpr core::EventSortColumn kColumns[] = {core::EventSortColumn::Time,
        core::EventSortColumn::Action, core::EventSortColumn::Source, core::EventSortColumn::SourcePort,
        core::EventSortColumn::Destination, core::EventSortColumn::DestinationPort,
        core::EventSortColumn::Protocol, core::EventSortColumn::Category, core::EventSortColumn::Id,
        core::EventSortColumn::Id, core::EventSortColumn::Id};
    if (column < 0 || column >= ColumnCount) return;
    m_sort = {kColumns[column], order == Qt::DescendingOrder};
    restart();
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size())) return {};
    const core::EventRow& r = m_rows[std::size_t(index.row())];
    if (role == IdRole) return qlonglong(r.id);
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case SourcePort:
        case DestinationPort:
        case Count:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole) return {};
    auto port = [](const std::optional<int>& p) { return p ? QVariant(*p) : QVariant(); };
    switch (index.column()) {
    case Time:
        if (role == SortRole) return qlonglong(r.ts);
        return QDateTime::fromMSecsSinceEpoch(r.ts / 1000, QTimeZone::utc())
            .toLocalTime()
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Action:
        return r.action == 0 ? tr("block") : tr("allow");
    case Source:
        return QString::fromStdString(r.src.toString());
    case SourcePort:
        return port(r.srcPort);
    case Destination:
        return r.dst.isValid() ? QString::fromStdString(r.dst.toString()) : QString();
    case DestinationPort:
        return port(r.dstPort);
    case Protocol:
        return r.proto ? QString::fromStdString(core::protoName(*r.proto)) : QString();
    case Category:
        return QString::fromStdString(core::sanitizeForDisplay(r.category));
    case Rule:
        return QString::fromStdString(core::sanitizeForDisplay(r.rule));
    case Interface:
        return QString::fromStdString(core::sanitizeForDisplay(r.iface));
    case Count:
        return qlonglong(r.count);
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Action:
        return tr("Action");
    case Source:
        return tr("Source");
    case SourcePort:
        return tr("Src port");
    case Destination:
        return tr("Destination");
    case DestinationPort:
        return tr("Dst port");
    case Protocol:
        return tr("Protocol");
    case Category:
        return tr("Category");
    case Rule:
        return tr("Rule");
    case Interface:
        return tr("Interface");
    case Count:
        return tr("Packets");
    default:
        return {};
    }
}

} // namespace tattle::app
