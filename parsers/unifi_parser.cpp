// SPDX-License-Identifier: GPL-3.0-or-later
// Ubiquiti UniFi Network's CEF syslog (UniFi Network 9 and later, "Activity Logging" to a SIEM server):
//   Oct 26 20:01:31 Express-7 CEF:0|Ubiquiti|UniFi Network|10.0.140|201|Threat Detected and Blocked|7|
//   proto=TCP src=198.51.100.10 spt=46621 dpt=80 act=blocked ... UNIFIutcTime=2025-10-26T19:01:31.807Z
//   msg=...
// The header is ArcSight's Common Event Format (version|vendor|product|version|class id|name|severity|
// extension, '|' escaped as "\|"); the extension is key=value pairs whose values run to the next " key=" ('='
// inside values is escaped as "\="). UniFi adds its own UNIFI* keys. UniFi's iptables lines (USG, UDM,
// "[WAN_LOCAL-D-...] DESCR=...") are netfilter's; this parser reads the CEF form only.
//
// A record is a connection when it names one (proto, a port or dst besides src): IPS threats ("Threat
// Detected and Blocked" is blocked, "Threat Detected" only alerted) and firewall policy hits; its verdict is
// act= when present, else the words of the event name. Admin logins, WiFi client and device records are
// recognised and passed over, as are UniFi OS's records (whose header lacks a field). UniFi sometimes names
// the internal destination only by client alias and MAC: the event then has no destination address.
#include "parsers/builtin_parsers.h"
#include "parsers/text.h"
#include "parsers/vendor_text.h"

#include <array>
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
    std::string_view src, dst, spt, dpt, proto, act, app, inIface, outIface, direction, policy, policyType;
    std::string_view category, subCategory, signature, signatureId, risk, srcZone, dstZone, dstAlias, host;
    std::string_view deviceName, utcTime, rt;
};

struct KeySlot {
    std::string_view key;
    std::string_view Fields::*slot;
};

constexpr KeySlot kKeys[] = {
    {"src", &Fields::src},
    {"dst", &Fields::dst},
    {"spt", &Fields::spt},
    {"dpt", &Fields::dpt},
    {"proto", &Fields::proto},
    {"act", &Fields::act},
    {"app", &Fields::app},
    {"deviceInboundInterface", &Fields::inIface},
    {"deviceOutboundInterface", &Fields::outIface},
    {"UNIFIdirection", &Fields::direction},
    {"UNIFIpolicyName", &Fields::policy},
    {"UNIFIpolicyType", &Fields::policyType},
    {"UNIFIcategory", &Fields::category},
    {"UNIFIsubCategory", &Fields::subCategory},
    {"UNIFIipsSignature", &Fields::signature},
    {"UNIFIipsSignatureId", &Fields::signatureId},
    {"UNIFIrisk", &Fields::risk},
    {"UNIFIsrcZone", &Fields::srcZone},
    {"UNIFIdstZone", &Fields::dstZone},
    {"UNIFIdstClientAlias", &Fields::dstAlias},
    {"UNIFIhost", &Fields::host},
    {"UNIFIdeviceName", &Fields::deviceName},
    {"UNIFIutcTime", &Fields::utcTime},
    {"rt", &Fields::rt},
};

inline bool isKeyChar(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || text::isDigit(c) || c == '_';
}

void setField(Fields& f, std::string_view key, std::string_view value) noexcept
{
    for (const KeySlot& k : kKeys) {
        if (k.key.size() == key.size() && std::memcmp(k.key.data(), key.data(), key.size()) == 0) {
            std::string_view& slot = f.*(k.slot);
            if (slot.data() == nullptr) slot = value;
            return;
        }
    }
}

// The next unescaped '=' at or after from that ends a key (a run of key characters after a blank or the
// start); npos when there is none. keyStart is set to where that key begins.
std::size_t nextKeyEquals(std::string_view s, std::size_t from, std::size_t& keyStart) noexcept
{
    std::size_t p = from;
    while ((p = s.find('=', p)) != npos) {
        if (p > 0 && s[p - 1] != '\\') {
            std::size_t k = p;
            while (k > 0 && isKeyChar(s[k - 1]))
                --k;
            if (k < p && (k == 0 || s[k - 1] == ' ')) {
                keyStart = k;
                return p;
            }
        }
        ++p;
    }
    return npos;
}

