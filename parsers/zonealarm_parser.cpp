// SPDX-License-Identifier: GPL-3.0-or-later
// ZoneAlarm's ZALog.txt. Each record is one line of comma (or tab) separated columns:
//   FWIN,2004/02/01,20:05:26 -5:00 GMT,198.51.100.1:0,192.0.2.93:0,ICMP (type:8/subtype:0)
//   type,date,time (local, with the offset from GMT),source,destination,transport
// Zone Labs documents the record types and the TCP flag letters in "How do I read the ZoneAlarm log
// files?" (support.zonealarm.com, article 115001812171); the sample files in the OSSEC documentation
// show the FWIN_OK/FWOUT_OK types and the program records (PE, ACCESS, ZLUpdate) around them.
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/text.h"

#include <array>
#include <string>

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::ParseStatus;

/// What a line turned out to be; sniff() scores a file by these.
enum class LineKind {
    Blank,
    Banner, ///< "ZoneAlarm Logging Client v6.5.737.000"
    OsLine, ///< "Windows XP-5.1.2600-Service Pack 2-SMP", written under the banner
    Header, ///< "type,date,time,source,destination,transport (Security)"
    Packet, ///< a packet record that was parsed
    OtherRecord, ///< a program, anti-virus or update record, or a type we do not know
    BadPacket, ///< a packet record with a broken column
    Junk, ///< nothing ZoneAlarm writes
};

struct PacketType {
    std::string_view name;
    Action action;
    Direction direction;
};

// FWROUTE is traffic routed through the host (Internet Connection Sharing) and FWLOOP traffic to the
// loopback adapter: neither is inbound or outbound from the host's point of view. The _OK forms are
// written for traffic an expert rule with tracking allowed. LOCK ("the firewall blocked a packet due to
// a lock violation") has no documented column layout: it is stored when it carries packet columns and
// passed over as a program record otherwise.
constexpr PacketType kPacketTypes[] = {
    {"FWIN", Action::Block, Direction::In},
    {"FWOUT", Action::Block, Direction::Out},
    {"FWROUTE", Action::Block, Direction::Unknown},
    {"FWLOOP", Action::Block, Direction::Unknown},
    {"FWIN_OK", Action::Allow, Direction::In},
    {"FWOUT_OK", Action::Allow, Direction::Out},
    {"FWROUTE_OK", Action::Allow, Direction::Unknown},
    {"FWLOOP_OK", Action::Allow, Direction::Unknown},
    {"LOCK", Action::Block, Direction::Unknown},
};

const PacketType* findPacketType(std::string_view name) noexcept
{
    for (const auto& t : kPacketTypes) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) noexcept
{
    return s.size() >= prefix.size() && text::iequals(s.substr(0, prefix.size()), prefix);
}

/// One or two decimal digits, as ZoneAlarm writes months, days, hours and offsets.
bool parseSmall(std::string_view s, unsigned& out) noexcept
{
    return !s.empty() && s.size() <= 2 && core::parseDigits(s, out);
}

/// "2006/09/09"
bool parseDate(std::string_view s, core::CivilTime& c) noexcept
{
    const std::size_t a = s.find('/');
    if (a != 4) return false;
    const std::size_t b = s.find('/', a + 1);
    if (b == std::string_view::npos) return false;
    unsigned y = 0;
    if (!core::parseDigits(s.substr(0, 4), y) || !parseSmall(s.substr(a + 1, b - a - 1), c.month)
        || !parseSmall(s.substr(b + 1), c.day))
        return false;
    c.year = int(y);
    return true;
}

/// "22:15:42" at the start of s, which is advanced past it.
bool parseClock(std::string_view& s, core::CivilTime& c) noexcept
{
    const std::size_t a = s.find(':');
    if (a == std::string_view::npos || a + 6 > s.size() || s[a + 3] != ':') return false;
    if (!parseSmall(s.substr(0, a), c.hour) || !core::parseDigits(s.substr(a + 1, 2), c.minute)
        || !core::parseDigits(s.substr(a + 4, 2), c.second))
        return false;
    s.remove_prefix(a + 6);
    return true;
}

enum class OffsetResult { None, Ok, Bad };

