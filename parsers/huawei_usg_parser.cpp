// SPDX-License-Identifier: GPL-3.0-or-later
// Huawei USG / HiSecEngine firewall logs (VRP information center, sent to a log host):
//   2018-10-05 10:52:13 USG6300 %%01SECLOG/6/SESSION_TEARDOWN(l):IPVer=4,Protocol=tcp,SourceIP=192.0.2.1,...
//   Oct  5 2018 10:52:19 USG6300 %%01POLICY/6/POLICYPERMIT(l):vsys=public, protocol=17, source-ip=...,
//   rule-name=Internet Access.
//   2018/10/05 09:52:14 USG6300 %%01URL/4/FILTER(l): The URL filtering policy was matched. (SyslogId=...,
//   SrcIp=..., DstIp=..., Action=Alert)
// The VRP header is "%%<version><MODULE>/<severity>/<BRIEF>(<l|s>)[[serial]]:" after a timestamp (in any of
// "yyyy-mm-dd hh:mm:ss", "yyyy/mm/dd hh:mm:ss", "Mmm dd yyyy hh:mm:ss[+hh:mm]") and the host name; the
// description then carries its parameters as key=value pairs, comma separated, in brackets after a sentence
// or on their own. The parameter names differ between modules (source-ip, SourceIP, SrcIp), so all three
// spellings are read.
//
// Events: security policy matches (POLICY/POLICYPERMIT allowed, POLICYDENY blocked), session logs
// (SECLOG/SESSION_TEARDOWN and the other SECLOG session records: allowed, blocked when the brief or the close
// reason says deny or drop; their BeginTime is the instant) and intrusion records (IPS/DETECT, the IPSTRAP
// threat trap rendered as a log: blocked when their Action blocked). URL filtering, antivirus and the
// device's own records (logins, SSH, SNMP, interfaces) are recognised and passed over.
#include "parsers/builtin_parsers.h"
#include "parsers/text.h"
#include "parsers/vendor_text.h"

#include <string>

