// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/events_view.h"

#include "core/event.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <chrono>

namespace tattle::app {

namespace {

QLineEdit* field(const QString& placeholder, const QString& accessibleName, QWidget* parent)
{
    auto* e = new QLineEdit(parent);
    e->setPlaceholderText(placeholder);
    e->setAccessibleName(accessibleName);
    e->setClearButtonEnabled(true);
    return e;
}

} // namespace

EventsView::EventsView(JobCounter* jobs, QWidget* parent)
    : QWidget(parent)
    , m_model(new EventTableModel(jobs, this))
    , m_table(new QTableView(this))
{
    m_since = field(tr("from: 2024-03-01 or 7d"), tr("Events from"), this);
    m_until = field(tr("until: 2024-03-31"), tr("Events until"), this);
    m_source = field(tr("source address"), tr("Source address filter"), this);
    m_port = field(tr("port"), tr("Destination port filter"), this);
    m_text = field(tr("rule, interface or category text"), tr("Text filter"), this);
    m_protocol = new QComboBox(this);
    m_protocol->setAccessibleName(tr("Protocol filter"));
    m_protocol->addItem(tr("any protocol"), -1);
    for (int p : {core::proto::kTcp, core::proto::kUdp, core::proto::kIcmp, core::proto::kIcmpV6})
        m_protocol->addItem(QString::fromStdString(core::protoName(p)), p);
    m_category = new QComboBox(this);
    m_category->setAccessibleName(tr("Category filter"));
    m_category->addItem(tr("any category"), QString());
    auto* apply = new QPushButton(tr("&Filter"), this);
    apply->setAccessibleName(tr("Apply the filter"));
    apply->setDefault(true);
    auto* clear = new QPushButton(tr("C&lear"), this);
    clear->setAccessibleName(tr("Clear the filter"));
    m_status = new QLabel(this);
    m_status->setAccessibleName(tr("Matching events"));

    auto* bar = new QHBoxLayout;
    for (QWidget* w : std::initializer_list<QWidget*> {
             m_since, m_until, m_source, m_port, m_protocol, m_category, m_text, apply, clear})
        bar->addWidget(w);
    m_port->setMaximumWidth(80);

    m_table->setModel(m_model);
    m_table->setAccessibleName(tr("Events"));
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(EventTableModel::Time, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(EventTableModel::Time, 150);
    m_table->setColumnWidth(EventTableModel::Source, 170);
    m_table->setColumnWidth(EventTableModel::Destination, 170);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    for (QLineEdit* e : {m_since, m_until, m_source, m_port, m_text})
        connect(e, &QLineEdit::returnPressed, this, &EventsView::applyFilter);
    connect(apply, &QPushButton::clicked, this, &EventsView::applyFilter);
    connect(clear, &QPushButton::clicked, this, &EventsView::clearFilter);
    connect(m_model, &EventTableModel::countChanged, this,
        [this](qint64 n) { m_status->setText(tr("%1 events match").arg(QLocale().toString(n))); });
    connect(m_model, &EventTableModel::failed, this, [this](const QString& m) { m_status->setText(m); });
}

void EventsView::setDatabase(const std::filesystem::path& db)
{
    m_model->setDatabase(db);
}

void EventsView::setCategories(const QStringList& ids)
{
    while (m_category->count() > 1)
        m_category->removeItem(1);
    for (const auto& id : ids)
        m_category->addItem(id, id);
}

void EventsView::showSource(const QString& address)
{
    clearFilter();
    m_source->setText(address);
    applyFilter();
}

std::optional<core::BrowseFilter> EventsView::filterFromFields(QString* error) const
{
    core::BrowseFilter f;
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
                         .count();
    for (auto [edit, target] : {std::pair {m_since, &f.since}, std::pair {m_until, &f.until}}) {
        const QString t = edit->text().trimmed();
        if (t.isEmpty()) continue;
        auto v = core::parseTimeArgument(t.toStdString(), now);
        if (!v) {
            if (error)
                *error = tr("Cannot read the time '%1': give e.g. 2024-03-01, 2024-03-01T12:00:00Z or 7d.")
                             .arg(t);
            return std::nullopt;
        }
        *target = *v;
    }
    if (const QString s = m_source->text().trimmed(); !s.isEmpty()) {
        auto ip = core::IpAddress::parse(s.toStdString());
        if (!ip) {
            if (error) *error = tr("'%1' is not an IPv4 or IPv6 address.").arg(s);
            return std::nullopt;
        }
        f.source = *ip;
    }
    if (const QString p = m_port->text().trimmed(); !p.isEmpty()) {
        bool ok = false;
        const int port = p.toInt(&ok);
        if (!ok || port < 0 || port > 65535) {
            if (error) *error = tr("'%1' is not a port number (0-65535).").arg(p);
            return std::nullopt;
        }
        f.port = port;
    }
    if (const int proto = m_protocol->currentData().toInt(); proto >= 0) f.protocol = proto;
    f.category = m_category->currentData().toString().toStdString();
    f.text = m_text->text().trimmed().toStdString();
    return f;
}

void EventsView::applyFilter()
{
    QString error;
    auto f = filterFromFields(&error);
    if (!f) {
        m_status->setText(error);
        return;
    }
    m_status->setText(tr("Counting..."));
    m_model->setFilter(*f);
}

void EventsView::clearFilter()
{
    for (QLineEdit* e : {m_since, m_until, m_source, m_port, m_text})
        e->clear();
    m_protocol->setCurrentIndex(0);
    m_category->setCurrentIndex(0);
    applyFilter();
}

} // namespace tattle::app
