// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/exports.h"

#include "core/event.h"
#include "core/resolver/address_space.h"
#include "core/text_util.h"
#include "reports/complaint.h"
#include "reports/csv_writer.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace tattle::reports {

namespace {

constexpr core::Micros kDay = 86'400 * core::kMicrosPerSecond;

std::string isoWithOffset(core::Micros t)
{
    std::string s = core::formatRfc3339(t);
    if (s.ends_with('Z')) s.replace(s.size() - 1, 1, "+00:00");
    return s;
}

std::string protoPort(int proto, int port)
{
    std::string s = core::protoName(proto);
    if (port >= 0) s += "/" + std::to_string(port);
    return s;
}

} // namespace

std::string tcpFlagLetters(std::uint8_t flags)
{
    std::string s;
    const std::pair<std::uint8_t, char> bits[] = {{core::tcpflag::kFin, 'F'}, {core::tcpflag::kSyn, 'S'},
        {core::tcpflag::kRst, 'R'}, {core::tcpflag::kPsh, 'P'}, {core::tcpflag::kAck, 'A'},
        {core::tcpflag::kUrg, 'U'}, {core::tcpflag::kEce, 'E'}, {core::tcpflag::kCwr, 'C'}};
    for (const auto& [bit, letter] : bits) {
        if (flags & bit) s += letter;
    }
    return s;
}

Result<std::vector<ExportSource>> collectExportSources(
    core::EventStore& store, const core::EventFilter& filter)
{
    core::ComplaintStore cs(store.database());
    std::vector<ExportSource> out;
    core::EvidenceCollector evidence;
    auto finish = [&] {
        if (!out.empty()) out.back().evidence = evidence.assess();
        evidence = {};
    };
    auto r = cs.forEachEvent(filter, [&](const core::ReportableEvent& e) {
        if (out.empty() || out.back().address != e.src) {
            finish();
            out.push_back({});
            out.back().address = e.src;
            out.back().firstSeen = e.time;
        }
        auto& s = out.back();
        ++s.events;
        s.firstSeen = std::min(s.firstSeen, e.time);
        s.lastSeen = std::max(s.lastSeen, e.time);
        const bool icmp = e.proto == core::proto::kIcmp || e.proto == core::proto::kIcmpV6;
        if (s.targets.size() < 1000) s.targets.insert({e.proto, icmp ? -1 : e.dstPort});
        if (s.categories.size() < 100) s.categories.insert(e.category);
        evidence.add(e.proto, e.allowed, e.hasTcpFlags, e.tcpFlags, e.dstPort, e.time);
        return true;
    });
    if (!r) return std::unexpected(r.error());
    finish();
    return out;
}

Result<std::int64_t> writeEventsCsv(
    std::ostream& out, core::EventStore& store, const core::EventFilter& filter)
{
    CsvWriter csv(out, true);
    csv.row({"id", "time", "action", "proto", "src", "src_port", "dst", "dst_port", "icmp_type", "icmp_code",
        "tcp_flags", "count", "category"});
    std::int64_t rows = 0;
    core::ComplaintStore cs(store.database());
    auto num = [&](int v) -> CsvWriter& { return v >= 0 ? csv.number(v) : csv.empty(); };
    auto r = cs.forEachEvent(filter, [&](const core::ReportableEvent& e) {
        csv.number(e.id).text(core::formatRfc3339(e.time)).text(e.allowed ? "allow" : "block");
        csv.text(core::protoName(e.proto)).text(e.src.toString());
        num(e.srcPort).text(e.dst.isValid() ? e.dst.toString() : std::string());
        num(e.dstPort);
        num(e.icmpType);
        num(e.icmpCode);
        csv.text(e.hasTcpFlags ? core::tcpFlagsText(e.tcpFlags) : std::string())
            .number(e.count)
            .text(e.category);
        csv.endRow();
        ++rows;
        return bool(out);
    });
    if (!r) return std::unexpected(r.error());
    return rows;
}

