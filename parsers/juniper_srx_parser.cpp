// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/syslog_header.h"
#include "parsers/text.h"

#include <memory>
#include <string>
#include <unordered_set>

// Juniper SRX security flow logs (Junos "security log" in event or stream mode), in two forms:
//   structured (RFC 5424 sd-syslog, also behind a relay's BSD header):
//     RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 source-address="192.0.2.1" source-port="1080"
//     destination-address="198.51.100.2" destination-port="8010" protocol-id="17" icmp-type="0"
//     policy-name="deny-all" source-zone-name="trust" ... packet-incoming-interface="ge-0/0/0.0"
//     reason="..."]
//   BSD text, fields by position:
//     RT_FLOW_SESSION_CREATE: session created S/sp->D/dp service NS/nsp->ND/ndp src-nat-rule dst-nat-rule
//       proto policy from-zone to-zone session-id user(roles) incoming-interface ...
//     RT_FLOW_SESSION_CLOSE: session closed REASON: S/sp->D/dp service NS/nsp->ND/ndp ... proto policy
//       from-zone to-zone session-id packets(bytes) packets(bytes) elapsed ...
//     RT_FLOW_SESSION_DENY: session denied S/sp->D/dp service proto(icmp-type) policy from-zone to-zone ...
// Junos versions add fields (connection tags "0x0", NAT rule types) but keep their order, so the protocol
// number is found as the first number after the tuples. A session is counted once: when its create record
// was seen, its close record is Ignored; a close whose create was not logged (policies that log only
// session-close) is the event. For ICMP the port tuple holds the id and type<<8|code.
// RT_SCREEN_* records are packets an IDS screen dropped (or alarmed on). Other Junos messages are Ignored.

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::Event;
using core::ParseStatus;

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t kMaxName = 128;
constexpr std::size_t kMaxSessions = 1 << 16;

bool allDigits(std::string_view s) noexcept
{
    if (s.empty()) return false;
    for (char c : s) {
        if (!text::isDigit(c)) return false;
    }
    return true;
}

// A value Junos writes for "nothing".
bool isNone(std::string_view s) noexcept
{
    return s.empty() || s == "N/A" || s == "UNKNOWN" || s == "None" || s == "none";
}

// "addr/port" (IPv4 or IPv6).
bool parseAddrPort(std::string_view s, core::IpAddress& addr, int& port) noexcept
{
    const std::size_t slash = s.rfind('/');
    if (slash == npos || !text::parsePort(s.substr(slash + 1), port)) return false;
    const auto a = core::IpAddress::parse(s.substr(0, slash));
    if (!a) return false;
    addr = *a;
    return true;
}

enum class TupleError : std::uint8_t { None, Source, Destination };

// "S/sp->D/dp".
TupleError parseTuple(std::string_view s, Event& out) noexcept
{
    const std::size_t arrow = s.find("->");
    if (arrow == npos) return TupleError::Source;
    if (!parseAddrPort(s.substr(0, arrow), out.src, out.srcPort)) return TupleError::Source;
    if (!parseAddrPort(s.substr(arrow + 2), out.dst, out.dstPort)) return TupleError::Destination;
    return TupleError::None;
}

// ICMP sessions carry the id as the source port and type<<8|code as the destination port.
void icmpFromPorts(Event& out) noexcept
{
    if (out.proto != core::proto::kIcmp && out.proto != core::proto::kIcmpV6) return;
    if (out.dstPort >= 0) {
        const int type = out.dstPort >> 8;
        if (out.icmpType < 0) out.icmpType = type;
        if (out.icmpType == type) out.icmpCode = out.dstPort & 0xff;
    }
    out.srcPort = out.dstPort = -1;
}