void scanExtension(std::string_view s, Fields& f) noexcept
{
    std::size_t keyStart = 0;
    std::size_t eq = nextKeyEquals(s, 0, keyStart);
    while (eq != npos) {
        const std::string_view key = s.substr(keyStart, eq - keyStart);
        std::size_t nextStart = 0;
        const std::size_t next = nextKeyEquals(s, eq + 1, nextStart);
        std::size_t valueEnd = next == npos ? s.size() : nextStart;
        while (valueEnd > eq + 1 && s[valueEnd - 1] == ' ')
            --valueEnd;
        setField(f, key, s.substr(eq + 1, valueEnd - eq - 1));
        eq = next;
        keyStart = nextStart;
    }
}

// Splits the CEF header on unescaped '|': up to 7 fields and the extension. Returns how many were found.
std::size_t splitHeader(std::string_view s, std::array<std::string_view, 8>& parts) noexcept
{
    std::size_t n = 0, start = 0;
    for (std::size_t i = 0; i < s.size() && n < 7; ++i) {
        if (s[i] == '\\') {
            ++i;
            continue;
        }
        if (s[i] == '|') {
            parts[n++] = s.substr(start, i - start);
            start = i + 1;
        }
    }
    parts[n++] = s.substr(start);
    return n;
}

// Where the CEF record starts ("CEF:0|", "CEF: 0|"), or a record whose "CEF:" a relay cut off
// ("0|Ubiquiti|").
std::size_t findCef(std::string_view line, std::size_t& headerEnd) noexcept
{
    const std::size_t c = line.find("CEF:");
    if (c != npos) {
        headerEnd = c;
        std::size_t v = c + 4;
        while (v < line.size() && line[v] == ' ')
            ++v;
        return v;
    }
    if (line.size() > 2 && text::isDigit(line[0]) && line[1] == '|'
        && vendor::startsWithNoCase(line.substr(2), "Ubiquiti|")) {
        headerEnd = 0;
        return 0;
    }
    return npos;
}

bool hasPorts(int proto) noexcept
{
    using namespace core::proto;
    return proto == kTcp || proto == kUdp || proto == kSctp || proto == kUdpLite;
}

bool containsWord(std::string_view s, std::string_view w) noexcept
{
    for (std::size_t i = 0; i + w.size() <= s.size(); ++i) {
        if (text::iequals(s.substr(i, w.size()), w)) return true;
    }
    return false;
}

Action verdictOf(std::string_view act, std::string_view name) noexcept
{
    if (!act.empty()) {
        for (std::string_view w : {"block", "drop", "deny", "reject"}) {
            if (containsWord(act, w)) return Action::Block;
        }
        return Action::Allow;
    }
    for (std::string_view w : {"block", "drop", "denied", "reject"}) {
        if (containsWord(name, w)) return Action::Block;
    }
    return Action::Allow;
}

