// SPDX-License-Identifier: GPL-3.0-or-later
// Snort's alert_fast output, one alert per line, and the fast.log Suricata writes in the same shape:
//   12/28-12:55:38.765402 [**] [1:366:11] "PROTOCOL-ICMP PING Unix" [**] [Priority: 3] {ICMP} 2001:db8::35 ->
//   ... 07/11/2022-10:29:32.251216  [**] [1:2008578:4] ET SCAN Sipvicious Scan [**] [Classification:
//   Attempted Information Leak] [Priority: 2] {UDP} 198.51.100.216:5116 -> 192.0.2.55:5060
// From the writers' sources (Snort 2 log_text.c/spo_alert_fast.c, Snort 3 alert_fast.cc, Suricata
// alert-fastlog.c): the local time (UTC with -U), "MM/DD" without a year, "MM/DD/YY" with Snort 2's -y,
// "YY/MM/DD" with Snort 3's, "MM/DD/YYYY" from Suricata; then an action when the packet was dropped
// ("[Drop]", "[wDrop]" from Snort 2 and Suricata, "[drop]", "[block]", "[reset]" from Snort 3), "[**]",
// "[gid:sid:rev]", an optional "<interface>" (Snort -I), the message (quoted by Snort 3), "[**]", optional
// classification, priority and Snort 3's AppID, "{PROTO}" and the addresses, with ":port" for TCP and UDP
// (Suricata writes one for every protocol: ICMP's type and code in place of the source port). IPv6 addresses
// are followed by ":port" without brackets, so the port is split off at the last colon where one is due.
//
// An alert that was not dropped is an allowed packet (an IDS only watches), a dropped one blocked. Alerts
// without addresses (Suricata's decoder events) are recognised and passed over.
#include "parsers/builtin_parsers.h"
#include "parsers/fast_alert.h"
#include "parsers/text.h"

#include <string>

