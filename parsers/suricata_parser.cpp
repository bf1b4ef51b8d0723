// SPDX-License-Identifier: GPL-3.0-or-later
// Suricata's two logs: fast.log (the alert_fast shape Snort also writes, read by fastalert::Reader) and
// eve.json, one JSON object per line ("Eve JSON Format", docs.suricata.io):
//   {"timestamp":"2022-07-10T23:50:05.533101+0000","flow_id":1258832998001901,"in_iface":"bond0",
//    "event_type":"alert","src_ip":"198.51.100.4","src_port":52812,"dest_ip":"192.0.2.1","dest_port":80,
//    "proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2024468,"rev":3,"signature":"ET ...",
//    "category":"Attempted User Privilege Gain","severity":1},...}
// Events: alert (blocked when alert.action is "blocked"), drop (blocked) and flow (allowed unless the flow's
// action was drop or reject). The other event types (stats, dns, http, tls, fileinfo, anomaly, netflow, ...)
// are recognised and passed over. eve lines are long (the rule text, payloads) and arrive by the million, so
// they are read by a small scanner that looks at the members tattle uses and skips the rest without
// building a document; it never recurses, so nesting depth cannot exhaust the stack.
#include "parsers/builtin_parsers.h"
#include "parsers/fast_alert.h"
#include "parsers/text.h"
#include "parsers/vendor_text.h"

#include <cstring>
#include <string>

namespace tattle::parsers {

namespace {

using core::Action;
using core::Event;
using core::ParseStatus;
using vendor::npos;

// --- A JSON scanner for one line -----------------------------------------------------------------------

struct JsonValue {
    enum class Kind : std::uint8_t { String, Number, Literal, Object, Array } kind = Kind::Literal;
    std::string_view raw; ///< string contents without quotes (escapes undone later), number or literal text
    bool escaped = false; ///< the string has backslash escapes
};

class JsonScanner {
public:
    explicit JsonScanner(std::string_view s) noexcept
        : m_s(s)
    {
    }

    void ws() noexcept
    {
        while (
            m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\r' || m_s[m_i] == '\n'))
            ++m_i;
    }
    bool eat(char c) noexcept
    {
        ws();
        if (m_i < m_s.size() && m_s[m_i] == c) {
            ++m_i;
            return true;
        }
        return false;
    }
    bool peek(char c) noexcept
    {
        ws();
        return m_i < m_s.size() && m_s[m_i] == c;
    }
    bool atEnd() noexcept
    {
        ws();
        return m_i == m_s.size();
    }

    // A string at the cursor (which is at its opening quote).
    bool string(std::string_view& raw, bool& escaped) noexcept
    {
        if (!eat('"')) return false;
        const std::size_t start = m_i;
        escaped = false;
        for (;;) {
            const std::size_t q = m_s.find_first_of("\"\\", m_i);
            if (q == npos) return false;
            if (m_s[q] == '"') {
                raw = m_s.substr(start, q - start);
                m_i = q + 1;
                return true;
            }
            escaped = true;
            m_i = q + 2;
            if (m_i > m_s.size()) return false;
        }
    }

    // Reads a scalar or notes the start of an object or array (the cursor stays on its bracket).
    bool value(JsonValue& v) noexcept
    {
        ws();
        if (m_i >= m_s.size()) return false;
        const char c = m_s[m_i];
        if (c == '"') {
            v.kind = JsonValue::Kind::String;
            return string(v.raw, v.escaped);
        }
        if (c == '{' || c == '[') {
            v.kind = c == '{' ? JsonValue::Kind::Object : JsonValue::Kind::Array;
            return true;
        }
        const std::size_t start = m_i;
        while (m_i < m_s.size() && isScalarChar(m_s[m_i]))
            ++m_i;
        v.raw = m_s.substr(start, m_i - start);
        v.escaped = false;
        if (v.raw.empty()) return false;
        v.kind
            = text::isDigit(v.raw[0]) || v.raw[0] == '-' ? JsonValue::Kind::Number : JsonValue::Kind::Literal;
        if (v.kind == JsonValue::Kind::Literal && v.raw != "true" && v.raw != "false" && v.raw != "null")
            return false;
        return true;
    }

    // Skips the object or array at the cursor, however deep, without recursion.
    bool skipContainer() noexcept
    {
        std::size_t depth = 0;
        while (m_i < m_s.size()) {
            const char c = m_s[m_i];
            if (c == '"') {
                std::string_view raw;
                bool escaped = false;
                if (!string(raw, escaped)) return false;
                continue;
            }
            ++m_i;
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0) return false;
                if (--depth == 0) return true;
            }
        }
        return false;
    }

private:
    static bool isScalarChar(char c) noexcept
    {
        return text::isDigit(c) || (c != '\0' && std::strchr("+-.eEtruefalsn", c) != nullptr);
    }

