// SPDX-License-Identifier: GPL-3.0-or-later
// Palo Alto Networks PAN-OS logs in the default syslog format: comma-separated values, quoted where a value
// holds a comma, usually behind a BSD or IETF syslog header:
//   Nov 30 16:09:08 PA-220 1,2018/11/30 16:09:07,012801096514,TRAFFIC,end,2049,2018/11/30 16:09:07,
//   192.168.15.207,175.16.199.1,192.168.1.63,175.16.199.1,new_outbound_from_trust,,,apple-maps,vsys1,...
// "Syslog Field Descriptions" (docs.paloaltonetworks.com, PAN-OS 6.1 to 11.x) give the positions, the same
// for TRAFFIC and THREAT up to the action, and unchanged since PAN-OS 4:
//    0 FUTURE_USE  1 Receive Time  2 Serial  3 Type  4 Subtype  5 FUTURE_USE  6 Generated Time
//    7 Source  8 Destination  9 NAT Source  10 NAT Destination  11 Rule  12 Source User  13 Destination User
//   14 Application  15 Virtual System  16 Source Zone  17 Destination Zone  18 Inbound Interface
//   19 Outbound Interface  20 Log Action  21 FUTURE_USE  22 Session ID  23 Repeat Count  24 Source Port
//   25 Destination Port  26 NAT Source Port  27 NAT Destination Port  28 Flags  29 Protocol  30 Action
// then for TRAFFIC 31 Bytes ... 37 Category, and for THREAT 31 URL/Filename  32 Threat ID  33 Category
// 34 Severity  35 Direction. Times are the firewall's local time; PAN-OS 10 adds a high-resolution
// generated time with its UTC offset ("2023-07-06T08:11:40.288+02:00") further on, which is used when
// present.
//
// TRAFFIC records are events: blocked when the action is not "allow" or the subtype is drop or deny.
// THREAT records of the attack subtypes (vulnerability, spyware, virus, scan, flood, packet) are events as
// well, blocked unless the action only raised an alert; a threat travelling server-to-client came from the
// session's destination, so source and destination are swapped for it. URL filtering, file, data and
// WildFire records (what local users fetched) and the other log types (SYSTEM, CONFIG, ...) are passed over.
#include "parsers/builtin_parsers.h"
#include "parsers/text.h"
#include "parsers/vendor_text.h"

#include <array>
#include <string>
#include <utility>

