// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/syslog_header.h"
#include "parsers/text.h"

#include <algorithm>
#include <memory>
#include <string>

// Cisco ASA, PIX, FWSM and Firepower Threat Defense messages: "%ASA-<severity>-<id>: <text>", after a
// syslog header, the device's own "logging timestamp" ("Oct 10 2018 12:34:56") or both (Cisco "ASA
// Series Syslog Messages"). The packet and connection messages are events:
//   106001 106006 106007 106015 106016 106017 106012 106013 106020 106021 106022: "... from A[/p] to B[/p]
//   ..." 106010 106011 106014 106023 418001: "Deny ... src ifc:A[/p] dst ifc:B[/p] [(type N, code M)] [by
//   access-group "acl"]" 106002 106018: "... denied by outbound list acl src A [p] dest B [p]" 106100:
//   "access-list acl permitted|denied|est-allowed proto ifc/A(p) -> ifc/B(p) hit-cnt N ..." 302013 302015
//   302017 302020: "Built inbound|outbound ... for ifc:A/p (...) to ifc:B/p (...)": the "for" side is the
//   outer one, so an outbound connection was opened by the "to" side. 710002 710003 710005 710006: traffic to
//   the ASA itself; 313001 313004 313005 313008 313009: ICMP; 338008 410001 419001 420002 421001 434002
//   500004: drops naming both ends; 733100: a host whose drops passed the threat-detection rate (no
//   destination).
// Teardowns (302014 302016 302018 302021) repeat a connection already counted when it was built, and
// name no direction; they are Ignored with the translation (305011/305012), VPN, AAA and system messages.

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::Event;
using core::ParseStatus;

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t kMaxName = 64;

inline char at(std::string_view s, std::size_t i) noexcept
{
    return i < s.size() ? s[i] : '\0';
}

