// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <string>

/// Helpers shared by the test suites.
namespace tattle::test {

/// tests/data in the source tree.
std::filesystem::path dataDir();
/// ../shared/samples beside the project (real third-party log lines and registry answers).
std::filesystem::path samplesDir();
/// A fresh, empty directory under the system temp dir, removed when the test program exits.
std::filesystem::path scratchDir();
/// Reads a whole file.
std::string readFile(const std::filesystem::path& path);
/// Writes a whole file.
void writeFile(const std::filesystem::path& path, const std::string& content);

} // namespace tattle::test
