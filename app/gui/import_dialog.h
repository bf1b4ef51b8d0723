// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt first: moc (Qt 6.4) cannot parse libstdc++'s C++23 headers unless a Qt header came before them.
// clang-format off
#include <QDialog>
// clang-format on

#include "app/gui/snapshots.h"

class QComboBox;
class QLabel;
class QSpinBox;

namespace tattle::app {

/// Asks how to read one log file: the format (detection's choice preselected, any other one choosable),
/// and the time zone and year when the format's timestamps leave them open.
class ImportDialog : public QDialog {
    Q_OBJECT
public:
    ImportDialog(const QString& file, const FormatGuess& guess,
        const std::vector<std::pair<std::string, std::string>>& formats, const QString& defaultZone,
        QWidget* parent = nullptr);
    /// What the user chose.
    ImportRequest request() const;
    QComboBox* formatBox() const noexcept { return m_format; }
    QComboBox* zoneBox() const noexcept { return m_zone; }
    QSpinBox* yearBox() const noexcept { return m_year; }

private:
    QString m_file;
    QComboBox *m_format, *m_zone;
    QSpinBox* m_year;
};

} // namespace tattle::app
