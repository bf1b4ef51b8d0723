// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/syslog_header.h"
#include "parsers/text.h"

#include <algorithm>
#include <memory>
#include <string>

// OpenBSD/FreeBSD pf packets as tcpdump prints the pflog link header with -e (print-pflog.c):
//   OpenBSD:  "rule 2/(match) pass in on xl0: 192.0.2.1.50425 > 198.51.100.10.22: . ack 1 win 73 ..."
//   tcpdump.org/FreeBSD: "rule 3/0(match): block in on em0: 192.0.2.1.1234 > 198.51.100.2.22: Flags [S], ..."
// A rule inside an anchor is "rule 5.anchorname.2/". The time comes first: OpenBSD's -ttt writes
// "Mar 30 15:53:25.793256", FreeBSD's -tttt "2024-03-05 12:34:56.123456", -tt epoch seconds; without
// a date (plain or delta times) the syslog header's time is used. pflogd piped to logger adds the syslog
// header with tag "pf". pfSense up to 2.1 logged "tcpdump -v" output, whose IP header summary
// "(tos 0x0, ttl 64, ..., proto TCP (6), length 60)" ends the rule line and the addresses follow on the
// next line.

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::Event;
using core::ParseStatus;

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t kMaxText = 256;

inline char at(std::string_view s, std::size_t i) noexcept
{
    return i < s.size() ? s[i] : '\0';
}

bool isPrintableAscii(std::string_view s) noexcept
{
    for (char c : s) {
        if (c < 0x21 || c > 0x7e) return false;
    }
    return true;
}

bool contains(std::string_view s, std::string_view what) noexcept
{
    return s.find(what) != npos;
}

// A time without a date at the start of s: tcpdump's default "12:34:56.123456" or a FreeBSD -ttt delta
// "00:00:00.000123", or -tt seconds since the epoch "1709642096.123456". Returns the length, 0 if none.
std::size_t skipDatelessTime(std::string_view s, syslog::Stamp& epoch) noexcept
{
    core::CivilTime c;
    std::size_t p = syslog::parseClock(s, 0, c);
    if (p != npos && (p == s.size() || s[p] == ' ')) return p;
    p = 0;
    while (p < s.size() && text::isDigit(s[p]))
        ++p;
    if (p < 9 || p > 10 || at(s, p) != '.') return 0;
    unsigned long long secs = 0;
    for (std::size_t i = 0; i < p; ++i)
        secs = secs * 10 + unsigned(s[i] - '0');
    std::size_t q = p + 1;
    std::uint32_t micros = 0, scale = 100000;
    while (text::isDigit(at(s, q))) {
        micros += std::uint32_t(s[q] - '0') * scale;
        scale /= 10;
        ++q;
    }
    if (q == p + 1 || (q < s.size() && s[q] != ' ')) return 0;
    epoch.kind = syslog::Stamp::Kind::Absolute;
    epoch.civil = core::civilFromMicros(core::Micros(secs) * core::kMicrosPerSecond);
    epoch.civil.micros = micros;
    epoch.offsetSeconds = 0;
    return q;
}

// "a.b.c.d.port", "a.b.c.d", "2001:db8::1.443", "2001:db8::1" (tcpdump -n); the port is -1 when absent.
bool parseEndpoint(std::string_view s, core::IpAddress& addr, int& port) noexcept
{
    port = -1;
    std::string_view host = s;
    const std::size_t colon = s.rfind(':');
    const std::size_t dot = s.rfind('.');
    if (dot != npos && (colon == npos || dot > colon)) {
        std::size_t dots = 0;
        for (std::size_t i = colon == npos ? 0 : colon + 1; i < s.size(); ++i)
            dots += s[i] == '.';
        // IPv4 with a port has four dots; IPv6 with a port one after the last ':' (or four when the
        // address ends in an embedded IPv4 address).
        if ((colon == npos && dots == 4) || (colon != npos && (dots == 1 || dots == 4))) {
            if (!text::parsePort(s.substr(dot + 1), port)) return false;
            host = s.substr(0, dot);
        }
    }
    const auto a = core::IpAddress::parse(host);
    if (!a) return false;
    addr = *a;
    return true;
}

