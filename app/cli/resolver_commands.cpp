// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/resolver_commands.h"

#include "core/resolver/cache.h"
#include "core/resolver/contacts.h"
#include "core/resolver/grouping.h"
#include "core/resolver/http_client.h"
#include "core/resolver/registry_files.h"
#include "core/resolver/resolver.h"
#include "core/resources.h"
#include "core/settings.h"
#include "core/text_util.h"
#include "reports/network_export.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sysexits.h>
#include <unistd.h>

namespace tattle::cli {

namespace {

namespace resolver = core::resolver;

void error(const std::string& message)
{
    std::cerr << "tattle: " << core::sanitizeForDisplay(message) << '\n';
}

int exitCodeFor(const Error& e)
{
    switch (e.kind) {
    case ErrorKind::Io:
        return EX_IOERR;
    case ErrorKind::Usage:
        return EX_USAGE;
    case ErrorKind::Config:
        return EX_CONFIG;
    case ErrorKind::Database:
        return EX_CANTCREAT;
    case ErrorKind::Timeout:
    case ErrorKind::RateLimited:
        return EX_TEMPFAIL;
    case ErrorKind::NotFound:
    case ErrorKind::BadResponse:
        return EX_UNAVAILABLE;
    default:
        return EX_SOFTWARE;
    }
}

core::Micros nowMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Ctrl-C stops a lookup between two queries, keeping what it found.
std::atomic<bool> g_interrupted {false};
extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

/// A progress line on stderr, drawn only when stderr is a terminal.
class Progress {
public:
    Progress()
        : m_enabled(isatty(STDERR_FILENO) == 1)
    {
    }
    ~Progress() { done(); }
    void update(const resolver::ResolveProgress& p)
    {
        if (!m_enabled) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - m_last < std::chrono::milliseconds(100)) return;
        m_last = now;
        const int pct = p.total ? int(std::min<std::size_t>(100, p.done * 100 / p.total)) : 100;
        std::cerr << "\rLooking up [" << std::string(std::size_t(pct / 4), '#')
                  << std::string(std::size_t(25 - pct / 4), ' ') << "] " << p.done << "/" << p.total
                  << " sources, " << p.queries << " queries (" << p.stage << ")\033[K" << std::flush;
        m_drawn = true;
    }
    void done()
    {
        if (m_drawn) std::cerr << "\r\033[K" << std::flush;
        m_drawn = false;
    }

private:
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last {};
};

/// "AS64500", "as64500" or "64500" as an AS number; a CIDR block, a "first - last" range or an address as
/// a range.
Result<std::variant<resolver::IpRange, std::uint32_t>> parseTarget(const std::string& text)
{
    std::string_view t = text;
    if (t.size() > 2 && (t[0] == 'A' || t[0] == 'a') && (t[1] == 'S' || t[1] == 's')) t.remove_prefix(2);
    if (!t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos && t.size() <= 10) {
        const unsigned long long v = std::stoull(std::string(t));
        if (v <= 0xFFFFFFFFull) return std::uint32_t(v);
    }
    if (auto r = resolver::IpRange::parse(text)) return *r;
    return fail(ErrorKind::Usage,
        "'" + text
            + "' is neither a network (192.0.2.0/24, 192.0.2.0 - 192.0.2.127, an address) nor an AS number.");
}

std::string describe(const resolver::SourceView* v)
{
    if (!v) return "not looked up";
    if (v->status != "resolved" || !v->network) return v->status + ": " + v->reason;
    const auto& n = v->network->info;
    std::string s = n.range.toString();
    if (!n.name.empty()) s += " " + n.name;
    if (!n.orgName.empty()) s += " (" + n.orgName + ")";
    if (!n.country.empty()) s += ", " + n.country;
    if (n.asn) s += ", AS" + std::to_string(*n.asn) + (n.asName.empty() ? "" : " " + n.asName);
    if (!v->rdns.empty()) s += ", " + v->rdns;
    s += "; abuse contact: ";
    if (v->contact.email.empty())
        s += "none known";
    else
        s += v->contact.email + " (" + std::string(contactSourceName(v->contact.source)) + ", confidence "
            + std::to_string(v->contact.confidence) + ")";
    return s;
}

} // namespace