namespace tattle::parsers {

namespace fastalert {

namespace {

using core::ParseStatus;
using vendor::npos;

bool digitsAt(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) noexcept
{
    if (pos + n > s.size()) return false;
    return core::parseDigits(s.substr(pos, n), out);
}

bool hasPorts(int proto) noexcept
{
    using namespace core::proto;
    return proto == kTcp || proto == kUdp || proto == kSctp || proto == kUdpLite;
}

// "192.0.2.1:80", "2001:db8::1:80", "[2001:db8::1]:80" or an address alone. withPort: a port is due.
bool parseEndpoint(std::string_view s, bool withPort, core::IpAddress& addr, int& port) noexcept
{
    port = -1;
    if (!s.empty() && s.front() == '[') {
        const std::size_t close = s.find(']');
        if (close == npos) return false;
        const auto a = core::IpAddress::parse(s.substr(1, close - 1));
        if (!a) return false;
        addr = *a;
        if (close + 1 == s.size()) return true;
        return s[close + 1] == ':' && text::parsePort(s.substr(close + 2), port);
    }
    if (!withPort) {
        if (const auto a = core::IpAddress::parse(s)) {
            addr = *a;
            return true;
        }
    }
    const std::size_t colon = s.rfind(':');
    if (colon != npos && text::parsePort(s.substr(colon + 1), port)) {
        if (const auto a = core::IpAddress::parse(s.substr(0, colon))) {
            addr = *a;
            return true;
        }
    }
    port = -1;
    if (const auto a = core::IpAddress::parse(s)) { // a port was due but is missing
        addr = *a;
        return true;
    }
    return false;
}

bool isBlockAction(std::string_view a) noexcept
{
    for (std::string_view w : {"drop", "block", "reset", "reject", "sdrop"}) {
        if (text::iequals(a, w)) return true;
    }
    return false;
}

} // namespace

Reader::Reader(const core::ParseContext& ctx)
    : m_times(ctx)
{
}

// Two-digit dates: Snort 2 writes MM/DD/YY, Snort 3 YY/MM/DD. A value that can only be a year or a day
// settles the order for the rest of the file; until then Snort 3's is assumed and the time flagged.
bool Reader::resolveDate(unsigned a, unsigned b, unsigned c, core::CivilTime& civil, bool& guessed) noexcept
{
    if (a > 12)
        m_order = Order::YearMonthDay; // a cannot be a month
    else if (c > 31 || b > 12)
        m_order = Order::MonthDayYear; // c cannot be a day, or b a month
    guessed = m_order == Order::Unknown;
    if (m_order == Order::MonthDayYear) {
        civil.month = a;
        civil.day = b;
        civil.year = 2000 + int(c);
    } else {
        civil.year = 2000 + int(a);
        civil.month = b;
        civil.day = c;
    }
    return true;
}

ParseStatus Reader::parse(std::string_view line, core::Event& out, std::string& reason)
{
    out.reset();
    line = text::trim(line);
    // "MM/DD" then "-hh:mm:ss" or "/YY-" or "/YYYY-".
    unsigned a = 0, b = 0, c = 0;
    if (!digitsAt(line, 0, 2, a) || line.size() < 6 || line[2] != '/' || !digitsAt(line, 3, 2, b))
        return ParseStatus::NotMine;
    std::size_t pos = 5;
    Dating dating = Dating::NoYear;
    if (line[pos] == '/') {
        if (digitsAt(line, pos + 1, 4, c) && pos + 5 < line.size() && line[pos + 5] == '-') {
            dating = Dating::LongYear;
            pos += 5;
        } else if (digitsAt(line, pos + 1, 2, c)) {
            dating = Dating::ShortYear;
            pos += 3;
        } else {
            return ParseStatus::NotMine;
        }
    }
    if (pos >= line.size() || line[pos] != '-') return ParseStatus::NotMine;
    core::CivilTime civil;
    const std::size_t clockEnd = vendor::parseClock(line, pos + 1, civil);
    if (clockEnd == npos || clockEnd >= line.size() || !text::isSpace(line[clockEnd]))
        return ParseStatus::NotMine;
    std::string_view rest = text::trim(line.substr(clockEnd));

    // Optional action, then "[**] [gid:sid:rev]".
    std::string_view action;
    if (rest.starts_with("[") && !rest.starts_with("[**]")) {
        const std::size_t close = rest.find(']');
        if (close == npos || close > 32) return ParseStatus::NotMine;
        action = rest.substr(1, close - 1);
        rest = text::trim(rest.substr(close + 1));
    }
    if (!rest.starts_with("[**]")) return ParseStatus::NotMine;
    rest = text::trim(rest.substr(4));
    m_lastDating = dating;

    auto malformed = [&reason](std::string_view why) {
        reason.assign(why);
        return ParseStatus::Malformed;
    };
    if (!rest.starts_with("[")) return malformed("no [gid:sid:rev]");
    const std::size_t idEnd = rest.find(']');
    if (idEnd == npos) return malformed("no [gid:sid:rev]");
    const std::string_view id = rest.substr(1, idEnd - 1);
    std::string_view ids = id;
    const std::string_view gid = text::nextToken(ids, ':'), sid = text::nextToken(ids, ':'), rev = ids;
    unsigned v = 0;
    if (!text::parseUint(gid, v) || !text::parseUint(sid, v) || !text::parseUint(rev, v))
        return malformed("bad [gid:sid:rev]");
    rest = text::trim(rest.substr(idEnd + 1));
    std::string_view iface;
    if (rest.starts_with("<")) { // snort -I
        const std::size_t close = rest.find('>');
        if (close == npos) return malformed("unterminated <interface>");
        iface = rest.substr(1, close - 1);
        rest = text::trim(rest.substr(close + 1));
    }
    const std::size_t msgEnd = rest.find("[**]");
    if (msgEnd == npos) return malformed("truncated alert (no second [**])");
    std::string_view msg = text::trim(rest.substr(0, msgEnd));
    if (msg.size() >= 2 && msg.front() == '"' && msg.back() == '"') msg = msg.substr(1, msg.size() - 2);
    rest = text::trim(rest.substr(msgEnd + 4));

    std::string_view classification, priority;
    while (rest.starts_with("[")) {
        const std::size_t close = rest.find(']');
        if (close == npos) return malformed("unterminated [...]");
        const std::string_view item = rest.substr(1, close - 1);
        if (item.starts_with("Classification:"))
            classification = text::trim(item.substr(15));
        else if (item.starts_with("Priority:"))
            priority = text::trim(item.substr(9));
        else if (item == "**") // Suricata's decoder events: "[**] [Raw pkt: ...]", no addresses
            return ParseStatus::Ignored;
        rest = text::trim(rest.substr(close + 1));
    }
    if (classification == "(null)") classification = {};
    if (rest.empty()) return ParseStatus::Ignored; // an alert about no packet's addresses
    if (!rest.starts_with("{")) return malformed("no {PROTO}");
    const std::size_t protoEnd = rest.find('}');
    if (protoEnd == npos) return malformed("no {PROTO}");
    std::string_view protoName = rest.substr(1, protoEnd - 1);
    if (protoName.starts_with("PROTO:")) protoName.remove_prefix(6);
    out.proto = core::protoFromName(protoName);
    if (out.proto == core::proto::kUnknown) return malformed("unknown protocol");
    rest = text::trim(rest.substr(protoEnd + 1));
    const std::size_t arrow = rest.find(" -> ");
    if (arrow == npos) return malformed("no \"src -> dst\"");
    const std::string_view srcText = text::trim(rest.substr(0, arrow));
    std::string_view dstText = text::trim(rest.substr(arrow + 4));
    if (const std::size_t sp = dstText.find(' '); sp != npos) dstText = dstText.substr(0, sp);
    const bool portsDue = hasPorts(out.proto) || dating == Dating::LongYear;
    if (!parseEndpoint(srcText, portsDue, out.src, out.srcPort)) return malformed("bad source address");
    if (!parseEndpoint(dstText, portsDue, out.dst, out.dstPort)) return malformed("bad destination address");
    if (out.src.family() != out.dst.family())
        return malformed("source and destination of different families");
    if (!hasPorts(out.proto)) {
        if ((out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6) && out.srcPort >= 0) {
            out.icmpType = out.srcPort & 0xFF; // Suricata: the type in the low byte, the code in the high one
            out.icmpCode = out.srcPort >> 8;
        }
        out.srcPort = out.dstPort = -1;
    }

    // The time.
    bool guessed = false;
    switch (dating) {
    case Dating::NoYear: {
        vendor::Stamp st;
        st.kind = vendor::Stamp::Kind::NoYear;
        st.civil = civil;
        st.civil.month = a;
        st.civil.day = b;
        if (!m_times.resolve(st, out)) return malformed("impossible date or time");
        break;
    }
    case Dating::ShortYear:
        resolveDate(a, b, c, civil, guessed);
        if (!m_times.resolveLocal(civil, out)) return malformed("impossible date or time");
        out.timeGuessed = out.timeGuessed || guessed;
        break;
    case Dating::LongYear:
        civil.month = a;
        civil.day = b;
        civil.year = int(c);
        if (!m_times.resolveLocal(civil, out)) return malformed("impossible date or time");
        break;
    case Dating::None:
        break;
    }

    out.action = isBlockAction(action) ? core::Action::Block : core::Action::Allow;
    if (iface.size() > 64) return malformed("interface name too long");
    vendor::assignText(out.iface, iface);
    if (id.size() > 40) return malformed("bad [gid:sid:rev]");
    out.rule.assign(id);
    vendor::JsonObject x(out.extra);
    x.addNumber("gid", gid);
    x.addNumber("sid", sid);
    x.addNumber("rev", rev);
    x.add("msg", msg);
    x.add("classification", classification);
    x.addNumber("priority", priority);
    x.add("action", action);
    x.close();
    return ParseStatus::Event;
}

} // namespace fastalert

namespace {

using core::ParseStatus;

class SnortLineParser final : public core::LineParser {
public:
    explicit SnortLineParser(const core::ParseContext& ctx)
        : m_reader(ctx)
    {
    }
    ParseStatus parse(std::string_view line, core::Event& out, std::string& reason) override
    {
        return m_reader.parse(line, out, reason);
    }

private:
    fastalert::Reader m_reader;
};

class SnortParser final : public core::Parser {
public:
    std::string_view id() const override { return "snort"; }
    std::string_view description() const override
    {
        return "Snort 2/3 alert_fast lines ([**] [gid:sid:rev] msg [**] ... {PROTO} src:port -> dst:port); "
               "dropped alerts are blocks, the others allowed packets";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000;
        fastalert::Reader r(ctx);
        core::Event ev;
        std::string reason;
        std::size_t records = 0, suricata = 0;
        for (std::string_view line : head) {
            if (r.parse(line, ev, reason) == ParseStatus::NotMine) continue;
            ++records;
            if (r.lastDating() == fastalert::Dating::LongYear) ++suricata;
        }
        if (records == 0) return {0, "no alert_fast line (MM/DD-hh:mm:ss.uuuuuu [**] [gid:sid:rev] ...)"};
        std::string counts
            = std::to_string(records) + " of " + std::to_string(head.size()) + " lines are fast alerts";
        int score = records == 1 && head.size() > 1 ? 50 : int(60 + 35 * records / head.size());
        // Four-digit years are Suricata's fast.log: leave the file to that parser.
        if (suricata > 0) {
            score -= 15;
            counts += " (" + std::to_string(suricata) + " with Suricata's four-digit years)";
        }
        return {score, counts};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<SnortLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeSnortParser()
{
    return std::make_unique<SnortParser>();
}

} // namespace tattle::parsers
