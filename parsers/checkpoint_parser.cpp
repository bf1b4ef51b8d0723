// SPDX-License-Identifier: GPL-3.0-or-later
// Check Point firewall logs (FireWall-1 / VPN-1, R55 to R81) in the three text forms they reach files in:
//
// 1. The classic FW-1 line, as "fw log" prints it and syslog relays it (the OSSEC documentation's samples):
//      Sep  3 15:10:54 192.168.99.1 Checkpoint:  3Sep2007 15:10:28 drop   192.168.99.1 >eth8 rule: 134;
//      rule_uid: {...}; src: 192.168.99.185; dst: 192.149.252.44; proto: tcp; service: 43; s_port: 57172;
//    date and time (local), action, origin (the gateway), ">" inbound or "<" outbound and the interface,
//    then "key: value;" fields; service is the destination port, "ICMP Type:" and "ICMP Code:" the ICMP ones.
// 2. Log Exporter's default syslog form (R77.30+, "Check Point Log Exporter" in sk122323): RFC 5424 with the
//    fields as key:"value"; pairs in brackets, time:"<epoch>" the instant:
//      1 2019-05-15T16:25:50Z HOST CheckPoint 19710 - [action:"Drop"; ifdir:"inbound"; ifname:"eth2"; ...
//      dst:"192.0.2.55"; proto:"17"; s_port:"55036"; service:"1514"; src:"192.0.2.77"; ]
// 3. key=value pairs separated by '|': the OPSEC LEA export (fw1-loggrabber: "time=3Sep2007 15:10:28|
//    action=drop|orig=...|i/f_dir=inbound|i/f_name=eth0|...") and Log Exporter's splunk form.
//
// Accept, Allow, Encrypt and Decrypt are allowed connections; Drop, Reject, Block and Prevent blocked ones.
// Check Point's other actions (Key Install, Login, Authorize, Monitored, Detect, Inspect, Flag, Bypass,
// Quarantine, ...) and the VPN daemon's records (ifname "daemon") are not firewall decisions about a packet
// and are passed over.
#include "parsers/builtin_parsers.h"
#include "parsers/text.h"
#include "parsers/vendor_text.h"

#include <cstring>
#include <string>

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::Event;
using core::ParseStatus;
using vendor::npos;

struct Fields {
    std::string_view date, time, action, origin, ifdir, ifname, src, dst, proto, sport, service, serviceId;
    std::string_view rule, ruleName, ruleUid, matchId, product, icmpType, icmpCode, xlatesrc, xlatedst;
    std::string_view inzone, outzone, layerName;
    bool truncated = false;
};

struct KeySlot {
    std::string_view key;
    std::string_view Fields::*slot;
};

// The names of the three forms lead to the same slots; the first occurrence wins (Log Exporter repeats
// layer fields once per policy layer).
constexpr KeySlot kKeys[] = {
    {"time", &Fields::time},
    {"action", &Fields::action},
    {"origin", &Fields::origin},
    {"orig", &Fields::origin},
    {"ifdir", &Fields::ifdir},
    {"i/f_dir", &Fields::ifdir},
    {"ifname", &Fields::ifname},
    {"i/f_name", &Fields::ifname},
    {"src", &Fields::src},
    {"dst", &Fields::dst},
    {"proto", &Fields::proto},
    {"s_port", &Fields::sport},
    {"service", &Fields::service},
    {"service_id", &Fields::serviceId},
    {"rule", &Fields::rule},
    {"rule_name", &Fields::ruleName},
    {"rule_uid", &Fields::ruleUid},
    {"match_id", &Fields::matchId},
    {"product", &Fields::product},
    {"ICMP Type", &Fields::icmpType},
    {"icmp_type", &Fields::icmpType},
    {"ICMP Code", &Fields::icmpCode},
    {"icmp_code", &Fields::icmpCode},
    {"xlatesrc", &Fields::xlatesrc},
    {"xlatedst", &Fields::xlatedst},
    {"inzone", &Fields::inzone},
    {"outzone", &Fields::outzone},
    {"layer_name", &Fields::layerName},
};

void setField(Fields& f, std::string_view key, std::string_view value, bool unterminated = false) noexcept
{
    for (const KeySlot& k : kKeys) {
        if (k.key.size() == key.size() && std::memcmp(k.key.data(), key.data(), key.size()) == 0) {
            std::string_view& slot = f.*(k.slot);
            if (unterminated) f.truncated = true;
            if (slot.data() == nullptr) slot = value;
            return;
        }
    }
}

inline bool isBlank(char c) noexcept
{
    return c == ' ' || c == '\t';
}

