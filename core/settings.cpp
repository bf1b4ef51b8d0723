// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/settings.h"

#include "core/resolver/json_guard.h"
#include "core/resolver/network_info.h"
#include "core/resources.h"
#include "core/text_util.h"
#include "core/time.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace tattle::core {

namespace {

using nlohmann::json;

/// What went wrong with one value, before the file name is put in front.
struct Problem {
    std::string pointer;
    std::string reason;
};

std::string describe(std::string_view origin, const Problem& p)
{
    return std::string(origin) + ": " + (p.pointer.empty() ? std::string("/") : p.pointer) + ": " + p.reason;
}

/// A key as a JSON pointer token (RFC 6901: "~" as "~0", "/" as "~1"), made printable.
std::string pointerToken(std::string_view key)
{
    std::string out;
    for (char c : sanitizeForDisplay(key.substr(0, 100))) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

bool hasControl(std::string_view s) noexcept
{
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7F) return true;
    }
    // C1 controls and the Unicode line/paragraph separators, which some mail clients treat as line ends.
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        const auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]);
        if (a == 0xC2 && b >= 0x80 && b <= 0x9F) return true;
        if (a == 0xE2 && i + 2 < s.size() && b == 0x80) {
            const auto c = static_cast<unsigned char>(s[i + 2]);
            if (c == 0xA8 || c == 0xA9) return true;
        }
    }
    return false;
}

std::optional<Problem> checkLine(std::string_view pointer, std::string_view value, std::size_t maxChars)
{
    if (!isValidUtf8(value)) return Problem {std::string(pointer), "not valid UTF-8 text."};
    if (value.size() > maxChars)
        return Problem {std::string(pointer),
            "too long (" + std::to_string(value.size()) + " bytes; at most " + std::to_string(maxChars)
                + ")."};
    if (hasControl(value))
        return Problem {std::string(pointer), "holds a line break or another control character."};
    return std::nullopt;
}

bool isAtext(char c) noexcept
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::strchr("!#$%&'*+/=?^_`{|}~-", c) != nullptr && c != '\0';
}

std::optional<Problem> validate(const Settings& s)
{
    using P = std::optional<Problem>;
    const std::pair<const char*, const std::string*> lines[] = {
        {"/reporter/name", &s.reporter.name},
        {"/reporter/organisation", &s.reporter.organisation},
        {"/reporter/clock", &s.reporter.clock},
        {"/reporter/email", &s.reporter.email},
        {"/smtp/user", &s.smtp.user},
        {"/smtp/password", &s.smtp.password},
        {"/ownAddressMask", &s.ownAddressMask},
        {"/templateName", &s.templateName},
        {"/logTimeZone", &s.logTimeZone},
    };
    for (const auto& [ptr, value] : lines) {
        if (P p = checkLine(ptr, *value, kMaxSettingTextChars)) return p;
    }
    if (P p = checkLine("/smtp/url", s.smtp.url, kMaxSettingPathChars)) return p;
    if (P p = checkLine("/databasePath", s.databasePath, kMaxSettingPathChars)) return p;

    if (!s.reporter.email.empty() && !isPlausibleEmail(s.reporter.email))
        return Problem {"/reporter/email", "'" + s.reporter.email + "' is not an e-mail address."};
    if (!s.smtp.url.empty()) {
        const std::string& u = s.smtp.url;
        const bool plain = u.starts_with("smtp://"), tls = u.starts_with("smtps://");
        if (!plain && !tls) return Problem {"/smtp/url", "'" + u + "' is not an smtp:// or smtps:// URL."};
        const std::string_view rest = std::string_view(u).substr(plain ? 7 : 8);
        const std::string_view authority = rest.substr(0, rest.find('/'));
        if (authority.empty() || authority.find(' ') != std::string_view::npos)
            return Problem {"/smtp/url", "'" + u + "' names no server."};
        const auto at = authority.rfind('@');
        if (at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos)
            return Problem {"/smtp/url",
                "holds a password; put the user in smtp.user and the password in smtp.password or "
                "TATTLE_SMTP_PASSWORD."};
    }
    if (!s.logTimeZone.empty()) {
        if (auto z = TimeZone::fromName(s.logTimeZone); !z)
            return Problem {
                "/logTimeZone", "'" + s.logTimeZone + "' is not a time zone (e.g. Europe/Berlin, UTC)."};
    }
    for (const auto& [ptr, list] :
        {std::pair {"/ownNetworks", &s.ownNetworks}, std::pair {"/allowList", &s.allowList}}) {
        if (list->size() > kMaxSettingListEntries)
            return Problem {
                ptr, "too many entries (at most " + std::to_string(kMaxSettingListEntries) + ")."};
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string p = std::string(ptr) + "/" + std::to_string(i);
            if (P bad = checkLine(p, (*list)[i], kMaxSettingTextChars)) return bad;
            if (!resolver::IpRange::parse((*list)[i]))
                return Problem {
                    p, "'" + (*list)[i] + "' is not an address or network (CIDR, e.g. 192.0.2.0/24)."};
        }
    }
    if (s.maskOwnAddress && s.ownAddressMask.empty())
        return Problem {"/ownAddressMask", "is empty while maskOwnAddress is on."};
    if (s.templateName.empty()
        || s.templateName.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
            != std::string::npos
        || s.templateName.front() == '.')
        return Problem {"/templateName",
            "'" + s.templateName + "' is not a template name (letters, digits, '.', '_' and '-')."};
    if (s.machineReadable != "none" && s.machineReadable != "xarf4" && s.machineReadable != "xarf02")
        return Problem {"/machineReadable", "'" + s.machineReadable + "' is not one of none, xarf4, xarf02."};
    if (s.cooldownDays < 0 || s.cooldownDays > 3650)
        return Problem {"/cooldownDays", std::to_string(s.cooldownDays) + " is not between 0 and 3650."};
    if (s.ipv6Prefix < 1 || s.ipv6Prefix > 128)
        return Problem {"/ipv6Prefix", std::to_string(s.ipv6Prefix) + " is not between 1 and 128."};
    return std::nullopt;
}