// print-icmp.c / print-icmp6.c texts, old ("icmp: echo request") and new ("ICMP echo request, id 1").
void icmpFromText(std::string_view t, bool v6, Event& out) noexcept
{
    auto set = [&out](int type, int code) {
        out.icmpType = type;
        out.icmpCode = code;
    };
    if (v6) {
        if (contains(t, "echo request"))
            set(128, 0);
        else if (contains(t, "echo reply"))
            set(129, 0);
        else if (contains(t, "neighbor sol"))
            set(135, 0);
        else if (contains(t, "neighbor adv"))
            set(136, 0);
        else if (contains(t, "router solicitation"))
            set(133, 0);
        else if (contains(t, "router advertisement"))
            set(134, 0);
        else if (contains(t, "packet too big"))
            set(2, 0);
        else if (contains(t, "time exceeded"))
            set(3, contains(t, "reassembly") ? 1 : contains(t, "in-transit") ? 0 : -1);
        else if (contains(t, "parameter problem"))
            set(4, -1);
        else if (contains(t, "multicast listener report v2"))
            set(143, 0);
        else if (contains(t, "multicast listener query"))
            set(130, 0);
        else if (contains(t, "multicast listener report"))
            set(131, 0);
        else if (contains(t, "multicast listener done"))
            set(132, 0);
        else if (contains(t, "redirect"))
            set(137, 0);
        else if (contains(t, " port ") && contains(t, "unreachable"))
            set(1, 4);
        else if (contains(t, "unreachable"))
            set(1, contains(t, "prohibited") ? 1 : contains(t, "beyond scope") ? 2 : -1);
        return;
    }
    if (contains(t, "echo request"))
        set(8, 0);
    else if (contains(t, "echo reply"))
        set(0, 0);
    else if (contains(t, "need to frag"))
        set(3, 4);
    else if (contains(t, " port ") && contains(t, "unreachable"))
        set(3, 3);
    else if (contains(t, "protocol ") && contains(t, "unreachable"))
        set(3, 2);
    else if (contains(t, "admin prohibited filter"))
        set(3, 13);
    else if (contains(t, "host precedence violation"))
        set(3, 14);
    else if (contains(t, "precedence cutoff"))
        set(3, 15);
    else if (contains(t, "source route failed"))
        set(3, 5);
    else if (contains(t, "source host isolated"))
        set(3, 8);
    else if (contains(t, "unreachable")) {
        const bool net = t.starts_with("net ");
        const bool host = t.starts_with("host ");
        if (!net && !host)
            set(3, -1);
        else if (contains(t, "- unknown"))
            set(3, net ? 6 : 7);
        else if (contains(t, "admin prohibited"))
            set(3, net ? 9 : 10);
        else if (contains(t, "tos prohibited"))
            set(3, net ? 11 : 12);
        else
            set(3, net ? 0 : 1);
    } else if (contains(t, "source quench"))
        set(4, 0);
    else if (t.starts_with("redirect"))
        set(5, (t.starts_with("redirect-tos") ? 2 : 0) + (contains(t, " to host ") ? 1 : 0));
    else if (contains(t, "router advertisement"))
        set(9, 0);
    else if (contains(t, "router solicitation"))
        set(10, 0);
    else if (contains(t, "time exceeded in-transit"))
        set(11, 0);
    else if (contains(t, "reassembly time exceeded"))
        set(11, 1);
    else if (contains(t, "parameter problem"))
        set(12, -1);
    else if (contains(t, "time stamp request"))
        set(13, 0);
    else if (contains(t, "time stamp reply"))
        set(14, 0);
    else if (contains(t, "information request"))
        set(15, 0);
    else if (contains(t, "information reply"))
        set(16, 0);
    else if (contains(t, "address mask request"))
        set(17, 0);
    else if (contains(t, "address mask is"))
        set(18, 0);
}

