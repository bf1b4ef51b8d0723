// SPDX-License-Identifier: GPL-3.0-or-later
// Formats defined as data. A line goes through: the detect.contains substrings (plain searches, so lines
// of other programs cost no regex), detect.prematch, the "ignore" expressions (the format's own
// non-traffic records), the "patterns" (the first that matches gives the captures), the key=value
// tokeniser over the "kv" capture or the whole line, the value maps, and the normalisation below.
// docs/FORMATS.md is the reference for the JSON document.
#include "parsers/regex_format.h"

#include "core/text_util.h"
#include "parsers/text.h"
#include "parsers/time_format.h"

#include <algorithm>
#include <array>
#include <boost/regex.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

namespace tattle::parsers {

namespace {

using core::ParseStatus;
using Json = nlohmann::ordered_json;

enum class Field : std::uint8_t {
    Time,
    Date,
    Clock,
    Tz,
    Src,
    Dst,
    SrcPort,
    DstPort,
    Proto,
    Action,
    Direction,
    Iface,
    Rule,
    IcmpType,
    IcmpCode,
    TcpFlags,
    Count,
    Kv,
    Extra,
};
constexpr std::size_t kFieldCount = std::size_t(Field::Extra);

constexpr std::array<std::string_view, kFieldCount> kFieldNames
    = {"time", "date", "clock", "tz", "src", "dst", "src_port", "dst_port", "proto", "action", "direction",
        "iface", "rule", "icmp_type", "icmp_code", "tcp_flags", "count", "kv"};

constexpr std::string_view kExtraPrefix = "extra.";

/// Where a capture or a key's value goes.
struct Target {
    Field field = Field::Extra;
    std::uint16_t extra = 0; ///< index into Impl::extraNames when field is Extra
};

struct Capture {
    std::string name;
    Target target;
};

/// A compiled expression and the named captures it fills.
struct Pattern {
    boost::regex re;
    std::vector<Capture> captures;
};

/// Vendor words to a value: exact words (case-insensitive) first, then '*' globs in file order, then "*".
struct ValueMap {
    bool present = false;
    std::vector<std::pair<std::string, int>> exact; // lower case
    std::vector<std::pair<std::string, int>> globs; // lower case
    std::optional<int> fallback;
};

constexpr int kIgnore = -1000; // a value-map result that makes the record Ignored

struct KvKey {
    std::string key;
    Target target;
    int subPattern = -1; // index into Impl::subPatterns
};

struct Expectation {
    std::string key;
    std::string value;
    std::string pointer;
};

struct Sample {
    std::string pointer;
    std::string line;
    ParseStatus status = ParseStatus::Event;
    std::vector<Expectation> expect;
    std::string reason; // for Malformed samples: a part of the reason
    int year = 2024;
    core::TimeZone zone; // UTC unless the sample names one
};

char lower(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? char(c + 32) : c;
}

std::string lowered(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

/// '*' matches any run of characters; the rest matches case-insensitively (pattern already lower case).
bool globMatch(std::string_view pattern, std::string_view s) noexcept
{
    std::size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
    while (i < s.size()) {
        if (p < pattern.size() && pattern[p] != '*' && pattern[p] == lower(s[i])) {
            ++p;
            ++i;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = i;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            i = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

std::optional<int> lookup(const ValueMap& map, std::string_view word) noexcept
{
    for (const auto& [key, value] : map.exact) {
        if (text::iequals(key, word)) return value;
    }
    for (const auto& [glob, value] : map.globs) {
        if (globMatch(glob, word)) return value;
    }
    return map.fallback;
}

/// "SYN,ACK", "SYN ACK", "syn|ack" (names), or "SA", "-AP", "S." (tcpdump/ipfilter letters, '.' is ACK).
bool parseTcpFlags(std::string_view s, std::uint8_t& flags) noexcept
{
    s = text::trim(s);
    if (s.size() >= 2 && ((s.front() == '(' && s.back() == ')') || (s.front() == '[' && s.back() == ']')))
        s = text::trim(s.substr(1, s.size() - 2));
    if (s.empty()) return false;
    static constexpr std::array<std::pair<std::string_view, std::uint8_t>, 9> kNames = {{
        {"FIN", core::tcpflag::kFin},
        {"SYN", core::tcpflag::kSyn},
        {"RST", core::tcpflag::kRst},
        {"PSH", core::tcpflag::kPsh},
        {"PUSH", core::tcpflag::kPsh},
        {"ACK", core::tcpflag::kAck},
        {"URG", core::tcpflag::kUrg},
        {"ECE", core::tcpflag::kEce},
        {"CWR", core::tcpflag::kCwr},
    }};
    // Names first: "ECE" and "CWR" are made of flag letters too.
    std::uint8_t byName = 0;
    bool names = true;
    std::string_view rest = s;
    while (names && !rest.empty()) {
        std::size_t n = 0;
        while (n < rest.size() && rest[n] != ',' && rest[n] != ' ' && rest[n] != '|' && rest[n] != '+')
            ++n;
        const std::string_view word = rest.substr(0, n);
        rest.remove_prefix(n < rest.size() ? n + 1 : n);
        if (word.empty()) continue;
        bool known = false;
        for (const auto& [name, bit] : kNames) {
            if (text::iequals(word, name)) {
                byName |= bit;
                known = true;
            }
        }
        names = known;
    }
    if (names) {
        flags = byName;
        return true;
    }
    if (s.front() == '-') s.remove_prefix(1);
    if (s.empty() || s.size() > 9) return false;
    std::uint8_t byLetter = 0;
    for (char c : s) {
        switch (c) {
        case 'F':
            byLetter |= core::tcpflag::kFin;
            break;
        case 'S':
            byLetter |= core::tcpflag::kSyn;
            break;
        case 'R':
            byLetter |= core::tcpflag::kRst;
            break;
        case 'P':
            byLetter |= core::tcpflag::kPsh;
            break;
        case 'A':
        case '.':
            byLetter |= core::tcpflag::kAck;
            break;
        case 'U':
            byLetter |= core::tcpflag::kUrg;
            break;
        case 'E':
            byLetter |= core::tcpflag::kEce;
            break;
        case 'C':
        case 'W':
            byLetter |= core::tcpflag::kCwr;
            break;
        default:
            return false;
        }
    }
    flags = byLetter;
    return true;
}

std::optional<core::IpAddress> parseAddress(std::string_view s) noexcept
{
    s = text::trim(s);
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    return core::IpAddress::parse(s);
}

bool isIcmp(int proto) noexcept
{
    return proto == core::proto::kIcmp || proto == core::proto::kIcmpV6;
}

std::string_view statusName(ParseStatus s) noexcept
{
    switch (s) {
    case ParseStatus::Event:
        return "event";
    case ParseStatus::Ignored:
        return "ignored";
    case ParseStatus::NotMine:
        return "notmine";
    case ParseStatus::Malformed:
        return "malformed";
    }
    return "?";
}

} // namespace

// --- The compiled definition ------------------------------------------------------------------------------

struct DataFormat::Impl {
    std::string id, title, file;
    int priority = 50;
    std::vector<std::string> contains;
    std::optional<boost::regex> prematch;
    std::vector<boost::regex> ignore;
    std::vector<Pattern> patterns;
    bool unmatchedIgnored = false;
    bool kv = false;
    char kvAssign = '=';
    char kvSeparator = 0; // 0: blanks
    std::string kvQuotes = "\"";
    std::vector<KvKey> kvKeys; // sorted by key
    std::vector<Pattern> subPatterns;
    ValueMap actionMap, directionMap, protoMap;
    std::optional<core::Action> defaultAction;
    std::optional<core::Direction> defaultDirection;
    std::optional<int> defaultProto;
    std::array<bool, kFieldCount> required {};
    std::vector<TimeFormat> timeFormats;
    bool localZone = true;
    core::TimeZone zone;
    std::vector<std::string> extraNames;
    std::vector<Sample> samples;
};

namespace {

// --- Reading lines -----------------------------------------------------------------------------------------

class DataLineParser final : public core::LineParser {
public:
    DataLineParser(std::shared_ptr<const DataFormat> format, const core::ParseContext& ctx)
        : m_keep(std::move(format))
        , m_f(m_keep->impl())
        , m_zone(ctx.zone)
        , m_years(ctx.referenceTime, ctx.year)
        , m_extras(m_f.extraNames.size())
    {
    }

    ParseStatus parse(std::string_view line, core::Event& out, std::string& reason) override;

private:
    void assign(const Target& t, std::string_view value) noexcept
    {
        if (value.empty()) return;
        if (t.field == Field::Extra)
            m_extras[t.extra] = value;
        else
            m_values[std::size_t(t.field)] = value;
    }
    std::string_view value(Field f) const noexcept { return m_values[std::size_t(f)]; }

    void take(const boost::cmatch& m, const std::vector<Capture>& captures)
    {
        for (const Capture& c : captures) {
            const auto& sub = m[c.name.c_str()];
            if (sub.matched)
                assign(c.target, std::string_view(sub.first, std::size_t(sub.second - sub.first)));
        }
    }

    void tokenise(std::string_view s);
    ParseStatus build(std::string_view line, core::Event& out, std::string& reason);
    ParseStatus malformed(std::string& reason, std::string_view why)
    {
        reason.assign(why);
        return ParseStatus::Malformed;
    }

    std::shared_ptr<const DataFormat> m_keep;
    const DataFormat::Impl& m_f;
    core::TimeZone m_zone;
    core::YearInference m_years;
    boost::cmatch m_match, m_sub;
    std::array<std::string_view, kFieldCount> m_values {};
    std::vector<std::string_view> m_extras;
    std::string m_timeText;
};

bool isKvBlank(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\r';
}

void DataLineParser::tokenise(std::string_view s)
{
    const char sep = m_f.kvSeparator;
    auto isSep = [sep](char c) { return isKvBlank(c) || (sep != 0 && c == sep); };
    while (!s.empty()) {
        while (!s.empty() && isSep(s.front()))
            s.remove_prefix(1);
        std::size_t k = 0;
        while (k < s.size() && s[k] != m_f.kvAssign && !isSep(s[k]))
            ++k;
        const std::string_view key = s.substr(0, k);
        s.remove_prefix(k);
        if (s.empty() || s.front() != m_f.kvAssign) continue; // a bare word
        s.remove_prefix(1);
        std::string_view value;
        if (!s.empty() && m_f.kvQuotes.find(s.front()) != std::string::npos) {
            const char q = s.front();
            std::size_t e = 1;
            while (e < s.size() && s[e] != q)
                e += s[e] == '\\' && e + 1 < s.size() ? 2 : 1;
            value = s.substr(1, std::min(e, s.size()) - 1);
            s.remove_prefix(std::min(e + 1, s.size()));
        } else {
            std::size_t e = 0;
            while (e < s.size() && !isSep(s[e]))
                ++e;
            value = s.substr(0, e);
            s.remove_prefix(e);
        }
        if (key.empty()) continue;
        const auto it = std::lower_bound(m_f.kvKeys.begin(), m_f.kvKeys.end(), key,
            [](const KvKey& a, std::string_view b) { return std::string_view(a.key) < b; });
        if (it == m_f.kvKeys.end() || it->key != key) continue;
        if (it->subPattern < 0) {
            assign(it->target, value);
        } else {
            const Pattern& p = m_f.subPatterns[std::size_t(it->subPattern)];
            if (boost::regex_search(value.data(), value.data() + value.size(), m_sub, p.re))
                take(m_sub, p.captures);
        }
    }
}

ParseStatus DataLineParser::parse(std::string_view line, core::Event& out, std::string& reason)
{
    for (const std::string& needle : m_f.contains) {
        if (line.find(needle) == std::string_view::npos) return ParseStatus::NotMine;
    }
    if (line.size() > kMaxDataFormatLine)
        return malformed(reason, "longer than " + std::to_string(kMaxDataFormatLine) + " bytes");
    const char* const begin = line.data();
    const char* const end = begin + line.size();
    try {
        if (m_f.prematch && !boost::regex_search(begin, end, m_match, *m_f.prematch))
            return ParseStatus::NotMine;
        for (const boost::regex& re : m_f.ignore) {
            if (boost::regex_search(begin, end, m_match, re)) return ParseStatus::Ignored;
        }
        m_values.fill({});
        std::fill(m_extras.begin(), m_extras.end(), std::string_view());
        bool matched = m_f.patterns.empty();
        for (const Pattern& p : m_f.patterns) {
            if (boost::regex_search(begin, end, m_match, p.re)) {
                take(m_match, p.captures);
                matched = true;
                break;
            }
        }
        if (!matched) {
            if (m_f.unmatchedIgnored) return ParseStatus::Ignored;
            return malformed(reason, "no pattern of the format matches");
        }
        if (m_f.kv) {
            const std::string_view kvText = value(Field::Kv);
            tokenise(m_f.patterns.empty() || kvText.empty() ? line : kvText);
        }
    } catch (const std::exception&) {
        // Boost throws std::runtime_error when a pattern backtracks beyond its complexity limit ("(.+)+x"
        // on a long line): that line fails, the file goes on.
        return malformed(reason, "the format's pattern is too complex for this line");
    }
    return build(line, out, reason);
}

ParseStatus DataLineParser::build(std::string_view, core::Event& out, std::string& reason)
{
    out.reset();
    // Value maps may call a record not traffic; that takes precedence over any broken field.
    if (const std::string_view a = value(Field::Action); !a.empty()) {
        std::optional<int> r;
        if (m_f.actionMap.present)
            r = lookup(m_f.actionMap, a);
        else if (text::iequals(a, "block"))
            r = int(core::Action::Block);
        else if (text::iequals(a, "allow"))
            r = int(core::Action::Allow);
        if (!r) return malformed(reason, "unknown action");
        if (*r == kIgnore) return ParseStatus::Ignored;
        out.action = core::Action(*r);
    } else if (m_f.defaultAction) {
        out.action = *m_f.defaultAction;
    }
    if (const std::string_view d = value(Field::Direction); !d.empty()) {
        std::optional<int> r;
        if (m_f.directionMap.present)
            r = lookup(m_f.directionMap, d);
        else if (text::iequals(d, "in"))
            r = int(core::Direction::In);
        else if (text::iequals(d, "out"))
            r = int(core::Direction::Out);
        else if (text::iequals(d, "unknown"))
            r = int(core::Direction::Unknown);
        if (!r) return malformed(reason, "unknown direction");
        if (*r == kIgnore) return ParseStatus::Ignored;
        out.direction = core::Direction(*r);
    } else if (m_f.defaultDirection) {
        out.direction = *m_f.defaultDirection;
    }
    if (const std::string_view p = value(Field::Proto); !p.empty()) {
        std::optional<int> r;
        if (m_f.protoMap.present) r = lookup(m_f.protoMap, p);
        if (!r) {
            const int n = core::protoFromName(p);
            if (n != core::proto::kUnknown) r = n;
        }
        if (!r) return malformed(reason, "unknown protocol");
        if (*r == kIgnore) return ParseStatus::Ignored;
        out.proto = *r;
    } else if (m_f.defaultProto) {
        out.proto = *m_f.defaultProto;
    }

    const std::string_view src = value(Field::Src);
    if (src.empty()) return malformed(reason, "no source address");
    const auto srcAddr = parseAddress(src);
    if (!srcAddr) return malformed(reason, "bad source address");
    out.src = *srcAddr;
    if (const std::string_view dst = value(Field::Dst); !dst.empty()) {
        const auto dstAddr = parseAddress(dst);
        if (!dstAddr) return malformed(reason, "bad destination address");
        out.dst = *dstAddr;
    }
    struct Number {
        Field field;
        int* target;
        unsigned max;
        std::string_view why;
    };
    const Number numbers[] = {
        {Field::SrcPort, &out.srcPort, 65535, "bad source port"},
        {Field::DstPort, &out.dstPort, 65535, "bad destination port"},
        {Field::IcmpType, &out.icmpType, 255, "bad ICMP type"},
        {Field::IcmpCode, &out.icmpCode, 255, "bad ICMP code"},
    };
    // ICMP values mean nothing for other protocols (a vendor's "code=" may be something else there).
    const bool otherThanIcmp = out.proto != core::proto::kUnknown && !isIcmp(out.proto);
    for (const Number& n : numbers) {
        const std::string_view v = text::trim(value(n.field));
        if (v.empty() || (otherThanIcmp && (n.field == Field::IcmpType || n.field == Field::IcmpCode)))
            continue;
        unsigned u = 0;
        if (!text::parseUint(v, u, n.max)) return malformed(reason, n.why);
        *n.target = int(u);
    }
    if (const std::string_view f = value(Field::TcpFlags); !f.empty()) {
        if (!parseTcpFlags(f, out.tcpFlags)) return malformed(reason, "bad TCP flags");
        out.hasTcpFlags = true;
    }
    if (const std::string_view c = text::trim(value(Field::Count)); !c.empty()) {
        unsigned u = 0;
        if (!text::parseUint(c, u) || u == 0) return malformed(reason, "bad count");
        out.count = u;
    }
    // Names go to the store and to reports as they are: repair bytes that are not UTF-8.
    for (auto [field, target] : {std::pair {Field::Iface, &out.iface}, std::pair {Field::Rule, &out.rule}}) {
        const std::string_view v = text::trim(value(field));
        if (core::isValidUtf8(v))
            target->assign(v);
        else
            *target = core::toValidUtf8(v);
    }

    // A record that names an ICMP type but no protocol is ICMP; port numbers mean nothing for ICMP.
    if (out.proto == core::proto::kUnknown && out.icmpType >= 0)
        out.proto = out.src.isV6() ? core::proto::kIcmpV6 : core::proto::kIcmp;
    if (isIcmp(out.proto)) out.srcPort = out.dstPort = -1;

    // Time.
    std::string_view timeText = value(Field::Time);
    if (timeText.empty() && !value(Field::Date).empty() && !value(Field::Clock).empty()) {
        m_timeText.assign(value(Field::Date));
        m_timeText.push_back(' ');
        m_timeText.append(value(Field::Clock));
        timeText = m_timeText;
    }
    if (timeText.empty()) return malformed(reason, "no time");
    TimeFormat::Parsed t;
    bool read = false;
    for (const TimeFormat& tf : m_f.timeFormats) {
        if (tf.parse(timeText, t)) {
            read = true;
            break;
        }
    }
    if (!read) return malformed(reason, "bad time");
    if (t.epoch) {
        out.time = t.epochMicros;
    } else {
        core::CivilTime c = t.civil;
        bool guessed = false;
        if (!t.hasYear) {
            c.year = m_years.yearFor(c.month, c.day);
            guessed = !m_years.fixed();
        }
        if (!c.valid()) return malformed(reason, "impossible date or time");
        const std::int64_t local = c.asUtcSeconds();
        std::int64_t utc = 0;
        int offset = 0;
        const std::string_view tz = value(Field::Tz);
        if (t.hasOffset) {
            utc = local - t.offsetSeconds;
        } else if (!tz.empty() && TimeFormat::parseOffset(tz, offset)) {
            utc = local - offset;
        } else {
            bool unusual = false;
            utc = (m_f.localZone ? m_zone : m_f.zone).toUtc(local, &unusual);
            // A zone the log names but that we cannot read (an abbreviation such as "IST"): the time is
            // read in the configured zone, and flagged.
            guessed = guessed || unusual || !tz.empty();
        }
        out.time = utc * core::kMicrosPerSecond + c.micros;
        out.timeGuessed = guessed;
    }

    for (std::size_t i = 0; i < kFieldCount; ++i) {
        if (m_f.required[i] && value(Field(i)).empty())
            return malformed(reason, "no " + std::string(kFieldNames[i]));
    }

    bool first = true;
    for (std::size_t i = 0; i < m_extras.size(); ++i) {
        if (m_extras[i].empty()) continue;
        out.extra.append(first ? "{" : ",");
        first = false;
        core::appendJsonString(out.extra, m_f.extraNames[i]);
        out.extra.push_back(':');
        core::appendJsonString(out.extra, m_extras[i]);
    }
    if (!first) out.extra.push_back('}');
    return ParseStatus::Event;
}

// --- Compiling the JSON document ---------------------------------------------------------------------------

/// A definition error inside compile(): caught at its boundary and turned into a FormatError.
struct LoadError {
    std::string pointer;
    std::string reason;
};

[[noreturn]] void failAt(const std::string& pointer, std::string reason)
{
    throw LoadError {pointer, std::move(reason)};
}

std::string escapePointerToken(std::string_view key)
{
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out.push_back(c);
    }
    return out;
}

std::string child(const std::string& pointer, std::string_view key)
{
    return pointer + "/" + escapePointerToken(key);
}
std::string child(const std::string& pointer, std::size_t index)
{
    return pointer + "/" + std::to_string(index);
}

std::string typeName(const Json& j)
{
    return std::string(j.type_name());
}

const std::string& needString(const Json& j, const std::string& pointer)
{
    if (!j.is_string()) failAt(pointer, "expected a string, found " + typeName(j));
    return j.get_ref<const std::string&>();
}

void checkKeys(const Json& obj, const std::string& pointer, std::initializer_list<std::string_view> allowed)
{
    if (!obj.is_object()) failAt(pointer, "expected an object, found " + typeName(obj));
    for (const auto& [key, value] : obj.items()) {
        if (key.starts_with("_") || key == "$schema") continue; // comments
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string list;
            for (std::string_view a : allowed)
                list += (list.empty() ? "" : ", ") + std::string(a);
            failAt(child(pointer, key), "unknown key '" + key + "' (known here: " + list + ")");
        }
    }
}

/// A string, or an array of strings, as a list.
std::vector<std::pair<std::string, std::string>> stringList(const Json& j, const std::string& pointer)
{
    std::vector<std::pair<std::string, std::string>> out;
    if (j.is_string()) {
        out.emplace_back(j.get<std::string>(), pointer);
        return out;
    }
    if (!j.is_array()) failAt(pointer, "expected a string or an array of strings, found " + typeName(j));
    for (std::size_t i = 0; i < j.size(); ++i)
        out.emplace_back(needString(j[i], child(pointer, i)), child(pointer, i));
    return out;
}

/// The names of a pattern's named captures: (?<name>...), (?P<name>...) and (?'name'...), outside
/// character classes and escapes.
std::vector<std::string> captureNames(std::string_view re)
{
    std::vector<std::string> names;
    bool inClass = false;
    for (std::size_t i = 0; i < re.size(); ++i) {
        const char c = re[i];
        if (c == '\\') {
            if (i + 1 < re.size() && re[i + 1] == 'Q') { // \Q...\E quotes everything
                const std::size_t e = re.find("\\E", i + 2);
                if (e == std::string_view::npos) break;
                i = e + 1;
            } else {
                ++i;
            }
            continue;
        }
        if (inClass) {
            if (c == ']') inClass = false;
            continue;
        }
        if (c == '[') {
            inClass = true;
            if (i + 1 < re.size() && re[i + 1] == '^') ++i;
            if (i + 1 < re.size() && re[i + 1] == ']') ++i; // a leading ']' is literal
            continue;
        }
        if (c != '(' || i + 2 >= re.size() || re[i + 1] != '?') continue;
        std::size_t start = i + 2;
        char close = '>';
        if (re[start] == 'P' && start + 1 < re.size() && re[start + 1] == '<')
            start += 2;
        else if (re[start] == '<' && start + 1 < re.size() && re[start + 1] != '=' && re[start + 1] != '!')
            start += 1;
        else if (re[start] == '\'') {
            start += 1;
            close = '\'';
        } else
            continue;
        const std::size_t e = re.find(close, start);
        if (e == std::string_view::npos) break;
        names.emplace_back(re.substr(start, e - start));
        i = e;
    }
    return names;
}

class Compiler {
public:
    explicit Compiler(DataFormat::Impl& f)
        : m_f(f)
    {
    }

    void run(const Json& doc);

private:
    boost::regex compileRegex(const std::string& text, const std::string& pointer)
    {
        if (text.empty()) failAt(pointer, "the regular expression is empty");
        try {
            return boost::regex(text, boost::regex::perl);
        } catch (const boost::regex_error& e) {
            failAt(pointer,
                "bad regular expression: " + std::string(e.what()) + " (at offset "
                    + std::to_string(e.position()) + ")");
        }
    }

    Target target(std::string_view name, const std::string& pointer, bool allowKv)
    {
        if (name.starts_with(kExtraPrefix)) {
            const std::string_view key = name.substr(kExtraPrefix.size());
            if (key.empty() || key.size() > 64 || !std::all_of(key.begin(), key.end(), [](char c) {
                    return text::isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                        || c == '-';
                }))
                failAt(
                    pointer, "bad extra field name '" + std::string(name) + "' (letters, digits, _ and -)");
            const auto it = std::find(m_f.extraNames.begin(), m_f.extraNames.end(), key);
            if (it != m_f.extraNames.end()) return {Field::Extra, std::uint16_t(it - m_f.extraNames.begin())};
            if (m_f.extraNames.size() >= 256) failAt(pointer, "more than 256 extra fields");
            m_f.extraNames.emplace_back(key);
            return {Field::Extra, std::uint16_t(m_f.extraNames.size() - 1)};
        }
        for (std::size_t i = 0; i < kFieldCount; ++i) {
            if (kFieldNames[i] == name) {
                if (Field(i) == Field::Kv && !allowKv)
                    failAt(pointer,
                        Field(i) == Field::Kv && !m_hasKvSection
                            ? "capture 'kv' names the text to split into key=value pairs, but there is no "
                              "\"kv\" section"
                            : "'kv' cannot be used here");
                return {Field(i), 0};
            }
        }
        std::string list;
        for (std::string_view n : kFieldNames)
            list += (list.empty() ? "" : ", ") + std::string(n);
        failAt(pointer, "unknown field name '" + std::string(name) + "' (known: " + list + ", extra.<name>)");
    }

    Pattern pattern(const std::string& text, const std::string& pointer, bool allowKv)
    {
        Pattern p;
        p.re = compileRegex(text, pointer);
        for (const std::string& name : captureNames(text)) {
            const Target t = target(name, pointer, allowKv);
            note(t);
            if (std::none_of(
                    p.captures.begin(), p.captures.end(), [&](const Capture& c) { return c.name == name; }))
                p.captures.push_back({name, t});
        }
        return p;
    }

    void note(const Target& t)
    {
        if (t.field != Field::Extra) m_given[std::size_t(t.field)] = true;
    }

    ValueMap valueMap(
        const Json& j, const std::string& pointer, int (Compiler::*convert)(const Json&, const std::string&))
    {
        if (!j.is_object()) failAt(pointer, "expected an object of word: value, found " + typeName(j));
        ValueMap m;
        m.present = true;
        for (const auto& [word, value] : j.items()) {
            const std::string p = child(pointer, word);
            const int v = (this->*convert)(value, p);
            if (word.empty()) failAt(p, "an empty word");
            if (word == "*")
                m.fallback = v;
            else if (word.find('*') != std::string::npos)
                m.globs.emplace_back(lowered(word), v);
            else
                m.exact.emplace_back(lowered(word), v);
        }
        return m;
    }

    int actionValue(const Json& j, const std::string& pointer)
    {
        const std::string& s = needString(j, pointer);
        if (s == "block") return int(core::Action::Block);
        if (s == "allow") return int(core::Action::Allow);
        if (s == "ignore") return kIgnore;
        failAt(pointer, "expected \"block\", \"allow\" or \"ignore\", found \"" + s + "\"");
    }
    int directionValue(const Json& j, const std::string& pointer)
    {
        const std::string& s = needString(j, pointer);
        if (s == "in") return int(core::Direction::In);
        if (s == "out") return int(core::Direction::Out);
        if (s == "unknown") return int(core::Direction::Unknown);
        if (s == "ignore") return kIgnore;
        failAt(pointer, "expected \"in\", \"out\", \"unknown\" or \"ignore\", found \"" + s + "\"");
    }
    int protoValue(const Json& j, const std::string& pointer)
    {
        if (j.is_number_unsigned() && j.get<unsigned>() <= 255) return int(j.get<unsigned>());
        const std::string& s = needString(j, pointer);
        if (s == "ignore") return kIgnore;
        const int n = core::protoFromName(s);
        if (n == core::proto::kUnknown)
            failAt(pointer, "unknown protocol \"" + s + "\" (give a name such as tcp or an IANA number)");
        return n;
    }

    void detect(const Json& j, const std::string& pointer);
    void kv(const Json& j, const std::string& pointer);
    void time(const Json& j, const std::string& pointer);
    void samples(const Json& j, const std::string& pointer);

    DataFormat::Impl& m_f;
    std::array<bool, kFieldCount> m_given {};
    bool m_hasKvSection = false;
};

void Compiler::detect(const Json& j, const std::string& pointer)
{
    checkKeys(j, pointer, {"contains", "prematch", "priority"});
    if (j.contains("contains")) {
        for (auto& [s, p] : stringList(j["contains"], child(pointer, "contains"))) {
            if (s.empty()) failAt(p, "an empty string matches every line");
            m_f.contains.push_back(s);
        }
    }
    if (j.contains("prematch")) {
        const std::string p = child(pointer, "prematch");
        m_f.prematch = compileRegex(needString(j["prematch"], p), p);
    }
    if (j.contains("priority")) {
        const Json& pr = j["priority"];
        if (!pr.is_number_integer() || pr.get<long long>() < 0 || pr.get<long long>() > 100)
            failAt(child(pointer, "priority"), "expected an integer from 0 to 100");
        m_f.priority = pr.get<int>();
    }
}

void Compiler::kv(const Json& j, const std::string& pointer)
{
    checkKeys(j, pointer, {"keys", "separator", "assign", "quotes"});
    m_f.kv = true;
    auto oneChar = [&](const char* key, char& out) {
        if (!j.contains(key)) return;
        const std::string p = child(pointer, key);
        const std::string& s = needString(j[key], p);
        if (s.size() != 1 || s[0] == ' ' || s[0] == '\\' || s[0] == '"')
            failAt(p, "expected one character (not a blank, a backslash or a quote)");
        out = s[0];
    };
    oneChar("assign", m_f.kvAssign);
    oneChar("separator", m_f.kvSeparator);
    if (j.contains("quotes")) {
        const std::string p = child(pointer, "quotes");
        m_f.kvQuotes = needString(j["quotes"], p);
        if (m_f.kvQuotes.size() > 4) failAt(p, "at most four quote characters");
    }
    const std::string keysPointer = child(pointer, "keys");
    if (!j.contains("keys")) failAt(pointer, "a \"kv\" section needs \"keys\": which keys fill which fields");
    const Json& keys = j["keys"];
    if (!keys.is_object() || keys.empty()) failAt(keysPointer, "expected an object of key: field name");
    for (const auto& [key, spec] : keys.items()) {
        const std::string p = child(keysPointer, key);
        if (key.empty() || key.find_first_of(" \t=\"") != std::string::npos) failAt(p, "bad key name");
        KvKey k;
        k.key = key;
        if (spec.is_string()) {
            k.target = target(spec.get<std::string>(), p, false);
            note(k.target);
        } else if (spec.is_object()) {
            checkKeys(spec, p, {"pattern"});
            if (!spec.contains("pattern")) failAt(p, "expected a field name, or {\"pattern\": ...}");
            const std::string pp = child(p, "pattern");
            m_f.subPatterns.push_back(pattern(needString(spec["pattern"], pp), pp, false));
            if (m_f.subPatterns.back().captures.empty()) failAt(pp, "the pattern has no named capture");
            k.subPattern = int(m_f.subPatterns.size() - 1);
        } else {
            failAt(p, "expected a field name, or {\"pattern\": ...}, found " + typeName(spec));
        }
        m_f.kvKeys.push_back(std::move(k));
    }
    std::sort(
        m_f.kvKeys.begin(), m_f.kvKeys.end(), [](const KvKey& a, const KvKey& b) { return a.key < b.key; });
}

void Compiler::time(const Json& j, const std::string& pointer)
{
    checkKeys(j, pointer, {"format", "zone"});
    if (!j.contains("format")) failAt(pointer, "\"time\" needs a \"format\"");
    for (auto& [layout, p] : stringList(j["format"], child(pointer, "format"))) {
        auto tf = TimeFormat::compile(layout);
        if (!tf) failAt(p, "bad time format \"" + layout + "\": " + tf.error());
        m_f.timeFormats.push_back(std::move(*tf));
    }
    if (m_f.timeFormats.empty()) failAt(child(pointer, "format"), "no time format");
    if (j.contains("zone")) {
        const std::string p = child(pointer, "zone");
        const std::string& z = needString(j["zone"], p);
        if (z != "local") {
            auto zone = core::TimeZone::fromName(z);
            if (!zone)
                failAt(p, "unknown time zone \"" + z + "\" (\"local\", \"UTC\", \"+01:00\" or an IANA name)");
            m_f.localZone = false;
            m_f.zone = *zone;
        }
    }
}

void Compiler::samples(const Json& j, const std::string& pointer)
{
    if (!j.is_array() || j.empty())
        failAt(pointer, "a format needs samples: an array of {\"line\": ..., \"expect\": {...}}");
    bool anyEvent = false;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string p = child(pointer, i);
        const Json& s = j[i];
        checkKeys(s, p, {"line", "status", "expect", "reason", "year", "zone"});
        Sample sample;
        sample.pointer = p;
        if (!s.contains("line")) failAt(p, "a sample needs a \"line\"");
        sample.line = needString(s["line"], child(p, "line"));
        if (s.contains("status")) {
            const std::string sp = child(p, "status");
            const std::string& st = needString(s["status"], sp);
            if (st == "event")
                sample.status = ParseStatus::Event;
            else if (st == "ignored")
                sample.status = ParseStatus::Ignored;
            else if (st == "notmine")
                sample.status = ParseStatus::NotMine;
            else if (st == "malformed")
                sample.status = ParseStatus::Malformed;
            else
                failAt(sp, "expected \"event\", \"ignored\", \"notmine\" or \"malformed\"");
        }
        if (s.contains("year")) {
            const Json& y = s["year"];
            if (!y.is_number_integer() || y.get<long long>() < 1970 || y.get<long long>() > 9999)
                failAt(child(p, "year"), "expected a year from 1970 to 9999");
            sample.year = y.get<int>();
        }
        if (s.contains("zone")) {
            const std::string zp = child(p, "zone");
            auto zone = core::TimeZone::fromName(needString(s["zone"], zp));
            if (!zone) failAt(zp, "unknown time zone");
            sample.zone = *zone;
        }
        if (s.contains("reason")) {
            if (sample.status != ParseStatus::Malformed)
                failAt(child(p, "reason"), "only a malformed sample has a reason");
            sample.reason = needString(s["reason"], child(p, "reason"));
        }
        if (s.contains("expect")) {
            const std::string ep = child(p, "expect");
            const Json& e = s["expect"];
            if (sample.status != ParseStatus::Event) failAt(ep, "only an event sample has expected values");
            if (!e.is_object()) failAt(ep, "expected an object of field: value");
            for (const auto& [key, value] : e.items()) {
                const std::string vp = child(ep, key);
                static constexpr std::string_view kExpectable[]
                    = {"time", "src", "dst", "src_port", "dst_port", "proto", "action", "direction", "iface",
                        "rule", "icmp_type", "icmp_code", "tcp_flags", "count", "time_guessed"};
                if (!key.starts_with(kExtraPrefix)
                    && std::find(std::begin(kExpectable), std::end(kExpectable), key)
                        == std::end(kExpectable))
                    failAt(vp, "unknown field '" + key + "' (see docs/FORMATS.md)");
                std::string text;
                if (value.is_string())
                    text = value.get<std::string>();
                else if (value.is_number_integer() || value.is_boolean())
                    text = value.dump();
                else if (value.is_null())
                    text = "null"; // the field must be absent
                else
                    failAt(vp, "expected a string or an integer");
                sample.expect.push_back({key, std::move(text), vp});
            }
        } else if (sample.status == ParseStatus::Event) {
            failAt(p, "an event sample needs \"expect\": the field values the line must give");
        }
        anyEvent = anyEvent || sample.status == ParseStatus::Event;
        m_f.samples.push_back(std::move(sample));
    }
    if (!anyEvent) failAt(pointer, "no sample is an event: give at least one line that is a traffic record");
}

void Compiler::run(const Json& doc)
{
    checkKeys(doc, "",
        {"id", "title", "references", "detect", "ignore", "pattern", "patterns", "unmatched", "kv", "values",
            "defaults", "required", "time", "samples"});
    if (!doc.contains("id")) failAt("", "a format needs an \"id\"");
    m_f.id = needString(doc["id"], "/id");
    if (m_f.id.empty() || m_f.id.size() > 40 || m_f.id.front() == '-'
        || !std::all_of(m_f.id.begin(), m_f.id.end(),
            [](char c) { return (c >= 'a' && c <= 'z') || text::isDigit(c) || c == '-'; }))
        failAt("/id", "an id is 1 to 40 lower-case letters, digits and '-', not starting with '-'");
    if (m_f.id == "mixed") failAt("/id", "\"mixed\" is the id of tattle's reader for mixed files");
    if (!doc.contains("title")) failAt("", "a format needs a \"title\": one line for `tattle formats`");
    m_f.title = needString(doc["title"], "/title");
    if (m_f.title.empty() || m_f.title.size() > 200 || m_f.title.find_first_of("\r\n\t") != std::string::npos
        || !core::isValidUtf8(m_f.title))
        failAt("/title", "a title is one line of 1 to 200 characters");
    if (doc.contains("references")) stringList(doc["references"], "/references");

    m_hasKvSection = doc.contains("kv");
    if (doc.contains("detect")) detect(doc["detect"], "/detect");
    if (doc.contains("ignore")) {
        for (auto& [re, p] : stringList(doc["ignore"], "/ignore"))
            m_f.ignore.push_back(compileRegex(re, p));
    }
    if (doc.contains("pattern") && doc.contains("patterns"))
        failAt("/patterns", "give \"pattern\" or \"patterns\", not both");
    for (const char* key : {"pattern", "patterns"}) {
        if (!doc.contains(key)) continue;
        for (auto& [re, p] : stringList(doc[key], "/" + std::string(key)))
            m_f.patterns.push_back(pattern(re, p, m_hasKvSection));
    }
    if (m_hasKvSection) kv(doc["kv"], "/kv");
    if (m_f.patterns.empty() && !m_f.kv)
        failAt("", "a format needs a \"pattern\" (or \"patterns\"), a \"kv\" section, or both");
    if (m_f.contains.empty() && !m_f.prematch && m_f.patterns.empty())
        failAt("",
            "a key=value format needs \"detect\": \"contains\" or \"prematch\", or every line would be its");
    if (doc.contains("unmatched")) {
        const std::string& u = needString(doc["unmatched"], "/unmatched");
        if (u != "malformed" && u != "ignored") failAt("/unmatched", "expected \"malformed\" or \"ignored\"");
        m_f.unmatchedIgnored = u == "ignored";
    }
    if (doc.contains("values")) {
        const Json& v = doc["values"];
        checkKeys(v, "/values", {"action", "direction", "proto"});
        if (v.contains("action"))
            m_f.actionMap = valueMap(v["action"], "/values/action", &Compiler::actionValue);
        if (v.contains("direction"))
            m_f.directionMap = valueMap(v["direction"], "/values/direction", &Compiler::directionValue);
        if (v.contains("proto")) m_f.protoMap = valueMap(v["proto"], "/values/proto", &Compiler::protoValue);
    }
    if (doc.contains("defaults")) {
        const Json& d = doc["defaults"];
        checkKeys(d, "/defaults", {"action", "direction", "proto"});
        if (d.contains("action")) {
            const int a = actionValue(d["action"], "/defaults/action");
            if (a == kIgnore) failAt("/defaults/action", "a default action is \"block\" or \"allow\"");
            m_f.defaultAction = core::Action(a);
        }
        if (d.contains("direction")) {
            const int a = directionValue(d["direction"], "/defaults/direction");
            if (a == kIgnore)
                failAt("/defaults/direction", "a default direction is \"in\", \"out\" or \"unknown\"");
            m_f.defaultDirection = core::Direction(a);
        }
        if (d.contains("proto")) {
            const int p = protoValue(d["proto"], "/defaults/proto");
            if (p == kIgnore) failAt("/defaults/proto", "a default protocol names a protocol");
            m_f.defaultProto = p;
        }
    }
    if (doc.contains("required")) {
        for (auto& [name, p] : stringList(doc["required"], "/required")) {
            const Target t = target(name, p, false);
            if (t.field == Field::Extra) failAt(p, "extra fields cannot be required");
            m_f.required[std::size_t(t.field)] = true;
        }
    }
    if (!doc.contains("time")) failAt("", "a format needs \"time\": {\"format\": ...}");
    time(doc["time"], "/time");

    // Every record needs a source address and a time: something must give them.
    if (!m_given[std::size_t(Field::Src)])
        failAt("", "no capture or key=value key gives \"src\", the source address");
    if (!m_given[std::size_t(Field::Time)]
        && !(m_given[std::size_t(Field::Date)] && m_given[std::size_t(Field::Clock)]))
        failAt("", "no capture or key=value key gives \"time\" (or \"date\" and \"clock\")");
    for (std::size_t i = 0; i < kFieldCount; ++i) {
        if (m_f.required[i] && !m_given[i])
            failAt("/required", "\"" + std::string(kFieldNames[i]) + "\" is required but nothing gives it");
    }
    if (!doc.contains("samples"))
        failAt("", "a format needs \"samples\": lines with the values they must give");
    samples(doc["samples"], "/samples");
}

/// "2024-03-01T12:00:00Z" style text of the field an expectation names, from a parsed event.
std::optional<std::string> actual(const core::Event& e, std::string_view key)
{
    auto num = [](int v) { return v < 0 ? std::optional<std::string>() : std::to_string(v); };
    if (key == "time") return core::formatRfc3339(e.time);
    if (key == "src") return e.src.isValid() ? std::optional(e.src.toString()) : std::nullopt;
    if (key == "dst") return e.dst.isValid() ? std::optional(e.dst.toString()) : std::nullopt;
    if (key == "src_port") return num(e.srcPort);
    if (key == "dst_port") return num(e.dstPort);
    if (key == "icmp_type") return num(e.icmpType);
    if (key == "icmp_code") return num(e.icmpCode);
    if (key == "proto")
        return e.proto == core::proto::kUnknown ? std::nullopt : std::optional(core::protoName(e.proto));
    if (key == "action") return std::string(core::actionName(e.action));
    if (key == "direction") return std::string(core::directionName(e.direction));
    if (key == "iface") return e.iface;
    if (key == "rule") return e.rule;
    if (key == "count") return std::to_string(e.count);
    if (key == "tcp_flags")
        return e.hasTcpFlags ? std::optional(core::tcpFlagsText(e.tcpFlags)) : std::nullopt;
    if (key == "time_guessed") return e.timeGuessed ? "true" : "false";
    if (key.starts_with(kExtraPrefix)) {
        if (e.extra.empty()) return std::nullopt;
        const auto doc = nlohmann::json::parse(e.extra, nullptr, false);
        const std::string name(key.substr(kExtraPrefix.size()));
        if (!doc.is_object() || !doc.contains(name)) return std::nullopt;
        const auto& v = doc[name];
        return v.is_string() ? v.get<std::string>() : v.dump();
    }
    return std::nullopt;
}

/// Whether an actual value is what the sample expects (addresses, protocols, times and flags compared by
/// meaning, not spelling).
bool same(std::string_view key, const std::string& want, const std::optional<std::string>& got)
{
    if (want == "null") return !got;
    if (!got) return false;
    if (key == "src" || key == "dst") {
        const auto w = parseAddress(want);
        return w && w->toString() == *got;
    }
    if (key == "proto")
        return core::protoFromName(want) != core::proto::kUnknown
            && core::protoFromName(want) == core::protoFromName(*got);
    if (key == "time") {
        const auto w = core::parseRfc3339(want);
        return w && core::formatRfc3339(*w) == *got;
    }
    if (key == "tcp_flags") {
        std::uint8_t w = 0;
        return parseTcpFlags(want, w) && core::tcpFlagsText(w) == *got;
    }
    return want == *got;
}

} // namespace

// --- DataFormat --------------------------------------------------------------------------------------------

std::string FormatError::message() const
{
    return file + ": " + (pointer.empty() ? std::string("(top level)") : pointer) + ": " + reason;
}

std::span<const std::string_view> dataFormatFieldNames() noexcept
{
    return kFieldNames;
}

DataFormat::DataFormat(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}
DataFormat::~DataFormat() = default;

const std::string& DataFormat::id() const noexcept
{
    return m_impl->id;
}
const std::string& DataFormat::title() const noexcept
{
    return m_impl->title;
}
const std::string& DataFormat::file() const noexcept
{
    return m_impl->file;
}
int DataFormat::priority() const noexcept
{
    return m_impl->priority;
}

std::vector<std::string> DataFormat::sampleLines() const
{
    std::vector<std::string> lines;
    for (const Sample& s : m_impl->samples)
        lines.push_back(s.line);
    return lines;
}

std::unique_ptr<core::LineParser> DataFormat::open(const core::ParseContext& ctx) const
{
    return std::make_unique<DataLineParser>(shared_from_this(), ctx);
}

core::Sniff DataFormat::sniff(std::span<const std::string_view> head) const
{
    if (head.empty()) return {0, "no lines"};
    core::ParseContext ctx;
    ctx.year = 2000; // a leap year, so that any date in the head is valid
    DataLineParser p(shared_from_this(), ctx);
    core::Event ev;
    std::string reason, firstReason;
    std::size_t events = 0, ignored = 0, broken = 0;
    for (std::string_view line : head) {
        switch (p.parse(line, ev, reason)) {
        case ParseStatus::Event:
            ++events;
            break;
        case ParseStatus::Ignored:
            ++ignored;
            break;
        case ParseStatus::Malformed:
            if (broken++ == 0) firstReason = reason;
            break;
        case ParseStatus::NotMine:
            break;
        }
    }
    const std::size_t n = head.size();
    const std::string& name = m_impl->id;
    if (events == 0) {
        if (broken > 0)
            return {0,
                std::to_string(broken) + " lines look like " + name
                    + " records but none could be read (first: " + firstReason + ")"};
        if (ignored > 0)
            return {0, std::to_string(ignored) + " lines are " + name + " records, none a packet record"};
        if (!m_impl->contains.empty()) {
            std::string needles;
            for (const std::string& c : m_impl->contains)
                needles += (needles.empty() ? "\"" : "\", \"") + c;
            return {0,
                std::string(m_impl->contains.size() > 1 ? "no line contains all of " : "no line contains ")
                    + needles + "\""};
        }
        return {0, "no line matches the " + name + " patterns"};
    }
    const std::size_t records = events + ignored;
    const std::string counts = std::to_string(records) + " of " + std::to_string(n) + " lines";
    const std::string detail = " (" + std::to_string(events) + " packet records)";
    // As netfilter: firewall lines share syslog files with other programs, so a few suffice.
    if (records == 1 && n > 1) return {50, counts + " is a " + name + " record" + detail};
    return {int(60 + 35 * records / n), counts + " are " + name + " records" + detail};
}

std::vector<FormatError> DataFormat::checkSamples() const
{
    std::vector<FormatError> errors;
    auto err = [&](const std::string& pointer, std::string reason) {
        errors.push_back({m_impl->file, pointer, std::move(reason)});
    };
    for (const Sample& s : m_impl->samples) {
        core::ParseContext ctx;
        ctx.zone = s.zone;
        ctx.year = s.year;
        DataLineParser p(shared_from_this(), ctx);
        core::Event ev;
        std::string reason;
        const ParseStatus st = p.parse(s.line, ev, reason);
        if (st != s.status) {
            std::string why = "the line gives " + std::string(statusName(st));
            if (st == ParseStatus::Malformed) why += " (" + reason + ")";
            err(s.pointer, why + ", the sample says " + std::string(statusName(s.status)));
            continue;
        }
        if (st == ParseStatus::Malformed && !s.reason.empty() && reason.find(s.reason) == std::string::npos)
            err(s.pointer + "/reason",
                "the reason is \"" + reason + "\", the sample expects \"" + s.reason + "\"");
        for (const Expectation& x : s.expect) {
            const std::optional<std::string> got = actual(ev, x.key);
            if (!same(x.key, x.value, got))
                err(x.pointer, "expected " + x.value + ", got " + (got ? *got : std::string("nothing")));
        }
    }
    return errors;
}

std::expected<std::shared_ptr<const DataFormat>, FormatError> compileDataFormat(
    std::string_view json, const std::string& file)
{
    Json doc;
    try {
        doc = Json::parse(json.begin(), json.end());
    } catch (const Json::parse_error& e) {
        // No pointer exists for text that is not JSON: name the line and column instead.
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i + 1 < e.byte && i < json.size(); ++i) {
            if (json[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        std::string what = e.what();
        if (const auto colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
        return std::unexpected(FormatError {file, "",
            "not valid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": "
                + what});
    }
    auto impl = std::make_unique<DataFormat::Impl>();
    impl->file = file;
    try {
        Compiler(*impl).run(doc);
    } catch (const LoadError& e) {
        return std::unexpected(FormatError {file, e.pointer, e.reason});
    } catch (const Json::exception& e) {
        return std::unexpected(FormatError {file, "", std::string("bad value: ") + e.what()});
    }
    return std::make_shared<const DataFormat>(std::move(impl));
}

// --- The registry's parser --------------------------------------------------------------------------------

namespace {

class DataFormatParser final : public core::Parser {
public:
    explicit DataFormatParser(std::shared_ptr<const DataFormat> format)
        : m_format(std::move(format))
    {
    }
    std::string_view id() const override { return m_format->id(); }
    std::string_view description() const override { return m_format->title(); }
    core::Sniff sniff(std::span<const std::string_view> head) const override { return m_format->sniff(head); }
    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return m_format->open(ctx);
    }
    const DataFormat& format() const noexcept { return *m_format; }

private:
    std::shared_ptr<const DataFormat> m_format;
};

} // namespace

std::unique_ptr<core::Parser> makeDataFormatParser(std::shared_ptr<const DataFormat> format)
{
    return std::make_unique<DataFormatParser>(std::move(format));
}

const DataFormat* dataFormatOf(const core::Parser& parser) noexcept
{
    const auto* p = dynamic_cast<const DataFormatParser*>(&parser);
    return p ? &p->format() : nullptr;
}

} // namespace tattle::parsers
