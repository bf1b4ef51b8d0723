// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/xarf.h"

#include "core/event.h"
#include "core/text_util.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

namespace tattle::reports {

namespace {

constexpr std::string_view kXarfVersion = "4.2.0";
constexpr std::string_view kLoginAttackSchema = "http://www.x-arf.org/schema/abuse_login-attack_0.1.2.json";

std::uint64_t randomWord()
{
    static thread_local std::mt19937_64 engine = [] {
        std::random_device device;
        std::seed_seq seed {device(), device(), device(), device(), device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    return engine();
}

std::string utc(core::Micros t)
{
    return core::formatRfc3339(t / core::kMicrosPerSecond * core::kMicrosPerSecond);
}

std::string lowerProto(int proto)
{
    return core::protoName(proto);
}

/// The XARF v4 protocol enum: tcp, udp, icmp, sctp ("ipv6-icmp" counts as icmp).
std::string xarfProtocol(int proto)
{
    if (proto == core::proto::kIcmpV6) return "icmp";
    return lowerProto(proto);
}

bool xarfProtocolAllowed(int proto)
{
    return proto == core::proto::kTcp || proto == core::proto::kUdp || proto == core::proto::kIcmp
        || proto == core::proto::kIcmpV6 || proto == core::proto::kSctp;
}

/// A party checked and completed (domain from the contact, org cut to 200 characters).
Result<XarfParty> checkedParty(const XarfParty& party, std::string_view what)
{
    XarfParty out;
    out.contact = party.contact;
    if (auto ok = checkAddress(out.contact, what); !ok) return std::unexpected(ok.error());
    out.domain = party.domain.empty() ? out.contact.substr(out.contact.rfind('@') + 1) : party.domain;
    if (auto ok = checkAddress("x@" + out.domain, std::string(what) + " domain"); !ok)
        return std::unexpected(ok.error());
    out.org = neutraliseHeaderText(party.org, 200);
    if (out.org.empty()) out.org = out.domain;
    return out;
}

struct Summary {
    int proto = -1; ///< the protocol with the most events
    std::set<int> ports; ///< destination ports of that protocol
    std::set<int> sourcePorts;
    bool sourcePortsComplete = true;
    std::set<std::string> destinations;
    std::uint64_t attempts = 0;
};

Summary summarise(const ReportedSource& source)
{
    std::map<int, std::uint64_t> byProto;
    for (const ProbeGroup& p : source.probes)
        byProto[p.proto] += p.count;
    Summary s;
    // The protocol field is one of tcp, udp, icmp, sctp: the one of those with the most events.
    std::uint64_t best = 0;
    for (const auto& [proto, count] : byProto)
        if (xarfProtocolAllowed(proto) && count > best) {
            best = count;
            s.proto = proto;
        }
    for (const ProbeGroup& p : source.probes) {
        s.attempts += p.count;
        for (const std::string& d : p.destinations)
            s.destinations.insert(d);
        for (const int port : p.sourcePorts)
            s.sourcePorts.insert(port);
        if (p.distinctSourcePorts > p.sourcePorts.size()) s.sourcePortsComplete = false;
        if (p.proto == s.proto && p.dstPort > 0) s.ports.insert(p.dstPort);
    }
    return s;
}

std::string base64(std::string_view data)
{
    std::string lines = encodeBase64Lines(data);
    std::erase(lines, '\r');
    std::erase(lines, '\n');
    return lines;
}

std::string joinLines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const std::string& l : lines)
        out += l + "\n";
    return out;
}

std::string portList(const std::set<int>& ports, std::size_t max)
{
    std::string out;
    std::size_t n = 0;
    for (const int p : ports) {
        if (n++ == max) {
            out += " and " + std::to_string(ports.size() - max) + " more";
            break;
        }
        out += (out.empty() ? "" : ", ") + std::to_string(p);
    }
    return out;
}

/// X-ARF 0.2 dates as its samples write them: "Feb  3 2014 02:13:35 +0000" (UTC).
std::string xarf02Date(core::Micros t)
{
    static constexpr std::array<std::string_view, 12> kMonths {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const core::CivilTime c = core::civilFromMicros(t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.3s %2u %04d %02u:%02u:%02u +0000", kMonths[c.month - 1].data(), c.day,
        c.year, c.hour, c.minute, c.second);
    return buf;
}

/// A YAML scalar: plain when it is obviously safe, otherwise single-quoted.
std::string yamlScalar(std::string_view value)
{
    bool plain = !value.empty();
    for (const char c : value) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || std::string_view(".-_@/+ ").find(c) != std::string_view::npos;
        if (!ok) plain = false;
    }
    if (plain && value.front() != ' ' && value.back() != ' ' && value.front() != '@')
        return std::string(value);
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

std::string fileSafe(std::string address)
{
    std::replace(address.begin(), address.end(), ':', '-');
    return address;
}

/// The most attempted TCP port of a source, or -1.
int mainTcpPort(const ReportedSource& source)
{
    int port = -1;
    std::uint64_t best = 0;
    for (const ProbeGroup& p : source.probes)
        if (p.proto == core::proto::kTcp && p.dstPort > 0 && p.count > best) {
            best = p.count;
            port = p.dstPort;
        }
    return port;
}

} // namespace

std::string_view loginServiceName(int port) noexcept
{
    switch (port) {
    case 21:
        return "ftp";
    case 22:
        return "ssh";
    case 23:
        return "telnet";
    case 25:
    case 465:
    case 587:
        return "smtp";
    case 110:
    case 995:
        return "pop3";
    case 143:
    case 993:
        return "imap";
    case 445:
        return "smb";
    case 1433:
        return "mssql";
    case 3306:
        return "mysql";
    case 3389:
        return "rdp";
    case 5432:
        return "postgresql";
    case 5900:
        return "vnc";
    default:
        return {};
    }
}

std::string makeUuidV4()
{
    std::uint64_t hi = randomWord(), lo = randomWord();
    hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL; // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL; // variant 10
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
        static_cast<unsigned long long>(hi >> 32), static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
        static_cast<unsigned long long>(hi & 0xFFFF), static_cast<unsigned long long>(lo >> 48),
        static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
    return buf;
}

std::string sha256Hex(std::string_view data)
{
    static constexpr std::array<std::uint32_t, 64> k {0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
        0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
        0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
        0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
        0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
        0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    std::array<std::uint32_t, 8> h {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
    std::string padded(data);
    padded.push_back(char(0x80));
    while (padded.size() % 64 != 56)
        padded.push_back('\0');
    const std::uint64_t bits = std::uint64_t(data.size()) * 8;
    for (int i = 7; i >= 0; --i)
        padded.push_back(char((bits >> (i * 8)) & 0xFF));
    for (std::size_t block = 0; block < padded.size(); block += 64) {
        std::array<std::uint32_t, 64> w {};
        for (int i = 0; i < 16; ++i)
            w[i] = std::uint32_t(static_cast<unsigned char>(padded[block + i * 4])) << 24
                | std::uint32_t(static_cast<unsigned char>(padded[block + i * 4 + 1])) << 16
                | std::uint32_t(static_cast<unsigned char>(padded[block + i * 4 + 2])) << 8
                | std::uint32_t(static_cast<unsigned char>(padded[block + i * 4 + 3]));
        for (int i = 16; i < 64; ++i) {
            const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        auto [a, b, c, d, e, f, g, hh] = h;
        for (int i = 0; i < 64; ++i) {
            const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
            const std::uint32_t ch = (e & f) ^ (~e & g);
            const std::uint32_t t1 = hh + s1 + ch + k[i] + w[i];
            const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
            const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
            const std::uint32_t t2 = s0 + maj;
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
    std::string out;
    char buf[9];
    for (const std::uint32_t word : h) {
        std::snprintf(buf, sizeof buf, "%08x", word);
        out += buf;
    }
    return out;
}

Result<std::string> xarfV4Json(const ReportedSource& source, XarfType type, const XarfOptions& options)
{
    auto reporter = checkedParty(options.reporter, "XARF reporter contact");
    if (!reporter) return std::unexpected(reporter.error());
    auto sender = options.sender.contact.empty() && options.sender.org.empty()
        ? reporter
        : checkedParty(options.sender, "XARF sender contact");
    if (!sender) return std::unexpected(sender.error());
    if (source.probes.empty() || !source.address.isValid())
        return fail(ErrorKind::Usage, "An XARF report needs a source address and at least one probe.");
    const Summary s = summarise(source);
    if (s.proto < 0)
        return fail(ErrorKind::Usage,
            "An XARF connection report covers TCP, UDP, ICMP and SCTP; " + source.address.toString()
                + " sent none of them.");
    const bool masked = !options.ownAddressMask.empty();

    nlohmann::ordered_json j;
    j["xarf_version"] = kXarfVersion;
    j["report_id"] = makeUuidV4();
    j["timestamp"] = utc(source.lastSeen);
    j["reporter"] = {{"org", reporter->org}, {"contact", reporter->contact}, {"domain", reporter->domain}};
    j["sender"] = {{"org", sender->org}, {"contact", sender->contact}, {"domain", sender->domain}};
    j["source_identifier"] = source.address.toString();
    if (s.sourcePorts.size() == 1 && s.sourcePortsComplete && *s.sourcePorts.begin() > 0)
        j["source_port"] = *s.sourcePorts.begin();
    j["category"] = "connection";
    j["type"] = type == XarfType::PortScan ? "port_scan" : "login_attack";
    j["evidence_source"] = "firewall_logs";
    j["protocol"] = xarfProtocol(s.proto);
    j["first_seen"] = utc(source.firstSeen);
    j["last_seen"] = utc(source.lastSeen);
    if (s.destinations.size() == 1 && !masked && core::IpAddress::parse(*s.destinations.begin()))
        j["destination_ip"] = core::IpAddress::parse(*s.destinations.begin())->toString();
    if (s.ports.size() == 1) j["destination_port"] = *s.ports.begin();
    if (type == XarfType::PortScan) {
        if (!s.ports.empty()) j["ports_scanned"] = std::vector<int>(s.ports.begin(), s.ports.end());
    } else {
        const int port = s.ports.size() == 1 ? *s.ports.begin() : mainTcpPort(source);
        if (const std::string_view service = loginServiceName(port); !service.empty()) j["service"] = service;
        j["attempt_count"] = s.attempts;
    }

    std::string description = formatCount(source.eventCount) + " connection attempts to "
        + core::protoName(s.proto) + (s.ports.size() == 1 ? " port " : " ports ") + portList(s.ports, 20)
        + " logged by the reporter's firewall between " + utc(source.firstSeen) + " and "
        + utc(source.lastSeen) + ".";
    if (s.ports.empty())
        description = formatCount(source.eventCount) + " " + core::protoName(s.proto)
            + " packets logged by the reporter's firewall between " + utc(source.firstSeen) + " and "
            + utc(source.lastSeen) + ".";
    if (!source.evidence.empty())
        description += " Evidence: " + core::sanitizeForDisplay(source.evidence) + ".";
    if (source.weakEvidence)
        description += " The source address may be forged: no completed connection was seen from it.";
    if (description.size() > 1000) description = description.substr(0, 997) + "...";
    j["description"] = core::toValidUtf8(description);
    j["tags"] = {std::string("tool:tattle"),
        std::string(source.weakEvidence ? "evidence:spoofable" : "evidence:direct")};

    if (options.includeEvidence && !source.logLines.empty()) {
        const std::vector<std::string> lines
            = excerptLines(source, options.limits, options.ownAddresses, options.ownAddressMask);
        const std::string payload = joinLines(lines);
        const std::uint64_t total = std::max<std::uint64_t>(source.totalLogLines, source.logLines.size());
        j["evidence"] = nlohmann::ordered_json::array({{
            {"content_type", "text/plain"},
            {"description",
                "Firewall log lines as the firewall wrote them (" + formatCount(lines.size()) + " of "
                    + formatCount(total) + ")"},
            {"payload", base64(payload)},
            {"hash", "sha256:" + sha256Hex(payload)},
            {"size", payload.size()},
        }});
    }
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Result<Attachment> xarfV4Attachment(const ReportedSource& source, XarfType type, const XarfOptions& options)
{
    auto json = xarfV4Json(source, type, options);
    if (!json) return std::unexpected(json.error());
    return Attachment {"xarf-" + fileSafe(source.address.toString()) + ".json", "application/json", "utf-8",
        std::move(*json)};
}

std::string xarf02Subject(const ReportedSource& source)
{
    return "abuse report about " + source.address.toString() + " - " + utc(source.lastSeen);
}

Result<std::string> xarf02Report(const ReportedSource& source, const XarfOptions& options)
{
    auto reporter = checkedParty(options.reporter, "X-ARF Reported-From");
    if (!reporter) return std::unexpected(reporter.error());
    const int port = mainTcpPort(source);
    const std::string_view service = loginServiceName(port);
    if (port < 0 || service.empty())
        return fail(ErrorKind::Usage,
            "X-ARF 0.2 can only report login attacks on a known login service (ssh, rdp, ftp, ...); "
            "use XARF v4 for "
                + source.address.toString() + ".");
    std::string y;
    auto field = [&](std::string_view key, std::string_view value) {
        y.append(key).append(": ").append(yamlScalar(value)).append("\n");
    };
    field("Reported-From", reporter->contact);
    field("Category", "abuse");
    field("Report-Type", "login-attack");
    field("Report-ID", makeUuidV4() + "@" + reporter->domain);
    field("Date", xarf02Date(source.firstSeen));
    field("Source", source.address.toString());
    field("Source-Type", source.address.isV4() ? "ipv4" : "ipv6");
    field("Port", std::to_string(port));
    field("Service", service);
    field("Occurrences", std::to_string(source.eventCount));
    field("Attachment", options.includeEvidence && !source.logLines.empty() ? "text/plain" : "none");
    field("Schema-URL", kLoginAttackSchema);
    field("User-Agent", std::string("tattle ") + TATTLE_VERSION);
    field("Version", "0.2");
    return y;
}

Result<void> makeXarf02Message(MailMessage& message, const ReportedSource& source, const XarfOptions& options)
{
    if (!message.attachments.empty())
        return fail(ErrorKind::Usage,
            "An X-ARF 0.2 message carries the report as its second part; add it "
            "before any other attachment.");
    auto report = xarf02Report(source, options);
    if (!report) return std::unexpected(report.error());
    message.extraHeaders.emplace_back("X-XARF", "PLAIN");
    message.extraHeaders.emplace_back("Auto-Submitted", "auto-generated");
    message.attachments.push_back({"report.txt", "text/plain", "utf-8", std::move(*report)});
    if (options.includeEvidence && !source.logLines.empty())
        message.attachments.push_back({"logs.txt", "text/plain", "utf-8",
            joinLines(excerptLines(source, options.limits, options.ownAddresses, options.ownAddressMask))});
    return {};
}

} // namespace tattle::reports