Result<std::int64_t> writeEventsJson(
    std::ostream& out, core::EventStore& store, const core::EventFilter& filter)
{
    std::int64_t rows = 0;
    core::ComplaintStore cs(store.database());
    std::string line;
    Error rawError;
    auto intOrNull = [&line](int v) {
        if (v >= 0)
            line += std::to_string(v);
        else
            line += "null";
    };
    auto r = cs.forEachEvent(filter, [&](const core::ReportableEvent& e) {
        line = "{\"id\":" + std::to_string(e.id) + ",\"time\":";
        core::appendJsonString(line, core::formatRfc3339(e.time));
        line += ",\"action\":";
        core::appendJsonString(line, e.allowed ? "allow" : "block");
        line += ",\"proto\":";
        core::appendJsonString(line, core::protoName(e.proto));
        line += ",\"src\":";
        core::appendJsonString(line, e.src.toString());
        line += ",\"src_port\":";
        intOrNull(e.srcPort);
        line += ",\"dst\":";
        if (e.dst.isValid())
            core::appendJsonString(line, e.dst.toString());
        else
            line += "null";
        line += ",\"dst_port\":";
        intOrNull(e.dstPort);
        line += ",\"icmp_type\":";
        intOrNull(e.icmpType);
        line += ",\"icmp_code\":";
        intOrNull(e.icmpCode);
        line += ",\"tcp_flags\":";
        if (e.hasTcpFlags)
            core::appendJsonString(line, core::tcpFlagsText(e.tcpFlags));
        else
            line += "null";
        line += ",\"count\":" + std::to_string(e.count) + ",\"category\":";
        core::appendJsonString(line, e.category);
        line += ",\"raw\":";
        auto raw = store.rawLine(e.id);
        if (raw)
            core::appendJsonString(line, *raw);
        else
            line += "null";
        line += "}\n";
        out << line;
        ++rows;
        return bool(out);
    });
    if (!r) return std::unexpected(r.error());
    return rows;
}

std::vector<int> abuseIpdbCategories(const ExportSource& source, const core::SignatureTable& signatures)
{
    std::set<int> cats {14};
    for (const auto& id : source.categories) {
        const int idx = signatures.find(id);
        const std::string group = idx >= 0 ? signatures.signature(std::uint16_t(idx)).group : std::string();
        if (id == "ssh") cats.insert(22);
        if (group == "iot" || id == "telnet" || id == "adb" || id == "tr-069") cats.insert(23);
        if (group == "windows" || group == "worm" || group == "database" || id == "rdp" || id == "vnc"
            || id == "winrm")
            cats.insert(15);
    }
    return {cats.begin(), cats.end()};
}