namespace tattle::parsers {

namespace {

using core::Action;
using core::Event;
using core::ParseStatus;
using vendor::npos;

constexpr std::size_t kMaxFields = 256;
// The CSV starts within the first bytes of a line, after at most a syslog header.
constexpr std::size_t kMaxHeader = 512;

enum Col : std::size_t {
    kReceiveTime = 1,
    kSerial = 2,
    kType = 3,
    kSubtype = 4,
    kGeneratedTime = 6,
    kSrc = 7,
    kDst = 8,
    kNatSrc = 9,
    kNatDst = 10,
    kRule = 11,
    kApp = 14,
    kVsys = 15,
    kSrcZone = 16,
    kDstZone = 17,
    kInIface = 18,
    kOutIface = 19,
    kSessionId = 22,
    kRepeatCount = 23,
    kSrcPort = 24,
    kDstPort = 25,
    kNatSrcPort = 26,
    kNatDstPort = 27,
    kProto = 29,
    kAction = 30,
    kThreatId = 32,
    kThreatCategory = 33,
    kSeverity = 34,
    kDirection = 35,
};

inline bool isDigitAt(std::string_view s, std::size_t i) noexcept
{
    return i < s.size() && text::isDigit(s[i]);
}

// "2018/11/30 16:09:07" at pos (shape only).
bool looksLikeTime(std::string_view s, std::size_t pos) noexcept
{
    static constexpr std::string_view kShape = "dddd/dd/dd dd:dd:dd";
    if (pos + kShape.size() > s.size()) return false;
    for (std::size_t i = 0; i < kShape.size(); ++i) {
        const char c = s[pos + i];
        if (kShape[i] == 'd' ? !text::isDigit(c) : c != kShape[i]) return false;
    }
    return true;
}

// Where the CSV record starts: a short number, then ",yyyy/mm/dd hh:mm:ss,"; npos when there is none.
std::size_t findRecord(std::string_view line) noexcept
{
    std::size_t comma = 0;
    while ((comma = line.find(',', comma)) != npos && comma < kMaxHeader) {
        if (looksLikeTime(line, comma + 1) && comma + 20 < line.size() && line[comma + 20] == ',') {
            std::size_t b = comma;
            while (b > 0 && isDigitAt(line, b - 1))
                --b;
            if (b < comma && comma - b <= 2 && (b == 0 || line[b - 1] == ' ' || line[b - 1] == '\t'))
                return b;
        }
        ++comma;
    }
    return npos;
}

// Splits CSV into fields (quotes removed; a doubled quote inside stays doubled). False when a quoted field
// is not closed.
bool splitCsv(std::string_view s, std::array<std::string_view, kMaxFields>& f, std::size_t& n) noexcept
{
    n = 0;
    std::size_t i = 0;
    while (n < kMaxFields) {
        if (i < s.size() && s[i] == '"') {
            std::size_t j = i + 1;
            for (;;) {
                j = s.find('"', j);
                if (j == npos) return false;
                if (j + 1 < s.size() && s[j + 1] == '"') {
                    j += 2;
                    continue;
                }
                break;
            }
            f[n++] = s.substr(i + 1, j - i - 1);
            i = j + 1;
            if (i >= s.size()) return true;
            if (s[i] != ',') return false;
            ++i;
            continue;
        }
        const std::size_t c = s.find(',', i);
        f[n++] = s.substr(i, c == npos ? npos : c - i);
        if (c == npos) return true;
        i = c + 1;
    }
    return true;
}

bool hasPorts(int proto) noexcept
{
    using namespace core::proto;
    return proto == kTcp || proto == kUdp || proto == kSctp || proto == kUdpLite;
}

bool isAttackSubtype(std::string_view s) noexcept
{
    for (std::string_view x : {"vulnerability", "spyware", "virus", "scan", "flood", "packet"}) {
        if (s == x) return true;
    }
    return false;
}

bool threatBlocked(std::string_view a) noexcept
{
    for (std::string_view x : {"alert", "allow", "continue", "override", "syncookie-sent"}) {
        if (a == x) return false;
    }
    return true; // deny, drop, drop-all-packets, reset-*, block-*, sinkhole, random-drop, ...
}

bool isLogType(std::string_view t) noexcept
{
    if (t.empty() || t.size() > 16) return false;
    for (char c : t) {
        if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_' || text::isDigit(c))) return false;
    }
    return true;
}

// "2023-07-06T08:11:40.288+02:00": PAN-OS 10's high-resolution generated time.
bool isHighResTime(std::string_view s) noexcept
{
    return s.size() >= 25 && s.size() <= 32 && s[4] == '-' && s[10] == 'T' && text::isDigit(s[0]);
}

class PaloAltoLineParser final : public core::LineParser {
public:
    explicit PaloAltoLineParser(const core::ParseContext& ctx)
        : m_times(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t start = findRecord(line);
        if (start == npos) return ParseStatus::NotMine;
        const std::string_view header = text::trim(line.substr(0, start));
        std::size_t n = 0;
        const bool closed = splitCsv(line.substr(start), m_fields, n);
        const auto& f = m_fields;
        if (n <= kType || !isLogType(f[kType])) return ParseStatus::NotMine;
        const std::string_view type = f[kType];
        const bool traffic = type == "TRAFFIC", threat = type == "THREAT";
        if (!traffic && !threat) return ParseStatus::Ignored;
        if (threat && n > kSubtype && !f[kSubtype].empty() && !isAttackSubtype(f[kSubtype]))
            return ParseStatus::Ignored;

        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        if (!closed) return malformed("unterminated quoted field");
        if (n <= kAction) return malformed("truncated record");

        const std::string_view action = f[kAction];
        if (action.empty()) return malformed("no action");
        if (traffic) {
            const std::string_view sub = f[kSubtype];
            out.action = action == "allow" && sub != "drop" && sub != "deny" ? Action::Allow : Action::Block;
        } else {
            out.action = threatBlocked(action) ? Action::Block : Action::Allow;
        }

        const auto src = core::IpAddress::parse(f[kSrc]);
        if (!src) return malformed("bad source address");
        const auto dst = core::IpAddress::parse(f[kDst]);
        if (!dst) return malformed("bad destination address");
        if (src->family() != dst->family()) return malformed("source and destination of different families");
        out.src = *src;
        out.dst = *dst;
        out.proto = core::protoFromName(f[kProto]);
        if (out.proto == core::proto::kUnknown) return malformed("bad protocol");
        if (!text::parsePort(f[kSrcPort], out.srcPort)) return malformed("bad source port");
        if (!text::parsePort(f[kDstPort], out.dstPort)) return malformed("bad destination port");
        if (!hasPorts(out.proto)) out.srcPort = out.dstPort = -1;
        unsigned repeat = 0;
        if (!f[kRepeatCount].empty()) {
            if (!text::parseUint(f[kRepeatCount], repeat)) return malformed("bad repeat count");
            if (repeat > 0) out.count = repeat;
        }
        const bool swapped = threat && n > kDirection && f[kDirection] == "server-to-client";
        if (swapped) {
            std::swap(out.src, out.dst);
            std::swap(out.srcPort, out.dstPort);
        }
        if (f[kInIface].size() > 64 || f[kRule].size() > 1024)
            return malformed("interface or rule name too long");
        vendor::assignText(out.iface, f[kInIface]);
        vendor::assignText(out.rule, f[kRule]);

        if (const std::string_view why = setTime(header, n, out); !why.empty()) return malformed(why);

        vendor::JsonObject x(out.extra);
        x.add("type", type);
        x.add("subtype", f[kSubtype]);
        x.add("action", action);
        x.add("serial", f[kSerial]);
        x.add("vsys", f[kVsys]);
        x.add("src_zone", f[kSrcZone]);
        x.add("dst_zone", f[kDstZone]);
        x.add("inbound_if", f[kInIface]);
        x.add("outbound_if", f[kOutIface]);
        x.add("app", f[kApp]);
        x.addNumber("session_id", f[kSessionId]);
        if (f[kNatSrc] != "0.0.0.0") x.add("nat_src", f[kNatSrc]);
        if (f[kNatDst] != "0.0.0.0") x.add("nat_dst", f[kNatDst]);
        if (f[kNatSrcPort] != "0") x.addNumber("nat_src_port", f[kNatSrcPort]);
        if (f[kNatDstPort] != "0") x.addNumber("nat_dst_port", f[kNatDstPort]);
        if (threat && n > kDirection) {
            x.add("threat", f[kThreatId]);
            x.add("category", f[kThreatCategory]);
            x.add("severity", f[kSeverity]);
            x.add("direction", f[kDirection]);
        }
        x.close();
        return ParseStatus::Event;
    }

private:
    // The generated time (the receive time when that is empty), exact with the high-resolution field or
    // an offset-bearing syslog header of the same clock, else in the file's zone.
    std::string_view setTime(std::string_view header, std::size_t n, Event& out)
    {
        const auto& f = m_fields;
        for (std::size_t i = kAction + 1; i < n; ++i) {
            if (isHighResTime(f[i])) {
                if (const auto t = core::parseRfc3339(f[i])) {
                    out.time = *t;
                    return {};
                }
            }
        }
        const std::string_view text = !f[kGeneratedTime].empty() ? f[kGeneratedTime] : f[kReceiveTime];
        vendor::Stamp st;
        if (text.size() != 19 || vendor::parseStamp(text, st) != text.size())
            return f[kGeneratedTime].empty() ? "bad receive time" : "bad generated time";
        if (!st.civil.valid()) return "impossible date or time";
        // An IETF syslog header from the firewall carries its offset; a relay's clock may be elsewhere, so it
        // is only taken when it shows about the same local time.
        vendor::Stamp hs;
        if (!header.empty() && vendor::parseStamp(vendor::skipPri(header), hs) > 0
            && hs.kind == vendor::Stamp::Kind::Absolute && hs.civil.valid()) {
            const std::int64_t d = hs.civil.asUtcSeconds() - st.civil.asUtcSeconds();
            if (d > -300 && d < 300) {
                st.kind = vendor::Stamp::Kind::Absolute;
                st.offsetSeconds = hs.offsetSeconds;
            }
        }
        m_times.resolve(st, out);
        return {};
    }

    vendor::StampResolver m_times;
    std::array<std::string_view, kMaxFields> m_fields {};
};

class PaloAltoParser final : public core::Parser {
public:
    std::string_view id() const override { return "paloalto"; }
    std::string_view description() const override
    {
        return "Palo Alto Networks PAN-OS syslog CSV: TRAFFIC records and THREAT attack records "
               "(vulnerability, "
               "spyware, virus, scan, flood, packet); other log types are recognised and skipped";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        PaloAltoLineParser p {core::ParseContext {}};
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
        if (records == 0)
            return {0, "no line has the PAN-OS CSV shape (n,yyyy/mm/dd hh:mm:ss,serial,TYPE,...)"};
        const std::string counts = std::to_string(records) + " of " + std::to_string(head.size())
            + " lines are PAN-OS records (" + std::to_string(events) + " TRAFFIC or THREAT events)";
        if (records == 1 && head.size() > 1) return {50, counts};
        return {int(60 + 35 * records / head.size()), counts};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<PaloAltoLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makePaloAltoParser()
{
    return std::make_unique<PaloAltoParser>();
}

} // namespace tattle::parsers
