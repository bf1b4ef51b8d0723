// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt first: moc (Qt 6.4) cannot parse libstdc++'s C++23 headers unless a Qt header came before them.
// clang-format off
#include <QWidget>
// clang-format on

#include "app/gui/snapshots.h"

class QChartView;
class QChart;

namespace tattle::app {

/// Qt Charts: events over time, top destination ports with their meaning, top sources, top organisations
/// (ISPs) and countries.
class ChartsView : public QWidget {
    Q_OBJECT
public:
    explicit ChartsView(QWidget* parent = nullptr);
    void setData(const ChartData& data);
    /// Bars shown per chart (tests).
    int barCount(int chart) const;

private:
    QChartView* m_views[5];
    std::vector<int> m_bars = std::vector<int>(5, 0);
};

} // namespace tattle::app