    std::string_view m_s;
    std::size_t m_i = 0;
};

// Undoes JSON string escapes (\uXXXX and surrogate pairs to UTF-8).
void unescapeJson(std::string_view s, std::string& out)
{
    out.clear();
    auto hex4 = [&](std::size_t p, unsigned& v) {
        if (p + 4 > s.size()) return false;
        v = 0;
        for (std::size_t k = p; k < p + 4; ++k) {
            const char c = s[k];
            v <<= 4;
            if (text::isDigit(c))
                v |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= unsigned(c - 'A' + 10);
            else
                return false;
        }
        return true;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 >= s.size()) {
            out.push_back(s[i]);
            continue;
        }
        const char e = s[++i];
        switch (e) {
        case 'n':
            out.push_back('\n');
            break;
        case 't':
            out.push_back('\t');
            break;
        case 'r':
            out.push_back('\r');
            break;
        case 'b':
            out.push_back('\b');
            break;
        case 'f':
            out.push_back('\f');
            break;
        case 'u': {
            unsigned cp = 0;
            if (!hex4(i + 1, cp)) {
                out.push_back('?');
                break;
            }
            i += 4;
            unsigned lo = 0;
            if (cp >= 0xD800 && cp < 0xDC00 && i + 2 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u'
                && hex4(i + 3, lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            } else if (cp >= 0xD800 && cp < 0xE000) {
                cp = 0xFFFD;
            }
            if (cp < 0x80) {
                out.push_back(char(cp));
            } else if (cp < 0x800) {
                out.push_back(char(0xC0 | (cp >> 6)));
                out.push_back(char(0x80 | (cp & 0x3F)));
            } else if (cp < 0x10000) {
                out.push_back(char(0xE0 | (cp >> 12)));
                out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
                out.push_back(char(0x80 | (cp & 0x3F)));
            } else {
                out.push_back(char(0xF0 | (cp >> 18)));
                out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
                out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
                out.push_back(char(0x80 | (cp & 0x3F)));
            }
            break;
        }
        default: // \" \\ \/ and anything else stand for themselves
            out.push_back(e);
            break;
        }
    }
}

// --- The eve members tattle uses --------------------------------------------------------------------------

struct Eve {
    JsonValue timestamp, eventType, srcIp, destIp, srcPort, destPort, proto, inIface, icmpType, icmpCode,
        flowId, appProto;
    JsonValue alertAction, gid, sid, rev, signature, category, severity;
    JsonValue flowAction, flowState, flowReason, pktsToServer, pktsToClient;
    JsonValue tcpFlags, dropReason;
    std::uint8_t dropFlags = 0;
    bool hasDropFlags = false;
    bool seen[64] {}; // which of the slots below were set (first occurrence wins)
};

enum class Section : std::uint8_t { Top, Alert, Flow, Tcp, Drop, Other };

struct Member {
    Section section;
    std::string_view key;
    JsonValue Eve::*slot;
};

constexpr Member kMembers[] = {
    {Section::Top, "timestamp", &Eve::timestamp},
    {Section::Top, "event_type", &Eve::eventType},
    {Section::Top, "src_ip", &Eve::srcIp},
    {Section::Top, "dest_ip", &Eve::destIp},
    {Section::Top, "src_port", &Eve::srcPort},
    {Section::Top, "dest_port", &Eve::destPort},
    {Section::Top, "proto", &Eve::proto},
    {Section::Top, "in_iface", &Eve::inIface},
    {Section::Top, "icmp_type", &Eve::icmpType},
    {Section::Top, "icmp_code", &Eve::icmpCode},
    {Section::Top, "flow_id", &Eve::flowId},
    {Section::Top, "app_proto", &Eve::appProto},
    {Section::Alert, "action", &Eve::alertAction},
    {Section::Alert, "gid", &Eve::gid},
    {Section::Alert, "signature_id", &Eve::sid},
    {Section::Alert, "rev", &Eve::rev},
    {Section::Alert, "signature", &Eve::signature},
    {Section::Alert, "category", &Eve::category},
    {Section::Alert, "severity", &Eve::severity},
    {Section::Flow, "action", &Eve::flowAction},
    {Section::Flow, "state", &Eve::flowState},
    {Section::Flow, "reason", &Eve::flowReason},
    {Section::Flow, "pkts_toserver", &Eve::pktsToServer},
    {Section::Flow, "pkts_toclient", &Eve::pktsToClient},
    {Section::Tcp, "tcp_flags", &Eve::tcpFlags},
    {Section::Drop, "reason", &Eve::dropReason},
};

std::uint8_t tcpFlagBit(std::string_view key) noexcept
{
    static constexpr struct {
        std::string_view name;
        std::uint8_t bit;
    } kBits[] = {{"fin", core::tcpflag::kFin}, {"syn", core::tcpflag::kSyn}, {"rst", core::tcpflag::kRst},
        {"psh", core::tcpflag::kPsh}, {"ack", core::tcpflag::kAck}, {"urg", core::tcpflag::kUrg},
        {"ecn", core::tcpflag::kEce}, {"cwr", core::tcpflag::kCwr}};
    for (const auto& b : kBits) {
        if (b.name == key) return b.bit;
    }
    return 0;
}

void assign(Eve& e, Section section, std::string_view key, const JsonValue& v) noexcept
{
    for (std::size_t k = 0; k < std::size(kMembers); ++k) {
        const Member& m = kMembers[k];
        if (m.section == section && m.key == key) {
            if (!e.seen[k]) {
                e.*(m.slot) = v;
                e.seen[k] = true;
            }
            return;
        }
    }
    if (section == Section::Drop && v.kind == JsonValue::Kind::Literal) {
        if (const std::uint8_t bit = tcpFlagBit(key)) {
            e.hasDropFlags = true;
            if (v.raw == "true") e.dropFlags |= bit;
        }
    }
}

Section sectionOf(std::string_view key) noexcept
{
    if (key == "alert") return Section::Alert;
    if (key == "flow") return Section::Flow;
    if (key == "tcp") return Section::Tcp;
    if (key == "drop") return Section::Drop;
    return Section::Other;
}

// Reads the object at the cursor, its members and those of the alert, flow, tcp and drop objects in it.
bool scanEve(std::string_view text, Eve& e) noexcept
{
    JsonScanner j(text);
    if (!j.eat('{')) return false;
    Section section = Section::Top;
    bool first = true;
    for (;;) {
        if (j.eat('}')) {
            if (section == Section::Top) return j.atEnd();
            section = Section::Top;
            first = false;
            continue;
        }
        if (!first && !j.eat(',')) return false;
        first = false;
        std::string_view key;
        bool escaped = false;
        if (!j.peek('"') || !j.string(key, escaped) || !j.eat(':')) return false;
        JsonValue v;
        if (!j.value(v)) return false;
        if (v.kind == JsonValue::Kind::Object && section == Section::Top
            && sectionOf(key) != Section::Other) {
            j.eat('{');
            section = sectionOf(key);
            first = true;
            continue;
        }
        if (v.kind == JsonValue::Kind::Object || v.kind == JsonValue::Kind::Array) {
            if (!j.skipContainer()) return false;
            continue;
        }
        assign(e, section, key, v);
    }
}

bool hasPorts(int proto) noexcept
{
    using namespace core::proto;
    return proto == kTcp || proto == kUdp || proto == kSctp || proto == kUdpLite;
}

class SuricataLineParser final : public core::LineParser {
public:
    explicit SuricataLineParser(const core::ParseContext& ctx)
        : m_fast(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        m_lastEve = false;
        std::string_view t = text::trim(line);
        if (t.empty()) return ParseStatus::NotMine;
        if (t.front() != '{') {
            // eve through syslog: "... suricata[812]: {"timestamp":...}".
            const std::size_t brace = t.find("{\"");
            if (brace == npos || brace > 512 || t.substr(0, brace).find("suricata") == npos)
                return m_fast.parse(line, out, reason);
            t = t.substr(brace);
        }
        return parseEve(t, out, reason);
    }

