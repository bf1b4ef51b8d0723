// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/reverse_dns.h"

#include "core/resolver/contacts.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cstring>
#include <netdb.h>
#include <sys/socket.h>

namespace tattle::core::resolver {

std::optional<std::string> ReverseDnsPool::systemLookup(const IpAddress& a)
{
    sockaddr_storage ss {};
    socklen_t len = 0;
    if (a.isV4()) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
        sin->sin_family = AF_INET;
        std::memcpy(&sin->sin_addr, a.data(), 4);
        len = sizeof(sockaddr_in);
    } else if (a.isV6()) {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
        sin6->sin6_family = AF_INET6;
        std::memcpy(&sin6->sin6_addr, a.data(), 16);
        len = sizeof(sockaddr_in6);
    } else {
        return std::nullopt;
    }
    char host[NI_MAXHOST] = {};
    const int rc
        = getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, nullptr, 0, NI_NAMEREQD);
    if (rc == EAI_NONAME) return std::string();
    if (rc != 0) return std::nullopt;
    return hostName(host);
}

ReverseDnsPool::ReverseDnsPool(Lookup lookup, int threads, std::chrono::milliseconds timeout)
    : m_lookup(std::move(lookup))
    , m_threads(std::clamp(threads, 1, 32))
    , m_timeout(timeout)
{
}

ReverseDnsPool::~ReverseDnsPool()
{
    cancel();
    for (auto& t : m_workers)
        if (t.joinable()) t.join();
}

void ReverseDnsPool::start(std::vector<IpAddress> addresses)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue = std::move(addresses);
        m_next = m_done = 0;
        m_stop = false;
        m_deadline = std::chrono::steady_clock::now() + m_timeout;
    }
    const std::size_t n = std::min<std::size_t>(std::size_t(m_threads), m_queue.size());
    for (std::size_t i = 0; i < n; ++i)
        m_workers.emplace_back([this] { work(); });
}

void ReverseDnsPool::work()
{
    for (;;) {
        IpAddress a;
        {
            std::lock_guard lock(m_mutex);
            if (m_stop || m_next >= m_queue.size() || std::chrono::steady_clock::now() >= m_deadline) return;
            a = m_queue[m_next++];
        }
        auto name = m_lookup(a);
        {
            std::lock_guard lock(m_mutex);
            if (name) m_names[a] = std::move(*name);
            ++m_done;
        }
        m_changed.notify_all();
    }
}

void ReverseDnsPool::cancel()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
}

std::map<IpAddress, std::string> ReverseDnsPool::finish()
{
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait_until(lock, m_deadline, [this] { return m_stop || m_done >= m_queue.size(); });
        m_stop = true;
    }
    for (auto& t : m_workers)
        if (t.joinable()) t.join();
    m_workers.clear();
    std::lock_guard lock(m_mutex);
    return std::move(m_names);
}

} // namespace tattle::core::resolver
