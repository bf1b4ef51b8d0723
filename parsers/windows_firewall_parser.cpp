// SPDX-License-Identifier: GPL-3.0-or-later
// Windows Firewall pfirewall.log, in the W3C extended log format:
//   #Version: 1.5
//   #Software: Microsoft Windows Firewall
//   #Time Format: Local
//   #Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin
//            icmptype icmpcode info path [pid]
//   2005-04-11 08:06:26 DROP TCP 192.0.2.90 198.51.100.90 80 1774 576 A 123456789 987654321 12345 - - -
//   RECEIVE
// The columns are those the #Fields: line names, in its order; "-" is an empty value. Microsoft's
// "Interpreting the Windows Firewall Log" (TechNet cc758040) lists the fields and the actions OPEN,
// OPEN-INBOUND, CLOSE, DROP and INFO-EVENTS-LOST; Vista and later add ALLOW, and Windows 10 the pid.
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/text.h"

#include <array>
#include <string>
#include <vector>

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::ParseStatus;

enum class Field : std::uint8_t {
    Other,
    Date,
    Time,
    Action,
    Protocol,
    SrcIp,
    DstIp,
    SrcPort,
    DstPort,
    Size,
    TcpFlags,
    TcpSyn,
    TcpAck,
    TcpWin,
    IcmpType,
    IcmpCode,
    Info,
    Path,
    Pid,
    Count_,
};

struct FieldName {
    std::string_view name;
    Field field;
};

constexpr FieldName kFieldNames[] = {
    {"date", Field::Date},
    {"time", Field::Time},
    {"action", Field::Action},
    {"protocol", Field::Protocol},
    {"src-ip", Field::SrcIp},
    {"dst-ip", Field::DstIp},
    {"src-port", Field::SrcPort},
    {"dst-port", Field::DstPort},
    {"size", Field::Size},
    {"tcpflags", Field::TcpFlags},
    {"tcpsyn", Field::TcpSyn},
    {"tcpack", Field::TcpAck},
    {"tcpwin", Field::TcpWin},
    {"icmptype", Field::IcmpType},
    {"icmpcode", Field::IcmpCode},
    {"info", Field::Info},
    {"path", Field::Path},
    {"pid", Field::Pid},
};

// The fields of version 1.5, which every Windows release has written; Windows 10 appends "pid".
constexpr std::string_view kDefaultFields
    = "date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype "
      "icmpcode info path";

// A #Fields: line declaring more columns than this is not a firewall log.
constexpr std::size_t kMaxFields = 64;

constexpr std::size_t kFieldCount = std::size_t(Field::Count_);

Field fieldFromName(std::string_view name) noexcept
{
    for (const auto& f : kFieldNames) {
        if (text::iequals(name, f.name)) return f.field;
    }
    return Field::Other;
}

/// What a line turned out to be; sniff() scores a file by these.
enum class LineKind {
    Blank,
    SoftwareHeader, ///< "#Software: Microsoft Windows Firewall"
    FieldsHeader, ///< a "#Fields:" line naming src-ip and dst-ip
    OtherHeader, ///< any other "#" line
    Record, ///< a packet or connection record
    InfoRecord, ///< INFO-EVENTS-LOST and the other INFO-* actions
    BadRecord, ///< a data line that could not be read
};

/// Splits on runs of blanks, which the W3C format uses between fields.
std::size_t splitFields(std::string_view s, std::vector<std::string_view>& out, std::size_t max)
{
    out.clear();
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && text::isSpace(s[i]))
            ++i;
        if (i == s.size()) break;
        std::size_t j = i;
        while (j < s.size() && !text::isSpace(s[j]))
            ++j;
        if (out.size() == max) return max + 1; // too many: the caller reports it
        out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out.size();
}

bool parseSmall(std::string_view s, unsigned& out) noexcept
{
    return !s.empty() && s.size() <= 2 && core::parseDigits(s, out);
}