inline bool isAlpha(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool isKeyChar(char c) noexcept
{
    return isAlpha(c) || text::isDigit(c) || c == '_' || c == '-' || c == '.' || c == '/';
}

// --- Log Exporter: [key:"value"; key:"value"; ...] -----------------------------------------------------

// The '[' that opens Log Exporter's fields: followed by key, one or more ':', then '"'.
std::size_t findExporterFields(std::string_view line) noexcept
{
    std::size_t p = 0;
    while ((p = line.find('[', p)) != npos) {
        std::size_t i = p + 1;
        while (i < line.size() && isKeyChar(line[i]))
            ++i;
        if (i > p + 1 && i < line.size() && line[i] == ':') {
            while (i < line.size() && line[i] == ':')
                ++i;
            if (i < line.size() && line[i] == '"') return p;
        }
        ++p;
    }
    return npos;
}

void scanExporter(std::string_view s, Fields& f) noexcept
{
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        while (i < n && (isBlank(s[i]) || s[i] == ';'))
            ++i;
        if (i >= n || s[i] == ']') return;
        const std::size_t kb = i;
        while (i < n && isKeyChar(s[i]))
            ++i;
        const std::string_view key = s.substr(kb, i - kb);
        if (key.empty() || i >= n || s[i] != ':') return; // "...", the truncation mark of the Wazuh samples
        while (i < n && s[i] == ':')
            ++i;
        if (i >= n || s[i] != '"') return;
        const std::size_t vb = ++i;
        while (i < n && s[i] != '"')
            i += s[i] == '\\' ? 2 : 1; // \" and \] inside values
        if (i >= n) {
            setField(f, key, s.substr(vb), true);
            return;
        }
        setField(f, key, s.substr(vb, i - vb));
        ++i;
    }
}

// --- key=value|key=value ------------------------------------------------------------------------------

void scanPipes(std::string_view s, Fields& f) noexcept
{
    while (!s.empty()) {
        std::size_t end = 0;
        while (end < s.size() && s[end] != '|')
            end += s[end] == '\\' ? 2 : 1; // \| inside values
        if (end > s.size()) end = s.size();
        std::string_view item = s.substr(0, end);
        s.remove_prefix(end < s.size() ? end + 1 : s.size());
        const std::size_t eq = item.find('=');
        if (eq == npos) continue;
        std::string_view key = text::trim(item.substr(0, eq)), value = item.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        // The syslog header before the first key, if any, is part of the first item: keep its last word.
        if (const std::size_t sp = key.rfind(' '); sp != npos) key = key.substr(sp + 1);
        setField(f, key, value);
    }
}

// --- The classic FW-1 line ---------------------------------------------------------------------------

// "3Sep2007" or "21Aug2007" (day, month name, year) at the start of s.
bool parseFwDate(std::string_view s, core::CivilTime& c) noexcept
{
    std::size_t i = 0;
    unsigned day = 0;
    while (i < s.size() && i < 2 && text::isDigit(s[i]))
        day = day * 10 + unsigned(s[i++] - '0');
    if (i == 0 || s.size() != i + 7) return false;
    c.month = core::monthFromAbbrev(s.substr(i, 3));
    unsigned year = 0;
    if (c.month == 0 || !core::parseDigits(s.substr(i + 3, 4), year)) return false;
    c.day = day;
    c.year = int(year);
    return true;
}

bool isFwActionWord(std::string_view w) noexcept
{
    if (w.empty() || w.size() > 16) return false;
    for (char c : w) {
        if (!isAlpha(c) && c != '-' && c != '_') return false;
    }
    return true;
}