// Protocols tcpdump names without ports: "ip-proto-47", "GREv0", "ESP(spi=...)", "igmp", "OSPFv2", ...
int protoFromPayload(std::string_view t) noexcept
{
    if (t.starts_with("ip-proto-")) {
        unsigned v = 0;
        std::size_t k = 9;
        while (k < t.size() && text::isDigit(t[k]))
            ++k;
        return text::parseUint(t.substr(9, k - 9), v, 255) ? int(v) : core::proto::kUnknown;
    }
    struct Name {
        std::string_view prefix;
        int proto;
    };
    static constexpr Name kNames[]
        = {{"icmp6", core::proto::kIcmpV6}, {"ICMP6", core::proto::kIcmpV6}, {"icmp", core::proto::kIcmp},
            {"ICMP", core::proto::kIcmp}, {"igmp", core::proto::kIgmp}, {"IGMP", core::proto::kIgmp},
            {"gre", core::proto::kGre}, {"GRE", core::proto::kGre}, {"esp", core::proto::kEsp},
            {"ESP", core::proto::kEsp}, {"ah", core::proto::kAh}, {"AH", core::proto::kAh}, {"OSPF", 89},
            {"ospf", 89}, {"VRRP", 112}, {"CARP", 112}, {"carp", 112}, {"PIM", 103}, {"pim", 103},
            {"pfsync", 240}, {"sctp", core::proto::kSctp}, {"SCTP", core::proto::kSctp}};
    for (const Name& n : kNames) {
        if (t.starts_with(n.prefix)) return n.proto;
    }
    return core::proto::kUnknown;
}

// New tcpdump "Flags [S.]": '.' is ACK, 'W' CWR, 'E' ECE, "none" for no flag.
bool newTcpFlags(std::string_view s, std::uint8_t& flags) noexcept
{
    flags = 0;
    if (s == "none") return true;
    for (char c : s) {
        switch (c) {
        case 'S':
            flags |= core::tcpflag::kSyn;
            break;
        case 'F':
            flags |= core::tcpflag::kFin;
            break;
        case 'R':
            flags |= core::tcpflag::kRst;
            break;
        case 'P':
            flags |= core::tcpflag::kPsh;
            break;
        case '.':
            flags |= core::tcpflag::kAck;
            break;
        case 'U':
            flags |= core::tcpflag::kUrg;
            break;
        case 'E':
            flags |= core::tcpflag::kEce;
            break;
        case 'W':
            flags |= core::tcpflag::kCwr;
            break;
        case 'e': // AE (accurate ECN), no Event bit for it
            break;
        default:
            return false;
        }
    }
    return true;
}

// Old tcpdump: a word of "SFRPWEU" letters, or "." for none; ACK and URG show as "ack N" and "urg N".
bool oldTcpFlags(std::string_view word, std::string_view rest, std::uint8_t& flags) noexcept
{
    if (word.empty() || word.size() > 8) return false;
    flags = 0;
    if (word != ".") {
        for (char c : word) {
            switch (c) {
            case 'S':
                flags |= core::tcpflag::kSyn;
                break;
            case 'F':
                flags |= core::tcpflag::kFin;
                break;
            case 'R':
                flags |= core::tcpflag::kRst;
                break;
            case 'P':
                flags |= core::tcpflag::kPsh;
                break;
            case 'W':
                flags |= core::tcpflag::kCwr;
                break;
            case 'E':
                flags |= core::tcpflag::kEce;
                break;
            case 'U':
                flags |= core::tcpflag::kUrg;
                break;
            default:
                return false;
            }
        }
    }
    if (rest.starts_with("ack ") || contains(rest, " ack ")) flags |= core::tcpflag::kAck;
    if (rest.starts_with("urg ") || contains(rest, " urg ")) flags |= core::tcpflag::kUrg;
    return true;
}

