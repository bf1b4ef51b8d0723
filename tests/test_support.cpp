// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_support.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace tattle::test {

namespace {
struct ScratchRoot {
    std::filesystem::path path;
    ScratchRoot()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "tattle-test-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~ScratchRoot()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};
} // namespace

std::filesystem::path dataDir()
{
    return TATTLE_TEST_DATA_DIR;
}
std::filesystem::path samplesDir()
{
    return TATTLE_SAMPLES_DIR;
}

std::filesystem::path scratchDir()
{
    static ScratchRoot root;
    static int counter = 0;
    auto dir = root.path / std::to_string(++counter);
    std::filesystem::create_directories(dir);
    return dir;
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::filesystem::path& path, const std::string& content)
{
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

} // namespace tattle::test