void ResolverCommands::add(CLI::App& app, CLI::App* sources)
{
    m_lookup = app.add_subcommand("lookup",
        "Find the network, organisation, AS and abuse contact of every source not yet resolved (or of the "
        "ADDRESSes given)");
    m_lookup->add_flag("--offline", m_offline, "Answer from the cache only; send nothing");
    m_lookup->add_option(
        "--endpoint", m_endpoints, "Send WHOIS queries for HOST elsewhere: HOST=ADDR:PORT (repeatable)");
    m_lookup->add_option("--rdap-base", m_rdapBases, "Rewrite an RDAP base URL: FROM=TO (repeatable)");
    m_lookup->add_flag("--no-rdap", m_noRdap, "Ask WHOIS only");
    m_lookup->add_flag("--no-whois", m_noWhois, "Ask RDAP only");
    m_lookup->add_flag("--no-cymru", m_noCymru, "Do not ask Team Cymru for missing AS numbers");
    m_lookup->add_flag("--no-abusix", m_noAbusix, "Do not ask the Abusix DNS zone for missing contacts");
    m_lookup->add_flag("--no-guess", m_noGuess, "Do not guess abuse@ the network's domain");
    m_lookup->add_flag("--no-rdns", m_noRdns, "Do not look up reverse DNS names");
    m_lookup->add_option("--dns", m_dns, "DNS server for the Abusix zone and reverse DNS: ADDR[:PORT]");
    m_lookup->add_option("--rate", m_rates,
        "Minimum interval per server: SERVER=RATE or RATE for all (6/min, 1/s, 10s, 500ms; repeatable)");
    m_lookup->add_option("--timeout", m_timeout, "Seconds a query may take (default 30)")
        ->check(CLI::Range(0.1, 600.0));
    m_lookup->add_option("addresses", m_addresses, "Addresses to look up (default: every stored source)");

    m_contact = app.add_subcommand("contact", "Set the abuse contact of a network or an AS yourself");
    m_contact->require_subcommand(1);
    m_contactSet = m_contact->add_subcommand("set", "Use EMAIL for the sources in NETWORK or AS");
    m_contactSet->add_option("target", m_target, "A network (CIDR, range or address) or an AS (AS64500)")
        ->required();
    m_contactSet->add_option("email", m_email, "The abuse contact")->required();
    m_contactUnset = m_contact->add_subcommand("unset", "Forget the contact set for NETWORK or AS");
    m_contactUnset->add_option("target", m_target, "The network or AS given to `contact set`")->required();
    m_contactList = m_contact->add_subcommand("list", "List the contacts you set");
    m_contactList->add_flag("--json", m_contactJson, "One JSON array");

    m_update = app.add_subcommand("update-registries",
        "Download IANA's current RDAP bootstrap files (which registry holds which addresses) into your data "
        "folder");
    m_update->add_option("--rdap-base", m_rdapBases, "Rewrite a base URL: FROM=TO (repeatable)");

    sources
        ->add_option("--by", m_by,
            "Add what the lookup found and group: ip (each source with its network and contact), network, "
            "asn, "
            "isp, contact")
        ->check(CLI::IsMember({"ip", "network", "asn", "isp", "contact"}));
    sources
        ->add_option("--ipv6-prefix", m_ipv6Prefix,
            "IPv6 sources in one prefix of this length count as one "
            "(with --by network|asn|isp|contact; default 64)")
        ->check(CLI::Range(1, 128));
}

bool ResolverCommands::parsed() const
{
    return m_lookup->parsed() || m_contact->parsed() || m_update->parsed();
}

int ResolverCommands::run(const OpenStore& openStore)
{
    if (m_lookup->parsed()) return runLookup(openStore);
    if (m_contact->parsed()) return runContact(openStore);
    if (m_update->parsed()) return runUpdateRegistries();
    return EX_USAGE;
}

