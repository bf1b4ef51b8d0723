// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/event.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tattle::reports {

/// Where an event came from, for output beside the event itself.
struct EventOrigin {
    std::string_view format; ///< parser id
    std::string_view file; ///< the file as the user named it ("-" for stdin)
    std::uint64_t lineNo = 0;
    std::string_view raw; ///< the original line
};

/// Appends one event as a JSON object and a newline (JSON Lines). Keys: time (RFC 3339 UTC), action,
/// direction, proto, src, src_port, dst, dst_port, icmp_type, icmp_code, tcp_flags, iface, rule, count,
/// time_guessed, format, file, line (the line number) and raw (the original line). Absent values are null.
void appendEventJson(std::string& out, const core::Event& e, const EventOrigin& origin);

/// Appends one event as a tab-separated text line for people: time, action, proto, src:port -> dst:port.
void appendEventText(std::string& out, const core::Event& e, const EventOrigin& origin);

} // namespace tattle::reports
