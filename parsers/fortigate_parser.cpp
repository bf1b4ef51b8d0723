// SPDX-License-Identifier: GPL-3.0-or-later
// FortiGate (FortiOS) logs: one record per line of key=value pairs, values quoted when they may hold
// blanks, often behind a syslog header or a relay's prefix:
//   date=2019-05-15 time=18:03:41 logid="0000000013" type="traffic" subtype="forward" ...
//   eventtime=1557968619 srcip=10.1.100.22 srcport=50798 srcintf="port10" dstip=195.8.215.136 dstport=443 ...
//   proto=6 action="deny"
// The FortiOS Log Message Reference (docs.fortinet.com, "LOG_ID_TRAFFIC_*") defines the fields: action is
// "deny" when a policy blocked the session; every other value (accept, start, close, timeout, client-rst,
// server-rst, dns, ip-conn) is a session the policy allowed, named by how it ended. FortiOS 3/4 wrote
// status= src= dst= src_port= dst_port= src_int= dst_int= log_id= device_id= instead. date= and time= are
// the device's local time; tz= ("-0700", FortiOS 6.2+) gives its offset, and eventtime= (seconds, or from
// FortiOS 6.2 on nanoseconds; some builds write micro- or milliseconds) or logtime= (5.6) the instant.
//
// Only traffic records and attack records that stopped a connection are events. IPS signature hits and
// anomaly (DoS policy) records name an attacker, so they are stored when their action blocked it (dropped,
// reset, blocked, clear_session, ...); a detection that let the traffic pass ("detected", "pass") is not a
// firewall decision and is passed over like the other UTM records (web filter, antivirus, application
// control: about what local users fetched) and the system and VPN event records.
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
    std::string_view date, time, timeTail, tz, eventtime, logtime;
    std::string_view devname, devid, logid, type, subtype, vd;
    std::string_view src, dst, srcPort, dstPort, proto, action, status;
    std::string_view srcIntf, dstIntf, srcRole, dstRole;
    std::string_view policyId, policyName, sessionId, service, app, attack, attackId, count;
    std::string_view icmpType, icmpCode, utmAction, transIp, transPort, severity;
    bool truncated = false; ///< a field read here ends in an unterminated quote
};

struct KeySlot {
    std::string_view key;
    std::string_view Fields::*slot;
};

// Both spellings lead to the same slot; the first occurrence of a field in a line wins.
constexpr KeySlot kKeys[] = {
    {"date", &Fields::date},
    {"time", &Fields::time},
    {"tz", &Fields::tz},
    {"eventtime", &Fields::eventtime},
    {"logtime", &Fields::logtime},
    {"devname", &Fields::devname},
    {"devid", &Fields::devid},
    {"device_id", &Fields::devid},
    {"logid", &Fields::logid},
    {"log_id", &Fields::logid},
    {"type", &Fields::type},
    {"subtype", &Fields::subtype},
    {"vd", &Fields::vd},
    {"srcip", &Fields::src},
    {"src", &Fields::src},
    {"dstip", &Fields::dst},
    {"dst", &Fields::dst},
    {"srcport", &Fields::srcPort},
    {"src_port", &Fields::srcPort},
    {"dstport", &Fields::dstPort},
    {"dst_port", &Fields::dstPort},
    {"proto", &Fields::proto},
    {"action", &Fields::action},
    {"status", &Fields::status},
    {"srcintf", &Fields::srcIntf},
    {"src_int", &Fields::srcIntf},
    {"dstintf", &Fields::dstIntf},
    {"dst_int", &Fields::dstIntf},
    {"srcintfrole", &Fields::srcRole},
    {"dstintfrole", &Fields::dstRole},
    {"policyid", &Fields::policyId},
    {"policyname", &Fields::policyName},
    {"sessionid", &Fields::sessionId},
    {"service", &Fields::service},
    {"app", &Fields::app},
    {"attack", &Fields::attack},
    {"attackid", &Fields::attackId},
    {"count", &Fields::count},
    {"icmptype", &Fields::icmpType},
    {"icmpcode", &Fields::icmpCode},
    {"utmaction", &Fields::utmAction},
    {"transip", &Fields::transIp},
    {"transport", &Fields::transPort},
    {"severity", &Fields::severity},
};

