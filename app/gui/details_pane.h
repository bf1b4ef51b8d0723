// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt first: moc (Qt 6.4) cannot parse libstdc++'s C++23 headers unless a Qt header came before them.
// clang-format off
#include <QWidget>
// clang-format on

#include "app/gui/snapshots.h"

class QLabel;
class QPlainTextEdit;
class QTabWidget;

namespace tattle::app {

/// The selected source: what the lookup found, what it aimed at, its original log lines and the raw
/// WHOIS/RDAP record from the cache.
class DetailsPane : public QWidget {
    Q_OBJECT
public:
    explicit DetailsPane(QWidget* parent = nullptr);
    void clear();
    void setDetails(const SourceDetails& d);
    QString summaryText() const;
    QString logLinesText() const;
    QString registryText() const;

private:
    QLabel* m_title;
    QTabWidget* m_tabs;
    QPlainTextEdit *m_summary, *m_lines, *m_record;
};

} // namespace tattle::app