/// "2005-04-11" (Microsoft's documentation also shows "2006-3-27").
bool parseDate(std::string_view s, core::CivilTime& c) noexcept
{
    if (s.size() < 8 || s[4] != '-') return false;
    const std::size_t b = s.find('-', 5);
    if (b == std::string_view::npos) return false;
    unsigned y = 0;
    if (!core::parseDigits(s.substr(0, 4), y) || !parseSmall(s.substr(5, b - 5), c.month)
        || !parseSmall(s.substr(b + 1), c.day))
        return false;
    c.year = int(y);
    return true;
}

/// "08:06:26"
bool parseClock(std::string_view s, core::CivilTime& c) noexcept
{
    const std::size_t a = s.find(':');
    if (a == std::string_view::npos || s.size() != a + 6 || s[a + 3] != ':') return false;
    return parseSmall(s.substr(0, a), c.hour) && core::parseDigits(s.substr(a + 1, 2), c.minute)
        && core::parseDigits(s.substr(a + 4, 2), c.second);
}

/// "SA", "FA", "AP": one letter per flag set (Ack, Fin, Psh, Rst, Syn, Urg; E and C taken as ECE/CWR).
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

bool isAbsent(std::string_view v) noexcept
{
    return v.empty() || v == "-";
}

/// An address as Windows writes it; a zone index ("fe80::1%12") is dropped.
bool parseAddress(std::string_view s, core::IpAddress& out) noexcept
{
    if (const std::size_t pct = s.find('%'); pct != std::string_view::npos && s.find(':') < pct)
        s = s.substr(0, pct);
    const auto a = core::IpAddress::parse(s);
    if (!a) return false;
    out = *a;
    return true;
}

/// Appends ,"key":value to a JSON object that has a member already: a number when value is a plain
/// decimal one, else a string.
void appendJsonMember(std::string& json, std::string_view key, std::string_view value)
{
    json.push_back(',');
    core::appendJsonString(json, key);
    json.push_back(':');
    unsigned n = 0;
    if (text::parseUint(value, n) && (value.size() == 1 || value[0] != '0'))
        json.append(value);
    else
        core::appendJsonString(json, value);
}

class WindowsFirewallLineParser final : public core::LineParser {
public:
    explicit WindowsFirewallLineParser(const core::ParseContext& ctx)
        : m_zone(ctx.zone)
    {
        setFields(kDefaultFields);
        m_defaultFields = true;
        m_values.reserve(kMaxFields + 1);
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
        return done(LineKind::BadRecord, ParseStatus::Malformed);
    }

    ParseStatus header(std::string_view line);
    void setFields(std::string_view names);
    std::string_view value(Field f) const noexcept
    {
        const int i = m_index[std::size_t(f)];
        return i < 0 || std::size_t(i) >= m_values.size() ? std::string_view() : m_values[std::size_t(i)];
    }

    core::TimeZone m_zone;
    bool m_utc = false;
    bool m_defaultFields = true;
    std::size_t m_fieldCount = 0;
    std::array<int, kFieldCount> m_index {};
    std::string_view m_fieldsProblem; ///< why the current #Fields: line cannot be used, empty if it can
    std::vector<std::string_view> m_values;
    LineKind m_kind = LineKind::Blank;
};

void WindowsFirewallLineParser::setFields(std::string_view names)
{
    m_index.fill(-1);
    m_fieldCount = 0;
    m_defaultFields = false;
    m_fieldsProblem = {};
    std::string_view rest = names;
    while (true) {
        const std::string_view name = text::nextWord(rest);
        if (name.empty()) break;
        if (m_fieldCount == kMaxFields) {
            m_fieldsProblem = "the #Fields: header declares too many fields";
            return;
        }
        const Field f = fieldFromName(name);
        if (f != Field::Other && m_index[std::size_t(f)] < 0) m_index[std::size_t(f)] = int(m_fieldCount);
        ++m_fieldCount;
    }
    for (Field f : {Field::Date, Field::Time, Field::Action, Field::SrcIp, Field::DstIp}) {
        if (m_index[std::size_t(f)] < 0) {
            m_fieldsProblem = "the #Fields: header lacks date, time, action, src-ip or dst-ip";
            return;
        }
    }
}

