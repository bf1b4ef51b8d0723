// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs the built `tattle` binary as a user would, in an environment of its own: HOME and the XDG
// directories point into a scratch folder, so the default database never touches the real home.

#include "test_support.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <optional>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace tattle::test {

/// What one run of the command printed and how it ended.
struct CliResult {
    int exitCode = -1; ///< the exit status, or 128 + signal when killed by one
    std::string out, err;

    /// The lines of stderr (without their LF).
    std::vector<std::string> errLines() const
    {
        std::vector<std::string> lines;
        std::size_t begin = 0;
        while (begin < err.size()) {
            std::size_t end = err.find('\n', begin);
            if (end == std::string::npos) end = err.size();
            lines.push_back(err.substr(begin, end - begin));
            begin = end + 1;
        }
        return lines;
    }
};

/// The `tattle` command line in a sandboxed environment.
class Cli {
public:
    static constexpr std::chrono::seconds kTimeout {60};

    /// root: a scratch folder; HOME is root/home and XDG_DATA_HOME root/xdg-data.
    explicit Cli(std::filesystem::path root)
        : m_root(std::move(root))
    {
        std::filesystem::create_directories(home());
        std::filesystem::create_directories(dataHome());
        m_env["HOME"] = home().string();
        m_env["XDG_DATA_HOME"] = dataHome().string();
        m_env["XDG_CONFIG_HOME"] = (m_root / "xdg-config").string();
        m_env["XDG_CACHE_HOME"] = (m_root / "xdg-cache").string();
        m_env["TZ"] = "UTC";
    }

    const std::filesystem::path& root() const noexcept { return m_root; }
    std::filesystem::path home() const { return m_root / "home"; }
    std::filesystem::path dataHome() const { return m_root / "xdg-data"; }
    /// Where tattle keeps its database when --db is not given.
    std::filesystem::path defaultDb() const { return dataHome() / "tattle" / "tattle.db"; }

    /// Sets (or, with nullopt, removes) a variable of the child's environment.
    void setEnv(const std::string& name, std::optional<std::string> value) { m_env[name] = std::move(value); }

    /// Runs `tattle args...`; stdinData, when given, is what the command reads on standard input
    /// (/dev/null otherwise).
    CliResult run(
        const std::vector<std::string>& args, const std::optional<std::string>& stdinData = {}) const
    {
        const auto io = m_root / ("io-" + std::to_string(++m_runs));
        std::filesystem::create_directories(io);
        const auto inPath = stdinData ? io / "stdin" : std::filesystem::path("/dev/null");
        if (stdinData) writeFile(inPath, *stdinData);
        const auto outPath = io / "stdout", errPath = io / "stderr";

        std::vector<std::string> argStrings {TATTLE_CLI_PATH};
        argStrings.insert(argStrings.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : argStrings)
            argv.push_back(a.data());
        argv.push_back(nullptr);

        std::vector<std::string> envStrings;
        for (char** e = environ; *e; ++e) {
            const std::string entry(*e);
            const std::string name = entry.substr(0, entry.find('='));
            // TATTLE_DB would stand in for --db: the tests decide which database is used.
            if (m_env.contains(name) || name == "TATTLE_DB") continue;
            envStrings.push_back(entry);
        }
        for (const auto& [name, value] : m_env)
            if (value) envStrings.push_back(name + "=" + *value);
        std::vector<char*> envp;
        for (auto& e : envStrings)
            envp.push_back(e.data());
        envp.push_back(nullptr);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, inPath.c_str(), O_RDONLY, 0);
        posix_spawn_file_actions_addopen(
            &actions, STDOUT_FILENO, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_addopen(
            &actions, STDERR_FILENO, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_addchdir_np(&actions, m_root.c_str());
        pid_t pid = 0;
        const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error(std::string("posix_spawn failed: ") + std::strerror(rc));

        CliResult result;
        const auto deadline = std::chrono::steady_clock::now() + kTimeout;
        int status = 0;
        for (;;) {
            const pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) break;
            if (w < 0 && errno != EINTR) throw std::runtime_error("waitpid failed");
            if (std::chrono::steady_clock::now() > deadline) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                result.err = "[test harness: killed after the timeout]\n";
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        if (WIFEXITED(status))
            result.exitCode = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
            result.exitCode = 128 + WTERMSIG(status);
        result.out = readFile(outPath);
        result.err += readFile(errPath);
        std::filesystem::remove_all(io);
        return result;
    }

private:
    std::filesystem::path m_root;
    std::map<std::string, std::optional<std::string>> m_env;
    mutable int m_runs = 0;
};

} // namespace tattle::test