/// "-5:00 GMT", "+5:30 GMT", "0:00 GMT", "-8:00GMT" (the Zone Labs help), "-5:00 GMTGMT" (seen in the
/// program records of v4.5): seconds east of GMT. Without a sign, only "h:mm GMT" is taken as an offset.
OffsetResult parseOffset(std::string_view s, int& seconds) noexcept
{
    s = text::trim(s);
    if (s.empty()) return OffsetResult::None;
    int sign = 0;
    if (s[0] == '+' || s[0] == '-') {
        sign = s[0] == '-' ? -1 : 1;
        s.remove_prefix(1);
    }
    std::size_t i = 0;
    while (i < s.size() && text::isDigit(s[i]))
        ++i;
    unsigned h = 0, m = 0;
    if (!parseSmall(s.substr(0, i), h)) return OffsetResult::Bad;
    s.remove_prefix(i);
    if (!s.empty() && s[0] == ':') {
        if (s.size() < 3 || !core::parseDigits(s.substr(1, 2), m)) return OffsetResult::Bad;
        s.remove_prefix(3);
    }
    s = text::trim(s);
    bool gmt = false;
    while (startsWithNoCase(s, "GMT")) {
        gmt = true;
        s = text::trim(s.substr(3));
    }
    if (!s.empty() || h > 14 || m > 59 || (sign == 0 && !gmt)) return OffsetResult::Bad;
    seconds = (sign < 0 ? -1 : 1) * int(h * 3600 + m * 60);
    return OffsetResult::Ok;
}

/// "192.0.2.1:7138"; also "[2001:db8::1]:80" and, since ZoneAlarm appends ":port" to every address,
/// "2001:db8::1:80" read as address and port. "Src=" and "Dest=" are the ZoneAlarm 2.x prefixes.
bool parseEndpoint(std::string_view s, core::IpAddress& addr, int& port) noexcept
{
    s = text::trim(s);
    if (startsWithNoCase(s, "Src="))
        s.remove_prefix(4);
    else if (startsWithNoCase(s, "Dest="))
        s.remove_prefix(5);
    port = -1;
    std::string_view host = s;
    std::string_view portText;
    bool hasPort = false;
    if (!s.empty() && s[0] == '[') {
        const std::size_t close = s.find(']');
        if (close == std::string_view::npos) return false;
        host = s.substr(1, close - 1);
        const std::string_view rest = s.substr(close + 1);
        if (!rest.empty()) {
            if (rest[0] != ':') return false;
            portText = rest.substr(1);
            hasPort = true;
        }
    } else if (const std::size_t colon = s.rfind(':'); colon != std::string_view::npos) {
        host = s.substr(0, colon);
        portText = s.substr(colon + 1);
        hasPort = true;
        if (s.find(':') != colon && (!text::parsePort(portText, port) || !core::IpAddress::parse(host))) {
            host = s; // an IPv6 address without a port
            hasPort = false;
            port = -1;
        }
    }
    const auto parsed = core::IpAddress::parse(host);
    if (!parsed) return false;
    addr = *parsed;
    return !hasPort || text::parsePort(portText, port);
}

/// The letters of "TCP (flags:SA)"; 4 and 8 are the two bits above URG, which ZoneAlarm calls the
/// low- and high-order unused bits and RFC 3168 later named ECE and CWR.
bool parseFlags(std::string_view s, std::uint8_t& flags) noexcept
{
    flags = 0;
    for (char c : s) {
        switch (c) {
        case 'F':
            flags |= core::tcpflag::kFin;
            break;
        case 'S':
            flags |= core::tcpflag::kSyn;
            break;
        case 'R':
            flags |= core::tcpflag::kRst;
            break;
        case 'P':
            flags |= core::tcpflag::kPsh;
            break;
        case 'A':
            flags |= core::tcpflag::kAck;
            break;
        case 'U':
            flags |= core::tcpflag::kUrg;
            break;
        case '4':
            flags |= core::tcpflag::kEce;
            break;
        case '8':
            flags |= core::tcpflag::kCwr;
            break;
        default:
            return false;
        }
    }
    return true;
}

bool isNameChar(char c) noexcept
{
    return text::isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
}

