// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/text.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>

// Kernel side of the format: nf_log_syslog.c (dump_ipv4_packet / dump_ipv6_packet) writes
// "<prefix>IN=<if> OUT=<if> [PHYSIN= PHYSOUT=] [MAC=] SRC= DST= LEN= ... PROTO=<p> ...": the prefix is glued
// to IN= (users add the space), the ICMP error payload is a bracketed copy of the quoted header, TCP flags
// are bare words between RES= and URGP=. iptables limits --log-prefix to 29 bytes.

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::Event;
using core::ParseStatus;

constexpr std::size_t npos = std::string_view::npos;
// The prefix itself is at most 29 bytes; UniFi adds DESCR="<rule description>", syslog a host and a tag.
constexpr std::size_t kMaxPrefix = 1024;
constexpr std::size_t kMaxIfaceName = 64; // IFNAMSIZ is 16; generous for bridge and VLAN names

inline char at(std::string_view s, std::size_t i) noexcept
{
    return i < s.size() ? s[i] : '\0';
}

inline bool isAlpha(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

inline bool isAlnum(char c) noexcept
{
    return isAlpha(c) || text::isDigit(c);
}

inline bool isBlank(char c) noexcept
{
    return c == ' ' || c == '\t';
}

bool twoDigits(std::string_view s, std::size_t pos, unsigned& out) noexcept
{
    const char a = at(s, pos), b = at(s, pos + 1);
    if (!text::isDigit(a) || !text::isDigit(b)) return false;
    out = unsigned(a - '0') * 10 + unsigned(b - '0');
    return true;
}

/// A timestamp as the line writes it.
struct Stamp {
    enum class Kind : std::uint8_t {
        None,
        Syslog, ///< RFC 3164: no year, local time
        Absolute, ///< with a year and a UTC offset: utcSeconds is set
        Local, ///< with a year but no zone
    };
    Kind kind = Kind::None;
    int year = 0;
    unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
    std::uint32_t micros = 0;
    int offsetSeconds = 0; // for Absolute
};

// "hh:mm:ss[.ffffff]" at pos; the position after it, or npos.
std::size_t parseClock(std::string_view s, std::size_t pos, Stamp& st) noexcept
{
    if (at(s, pos + 2) != ':' || at(s, pos + 5) != ':' || !twoDigits(s, pos, st.hour)
        || !twoDigits(s, pos + 3, st.minute) || !twoDigits(s, pos + 6, st.second))
        return npos;
    pos += 8;
    if (at(s, pos) == '.' || at(s, pos) == ',') {
        const std::size_t start = ++pos;
        unsigned scale = 100000;
        st.micros = 0;
        while (text::isDigit(at(s, pos))) {
            st.micros += unsigned(s[pos] - '0') * scale; // digits past microseconds add 0
            scale /= 10;
            ++pos;
        }
        if (pos == start) return npos;
    }
    return pos;
}

// "+01:00", "-0500" or "Z" at pos: the offset in seconds and the position after it.
std::size_t parseOffset(std::string_view s, std::size_t pos, int& offset) noexcept
{
    const char sign = at(s, pos);
    if (sign == 'Z' || sign == 'z') {
        offset = 0;
        return pos + 1;
    }
    if (sign != '+' && sign != '-') return npos;
    unsigned h = 0, m = 0;
    if (!twoDigits(s, pos + 1, h)) return npos;
    std::size_t p = pos + 3;
    if (at(s, p) == ':') ++p;
    if (!twoDigits(s, p, m) || h > 23 || m > 59) return npos;
    offset = (sign == '-' ? -1 : 1) * int(h * 3600 + m * 60);
    return p + 2;
}

inline bool endsStamp(std::string_view s, std::size_t pos) noexcept
{
    return pos != npos && (pos == s.size() || isBlank(s[pos]));
}

// RFC 3164 "Mmm dd hh:mm:ss" (day space- or zero-padded or not padded at all).
std::size_t parseSyslogStamp(std::string_view s, std::size_t pos, Stamp& st) noexcept
{
    if (pos + 14 > s.size()) return npos;
    st.month = core::monthFromAbbrev(s.substr(pos, 3));
    if (st.month == 0 || s[pos + 3] != ' ') return npos;
    pos += 4;
    if (at(s, pos) == ' ') ++pos;
    if (!text::isDigit(at(s, pos))) return npos;
    st.day = unsigned(s[pos++] - '0');
    if (text::isDigit(at(s, pos))) st.day = st.day * 10 + unsigned(s[pos++] - '0');
    if (at(s, pos) != ' ') return npos;
    pos = parseClock(s, pos + 1, st);
    if (!endsStamp(s, pos)) return npos;
    st.kind = Stamp::Kind::Syslog;
    return pos;
}

// RFC 3339 "2024-03-05T12:34:56.123456+01:00" (also with a space for the T, "+0100", or no zone at all).
std::size_t parseIsoStamp(std::string_view s, std::size_t pos, Stamp& st) noexcept
{
    unsigned yh = 0, yl = 0;
    if (!twoDigits(s, pos, yh) || !twoDigits(s, pos + 2, yl) || at(s, pos + 4) != '-' || at(s, pos + 7) != '-'
        || !twoDigits(s, pos + 5, st.month) || !twoDigits(s, pos + 8, st.day))
        return npos;
    st.year = int(yh * 100 + yl);
    const char t = at(s, pos + 10);
    if (t != 'T' && t != 't' && t != ' ') return npos;
    pos = parseClock(s, pos + 11, st);
    if (pos == npos) return npos;
    if (endsStamp(s, pos)) {
        st.kind = Stamp::Kind::Local;
        return pos;
    }
    pos = parseOffset(s, pos, st.offsetSeconds);
    if (!endsStamp(s, pos)) return npos;
    st.kind = Stamp::Kind::Absolute;
    return pos;
}

bool allDigits(std::string_view s) noexcept
{
    if (s.empty()) return false;
    for (char c : s) {
        if (!text::isDigit(c)) return false;
    }
    return true;
}

// Proxmox pve-firewall.log: "<vmid> <loglevel> <chain> 20/Jun/2022:13:09:14 +0200 <verdict>: IN=...".
// Returns the position after the zone; vmid and chain are set.
std::size_t parsePveStamp(
    std::string_view s, Stamp& st, std::string_view& vmid, std::string_view& chain) noexcept
{
    std::string_view rest = s;
    const std::string_view id = text::nextWord(rest);
    const std::string_view level = text::nextWord(rest);
    const std::string_view name = text::nextWord(rest);
    if (id.size() > 10 || !allDigits(id) || !allDigits(level) || name.empty()) return npos;
    std::size_t pos = std::size_t(rest.data() - s.data());
    while (isBlank(at(s, pos)))
        ++pos;
    unsigned yh = 0, yl = 0;
    if (!twoDigits(s, pos, st.day) || at(s, pos + 2) != '/' || at(s, pos + 6) != '/' || at(s, pos + 11) != ':'
        || !twoDigits(s, pos + 7, yh) || !twoDigits(s, pos + 9, yl))
        return npos;
    st.month = core::monthFromAbbrev(s.substr(pos + 3, 3));
    st.year = int(yh * 100 + yl);
    if (st.month == 0) return npos;
    pos = parseClock(s, pos + 12, st);
    if (pos == npos || at(s, pos) != ' ') return npos;
    pos = parseOffset(s, pos + 1, st.offsetSeconds);
    if (!endsStamp(s, pos)) return npos;
    st.kind = Stamp::Kind::Absolute;
    vmid = id;
    chain = name;
    return pos;
}

// Where the key=value part starts: the first IN= (or, when there is none, OUT=) that is a key of its own.
// A key glued to letters ("...DROPIN=eth0") still counts when "OUT=" follows its value, as the kernel
// always writes them together.
std::size_t findKey(std::string_view line, std::string_view key) noexcept
{
    std::size_t p = 0;
    while ((p = line.find(key, p)) != npos) {
        if (p == 0 || !isAlnum(line[p - 1])) return p;
        // Bounded look-ahead: a 10 MB run of "IN=IN=..." must stay linear.
        std::size_t v = p + key.size();
        const std::size_t limit = std::min(line.size(), v + kMaxIfaceName);
        while (v < limit && line[v] != ' ')
            ++v;
        if (line.compare(v, 5, " OUT=") == 0) return p;
        p += key.size();
    }
    return npos;
}

std::size_t findPayload(std::string_view line) noexcept
{
    const std::size_t in = findKey(line, "IN=");
    return in != npos ? in : findKey(line, "OUT=");
}

bool isHostName(std::string_view w) noexcept
{
    if (w.empty()) return false;
    for (char c : w) {
        if (!isAlnum(c) && c != '-' && c != '.' && c != '_') return false;
    }
    return true;
}

// Syslog tags of programs whose lines carry netfilter records.
bool isFirewallTag(std::string_view name) noexcept
{
    for (std::string_view t : {"kernel", "ulogd", "ulogd2", "vmunix", "firewall", "iptables", "ufw"}) {
        if (name == t) return true;
    }
    return false;
}

enum class Tag : std::uint8_t { None, Firewall, Other };

// "kernel:", "ulogd[812]:", "sshd[454008]:". A word ending in ':' without a [pid] is a log prefix
// ("DENY:", "Shorewall:net2fw:DROP:") unless it names a firewall program.
Tag classifyTag(std::string_view w) noexcept
{
    if (w.size() < 2 || w.back() != ':') return Tag::None;
    w.remove_suffix(1);
    if (isFirewallTag(w)) return Tag::Firewall;
    if (w.back() != ']') return Tag::None;
    const std::size_t open = w.rfind('[');
    if (open == npos || open == 0 || !allDigits(w.substr(open + 1, w.size() - open - 2))) return Tag::None;
    // Another program's line (sshd, sudo, a web server) may quote text an attacker chose, such as a user
    // name made to look like a firewall record: only firewall programs' lines are read.
    return isFirewallTag(w.substr(0, open)) ? Tag::Firewall : Tag::Other;
}

// Between the timestamp and IN=: "[host [host]] [tag:] [[uptime]] prefix". False when the line belongs to
// another program.
bool extractPrefix(std::string_view head, std::string_view& prefix) noexcept
{
    std::string_view rest = head;
    std::size_t start = npos;
    for (int k = 0; k < 3; ++k) {
        const std::string_view w = text::nextWord(rest);
        if (w.empty()) break;
        const Tag tag = classifyTag(w);
        if (tag == Tag::Other) return false;
        if (tag == Tag::Firewall) {
            start = std::size_t(rest.data() - head.data());
            break;
        }
    }
    if (start == npos) {
        // No tag (UniFi, or ulogd writing to its own file): a leading host name, possibly written twice,
        // unless it is the only word, which then is the prefix ("Jan  8 03:37:09 DENY: IN=...").
        rest = head;
        const std::string_view host = text::nextWord(rest);
        std::string_view after = rest;
        const std::string_view next = text::nextWord(after);
        start = 0;
        if (!next.empty() && isHostName(host)) {
            start = std::size_t(rest.data() - head.data());
            if (next == host) start = std::size_t(after.data() - head.data());
        }
    }
    prefix = text::trim(head.substr(start));
    // The kernel's uptime stamp "[  203.842973]".
    if (!prefix.empty() && prefix.front() == '[') {
        std::size_t i = 1;
        while (i < prefix.size() && (prefix[i] == ' ' || prefix[i] == '.' || text::isDigit(prefix[i])))
            ++i;
        if (i > 1 && at(prefix, i) == ']') prefix = text::trim(prefix.substr(i + 1));
    }
    return true;
}

bool isWordIn(std::string_view w, std::initializer_list<std::string_view> words) noexcept
{
    for (std::string_view x : words) {
        if (text::iequals(w, x)) return true;
    }
    return false;
}

// The verdict a log prefix names. Prefixes are free text chosen by whoever wrote the rule, so this looks for
// verdict words: UFW "[UFW BLOCK]" / "[UFW ALLOW]" / "[UFW AUDIT]" / "[UFW LIMIT BLOCK]", firewalld
// "filter_IN_public_REJECT", Shorewall "net2fw:DROP", SuSEfirewall2 "SFW2-INext-ACC-TCP", EdgeOS/UniFi
// "<ruleset>-<rule>-D" / "-A". A block word wins over an allow word. A prefix with no verdict at all is
// read as block: a LOG rule with no verdict in its prefix is almost always the last rule before a drop
// policy ("[4475569.0] IN=...", "FIREWALL_OUT", "IPTABLE"), and allow rules are logged far more rarely.
Action actionFromPrefix(std::string_view prefix) noexcept
{
    bool allow = false;
    std::size_t i = 0;
    while (i < prefix.size()) {
        if (!isAlnum(prefix[i])) {
            ++i;
            continue;
        }
        const std::size_t b = i;
        while (i < prefix.size() && isAlnum(prefix[i]))
            ++i;
        const std::string_view w = prefix.substr(b, i - b);
        if (w.size() == 1) {
            if (b > 0 && prefix[b - 1] == '-') {
                if (w[0] == 'D' || w[0] == 'R') return Action::Block;
                if (w[0] == 'A') allow = true;
            }
            continue;
        }
        if (isWordIn(
                w, {"DROP", "BLOCK", "REJECT", "DENY", "DROPPED", "BLOCKED", "REJECTED", "DENIED", "DENIAL"}))
            return Action::Block;
        if (isWordIn(w,
                {"ACCEPT", "ALLOW", "ACC", "AUDIT", "PASS", "PERMIT", "ACCEPTED", "ALLOWED", "PERMITTED",
                    "PASSED"}))
            allow = true;
    }
    return allow ? Action::Allow : Action::Block;
}

bool isPrintableAscii(std::string_view s) noexcept
{
    for (char c : s) {
        if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
}

// The rule name: the prefix without brackets and trailing colon ("[UFW BLOCK]" -> "UFW BLOCK").
std::string_view ruleFromPrefix(std::string_view p) noexcept
{
    p = text::trim(p);
    if (p.size() >= 2 && p.front() == '[' && p.back() == ']') p = text::trim(p.substr(1, p.size() - 2));
    while (!p.empty() && (p.back() == ':' || isBlank(p.back())))
        p.remove_suffix(1);
    return p;
}

void assignText(std::string& out, std::string_view s)
{
    if (isPrintableAscii(s))
        out.assign(s);
    else
        out = core::sanitizeForDisplay(s); // rare: NUL, control bytes or invalid UTF-8 in hostile input
}

/// The key=value fields this parser uses, as views into the line.
struct Fields {
    std::string_view in, out, src, dst, proto, spt, dpt, type, code;
    bool hasIn = false, hasOut = false, hasSrc = false, hasDst = false, hasProto = false, hasSpt = false,
         hasDpt = false, hasType = false, hasCode = false, hasWindow = false;
    std::uint8_t flags = 0;
};

inline bool keyIs(std::string_view key, const char* k, std::size_t n) noexcept
{
    return key.size() == n && std::memcmp(key.data(), k, n) == 0;
}

void setOnce(std::string_view value, std::string_view& slot, bool& has) noexcept
{
    if (!has) {
        slot = value;
        has = true;
    }
}

void scanFields(std::string_view s, Fields& f) noexcept
{
    const std::size_t n = s.size();
    std::size_t i = 0;
    bool inBracket = false;
    while (i < n) {
        while (i < n && isBlank(s[i]))
            ++i;
        if (i >= n) break;
        const std::size_t b = i;
        std::size_t eq = npos;
        while (i < n && !isBlank(s[i])) {
            if (s[i] == '=' && eq == npos) {
                eq = i;
                if (at(s, i + 1) == '"') { // DESCR="two words"
                    const std::size_t close = s.find('"', i + 2);
                    i = close == npos ? n : close;
                }
            }
            ++i;
        }
        const std::string_view tok = s.substr(b, i - b);
        // The quoted packet of an ICMP error, "[SRC=... DST=... ]", and "INCOMPLETE [65 bytes]", are not the
        // logged packet: skip them so they cannot override its fields.
        if (inBracket) {
            if (tok.back() == ']') inBracket = false;
            continue;
        }
        if (tok.front() == '[') {
            inBracket = tok.back() != ']' || tok.size() == 1;
            continue;
        }
        if (eq == npos) {
            if (tok.size() == 3) {
                static constexpr struct {
                    char name[4];
                    std::uint8_t bit;
                } kFlags[] = {{"CWR", core::tcpflag::kCwr}, {"ECE", core::tcpflag::kEce},
                    {"URG", core::tcpflag::kUrg}, {"ACK", core::tcpflag::kAck}, {"PSH", core::tcpflag::kPsh},
                    {"RST", core::tcpflag::kRst}, {"SYN", core::tcpflag::kSyn}, {"FIN", core::tcpflag::kFin}};
                for (const auto& fl : kFlags) {
                    if (std::memcmp(tok.data(), fl.name, 3) == 0) f.flags |= fl.bit;
                }
            }
            continue;
        }
        const std::string_view key = tok.substr(0, eq - b);
        const std::string_view value = tok.substr(eq - b + 1);
        switch (key.size()) {
        case 2:
            if (keyIs(key, "IN", 2)) setOnce(value, f.in, f.hasIn);
            break;
        case 3:
            if (keyIs(key, "SRC", 3))
                setOnce(value, f.src, f.hasSrc);
            else if (keyIs(key, "DST", 3))
                setOnce(value, f.dst, f.hasDst);
            else if (keyIs(key, "SPT", 3))
                setOnce(value, f.spt, f.hasSpt);
            else if (keyIs(key, "DPT", 3))
                setOnce(value, f.dpt, f.hasDpt);
            else if (keyIs(key, "OUT", 3))
                setOnce(value, f.out, f.hasOut);
            break;
        case 4:
            if (keyIs(key, "TYPE", 4))
                setOnce(value, f.type, f.hasType);
            else if (keyIs(key, "CODE", 4))
                setOnce(value, f.code, f.hasCode);
            break;
        case 5:
            if (keyIs(key, "PROTO", 5)) setOnce(value, f.proto, f.hasProto);
            break;
        case 6:
            if (keyIs(key, "WINDOW", 6)) f.hasWindow = true;
            break;
        default:
            break;
        }
    }
}

bool validIface(std::string_view s) noexcept
{
    return s.size() <= kMaxIfaceName && isPrintableAscii(s);
}

class NetfilterLineParser final : public core::LineParser {
public:
    explicit NetfilterLineParser(const core::ParseContext& ctx)
        : m_zone(ctx.zone)
        , m_years(ctx.referenceTime, ctx.year)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t payloadAt = findPayload(line);
        if (payloadAt == npos) return ParseStatus::NotMine;
        const std::string_view head = line.substr(0, payloadAt);

        // The timestamp, then the prefix; a broken stamp is reported once the line is known to be ours.
        Stamp st;
        std::size_t pos = 0;
        std::string_view pveVmid, pveChain;
        if (at(head, 0) == '<') { // syslog PRI "<161>"
            std::size_t p = 1;
            while (p < 5 && text::isDigit(at(head, p)))
                ++p;
            if (p > 1 && at(head, p) == '>') pos = p + 1;
        }
        bool rfc5424 = false;
        if (pos > 0 && at(head, pos) == '1' && at(head, pos + 1) == ' ') { // "<4>1 2024-..."
            rfc5424 = true;
            pos += 2;
        }
        std::size_t after = npos;
        const char c0 = at(head, pos);
        if (text::isDigit(c0)) {
            if (text::isDigit(at(head, pos + 1)) && text::isDigit(at(head, pos + 3))
                && at(head, pos + 4) == '-')
                after = parseIsoStamp(head, pos, st);
            if (after == npos && pos == 0) {
                st = Stamp();
                after = parsePveStamp(head, st, pveVmid, pveChain);
            }
        } else if (isAlpha(c0)) {
            after = parseSyslogStamp(head, pos, st);
        }

        std::string_view prefix;
        if (!pveChain.empty() && after != npos) {
            prefix = text::trim(head.substr(after));
        } else if (rfc5424 && after != npos) {
            if (!extract5424(head.substr(after), prefix)) return ParseStatus::NotMine;
        } else if (!extractPrefix(after == npos ? head : head.substr(after), prefix)) {
            return ParseStatus::NotMine;
        }

        Fields f;
        scanFields(line.substr(payloadAt), f);
        // Ours only with the packet addresses; without SRC= this is some other key=value text.
        if (!f.hasSrc) return ParseStatus::NotMine;

        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        if (st.kind == Stamp::Kind::None) return malformed("no timestamp");
        if (!f.hasDst) return malformed("truncated: no DST=");
        if (!f.hasProto) return malformed("truncated: no PROTO=");
        if (prefix.size() > kMaxPrefix) return malformed("log prefix too long");

        const auto src = core::IpAddress::parse(f.src);
        if (!src) return malformed("bad SRC address");
        const auto dst = core::IpAddress::parse(f.dst);
        if (!dst) return malformed("bad DST address");
        if (src->family() != dst->family()) return malformed("SRC and DST of different address families");
        out.src = *src;
        out.dst = *dst;

        out.proto = core::protoFromName(f.proto);
        if (out.proto == core::proto::kUnknown) return malformed("unknown PROTO=");
        if (f.hasSpt && !text::parsePort(f.spt, out.srcPort)) return malformed("bad SPT= port");
        if (f.hasDpt && !text::parsePort(f.dpt, out.dstPort)) return malformed("bad DPT= port");
        if (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6) {
            unsigned v = 0;
            if (f.hasType) {
                if (!text::parseUint(f.type, v, 255)) return malformed("bad ICMP TYPE=");
                out.icmpType = int(v);
            }
            if (f.hasCode) {
                if (!text::parseUint(f.code, v, 255)) return malformed("bad ICMP CODE=");
                out.icmpCode = int(v);
            }
        } else if (out.proto == core::proto::kTcp && f.hasWindow) {
            out.tcpFlags = f.flags;
            out.hasTcpFlags = true;
        }

        if (!validIface(f.in) || !validIface(f.out)) return malformed("bad interface name");
        if (f.in.empty() && f.out.empty()) return malformed("no interface (IN= and OUT= both empty)");
        if (!f.in.empty() && !f.out.empty()) {
            out.direction = Direction::Unknown; // forwarded or bridged
            out.iface.assign(f.in);
        } else if (!f.in.empty()) {
            out.direction = Direction::In;
            out.iface.assign(f.in);
        } else {
            out.direction = Direction::Out;
            out.iface.assign(f.out);
        }

        if (!pveChain.empty()) {
            const std::string_view verdict = ruleFromPrefix(prefix);
            out.action = actionFromPrefix(verdict);
            out.rule.assign(pveChain);
            if (!verdict.empty()) {
                out.rule.push_back(' ');
                out.rule.append(verdict);
            }
            if (!isPrintableAscii(out.rule)) out.rule = core::sanitizeForDisplay(out.rule);
            out.extra.assign("{\"vmid\":");
            out.extra.append(pveVmid);
            out.extra.push_back('}');
        } else {
            std::string_view descr;
            if (const std::size_t d = prefix.find("DESCR=\"");
                d != npos && (d == 0 || isBlank(prefix[d - 1]))) {
                descr = prefix.substr(d + 7);
                if (const std::size_t q = descr.find('"'); q != npos) descr = descr.substr(0, q);
                prefix = prefix.substr(0, d);
                out.extra.assign("{\"descr\":");
                core::appendJsonString(out.extra, descr);
                out.extra.push_back('}');
            }
            const std::string_view rule = ruleFromPrefix(prefix);
            out.action = actionFromPrefix(rule);
            assignText(out.rule, rule);
        }

        return setTime(st, out) ? ParseStatus::Event : malformed("invalid date or time");
    }

private:
    // RFC 5424 after the stamp: "host app procid msgid structured-data msg".
    static bool extract5424(std::string_view rest, std::string_view& prefix) noexcept
    {
        text::nextWord(rest); // host
        const std::string_view app = text::nextWord(rest);
        const std::string_view procId = text::nextWord(rest);
        text::nextWord(rest); // msgid
        if (!isFirewallTag(app) && allDigits(procId)) return false; // a user-space program's line
        rest = text::trim(rest);
        if (!rest.empty() && rest.front() == '-') {
            rest.remove_prefix(1);
        } else if (!rest.empty() && rest.front() == '[') {
            const std::size_t end = rest.find("] ");
            rest = end == npos ? std::string_view() : rest.substr(end + 1);
        }
        std::string_view p;
        if (!extractPrefix(rest, p)) return false;
        prefix = p;
        return true;
    }

    bool setTime(const Stamp& st, Event& out)
    {
        core::CivilTime c;
        c.month = st.month;
        c.day = st.day;
        c.hour = st.hour;
        c.minute = st.minute;
        c.second = st.second;
        c.micros = st.micros;
        bool unusual = false;
        std::int64_t utc = 0;
        switch (st.kind) {
        case Stamp::Kind::Syslog:
            c.year = m_years.yearFor(st.month, st.day);
            if (!c.valid()) return false;
            utc = m_zone.toUtc(c.asUtcSeconds(), &unusual);
            out.timeGuessed = unusual || !m_years.fixed();
            break;
        case Stamp::Kind::Local:
            c.year = st.year;
            if (!c.valid()) return false;
            utc = m_zone.toUtc(c.asUtcSeconds(), &unusual);
            out.timeGuessed = unusual;
            break;
        case Stamp::Kind::Absolute:
            c.year = st.year;
            if (!c.valid()) return false;
            utc = c.asUtcSeconds() - st.offsetSeconds;
            break;
        case Stamp::Kind::None:
            return false;
        }
        out.time = utc * core::kMicrosPerSecond + c.micros;
        return true;
    }

    core::TimeZone m_zone;
    core::YearInference m_years;
};

class NetfilterParser final : public core::Parser {
public:
    std::string_view id() const override { return "netfilter"; }
    std::string_view description() const override
    {
        return "Linux netfilter LOG lines in syslog: iptables, ip6tables, nftables, UFW, firewalld, "
               "Shorewall, "
               "SuSEfirewall2, OpenWrt, EdgeOS/UniFi, Proxmox";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000; // a leap year, so that any date in the head is valid
        NetfilterLineParser p(ctx);
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
                broken > 0
                    ? std::to_string(broken) + " lines look like netfilter records but none could be read"
                    : "no line has the netfilter IN= OUT= SRC= DST= PROTO= shape"};
        }
        // Firewall lines often share a syslog file with sshd, cron and the rest: a few suffice.
        if (events == 1 && n > 1) return {50, counts + " is a netfilter record"};
        return {int(60 + 35 * events / n), counts + " are netfilter records"};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<NetfilterLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeNetfilterParser()
{
    return std::make_unique<NetfilterParser>();
}

} // namespace tattle::parsers