// The value of key="value" in RFC 5424 structured data; '\' escapes '"', '\' and ']'.
std::string_view sdValue(std::string_view sd, std::string_view key) noexcept
{
    std::size_t p = 0;
    while ((p = sd.find(key, p)) != npos) {
        const bool start = p > 0 && (sd[p - 1] == ' ' || sd[p - 1] == '[');
        const std::size_t q = p + key.size();
        if (start && q + 1 < sd.size() && sd[q] == '=' && sd[q + 1] == '"') {
            std::size_t e = q + 2;
            while (e < sd.size() && sd[e] != '"') {
                if (sd[e] == '\\') ++e;
                ++e;
            }
            if (e >= sd.size()) return {};
            return sd.substr(q + 2, e - q - 2);
        }
        p = q;
    }
    return {};
}

class JuniperSrxLineParser final : public core::LineParser {
public:
    explicit JuniperSrxLineParser(const core::ParseContext& ctx)
        : m_clock(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        std::size_t marker = line.find("RT_FLOW_");
        if (marker == npos) marker = line.find("RT_SCREEN_");
        if (marker == npos) {
            // Junos' other messages through the same channel ("RT_FLOW - FLOW_MCAST_RPF_FAIL", RT_IDS).
            const std::size_t flow = line.find("RT_FLOW ");
            const std::size_t ids = line.find("RT_IDS ");
            return flow != npos || ids != npos ? ParseStatus::Ignored : ParseStatus::NotMine;
        }
        if (marker > 0 && line[marker - 1] != ' ' && line[marker - 1] != ':') return ParseStatus::NotMine;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        m_reason = &reason;

        std::size_t end = marker;
        while (end < line.size() && line[end] != ' ' && line[end] != ':')
            ++end;
        const std::string_view type = line.substr(marker, end - marker);
        if (type.size() > 40) return ParseStatus::NotMine;
        std::string_view rest = line.substr(end);
        const bool structured = rest.starts_with(" [");
        if (!structured && !rest.starts_with(": ")) {
            if (rest.empty() || rest.starts_with(":")) return malformed("truncated record");
            return ParseStatus::NotMine;
        }
        rest.remove_prefix(2);

        ParseStatus st = ParseStatus::Ignored;
        if (type.starts_with("RT_SCREEN_")) {
            st = structured ? structuredScreen(rest, out) : textScreen(rest, out);
            if (out.proto == core::proto::kUnknown) { // the screen's name says it: RT_SCREEN_TCP, ..._ICMP
                if (type.ends_with("_TCP")) out.proto = core::proto::kTcp;
                if (type.ends_with("_UDP")) out.proto = core::proto::kUdp;
                if (type.ends_with("_ICMP")) out.proto = core::proto::kIcmp;
            }
        } else if (type == "RT_FLOW_SESSION_DENY" || type == "RT_FLOW_SESSION_CREATE"
            || type == "RT_FLOW_SESSION_CLOSE")
            st = structured ? structuredFlow(type, rest, out) : textFlow(type, rest, out);
        if (st != ParseStatus::Event) return st;

        syslog::Stamp stamp;
        if (!findStamp(line.substr(0, marker), stamp)) return malformed("no timestamp");
        if (!m_clock.resolve(stamp, out)) return malformed("invalid date or time");
        std::string& x = out.extra;
        x.assign("{\"message\":");
        core::appendJsonString(x, type);
        syslog::jsonString(x, "source_zone", m_srcZone);
        syslog::jsonString(x, "destination_zone", m_dstZone);
        syslog::jsonString(x, "service", m_service);
        syslog::jsonString(x, "application", m_application);
        syslog::jsonString(x, "reason", m_why);
        syslog::jsonNumber(x, "session_id", m_session);
        x.push_back('}');
        return ParseStatus::Event;
    }

private:
    ParseStatus malformed(std::string_view why)
    {
        m_reason->assign(why);
        return ParseStatus::Malformed;
    }

    void clearDetails() noexcept
    {
        m_srcZone = m_dstZone = m_service = m_application = m_why = m_session = {};
    }

