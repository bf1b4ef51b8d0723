// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/syslog_header.h"
#include "parsers/text.h"

#include <memory>
#include <string>

// Cisco IOS / IOS XE access-list logging ("log" on an ACE), one line per flow and 5-minute interval:
//   %SEC-6-IPACCESSLOGP:  list 102 denied tcp 192.0.2.1(3067) [(Ethernet0/0 aabb.cc00.0100)] ->
//   198.51.100.7(139), 1 packet %SEC-6-IPACCESSLOGDP: list 102 denied icmp 192.0.2.1 -> 198.51.100.7 (8/0), 2
//   packets %SEC-6-IPACCESSLOGNP: list 102 denied 47 192.0.2.1 -> 198.51.100.7, 1 packet
//   %SEC-6-IPACCESSLOGRP: list 102 denied igmp 192.0.2.1 -> 224.0.0.22 (22), 1 packet
//   %SEC-6-IPACCESSLOGS:  list 10 denied 192.0.2.1 1 packet                (standard ACL: no destination)
//   %IPV6_ACL-6-ACCESSLOGP/DP/NP/SP: the same with "list NAME/seq" and IPv6 addresses
//   %FMANFP-6-IPACCESSLOGP: "SIP0: fman_fp_image: list ..." (IOS XE data plane)
// The count of packets the line stands for becomes Event::count. The time comes from the syslog header
// when there is one, else from the device's "service timestamps" stamp with its zone name ("UTC", "EDT");
// a leading '*' marks a clock that is not synchronised. The router's other messages are Ignored.

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::Event;
using core::ParseStatus;

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t kMaxName = 256;

inline char at(std::string_view s, std::size_t i) noexcept
{
    return i < s.size() ? s[i] : '\0';
}

bool isUpperWord(std::string_view s, bool letterNeeded) noexcept
{
    if (s.empty() || s.size() > 32) return false;
    bool letter = false;
    for (char c : s) {
        if (c >= 'A' && c <= 'Z')
            letter = true;
        else if (!text::isDigit(c) && c != '_')
            return false;
    }
    return letter || !letterNeeded;
}

enum class Kind : std::uint8_t { Other, Ports, Icmp, NumberedProto, RoutedProto, SourceOnly, RateLimit };

// The mnemonic of an ACL log message.
Kind kindOf(std::string_view mnemonic) noexcept
{
    if (mnemonic.starts_with("IPV6")) mnemonic.remove_prefix(4); // IOS XE "IPV6ACCESSLOGP"
    if (mnemonic.starts_with("IP")) mnemonic.remove_prefix(2);
    if (!mnemonic.starts_with("ACCESSLOG")) return Kind::Other;
    mnemonic.remove_prefix(9);
    if (mnemonic == "P" || mnemonic == "SP") return Kind::Ports;
    if (mnemonic == "DP") return Kind::Icmp;
    if (mnemonic == "NP") return Kind::NumberedProto;
    if (mnemonic == "RP") return Kind::RoutedProto;
    if (mnemonic == "S") return Kind::SourceOnly;
    if (mnemonic == "RL") return Kind::RateLimit;
    return Kind::Other;
}

struct ZoneName {
    std::string_view name;
    int minutes;
};
// Zone abbreviations "service timestamps ... show-timezone" commonly prints, with one meaning each.
constexpr ZoneName kZones[] = {{"UTC", 0}, {"GMT", 0}, {"UT", 0}, {"Z", 0}, {"WET", 0}, {"WEST", 60},
    {"CET", 60}, {"CEST", 120}, {"MET", 60}, {"MEST", 120}, {"EET", 120}, {"EEST", 180}, {"MSK", 180},
    {"EST", -300}, {"EDT", -240}, {"CST", -360}, {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480},
    {"PDT", -420}, {"AKST", -540}, {"AKDT", -480}, {"HST", -600}, {"JST", 540}, {"KST", 540}, {"SGT", 480},
    {"HKT", 480}, {"AWST", 480}, {"ACST", 570}, {"ACDT", 630}, {"AEST", 600}, {"AEDT", 660}, {"NZST", 720},
    {"NZDT", 780}};

bool zoneOffset(std::string_view name, int& seconds) noexcept
{
    for (const ZoneName& z : kZones) {
        if (text::iequals(z.name, name)) {
            seconds = z.minutes * 60;
            return true;
        }
    }
    return false;
}

