// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/charts_view.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFont>
#include <QGridLayout>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QValueAxis>

namespace tattle::app {

namespace {

QChart* emptyChart(const QString& title)
{
    auto* c = new QChart;
    c->setTitle(title);
    c->legend()->hide();
    c->setAnimationOptions(QChart::NoAnimation);
    return c;
}

/// A horizontal bar chart, biggest bar at the top.
QChart* barChart(const QString& title, const std::vector<std::pair<QString, qint64>>& rows)
{
    auto* c = emptyChart(title);
    auto* set = new QBarSet(title);
    QStringList labels;
    qint64 max = 1;
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
        *set << double(it->second);
        labels << (it->first.size() > 36 ? it->first.left(33) + QStringLiteral("...") : it->first);
        max = std::max(max, it->second);
    }
    if (rows.empty()) c->setTitle(title + QStringLiteral(" - ") + QObject::tr("nothing to show yet"));
    auto* series = new QHorizontalBarSeries;
    series->append(set);
    c->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(labels);
    QFont small = y->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    y->setLabelsFont(small);
    y->setTruncateLabels(false); // the chart makes room for the whole label (at most 36 characters)
    c->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    auto* x = new QValueAxis;
    x->setRange(0, double(max));
    x->setLabelFormat(QStringLiteral("%.0f"));
    c->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    return c;
}

/// Replaces a view's chart; the view gives up the old one without deleting it.
void replaceChart(QChartView* view, QChart* chart)
{
    QChart* old = view->chart();
    view->setChart(chart);
    delete old;
}

} // namespace

ChartsView::ChartsView(QWidget* parent)
    : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    const QString names[] = {tr("Events over time"), tr("Top destination ports"), tr("Top sources"),
        tr("Top ISPs and organisations"), tr("Top countries")};
    for (int i = 0; i < 5; ++i) {
        m_views[i] = new QChartView(emptyChart(names[i]), this);
        m_views[i]->setAccessibleName(names[i]);
        m_views[i]->setRenderHint(QPainter::Antialiasing);
        m_views[i]->setMinimumHeight(160);
    }
    grid->addWidget(m_views[0], 0, 0, 1, 2);
    grid->addWidget(m_views[1], 1, 0);
    grid->addWidget(m_views[2], 1, 1);
    grid->addWidget(m_views[3], 2, 0);
    grid->addWidget(m_views[4], 2, 1);
    grid->setRowStretch(0, 2);
    grid->setRowStretch(1, 3);
    grid->setRowStretch(2, 3);
}

int ChartsView::barCount(int chart) const
{
    return chart >= 0 && chart < 5 ? m_bars[std::size_t(chart)] : 0;
}

void ChartsView::setData(const ChartData& chartData)
{
    const auto& s = chartData.stats;
    {
        auto* c = emptyChart(tr("Events over time"));
        if (s.overTime.empty()) c->setTitle(tr("Events over time - nothing to show yet"));
        auto* series = new QLineSeries;
        series->setPointsVisible(s.overTime.size() < 3);
        qint64 max = 1;
        for (const auto& b : s.overTime) {
            series->append(double(b.start / 1000), double(b.events));
            max = std::max<qint64>(max, b.events);
        }
        c->addSeries(series);
        auto* x = new QDateTimeAxis;
        x->setFormat(s.bucketSize >= 24LL * 3600 * 1'000'000 ? QStringLiteral("yyyy-MM-dd")
                                                             : QStringLiteral("MM-dd HH:mm"));
        if (!s.overTime.empty())
            x->setRange(QDateTime::fromMSecsSinceEpoch(s.overTime.front().start / 1000),
                QDateTime::fromMSecsSinceEpoch((s.overTime.back().start + s.bucketSize) / 1000));
        c->addAxis(x, Qt::AlignBottom);
        series->attachAxis(x);
        auto* y = new QValueAxis;
        y->setRange(0, double(max));
        y->setLabelFormat(QStringLiteral("%.0f"));
        c->addAxis(y, Qt::AlignLeft);
        series->attachAxis(y);
        replaceChart(m_views[0], c);
        m_bars[0] = int(s.overTime.size());
    }
    std::vector<std::pair<QString, qint64>> ports, sources, owners, countries;
    for (std::size_t i = 0; i < s.topPorts.size(); ++i)
        ports.emplace_back(
            QString::fromStdString(i < chartData.portLabels.size() ? chartData.portLabels[i] : ""),
            s.topPorts[i].events);
    for (const auto& n : s.topSources)
        sources.emplace_back(QString::fromStdString(n.name), n.events);
    for (const auto& n : s.topOwners)
        owners.emplace_back(QString::fromStdString(n.name), n.events);
    for (const auto& n : s.topCountries)
        countries.emplace_back(QString::fromStdString(n.name), n.events);
    const std::pair<const char*, std::vector<std::pair<QString, qint64>>*> bars[]
        = {{QT_TR_NOOP("Top destination ports"), &ports}, {QT_TR_NOOP("Top sources"), &sources},
            {QT_TR_NOOP("Top ISPs and organisations"), &owners}, {QT_TR_NOOP("Top countries"), &countries}};
    for (int i = 0; i < 4; ++i) {
        replaceChart(m_views[i + 1], barChart(tr(bars[i].first), *bars[i].second));
        m_bars[std::size_t(i + 1)] = int(bars[i].second->size());
    }
}

} // namespace tattle::app
