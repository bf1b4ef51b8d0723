// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/complaint.h"

#include "core/event.h"
#include "core/text_util.h"
#include "reports/mime_message.h"

#include <algorithm>
#include <limits>

namespace tattle::reports {

namespace {

constexpr std::size_t kWidth = 72;

std::string utc(core::Micros t)
{
    // Whole seconds: desks compare with their own logs, sub-second digits only add noise.
    return core::formatRfc3339(t / core::kMicrosPerSecond * core::kMicrosPerSecond);
}

std::string day(core::Micros t)
{
    return utc(t).substr(0, 10);
}

std::string upper(std::string s)
{
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return s;
}

/// "TCP port 445", "ICMP type 8", "UDP" (no port logged).
std::string target(const ProbeGroup& p)
{
    std::string name = upper(core::protoName(p.proto));
    if (p.proto == core::proto::kIcmp || p.proto == core::proto::kIcmpV6)
        return p.icmpType >= 0 ? name + " type " + std::to_string(p.icmpType) : name;
    return p.dstPort >= 0 ? name + " port " + std::to_string(p.dstPort) : name;
}

/// "source port 5353", "source ports 51000, 51001", "1,100 different source ports (49152-61000)".
std::string sourcePortsText(const ProbeGroup& p)
{
    if (p.sourcePorts.empty()) return {};
    std::vector<int> ports = p.sourcePorts;
    std::sort(ports.begin(), ports.end());
    ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
    const std::uint64_t distinct = std::max<std::uint64_t>(p.distinctSourcePorts, ports.size());
    if (distinct <= 5 && ports.size() == distinct) {
        std::string out = ports.size() == 1 ? "source port " : "source ports ";
        for (std::size_t i = 0; i < ports.size(); ++i)
            out += (i ? ", " : "") + std::to_string(ports[i]);
        return out;
    }
    return formatCount(distinct) + " different source ports (" + std::to_string(ports.front()) + "-"
        + std::to_string(ports.back()) + ")";
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) out += ", ";
        out += item;
    }
    return out;
}

/// A log line fit for an e-mail: one line, valid UTF-8, bounded.
std::string excerptLine(
    std::string_view line, const std::vector<std::string>& own, std::string_view mask, std::size_t maxChars)
{
    std::string text = core::sanitizeForDisplay(line);
    if (!mask.empty()) text = maskAddresses(text, own, mask);
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    if (text.size() > maxChars) {
        std::size_t cut = maxChars;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut;
        text.resize(cut);
        text += "...";
    }
    return text;
}

bool addressChar(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':';
}

TemplateValues probeValues(const ProbeGroup& p, const Complaint& c)
{
    TemplateValues v;
    std::vector<std::string> destinations;
    for (const std::string& d : p.destinations)
        destinations.push_back(c.ownAddressMask.empty()
                ? core::sanitizeForDisplay(d)
                : maskAddresses(core::sanitizeForDisplay(d), c.ownAddresses, c.ownAddressMask));
    v.set("protocol", upper(core::protoName(p.proto)))
        .set("port",
            p.dstPort >= 0 ? std::to_string(p.dstPort) : (p.icmpType >= 0 ? std::to_string(p.icmpType) : ""))
        .set("service", core::sanitizeForDisplay(p.service))
        .set("meaning", core::sanitizeForDisplay(p.meaning))
        .set("count", formatCount(p.count))
        .set("first_seen", utc(p.firstSeen))
        .set("last_seen", utc(p.lastSeen))
        .set("source_ports", sourcePortsText(p))
        .set("destinations", joined(destinations));
    return v;
}

std::string probeSummary(const ReportedSource& s, const Complaint& c, const ExcerptLimits& limits)
{
    std::vector<const ProbeGroup*> probes;
    for (const ProbeGroup& p : s.probes)
        probes.push_back(&p);
    std::stable_sort(probes.begin(), probes.end(),
        [](const ProbeGroup* a, const ProbeGroup* b) { return a->count > b->count; });
    std::string out;
    std::size_t shown = 0;
    std::uint64_t restCount = 0, restGroups = 0;
    for (const ProbeGroup* p : probes) {
        if (shown == limits.probesPerSource) {
            restCount += p->count;
            ++restGroups;
            continue;
        }
        ++shown;
        const TemplateValues v = probeValues(*p, c);
        // Service names from the signature table already say "(TCP 445)".
        std::string line = "- " + (p->service.empty() ? target(*p) : v.text.at("service"));
        line += ": " + v.text.at("count") + (p->count == 1 ? " time" : " times");
        if (p->count == 1 || p->firstSeen == p->lastSeen)
            line += " at " + v.text.at("first_seen");
        else
            line += " from " + v.text.at("first_seen") + " to " + v.text.at("last_seen");
        if (!v.text.at("source_ports").empty()) line += ", from " + v.text.at("source_ports");
        if (!v.text.at("destinations").empty()) line += ", to " + v.text.at("destinations");
        line += ".";
        if (!out.empty()) out += "\n";
        out += wrapText(line, kWidth, "", "  ");
        if (!p->meaning.empty()) out += "\n" + wrapText(v.text.at("meaning"), kWidth, "  ", "  ");
    }
    if (restGroups > 0) {
        if (!out.empty()) out += "\n";
        out += wrapText("- and " + formatCount(restCount) + " more attempts at " + formatCount(restGroups)
                + " other ports.",
            kWidth, "", "  ");
    }
    return out;
}

} // namespace