json toJson(const Settings& s, bool withPassword)
{
    json smtp = {{"url", s.smtp.url}, {"user", s.smtp.user}};
    if (withPassword && !s.smtp.password.empty()) smtp["password"] = s.smtp.password;
    return json {
        {"reporter",
            {{"name", s.reporter.name}, {"email", s.reporter.email},
                {"organisation", s.reporter.organisation}, {"clock", s.reporter.clock}}},
        {"smtp", smtp},
        {"logTimeZone", s.logTimeZone},
        {"ownNetworks", s.ownNetworks},
        {"allowList", s.allowList},
        {"maskOwnAddress", s.maskOwnAddress},
        {"ownAddressMask", s.ownAddressMask},
        {"templateName", s.templateName},
        {"machineReadable", s.machineReadable},
        {"cooldownDays", s.cooldownDays},
        {"ipv6Prefix", s.ipv6Prefix},
        {"useRdap", s.useRdap},
        {"useWhois", s.useWhois},
        {"databasePath", s.databasePath},
    };
}

/// Reads the values of `j` into s; type errors and unknown keys as described in the header.
std::optional<Problem> fromJson(const json& j, Settings& s, std::vector<std::string>& unknown)
{
    if (!j.is_object()) return Problem {"", "the settings must be a JSON object."};
    auto text = [](const json& v, const std::string& ptr, std::string& out) -> std::optional<Problem> {
        if (!v.is_string()) return Problem {ptr, "must be a text (a JSON string)."};
        out = v.get<std::string>();
        return std::nullopt;
    };
    auto flag = [](const json& v, const std::string& ptr, bool& out) -> std::optional<Problem> {
        if (!v.is_boolean()) return Problem {ptr, "must be true or false."};
        out = v.get<bool>();
        return std::nullopt;
    };
    auto integer = [](const json& v, const std::string& ptr, int& out) -> std::optional<Problem> {
        if (!v.is_number_integer()) return Problem {ptr, "must be a whole number."};
        const auto n = v.get<std::int64_t>();
        if (n < -1'000'000 || n > 1'000'000) return Problem {ptr, std::to_string(n) + " is out of range."};
        out = int(n);
        return std::nullopt;
    };
    auto list
        = [](const json& v, const std::string& ptr, std::vector<std::string>& out) -> std::optional<Problem> {
        if (!v.is_array()) return Problem {ptr, "must be a list of texts (a JSON array)."};
        if (v.size() > kMaxSettingListEntries)
            return Problem {
                ptr, "too many entries (at most " + std::to_string(kMaxSettingListEntries) + ")."};
        out.clear();
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string())
                return Problem {ptr + "/" + std::to_string(i), "must be a text (a JSON string)."};
            out.push_back(v[i].get<std::string>());
        }
        return std::nullopt;
    };
    auto object
        = [&unknown](const json& v, const std::string& ptr,
              const std::vector<std::pair<const char*, std::string*>>& fields) -> std::optional<Problem> {
        if (!v.is_object()) return Problem {ptr, "must be an object."};
        for (const auto& [key, value] : v.items()) {
            const std::string p = ptr + "/" + pointerToken(key);
            bool known = false;
            for (const auto& [name, target] : fields) {
                if (key == name) {
                    known = true;
                    if (!value.is_string()) return Problem {p, "must be a text (a JSON string)."};
                    *target = value.get<std::string>();
                }
            }
            if (!known) unknown.push_back(p);
        }
        return std::nullopt;
    };
    for (const auto& [key, v] : j.items()) {
        const std::string p = "/" + pointerToken(key);
        std::optional<Problem> pr;
        if (key == "reporter")
            pr = object(v, p,
                {{"name", &s.reporter.name}, {"email", &s.reporter.email},
                    {"organisation", &s.reporter.organisation}, {"clock", &s.reporter.clock}});
        else if (key == "smtp")
            pr = object(v, p, {{"url", &s.smtp.url}, {"user", &s.smtp.user}, {"password", &s.smtp.password}});
        else if (key == "logTimeZone")
            pr = text(v, p, s.logTimeZone);
        else if (key == "ownNetworks")
            pr = list(v, p, s.ownNetworks);
        else if (key == "allowList")
            pr = list(v, p, s.allowList);
        else if (key == "maskOwnAddress")
            pr = flag(v, p, s.maskOwnAddress);
        else if (key == "ownAddressMask")
            pr = text(v, p, s.ownAddressMask);
        else if (key == "templateName")
            pr = text(v, p, s.templateName);
        else if (key == "machineReadable")
            pr = text(v, p, s.machineReadable);
        else if (key == "cooldownDays")
            pr = integer(v, p, s.cooldownDays);
        else if (key == "ipv6Prefix")
            pr = integer(v, p, s.ipv6Prefix);
        else if (key == "useRdap")
            pr = flag(v, p, s.useRdap);
        else if (key == "useWhois")
            pr = flag(v, p, s.useWhois);
        else if (key == "databasePath")
            pr = text(v, p, s.databasePath);
        else
            unknown.push_back(p);
        if (pr) return pr;
    }
    return std::nullopt;
}

