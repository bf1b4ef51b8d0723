// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Child processes for the reports tests (Python's email parser, a loopback SMTP server): every wait is
// bounded and a child is always killed and reaped. Header-only because the test area's CMake compiles
// only *_test.cpp files.

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace tattle::test {

/// Debian's interpreter: its site packages (python3-aiosmtpd) are on it, whatever python3 is first on PATH.
inline constexpr const char* kSystemPython = "/usr/bin/python3";

/// The directory of the reports tests' helper scripts.
inline std::filesystem::path reportsScriptsDir()
{
    return std::filesystem::path(__FILE__).parent_path();
}

/// A child with its stdout and stderr on pipes. The destructor kills it (SIGTERM, then SIGKILL after a
/// second) and reaps it.
class ChildProcess {
public:
    ChildProcess() = default;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess() { stop(); }

    /// Starts argv[0] (an absolute path) with its stdin, stdout and stderr on pipes.
    bool start(const std::vector<std::string>& argv)
    {
        int out[2] = {-1, -1}, err[2] = {-1, -1}, in[2] = {-1, -1};
        auto closeAll = [&] {
            for (int fd : {out[0], out[1], err[0], err[1], in[0], in[1]})
                if (fd >= 0) close(fd);
        };
        if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(in, O_CLOEXEC) != 0) {
            closeAll();
            return false;
        }
        m_pid = fork();
        if (m_pid < 0) {
            closeAll();
            return false;
        }
        if (m_pid == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            dup2(err[1], 2);
            std::vector<char*> args;
            for (const std::string& a : argv)
                args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
        close(out[1]);
        close(err[1]);
        close(in[0]);
        m_out = out[0];
        m_err = err[0];
        m_in = in[1];
        return true;
    }

    /// Writes to the child's stdin and closes it.
    void sendInput(std::string_view data)
    {
        while (!data.empty() && m_in >= 0) {
            const ssize_t n = write(m_in, data.data(), data.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            data.remove_prefix(std::size_t(n));
        }
        closeInput();
    }
    void closeInput()
    {
        if (m_in >= 0) close(m_in);
        m_in = -1;
    }

    /// Reads stdout until a full line arrives (returned without its newline) or the timeout; false on
    /// timeout or end of output.
    bool readLine(std::string& line, std::chrono::milliseconds timeout)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (const auto nl = m_outBuf.find('\n'); nl != std::string::npos) {
                line = m_outBuf.substr(0, nl);
                m_outBuf.erase(0, nl + 1);
                return true;
            }
            if (!pump(deadline)) return false;
        }
    }

    /// Waits for the child to exit, collecting its output; false (and the child killed) on timeout.
    bool wait(std::chrono::milliseconds timeout)
    {
        closeInput();
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (m_out >= 0 || m_err >= 0)
            if (!pump(deadline)) break;
        while (m_pid > 0) {
            int status = 0;
            const pid_t r = waitpid(m_pid, &status, WNOHANG);
            if (r == m_pid) {
                m_exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                m_pid = -1;
                break;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                stop();
                return false;
            }
            usleep(10'000);
        }
        return true;
    }

    /// Kills and reaps the child.
    void stop()
    {
        closeInput();
        if (m_pid > 0) {
            kill(m_pid, SIGTERM);
            int status = 0;
            for (int i = 0; i < 100; ++i) {
                if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                    m_pid = -1;
                    break;
                }
                usleep(10'000);
            }
            if (m_pid > 0) {
                kill(m_pid, SIGKILL);
                waitpid(m_pid, &status, 0);
                m_pid = -1;
            }
        }
        for (int* fd : {&m_out, &m_err})
            if (*fd >= 0) {
                close(*fd);
                *fd = -1;
            }
    }

    const std::string& output() const { return m_outBuf; }
    const std::string& errors() const { return m_errBuf; }
    int exitCode() const { return m_exitCode; }

private:
    /// Reads what is available on stdout/stderr; false at the deadline or when both are closed.
    bool pump(std::chrono::steady_clock::time_point deadline)
    {
        pollfd fds[2];
        nfds_t n = 0;
        if (m_out >= 0) fds[n++] = {m_out, POLLIN, 0};
        if (m_err >= 0) fds[n++] = {m_err, POLLIN, 0};
        if (n == 0) return false;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        const int r = poll(fds, n, int(left.count()));
        if (r < 0 && errno == EINTR) return true;
        if (r <= 0) return false;
        for (nfds_t i = 0; i < n; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[65536];
            const ssize_t got = read(fds[i].fd, buf, sizeof buf);
            int& fd = fds[i].fd == m_out ? m_out : m_err;
            std::string& sink = fds[i].fd == m_out ? m_outBuf : m_errBuf;
            if (got > 0) {
                sink.append(buf, std::size_t(got));
            } else if (got == 0 || errno != EINTR) {
                close(fd);
                fd = -1;
            }
        }
        return true;
    }

    pid_t m_pid = -1;
    int m_out = -1, m_err = -1, m_in = -1;
    std::string m_outBuf, m_errBuf;
    int m_exitCode = -1;
};

/// Runs a program to completion (bounded by timeout); the exit code is -1 when it had to be killed.
struct RunResult {
    int exitCode = -1;
    std::string out, err;
};
inline RunResult runProgram(
    const std::vector<std::string>& argv, std::chrono::milliseconds timeout, std::string_view input = {})
{
    RunResult result;
    ChildProcess child;
    if (!child.start(argv)) return result;
    child.sendInput(input);
    const bool done = child.wait(timeout);
    result.out = child.output();
    result.err = child.errors();
    result.exitCode = done ? child.exitCode() : -1;
    return result;
}

} // namespace tattle::test