void scanFields(std::string_view line, Fields& f) noexcept
{
    vendor::KvToken tok;
    bool timeOpen = false; // "time=10: 13:03", as FortiOS 4 lines in the Wazuh tests write it
    while (vendor::nextKv(line, tok)) {
        if (tok.key.empty()) {
            if (timeOpen) f.timeTail = tok.value;
            timeOpen = false;
            continue;
        }
        timeOpen = false;
        for (const KeySlot& k : kKeys) {
            if (k.key.size() == tok.key.size()
                && std::memcmp(k.key.data(), tok.key.data(), k.key.size()) == 0) {
                std::string_view& slot = f.*(k.slot);
                if (tok.unterminated) f.truncated = true;
                if (slot.data() == nullptr) {
                    slot = tok.value;
                    if (k.slot == &Fields::time && !tok.quoted && tok.value.ends_with(':')) timeOpen = true;
                }
                break;
            }
        }
    }
}

bool isAnyOf(std::string_view w, std::initializer_list<std::string_view> words) noexcept
{
    for (std::string_view x : words) {
        if (w == x) return true;
    }
    return false;
}

// Traffic: only a policy deny blocks (the reference's "Deny = blocked by firewall policy"); the others
// name how an allowed session ended. The spellings after "deny" appear on other Fortinet products.
bool trafficBlocked(std::string_view a) noexcept
{
    return isAnyOf(a, {"deny", "denied", "drop", "dropped", "block", "blocked", "reject"});
}

// IPS and anomaly actions that stopped the attacker's traffic.
bool attackBlocked(std::string_view a) noexcept
{
    return isAnyOf(a,
        {"dropped", "drop", "blocked", "block", "reset", "reset_client", "reset_server", "reset-both",
            "drop_session", "clear_session", "deny"});
}

bool hasPorts(int proto) noexcept
{
    using namespace core::proto;
    return proto == kTcp || proto == kUdp || proto == kSctp || proto == kUdpLite;
}

std::string_view ifaceName(std::string_view s) noexcept
{
    return s == "N/A" ? std::string_view() : s;
}

enum class Kind : std::uint8_t { Traffic, Attack };