// Finds "[date time] action origin >iface" and the fields after it. False when the line is not of this form.
bool scanClassic(std::string_view line, Fields& f) noexcept
{
    // The direction mark: a word starting with '>' or '<' right after the origin, fields following it.
    std::size_t p = 0;
    while ((p = line.find_first_of("<>", p)) != npos) {
        if (p > 0 && isBlank(line[p - 1]) && p + 1 < line.size() && !isBlank(line[p + 1])) break;
        ++p;
    }
    if (p == npos) return false;
    std::size_t ifEnd = p + 1;
    while (ifEnd < line.size() && !isBlank(line[ifEnd]))
        ++ifEnd;
    // Two words before it: action and origin (the action column is padded: "drop   192.168.99.1").
    std::string_view before = text::trim(line.substr(0, p));
    const std::size_t o = before.find_last_of(" \t");
    if (o == npos) return false;
    const std::string_view origin = before.substr(o + 1);
    before = text::trim(before.substr(0, o));
    const std::size_t a = before.find_last_of(" \t");
    const std::string_view action = a == npos ? before : before.substr(a + 1);
    if (!isFwActionWord(action) || origin.empty()) return false;
    const std::string_view rest = line.substr(ifEnd);
    if (rest.find(": ") == npos || rest.find(';') == npos) return false;

    f.action = action;
    f.origin = origin;
    f.ifdir = line.substr(p, 1);
    f.ifname = line.substr(p + 1, ifEnd - p - 1);
    // "21Aug2007 12:00:00" before the action, when the line has it (else the syslog header has the time).
    if (a != npos) {
        std::string_view head = text::trim(before.substr(0, a));
        const std::size_t t = head.find_last_of(" \t");
        const std::string_view clock = t == npos ? head : head.substr(t + 1);
        head = t == npos ? std::string_view() : text::trim(head.substr(0, t));
        const std::size_t d = head.find_last_of(" \t");
        const std::string_view date = d == npos ? head : head.substr(d + 1);
        core::CivilTime c;
        if (parseFwDate(date, c)) {
            f.date = date;
            f.time = clock;
        }
    }
    std::string_view s = rest;
    while (!s.empty()) {
        const std::string_view item = text::trim(text::nextToken(s, ';'));
        const std::size_t colon = item.find(": ");
        if (colon == npos) continue;
        setField(f, text::trim(item.substr(0, colon)), text::trim(item.substr(colon + 2)));
    }
    return true;
}

bool hasPorts(int proto) noexcept
{
    using namespace core::proto;
    return proto == kTcp || proto == kUdp || proto == kSctp || proto == kUdpLite;
}

enum class Verdict { Block, Allow, Other };

Verdict verdictOf(std::string_view a) noexcept
{
    for (std::string_view w : {"drop", "reject", "block", "prevent", "deny"}) {
        if (text::iequals(a, w)) return Verdict::Block;
    }
    for (std::string_view w : {"accept", "allow", "encrypt", "decrypt"}) {
        if (text::iequals(a, w)) return Verdict::Allow;
    }
    return Verdict::Other;
}

enum class Form { Classic, Exporter, Pipes };