// "192.0.2.1(3067)" or "192.0.2.1"; a trailing ',' is allowed.
bool parseEndpoint(std::string_view s, core::IpAddress& addr, int& port) noexcept
{
    port = -1;
    while (!s.empty() && s.back() == ',')
        s.remove_suffix(1);
    const std::size_t open = s.find('(');
    if (open != npos) {
        if (s.back() != ')' || !text::parsePort(s.substr(open + 1, s.size() - open - 2), port)) return false;
        s = s.substr(0, open);
    }
    const auto a = core::IpAddress::parse(s);
    if (!a) return false;
    addr = *a;
    return true;
}

class CiscoIosLineParser final : public core::LineParser {
public:
    explicit CiscoIosLineParser(const core::ParseContext& ctx)
        : m_clock(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::string_view facility, mnemonic;
        const std::size_t marker = findMarker(line, facility, mnemonic);
        if (marker == npos) return ParseStatus::NotMine;
        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        const Kind kind = kindOf(mnemonic);
        if (kind == Kind::Other || kind == Kind::RateLimit) return ParseStatus::Ignored;

        // "list ACL verdict": IOS XE data-plane messages put "SIP0: fman_fp_image: " before it.
        std::string_view body = line.substr(line.find(':', marker + 1) + 1);
        const std::size_t list = body.find("list ");
        if (list == npos) return malformed("no access list");
        std::string_view rest = body.substr(list + 5);
        const std::string_view acl = text::nextWord(rest);
        const std::string_view verdict = text::nextWord(rest);
        if (verdict == "permitted")
            out.action = Action::Allow;
        else if (verdict == "denied")
            out.action = Action::Block;
        else
            return malformed(verdict.empty() ? "truncated record" : "unknown verdict");

        if (kind != Kind::SourceOnly) {
            const std::string_view proto = text::nextWord(rest);
            unsigned number = 0;
            if (text::parseUint(proto, number, 255))
                out.proto = int(number);
            else
                out.proto = core::protoFromName(proto);
            if (out.proto == core::proto::kUnknown) return malformed("unknown protocol");
        }
        const std::string_view src = text::nextWord(rest);
        if (src.empty()) return malformed("truncated record");
        if (!parseEndpoint(src, out.src, out.srcPort)) return malformed("bad source address");
        rest = text::trim(rest);
        if (rest.starts_with("(")) {
            // The input interface, and on Ethernet the source MAC: "(GigabitEthernet0/1.6 ca5c.1da2.ba43)".
            const std::size_t close = rest.find(')');
            if (close == npos) return malformed("truncated interface");
            std::string_view inside = rest.substr(1, close - 1);
            const std::string_view ifc = text::nextWord(inside);
            if (ifc.size() > 64) return malformed("bad interface name");
            syslog::assignText(out.iface, ifc);
            m_mac = text::trim(inside);
            if (m_mac.size() > 32) m_mac = {};
            rest = text::trim(rest.substr(close + 1));
        } else {
            m_mac = {};
        }
        if (kind != Kind::SourceOnly) {
            if (text::nextWord(rest) != "->") return malformed("truncated: no destination");
            const std::string_view dst = text::nextWord(rest);
            if (dst.empty()) return malformed("truncated: no destination");
            if (!parseEndpoint(dst, out.dst, out.dstPort)) return malformed("bad destination address");
            if (out.src.family() != out.dst.family())
                return malformed("source and destination of different families");
            rest = text::trim(rest);
            if (rest.starts_with("(")) { // "(8/0)" for ICMP, "(22)" for a routed protocol's type
                const std::size_t close = rest.find(')');
                if (close == npos) return malformed("truncated ICMP type");
                const std::string_view tc = rest.substr(1, close - 1);
                const std::size_t slash = tc.find('/');
                unsigned t = 0, c = 0;
                if (!text::parseUint(tc.substr(0, slash), t, 255)
                    || (slash != npos && !text::parseUint(tc.substr(slash + 1), c, 255)))
                    return malformed("bad ICMP type or code");
                if (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6) {
                    out.icmpType = int(t);
                    if (slash != npos) out.icmpCode = int(c);
                }
                rest = rest.substr(close + 1);
            }
        }
        // ", 3 packets" (the comma is missing in standard-ACL lines).
        const std::size_t packets = rest.find(" packet");
        if (packets == npos) return malformed("no packet count");
        std::string_view n = text::trim(rest.substr(0, packets));
        if (n.starts_with(",")) n = text::trim(n.substr(1));
        unsigned count = 0;
        if (!text::parseUint(n, count) || count == 0) return malformed("bad packet count");
        out.count = count;

        if (acl.empty() || acl.size() > kMaxName) return malformed("bad access list name");
        syslog::assignText(out.rule, acl);
        std::string& x = out.extra;
        syslog::jsonString(x, "message",
            line.substr(marker + 1, mnemonic.data() + mnemonic.size() - line.data() - marker - 1));
        syslog::jsonString(x, "mac", m_mac);
        syslog::jsonClose(x);

        syslog::Stamp stamp;
        bool unsynced = false;
        if (!findStamp(line.substr(0, marker), stamp, unsynced)) return malformed("no timestamp");
        if (!m_clock.resolve(stamp, out)) return malformed("invalid date or time");
        if (unsynced) out.timeGuessed = true;
        return ParseStatus::Event;
    }

private:
    // "%FACILITY-N-MNEMONIC:" with a letter in the mnemonic (Cisco ASA's are numbers).
    static std::size_t findMarker(
        std::string_view line, std::string_view& facility, std::string_view& mnemonic) noexcept
    {
        // Searches stay within a marker's length, so a line of 10 MB of '%' stays linear.
        std::size_t p = 0;
        while ((p = line.find('%', p)) != npos) {
            const std::size_t d = line.substr(p + 1, 33).find('-');
            const std::size_t d1 = d == npos ? npos : p + 1 + d;
            if (d1 != npos && d1 + 3 < line.size() && text::isDigit(line[d1 + 1]) && line[d1 + 2] == '-') {
                const std::size_t c = line.substr(d1 + 3, 33).find(':');
                facility = line.substr(p + 1, d1 - p - 1);
                if (c != npos) {
                    mnemonic = line.substr(d1 + 3, c);
                    if (isUpperWord(facility, true) && isUpperWord(mnemonic, true)) return p;
                }
            }
            ++p;
        }
        return npos;
    }