// tcpdump -v's IP summary "(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)" or
// "(flowlabel 0x1, hlim 64, next-header TCP (6) payload length: 20)": the protocol number, or -1.
int protoFromSummary(std::string_view s) noexcept
{
    for (std::string_view key : {std::string_view("proto "), std::string_view("next-header ")}) {
        std::size_t p = s.find(key);
        if (p == npos) continue;
        p = s.find('(', p);
        const std::size_t close = p == npos ? npos : s.find(')', p);
        unsigned v = 0;
        if (close != npos && text::parseUint(s.substr(p + 1, close - p - 1), v, 255)) return int(v);
    }
    return -1;
}

class PfLineParser final : public core::LineParser {
public:
    explicit PfLineParser(const core::ParseContext& ctx)
        : m_clock(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const bool pending = m_pending;
        m_pending = false;
        // Cheap gate: records name their rule, continuation lines follow a pending rule line; pf's own lines.
        if (!pending && line.find("rule ") == npos && line.find("pflogd") == npos
            && line.find(" pf:") == npos)
            return ParseStatus::NotMine;

        syslog::Header h;
        const bool split = syslog::splitHeader(line, h);
        const bool framed = !h.tag.empty();
        if (framed) {
            if (h.tag == "pflogd") return ParseStatus::Ignored; // pflogd's own messages
            if (h.tag != "pf" && h.tag != "pflog" && h.tag != "pflog0" && h.tag != "tcpdump")
                return ParseStatus::NotMine;
        } else if (!split || h.rfc5424) {
            return ParseStatus::NotMine;
        }
        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };

        // The packet's own time, when it has a date, wins over the syslog header's.
        std::string_view msg = h.message;
        syslog::Stamp stamp = framed ? syslog::Stamp() : h.stamp;
        if (framed) {
            const std::size_t end = syslog::parseStamp(msg, 0, stamp);
            if (end != npos) msg = text::trim(msg.substr(end));
        }
        if (stamp.kind == syslog::Stamp::Kind::None) {
            syslog::Stamp epoch;
            const std::size_t end = skipDatelessTime(msg, epoch);
            msg = text::trim(msg.substr(end));
            stamp = epoch.kind != syslog::Stamp::Kind::None ? epoch : framed ? h.stamp : syslog::Stamp();
        }

        if (!msg.starts_with("rule ")) {
            if (framed && pending && m_pendingTag == h.tag) return continuation(msg, out, reason);
            if (!framed) return ParseStatus::NotMine;
            // Under the pf tag: a packet line whose rule line is missing, or text that is not a record.
            std::string_view w = msg;
            text::nextWord(w);
            if (text::nextWord(w) == ">") return malformed("packet line without its rule line");
            return ParseStatus::Ignored;
        }
        msg.remove_prefix(5);