std::string formatCount(std::uint64_t n)
{
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

std::string wrapText(
    std::string_view text, std::size_t width, std::string_view firstIndent, std::string_view restIndent)
{
    std::string out(firstIndent);
    std::size_t lineLength = firstIndent.size();
    bool lineEmpty = true;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view word = text.substr(start, end - start);
        start = end + 1;
        if (word.empty()) continue;
        if (!lineEmpty && lineLength + 1 + word.size() > width) {
            out += "\n";
            out += restIndent;
            lineLength = restIndent.size();
            lineEmpty = true;
        }
        if (!lineEmpty) {
            out += ' ';
            ++lineLength;
        }
        out += word;
        lineLength += word.size();
        lineEmpty = false;
    }
    return out;
}

std::vector<std::string> excerptLines(const ReportedSource& source, const ExcerptLimits& limits,
    const std::vector<std::string>& ownAddresses, std::string_view mask)
{
    std::vector<std::string> lines;
    const std::size_t shown = std::min(source.logLines.size(), limits.linesPerSource);
    lines.reserve(shown);
    for (std::size_t i = 0; i < shown; ++i)
        lines.push_back(excerptLine(source.logLines[i], ownAddresses, mask, limits.lineChars));
    return lines;
}

std::string maskAddresses(
    std::string_view text, const std::vector<std::string>& addresses, std::string_view mask)
{
    std::string out(text);
    for (const std::string& address : addresses) {
        if (address.empty()) continue;
        std::size_t pos = 0;
        while ((pos = out.find(address, pos)) != std::string::npos) {
            const std::size_t end = pos + address.size();
            const bool startOk = pos == 0 || !(addressChar(out[pos - 1]) || out[pos - 1] == '.');
            // A following "." ends the address unless a digit follows it (198.51.100.2 in 198.51.100.23 or
            // 198.51.100.2.5 is not a match).
            const bool endOk = end == out.size()
                || (!addressChar(out[end])
                    && !(out[end] == '.' && end + 1 < out.size() && out[end + 1] >= '0'
                        && out[end + 1] <= '9'));
            if (startOk && endOk) {
                out.replace(pos, address.size(), mask);
                pos += mask.size();
            } else {
                pos = end;
            }
        }
    }
    return out;
}

std::string complaintSubject(const Complaint& c)
{
    core::Micros first = std::numeric_limits<core::Micros>::max(),
                 last = std::numeric_limits<core::Micros>::min();
    for (const ReportedSource& s : c.sources) {
        first = std::min(first, s.firstSeen);
        last = std::max(last, s.lastSeen);
    }
    if (c.sources.empty()) return "Unsolicited connection attempts from your network";
    std::string subject = "Unsolicited connection attempts from ";
    if (c.sources.size() == 1) {
        subject += c.sources[0].address.toString();
        if (!c.sources[0].asn.empty()) subject += " (" + core::sanitizeForDisplay(c.sources[0].asn) + ")";
    } else {
        subject += formatCount(c.sources.size()) + " addresses in your network";
    }
    subject += ", " + day(first);
    if (day(last) != day(first)) subject += " to " + day(last);
    return subject;
}