    // The first timestamp before the marker: the syslog header's, else the device's own ("*Mar  1
    // 18:46:11.123 UTC:", "123: May  3 05:15:25.217 EDT:"). A zone name the table knows gives the offset.
    static bool findStamp(std::string_view head, syslog::Stamp& st, bool& unsynced) noexcept
    {
        std::size_t pos = syslog::skipPri(head);
        if (head.compare(pos, 2, "1 ") == 0) pos += 2; // RFC 5424
        for (int words = 0; words < 8 && pos < head.size(); ++words) {
            const char lead = head[pos];
            const std::size_t start = lead == '*' || lead == '.' ? pos + 1 : pos;
            const std::size_t end = syslog::parseStamp(head, start, st);
            if (end != npos) {
                unsynced = lead == '*';
                // "... 05:15:25.217 UTC:" or "... UTC: %SEC": the zone word ends at ':'.
                std::size_t z = end;
                while (z < head.size() && head[z] == ' ')
                    ++z;
                std::size_t e = z;
                while (e < head.size() && head[e] != ' ' && head[e] != ':')
                    ++e;
                int offset = 0;
                if (st.kind != syslog::Stamp::Kind::Absolute && e > z && at(head, e) == ':'
                    && zoneOffset(head.substr(z, e - z), offset)) {
                    // A zone but (usually) no year: the year comes from the file, the offset from the zone.
                    st.kind = st.kind == syslog::Stamp::Kind::NoYear ? syslog::Stamp::Kind::NoYearOffset
                                                                     : syslog::Stamp::Kind::Absolute;
                    st.offsetSeconds = offset;
                }
                return true;
            }
            while (pos < head.size() && head[pos] != ' ')
                ++pos;
            while (pos < head.size() && head[pos] == ' ')
                ++pos;
        }
        return false;
    }

    syslog::Clock m_clock;
    std::string_view m_mac;
};

class CiscoIosParser final : public core::Parser {
public:
    std::string_view id() const override { return "cisco-ios"; }
    std::string_view description() const override
    {
        return "Cisco IOS / IOS XE access-list logging: %SEC-6-IPACCESSLOGP/DP/NP/RP/S and "
               "%IPV6_ACL-6-ACCESSLOGP/DP/NP lines with their packet counts";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000; // a leap year, so that any date in the head is valid
        CiscoIosLineParser p(ctx);
        Event ev;
        std::string reason;
        std::size_t events = 0, ours = 0;
        for (std::string_view line : head) {
            const ParseStatus st = p.parse(line, ev, reason);
            events += st == ParseStatus::Event;
            ours += st != ParseStatus::NotMine;
        }
        const std::size_t n = head.size();
        const std::string counts = std::to_string(events) + " of " + std::to_string(n) + " lines";
        if (events == 0) {
            return {ours * 2 >= n ? 50 : 0,
                std::to_string(ours) + " Cisco IOS messages, no access-list log record among them"};
        }
        if (events == 1 && n > 1) return {55, counts + " is an access-list log record"};
        return {int(65 + 34 * events / n), counts + " are access-list log records"};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<CiscoIosLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeCiscoIosParser()
{
    return std::make_unique<CiscoIosParser>();
}

} // namespace tattle::parsers