class UnifiLineParser final : public core::LineParser {
public:
    explicit UnifiLineParser(const core::ParseContext& ctx)
        : m_times(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        line = text::trim(line);
        std::size_t headerEnd = 0;
        const std::size_t start = findCef(line, headerEnd);
        if (start == npos) return ParseStatus::NotMine;
        std::array<std::string_view, 8> h {};
        const std::size_t n = splitHeader(line.substr(start), h);
        if (n < 3 || !text::iequals(h[1], "Ubiquiti")) return ParseStatus::NotMine;

        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        if (!vendor::startsWithNoCase(h[2], "UniFi Network"))
            return ParseStatus::Ignored; // UniFi OS, Protect
        if (n < 8) return malformed("truncated CEF header");
        Fields f;
        scanExtension(h[7], f);
        if (f.proto.empty() && f.dpt.empty() && f.spt.empty() && f.dst.empty()) return ParseStatus::Ignored;

        const std::string_view name = h[5];
        out.action = verdictOf(f.act, name);
        if (f.src.empty()) return malformed("no source address");
        const auto src = core::IpAddress::parse(f.src);
        if (!src) return malformed("bad source address");
        out.src = *src;
        if (!f.dst.empty()) {
            const auto dst = core::IpAddress::parse(f.dst);
            if (!dst) return malformed("bad destination address");
            if (src->family() != dst->family())
                return malformed("source and destination of different families");
            out.dst = *dst;
        }
        if (!f.proto.empty()) {
            out.proto = core::protoFromName(f.proto);
            if (out.proto == core::proto::kUnknown) return malformed("bad proto");
        }
        if (out.proto == core::proto::kUnknown || hasPorts(out.proto)) {
            if (!f.spt.empty() && !text::parsePort(f.spt, out.srcPort)) return malformed("bad source port");
            if (!f.dpt.empty() && !text::parsePort(f.dpt, out.dstPort))
                return malformed("bad destination port");
        }
        if (text::iequals(f.direction, "incoming") || text::iequals(f.direction, "inbound"))
            out.direction = Direction::In;
        else if (text::iequals(f.direction, "outgoing") || text::iequals(f.direction, "outbound"))
            out.direction = Direction::Out;
        if (f.inIface.size() > 64) return malformed("interface name too long");
        vendor::assignText(out.iface, f.inIface);
        const std::string_view rule = !f.policy.empty() ? f.policy : f.signatureId;
        if (rule.size() > 1024) return malformed("policy name too long");
        vendor::assignText(out.rule, rule);

        if (const std::string_view why = setTime(f, line.substr(0, headerEnd), out); !why.empty())
            return malformed(why);

        vendor::JsonObject x(out.extra);
        x.add("name", name);
        x.addNumber("class_id", h[4]);
        x.addNumber("severity", h[6]);
        x.add("act", f.act);
        x.add("category", f.category);
        x.add("subcategory", f.subCategory);
        x.add("policy", f.policy);
        x.add("policy_type", f.policyType);
        x.add("signature", f.signature);
        x.addNumber("signature_id", f.signatureId);
        x.add("risk", f.risk);
        x.add("app", f.app);
        x.add("src_zone", f.srcZone);
        x.add("dst_zone", f.dstZone);
        x.add("dst_client", f.dstAlias);
        x.add("out_iface", f.outIface);
        x.add("device", !f.deviceName.empty() ? f.deviceName : f.host);
        x.close();
        return ParseStatus::Event;
    }

private:
    // UNIFIutcTime= (UTC), else CEF's rt= (epoch milliseconds), else the syslog header.
    std::string_view setTime(const Fields& f, std::string_view header, Event& out)
    {
        if (!f.utcTime.empty()) {
            const auto t = core::parseRfc3339(f.utcTime);
            if (!t) return "bad UNIFIutcTime";
            out.time = *t;
            return {};
        }
        if (!f.rt.empty()) {
            if (vendor::parseEpoch(f.rt, out.time)) return {};
            vendor::Stamp st; // "Oct 26 2025 20:01:31", CEF's other form
            if (vendor::parseStamp(f.rt, st) != f.rt.size()) return "bad rt";
            if (!m_times.resolve(st, out)) return "impossible date or time";
            return {};
        }
        vendor::Stamp st;
        if (vendor::parseStamp(vendor::skipPri(header), st) == 0) return "no time";
        if (!m_times.resolve(st, out)) return "impossible date or time";
        return {};
    }

    vendor::StampResolver m_times;
};

class UnifiParser final : public core::Parser {
public:
    std::string_view id() const override { return "unifi"; }
    std::string_view description() const override
    {
        return "Ubiquiti UniFi Network CEF syslog (CEF:0|Ubiquiti|UniFi Network|...): IPS threats and "
               "firewall "
               "policy hits; UniFi's iptables lines are read by netfilter";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        UnifiLineParser p {core::ParseContext {}};
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
        if (records == 0) return {0, "no CEF:0|Ubiquiti| record"};
        const std::string counts = std::to_string(records) + " of " + std::to_string(head.size())
            + " lines are UniFi CEF records (" + std::to_string(events) + " connections)";
        if (records == 1 && head.size() > 1) return {50, counts};
        return {int(60 + 35 * records / head.size()), counts};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<UnifiLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeUnifiParser()
{
    return std::make_unique<UnifiParser>();
}

} // namespace tattle::parsers
