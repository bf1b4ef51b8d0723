// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <filesystem>

namespace tattle::core {

/// The resources/ folder (signatures, formats, templates, the sample log). Looked for, in order: the
/// TATTLE_RESOURCES_DIR environment variable; <prefix>/share/tattle beside the running executable (an
/// installed tattle); the source tree the binary was built from; the configured install prefix.
Result<std::filesystem::path> resourcesDir();

/// Where user data lives: $XDG_DATA_HOME/tattle, default ~/.local/share/tattle (the GUI's
/// QStandardPaths::AppDataLocation with application name "tattle" and no organisation name).
std::filesystem::path userDataDir();
/// Where user settings and formats live: $XDG_CONFIG_HOME/tattle, default ~/.config/tattle.
std::filesystem::path userConfigDir();
/// The default database: userDataDir()/tattle.db.
std::filesystem::path defaultDatabasePath();

} // namespace tattle::core