bool isPrintableName(std::string_view s) noexcept
{
    if (s.empty() || s.size() > kMaxName) return false;
    for (char c : s) {
        if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
}

// The port names ASA configurations and messages use in place of numbers.
struct PortName {
    std::string_view name;
    int port;
};
constexpr PortName kPortNames[] = {{"aol", 5190}, {"bgp", 179}, {"biff", 512}, {"bootpc", 68}, {"bootps", 67},
    {"chargen", 19}, {"cifs", 3020}, {"citrix-ica", 1494}, {"cmd", 514}, {"ctiqbe", 2748}, {"daytime", 13},
    {"discard", 9}, {"dnsix", 195}, {"domain", 53}, {"echo", 7}, {"exec", 512}, {"finger", 79}, {"ftp", 21},
    {"ftp-data", 20}, {"gopher", 70}, {"h323", 1720}, {"hostname", 101}, {"http", 80}, {"https", 443},
    {"ident", 113}, {"imap4", 143}, {"irc", 194}, {"isakmp", 500}, {"kerberos", 88}, {"klogin", 543},
    {"kshell", 544}, {"ldap", 389}, {"ldaps", 636}, {"login", 513}, {"lotusnotes", 1352}, {"lpd", 515},
    {"mobile-ip", 434}, {"nameserver", 42}, {"netbios-dgm", 138}, {"netbios-ns", 137}, {"netbios-ssn", 139},
    {"nfs", 2049}, {"nntp", 119}, {"ntp", 123}, {"pcanywhere-data", 5631}, {"pcanywhere-status", 5632},
    {"pim-auto-rp", 496}, {"pop2", 109}, {"pop3", 110}, {"pptp", 1723}, {"radius", 1645},
    {"radius-acct", 1646}, {"rip", 520}, {"rsh", 514}, {"rtsp", 554}, {"secureid-udp", 5510}, {"sip", 5060},
    {"smtp", 25}, {"snmp", 161}, {"snmptrap", 162}, {"sqlnet", 1521}, {"ssh", 22}, {"sunrpc", 111},
    {"syslog", 514}, {"tacacs", 49}, {"talk", 517}, {"telnet", 23}, {"tftp", 69}, {"time", 37}, {"uucp", 540},
    {"who", 513}, {"whois", 43}, {"www", 80}, {"xdmcp", 177}};

bool parsePortOrName(std::string_view s, int& port) noexcept
{
    if (text::parsePort(s, port)) return true;
    for (const PortName& p : kPortNames) {
        if (p.name == s) {
            port = p.port;
            return true;
        }
    }
    return false;
}

enum class EndpointError : std::uint8_t { None, Missing, Address, Port };

// "addr", "addr/port" (the port may be an ASA port name), followed by a blank, '(' (an identity-firewall
// user or mapped address), ',' or ';' or the end.
EndpointError parseAddrPort(
    std::string_view s, core::IpAddress& addr, int& port, bool withPort = true) noexcept
{
    port = -1;
    std::size_t end = 0;
    while (
        end < s.size() && s[end] != ' ' && s[end] != '(' && s[end] != ')' && s[end] != ',' && s[end] != ';')
        ++end;
    s = s.substr(0, end);
    if (s.empty()) return EndpointError::Missing;
    const std::size_t slash = s.find('/');
    if (slash != npos) {
        if (!withPort || !parsePortOrName(s.substr(slash + 1), port)) return EndpointError::Port;
        s = s.substr(0, slash);
    }
    auto a = core::IpAddress::parse(s);
    if (!a && s.ends_with(":")) a = core::IpAddress::parse(s.substr(0, s.size() - 1)); // "to B: no session"
    if (!a) return EndpointError::Address;
    addr = *a;
    return EndpointError::None;
}

// "ifc:addr[/port]" (a blank may follow the ':'); the interface ends at the first ':'.
EndpointError parseIfAddr(
    std::string_view s, std::string_view& ifc, core::IpAddress& addr, int& port) noexcept
{
    const std::size_t colon = s.find(':');
    if (colon == npos || colon == 0 || colon > kMaxName) return EndpointError::Missing;
    ifc = s.substr(0, colon);
    if (ifc.find_first_of("/()") != npos) return EndpointError::Missing; // names may hold blanks, not these
    s.remove_prefix(colon + 1);
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    return parseAddrPort(s, addr, port);
}

// "ifc/addr(port)" of 106100.
EndpointError parseAclEndpoint(
    std::string_view s, std::string_view& ifc, core::IpAddress& addr, int& port) noexcept
{
    port = -1;
    const std::size_t slash = s.find('/');
    if (slash == npos || slash == 0 || slash > kMaxName) return EndpointError::Missing;
    ifc = s.substr(0, slash);
    s.remove_prefix(slash + 1);
    const std::size_t open = s.find('(');
    const std::size_t close = open == npos ? npos : s.find(')', open);
    if (close == npos) return EndpointError::Missing;
    unsigned v = 0;
    if (!text::parseUint(s.substr(open + 1, close - open - 1), v, 65535)) return EndpointError::Port;
    port = int(v);
    const auto a = core::IpAddress::parse(s.substr(0, open));
    if (!a) return EndpointError::Address;
    addr = *a;
    return EndpointError::None;
}

// The text after the first occurrence of word (which must start a word), or npos.
std::size_t after(std::string_view s, std::string_view word, std::size_t from = 0) noexcept
{
    std::size_t p = from;
    while ((p = s.find(word, p)) != npos) {
        if (p == 0 || s[p - 1] == ' ') return p + word.size();
        p += word.size();
    }
    return npos;
}

// The word starting at pos (up to a blank).
std::string_view wordAt(std::string_view s, std::size_t pos) noexcept
{
    if (pos >= s.size()) return {};
    const std::size_t end = s.find(' ', pos);
    return s.substr(pos, end == npos ? npos : end - pos);
}

// "SYN ACK", "RST", "FIN PSH ACK" before " on interface".
void flagsFromWords(std::string_view s, Event& out) noexcept
{
    std::uint8_t f = 0;
    bool any = false;
    for (std::string_view w = text::nextWord(s); !w.empty() && w != "on"; w = text::nextWord(s)) {
        struct Flag {
            std::string_view name;
            std::uint8_t bit;
        };
        static constexpr Flag kFlags[] = {{"SYN", core::tcpflag::kSyn}, {"ACK", core::tcpflag::kAck},
            {"FIN", core::tcpflag::kFin}, {"RST", core::tcpflag::kRst}, {"PSH", core::tcpflag::kPsh},
            {"URG", core::tcpflag::kUrg}, {"ECE", core::tcpflag::kEce}, {"CWR", core::tcpflag::kCwr}};
        for (const Flag& fl : kFlags) {
            if (w == fl.name) {
                f |= fl.bit;
                any = true;
            }
        }
    }
    if (any) {
        out.tcpFlags = f;
        out.hasTcpFlags = true;
    }
}

// "(type 8, code 0)", "type=3, code=3", "type 8 code 0".
void icmpTypeCode(std::string_view s, Event& out) noexcept
{
    auto number = [](std::string_view t, std::size_t p) {
        std::size_t k = p;
        while (k < t.size() && text::isDigit(t[k]))
            ++k;
        unsigned v = 0;
        return text::parseUint(t.substr(p, k - p), v, 255) ? int(v) : -1;
    };
    std::size_t p = after(s, "type");
    if (p == npos) p = s.find("(type");
    if (p == npos) return;
    if (s[p] == '(') p += 5;
    if (at(s, p) == ' ' || at(s, p) == '=') ++p;
    out.icmpType = number(s, p);
    const std::size_t c = s.find("code", p);
    if (c != npos && out.icmpType >= 0 && (at(s, c + 4) == ' ' || at(s, c + 4) == '='))
        out.icmpCode = number(s, c + 5);
}

int protoFromWord(std::string_view w) noexcept
{
    if (text::iequals(w, "IP")) return core::proto::kUnknown;
    return core::protoFromName(w);
}

class CiscoAsaLineParser final : public core::LineParser {
public:
    explicit CiscoAsaLineParser(const core::ParseContext& ctx)
        : m_clock(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        const std::size_t marker = findMarker(line);
        if (marker == npos) return ParseStatus::NotMine;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

        // "%ASA-6-302013: " (FTD may put a class word first: "%FTD-session-6-302013: ").
        std::size_t p = line.find('-', marker) + 1;
        if (!text::isDigit(at(line, p))) {
            const std::size_t dash = line.find('-', p);
            if (dash == npos || dash - p > 16) return ParseStatus::NotMine;
            p = dash + 1;
        }
        const char severity = at(line, p);
        unsigned id = 0;
        if (!text::isDigit(severity) || at(line, p + 1) != '-' || at(line, p + 8) != ':'
            || !core::parseDigits(line.substr(p + 2, 6), id))
            return ParseStatus::NotMine;
        const std::string_view body = text::trim(line.substr(p + 9));
        m_reason = &reason;

        const ParseStatus st = dispatch(id, body, out);
        if (st != ParseStatus::Event) return st;

        syslog::Stamp stamp;
        if (!findStamp(line.substr(0, marker), stamp)) return malformed("no timestamp");
        if (!m_clock.resolve(stamp, out)) return malformed("invalid date or time");
        // Vendor details: the message id, then what the handler gathered.
        std::string& x = out.extra;
        x.assign("{\"message_id\":");
        x.append(std::to_string(id));
        x.append(",\"severity\":");
        x.push_back(severity);
        if (!m_srcIfc.empty()) syslog::jsonString(x, "src_interface", m_srcIfc);
        if (!m_dstIfc.empty()) syslog::jsonString(x, "dst_interface", m_dstIfc);
        if (!m_connection.empty()) syslog::jsonNumber(x, "connection_id", m_connection);
        if (!m_detail.empty()) syslog::jsonString(x, "detail", m_detail);
        x.push_back('}');
        return ParseStatus::Event;
    }

private:
    static std::size_t findMarker(std::string_view line) noexcept
    {
        std::size_t p = 0;
        while ((p = line.find('%', p)) != npos) {
            const std::string_view r = line.substr(p + 1);
            if (r.starts_with("ASA-") || r.starts_with("PIX-") || r.starts_with("FTD-")
                || r.starts_with("FWSM-"))
                return p;
            ++p;
        }
        return npos;
    }

    // The timestamp before the marker: the syslog header's, or the device's own ("logging timestamp"),
    // which a relay may put after its own header; one with a year beats one without.
    static bool findStamp(std::string_view head, syslog::Stamp& best) noexcept
    {
        best = syslog::Stamp();
        std::size_t pos = syslog::skipPri(head);
        if (head.compare(pos, 2, "1 ") == 0) pos += 2; // RFC 5424
        for (int words = 0; words < 12 && pos < head.size(); ++words) {
            syslog::Stamp st;
            const std::size_t end = syslog::parseStamp(head, pos, st);
            if (end != npos) {
                if (int(st.kind) > int(best.kind)) best = st;
                pos = end;
            } else {
                while (pos < head.size() && head[pos] != ' ')
                    ++pos;
            }
            while (pos < head.size() && (head[pos] == ' ' || head[pos] == ':'))
                ++pos;
        }
        return best.kind != syslog::Stamp::Kind::None;
    }

    ParseStatus malformed(std::string_view why)
    {
        m_reason->assign(why);
        return ParseStatus::Malformed;
    }

    ParseStatus endpointError(EndpointError e, bool source)
    {
        switch (e) {
        case EndpointError::Address:
            return malformed(source ? "bad source address (a name?)" : "bad destination address (a name?)");
        case EndpointError::Port:
            return malformed(source ? "bad source port" : "bad destination port");
        default:
            return malformed(source ? "truncated: no source" : "truncated: no destination");
        }
    }

    ParseStatus finish(Event& out)
    {
        if (out.dst.isValid() && out.src.family() != out.dst.family())
            return malformed("source and destination of different families");
        if (!isPrintableName(m_srcIfc) && !m_srcIfc.empty()) return malformed("bad interface name");
        if (!isPrintableName(m_dstIfc) && !m_dstIfc.empty()) return malformed("bad interface name");
        if (out.iface.empty() && !m_srcIfc.empty()) out.iface.assign(m_srcIfc);
        return ParseStatus::Event;
    }

    ParseStatus dispatch(unsigned id, std::string_view body, Event& out)
    {
        m_srcIfc = m_dstIfc = m_connection = m_detail = {};
        switch (id) {
        case 106001: // Inbound TCP connection denied from A/p to B/p flags SYN on interface X
        case 106006: // Deny inbound UDP from A/p to B/p on interface X
        case 106007: // Deny inbound UDP from A/p to B/p due to DNS Query
        case 106012: // Deny IP from A to B, IP options: "..."
        case 106013: // Dropping echo request from A to PAT address B
        case 106015: // Deny TCP (no connection) from A/p to B/p flags RST ACK on interface X
        case 106016: // Deny IP spoof from (A) to B on interface X
        case 106017: // Deny IP due to Land Attack from A to B
        case 106020: // Deny IP teardrop fragment (size = n, offset = n) from A to B
        case 106021: // Deny TCP reverse path check from A to B on interface X
        case 106022: // Deny TCP connection spoof from A to B on interface X
            return fromTo(id, body, out);
        case 106010: // Deny inbound tcp src ifc:A/p dst ifc:B/p
        case 106011: // Deny inbound (No xlate) udp src ifc:A/p dst ifc:B/p
        case 106014: // Deny inbound icmp src ifc:A dst ifc:B (type 8, code 0)
        case 106023: // Deny tcp src ifc:A/p dst ifc:B/p by access-group "acl" [0x0, 0x0]
        case 418001: // Through-the-device packet to/from management-only network is denied: udp src ...
            return srcDst(body, out);
        case 106002: // udp connection denied by outbound list 30 src A 138 dest B 138
        case 106018: // ICMP packet type 8 denied by outbound list acl src A dest B
            return outboundList(id, body, out);
        case 106100:
            return accessList(body, out);
        case 302013: // Built inbound TCP connection 1 for ifc:A/p (...) to ifc:B/p (...)
        case 302015: // Built outbound UDP connection ...
        case 302017: // Built inbound GRE connection ...
            return built(body, out);
        case 302020: // Built inbound ICMP connection for faddr F/n gaddr G/n laddr L/n [type T code C]
            return builtIcmp(body, out);
        case 710002: // TCP access permitted from A/p to ifc:B/p
        case 710003: // TCP access denied by ACL from A/p to ifc:B/p
        case 710005: // UDP request discarded from A/p to ifc:B/p
        case 710006: // ESP request discarded from A to ifc:B
            return toTheBox(id, body, out);
        case 313001: // Denied ICMP type=3, code=3 from A on interface X
        case 313008: // Denied IPv6-ICMP type=1, code=4 from A on interface X
        case 313004: // Denied ICMP type=0, from laddr A on interface X to B: no matching session
        case 313005: // No matching connection for ICMP error message: icmp src ifc:A dst ifc:B (type 3, code
                     // 3) ...
        case 313009: // Denied invalid ICMP code 9, for ifc:A/p (...) to ifc:B/p (...), ICMP id 1, ICMP type 8
            return icmp(id, body, out);
        case 338008: // Dynamic Filter dropped blacklisted TCP traffic from ifc:A/p (...) to ifc:B/p (...)
        case 410001: // Dropped UDP DNS request from ifc:A/p to ifc:B/p; label length ...
        case 419001: // Dropping TCP packet from ifc:A/p to ifc:B/p, reason: ...
        case 420002: // IPS requested to drop UDP packet from ifc:A/p to ifc:B/p
        case 421001: // UDP flow from ifc:A/p to ifc:B/p is dropped because application has failed
        case 434002: // SFR requested to drop TCP packet from ifc:A/p to ifc:B/p
        case 500004: // Invalid transport field for protocol=UDP, from A/p to B/p
            return dropFromTo(id, body, out);
        case 733100:
            return threatRate(body, out);
        default:
            return ParseStatus::Ignored;
        }
    }

    // "... PROTO ... from A[/p] to B[/p] ... [flags F] [on interface X]".
    ParseStatus fromTo(unsigned id, std::string_view body, Event& out)
    {
        out.action = Action::Block;
        const std::size_t from = after(body, "from ");
        if (from == npos) return malformed("truncated: no source");
        const std::string_view lead = body.substr(0, from);
        std::string_view rest = lead;
        for (std::string_view w = text::nextWord(rest); !w.empty() && w != "from"; w = text::nextWord(rest)) {
            if (text::iequals(w, "inbound")) out.direction = Direction::In;
            if (text::iequals(w, "outbound")) out.direction = Direction::Out;
            if (out.proto == core::proto::kUnknown) {
                const int pr = protoFromWord(w);
                if (pr != core::proto::kUnknown) out.proto = pr;
            }
        }
        if (id == 106013) {
            out.proto = core::proto::kIcmp;
            out.icmpType = 8;
            out.icmpCode = 0;
        }
        std::size_t s = from;
        if (at(body, s) == '(') ++s; // 106016 "(A)"
        const EndpointError e = parseAddrPort(body.substr(s), out.src, out.srcPort);
        if (e != EndpointError::None) return endpointError(e, true);
        std::size_t to = after(body, "to ", s);
        if (to == npos) return malformed("truncated: no destination");
        if (body.compare(to, 12, "PAT address ") == 0) to += 12;
        const EndpointError d = parseAddrPort(body.substr(to), out.dst, out.dstPort);
        if (d != EndpointError::None) return endpointError(d, false);
        if (const std::size_t fl = after(body, "flags ", to); fl != npos && out.proto == core::proto::kTcp)
            flagsFromWords(body.substr(fl), out);
        if (const std::size_t on = after(body, "on interface ", to); on != npos) {
            std::string_view ifc = wordAt(body, on);
            while (!ifc.empty() && (ifc.back() == '.' || ifc.back() == ','))
                ifc.remove_suffix(1);
            m_srcIfc = ifc;
        }
        if (id == 106007) m_detail = text::trim(body.substr(to + wordAt(body, to).size()));
        return finish(out);
    }

    // "[Deny [inbound|outbound] [(No xlate)]] PROTO src ifc:A[/p] dst ifc:B[/p] ..."
    ParseStatus srcDst(std::string_view body, Event& out)
    {
        out.action = Action::Block;
        const std::size_t src = after(body, "src ");
        if (src == npos) return malformed("truncated: no source");
        std::string_view lead = body.substr(0, src - 4);
        if (const std::size_t colon = lead.rfind(": "); colon != npos)
            lead = lead.substr(colon + 2); // 418001
        std::string_view rest = lead;
        std::string_view last, prev;
        for (std::string_view w = text::nextWord(rest); !w.empty(); w = text::nextWord(rest)) {
            if (text::iequals(w, "inbound")) out.direction = Direction::In;
            if (text::iequals(w, "outbound")) out.direction = Direction::Out;
            prev = last;
            last = w;
        }
        // "tcp", "icmp", "protocol 103", "47".
        unsigned number = 0;
        if (prev == "protocol" && text::parseUint(last, number, 255))
            out.proto = int(number);
        else
            out.proto = protoFromWord(last);

        const std::size_t dst = after(body, "dst ", src);
        const EndpointError e
            = parseIfAddr(body.substr(src, dst == npos ? npos : dst - src), m_srcIfc, out.src, out.srcPort);
        if (e != EndpointError::None) return endpointError(e, true);
        if (dst == npos) return malformed("truncated: no destination");
        const EndpointError d = parseIfAddr(body.substr(dst), m_dstIfc, out.dst, out.dstPort);
        if (d != EndpointError::None) return endpointError(d, false);
        if (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6)
            icmpTypeCode(body.substr(dst), out);
        if (const std::size_t acl = after(body, "access-group \"", dst); acl != npos) {
            const std::size_t q = body.find('"', acl);
            if (q == npos) return malformed("truncated access-group name");
            syslog::assignText(out.rule, body.substr(acl, std::min(q - acl, kMaxName * 4)));
        }
        return finish(out);
    }

    // 106002 / 106018: "... denied by outbound list ACL src A [PORT] dest B [PORT]".
    ParseStatus outboundList(unsigned id, std::string_view body, Event& out)
    {
        out.action = Action::Block;
        out.direction = Direction::Out;
        out.proto = id == 106018 ? core::proto::kIcmp : protoFromWord(wordAt(body, 0));
        if (id == 106018) {
            if (const std::size_t t = after(body, "type "); t != npos) {
                unsigned v = 0;
                if (text::parseUint(wordAt(body, t), v, 255)) out.icmpType = int(v);
            }
        }
        const std::size_t list = after(body, "outbound list ");
        if (list != npos) syslog::assignText(out.rule, wordAt(body, list).substr(0, kMaxName));
        const std::size_t src = after(body, "src ");
        const std::size_t dst = after(body, "dest ");
        if (src == npos) return malformed("truncated: no source");
        if (dst == npos) return malformed("truncated: no destination");
        const EndpointError e = parseAddrPort(body.substr(src), out.src, out.srcPort, false);
        if (e != EndpointError::None) return endpointError(e, true);
        const EndpointError d = parseAddrPort(body.substr(dst), out.dst, out.dstPort, false);
        if (d != EndpointError::None) return endpointError(d, false);
        if (id == 106002) {
            const std::string_view sp = wordAt(body, src + wordAt(body, src).size() + 1);
            const std::string_view dp = wordAt(body, dst + wordAt(body, dst).size() + 1);
            if (sp != "dest" && !sp.empty() && !parsePortOrName(sp, out.srcPort))
                return malformed("bad source port");
            if (!dp.empty() && !parsePortOrName(dp, out.dstPort)) return malformed("bad destination port");
        }
        return finish(out);
    }

    // 106100: "access-list ACL {permitted|denied|est-allowed} PROTO ifc/A(p) -> ifc/B(p) hit-cnt N ...".
    ParseStatus accessList(std::string_view body, Event& out)
    {
        std::string_view rest = body;
        if (text::nextWord(rest) != "access-list") return malformed("not an access-list record");
        const std::string_view acl = text::nextWord(rest);
        const std::string_view verdict = text::nextWord(rest);
        const std::string_view proto = text::nextWord(rest);
        const std::string_view src = text::nextWord(rest);
        const std::string_view arrow = text::nextWord(rest);
        const std::string_view dst = text::nextWord(rest);
        if (dst.empty() || arrow != "->") return malformed("truncated access-list record");
        if (verdict == "permitted" || verdict == "est-allowed")
            out.action = Action::Allow;
        else if (verdict == "denied")
            out.action = Action::Block;
        else
            return malformed("unknown access-list verdict");
        out.proto = protoFromWord(proto);
        if (out.proto == core::proto::kUnknown) {
            unsigned v = 0;
            if (text::parseUint(proto, v, 255)) out.proto = int(v);
        }
        const EndpointError e = parseAclEndpoint(src, m_srcIfc, out.src, out.srcPort);
        if (e != EndpointError::None) return endpointError(e, true);
        const EndpointError d = parseAclEndpoint(dst, m_dstIfc, out.dst, out.dstPort);
        if (d != EndpointError::None) return endpointError(d, false);
        if (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6) {
            // For ICMP the "ports" are the type and the code.
            out.icmpType = out.srcPort <= 255 ? out.srcPort : -1;
            out.icmpCode = out.dstPort <= 255 ? out.dstPort : -1;
            out.srcPort = out.dstPort = -1;
        }
        if (const std::size_t hit = after(rest, "hit-cnt "); hit != npos) {
            unsigned n = 0;
            if (!text::parseUint(wordAt(rest, hit), n) || n == 0) return malformed("bad hit count");
            out.count = n;
        }
        syslog::assignText(out.rule, acl.substr(0, kMaxName * 4));
        return finish(out);
    }

    // 302013/302015/302017: "Built {inbound|outbound} PROTO connection ID for|from ifc:A/p (...) to ifc:B/p
    // (...)".
    ParseStatus built(std::string_view body, Event& out)
    {
        std::string_view rest = body;
        if (text::nextWord(rest) != "Built") return malformed("not a Built record");
        const std::string_view dir = text::nextWord(rest);
        const std::string_view proto = text::nextWord(rest);
        if (text::nextWord(rest) != "connection") return malformed("truncated connection record");
        m_connection = text::nextWord(rest);
        if (dir != "inbound" && dir != "outbound") return malformed("unknown direction");
        out.action = Action::Allow;
        out.proto = protoFromWord(proto);
        std::size_t forAt = after(body, "for ");
        if (forAt == npos) forAt = after(body, "from "); // 302017 GRE
        const std::size_t toAt = forAt == npos ? npos : body.find(" to ", forAt);
        if (forAt == npos) return malformed("truncated: no source");
        if (toAt == npos) return malformed("truncated: no destination");
        std::string_view outerIfc, innerIfc;
        core::IpAddress outer, inner;
        int outerPort = -1, innerPort = -1;
        const EndpointError e = parseIfAddr(body.substr(forAt, toAt - forAt), outerIfc, outer, outerPort);
        const EndpointError d = parseIfAddr(body.substr(toAt + 4), innerIfc, inner, innerPort);
        const bool inbound = dir == "inbound";
        if (e != EndpointError::None) return endpointError(e, inbound);
        if (d != EndpointError::None) return endpointError(d, !inbound);
        out.direction = inbound ? Direction::In : Direction::Out;
        out.src = inbound ? outer : inner;
        out.srcPort = inbound ? outerPort : innerPort;
        out.dst = inbound ? inner : outer;
        out.dstPort = inbound ? innerPort : outerPort;
        m_srcIfc = inbound ? outerIfc : innerIfc;
        m_dstIfc = inbound ? innerIfc : outerIfc;
        return finish(out);
    }

    // 302020: "Built {inbound|outbound} ICMP connection for faddr F/n gaddr G/n laddr L/n [type T code C]".
    ParseStatus builtIcmp(std::string_view body, Event& out)
    {
        const bool inbound = body.starts_with("Built inbound");
        if (!inbound && !body.starts_with("Built outbound")) return malformed("unknown direction");
        out.action = Action::Allow;
        out.direction = inbound ? Direction::In : Direction::Out;
        out.proto = body.find(" ICMPv6 ") != npos ? core::proto::kIcmpV6 : core::proto::kIcmp;
        const std::size_t f = after(body, "faddr ");
        const std::size_t l = after(body, "laddr ");
        if (f == npos || l == npos) return malformed("truncated ICMP connection record");
        core::IpAddress fa, la;
        int ignored = -1;
        const EndpointError e = parseAddrPort(body.substr(f), fa, ignored);
        if (e != EndpointError::None) return endpointError(e, inbound);
        const EndpointError d = parseAddrPort(body.substr(l), la, ignored);
        if (d != EndpointError::None) return endpointError(d, !inbound);
        out.src = inbound ? fa : la;
        out.dst = inbound ? la : fa;
        if (const std::size_t t = after(body, "type ", l); t != npos) icmpTypeCode(body.substr(t - 5), out);
        return finish(out);
    }

    // 710002/710003/710005/710006: to the ASA itself, "PROTO ... from A[/p] to ifc:B[/p]".
    ParseStatus toTheBox(unsigned id, std::string_view body, Event& out)
    {
        out.action = id == 710002 ? Action::Allow : Action::Block;
        out.direction = Direction::In;
        out.proto = protoFromWord(wordAt(body, 0));
        const std::size_t from = after(body, "from ");
        if (from == npos) return malformed("truncated: no source");
        const EndpointError e = parseAddrPort(body.substr(from), out.src, out.srcPort);
        if (e != EndpointError::None) return endpointError(e, true);
        const std::size_t to = after(body, "to ", from);
        if (to == npos) return malformed("truncated: no destination");
        const EndpointError d = parseIfAddr(body.substr(to), m_dstIfc, out.dst, out.dstPort);
        if (d != EndpointError::None) return endpointError(d, false);
        out.iface.assign(m_dstIfc);
        return finish(out);
    }

    ParseStatus icmp(unsigned id, std::string_view body, Event& out)
    {
        out.action = Action::Block;
        out.proto = id == 313008 ? core::proto::kIcmpV6 : core::proto::kIcmp;
        if (id == 313005) {
            const std::size_t colon = body.find(": ");
            if (colon == npos) return malformed("truncated ICMP error record");
            const ParseStatus st
                = srcDst(body.substr(colon + 2, body.find(" Original IP payload") - colon - 2), out);
            out.proto = core::proto::kIcmp;
            return st;
        }
        if (id == 313009) {
            // "Denied invalid ICMP code 9, for ifc:A/p (...) to ifc:B/p (...), ICMP id 295, ICMP type 8"
            const std::size_t f = after(body, "for ");
            const std::size_t t = f == npos ? npos : body.find(" to ", f);
            if (f == npos || t == npos) return malformed("truncated ICMP record");
            const EndpointError e = parseIfAddr(body.substr(f, t - f), m_srcIfc, out.src, out.srcPort);
            if (e != EndpointError::None) return endpointError(e, true);
            const EndpointError d = parseIfAddr(body.substr(t + 4), m_dstIfc, out.dst, out.dstPort);
            if (d != EndpointError::None) return endpointError(d, false);
            out.srcPort = out.dstPort = -1;
            unsigned v = 0;
            if (const std::size_t ty = body.rfind("ICMP type ");
                ty != npos && text::parseUint(wordAt(body, ty + 10), v, 255))
                out.icmpType = int(v);
            if (const std::size_t c = after(body, "code "); c != npos) {
                std::string_view w = wordAt(body, c);
                if (w.ends_with(",")) w.remove_suffix(1);
                if (text::parseUint(w, v, 255)) out.icmpCode = int(v);
            }
            return finish(out);
        }
        // 313001/313008: "Denied ICMP type=3, code=3 from A on interface X"; 313004 adds "laddr" and "to B".
        icmpTypeCode(body, out);
        std::size_t from = after(body, "from ");
        if (from == npos) return malformed("truncated: no source");
        if (body.compare(from, 6, "laddr ") == 0) from += 6;
        const EndpointError e = parseAddrPort(body.substr(from), out.src, out.srcPort, false);
        if (e != EndpointError::None) return endpointError(e, true);
        if (const std::size_t on = after(body, "on interface ", from); on != npos)
            m_srcIfc = wordAt(body, on);
        out.direction = Direction::In;
        if (id == 313004) {
            const std::size_t to = after(body, "to ", from);
            if (to == npos) return malformed("truncated: no destination");
            const EndpointError d = parseAddrPort(body.substr(to), out.dst, out.dstPort, false);
            if (d != EndpointError::None) return endpointError(d, false);
        }
        // 313001/313008 are ICMP to the ASA's own interface: the message names no destination address.
        return finish(out);
    }

    // Drops naming both ends: "... PROTO ... from [ifc:]A/p [(...)] to [ifc:]B/p [(...)]...".
    ParseStatus dropFromTo(unsigned id, std::string_view body, Event& out)
    {
        out.action = Action::Block;
        const std::size_t from = after(body, "from ");
        if (from == npos) return malformed("truncated: no source");
        std::string_view rest = body.substr(0, from);
        for (std::string_view w = text::nextWord(rest); !w.empty(); w = text::nextWord(rest)) {
            std::string_view name = w;
            if (name.starts_with("protocol=")) name.remove_prefix(9);
            while (!name.empty() && name.back() == ',')
                name.remove_suffix(1);
            const int pr = protoFromWord(name);
            if (pr != core::proto::kUnknown && out.proto == core::proto::kUnknown) out.proto = pr;
        }
        const std::size_t to = body.find(" to ", from);
        if (to == npos) return malformed("truncated: no destination");
        const std::string_view a = body.substr(from, to - from);
        const std::string_view b = body.substr(to + 4);
        const bool withIfc = id != 500004;
        const EndpointError e = withIfc ? parseIfAddr(a, m_srcIfc, out.src, out.srcPort)
                                        : parseAddrPort(a, out.src, out.srcPort);
        if (e != EndpointError::None) return endpointError(e, true);
        const EndpointError d = withIfc ? parseIfAddr(b, m_dstIfc, out.dst, out.dstPort)
                                        : parseAddrPort(b, out.dst, out.dstPort);
        if (d != EndpointError::None) return endpointError(d, false);
        return finish(out);
    }

    // 733100: "[ 192.0.2.1] drop rate-1 exceeded. Current burst rate is ..." for a host; other objects
    // ("[ Scanning]", "[ Interface]") are not about one source.
    ParseStatus threatRate(std::string_view body, Event& out)
    {
        if (!body.starts_with("[")) return malformed("truncated threat-detection record");
        const std::size_t close = body.find(']');
        if (close == npos) return malformed("truncated threat-detection record");
        const auto host = core::IpAddress::parse(text::trim(body.substr(1, close - 1)));
        if (!host) return ParseStatus::Ignored;
        out.src = *host;
        out.action = Action::Block;
        m_detail
            = text::trim(body.substr(close + 1, body.find('.', close) - close - 1)); // "drop rate-1 exceeded"
        return finish(out);
    }

    syslog::Clock m_clock;
    std::string* m_reason = nullptr;
    std::string_view m_srcIfc, m_dstIfc, m_connection, m_detail;
};

class CiscoAsaParser final : public core::Parser {
public:
    std::string_view id() const override { return "cisco-asa"; }
    std::string_view description() const override
    {
        return "Cisco ASA, PIX, FWSM and FTD %ASA- messages: denied packets (106001-106100, 313xxx, "
               "710xxx), built connections (302013-302020), drops and threat detection (733100)";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000; // a leap year, so that any date in the head is valid
        CiscoAsaLineParser p(ctx);
        Event ev;
        std::string reason;
        std::size_t events = 0, ours = 0;
        for (std::string_view line : head) {
            const ParseStatus st = p.parse(line, ev, reason);
            events += st == ParseStatus::Event;
            ours += st != ParseStatus::NotMine;
        }
        const std::size_t n = head.size();
        const std::string counts = std::to_string(ours) + " of " + std::to_string(n) + " lines";
        if (ours == 0) return {0, "no %ASA-/%PIX-/%FTD- message"};
        // The marker is unmistakable: system messages alone still make an ASA log.
        if (events == 0 && ours * 2 < n) return {50, counts + " are ASA messages, none a packet record"};
        return {int(70 + 29 * ours / n),
            counts + " are ASA messages, " + std::to_string(events) + " packet records"};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<CiscoAsaLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeCiscoAsaParser()
{
    return std::make_unique<CiscoAsaParser>();
}

} // namespace tattle::parsers
