// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/syslog_header.h"
#include "parsers/text.h"

#include <memory>
#include <span>
#include <string>

// IPFilter's ipmon (print_ipflog in tools/ipmon.c) writes one line per logged packet:
//   [dd/mm/yyyy ]hh:mm:ss.uuuuuu [Nx ]ifname @group:rule [S]action src[,port] -> dst[,port] PR proto
//   len hlen plen [-TCPFLAGS] [icmp type/code] [K-S] [K-F] IN|OUT [log-tag N] [mbcast] [reason:...]
// The date is left out when ipmon logs through syslog (-s), so the syslog header gives it; Solaris adds
// "[ID 702911 local0.warning]" before the text. Action letters: p/P pass, b/B block, L log only,
// n no rule matched, preceded by S for a short packet. "Nx" counts identical packets. NAT and state
// log lines ("@1 NAT:MAP ...", "STATE:NEW ...") are not packet records.

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::Event;
using core::ParseStatus;

constexpr std::size_t npos = std::string_view::npos;

bool allDigits(std::string_view s) noexcept
{
    if (s.empty()) return false;
    for (char c : s) {
        if (!text::isDigit(c)) return false;
    }
    return true;
}

bool isPrintableAscii(std::string_view s) noexcept
{
    for (char c : s) {
        if (c < 0x21 || c > 0x7e) return false;
    }
    return true;
}

// "addr,port" or "addr" (IPv6 too: the port follows the last ',').
bool parseEndpoint(std::string_view s, core::IpAddress& addr, int& port) noexcept
{
    port = -1;
    const std::size_t comma = s.rfind(',');
    if (comma != npos) {
        if (!text::parsePort(s.substr(comma + 1), port)) return false;
        s = s.substr(0, comma);
    }
    const auto a = core::IpAddress::parse(s);
    if (!a) return false;
    addr = *a;
    return true;
}

struct IcmpName {
    std::string_view name;
    int value;
};

// ipmon's icmptypes4 / icmptypes6 and their code names (a number where a code has no name).
constexpr IcmpName kIcmpTypes[]
    = {{"echoreply", 0}, {"unreach", 3}, {"sourcequench", 4}, {"redirect", 5}, {"echo", 8},
        {"routeradvert", 9}, {"routersolicit", 10}, {"timxceed", 11}, {"paramprob", 12}, {"timestamp", 13},
        {"timestampreply", 14}, {"inforeq", 15}, {"inforeply", 16}, {"maskreq", 17}, {"maskreply", 18}};
constexpr IcmpName kIcmp6Types[] = {{"unreach", 1}, {"toobig", 2}, {"timxceed", 3}, {"paramprob", 4},
    {"echo", 128}, {"echoreply", 129}, {"groupmemberquery", 130}, {"groupmemberreport", 131},
    {"groupmemberterm", 132}, {"routersolicit", 133}, {"routeradvert", 134}, {"neighborsolicit", 135},
    {"neighboradvert", 136}, {"redirect", 137}, {"routerrenumber", 138}, {"whoareyourequest", 139},
    {"whoareyoureply", 140}, {"fqdnquery", 139}, {"fqdnreply", 140}, {"nodeinforequest", 139},
    {"nodeinforeply", 140}, {"mtraceresponse", 200}, {"mtracerequest", 201}};

struct IcmpCode {
    int type;
    std::string_view name;
    int code;
};
constexpr IcmpCode kIcmpCodes[] = {{3, "net", 0}, {3, "host", 1}, {3, "protocol", 2}, {3, "port", 3},
    {3, "needfrag", 4}, {3, "srcfail", 5}, {3, "net_unknown", 6}, {3, "host_unknown", 7},
    {3, "net_prohib", 9}, {3, "tosnet", 11}, {3, "toshost", 12}, {3, "admin_prohibit", 13}, {5, "net", 0},
    {5, "host", 1}, {5, "tosnet", 2}, {5, "toshost", 3}, {11, "transit", 0}, {11, "reassem", 1},
    {12, "errata_pointer", 0}, {12, "optmissing", 1}, {12, "length", 2}};
constexpr IcmpCode kIcmp6Codes[] = {{1, "noroute", 0}, {1, "admin", 1}, {1, "neighbour", 2},
    {1, "address", 3}, {1, "noport", 4}, {3, "intransit", 0}, {3, "reassem", 1}, {4, "header", 0},
    {4, "nextheader", 1}, {4, "option", 2}, {130, "ipv6", 0}, {130, "fqdn", 1}, {130, "ipv4", 2},
    {139, "success", 0}, {139, "refused", 1}, {139, "unknown", 2}};