    // The syslog header's time, or the structured record's own RFC 3339 time behind a relay's header:
    // the one with a year and offset wins.
    static bool findStamp(std::string_view head, syslog::Stamp& best) noexcept
    {
        best = syslog::Stamp();
        std::size_t pos = syslog::skipPri(head);
        if (head.compare(pos, 2, "1 ") == 0) pos += 2;
        for (int words = 0; words < 8 && pos < head.size(); ++words) {
            syslog::Stamp st;
            const std::size_t end = syslog::parseStamp(head, pos, st);
            if (end != npos) {
                if (int(st.kind) > int(best.kind) && st.kind != syslog::Stamp::Kind::NoYearOffset) best = st;
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

    ParseStatus finish(Event& out, std::string_view policy, std::string_view ingress)
    {
        if (out.src.family() != out.dst.family() && out.dst.isValid())
            return malformed("source and destination of different families");
        if (!isNone(policy)) {
            if (policy.size() > kMaxName) return malformed("policy name too long");
            syslog::assignText(out.rule, policy);
        }
        if (!isNone(ingress)) {
            if (ingress.size() > 64) return malformed("bad interface name");
            syslog::assignText(out.iface, ingress);
        }
        for (std::string_view* v : {&m_srcZone, &m_dstZone, &m_service, &m_application, &m_why}) {
            if (isNone(*v) || v->size() > kMaxName) *v = {};
        }
        if (!allDigits(m_session) || m_session.size() > 18) m_session = {};
        return ParseStatus::Event;
    }

    // A session counted at its create record is not counted again at its close.
    bool countOnce(std::string_view type)
    {
        std::uint64_t id = 0;
        for (char c : m_session)
            id = id * 10 + std::uint64_t(c - '0');
        if (m_session.empty()) return true;
        if (type == "RT_FLOW_SESSION_CREATE") {
            if (m_sessions.size() >= kMaxSessions) m_sessions.clear();
            m_sessions.insert(id);
            return true;
        }
        if (type == "RT_FLOW_SESSION_CLOSE") return m_sessions.erase(id) == 0;
        return true;
    }

    ParseStatus structuredFlow(std::string_view type, std::string_view sd, Event& out)
    {
        clearDetails();
        const std::string_view sa = sdValue(sd, "source-address"), sp = sdValue(sd, "source-port");
        const std::string_view da = sdValue(sd, "destination-address"), dp = sdValue(sd, "destination-port");
        if (sa.empty()) return malformed("no source-address");
        if (da.empty()) return malformed("no destination-address");
        const auto s = core::IpAddress::parse(sa);
        if (!s) return malformed("bad source-address");
        const auto d = core::IpAddress::parse(da);
        if (!d) return malformed("bad destination-address");
        out.src = *s;
        out.dst = *d;
        if (!sp.empty() && !text::parsePort(sp, out.srcPort)) return malformed("bad source-port");
        if (!dp.empty() && !text::parsePort(dp, out.dstPort)) return malformed("bad destination-port");
        unsigned v = 0;
        const std::string_view proto = sdValue(sd, "protocol-id");
        if (!text::parseUint(proto, v, 255)) return malformed("bad protocol-id");
        out.proto = int(v);
        if (type == "RT_FLOW_SESSION_DENY") {
            out.action = Action::Block;
            if (text::parseUint(sdValue(sd, "icmp-type"), v, 255)
                && (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6))
                out.icmpType = int(v);
        } else {
            out.action = Action::Allow;
        }
        icmpFromPorts(out);
        m_srcZone = sdValue(sd, "source-zone-name");
        m_dstZone = sdValue(sd, "destination-zone-name");
        m_service = sdValue(sd, "service-name");
        m_application = sdValue(sd, "application");
        m_why = sdValue(sd, "reason");
        m_session = sdValue(sd, "session-id-32");
        if (m_session.empty()) m_session = sdValue(sd, "session-id");
        const ParseStatus st
            = finish(out, sdValue(sd, "policy-name"), sdValue(sd, "packet-incoming-interface"));
        if (st != ParseStatus::Event) return st;
        return countOnce(type) ? ParseStatus::Event : ParseStatus::Ignored;
    }

    ParseStatus textFlow(std::string_view type, std::string_view text, Event& out)
    {
        clearDetails();
        const bool deny = type == "RT_FLOW_SESSION_DENY";
        std::string_view rest = text;
        if (type == "RT_FLOW_SESSION_CLOSE") {
            // "session closed TCP FIN: S/sp->D/dp ...": the reason may hold blanks.
            const std::size_t colon = rest.find(": ");
            if (!rest.starts_with("session closed ") || colon == npos) return malformed("truncated record");
            m_why = rest.substr(15, colon - 15);
            rest.remove_prefix(colon + 2);
        } else {
            const std::string_view lead = deny ? "session denied " : "session created ";
            if (!rest.starts_with(lead)) return malformed("truncated record");
            rest.remove_prefix(lead.size());
        }
        const std::string_view tuple = text::nextWord(rest);
        const TupleError te = parseTuple(tuple, out);
        if (te == TupleError::Source) return malformed("bad source address or port");
        if (te == TupleError::Destination) return malformed("bad destination address or port");

        // Skip connection tags ("0x0"); the service name; for create/close the NAT tuple and rules; then
        // the protocol number (deny: "17(0)" with the ICMP type).
        std::string_view w = text::nextWord(rest);
        while (w.starts_with("0x"))
            w = text::nextWord(rest);
        m_service = w;
        std::string_view proto;
        for (w = text::nextWord(rest); !w.empty(); w = text::nextWord(rest)) {
            const std::size_t paren = w.find('(');
            const std::string_view number = w.substr(0, paren);
            if (allDigits(number) && number.size() <= 3 && (deny || paren == npos)) {
                proto = w;
                break;
            }
        }
        if (proto.empty()) return malformed("truncated: no protocol");
        unsigned v = 0;
        const std::size_t paren = proto.find('(');
        if (!text::parseUint(proto.substr(0, paren), v, 255)) return malformed("bad protocol");
        out.proto = int(v);
        if (paren != npos && proto.back() == ')'
            && text::parseUint(proto.substr(paren + 1, proto.size() - paren - 2), v, 255)
            && (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6))
            out.icmpType = int(v);
        out.action = deny ? Action::Block : Action::Allow;
        icmpFromPorts(out);

        const std::string_view policy = text::nextWord(rest);
        m_srcZone = text::nextWord(rest);
        m_dstZone = text::nextWord(rest);
        if (m_dstZone.empty()) return malformed("truncated record");
        std::string_view ingress;
        if (deny) {
            // application nested-application user(roles) incoming-interface encrypted reason
            m_application = text::nextWord(rest);
            text::nextWord(rest);
            text::nextWord(rest);
            ingress = text::nextWord(rest);
            text::nextWord(rest);
            m_why = text::trim(rest);
        } else {
            m_session = text::nextWord(rest);
            // create: user(roles) incoming-interface; close: packets(bytes) packets(bytes) elapsed
            // application nested-application user(roles) incoming-interface.
            for (w = text::nextWord(rest); !w.empty(); w = text::nextWord(rest)) {
                if (w.find('(') != npos && !text::isDigit(w[0])) { // "N/A(N/A)", "user(role)"
                    ingress = text::nextWord(rest);
                    break;
                }
                if (!text::isDigit(w[0]) && m_application.empty() && type == "RT_FLOW_SESSION_CLOSE")
                    m_application = w;
            }
        }
        const ParseStatus st = finish(out, policy, ingress);
        if (st != ParseStatus::Event) return st;
        return countOnce(type) ? ParseStatus::Event : ParseStatus::Ignored;
    }

    ParseStatus structuredScreen(std::string_view sd, Event& out)
    {
        clearDetails();
        const auto s = core::IpAddress::parse(sdValue(sd, "source-address"));
        if (!s) return malformed("bad source-address");
        out.src = *s;
        if (const std::string_view da = sdValue(sd, "destination-address"); !da.empty()) {
            const auto d = core::IpAddress::parse(da);
            if (!d) return malformed("bad destination-address");
            out.dst = *d;
        }
        unsigned v = 0;
        if (text::parseUint(sdValue(sd, "protocol-id"), v, 255)) out.proto = int(v);
        if (const std::string_view sp = sdValue(sd, "source-port");
            !sp.empty() && !text::parsePort(sp, out.srcPort))
            return malformed("bad source-port");
        if (const std::string_view dp = sdValue(sd, "destination-port");
            !dp.empty() && !text::parsePort(dp, out.dstPort))
            return malformed("bad destination-port");
        const std::string_view action = sdValue(sd, "action");
        out.action = action == "alarm-without-drop" || action == "alarm" ? Action::Allow : Action::Block;
        out.direction = Direction::In;
        m_srcZone = sdValue(sd, "source-zone-name");
        m_why = sdValue(sd, "attack-name");
        return finish(out, {}, sdValue(sd, "interface-name"));
    }

    // "SYN flood! source: 192.0.2.1:1234, destination: 198.51.100.1:80, zone name: untrust, interface name:
    // ge-0/0/0.0, action: drop" (ports and "protocol-id: 17" where the screen has them).
    ParseStatus textScreen(std::string_view text, Event& out)
    {
        clearDetails();
        auto field = [text](std::string_view key) {
            std::size_t p = text.find(key);
            if (p == npos) return std::string_view();
            p += key.size();
            std::size_t e = p;
            while (e < text.size() && text[e] != ',')
                ++e;
            return text::trim(text.substr(p, e - p));
        };
        auto endpoint = [](std::string_view s, core::IpAddress& addr, int& port) {
            port = -1;
            if (auto a = core::IpAddress::parse(s)) {
                addr = *a;
                return true;
            }
            const std::size_t colon = s.rfind(':');
            if (colon == npos || !text::parsePort(s.substr(colon + 1), port)) return false;
            const auto a = core::IpAddress::parse(s.substr(0, colon));
            if (!a) return false;
            addr = *a;
            return true;
        };
        if (!endpoint(field("source: "), out.src, out.srcPort)) return malformed("bad source");
        const std::string_view dst = field("destination: ");
        if (!dst.empty() && !endpoint(dst, out.dst, out.dstPort)) return malformed("bad destination");
        unsigned v = 0;
        if (text::parseUint(field("protocol-id: "), v, 255)) out.proto = int(v);
        const std::string_view action = field("action: ");
        out.action = action == "alarm-without-drop" || action == "alarm" ? Action::Allow : Action::Block;
        out.direction = Direction::In;
        m_srcZone = field("zone name: ");
        const std::size_t bang = text.find('!');
        if (bang != npos && bang < 64) m_why = text.substr(0, bang + 1);
        return finish(out, {}, field("interface name: "));
    }

    syslog::Clock m_clock;
    std::string* m_reason = nullptr;
    std::string_view m_srcZone, m_dstZone, m_service, m_application, m_why, m_session;
    std::unordered_set<std::uint64_t> m_sessions;
};

class JuniperSrxParser final : public core::Parser {
public:
    std::string_view id() const override { return "juniper-srx"; }
    std::string_view description() const override
    {
        return "Juniper SRX security flow logs: RT_FLOW_SESSION_DENY/CREATE/CLOSE and RT_SCREEN records, "
               "structured (sd-syslog) or BSD text";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000; // a leap year, so that any date in the head is valid
        JuniperSrxLineParser p(ctx);
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
        if (events == 0)
            return {
                ours * 2 >= n ? 50 : 0, std::to_string(ours) + " Junos RT_FLOW/RT_IDS lines, no flow record"};
        if (events == 1 && n > 1) return {55, counts + " is an RT_FLOW record"};
        return {int(65 + 34 * events / n), counts + " are RT_FLOW records"};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<JuniperSrxLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeJuniperSrxParser()
{
    return std::make_unique<JuniperSrxParser>();
}

} // namespace tattle::parsers