ParseStatus WindowsFirewallLineParser::header(std::string_view line)
{
    const std::size_t colon = line.find(':');
    const std::string_view key = text::trim(line.substr(1, colon == std::string_view::npos ? 0 : colon - 1));
    const std::string_view val
        = colon == std::string_view::npos ? std::string_view() : text::trim(line.substr(colon + 1));
    if (text::iequals(key, "Fields")) {
        setFields(val);
        if (m_fieldsProblem.empty()) return done(LineKind::FieldsHeader, ParseStatus::Ignored);
        return done(LineKind::OtherHeader, ParseStatus::Ignored);
    }
    if (text::iequals(key, "Time Format")) {
        // Windows writes only "Local"; UTC is the other value the W3C format allows.
        m_utc = text::iequals(val, "UTC") || text::iequals(val, "GMT");
    } else if (text::iequals(key, "Software") && val.find("Windows Firewall") != std::string_view::npos) {
        return done(LineKind::SoftwareHeader, ParseStatus::Ignored);
    }
    return done(LineKind::OtherHeader, ParseStatus::Ignored);
}

ParseStatus WindowsFirewallLineParser::parse(std::string_view line, core::Event& out, std::string& reason)
{
    if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    line = text::trim(line);
    if (line.empty()) return done(LineKind::Blank, ParseStatus::Ignored);
    if (line.front() == '#') return header(line);
    if (!m_fieldsProblem.empty()) return malformed(reason, m_fieldsProblem);

    const std::size_t n = splitFields(line, m_values, m_defaultFields ? m_fieldCount + 1 : m_fieldCount);
    if (m_defaultFields && n == m_fieldCount + 1) {
        // Before any #Fields: line, a Windows 10 line with the pid column.
        if (m_index[std::size_t(Field::Pid)] < 0) m_index[std::size_t(Field::Pid)] = int(m_fieldCount);
    } else if (n != m_fieldCount) {
        core::CivilTime unused;
        if (!parseDate(value(Field::Date), unused)) return malformed(reason, "not a pfirewall.log record");
        // INFO-EVENTS-LOST lines are as long as the others, so a short line is a truncated one.
        if (n > m_fieldCount) return malformed(reason, "more fields than the #Fields: header declares");
        return malformed(reason, "fewer fields than the #Fields: header declares");
    }

    const std::string_view action = value(Field::Action);
    out.reset();
    if (action == "DROP") {
        out.action = Action::Block;
    } else if (action == "ALLOW" || action == "OPEN" || action == "CLOSE" || action == "OPEN-INBOUND") {
        out.action = Action::Allow;
    } else if (action.starts_with("INFO-")) {
        return done(LineKind::InfoRecord, ParseStatus::Ignored);
    } else {
        return malformed(reason, "unknown action");
    }

    core::CivilTime civil;
    if (!parseDate(value(Field::Date), civil)) return malformed(reason, "bad date");
    if (!parseClock(value(Field::Time), civil)) return malformed(reason, "bad time");
    if (!civil.valid()) return malformed(reason, "impossible date or time");
    const std::int64_t local = civil.asUtcSeconds();
    if (m_utc) {
        out.time = local * core::kMicrosPerSecond;
    } else {
        bool unusual = false;
        out.time = m_zone.toUtc(local, &unusual) * core::kMicrosPerSecond;
        out.timeGuessed = unusual;
    }

    if (const std::string_view p = value(Field::Protocol); !isAbsent(p)) {
        for (char c : p) {
            if (!(text::isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-'))
                return malformed(reason, "bad protocol");
        }
        out.proto = core::protoFromName(p);
    }
    if (!parseAddress(value(Field::SrcIp), out.src)) return malformed(reason, "bad src-ip");
    if (!parseAddress(value(Field::DstIp), out.dst)) return malformed(reason, "bad dst-ip");
    if (const std::string_view v = value(Field::SrcPort); !isAbsent(v) && !text::parsePort(v, out.srcPort))
        return malformed(reason, "bad src-port");
    if (const std::string_view v = value(Field::DstPort); !isAbsent(v) && !text::parsePort(v, out.dstPort))
        return malformed(reason, "bad dst-port");
    if (const std::string_view v = value(Field::TcpFlags); !isAbsent(v)) {
        if (!parseFlags(v, out.tcpFlags)) return malformed(reason, "bad tcpflags");
        out.hasTcpFlags = true;
    }
    unsigned u = 0;
    if (const std::string_view v = value(Field::IcmpType); !isAbsent(v)) {
        if (!text::parseUint(v, u, 255)) return malformed(reason, "bad icmptype");
        out.icmpType = int(u);
    }
    if (const std::string_view v = value(Field::IcmpCode); !isAbsent(v)) {
        if (!text::parseUint(v, u, 255)) return malformed(reason, "bad icmpcode");
        out.icmpCode = int(u);
    }

    // "OPEN - An outbound session was opened to a remote computer": Windows XP SP2 logs no path.
    const std::string_view path = value(Field::Path);
    if (path == "RECEIVE")
        out.direction = Direction::In;
    else if (path == "SEND")
        out.direction = Direction::Out;
    else if (isAbsent(path) && action == "OPEN-INBOUND")
        out.direction = Direction::In;
    else if (isAbsent(path) && action == "OPEN")
        out.direction = Direction::Out;
    else if (!isAbsent(path) && path != "FORWARD" && path != "UNKNOWN")
        return malformed(reason, "bad path");

    out.extra.assign("{\"action\":");
    core::appendJsonString(out.extra, action);
    if (const std::string_view v = value(Field::Size); !isAbsent(v)) appendJsonMember(out.extra, "size", v);
    if (const std::string_view v = value(Field::Pid); !isAbsent(v)) appendJsonMember(out.extra, "pid", v);
    if (const std::string_view v = value(Field::Info); !isAbsent(v)) appendJsonMember(out.extra, "info", v);
    out.extra.push_back('}');
    return done(LineKind::Record, ParseStatus::Event);
}

class WindowsFirewallParser final : public core::Parser {
public:
    std::string_view id() const override { return "windows-firewall"; }
    std::string_view description() const override
    {
        return "Windows Firewall pfirewall.log (W3C extended format, any #Fields: order)";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        WindowsFirewallLineParser parser {core::ParseContext {}};
        core::Event ev;
        std::string reason;
        std::size_t records = 0, counted = 0;
        for (std::string_view line : head) {
            parser.parse(line, ev, reason);
            switch (parser.lastKind()) {
            case LineKind::SoftwareHeader:
                return {100, "a \"#Software: Microsoft Windows Firewall\" header"};
            case LineKind::FieldsHeader:
                return {100, "a W3C \"#Fields:\" header naming action, src-ip and dst-ip"};
            case LineKind::Record:
            case LineKind::InfoRecord:
                ++records;
                ++counted;
                break;
            case LineKind::BadRecord:
                ++counted;
                break;
            case LineKind::Blank:
            case LineKind::OtherHeader:
                break;
            }
        }
        if (records == 0)
            return {
                0, "no line looks like a pfirewall.log header or record (yyyy-mm-dd hh:mm:ss DROP TCP ...)"};
        return {int(95 * records / counted),
            std::to_string(records) + " of " + std::to_string(counted) + " lines are pfirewall.log records"};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<WindowsFirewallLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeWindowsFirewallParser()
{
    return std::make_unique<WindowsFirewallParser>();
}

} // namespace tattle::parsers