    bool lastWasEve() const noexcept { return m_lastEve; }
    fastalert::Dating lastDating() const noexcept { return m_fast.lastDating(); }

private:
    ParseStatus parseEve(std::string_view t, Event& out, std::string& reason)
    {
        out.reset();
        m_lastEve = false;
        Eve e;
        const bool ok = scanEve(t, e);
        // Only objects with Suricata's event_type and timestamp are eve records.
        if (e.eventType.kind != JsonValue::Kind::String || e.timestamp.kind != JsonValue::Kind::String
            || e.eventType.raw.empty() || e.timestamp.raw.empty())
            return ParseStatus::NotMine;
        m_lastEve = true;
        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        if (!ok) return malformed("bad JSON");
        const std::string_view type = e.eventType.raw;
        if (type == "alert")
            out.action = e.alertAction.raw == "blocked" ? Action::Block : Action::Allow;
        else if (type == "drop")
            out.action = Action::Block;
        else if (type == "flow")
            out.action
                = e.flowAction.raw == "drop" || e.flowAction.raw == "reject" ? Action::Block : Action::Allow;
        else
            return ParseStatus::Ignored;

        const auto time = core::parseRfc3339(e.timestamp.raw);
        if (!time) return malformed("bad timestamp");
        out.time = *time;
        if (e.srcIp.raw.empty()) return malformed("no src_ip");
        if (e.destIp.raw.empty()) return malformed("no dest_ip");
        const auto src = core::IpAddress::parse(e.srcIp.raw);
        if (!src) return malformed("bad src_ip");
        const auto dst = core::IpAddress::parse(e.destIp.raw);
        if (!dst) return malformed("bad dest_ip");
        if (src->family() != dst->family()) return malformed("src_ip and dest_ip of different families");
        out.src = *src;
        out.dst = *dst;
        if (e.proto.raw.empty()) return malformed("no proto");
        out.proto = core::protoFromName(e.proto.raw);
        if (out.proto == core::proto::kUnknown) return malformed("bad proto");
        if (hasPorts(out.proto)) {
            if (!e.srcPort.raw.empty() && !text::parsePort(e.srcPort.raw, out.srcPort))
                return malformed("bad src_port");
            if (!e.destPort.raw.empty() && !text::parsePort(e.destPort.raw, out.dstPort))
                return malformed("bad dest_port");
        } else if (out.proto == core::proto::kIcmp || out.proto == core::proto::kIcmpV6) {
            unsigned v = 0;
            if (!e.icmpType.raw.empty()) {
                if (!text::parseUint(e.icmpType.raw, v, 255)) return malformed("bad icmp_type");
                out.icmpType = int(v);
            }
            if (!e.icmpCode.raw.empty()) {
                if (!text::parseUint(e.icmpCode.raw, v, 255)) return malformed("bad icmp_code");
                out.icmpCode = int(v);
            }
        }
        if (out.proto == core::proto::kTcp) {
            unsigned flags = 0;
            if (!e.tcpFlags.raw.empty()) {
                if (e.tcpFlags.raw.size() > 2) return malformed("bad tcp_flags");
                const std::string hex = "0x" + std::string(e.tcpFlags.raw);
                if (!vendor::parseHexOrDecimal(hex, flags, 255)) return malformed("bad tcp_flags");
                out.tcpFlags = std::uint8_t(flags);
                out.hasTcpFlags = true;
            } else if (e.hasDropFlags) {
                out.tcpFlags = e.dropFlags;
                out.hasTcpFlags = true;
            }
        }
        if (e.inIface.raw.size() > 64) return malformed("interface name too long");
        vendor::assignText(out.iface, e.inIface.raw);

        vendor::JsonObject x(out.extra);
        x.add("event_type", type);
        x.addNumber("flow_id", e.flowId.raw);
        x.add("app_proto", e.appProto.raw);
        if (type == "alert") {
            unsigned v = 0;
            if (!text::parseUint(e.sid.raw, v)) return malformed("bad alert.signature_id");
            const std::string_view gid = e.gid.raw.empty() ? std::string_view("1") : e.gid.raw;
            if (!text::parseUint(gid, v) || (!e.rev.raw.empty() && !text::parseUint(e.rev.raw, v)))
                return malformed("bad alert.gid or rev");
            out.rule.assign(gid);
            out.rule.push_back(':');
            out.rule.append(e.sid.raw);
            if (!e.rev.raw.empty()) {
                out.rule.push_back(':');
                out.rule.append(e.rev.raw);
            }
            x.add("action", e.alertAction.raw);
            x.addNumber("gid", gid);
            x.addNumber("sid", e.sid.raw);
            x.addNumber("rev", e.rev.raw);
            addString(x, "signature", e.signature);
            addString(x, "category", e.category);
            x.addNumber("severity", e.severity.raw);
        } else if (type == "flow") {
            x.add("action", e.flowAction.raw);
            x.add("state", e.flowState.raw);
            x.add("reason", e.flowReason.raw);
            x.addNumber("pkts_toserver", e.pktsToServer.raw);
            x.addNumber("pkts_toclient", e.pktsToClient.raw);
        } else {
            addString(x, "reason", e.dropReason);
        }
        x.close();
        return ParseStatus::Event;
    }