std::string abuseIpdbField(std::string_view text)
{
    const std::string clean = core::sanitizeForDisplay(text);
    if (clean.find_first_of(",\"\\") == std::string::npos && !clean.empty() && clean.front() != ' ')
        return clean;
    std::string out = "\"";
    for (char c : clean) {
        if (c == '"') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

AbuseIpdbAccount writeAbuseIpdbCsv(std::ostream& out, const std::vector<ExportSource>& sources,
    const core::SignatureTable& signatures, const core::ReportPolicy& policy, const AbuseIpdbOptions& o)
{
    AbuseIpdbAccount account;
    std::string data = "IP,Categories,ReportDate,Comment\r\n";
    const core::Micros oldest = o.now - core::Micros(o.maxAgeDays) * kDay;
    for (const auto& s : sources) {
        if (auto v = policy.check(s.address, "", "")) {
            ++account.leftOut[std::string(core::skipReasonName(v->reason))];
            continue;
        }
        if (s.lastSeen < oldest) {
            ++account.leftOut["older than " + std::to_string(o.maxAgeDays) + " days"];
            continue;
        }
        if (s.evidence.grade != core::EvidenceGrade::Strong) {
            const bool tcp = std::any_of(s.targets.begin(), s.targets.end(),
                [](const auto& t) { return t.first == core::proto::kTcp; });
            ++account.leftOut[tcp ? "no completed TCP connection (a blocked SYN may be forged)"
                                  : "no TCP (UDP/ICMP sender addresses are forged easily)"];
            continue;
        }
        if (std::size_t(account.rows) >= kAbuseIpdbMaxRows) {
            ++account.leftOut["more than 10,000 lines"];
            continue;
        }
        std::string comment = "Firewall log: " + formatCount(std::uint64_t(s.events)) + " connection"
            + (s.events == 1 ? "" : "s") + " from this address between " + core::formatRfc3339(s.firstSeen)
            + " and " + core::formatRfc3339(s.lastSeen) + " to ";
        std::size_t n = 0;
        for (const auto& [proto, port] : s.targets) {
            if (n++ == 20) {
                comment += " and " + std::to_string(s.targets.size() - 20) + " more";
                break;
            }
            comment += (n > 1 ? ", " : "") + protoPort(proto, port);
        }
        comment += ".";
        if (comment.size() > kAbuseIpdbCommentBytes) comment.resize(kAbuseIpdbCommentBytes);
        std::string cats;
        for (int c : abuseIpdbCategories(s, signatures))
            cats += (cats.empty() ? "" : ",") + std::to_string(c);
        std::string row = s.address.toString() + "," + abuseIpdbField(cats) + "," + isoWithOffset(s.firstSeen)
            + "," + abuseIpdbField(comment) + "\r\n";
        if (data.size() + row.size() >= kAbuseIpdbMaxBytes) {
            ++account.leftOut["over the 2 MB file limit"];
            continue;
        }
        data += row;
        ++account.rows;
    }
    out << data;
    return account;
}

Result<AbuseIpdbAccount> exportAbuseIpdb(std::ostream& out, core::EventStore& store,
    const core::EventFilter& filter, const core::SignatureTable& signatures, const core::ReportPolicy& policy,
    const AbuseIpdbOptions& options)
{
    core::EventFilter recent = filter;
    const core::Micros oldest = options.now - core::Micros(options.maxAgeDays) * kDay;
    recent.since = std::max(filter.since.value_or(oldest), oldest);
    auto all = collectExportSources(store, filter);
    if (!all) return std::unexpected(all.error());
    auto sources = collectExportSources(store, recent);
    if (!sources) return std::unexpected(sources.error());
    AbuseIpdbAccount account = writeAbuseIpdbCsv(out, *sources, signatures, policy, options);
    std::set<core::IpAddress> seen;
    for (const auto& s : *sources)
        seen.insert(s.address);
    std::int64_t older = 0;
    for (const auto& s : *all) {
        if (seen.contains(s.address)) continue;
        if (auto v = policy.check(s.address, "", ""))
            ++account.leftOut[std::string(core::skipReasonName(v->reason))];
        else
            ++older;
    }
    if (older) account.leftOut["older than " + std::to_string(options.maxAgeDays) + " days"] += older;
    return account;
}

Result<std::int64_t> writeDshieldLog(std::ostream& out, core::EventStore& store,
    const core::EventFilter& filter, const core::ReportPolicy& policy, std::int64_t userId,
    std::int64_t& skipped)
{
    core::ComplaintStore cs(store.database());
    std::int64_t lines = 0;
    skipped = 0;
    core::IpAddress lastSrc;
    bool lastRefused = false;
    std::string line;
    auto r = cs.forEachEvent(filter, [&](const core::ReportableEvent& e) {
        if (e.src != lastSrc) {
            lastSrc = e.src;
            lastRefused = policy.check(e.src, "", "").has_value();
        }
        if (lastRefused) {
            ++skipped;
            return true;
        }
        const auto t = core::civilFromMicros(e.time);
        char date[40];
        std::snprintf(date, sizeof date, "%04d-%02u-%02u %02u:%02u:%02u +00:00", t.year, t.month, t.day,
            t.hour, t.minute, t.second);
        const bool icmp = e.proto == core::proto::kIcmp || e.proto == core::proto::kIcmpV6;
        auto num = [](int v) { return v >= 0 ? std::to_string(v) : std::string(); };
        line = std::string(date) + "\t" + std::to_string(userId) + "\t" + std::to_string(e.count) + "\t"
            + e.src.toString() + "\t" + num(icmp ? e.icmpType : e.srcPort) + "\t"
            + (e.dst.isValid() ? e.dst.toString() : std::string()) + "\t" + num(icmp ? e.icmpCode : e.dstPort)
            + "\t" + (e.proto >= 0 ? std::to_string(e.proto) : std::string());
        if (e.proto == core::proto::kTcp)
            line += "\t" + (e.hasTcpFlags ? tcpFlagLetters(e.tcpFlags) : std::string());
        line += "\n";
        out << line;
        ++lines;
        return bool(out);
    });
    if (!r) return std::unexpected(r.error());
    return lines;
}

} // namespace tattle::reports