class CheckPointLineParser final : public core::LineParser {
public:
    explicit CheckPointLineParser(const core::ParseContext& ctx)
        : m_times(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        line = text::trim(line);
        Fields f;
        Form form = Form::Classic;
        std::string_view header;
        if (const std::size_t b = findExporterFields(line); b != npos) {
            form = Form::Exporter;
            header = line.substr(0, b);
            scanExporter(line.substr(b + 1), f);
            // key:"value" pairs are Check Point's only with its program name or its own fields.
            if (header.find("CheckPoint") == npos && header.find("Checkpoint") == npos && f.origin.empty()
                && f.product.empty())
                return ParseStatus::NotMine;
        } else if (line.find('|') != npos && line.find("action=") != npos) {
            form = Form::Pipes;
            scanPipes(line, f);
            if (f.origin.empty() && f.product.empty()) return ParseStatus::NotMine;
        } else if (!scanClassic(line, f) || (f.src.empty() && f.dst.empty() && f.rule.empty())) {
            return ParseStatus::NotMine;
        } else {
            header = line;
        }

        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        const Verdict verdict = verdictOf(f.action);
        if (verdict == Verdict::Other) return ParseStatus::Ignored;
        if (f.ifname == "daemon") return ParseStatus::Ignored; // the VPN daemon's IKE records
        if (f.truncated) return malformed("truncated record (unterminated value)");
        out.action = verdict == Verdict::Block ? Action::Block : Action::Allow;

        if (f.src.empty()) return malformed("no source address");
        if (f.dst.empty()) return malformed("no destination address");
        const auto src = core::IpAddress::parse(f.src);
        if (!src) return malformed("bad source address");
        const auto dst = core::IpAddress::parse(f.dst);
        if (!dst) return malformed("bad destination address");
        if (src->family() != dst->family()) return malformed("source and destination of different families");
        out.src = *src;
        out.dst = *dst;
        if (f.proto.empty()) return malformed("no proto");
        out.proto = core::protoFromName(f.proto);
        if (out.proto == core::proto::kUnknown) return malformed("bad proto");
        bool serviceIsPort = false;
        if (hasPorts(out.proto)) {
            if (!f.sport.empty() && !text::parsePort(f.sport, out.srcPort))
                return malformed("bad source port");
            // service is the destination port; resolved logs may name it ("http"), kept in the details.
            serviceIsPort = !f.service.empty() && text::parsePort(f.service, out.dstPort);
        } else if (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6) {
            unsigned v = 0;
            if (!f.icmpType.empty()) {
                if (!text::parseUint(f.icmpType, v, 255)) return malformed("bad ICMP type");
                out.icmpType = int(v);
            }
            if (!f.icmpCode.empty()) {
                if (!text::parseUint(f.icmpCode, v, 255)) return malformed("bad ICMP code");
                out.icmpCode = int(v);
            }
        }

        if (f.ifdir == ">" || text::iequals(f.ifdir, "inbound"))
            out.direction = Direction::In;
        else if (f.ifdir == "<" || text::iequals(f.ifdir, "outbound"))
            out.direction = Direction::Out;
        if (f.ifname.size() > 64) return malformed("interface name too long");
        vendor::assignText(out.iface, f.ifname);
        const std::string_view rule = !f.ruleName.empty() ? f.ruleName : !f.rule.empty() ? f.rule : f.matchId;
        if (rule.size() > 1024) return malformed("rule name too long");
        vendor::assignText(out.rule, rule);

        if (const std::string_view why = setTime(f, form, header, out); !why.empty()) return malformed(why);

        vendor::JsonObject x(out.extra);
        x.add("action", f.action);
        x.add("origin", f.origin);
        x.add("product", f.product);
        x.add("rule", f.rule);
        x.add("rule_name", f.ruleName);
        x.add("rule_uid", f.ruleUid);
        x.add("match_id", f.matchId);
        x.add("layer_name", f.layerName);
        x.add("service_id", f.serviceId);
        if (!serviceIsPort) x.add("service", f.service);
        x.add("inzone", f.inzone);
        x.add("outzone", f.outzone);
        x.add("xlatesrc", f.xlatesrc);
        x.add("xlatedst", f.xlatedst);
        x.close();
        return ParseStatus::Event;
    }

private:
    std::string_view setTime(const Fields& f, Form form, std::string_view header, Event& out)
    {
        core::CivilTime c;
        // Log Exporter's time:"1557937550"; the LEA export's time=3Sep2007 15:10:28.
        if (!f.time.empty() && text::isDigit(f.time.back()) && f.time.find(':') == npos) {
            if (!vendor::parseEpoch(f.time, out.time)) return "bad time";
            return {};
        }
        std::string_view date = f.date, clock = f.time;
        if (form == Form::Pipes && !f.time.empty()) {
            const std::string_view t = text::trim(f.time);
            const std::size_t sp = t.find(' ');
            if (sp == npos) return "bad time";
            date = t.substr(0, sp);
            clock = text::trim(t.substr(sp + 1));
        }
        if (!date.empty()) {
            if (!parseFwDate(date, c)) return "bad date";
            if (vendor::parseClock(clock, 0, c) != clock.size()) return "bad time";
            if (!m_times.resolveLocal(c, out)) return "impossible date or time";
            return {};
        }
        // No time of its own: the syslog header's.
        vendor::Stamp st;
        if (form == Form::Pipes || vendor::parseStamp(vendor::skipPri(header), st) == 0) return "no time";
        if (!m_times.resolve(st, out)) return "impossible date or time";
        return {};
    }

    vendor::StampResolver m_times;
};

class CheckPointParser final : public core::Parser {
public:
    std::string_view id() const override { return "checkpoint"; }
    std::string_view description() const override
    {
        return "Check Point FireWall-1 logs: classic fw log lines (accept/drop origin >iface key: value;), "
               "Log "
               "Exporter syslog ([key:\"value\"; ...]) and LEA key=value|key=value exports";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        CheckPointLineParser p {core::ParseContext {}};
        Event ev;
        std::string reason;
        std::size_t events = 0, records = 0;
        for (std::string_view line : head) {
            switch (p.parse(line, ev, reason)) {
            case ParseStatus::Event:
                ++events;
                [[fallthrough]];
            case ParseStatus::Ignored:
            case ParseStatus::Malformed:
                ++records;
                break;
            case ParseStatus::NotMine:
                break;
            }
        }
        if (records == 0) return {0, "no line looks like a Check Point record"};
        const std::string counts = std::to_string(records) + " of " + std::to_string(head.size())
            + " lines are Check Point records (" + std::to_string(events) + " connections)";
        if (records == 1 && head.size() > 1) return {50, counts};
        return {int(60 + 35 * records / head.size()), counts};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<CheckPointLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeCheckPointParser()
{
    return std::make_unique<CheckPointParser>();
}

} // namespace tattle::parsers