    void addString(vendor::JsonObject& x, std::string_view key, const JsonValue& v)
    {
        if (!v.escaped) {
            x.add(key, v.raw);
            return;
        }
        unescapeJson(v.raw, m_buffer);
        x.add(key, m_buffer);
    }

    fastalert::Reader m_fast;
    std::string m_buffer;
    bool m_lastEve = false;
};

class SuricataParser final : public core::Parser {
public:
    std::string_view id() const override { return "suricata"; }
    std::string_view description() const override
    {
        return "Suricata eve.json (alert, drop and flow events; the others skipped) and fast.log; alerts are "
               "blocks when Suricata dropped the packet";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000;
        SuricataLineParser p(ctx);
        Event ev;
        std::string reason;
        std::size_t eve = 0, suricataFast = 0, otherFast = 0;
        for (std::string_view line : head) {
            if (p.parse(line, ev, reason) == ParseStatus::NotMine) continue;
            if (p.lastWasEve())
                ++eve;
            else if (p.lastDating() == fastalert::Dating::LongYear)
                ++suricataFast;
            else
                ++otherFast;
        }
        const std::size_t n = head.size(), records = eve + suricataFast + otherFast;
        if (records == 0)
            return {0, "no eve.json record ({\"timestamp\":...,\"event_type\":...}) or fast.log line"};
        const std::string counts = std::to_string(eve) + " eve.json records and "
            + std::to_string(suricataFast + otherFast) + " fast.log lines of " + std::to_string(n);
        if (records == 1 && n > 1) return {50, counts};
        // fast.log lines without four-digit years are Snort's as much as Suricata's: the snort parser wins.
        const std::size_t strong = eve + suricataFast;
        return {int(60 + (35 * strong + 20 * otherFast) / n), counts};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<SuricataLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makeSuricataParser()
{
    return std::make_unique<SuricataParser>();
}

} // namespace tattle::parsers