TemplateValues complaintValues(const Complaint& c, const ExcerptLimits& limits)
{
    TemplateValues v;
    core::Micros first = std::numeric_limits<core::Micros>::max(),
                 last = std::numeric_limits<core::Micros>::min();
    std::uint64_t events = 0;
    bool anyWeak = false;
    std::vector<TemplateValues> sources;
    for (const ReportedSource& s : c.sources) {
        first = std::min(first, s.firstSeen);
        last = std::max(last, s.lastSeen);
        events += s.eventCount;
        anyWeak = anyWeak || s.weakEvidence;

        TemplateValues sv;
        const std::string network = core::sanitizeForDisplay(s.network);
        const std::string asn = core::sanitizeForDisplay(s.asn);
        const std::string asName = core::sanitizeForDisplay(s.asName);
        std::string networkLine;
        if (!network.empty() || !asn.empty()) {
            networkLine = "Network: " + network;
            if (!asn.empty()) networkLine += (network.empty() ? "" : ", ") + asn;
            if (!asName.empty()) networkLine += " " + asName;
        }
        std::vector<TemplateValues> probes;
        for (const ProbeGroup& p : s.probes)
            probes.push_back(probeValues(p, c));
        std::vector<TemplateValues> lines;
        std::string excerpt;
        const std::vector<std::string> shownLines = excerptLines(s, limits, c.ownAddresses, c.ownAddressMask);
        const std::size_t shown = shownLines.size();
        for (const std::string& line : shownLines) {
            if (!excerpt.empty()) excerpt += "\n";
            excerpt += line;
            lines.push_back(TemplateValues {}.set("line", line));
        }
        const std::uint64_t total = std::max<std::uint64_t>(s.totalLogLines, s.logLines.size());
        std::string note;
        if (total > shown)
            note = formatCount(shown) + " of " + formatCount(total) + " lines shown; the others are alike";
        sv.set("address", s.address.toString())
            .set("network", network)
            .set("asn", asn)
            .set("as_name", asName)
            .set("network_line", networkLine)
            .set("first_seen", utc(s.firstSeen))
            .set("last_seen", utc(s.lastSeen))
            .set("event_count", formatCount(s.eventCount))
            .set("evidence", core::sanitizeForDisplay(s.evidence))
            .set("weak", s.weakEvidence ? "yes" : "")
            .set("probe_summary", probeSummary(s, c, limits))
            .set("log_excerpt", excerpt)
            .set("log_excerpt_note", note)
            .setList("probes", std::move(probes))
            .setList("log_lines", std::move(lines));
        sources.push_back(std::move(sv));
    }
    if (c.sources.empty()) first = last = c.createdAt;

    const std::string name = core::sanitizeForDisplay(c.reporter.name);
    const std::string organisation = core::sanitizeForDisplay(c.reporter.organisation);
    const std::string email = core::sanitizeForDisplay(c.reporter.email);
    std::string signature = name;
    for (const std::string& part : {organisation, email})
        if (!part.empty()) signature += (signature.empty() ? "" : "\n") + part;
    const std::string contact = neutraliseHeaderText(c.contactName, 200);

    v.set("subject", complaintSubject(c))
        .set("contact_name", contact.empty() ? "abuse team" : contact)
        .set("contact_email", core::sanitizeForDisplay(c.contactEmail))
        .set("source_count", formatCount(c.sources.size()))
        .set("source_summary",
            c.sources.size() == 1 ? "the address " + c.sources[0].address.toString()
                                  : formatCount(c.sources.size()) + " addresses")
        .set("event_count", formatCount(events))
        .set("first_seen", utc(first))
        .set("last_seen", utc(last))
        .set("report_time", utc(c.createdAt))
        .set("reporter_name", name)
        .set("reporter_email", email)
        .set("reporter_organisation", organisation)
        .set("reporter_signature", signature)
        .set("reporter_time_zone",
            c.reporter.timeZone.empty() ? "UTC" : core::sanitizeForDisplay(c.reporter.timeZone))
        .set("clock", core::sanitizeForDisplay(c.reporter.clock))
        .set("any_weak", anyWeak ? "yes" : "")
        .setList("sources", std::move(sources));
    return v;
}

Result<RenderedComplaint> renderComplaint(
    const Template& tmpl, const Complaint& complaint, const ExcerptLimits& limits)
{
    auto text = tmpl.render(complaintValues(complaint, limits));
    if (!text) return std::unexpected(text.error());
    RenderedComplaint out;
    std::string_view body = *text;
    if (body.starts_with("Subject:")) {
        const std::size_t end = body.find('\n');
        out.subject = neutraliseHeaderText(
            body.substr(8, end == std::string_view::npos ? body.npos : end - 8), kMaxSubjectChars);
        body = end == std::string_view::npos ? std::string_view {} : body.substr(end + 1);
    } else {
        out.subject = complaintSubject(complaint);
    }
    out.body = std::string(body);
    return out;
}

} // namespace tattle::reports