std::string fileOrigin(const std::filesystem::path& file)
{
    return "Settings file '" + file.string() + "'";
}

} // namespace

bool isPlausibleEmail(std::string_view text) noexcept
{
    if (text.empty() || text.size() > 254) return false;
    const auto at = text.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64) return false;
    const std::string_view local = text.substr(0, at), domain = text.substr(at + 1);
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return false;
    for (char c : local) {
        if (c != '.' && !isAtext(c)) return false;
    }
    if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos) return false;
    std::size_t labelStart = 0;
    for (std::size_t i = 0; i <= domain.size(); ++i) {
        if (i == domain.size() || domain[i] == '.') {
            const std::string_view label = domain.substr(labelStart, i - labelStart);
            if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
                return false;
            labelStart = i + 1;
            continue;
        }
        const char c = domain[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

std::filesystem::path defaultSettingsPath()
{
    return userConfigDir() / "settings.json";
}

Result<void> validateSettings(const Settings& s, std::string_view origin)
{
    if (auto p = validate(s)) return fail(ErrorKind::Config, describe(origin, *p));
    return {};
}

std::string settingsToJson(const Settings& s, bool withPassword)
{
    return toJson(s, withPassword).dump(2) + "\n";
}

Result<Settings> loadSettings(const std::filesystem::path& file, std::vector<std::string>* warnings)
{
    const std::string origin = fileOrigin(file);
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT) return Settings {};
        return fail(ErrorKind::Config, origin + " cannot be read: " + std::strerror(errno) + ".");
    }
    struct stat st { };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(ErrorKind::Config, origin + " is not a regular file.");
    }
    if (std::size_t(st.st_size) > kMaxSettingsFileBytes) {
        ::close(fd);
        return fail(ErrorKind::Config,
            origin + " is too large (" + std::to_string(st.st_size) + " bytes; at most "
                + std::to_string(kMaxSettingsFileBytes) + ").");
    }
    std::string text;
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            return fail(ErrorKind::Config, origin + " cannot be read: " + std::strerror(errno) + ".");
        }
        if (n == 0) break;
        text.append(buf, std::size_t(n));
        if (text.size() > kMaxSettingsFileBytes) {
            ::close(fd);
            return fail(ErrorKind::Config, origin + " is too large.");
        }
    }
    ::close(fd);

    if (!isValidUtf8(text)) return fail(ErrorKind::Config, origin + " is not valid UTF-8 text.");
    auto parsed = resolver::parseUntrustedJson(text, kMaxSettingsFileBytes, origin, ErrorKind::Config);
    if (!parsed) return std::unexpected(parsed.error());
    Settings s;
    std::vector<std::string> unknown;
    if (auto p = fromJson(*parsed, s, unknown)) return fail(ErrorKind::Config, describe(origin, *p));
    if (auto p = validate(s)) return fail(ErrorKind::Config, describe(origin, *p));
    if (!s.smtp.password.empty() && (st.st_mode & 077) != 0)
        return fail(ErrorKind::Config,
            describe(origin,
                {"/smtp/password",
                    "the file holds the SMTP password but others can read it; run chmod 600 on it."}));
    if (warnings) {
        for (const auto& k : unknown)
            warnings->push_back(origin + ": " + k + ": unknown setting, ignored.");
    }
    return s;
}