// "echo/0", "unreach/port", "icmptype(42)/7", "icmpv6type(99)/0".
void icmpFromName(std::string_view s, bool v6, Event& out) noexcept
{
    const std::size_t slash = s.find('/');
    if (slash == npos) return;
    const std::string_view type = s.substr(0, slash), code = s.substr(slash + 1);
    unsigned v = 0;
    const std::string_view generic = v6 ? "icmpv6type(" : "icmptype(";
    if (type.starts_with(generic) && type.ends_with(")")) {
        if (!text::parseUint(type.substr(generic.size(), type.size() - generic.size() - 1), v, 255)) return;
        out.icmpType = int(v);
    } else {
        for (const IcmpName& n :
            v6 ? std::span<const IcmpName>(kIcmp6Types) : std::span<const IcmpName>(kIcmpTypes)) {
            if (n.name == type) {
                out.icmpType = n.value;
                break;
            }
        }
        if (out.icmpType < 0) return;
    }
    if (text::parseUint(code, v, 255)) {
        out.icmpCode = int(v);
        return;
    }
    for (const IcmpCode& c :
        v6 ? std::span<const IcmpCode>(kIcmp6Codes) : std::span<const IcmpCode>(kIcmpCodes)) {
        if (c.type == out.icmpType && c.name == code) {
            out.icmpCode = c.code;
            return;
        }
    }
}

// "-AP": ipmon's tcpfl letters.
bool parseFlags(std::string_view s, std::uint8_t& flags) noexcept
{
    flags = 0;
    for (char c : s.substr(1)) {
        switch (c) {
        case 'A':
            flags |= core::tcpflag::kAck;
            break;
        case 'R':
            flags |= core::tcpflag::kRst;
            break;
        case 'S':
            flags |= core::tcpflag::kSyn;
            break;
        case 'F':
            flags |= core::tcpflag::kFin;
            break;
        case 'U':
            flags |= core::tcpflag::kUrg;
            break;
        case 'P':
            flags |= core::tcpflag::kPsh;
            break;
        case 'E':
            flags |= core::tcpflag::kEce;
            break;
        case 'C':
            flags |= core::tcpflag::kCwr;
            break;
        default:
            return false;
        }
    }
    return true;
}

// "dd/mm/yyyy" (ipmon writes the day first).
bool parseDate(std::string_view s, core::CivilTime& c) noexcept
{
    unsigned d = 0, m = 0, y = 0;
    if (s.size() != 10 || s[2] != '/' || s[5] != '/' || !core::parseDigits(s.substr(0, 2), d)
        || !core::parseDigits(s.substr(3, 2), m) || !core::parseDigits(s.substr(6, 4), y))
        return false;
    c.day = d;
    c.month = m;
    c.year = int(y);
    return true;
}

class IpfilterLineParser final : public core::LineParser {
public:
    explicit IpfilterLineParser(const core::ParseContext& ctx)
        : m_clock(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        // Cheap gate: every ipmon packet line names its protocol after " PR "; ipmon's other lines its name.
        if (line.find(" PR ") == npos && line.find("ipmon") == npos) return ParseStatus::NotMine;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

        syslog::Header h;
        if (!syslog::splitHeader(line, h)) return ParseStatus::NotMine;
        const bool framed = !h.tag.empty();
        if (framed && h.tag != "ipmon") return ParseStatus::NotMine;
        std::string_view msg = h.message;
        if (msg.starts_with("[ID ")) { // Solaris syslog message id
            const std::size_t end = msg.find("] ");
            if (end == npos) return framed ? ParseStatus::Ignored : ParseStatus::NotMine;
            msg = text::trim(msg.substr(end + 2));
        }
        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };

        std::string_view rest = msg;
        std::string_view word = text::nextWord(rest);
        syslog::Stamp stamp;
        bool hasDate = false;
        if (parseDate(word, stamp.civil)) {
            hasDate = true;
            word = text::nextWord(rest);
        }
        core::CivilTime clock;
        const std::size_t end = syslog::parseClock(word, 0, clock);
        if (end != word.size() || end == npos) {
            // Not a packet line: ipmon's own messages ("missed 3 ipf log entries") under its tag.
            return framed ? ParseStatus::Ignored : ParseStatus::NotMine;
        }
        word = text::nextWord(rest);
        unsigned count = 1;
        if (word.size() > 1 && word.back() == 'x' && allDigits(word.substr(0, word.size() - 1))) {
            if (!text::parseUint(word.substr(0, word.size() - 1), count) || count == 0)
                return malformed("bad repeat count");
            word = text::nextWord(rest);
        }
        const std::string_view iface = word;
        if (iface.starts_with("STATE:") || iface.starts_with("@")) return ParseStatus::Ignored; // state, NAT
        const std::string_view group = text::nextWord(rest);
        const std::string_view action = text::nextWord(rest);
        const std::string_view src = text::nextWord(rest);
        const std::string_view arrow = text::nextWord(rest);
        const std::string_view dst = text::nextWord(rest);
        const std::string_view pr = text::nextWord(rest);
        const std::string_view protoName = text::nextWord(rest);
        if (!framed && (group.empty() || group[0] != '@' || arrow != "->")) return ParseStatus::NotMine;
        if (protoName.empty() || pr != "PR" || arrow != "->") return malformed("truncated record");
        if (group.size() < 3 || group[0] != '@' || group.find(':') == npos || group.size() > 64
            || !isPrintableAscii(group))
            return malformed("bad rule group");
        if (iface.empty() || iface.size() > 64 || !isPrintableAscii(iface))
            return malformed("bad interface name");