        // "2/(match)", "3/0(match):", "5.anchor/sub.2/(match)", "7/unkn(42):": the rule ends at the last '/'
        // before the reason's '(' (anchor names may hold '/').
        if (!text::isDigit(at(msg, 0))) {
            if (!framed && stamp.kind == syslog::Stamp::Kind::None) return ParseStatus::NotMine;
            return malformed("bad rule number");
        }
        const std::size_t paren = msg.substr(0, std::min(msg.size(), kMaxText)).find('(');
        const std::size_t slash = paren == npos ? npos : msg.rfind('/', paren);
        if (slash == npos || slash == 0) return malformed("truncated rule header");
        const std::string_view rule = msg.substr(0, slash);
        if (!isPrintableAscii(rule)) return malformed("bad rule number");
        msg.remove_prefix(slash + 1);
        std::size_t p = 0;
        while (text::isDigit(at(msg, p)))
            ++p;
        if (msg.compare(p, 5, "unkn(") == 0) p += 4;
        if (at(msg, p) != '(') return malformed("truncated rule header");
        const std::size_t close = msg.find(')', p);
        if (close == npos || close - p > 64) return malformed("truncated rule header");
        const std::string_view why = msg.substr(p + 1, close - p - 1);
        if (why.find(' ') != npos) return malformed("truncated rule header");
        p = close + 1;
        if (at(msg, p) == ':') ++p;
        msg = text::trim(msg.substr(p));
        while (msg.starts_with("[")) { // OpenBSD "[uid 0, pid 1234]", "[rewritten]"
            const std::size_t end = msg.find(']');
            if (end == npos) return malformed("truncated rule header");
            msg = text::trim(msg.substr(end + 1));
        }
        std::string_view rest = msg;
        const std::string_view action = text::nextWord(rest);
        const std::string_view dir = text::nextWord(rest);
        const std::string_view on = text::nextWord(rest);
        std::string_view iface = text::nextWord(rest);
        if (on != "on" || iface.size() < 2 || iface.back() != ':') return malformed("truncated rule header");
        iface.remove_suffix(1);
        if (iface.size() > 64 || !isPrintableAscii(iface)) return malformed("bad interface name");

        if (action == "pass" || action == "match") {
            out.action = Action::Allow;
        } else if (action == "block" || action == "synproxy-drop") {
            out.action = Action::Block;
        } else if (action == "nat" || action == "binat" || action == "rdr" || action == "scrub") {
            out.action = Action::Allow; // logged by a translation or scrub rule: the packet went on
        } else {
            return malformed("unknown action");
        }
        if (dir == "in")
            out.direction = Direction::In;
        else if (dir == "out")
            out.direction = Direction::Out;
        else if (dir != "in/out" && dir != "fwd")
            return malformed("unknown direction");

        syslog::assignText(out.rule, rule);
        out.iface.assign(iface);
        std::string& x = out.extra;
        syslog::jsonString(x, "reason", why);
        if (action != "pass" && action != "block") syslog::jsonString(x, "action", action);
        syslog::jsonClose(x);

        rest = text::trim(rest);
        int protoHint = -1;
        if (rest.starts_with("(")) {
            // tcpdump -v: the IP summary, with "(6)" nested inside.
            int depth = 0;
            std::size_t k = 0;
            for (; k < rest.size(); ++k) {
                if (rest[k] == '(') ++depth;
                if (rest[k] == ')' && --depth == 0) break;
            }
            if (k >= rest.size()) return malformed("truncated IP summary");
            protoHint = protoFromSummary(rest.substr(0, k + 1));
            rest = text::trim(rest.substr(k + 1));
        }
        if (rest.empty()) {
            if (!framed) return malformed("no addresses");
            // The addresses follow on the next line (pfSense 2.1 and older): keep the rule line.
            m_pending = true;
            m_pendingTag.assign(h.tag);
            m_pendingEvent = out;
            m_pendingStamp = stamp;
            m_pendingProto = protoHint;
            return ParseStatus::Ignored;
        }
        if (stamp.kind == syslog::Stamp::Kind::None) return malformed("no date");
        const ParseStatus st = packet(rest, protoHint, out, reason);
        if (st != ParseStatus::Event) return st;
        return m_clock.resolve(stamp, out) ? ParseStatus::Event : malformed("invalid date or time");
    }

