// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/network_export.h"

#include "core/text_util.h"
#include "reports/csv_writer.h"
#include "reports/source_export.h"

#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

namespace tattle::reports {

namespace {

using core::resolver::ContactSource;
using core::resolver::SourceView;
using nlohmann::json;

std::string dump(const json& j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json orNull(const std::string& s)
{
    return s.empty() ? json() : json(s);
}

std::string lookupState(const SourceView* v)
{
    return v ? v->status : std::string("pending");
}

/// The network columns of one source, in the order the CSV writes them.
struct NetworkColumns {
    std::string network, name, org, country, asn, asName, registry, contact, contactSource, confidence, rdns,
        lookup;
};

NetworkColumns columnsOf(const SourceView* v)
{
    NetworkColumns c;
    c.lookup = lookupState(v);
    if (!v) return c;
    c.rdns = v->rdns;
    if (const auto& n = v->network) {
        c.network = n->info.range.toString();
        c.name = n->info.name;
        c.org = n->info.orgName;
        c.country = n->info.country;
        if (n->info.asn) c.asn = std::to_string(*n->info.asn);
        c.asName = n->info.asName;
        c.registry = n->info.registry;
    }
    if (!v->contact.email.empty()) {
        c.contact = v->contact.email;
        c.confidence = std::to_string(v->contact.confidence);
    }
    c.contactSource = std::string(contactSourceName(v->contact.source));
    return c;
}

std::string contactText(const core::resolver::AbuseContact& c)
{
    if (c.email.empty()) return "-";
    return c.email + " (" + std::string(contactSourceName(c.source)) + ")";
}

} // namespace

void writeSourcesWithNetworksJson(
    std::ostream& out, const std::vector<core::SourceSummary>& sources, const std::vector<SourceView>& views)
{
    // The summary's own keys come from its writer, so both stay the same by construction.
    std::ostringstream base;
    writeSourcesJson(base, sources);
    json array = json::parse(base.str(), nullptr, false);
    if (!array.is_array() || array.size() != sources.size()) array = json::array();
    out << '[';
    for (std::size_t i = 0; i < array.size(); ++i) {
        json& o = array[i];
        const SourceView* v = core::resolver::findView(views, sources[i].src);
        const NetworkColumns c = columnsOf(v);
        o["network"] = orNull(c.network);
        o["network_name"] = orNull(c.name);
        o["org"] = orNull(c.org);
        o["country"] = orNull(c.country);
        o["asn"] = v && v->network && v->network->info.asn ? json(*v->network->info.asn) : json();
        o["as_name"] = orNull(c.asName);
        o["registry"] = orNull(c.registry);
        o["abuse_contact"] = orNull(c.contact);
        o["contact_source"] = c.contactSource;
        o["contact_confidence"] = v && !v->contact.email.empty() ? json(v->contact.confidence) : json();
        o["rdns"] = orNull(c.rdns);
        o["lookup"] = c.lookup;
        if (v && (v->status == "special" || v->status == "failed")) o["lookup_reason"] = v->reason;
        out << (i ? ",\n" : "\n") << dump(o);
    }
    out << (array.empty() ? "]\n" : "\n]\n");
}

void writeSourcesWithNetworksCsv(std::ostream& out, const std::vector<core::SourceSummary>& sources,
    const std::vector<SourceView>& views, bool spreadsheetSafe)
{
    CsvWriter csv(out, spreadsheetSafe);
    csv.row({"src", "events", "blocked", "first_seen", "last_seen", "network", "network_name", "org",
        "country", "asn", "as_name", "registry", "abuse_contact", "contact_source", "contact_confidence",
        "rdns", "lookup"});
    for (const auto& s : sources) {
        const NetworkColumns c = columnsOf(core::resolver::findView(views, s.src));
        csv.text(s.src.toString()).number(s.events).number(s.blocked);
        csv.text(core::formatRfc3339(s.firstSeen)).text(core::formatRfc3339(s.lastSeen));
        csv.text(c.network).text(c.name).text(c.org).text(c.country).text(c.asn).text(c.asName).text(
            c.registry);
        csv.text(c.contact).text(c.contactSource).text(c.confidence).text(c.rdns).text(c.lookup);
        csv.endRow();
    }
}

void writeSourcesWithNetworksTable(std::ostream& out, const std::vector<core::SourceSummary>& sources,
    const std::vector<SourceView>& views, std::size_t limit)
{
    out << std::left << std::setw(40) << "SOURCE" << std::right << std::setw(9) << "EVENTS"
        << "  " << std::left << std::setw(34) << "NETWORK" << std::setw(10) << "AS" << std::setw(4) << "CC"
        << "ABUSE CONTACT (SOURCE)\n";
    std::size_t n = 0;
    for (const auto& s : sources) {
        if (limit && n++ >= limit) {
            out << "... " << sources.size() - limit << " more sources (use --limit 0 for all)\n";
            break;
        }
        const SourceView* v = core::resolver::findView(views, s.src);
        std::string network = "-", as = "-", cc = "-";
        if (v && v->network) {
            network = v->network->info.range.toString();
            if (!v->network->info.name.empty()) network += " " + v->network->info.name;
            if (v->network->info.asn) as = "AS" + std::to_string(*v->network->info.asn);
            if (!v->network->info.country.empty()) cc = v->network->info.country;
        } else if (v) {
            network = "(" + v->status + ")";
        } else {
            network = "(not looked up)";
        }
        if (network.size() > 33) network = network.substr(0, 32) + "~";
        out << std::left << std::setw(40) << s.src.toString() << std::right << std::setw(9) << s.events
            << "  " << std::left << std::setw(34) << core::sanitizeForDisplay(network) << std::setw(10) << as
            << std::setw(4) << cc << core::sanitizeForDisplay(v ? contactText(v->contact) : "-") << '\n';
    }
}

void writeGroupsJson(std::ostream& out, const std::vector<core::resolver::SourceGroup>& groups)
{
    out << '[';
    bool first = true;
    for (const auto& g : groups) {
        json o;
        o["key"] = orNull(g.key);
        o["label"] = g.label;
        o["events"] = g.events;
        o["addresses"] = g.addresses;
        const core::resolver::AbuseContact best
            = g.contacts.empty() ? core::resolver::AbuseContact {} : g.contacts.front();
        o["abuse_contact"] = orNull(best.email);
        o["contact_source"] = contactSourceName(best.source);
        json contacts = json::array();
        for (const auto& c : g.contacts)
            contacts.push_back(
                {{"email", c.email}, {"source", contactSourceName(c.source)}, {"confidence", c.confidence}});
        o["contacts"] = std::move(contacts);
        json networks = json::array();
        for (const auto& ng : g.networks) {
            json n;
            const auto* info = ng.network ? &ng.network->info : nullptr;
            n["network"] = info ? json(info->range.toString()) : json();
            n["name"] = info ? orNull(info->name) : json();
            n["org"] = info ? orNull(info->orgName) : json();
            n["country"] = info ? orNull(info->country) : json();
            n["asn"] = info && info->asn ? json(*info->asn) : json();
            n["as_name"] = info ? orNull(info->asName) : json();
            n["registry"] = info ? orNull(info->registry) : json();
            n["abuse_contact"] = orNull(ng.contact.email);
            n["contact_source"] = contactSourceName(ng.contact.source);
            n["events"] = ng.events;
            json srcs = json::array();
            for (const auto& s : ng.sources) {
                srcs.push_back({{"src", s.address}, {"addresses", s.members.size()}, {"events", s.events},
                    {"blocked", s.blocked}, {"first_seen", core::formatRfc3339(s.firstSeen)},
                    {"last_seen", core::formatRfc3339(s.lastSeen)}});
            }
            n["sources"] = std::move(srcs);
            networks.push_back(std::move(n));
        }
        o["networks"] = std::move(networks);
        out << (first ? "\n" : ",\n") << dump(o);
        first = false;
    }
    out << (first ? "]\n" : "\n]\n");
}

void writeGroupsCsv(
    std::ostream& out, const std::vector<core::resolver::SourceGroup>& groups, bool spreadsheetSafe)
{
    CsvWriter csv(out, spreadsheetSafe);
    csv.row({"key", "label", "abuse_contact", "contact_source", "network", "network_name", "src", "addresses",
        "events", "first_seen", "last_seen"});
    for (const auto& g : groups) {
        for (const auto& ng : g.networks) {
            for (const auto& s : ng.sources) {
                csv.text(g.key)
                    .text(g.label)
                    .text(ng.contact.email)
                    .text(contactSourceName(ng.contact.source));
                csv.text(ng.network ? ng.network->info.range.toString() : std::string());
                csv.text(ng.network ? ng.network->info.name : std::string());
                csv.text(s.address).number(std::int64_t(s.members.size())).number(s.events);
                csv.text(core::formatRfc3339(s.firstSeen)).text(core::formatRfc3339(s.lastSeen));
                csv.endRow();
            }
        }
    }
}

void writeGroupsText(
    std::ostream& out, const std::vector<core::resolver::SourceGroup>& groups, std::size_t limit)
{
    std::size_t n = 0;
    for (const auto& g : groups) {
        if (limit && n++ >= limit) {
            out << "... " << groups.size() - limit << " more groups (use --limit 0 for all)\n";
            break;
        }
        std::string head = g.key.empty() ? "(" + g.label + ")" : g.key;
        if (!g.key.empty() && !g.label.empty() && g.label != g.key) head += "  " + g.label;
        out << core::sanitizeForDisplay(head) << "\n  " << g.events << " events from " << g.addresses
            << (g.addresses == 1 ? " source" : " sources") << "; abuse contact: ";
        if (g.contacts.empty()) out << "none known";
        for (std::size_t i = 0; i < g.contacts.size(); ++i)
            out << (i ? ", " : "") << core::sanitizeForDisplay(contactText(g.contacts[i]));
        out << '\n';
        for (const auto& ng : g.networks) {
            std::string net = ng.network ? ng.network->info.range.toString() : std::string("(no network)");
            if (ng.network && !ng.network->info.name.empty()) net += " " + ng.network->info.name;
            if (ng.network && ng.network->info.asn) net += " AS" + std::to_string(*ng.network->info.asn);
            if (ng.network && !ng.network->info.country.empty()) net += " " + ng.network->info.country;
            out << "  " << core::sanitizeForDisplay(net) << '\n';
            for (const auto& s : ng.sources) {
                out << "    " << std::left << std::setw(42) << s.address << std::right << std::setw(9)
                    << s.events << " events";
                if (s.members.size() > 1) out << " (" << s.members.size() << " addresses)";
                out << '\n';
            }
        }
    }
}

void writeResolveReport(std::ostream& out, const core::resolver::ResolveReport& r)
{
    out << "Sources: " << r.sources << " (" << r.resolved << " resolved, " << r.fromCache
        << " of them from the cache; " << r.special << " special-purpose, never looked up; " << r.failed
        << " failed";
    if (r.cancelled) out << "; " << r.cancelled << " not handled: cancelled";
    out << ")\n";
    for (const auto& [kind, count] : r.specialKinds)
        out << "  special: " << kind << ": " << count << '\n';
    out << "Networks: " << r.networks << " (" << r.newNetworks << " fetched now)";
    if (r.referrals) out << ", " << r.referrals << " WHOIS referrals followed";
    out << '\n';
    if (!r.contactSources.empty()) {
        out << "Abuse contacts per network:";
        bool first = true;
        for (const auto& [source, count] : r.contactSources) {
            out << (first ? " " : ", ") << source << " " << count;
            first = false;
        }
        out << '\n';
    }
    if (r.withoutContact) out << "Sources without an abuse contact: " << r.withoutContact << '\n';
    out << "Queries: " << r.totalQueries();
    if (r.sources) {
        std::ostringstream perSource;
        perSource << std::fixed << std::setprecision(3) << double(r.registryQueries()) / double(r.sources);
        out << " (" << perSource.str() << " registry queries per source)";
    }
    out << '\n';
    for (const auto& [server, count] : r.queriesPerServer)
        out << "  " << core::sanitizeForDisplay(server) << ": " << count << '\n';
    if (r.dnsQueries) out << "  DNS (Abusix): " << r.dnsQueries << '\n';
    if (r.reverseDnsNames) out << "Reverse DNS names: " << r.reverseDnsNames << '\n';
    if (r.failed) {
        out << "Failures:";
        bool first = true;
        for (const auto& [kind, count] : r.failureKinds) {
            out << (first ? " " : ", ") << kind << " " << count;
            first = false;
        }
        out << '\n';
        constexpr std::size_t kShown = 10;
        for (std::size_t i = 0; i < r.failures.size() && i < kShown; ++i)
            out << "  " << r.failures[i].source.toString() << ": "
                << core::sanitizeForDisplay(r.failures[i].reason) << '\n';
        if (r.failed > kShown) out << "  ... " << r.failed - kShown << " more\n";
    }
    for (const auto& n : r.notes)
        out << "Note: " << core::sanitizeForDisplay(n) << '\n';
    out << "Time: " << std::fixed << std::setprecision(1) << double(r.elapsed.count()) / 1000.0 << " s\n";
}

} // namespace tattle::reports