int ResolverCommands::runLookup(const OpenStore& openStore)
{
    // The settings (useRdap, useWhois) turn a registry protocol off like --no-rdap/--no-whois do.
    if (auto s = core::loadSettings(core::defaultSettingsPath())) {
        m_noRdap = m_noRdap || !s->useRdap;
        m_noWhois = m_noWhois || !s->useWhois;
    }
    if (m_noRdap && m_noWhois) {
        error(
            "--no-rdap and --no-whois (or the settings useRdap and useWhois) together leave nothing to ask.");
        return EX_USAGE;
    }
    resolver::ResolverOptions o;
    o.offline = m_offline;
    o.useRdap = !m_noRdap;
    o.useWhois = !m_noWhois;
    o.useCymru = !m_noCymru;
    o.useAbusix = !m_noAbusix;
    o.guessDomain = !m_noGuess;
    o.reverseDns = !m_noRdns;
    for (const auto& e : m_endpoints) {
        if (auto r = o.endpoints.add(e); !r) {
            error(r.error().message);
            return EX_USAGE;
        }
    }
    for (const auto& b : m_rdapBases) {
        if (auto r = o.rdapBases.add(b); !r) {
            error(r.error().message);
            return EX_USAGE;
        }
    }
    for (const auto& rate : m_rates) {
        const auto eq = rate.find('=');
        const std::string server = eq == std::string::npos ? std::string() : rate.substr(0, eq);
        auto interval
            = resolver::RateLimiter::parseRate(eq == std::string::npos ? rate : rate.substr(eq + 1));
        if (!interval) {
            error(interval.error().message);
            return EX_USAGE;
        }
        o.intervals.emplace_back(resolver::RateLimiter::serverKey(server), *interval);
        if (server.empty()) o.intervals.back().first.clear();
    }
    if (!m_dns.empty()) {
        auto server = resolver::WhoisEndpoint::parse(m_dns);
        if (!server) {
            error("--dns: '" + m_dns + "' is not ADDR or ADDR:PORT.");
            return EX_USAGE;
        }
        if (m_dns.find(':') == std::string::npos || m_dns.back() == ']') server->port = 53;
        o.dns.server = *server;
    }
    if (m_timeout > 0) {
        const auto t = std::chrono::milliseconds(std::int64_t(m_timeout * 1000));
        o.whois.connectTimeout = std::min(o.whois.connectTimeout, t);
        o.whois.readTimeout = std::min(o.whois.readTimeout, t);
        o.whois.totalTimeout = t;
        o.http.connectTimeout = std::min(o.http.connectTimeout, t);
        o.http.totalTimeout = t;
        o.http.lowSpeedTime
            = std::max(std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(t));
        o.dns.timeout = std::min(o.dns.timeout, t);
        o.reverseDnsTimeout = std::min(o.reverseDnsTimeout, t);
    }
    std::vector<core::IpAddress> addresses;
    for (const auto& a : m_addresses) {
        auto ip = core::IpAddress::parse(a);
        if (!ip) {
            error("'" + a + "' is not an IPv4 or IPv6 address.");
            return EX_USAGE;
        }
        addresses.push_back(*ip);
    }

    auto res = core::resourcesDir();
    if (!res) {
        error(res.error().message);
        return EX_CONFIG;
    }
    std::vector<std::string> notes;
    auto registries = resolver::loadRegistries(*res / "iana", core::userDataDir(), &notes);
    if (!registries) {
        error(registries.error().message);
        return EX_CONFIG;
    }
    auto placeholders = resolver::PlaceholderList::load(*res / "abuse-placeholders.json");
    if (!placeholders) {
        error(placeholders.error().message);
        return EX_CONFIG;
    }
    auto store = openStore();
    if (!store) {
        error(store.error().message);
        return EX_CANTCREAT;
    }

    resolver::Resolver r(*store, *registries, &*placeholders, std::move(o));
    Progress bar;
    resolver::ResolveControl control;
    control.progress = [&bar](const resolver::ResolveProgress& p) { bar.update(p); };
    control.cancel = &g_interrupted;
    auto previous = std::signal(SIGINT, onInterrupt);
    auto report = r.resolve(addresses, control);
    std::signal(SIGINT, previous);
    bar.done();
    if (!report) {
        error(report.error().message);
        return exitCodeFor(report.error());
    }
    if (!addresses.empty()) {
        try {
            resolver::NetworkCache cache(store->database());
            const auto views = resolver::loadSourceViews(cache);
            for (const auto& a : addresses)
                std::cout << a.toString() << ": "
                          << core::sanitizeForDisplay(describe(resolver::findView(views, a))) << '\n';
        } catch (const core::sql::DbError& e) {
            error(std::string("Cannot read the results: ") + e.what());
            return EX_SOFTWARE;
        }
    }
    for (const auto& n : notes)
        std::cerr << "Note: " << core::sanitizeForDisplay(n) << '\n';
    reports::writeResolveReport(std::cerr, *report);
    if (report->wasCancelled) return 130;
    return report->failed ? EX_TEMPFAIL : 0;
}