class FortiGateLineParser final : public core::LineParser {
public:
    explicit FortiGateLineParser(const core::ParseContext& ctx)
        : m_times(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        // Cheap gate before the scan: every FortiOS record has a log id and a type.
        if (line.find("type=") == npos || (line.find("logid=") == npos && line.find("log_id=") == npos))
            return ParseStatus::NotMine;
        Fields f;
        scanFields(vendor::skipPri(line), f);
        if (f.logid.empty() || f.type.empty()) return ParseStatus::NotMine;

        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        if (f.truncated) return malformed("truncated record (unterminated quote)");

        Kind kind = Kind::Traffic;
        std::string_view verdict;
        if (f.type == "traffic") {
            verdict = !f.action.empty() ? f.action : f.status;
            if (verdict.empty()) return malformed("traffic record without action");
        } else if ((f.type == "utm" && (f.subtype == "ips" || f.subtype == "anomaly")) || f.type == "ips"
            || f.type == "anomaly" || f.type == "attack") {
            if (!attackBlocked(f.action)) return ParseStatus::Ignored;
            kind = Kind::Attack;
            verdict = f.action;
        } else {
            return ParseStatus::Ignored;
        }
        out.action = kind == Kind::Attack || trafficBlocked(verdict) ? Action::Block : Action::Allow;

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
        if (hasPorts(out.proto)) {
            if (!f.srcPort.empty() && !text::parsePort(f.srcPort, out.srcPort))
                return malformed("bad source port");
            if (!f.dstPort.empty() && !text::parsePort(f.dstPort, out.dstPort))
                return malformed("bad destination port");
        } else if (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6) {
            unsigned v = 0;
            if (!f.icmpType.empty()) {
                if (!vendor::parseHexOrDecimal(f.icmpType, v, 255)) return malformed("bad ICMP type");
                out.icmpType = int(v);
            }
            if (!f.icmpCode.empty()) {
                if (!vendor::parseHexOrDecimal(f.icmpCode, v, 255)) return malformed("bad ICMP code");
                out.icmpCode = int(v);
            }
        }
        if (kind == Kind::Attack && !f.count.empty()) {
            unsigned n = 0;
            if (!text::parseUint(f.count, n) || n == 0) return malformed("bad count");
            out.count = n;
        }

        // The interface roles ("wan", "lan", "dmz", "undefined") say which way the session crossed.
        const bool srcWan = f.srcRole == "wan", dstWan = f.dstRole == "wan";
        if (srcWan && !dstWan)
            out.direction = Direction::In;
        else if (dstWan && !srcWan)
            out.direction = Direction::Out;
        const std::string_view srcIntf = ifaceName(f.srcIntf), dstIntf = ifaceName(f.dstIntf);
        if (srcIntf.size() > 64 || dstIntf.size() > 64) return malformed("interface name too long");
        vendor::assignText(out.iface, srcIntf);
        if (f.policyId.size() > 64) return malformed("policy id too long");
        vendor::assignText(out.rule, f.policyId);

        if (const std::string_view why = setTime(f, out); !why.empty()) return malformed(why);

        vendor::JsonObject x(out.extra);
        x.add("devname", f.devname);
        x.add("devid", f.devid);
        x.add("vd", f.vd);
        x.add("logid", f.logid);
        x.add("type", f.type);
        x.add("subtype", f.subtype);
        x.add("action", verdict);
        x.addNumber("policyid", f.policyId);
        x.add("policyname", f.policyName);
        x.addNumber("sessionid", f.sessionId);
        x.add("srcintf", srcIntf);
        x.add("dstintf", dstIntf);
        x.add("srcintfrole", f.srcRole);
        x.add("dstintfrole", f.dstRole);
        x.add("service", f.service);
        x.add("app", f.app);
        x.add("utmaction", f.utmAction);
        x.add("transip", f.transIp);
        x.addNumber("transport", f.transPort);
        x.add("attack", f.attack);
        x.addNumber("attackid", f.attackId);
        x.add("severity", f.severity);
        x.close();
        return ParseStatus::Event;
    }

private:
    // The instant from eventtime= (or logtime=) when it agrees with date= and time=, else date= and
    // time= with tz= or in the file's zone. Returns the problem, or an empty view.
    std::string_view setTime(const Fields& f, Event& out)
    {
        core::CivilTime c;
        bool haveLocal = false;
        if (!f.date.empty() || !f.time.empty()) {
            if (f.date.empty() || f.time.empty()) return "date= without time= or the other way round";
            if (vendor::parseYmd(f.date, 0, c) != f.date.size()) return "bad date=";
            std::string_view t = f.time;
            char joined[16];
            if (t.ends_with(':') && !f.timeTail.empty() && t.size() + f.timeTail.size() < sizeof joined) {
                std::memcpy(joined, t.data(), t.size());
                std::memcpy(joined + t.size(), f.timeTail.data(), f.timeTail.size());
                t = std::string_view(joined, t.size() + f.timeTail.size());
            }
            if (vendor::parseClock(t, 0, c) != t.size()) return "bad time=";
            if (!c.valid()) return "impossible date or time";
            haveLocal = true;
        }
        const std::string_view epochText = !f.eventtime.empty() ? f.eventtime : f.logtime;
        core::Micros epoch = 0;
        if (!epochText.empty() && vendor::parseEpoch(epochText, epoch)) {
            // A device clock set to another zone is fine, a counter in an unknown unit is not: beyond a
            // day and a half from the local time, eventtime= is not trusted.
            const std::int64_t delta = epoch / core::kMicrosPerSecond - c.asUtcSeconds();
            if (!haveLocal || (delta < 36 * 3600 && delta > -36 * 3600)) {
                out.time = epoch;
                out.timeGuessed = false;
                return {};
            }
        }
        if (!haveLocal) return epochText.empty() ? "no date= and time=" : "bad eventtime=";
        if (!f.tz.empty()) {
            std::string_view tz = f.tz;
            int offset = 0;
            if (vendor::parseZone(tz, 0, offset) != tz.size()) return "bad tz=";
            out.time = (c.asUtcSeconds() - offset) * core::kMicrosPerSecond;
            out.timeGuessed = false;
            return {};
        }
        m_times.resolveLocal(c, out);
        return {};
    }

    vendor::StampResolver m_times;
};

class FortiGateParser final : public core::Parser {
public:
    std::string_view id() const override { return "fortigate"; }
    std::string_view description() const override
    {
        return "FortiGate (FortiOS 3-7) key=value logs: traffic records (deny = block), IPS and anomaly "
               "records that blocked an attack; event and other UTM records are recognised and skipped";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        FortiGateLineParser p {core::ParseContext {}};
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
        if (records == 0) return {0, "no line has FortiOS logid= and type= fields"};
        const std::string counts = std::to_string(records) + " of " + std::to_string(head.size())
            + " lines are FortiOS records (" + std::to_string(events) + " traffic or attack events)";
        // FortiGate lines may share a syslog file with other hosts' lines: a few are enough.
        if (records == 1 && head.size() > 1) return {50, counts};
        return {int(60 + 35 * records / head.size()), counts};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<FortiGateLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeFortiGateParser()
{
    return std::make_unique<FortiGateParser>();
}

} // namespace tattle::parsers