private:
    ParseStatus continuation(std::string_view msg, Event& out, std::string& reason)
    {
        out = m_pendingEvent;
        if (m_pendingStamp.kind == syslog::Stamp::Kind::None) {
            reason.assign("no date");
            return ParseStatus::Malformed;
        }
        const ParseStatus st = packet(msg, m_pendingProto, out, reason);
        if (st != ParseStatus::Event) return st;
        if (!m_clock.resolve(m_pendingStamp, out)) {
            reason.assign("invalid date or time");
            return ParseStatus::Malformed;
        }
        return ParseStatus::Event;
    }

    // "src > dst: details".
    static ParseStatus packet(std::string_view s, int protoHint, Event& out, std::string& reason)
    {
        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        const std::string_view src = text::nextWord(s);
        const std::string_view gt = text::nextWord(s);
        std::string_view dst = text::nextWord(s);
        if (src.empty() || gt != ">" || dst.size() < 2 || dst.back() != ':') return malformed("no addresses");
        dst.remove_suffix(1);
        if (!parseEndpoint(src, out.src, out.srcPort)) return malformed("bad source address");
        if (!parseEndpoint(dst, out.dst, out.dstPort)) return malformed("bad destination address");
        if (out.src.family() != out.dst.family())
            return malformed("source and destination of different families");
        const bool ports = out.srcPort >= 0 && out.dstPort >= 0;
        if ((out.srcPort >= 0) != (out.dstPort >= 0)) return malformed("port on one side only");

        const std::string_view t = text::trim(s);
        std::string_view rest = t;
        const std::string_view first = text::nextWord(rest);
        std::uint8_t flags = 0;
        if (t.starts_with("[|")) { // a header cut short by the snap length: "[|tcp]"
            const std::size_t end = t.find(']');
            out.proto = end == npos ? core::proto::kUnknown : core::protoFromName(t.substr(2, end - 2));
            if (out.proto == core::proto::kUnknown && protoHint >= 0) out.proto = protoHint;
        } else if (t.starts_with("Flags [")) {
            const std::size_t end = t.find(']');
            if (end == npos || !newTcpFlags(t.substr(7, end - 7), flags)) return malformed("bad TCP flags");
            out.proto = core::proto::kTcp;
            out.tcpFlags = flags;
            out.hasTcpFlags = true;
        } else if (ports && (protoHint < 0 || protoHint == core::proto::kTcp)
            && oldTcpFlags(first, rest, flags)) {
            out.proto = core::proto::kTcp;
            out.tcpFlags = flags;
            out.hasTcpFlags = true;
        } else if (protoHint >= 0) {
            out.proto = protoHint;
        } else if (ports) {
            // tcpdump decodes UDP payloads (DNS, NTP, NetBIOS) instead of saying "udp": ports without TCP
            // flags are UDP unless it names SCTP.
            out.proto
                = t.starts_with("sctp") || t.starts_with("SCTP") ? core::proto::kSctp : core::proto::kUdp;
        } else {
            out.proto = protoFromPayload(t);
        }
        if (!ports && (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6)) {
            // After "icmp: ", "ICMP ", "icmp6: " or "ICMP6, ".
            std::string_view detail = t;
            const std::size_t sep = detail.find_first_of(":, ");
            detail = sep == npos ? std::string_view() : text::trim(detail.substr(sep + 1));
            icmpFromText(detail, out.proto == core::proto::kIcmpV6, out);
        }
        return ParseStatus::Event;
    }

    syslog::Clock m_clock;
    bool m_pending = false;
    std::string m_pendingTag;
    Event m_pendingEvent;
    syslog::Stamp m_pendingStamp;
    int m_pendingProto = -1;
};

class PfParser final : public core::Parser {
public:
    std::string_view id() const override { return "pf"; }
    std::string_view description() const override
    {
        return "OpenBSD/FreeBSD pf log as tcpdump -n -e -ttt -r pflog prints it, directly or through syslog "
               "(pflogd piped to logger, pfSense 2.1 and older)";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000; // a leap year, so that any date in the head is valid
        PfLineParser p(ctx);
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
                broken > 0 ? std::to_string(broken) + " lines look like pflog records but none could be read"
                           : "no \"rule N/(reason) action dir on if:\" pflog record"};
        }
        if (events == 1 && n > 1) return {55, counts + " is a pflog record"};
        return {int(65 + 34 * events / n), counts + " are pflog records"};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<PfLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makePfParser()
{
    return std::make_unique<PfParser>();
}

} // namespace tattle::parsers
