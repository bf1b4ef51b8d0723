// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

/// The user's settings: $XDG_CONFIG_HOME/tattle/settings.json (default ~/.config/tattle/settings.json),
/// shared by the command line and the desktop app. JSON keys are the member names below, nested as the
/// structs are ("reporter": {"name": ...}, "smtp": {...}, "cooldownDays": 7, ...).
namespace tattle::core {

/// Who complains (the From of complaints and the signature under them).
struct ReporterSettings {
    std::string name; ///< display name, one line
    std::string email; ///< the reply address; "" until the user sets it
    std::string organisation;
    std::string clock; ///< how the firewall's clock is kept, e.g. "kept in sync by NTP"; "" = not stated
};

/// The submission server complaints are sent through.
struct SmtpSettings {
    std::string url; ///< smtp://host:587 (STARTTLS) or smtps://host:465 (implicit TLS); "" = not set
    std::string user; ///< login; "" = the URL's user, or no login
    /// Only ever read from the settings file, which must then be readable by the user alone (0600). The
    /// GUI keeps it in the system keychain instead; the CLI prefers TATTLE_SMTP_PASSWORD.
    std::string password;
};

/// Everything the user can set. Defaults are the values a missing file gives.
struct Settings {
    ReporterSettings reporter;
    SmtpSettings smtp;
    std::string logTimeZone; ///< IANA name (or UTC, +01:00), "" = the system's
    std::vector<std::string> ownNetworks; ///< the user's own addresses/networks (CIDR), never reported
    std::vector<std::string>
        allowList; ///< networks never complained about (a scanning service the user ordered)
    bool maskOwnAddress = false; ///< replace the user's addresses in complaints by ownAddressMask
    std::string ownAddressMask = "[my address]";
    std::string templateName = "abuse-complaint"; ///< resources/templates/<name>.txt or the user's own
    std::string machineReadable = "xarf4"; ///< none | xarf4 | xarf02
    int cooldownDays = 7; ///< days between two complaints to one contact (0: none)
    int ipv6Prefix = 64; ///< IPv6 sources in one prefix of this length count as one source
    bool useRdap = true, useWhois = true;
    std::string databasePath; ///< "" = the default ($XDG_DATA_HOME/tattle/tattle.db)
};

/// Bounds on what a settings file may hold (a hostile or broken file gives errors, not huge allocations).
inline constexpr std::size_t kMaxSettingsFileBytes = 1 << 20;
inline constexpr std::size_t kMaxSettingTextChars = 256; ///< names, e-mail, clock, mask, user
inline constexpr std::size_t kMaxSettingPathChars = 4096; ///< URL, database path
inline constexpr std::size_t kMaxSettingListEntries = 10'000; ///< ownNetworks, allowList

/// $XDG_CONFIG_HOME/tattle/settings.json.
std::filesystem::path defaultSettingsPath();

/// Reads settings. A missing file gives the defaults. Errors (ErrorKind::Config) name the file, the JSON
/// pointer of the value and the reason: not JSON, a wrong type, a string too long or holding control
/// characters (CR/LF in a name), an invalid e-mail address, CIDR, time zone, URL or choice, a number out
/// of range, a password in a file others can read. Unknown keys are not errors: each one is named in
/// `warnings` (when given).
Result<Settings> loadSettings(
    const std::filesystem::path& file, std::vector<std::string>* warnings = nullptr);

/// Writes settings atomically (a temporary file in the same folder renamed over the old one), mode 0600,
/// creating the folder (0700) when missing. The settings are validated first (the same checks as loading).
Result<void> saveSettings(const Settings& s, const std::filesystem::path& file);

/// The checks loadSettings() makes, on settings built in code (e.g. by the GUI's dialog). `origin`
/// prefixes the messages, e.g. "Settings".
Result<void> validateSettings(const Settings& s, std::string_view origin = "Settings");

/// The settings as JSON text (2-space indented, every key present). The password is left out unless
/// `withPassword`.
std::string settingsToJson(const Settings& s, bool withPassword);

/// Every key `tattle settings set` takes, dotted: "reporter.name", "smtp.url", "cooldownDays", ...
std::vector<std::string> settingKeys();

/// Sets one value by dotted key from text as a user types it: "true"/"false" for flags, a number, a text,
/// or a comma-separated list for ownNetworks/allowList ("" clears it). The result is validated; errors
/// (Usage for an unknown key, Config for a bad value) leave s unchanged.
Result<void> setSetting(Settings& s, std::string_view key, std::string_view value);

/// True when text is an e-mail address tattle accepts (dot-atom local part, a domain of letters, digits
/// and hyphens with at least one dot, ASCII, at most 254 characters).
bool isPlausibleEmail(std::string_view text) noexcept;

} // namespace tattle::core