/// "UDP", "TCP (flags:S)", "ICMP (type:8/subtype:0)". Returns the problem, or an empty view.
std::string_view parseTransport(std::string_view s, core::Event& ev) noexcept
{
    s = text::trim(s);
    std::size_t i = 0;
    while (i < s.size() && isNameChar(s[i]))
        ++i;
    const std::string_view name = s.substr(0, i);
    if (name.empty()) return "no transport protocol";
    ev.proto = core::protoFromName(name);
    if (ev.proto == core::proto::kUnknown) return "unknown transport protocol";
    std::string_view rest = text::trim(s.substr(i));
    if (rest.empty()) return {};
    if (rest.front() != '(' || rest.back() != ')') return "bad transport details";
    rest = rest.substr(1, rest.size() - 2);
    while (!rest.empty()) {
        std::string_view item = text::trim(text::nextToken(rest, '/'));
        const std::size_t colon = item.find(':');
        if (colon == std::string_view::npos) return "bad transport details";
        const std::string_view key = text::trim(item.substr(0, colon));
        const std::string_view value = text::trim(item.substr(colon + 1));
        unsigned v = 0;
        if (text::iequals(key, "flags")) {
            if (!parseFlags(value, ev.tcpFlags)) return "bad TCP flags";
            ev.hasTcpFlags = true;
        } else if (text::iequals(key, "type")) {
            if (!text::parseUint(value, v, 255)) return "bad ICMP type";
            ev.icmpType = int(v);
        } else if (text::iequals(key, "subtype") || text::iequals(key, "code")) {
            if (!text::parseUint(value, v, 255)) return "bad ICMP code";
            ev.icmpCode = int(v);
        }
    }
    return {};
}

bool hasPorts(int proto) noexcept
{
    using namespace core::proto;
    return proto == kTcp || proto == kUdp || proto == kSctp || proto == kUdpLite;
}

class ZoneAlarmLineParser final : public core::LineParser {
public:
    explicit ZoneAlarmLineParser(const core::ParseContext& ctx)
        : m_zone(ctx.zone)
    {
    }

    ParseStatus parse(std::string_view line, core::Event& out, std::string& reason) override;

    /// What the last line parsed was.
    LineKind lastKind() const noexcept { return m_kind; }

private:
    ParseStatus done(LineKind kind, ParseStatus status) noexcept
    {
        m_kind = kind;
        return status;
    }

    ParseStatus malformed(std::string& reason, std::string_view why)
    {
        reason.assign(why);
        return done(LineKind::BadPacket, ParseStatus::Malformed);
    }

    ParseStatus junk(std::string& reason)
    {
        reason.assign("not a ZoneAlarm log record");
        return done(LineKind::Junk, ParseStatus::Malformed);
    }

    core::TimeZone m_zone;
    LineKind m_kind = LineKind::Blank;
};