Result<void> saveSettings(const Settings& s, const std::filesystem::path& file)
{
    const std::string origin = fileOrigin(file);
    if (auto p = validate(s)) return fail(ErrorKind::Config, describe("Settings", *p));
    std::error_code ec;
    const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::exists(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec)
            return fail(
                ErrorKind::Io, "Cannot create the folder '" + dir.string() + "': " + ec.message() + ".");
        ::chmod(dir.c_str(), 0700);
    }
    const std::string data = settingsToJson(s, true);
    std::string tmp = (dir / ("." + file.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(tmp.data()); // created 0600
    if (fd < 0) return fail(ErrorKind::Io, origin + " cannot be written: " + std::strerror(errno) + ".");
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return fail(ErrorKind::Io, origin + " cannot be written: " + why + ".");
        }
        done += std::size_t(n);
    }
    if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        return fail(ErrorKind::Io, origin + " cannot be written: " + why + ".");
    }
    if (::rename(tmp.c_str(), file.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        return fail(ErrorKind::Io, origin + " cannot be written: " + why + ".");
    }
    return {};
}

std::vector<std::string> settingKeys()
{
    std::vector<std::string> keys;
    const json j = toJson(Settings {}, false);
    for (const auto& [k, v] : j.items()) {
        if (v.is_object()) {
            for (const auto& [k2, v2] : v.items())
                keys.push_back(k + "." + k2);
            if (k == "smtp") keys.push_back("smtp.password");
        } else {
            keys.push_back(k);
        }
    }
    return keys;
}

Result<void> setSetting(Settings& s, std::string_view key, std::string_view value)
{
    const auto keys = settingKeys();
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
        return fail(ErrorKind::Usage,
            "Unknown setting '" + sanitizeForDisplay(key) + "' (see `tattle settings show`).");
    json j = toJson(s, true);
    std::string pointer = "/" + std::string(key);
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    const json::json_pointer ptr(pointer);
    const json& current = j.contains(ptr) ? j.at(ptr) : json(std::string());
    const std::string v(value);
    json next;
    if (current.is_boolean()) {
        if (v == "true" || v == "yes" || v == "on" || v == "1")
            next = true;
        else if (v == "false" || v == "no" || v == "off" || v == "0")
            next = false;
        else
            return fail(ErrorKind::Config,
                "Setting " + std::string(key) + ": '" + sanitizeForDisplay(v) + "' is not true or false.");
    } else if (current.is_number_integer()) {
        int n = 0;
        const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
        if (r.ec != std::errc() || r.ptr != v.data() + v.size())
            return fail(ErrorKind::Config,
                "Setting " + std::string(key) + ": '" + sanitizeForDisplay(v) + "' is not a whole number.");
        next = n;
    } else if (current.is_array()) {
        next = json::array();
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            while (!item.empty() && item.front() == ' ')
                item.remove_prefix(1);
            while (!item.empty() && item.back() == ' ')
                item.remove_suffix(1);
            if (!item.empty()) next.push_back(std::string(item));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    } else {
        next = v;
    }
    j[ptr] = next;
    Settings copy;
    std::vector<std::string> unknown;
    if (auto p = fromJson(j, copy, unknown))
        return fail(ErrorKind::Config, describe("Setting " + std::string(key), *p));
    if (auto p = validate(copy)) return fail(ErrorKind::Config, describe("Setting " + std::string(key), *p));
    s = std::move(copy);
    return {};
}

} // namespace tattle::core
