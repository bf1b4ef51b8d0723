// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/event.h"
#include "core/time.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace tattle::core {

/// What a parser made of one line.
enum class ParseStatus : std::uint8_t {
    Event, ///< a packet or connection record: stored and counted
    Ignored, ///< the format's own non-packet record (a header, a program alert): recognised, not stored
    NotMine, ///< a line of some other program (sshd in a syslog file): passed over silently
    Malformed, ///< meant to be a record of this format but broken: skipped, counted and reported
};

/// How sure a parser is that some lines are its format: 0 (no) .. 100 (certain), with the reason.
struct Sniff {
    int score = 0;
    std::string reason;
};

/// What a parser needs to know about the file it reads, beyond the lines themselves.
struct ParseContext {
    TimeZone zone; ///< zone of local times in the log (--tz, default the system zone)
    int year = 0; ///< --year for logs whose timestamps have none, 0 to infer
    std::int64_t referenceTime = 0; ///< the file's modification time (UTC seconds), for year inference
    std::string fileName; ///< for messages only
};

/// Reads the lines of one file in order. It may keep state between lines (a W3C #Fields: header,
/// the year of a syslog file), so each file gets its own. Never throws.
class LineParser {
public:
    virtual ~LineParser() = default;
    /// Parses one line (without its line terminator). On Event, out holds the event (every field set,
    /// out.reset() having been called); on Malformed, reason says why in a few words.
    virtual ParseStatus parse(std::string_view line, Event& out, std::string& reason) = 0;
};

/// One log format. Stateless and pure: text in, events out; no I/O, no globals. Never throws.
class Parser {
public:
    virtual ~Parser() = default;
    /// Stable key, used by --format and stored with every import ("netfilter", "zonealarm").
    virtual std::string_view id() const = 0;
    /// One line for users, for `tattle formats`.
    virtual std::string_view description() const = 0;
    /// Scores the first non-empty lines of a file.
    virtual Sniff sniff(std::span<const std::string_view> head) const = 0;
    /// A reader for one file.
    virtual std::unique_ptr<LineParser> open(const ParseContext& ctx) const = 0;
};

} // namespace tattle::core