namespace tattle::parsers {

namespace {

using core::Action;
using core::Event;
using core::ParseStatus;
using vendor::npos;

inline bool isUpperOrDigit(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || text::isDigit(c) || c == '_' || c == '-';
}

struct Header {
    std::size_t markerAt = npos; ///< where "%%" (or the IPSTRAP module) starts
    std::string_view module, severity, brief, description;
};

// "MODULE/n/BRIEF" at pos, then "(l)", "[123]" and ':'.
bool parseTag(std::string_view s, std::size_t pos, Header& h) noexcept
{
    std::size_t i = pos;
    while (i < s.size() && isUpperOrDigit(s[i]))
        ++i;
    if (i == pos || i - pos > 32 || i + 2 >= s.size() || s[i] != '/' || !text::isDigit(s[i + 1])
        || s[i + 2] != '/')
        return false;
    h.module = s.substr(pos, i - pos);
    h.severity = s.substr(i + 1, 1);
    const std::size_t b = i + 3;
    i = b;
    while (i < s.size() && isUpperOrDigit(s[i]))
        ++i;
    if (i == b || i - b > 64) return false;
    h.brief = s.substr(b, i - b);
    if (i < s.size() && s[i] == '(') {
        const std::size_t close = s.find(')', i);
        if (close == npos || close - i > 3) return false;
        i = close + 1;
    }
    if (i < s.size() && s[i] == '[') {
        const std::size_t close = s.find(']', i);
        if (close == npos || close - i > 12) return false;
        i = close + 1;
    }
    if (i >= s.size() || s[i] != ':') return false;
    h.description = text::trim(s.substr(i + 1));
    return true;
}

bool findHeader(std::string_view line, Header& h) noexcept
{
    std::size_t p = 0;
    while ((p = line.find("%%", p)) != npos && p < 512) {
        if (p + 3 < line.size() && text::isDigit(line[p + 2]) && text::isDigit(line[p + 3])
            && parseTag(line, p + 4, h)) {
            h.markerAt = p;
            return true;
        }
        p += 2;
    }
    // Threat traps rendered as logs carry no "%%01": "... IPSTRAP/4/THREATTRAP:OID ... (SrcIp=...)".
    p = line.find(" IPSTRAP/");
    if (p != npos && p < 512 && parseTag(line, p + 1, h)) {
        h.markerAt = p + 1;
        return true;
    }
    return false;
}

struct Fields {
    std::string_view src, dst, sport, dport, proto, rule, srcZone, dstZone, vsys, action, signName, signId;
    std::string_view beginTime, natIp, natPort, closeReason, application, severity;
};

bool keyIs(std::string_view key, std::initializer_list<std::string_view> names) noexcept
{
    for (std::string_view n : names) {
        if (text::iequals(key, n)) return true;
    }
    return false;
}

void setOnce(std::string_view& slot, std::string_view value) noexcept
{
    if (slot.data() == nullptr) slot = value;
}

void assignField(Fields& f, std::string_view key, std::string_view value) noexcept
{
    if (keyIs(key, {"source-ip", "SourceIP", "SrcIp"}))
        setOnce(f.src, value);
    else if (keyIs(key, {"destination-ip", "DestinationIP", "DstIp"}))
        setOnce(f.dst, value);
    else if (keyIs(key, {"source-port", "SourcePort", "SrcPort"}))
        setOnce(f.sport, value);
    else if (keyIs(key, {"destination-port", "DestinationPort", "DstPort"}))
        setOnce(f.dport, value);
    else if (keyIs(key, {"protocol"}))
        setOnce(f.proto, value);
    else if (keyIs(key, {"rule-name", "PolicyName", "Policy"}))
        setOnce(f.rule, value);
    else if (keyIs(key, {"source-zone", "SourceZone", "SrcZone"}))
        setOnce(f.srcZone, value);
    else if (keyIs(key, {"destination-zone", "DestinationZone", "DstZone"}))
        setOnce(f.dstZone, value);
    else if (keyIs(key, {"vsys"}))
        setOnce(f.vsys, value);
    else if (keyIs(key, {"Action"}))
        setOnce(f.action, value);
    else if (keyIs(key, {"SignName", "ThreatName"}))
        setOnce(f.signName, value);
    else if (keyIs(key, {"SignId", "ThreatId"}))
        setOnce(f.signId, value);
    else if (keyIs(key, {"BeginTime"}))
        setOnce(f.beginTime, value);
    else if (keyIs(key, {"SourceNatIP"}))
        setOnce(f.natIp, value);
    else if (keyIs(key, {"SourceNatPort"}))
        setOnce(f.natPort, value);
    else if (keyIs(key, {"CloseReason"}))
        setOnce(f.closeReason, value);
    else if (keyIs(key, {"Application", "application"}))
        setOnce(f.application, value);
    else if (keyIs(key, {"Severity"}))
        setOnce(f.severity, value);
}

// The parameters: "(k=v, k="v", ...)" after a sentence, or the whole description; the final full stop is
// the sentence's, not the last value's.
void scanParameters(std::string_view d, Fields& f) noexcept
{
    if (!d.empty() && d.back() == '.') d.remove_suffix(1);
    if (!d.empty() && d.back() == ')') {
        const std::size_t open = d.rfind('(');
        if (open != npos) d = d.substr(open + 1, d.size() - open - 2);
    }
    while (!d.empty()) {
        // A comma inside quotes does not end the value.
        std::size_t end = 0;
        bool quoted = false;
        while (end < d.size() && (quoted || d[end] != ',')) {
            if (d[end] == '"') quoted = !quoted;
            ++end;
        }
        const std::string_view item = text::trim(d.substr(0, end));
        d.remove_prefix(end < d.size() ? end + 1 : d.size());
        const std::size_t eq = item.find('=');
        if (eq == npos) continue;
        std::string_view value = text::trim(item.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        assignField(f, text::trim(item.substr(0, eq)), value);
    }
}

bool containsNoCase(std::string_view s, std::string_view w) noexcept
{
    for (std::size_t i = 0; i + w.size() <= s.size(); ++i) {
        if (text::iequals(s.substr(i, w.size()), w)) return true;
    }
    return false;
}

bool hasPorts(int proto) noexcept
{
    using namespace core::proto;
    return proto == kTcp || proto == kUdp || proto == kSctp || proto == kUdpLite;
}

enum class Kind : std::uint8_t { Policy, Session, Intrusion, Other };

Kind kindOf(const Header& h) noexcept
{
    if (h.module == "POLICY" && (h.brief.find("PERMIT") != npos || h.brief.find("DENY") != npos))
        return Kind::Policy;
    if (h.module == "SECLOG" && (h.brief.starts_with("SESSION") || h.brief.starts_with("PACKET")))
        return Kind::Session;
    if ((h.module == "IPS" && h.brief.starts_with("DETECT"))
        || (h.module == "IPSTRAP" && h.brief == "THREATTRAP"))
        return Kind::Intrusion;
    return Kind::Other;
}

class HuaweiUsgLineParser final : public core::LineParser {
public:
    explicit HuaweiUsgLineParser(const core::ParseContext& ctx)
        : m_times(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        line = text::trim(line);
        Header h;
        if (!findHeader(line, h)) return ParseStatus::NotMine;
        const Kind kind = kindOf(h);
        if (kind == Kind::Other) return ParseStatus::Ignored;
        Fields f;
        scanParameters(h.description, f);

        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        switch (kind) {
        case Kind::Policy:
            out.action = h.brief.find("DENY") != npos ? Action::Block : Action::Allow;
            break;
        case Kind::Session:
            out.action = containsNoCase(h.brief, "DENY") || containsNoCase(h.brief, "DROP")
                    || containsNoCase(f.closeReason, "deny") || containsNoCase(f.closeReason, "drop")
                ? Action::Block
                : Action::Allow;
            break;
        case Kind::Intrusion:
            out.action
                = keyIs(f.action, {"Block", "Drop", "Deny", "Discard", "Reset", "Reset-both", "Blocked"})
                ? Action::Block
                : Action::Allow;
            break;
        case Kind::Other:
            break;
        }

        if (f.src.empty()) return malformed("no source address");
        if (f.dst.empty()) return malformed("no destination address");
        const auto src = core::IpAddress::parse(f.src);
        if (!src) return malformed("bad source address");
        const auto dst = core::IpAddress::parse(f.dst);
        if (!dst) return malformed("bad destination address");
        if (src->family() != dst->family()) return malformed("source and destination of different families");
        out.src = *src;
        out.dst = *dst;
        if (f.proto.empty()) return malformed("no protocol");
        out.proto = core::protoFromName(f.proto);
        if (out.proto == core::proto::kUnknown) return malformed("bad protocol");
        if (hasPorts(out.proto)) {
            if (!f.sport.empty() && !text::parsePort(f.sport, out.srcPort))
                return malformed("bad source port");
            if (!f.dport.empty() && !text::parsePort(f.dport, out.dstPort))
                return malformed("bad destination port");
        }
        if (f.rule.size() > 1024) return malformed("rule name too long");
        vendor::assignText(out.rule, f.rule);

        // Session logs carry their start as UTC seconds; the others the header's time.
        if (kind == Kind::Session && !f.beginTime.empty()) {
            if (f.beginTime.size() > 10 || !vendor::parseEpoch(f.beginTime, out.time))
                return malformed("bad BeginTime");
        } else {
            vendor::Stamp st;
            if (vendor::parseStamp(vendor::skipPri(line.substr(0, h.markerAt)), st) == 0)
                return malformed("no time");
            if (!m_times.resolve(st, out)) return malformed("impossible date or time");
        }

        vendor::JsonObject x(out.extra);
        x.add("module", h.module);
        x.add("brief", h.brief);
        x.add("vsys", f.vsys);
        x.add("src_zone", f.srcZone);
        x.add("dst_zone", f.dstZone);
        x.add("application", f.application);
        x.add("action", f.action);
        x.add("signature", f.signName);
        x.addNumber("signature_id", f.signId);
        x.add("severity", f.severity);
        x.add("nat_src", f.natIp);
        x.addNumber("nat_src_port", f.natPort);
        x.add("close_reason", f.closeReason);
        x.close();
        return ParseStatus::Event;
    }

private:
    vendor::StampResolver m_times;
};

class HuaweiUsgParser final : public core::Parser {
public:
    std::string_view id() const override { return "huawei-usg"; }
    std::string_view description() const override
    {
        return "Huawei USG / HiSecEngine firewall logs (%%01POLICY/POLICYPERMIT|POLICYDENY, SECLOG session "
               "logs, "
               "IPS intrusions); the device's other VRP records are recognised and skipped";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        HuaweiUsgLineParser p {core::ParseContext {}};
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
        if (records == 0) return {0, "no Huawei VRP record (%%01MODULE/n/BRIEF(l):...)"};
        const std::string counts = std::to_string(records) + " of " + std::to_string(head.size())
            + " lines are Huawei VRP records (" + std::to_string(events) + " firewall events)";
        if (records == 1 && head.size() > 1) return {50, counts};
        return {int(60 + 35 * records / head.size()), counts};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<HuaweiUsgLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeHuaweiUsgParser()
{
    return std::make_unique<HuaweiUsgParser>();
}

} // namespace tattle::parsers
