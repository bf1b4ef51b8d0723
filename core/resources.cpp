// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resources.h"

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>
#include <vector>

namespace tattle::core {

namespace {

bool holdsResources(const std::filesystem::path& dir)
{
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / "signatures.json", ec);
}

std::filesystem::path homeDir()
{
    if (const char* h = std::getenv("HOME"); h && *h) return h;
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) return pw->pw_dir;
    return std::filesystem::temp_directory_path();
}

std::filesystem::path xdgDir(const char* variable, const char* fallback)
{
    // The XDG spec says a relative path in these variables is invalid and must be ignored.
    if (const char* v = std::getenv(variable); v && *v == '/') return std::filesystem::path(v) / "tattle";
    return homeDir() / fallback / "tattle";
}

} // namespace

Result<std::filesystem::path> resourcesDir()
{
    std::vector<std::filesystem::path> tried;
    if (const char* env = std::getenv("TATTLE_RESOURCES_DIR"); env && *env) tried.emplace_back(env);
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) tried.push_back(exe.parent_path().parent_path() / "share" / "tattle");
    tried.emplace_back(TATTLE_SOURCE_RESOURCES_DIR);
    tried.emplace_back(TATTLE_INSTALL_RESOURCES_DIR);
    for (const auto& dir : tried) {
        if (holdsResources(dir)) return dir;
    }
    std::string list;
    for (const auto& dir : tried)
        list += (list.empty() ? "" : ", ") + dir.string();
    return fail(ErrorKind::Config,
        "Cannot find tattle's resources (looked in " + list
            + "); set TATTLE_RESOURCES_DIR to the resources folder.");
}

std::filesystem::path userDataDir()
{
    return xdgDir("XDG_DATA_HOME", ".local/share");
}
std::filesystem::path userConfigDir()
{
    return xdgDir("XDG_CONFIG_HOME", ".config");
}
std::filesystem::path defaultDatabasePath()
{
    return userDataDir() / "tattle.db";
}

} // namespace tattle::core
