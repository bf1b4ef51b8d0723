// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tattle::core::resolver {

/// Reverse DNS of many addresses in the background, on a small pool of threads, within an overall
/// deadline: start() returns at once; finish() waits for the names until the deadline, then stops handing
/// out addresses, waits for the lookups under way (each bounded by the resolver's own timeout) and
/// returns what it has.
class ReverseDnsPool {
public:
    /// One lookup: the name of an address, "" when it has none, nullopt when the lookup failed.
    using Lookup = std::function<std::optional<std::string>(const IpAddress&)>;

    /// The system resolver (getnameinfo with NI_NAMEREQD), names validated as host names.
    static std::optional<std::string> systemLookup(const IpAddress& a);

    ReverseDnsPool(Lookup lookup, int threads, std::chrono::milliseconds timeout);
    ~ReverseDnsPool();
    ReverseDnsPool(const ReverseDnsPool&) = delete;
    ReverseDnsPool& operator=(const ReverseDnsPool&) = delete;

    void start(std::vector<IpAddress> addresses);
    /// The names found (addresses without a name map to ""; failed lookups are left out).
    std::map<IpAddress, std::string> finish();
    /// Stops handing out addresses (finish() still joins).
    void cancel();

private:
    void work();

    Lookup m_lookup;
    int m_threads;
    std::chrono::milliseconds m_timeout;
    std::chrono::steady_clock::time_point m_deadline;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<IpAddress> m_queue;
    std::size_t m_next = 0, m_done = 0;
    bool m_stop = false;
    std::map<IpAddress, std::string> m_names;
    std::vector<std::thread> m_workers;
};

} // namespace tattle::core::resolver