        std::string_view verdict = action;
        const bool shortPacket = verdict.starts_with("S");
        if (shortPacket) verdict.remove_prefix(1);
        if (verdict == "p" || verdict == "P") {
            out.action = Action::Allow;
        } else if (verdict == "b" || verdict == "B") {
            out.action = Action::Block;
        } else if (verdict == "L" || verdict == "n") {
            // Logged by a "log" rule, or for matching no rule: neither decided the packet's fate, and ipf
            // passes what no rule blocks.
            out.action = Action::Allow;
        } else {
            return malformed("unknown action");
        }
        if (!parseEndpoint(src, out.src, out.srcPort)) return malformed("bad source address");
        if (!parseEndpoint(dst, out.dst, out.dstPort)) return malformed("bad destination address");
        if (out.src.family() != out.dst.family())
            return malformed("source and destination of different families");
        out.proto = core::protoFromName(protoName);
        if (out.proto == core::proto::kUnknown) return malformed("unknown protocol");

        // "len hlen plen" (or "(plen)"), then the protocol details and the trailing flags.
        if (text::nextWord(rest) != "len") return malformed("truncated record");
        m_flags.clear();
        for (std::string_view w = text::nextWord(rest); !w.empty(); w = text::nextWord(rest)) {
            if (w == "IN") {
                out.direction = Direction::In;
            } else if (w == "OUT") {
                out.direction = Direction::Out;
            } else if (w.size() > 1 && w[0] == '-' && out.proto == core::proto::kTcp && !out.hasTcpFlags) {
                if (!parseFlags(w, out.tcpFlags)) return malformed("bad TCP flags");
                out.hasTcpFlags = true;
            } else if ((w == "icmp" || w == "icmpv6") && out.icmpType < 0) {
                icmpFromName(text::nextWord(rest), w == "icmpv6", out);
            } else if (w == "K-S" || w == "K-F" || w == "mbcast" || w == "multicast" || w == "broadcast"
                || w == "low-ttl" || w == "OOW" || w == "bad" || w == "NAT" || w == "bad-NAT"
                || w == "bad-src" || (w.starts_with("reason:") && w.size() < 64)) {
                if (!m_flags.empty()) m_flags.push_back(' ');
                m_flags.append(w);
            }
        }
        out.count = count;
        out.iface.assign(iface);
        syslog::assignText(out.rule, group);
        std::string& x = out.extra;
        syslog::jsonString(x, "action", action);
        syslog::jsonString(x, "flags", m_flags);
        syslog::jsonClose(x);

        if (hasDate) {
            stamp.kind = syslog::Stamp::Kind::Local;
            stamp.civil.hour = clock.hour;
            stamp.civil.minute = clock.minute;
            stamp.civil.second = clock.second;
            stamp.civil.micros = clock.micros;
        } else if (framed && h.stamp.kind != syslog::Stamp::Kind::None) {
            stamp = h.stamp; // ipmon -s leaves the date to syslog
        } else {
            return malformed("no date: the syslog header is missing");
        }
        return m_clock.resolve(stamp, out) ? ParseStatus::Event : malformed("invalid date or time");
    }

private:
    syslog::Clock m_clock;
    std::string m_flags;
};

class IpfilterParser final : public core::Parser {
public:
    std::string_view id() const override { return "ipfilter"; }
    std::string_view description() const override
    {
        return "IPFilter ipmon packet lines (Solaris, illumos, FreeBSD, NetBSD), in ipmon's own file or "
               "through syslog";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000; // a leap year, so that any date in the head is valid
        IpfilterLineParser p(ctx);
        Event ev;
        std::string reason;
        std::size_t events = 0, broken = 0;
        for (std::string_view line : head) {
            switch (p.parse(line, ev, reason)) {
            case ParseStatus::Event:
                ++events;
                break;
            case ParseStatus::Malformed:
                ++broken;
                break;
            default:
                break;
            }
        }
        const std::size_t n = head.size();
        const std::string counts = std::to_string(events) + " of " + std::to_string(n) + " lines";
        if (events == 0) {
            return {0,
                broken > 0 ? std::to_string(broken) + " lines look like ipmon records but none could be read"
                           : "no \"ifname @group:rule action src -> dst PR proto\" ipmon record"};
        }
        if (events == 1 && n > 1) return {55, counts + " is an ipmon record"};
        return {int(65 + 34 * events / n), counts + " are ipmon records"};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<IpfilterLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeIpfilterParser()
{
    return std::make_unique<IpfilterParser>();
}

} // namespace tattle::parsers