ParseStatus ZoneAlarmLineParser::parse(std::string_view line, core::Event& out, std::string& reason)
{
    if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    line = text::trim(line);
    if (line.empty()) return done(LineKind::Blank, ParseStatus::Ignored);

    const std::size_t sepPos = line.find_first_of(",\t");
    if (sepPos == std::string_view::npos) {
        // The banner and the Windows version line that ZoneAlarm writes at the top of the file.
        if ((line.starts_with("ZoneAlarm") || line.starts_with("Zone Labs"))
            && line.find("Logging Client") != std::string_view::npos)
            return done(LineKind::Banner, ParseStatus::Ignored);
        if (line.starts_with("Windows")) return done(LineKind::OsLine, ParseStatus::Ignored);
        if (findPacketType(line)) return malformed(reason, "truncated record");
        return junk(reason);
    }
    const char sep = line[sepPos];
    const std::string_view type = line.substr(0, sepPos);
    if (type.empty() || type.size() > 32) return junk(reason);
    for (char c : type) {
        if (!isNameChar(c)) return junk(reason);
    }

    // Columns: type, date, time, then the record's own; the last keeps any further separators.
    std::array<std::string_view, 8> cols {};
    std::size_t n = 0;
    for (std::size_t pos = 0;;) {
        const std::size_t end = n + 1 < cols.size() ? line.find(sep, pos) : std::string_view::npos;
        cols[n++] = line.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }

    if (text::iequals(type, "type")) {
        if (n >= 3 && text::iequals(text::trim(cols[1]), "date")
            && startsWithNoCase(text::trim(cols[2]), "time"))
            return done(LineKind::Header, ParseStatus::Ignored);
        return junk(reason);
    }

    const PacketType* packet = findPacketType(type);
    core::CivilTime civil;
    const bool dateOk = n >= 2 && parseDate(text::trim(cols[1]), civil);
    std::string_view timeText = n >= 3 ? text::trim(cols[2]) : std::string_view();
    const bool clockOk = dateOk && parseClock(timeText, civil);
    const bool timeOk = clockOk && civil.valid();
    if (!packet) {
        // Program, anti-virus, update records and any type we do not know: recognised by their date.
        if (!timeOk) return junk(reason);
        return done(LineKind::OtherRecord, ParseStatus::Ignored);
    }
    const bool isLock = packet->name == "LOCK";
    auto bad = [&](std::string_view why) {
        if (isLock && timeOk) return done(LineKind::OtherRecord, ParseStatus::Ignored);
        return malformed(reason, why);
    };
    if (!dateOk) return bad(n < 2 ? "truncated record" : "bad date");
    if (!clockOk) return bad(n < 3 ? "truncated record" : "bad time");
    if (!timeOk) return bad("impossible date or time");

    // ZoneAlarm 2.x wrote the offset in a column of its own: "14:44:58,-8:00 GMT, Src=...".
    std::size_t col = 3;
    int offset = 0;
    OffsetResult offsetResult = parseOffset(timeText, offset);
    if (offsetResult == OffsetResult::Bad) return bad("bad GMT offset");
    if (offsetResult == OffsetResult::None && n > col) {
        const std::string_view c = text::trim(cols[col]);
        if (!c.empty() && (c[0] == '+' || c[0] == '-') && c.find("GMT") != std::string_view::npos) {
            offsetResult = parseOffset(c, offset);
            if (offsetResult != OffsetResult::Ok) return bad("bad GMT offset");
            ++col;
        }
    }

    out.reset();
    out.action = packet->action;
    out.direction = packet->direction;
    if (n < col + 3) return bad("truncated record");
    if (!parseEndpoint(cols[col], out.src, out.srcPort)) return bad("bad source address");
    if (!parseEndpoint(cols[col + 1], out.dst, out.dstPort)) return bad("bad destination address");
    std::size_t transportCol = col + 2;
    // ZoneAlarm 2.x: "..., Dest=192.0.2.1:0, Incoming, ICMP".
    if (n > transportCol + 1) {
        const std::string_view dir = text::trim(cols[transportCol]);
        if (text::iequals(dir, "Incoming"))
            out.direction = Direction::In;
        else if (text::iequals(dir, "Outgoing"))
            out.direction = Direction::Out;
        if (text::iequals(dir, "Incoming") || text::iequals(dir, "Outgoing")) ++transportCol;
    }
    if (const std::string_view why = parseTransport(cols[transportCol], out); !why.empty()) return bad(why);
    // ICMP and the other protocols without ports are written with ":0" in their place.
    if (!hasPorts(out.proto) && out.srcPort == 0 && out.dstPort == 0) out.srcPort = out.dstPort = -1;

    const std::int64_t local = civil.asUtcSeconds();
    if (offsetResult == OffsetResult::Ok) {
        out.time = (local - offset) * core::kMicrosPerSecond;
    } else {
        bool unusual = false;
        out.time = m_zone.toUtc(local, &unusual) * core::kMicrosPerSecond;
        out.timeGuessed = unusual;
    }
    out.extra.assign("{\"type\":");
    core::appendJsonString(out.extra, packet->name);
    out.extra.push_back('}');
    return done(LineKind::Packet, ParseStatus::Event);
}

class ZoneAlarmParser final : public core::Parser {
public:
    std::string_view id() const override { return "zonealarm"; }
    std::string_view description() const override
    {
        return "ZoneAlarm ZALog.txt (FWIN/FWOUT/FWROUTE/FWLOOP records, comma or tab separated)";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        ZoneAlarmLineParser parser {core::ParseContext {}};
        core::Event ev;
        std::string reason;
        std::size_t records = 0, packets = 0, counted = 0;
        for (std::string_view line : head) {
            parser.parse(line, ev, reason);
            switch (parser.lastKind()) {
            case LineKind::Banner:
                return {100, "the file starts with the ZoneAlarm Logging Client banner"};
            case LineKind::Header:
                return {100, "a ZoneAlarm column header line (type,date,time,...)"};
            case LineKind::Packet:
                ++packets;
                [[fallthrough]];
            case LineKind::OtherRecord:
                ++records;
                ++counted;
                break;
            case LineKind::BadPacket:
            case LineKind::Junk:
                ++counted;
                break;
            case LineKind::Blank:
            case LineKind::OsLine:
                break;
            }
        }
        if (records == 0)
            return {0, "no line looks like a ZoneAlarm record (TYPE,yyyy/mm/dd,hh:mm:ss -h:mm GMT,...)"};
        const int score = int(95 * records / counted);
        return {score,
            std::to_string(records) + " of " + std::to_string(counted) + " lines are ZoneAlarm records ("
                + std::to_string(packets) + " packet records)"};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<ZoneAlarmLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeZoneAlarmParser()
{
    return std::make_unique<ZoneAlarmParser>();
}

} // namespace tattle::parsers
