// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt first: moc (Qt 6.4) cannot parse libstdc++'s C++23 headers unless a Qt header came before them.
// clang-format off
#include <QDialog>
// clang-format on

#include "core/settings.h"

#include <filesystem>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace tattle::app {

/// The settings (core/settings.h, shared with the command line): reporter identity, SMTP account (the
/// password goes to the system keychain when there is one), log time zone, masking, templates, lookup
/// options and the database location.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const core::Settings& settings, std::filesystem::path file, QWidget* parent = nullptr);

    /// The settings as the fields say (not validated).
    core::Settings settings() const;
    /// The password typed ("" when left empty: the stored one stays).
    QString password() const;
    /// Validates, writes the file and stores the password; false (and the reason shown) when invalid.
    bool save();
    QString errorText() const;

    // For tests.
    QLineEdit* reporterName() const noexcept { return m_name; }
    QLineEdit* reporterEmail() const noexcept { return m_email; }
    QLineEdit* smtpUrl() const noexcept { return m_smtpUrl; }
    QPlainTextEdit* ownNetworks() const noexcept { return m_own; }
    QCheckBox* maskOwn() const noexcept { return m_mask; }

private:
    core::Settings m_original;
    std::filesystem::path m_file;
    QLineEdit *m_name, *m_email, *m_org, *m_clock, *m_smtpUrl, *m_smtpUser, *m_password, *m_maskText, *m_db;
    QComboBox *m_zone, *m_template, *m_machine;
    QPlainTextEdit *m_own, *m_allow;
    QCheckBox *m_mask, *m_rdap, *m_whois;
    QSpinBox *m_cooldown, *m_prefix;
    QLabel *m_error, *m_keychain;
};

} // namespace tattle::app
