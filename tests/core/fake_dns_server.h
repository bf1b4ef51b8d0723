// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A DNS server for tests: UDP on 127.0.0.1, an ephemeral port, TXT and PTR answers from a table,
// NXDOMAIN for anything else, every question recorded. It can stay silent (a server that never
// answers) or answer with raw bytes (hostile answers).

#include <arpa/inet.h>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace tattle::test {

class FakeDnsServer {
public:
    FakeDnsServer()
    {
        m_fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0 || ::pipe(m_stop) != 0) throw std::runtime_error("fake DNS: socket");
        sockaddr_in sin {};
        sin.sin_family = AF_INET;
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&sin), sizeof sin) != 0)
            throw std::runtime_error("fake DNS: bind");
        socklen_t len = sizeof sin;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&sin), &len);
        m_port = ntohs(sin.sin_port);
        m_thread = std::thread([this] { run(); });
    }
    ~FakeDnsServer()
    {
        const char c = 0;
        [[maybe_unused]] auto n = ::write(m_stop[1], &c, 1);
        m_thread.join();
        ::close(m_fd);
        ::close(m_stop[0]);
        ::close(m_stop[1]);
    }
    FakeDnsServer(const FakeDnsServer&) = delete;
    FakeDnsServer& operator=(const FakeDnsServer&) = delete;

    std::uint16_t port() const { return m_port; }
    std::string endpoint() const { return "127.0.0.1:" + std::to_string(m_port); }

    /// TXT records (each one character-string, split every 255 bytes) for name.
    void addTxt(const std::string& name, std::vector<std::string> records)
    {
        std::lock_guard lock(m_mutex);
        m_txt[lower(name)] = std::move(records);
    }
    void addPtr(const std::string& name, const std::string& target)
    {
        std::lock_guard lock(m_mutex);
        m_ptr[lower(name)] = target;
    }
    /// Answers every question with these bytes (the id is not patched in).
    void setRawAnswer(std::optional<std::string> raw)
    {
        std::lock_guard lock(m_mutex);
        m_raw = std::move(raw);
    }
    void setSilent(bool silent) { m_silent = silent; }
    /// The names asked, in order (lower case).
    std::vector<std::string> questions() const
    {
        std::lock_guard lock(m_mutex);
        return m_questions;
    }

private:
    static std::string lower(std::string s)
    {
        for (char& c : s)
            if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        return s;
    }

    static void put16(std::string& out, unsigned v)
    {
        out.push_back(char((v >> 8) & 0xFF));
        out.push_back(char(v & 0xFF));
    }

    static std::string encodeName(const std::string& name)
    {
        std::string out;
        std::size_t begin = 0;
        while (begin < name.size()) {
            std::size_t dot = name.find('.', begin);
            if (dot == std::string::npos) dot = name.size();
            out.push_back(char(dot - begin));
            out.append(name, begin, dot - begin);
            begin = dot + 1;
        }
        out.push_back('\0');
        return out;
    }

    void run()
    {
        std::vector<unsigned char> buf(4096);
        for (;;) {
            pollfd p[2] = {{m_fd, POLLIN, 0}, {m_stop[0], POLLIN, 0}};
            if (::poll(p, 2, 1000) < 0) continue;
            if (p[1].revents) return;
            if (!(p[0].revents & POLLIN)) continue;
            sockaddr_storage from {};
            socklen_t fromLen = sizeof from;
            const ssize_t n
                = ::recvfrom(m_fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &fromLen);
            if (n < 12) continue;
            // The question name, uncompressed.
            std::string name;
            std::size_t at = 12;
            while (at < std::size_t(n) && buf[at] != 0) {
                const std::size_t len = buf[at];
                if (at + 1 + len > std::size_t(n)) break;
                if (!name.empty()) name.push_back('.');
                name.append(reinterpret_cast<const char*>(&buf[at + 1]), len);
                at += 1 + len;
            }
            const std::size_t questionEnd = at + 5;
            if (questionEnd > std::size_t(n)) continue;
            const unsigned qtype = (buf[at + 1] << 8) | buf[at + 2];
            std::string answer;
            {
                std::lock_guard lock(m_mutex);
                m_questions.push_back(lower(name));
                if (m_silent) continue;
                if (m_raw) {
                    answer = *m_raw;
                } else {
                    answer.assign(reinterpret_cast<const char*>(buf.data()), 2); // id
                    std::vector<std::string> rdatas;
                    const auto key = lower(name);
                    if (qtype == 16 && m_txt.contains(key)) {
                        for (const auto& r : m_txt[key]) {
                            std::string rd;
                            for (std::size_t i = 0; i < r.size() || i == 0; i += 255) {
                                const std::string part = r.substr(i, 255);
                                rd.push_back(char(part.size()));
                                rd += part;
                                if (r.empty()) break;
                            }
                            rdatas.push_back(rd);
                        }
                    } else if (qtype == 12 && m_ptr.contains(key)) {
                        rdatas.push_back(encodeName(m_ptr[key]));
                    }
                    const bool known = m_txt.contains(key) || m_ptr.contains(key);
                    answer.push_back(char(0x81)); // QR, RD
                    answer.push_back(char(known ? 0x80 : 0x83)); // RA, NOERROR or NXDOMAIN
                    put16(answer, 1);
                    put16(answer, unsigned(rdatas.size()));
                    put16(answer, 0);
                    put16(answer, 0);
                    answer.append(reinterpret_cast<const char*>(&buf[12]), questionEnd - 12);
                    for (const auto& rd : rdatas) {
                        put16(answer, 0xC00C); // the question's name
                        put16(answer, qtype);
                        put16(answer, 1);
                        put16(answer, 0);
                        put16(answer, 300);
                        put16(answer, unsigned(rd.size()));
                        answer += rd;
                    }
                }
            }
            ::sendto(m_fd, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&from), fromLen);
        }
    }

    int m_fd = -1;
    int m_stop[2] = {-1, -1};
    std::uint16_t m_port = 0;
    std::atomic<bool> m_silent {false};
    mutable std::mutex m_mutex;
    std::map<std::string, std::vector<std::string>> m_txt;
    std::map<std::string, std::string> m_ptr;
    std::optional<std::string> m_raw;
    std::vector<std::string> m_questions;
    std::thread m_thread;
};

} // namespace tattle::test