int ResolverCommands::runContact(const OpenStore& openStore)
{
    auto store = openStore();
    if (!store) {
        error(store.error().message);
        return EX_CANTCREAT;
    }
    try {
        resolver::NetworkCache cache(store->database());
        if (m_contactList->parsed()) {
            const auto list = cache.overrides();
            if (m_contactJson) {
                nlohmann::json a = nlohmann::json::array();
                for (const auto& o : list)
                    a.push_back({{"target", o.targetText()}, {"email", o.email},
                        {"set_at", core::formatRfc3339(o.createdAt)}});
                std::cout << a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            } else {
                for (const auto& o : list)
                    std::cout << o.targetText() << '\t' << core::sanitizeForDisplay(o.email) << '\t'
                              << core::formatRfc3339(o.createdAt) << '\n';
            }
            return 0;
        }
        auto target = parseTarget(m_target);
        if (!target) {
            error(target.error().message);
            return EX_USAGE;
        }
        resolver::ContactOverride shown {0, *target, {}, 0};
        if (m_contactUnset->parsed()) {
            if (!cache.removeOverride(*target)) {
                error("No contact was set for " + shown.targetText() + ".");
                return EX_DATAERR;
            }
            std::cout << "The contact set for " << shown.targetText() << " is forgotten.\n";
            return 0;
        }
        const auto email = resolver::cleanEmail(m_email);
        if (!email) {
            error("'" + m_email + "' is not an e-mail address.");
            return EX_USAGE;
        }
        cache.setOverride(*target, *email, nowMicros());
        std::cout << "Abuse contact for " << shown.targetText() << ": " << *email << '\n';
        return 0;
    } catch (const core::sql::DbError& e) {
        error(std::string("Database: ") + e.what());
        return EX_CANTCREAT;
    }
}

int ResolverCommands::runUpdateRegistries()
{
    resolver::RdapBaseRewrites rewrites;
    for (const auto& b : m_rdapBases) {
        if (auto r = rewrites.add(b); !r) {
            error(r.error().message);
            return EX_USAGE;
        }
    }
    auto res = core::resourcesDir();
    if (!res) {
        error(res.error().message);
        return EX_CONFIG;
    }
    resolver::HttpOptions options;
    options.accept = "application/json";
    resolver::HttpClient http(options, rewrites);
    auto update = resolver::updateRegistries(http, *res / "iana", core::userDataDir());
    if (!update) {
        error(update.error().message);
        return exitCodeFor(update.error());
    }
    for (const auto& f : update->files)
        std::cout << core::sanitizeForDisplay(f) << '\n';
    std::cout << "Registry blocks: " << update->ipv4Ranges << " IPv4, " << update->ipv6Ranges << " IPv6, "
              << update->asnRanges << " AS number ranges\n"
              << "Saved in " << update->dir.string() << '\n';
    return 0;
}

int ResolverCommands::writeSources(core::EventStore& store, const std::vector<core::SourceSummary>& rows,
    bool json, bool csv, std::size_t limit)
{
    try {
        resolver::NetworkCache cache(store.database());
        const auto views = resolver::loadSourceViews(cache);
        if (m_by == "ip") {
            if (json)
                reports::writeSourcesWithNetworksJson(std::cout, rows, views);
            else if (csv)
                reports::writeSourcesWithNetworksCsv(std::cout, rows, views, false);
            else
                reports::writeSourcesWithNetworksTable(std::cout, rows, views, limit);
            return std::cout.good() ? 0 : EX_IOERR;
        }
        const resolver::GroupBy by = m_by == "network" ? resolver::GroupBy::Network
            : m_by == "asn"                            ? resolver::GroupBy::Asn
            : m_by == "isp"                            ? resolver::GroupBy::Isp
                                                       : resolver::GroupBy::Contact;
        resolver::GroupingOptions options;
        options.ipv6Prefix = m_ipv6Prefix;
        const auto groups = resolver::groupSources(rows, views, by, options);
        if (json)
            reports::writeGroupsJson(std::cout, groups);
        else if (csv)
            reports::writeGroupsCsv(std::cout, groups, false);
        else
            reports::writeGroupsText(std::cout, groups, limit);
        return std::cout.good() ? 0 : EX_IOERR;
    } catch (const core::sql::DbError& e) {
        error(std::string("Cannot read the resolved networks: ") + e.what());
        return EX_CANTCREAT;
    }
}

} // namespace tattle::cli
