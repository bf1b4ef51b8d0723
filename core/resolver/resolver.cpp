// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/resolver.h"

#include "core/resolver/address_space.h"
#include "core/resolver/cache.h"
#include "core/resolver/contacts.h"
#include "core/resolver/rdap_parser.h"
#include "core/resolver/registry_map.h"
#include "core/resolver/whois_lookup.h"
#include "core/store/event_store.h"

#include <algorithm>
#include <set>
#include <vector>

namespace tattle::core::resolver {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxFailuresListed = 100;
constexpr std::size_t kWritesPerCommit = 500;
/// Consecutive timeouts (or connection failures) after which a server is skipped for the rest of a run.
constexpr int kDownAfter = 2;

Micros systemNow()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Micros toMicros(std::chrono::seconds s)
{
    return Micros(s.count()) * kMicrosPerSecond;
}

std::string timeText(Micros t)
{
    std::string s = formatRfc3339(t);
    return s;
}

/// The registry id for an RDAP URL's host, for answers that came from another registry's server.
std::string_view registryOfRdapHost(std::string_view host)
{
    struct Known {
        std::string_view host, id;
    };
    static constexpr Known kKnown[] = {{"rdap.arin.net", "arin"}, {"rdap.db.ripe.net", "ripe"},
        {"rdap.apnic.net", "apnic"}, {"rdap.lacnic.net", "lacnic"}, {"rdap.afrinic.net", "afrinic"}};
    for (const auto& k : kKnown)
        if (host == k.host) return k.id;
    return {};
}

} // namespace

std::size_t ResolveReport::registryQueries() const
{
    std::size_t n = 0;
    for (const auto& [server, count] : queriesPerServer)
        if (server != WhoisClient::kCymruHost) n += count;
    return n;
}

std::size_t ResolveReport::totalQueries() const
{
    std::size_t n = dnsQueries;
    for (const auto& [server, count] : queriesPerServer)
        n += count;
    return n;
}

/// A network fetched in this run, waiting for its AS number and contacts to be completed.
struct Fetched {
    std::int64_t id = 0;
    IpAddress lookup;
    NetworkInfo info;
};

struct Resolver::Impl {
    Impl(EventStore& store_, const RegistryMap& registries_, const PlaceholderList* placeholders_,
        const ResolverOptions& o_)
        : store(store_)
        , registries(registries_)
        , placeholders(placeholders_)
        , o(o_)
        , cache(store_.database())
        , whois(o_.whois, o_.endpoints)
        , dns(o_.dns)
    {
        if (!o.now)
            clock = systemNow;
        else
            clock = o.now;
        limiter.setBackoff(o.initialBackoff, o.maxBackoff);
        for (const auto& [server, interval] : o.intervals) {
            if (server.empty())
                limiter.setDefaultInterval(interval);
            else
                limiter.setInterval(server, interval);
        }
    }

    EventStore& store;
    const RegistryMap& registries;
    const PlaceholderList* placeholders;
    const ResolverOptions& o;
    NetworkCache cache;
    RateLimiter limiter;
    WhoisClient whois;
    std::optional<HttpClient> http;
    DnsClient dns;
    std::function<Micros()> clock;
    bool stopsLoaded = false;

    // State of one run.
    ResolveReport* report = nullptr;
    const ResolveControl* control = nullptr;
    std::optional<sql::Transaction> tx;
    std::size_t writes = 0;
    std::set<std::string> notesSeen;
    std::map<std::string, int> timeouts; // consecutive, per server
    struct LastNetwork {
        std::int64_t id;
        IpRange range;
    };
    std::optional<LastNetwork> last;
    std::vector<Fetched> fetched;
    std::map<std::int64_t, std::size_t> sourcesPerNetwork;
    std::size_t done = 0, total = 0;

    Micros now() const { return clock(); }

    HttpClient& client()
    {
        if (!http) http.emplace(o.http, o.rdapBases);
        return *http;
    }

    void note(std::string text)
    {
        if (notesSeen.insert(text).second) report->notes.push_back(std::move(text));
    }

    void write()
    {
        if (!tx) tx.emplace(store.database());
        if (++writes >= kWritesPerCommit) commit();
    }

    void commit()
    {
        if (tx) tx->commit();
        tx.reset();
        writes = 0;
    }

    std::size_t queriesSent() const
    {
        std::size_t n = report->dnsQueries;
        for (const auto& [s, c] : report->queriesPerServer)
            n += c;
        return n;
    }

    void progress(std::string_view stage)
    {
        if (control && control->progress) control->progress({done, total, queriesSent(), stage});
    }

    bool cancelled() const { return control && control->cancel && control->cancel->load(); }

    void loadStops()
    {
        if (stopsLoaded) return;
        stopsLoaded = true;
        const Micros t = now();
        for (const auto& s : cache.activeStops(t)) {
            limiter.reportRateLimited(s.server, std::chrono::microseconds(s.until - t));
            note(s.server + " asked tattle to slow down earlier (" + s.reason + "); it is not asked before "
                + timeText(s.until) + ".");
        }
    }

    /// The server rate-limited us: stop asking it, here and in later runs.
    void stopServer(
        const std::string& server, std::optional<std::chrono::seconds> retryAfter, std::string why)
    {
        limiter.reportRateLimited(server,
            retryAfter ? std::optional<RateLimiter::Duration>(*retryAfter)
                       : std::optional<RateLimiter::Duration>());
        const auto until = limiter.stoppedUntil(server);
        const Micros untilWall = now()
            + (until ? std::chrono::duration_cast<std::chrono::microseconds>(*until - SteadyClock::now())
                           .count()
                     : 0);
        try {
            cache.saveStop({server, untilWall, limiter.consecutiveStops(server), why});
        } catch (const sql::DbError&) {
            // The stop still holds for this run; only its memory across runs is lost.
        }
        note(server + " asked tattle to slow down (" + why + "); it is not asked again before "
            + timeText(untilWall) + ".");
    }

    bool isDown(const std::string& server) const
    {
        const auto it = timeouts.find(server);
        return it != timeouts.end() && it->second >= kDownAfter;
    }

    void recordOutcome(const std::string& server, const Result<void>& outcome)
    {
        if (outcome) {
            timeouts[server] = 0;
            return;
        }
        const ErrorKind k = outcome.error().kind;
        if (k == ErrorKind::Timeout || k == ErrorKind::Io) {
            if (++timeouts[server] == kDownAfter)
                note(server + " did not answer " + std::to_string(kDownAfter)
                    + " times in a row; it is skipped for the rest of this run.");
        }
    }

    /// Waits for the server's turn. Errors: RateLimited (stopped), Timeout (waited too long), or the
    /// server is down for this run.
    Result<RateLimiter::Permit> turn(const std::string& server)
    {
        if (isDown(server))
            return fail(ErrorKind::Timeout, server + " is skipped: it did not answer earlier in this run.");
        auto permit = limiter.acquire(server, o.maxRateWait);
        if (!permit && permit.error().kind == ErrorKind::RateLimited) {
            const auto until = limiter.stoppedUntil(server);
            const Micros untilWall = now()
                + (until ? std::chrono::duration_cast<std::chrono::microseconds>(*until - SteadyClock::now())
                               .count()
                         : 0);
            return fail(ErrorKind::RateLimited,
                server + " asked tattle to slow down; it is not asked before " + timeText(untilWall) + ".");
        }
        return permit;
    }

    void countQuery(const std::string& server)
    {
        ++report->queriesPerServer[server];
        progress("networks");
    }

    Result<std::pair<NetworkInfo, std::string>> rdapFetch(std::string_view base, const IpAddress& a)
    {
        const std::string url = std::string(base) + "ip/" + a.toString();
        std::string server = RateLimiter::serverKey(url);
        auto permit = turn(server);
        if (!permit) return std::unexpected(permit.error());
        commit(); // never hold the database's write lock while waiting on the network
        countQuery(server);
        // Each server of a redirect chain (ARIN's RDAP sends RIPE's addresses to RIPE) is a query there:
        // it waits for its own turn, counts, and is the one stopped when it says "slow down".
        std::vector<RateLimiter::Permit> hopPermits;
        auto resp = client().get(url, [&](std::string_view next) -> Result<void> {
            const std::string nextServer = RateLimiter::serverKey(next);
            if (nextServer == server) return {};
            recordOutcome(server, {});
            auto hop = turn(nextServer);
            if (!hop) return std::unexpected(hop.error());
            server = nextServer;
            countQuery(server);
            hopPermits.push_back(std::move(*hop));
            return {};
        });
        permit->release();
        hopPermits.clear();
        if (!resp) {
            recordOutcome(server, std::unexpected(resp.error()));
            return fail(resp.error().kind, "RDAP " + url + ": " + resp.error().message);
        }
        recordOutcome(server, {});
        if (auto e = resp->statusError()) {
            if (e->kind == ErrorKind::RateLimited) stopServer(server, resp->retryAfter, "HTTP 429");
            return fail(e->kind, "RDAP " + url + ": " + e->message);
        }
        auto parsed = parseRdapNetwork(
            resp->body, {.maxBytes = kDefaultMaxAnswerBytes, .placeholders = placeholders});
        if (!parsed) {
            if (parsed.error().kind == ErrorKind::RateLimited)
                stopServer(server, resp->retryAfter, "rate-limit notice");
            return fail(parsed.error().kind, "RDAP " + url + ": " + parsed.error().message);
        }
        limiter.reportSuccess(server);
        NetworkInfo info = std::move(*parsed);
        if (info.registry.empty()) info.registry = std::string(registryOfRdapHost(server));
        info.server = url;
        if (resp->redirects > 0) info.server += " (redirected)";
        std::string raw = "% tattle: RDAP answer of " + url + "\n" + resp->body;
        return std::pair {std::move(info), std::move(raw)};
    }

    Result<std::pair<NetworkInfo, std::string>> whoisFetch(std::string_view host, const IpAddress& a)
    {
        const WhoisTransport transport
            = [this](std::string_view h, std::string_view query, std::uint16_t port) -> Result<std::string> {
            const std::string server = RateLimiter::serverKey(h);
            auto permit = turn(server);
            if (!permit) return std::unexpected(permit.error());
            commit();
            auto answer = whois.query(h, query, port);
            countQuery(server);
            permit->release();
            if (!answer) {
                recordOutcome(server, std::unexpected(answer.error()));
                if (answer.error().kind == ErrorKind::RateLimited)
                    stopServer(server, std::nullopt, "its answer refused the query");
                return std::unexpected(answer.error());
            }
            recordOutcome(server, {});
            limiter.reportSuccess(server);
            return answer;
        };
        WhoisLookupOptions wo;
        wo.maxReferrals = o.maxReferrals;
        wo.placeholders = placeholders;
        wo.rateLimited = [this](std::string_view h) {
            stopServer(RateLimiter::serverKey(h), std::nullopt, "its answer refused the query");
        };
        auto res = whoisLookup(a, host, transport, wo);
        if (!res) return fail(res.error().kind, "WHOIS " + std::string(host) + ": " + res.error().message);
        if (res->chain.size() > 1) report->referrals += res->chain.size() - 1;
        for (auto& n : res->notes)
            note(std::move(n));
        NetworkInfo info = std::move(*res->network);
        if (info.registry.empty() && !res->chain.empty())
            info.registry = std::string(registryOfWhoisHost(res->chain.back()));
        return std::pair {std::move(info), std::move(res->raw)};
    }

    /// LACNIC's RDAP answers some queries with a "network" of just the address asked about (handle and
    /// both ends the query), which would cache nothing for the neighbours: every other source of that
    /// network would be one more query at the strictest registry. Its WHOIS gives the real inetnum; that
    /// range is taken (and WHOIS's contacts when RDAP gave none). A WHOIS failure keeps the RDAP answer.
    void widenFromWhois(std::string_view host, const IpAddress& a, std::pair<NetworkInfo, std::string>& rdap)
    {
        auto w = whoisFetch(host, a);
        if (!w || !w->first.range.valid() || !w->first.range.contains(a)
            || (w->first.range.first == w->first.range.last))
            return;
        NetworkInfo& info = rdap.first;
        info.range = w->first.range;
        if (info.abuse.empty()) info.abuse = std::move(w->first.abuse);
        if (!info.asn) info.asn = w->first.asn;
        rdap.second
            += "\n% tattle: the RDAP network is a single address; its range is from WHOIS:\n" + w->second;
    }

    Result<std::pair<NetworkInfo, std::string>> fetch(const IpAddress& a)
    {
        const auto reg = registries.find(a);
        if (!reg)
            return fail(ErrorKind::NotFound,
                "No registry holds " + a.toString() + " (unallocated or reserved space): nothing to ask.");
        std::vector<Error> errors;
        if (o.useRdap) {
            const std::string_view base = reg->rdapBaseUrl();
            if (base.empty()) {
                errors.push_back({ErrorKind::NotFound,
                    "The registry " + std::string(reg->registry) + " has no RDAP service."});
            } else {
                auto r = rdapFetch(base, a);
                if (r && r->first.range.first == r->first.range.last && o.useWhois && !reg->whoisHost.empty())
                    widenFromWhois(reg->whoisHost, a, *r);
                if (r) return r;
                errors.push_back(r.error());
            }
        }
        if (o.useWhois) {
            if (reg->whoisHost.empty()) {
                errors.push_back({ErrorKind::NotFound,
                    "The registry " + std::string(reg->registry) + " has no WHOIS server."});
            } else {
                auto r = whoisFetch(reg->whoisHost, a);
                if (r) return r;
                errors.push_back(r.error());
            }
        }
        if (errors.empty())
            return fail(ErrorKind::Usage, "Both RDAP and WHOIS are turned off: nothing to ask.");
        // The most telling kind: a stop or a timeout says more than the "not found" of a fallback.
        ErrorKind kind = errors.back().kind;
        for (auto k : {ErrorKind::RateLimited, ErrorKind::Timeout, ErrorKind::Io}) {
            if (std::any_of(errors.begin(), errors.end(), [&](const Error& e) { return e.kind == k; })) {
                kind = k;
                break;
            }
        }
        std::string msg;
        for (const auto& e : errors)
            msg += (msg.empty() ? "" : " ") + e.message;
        return fail(kind, msg);
    }

    void failSource(const IpAddress& src, const IpAddress& lookup, const Error& e)
    {
        ++report->failed;
        ++report->failureKinds[std::string(errorKindName(e.kind))];
        if (report->failures.size() < kMaxFailuresListed)
            report->failures.push_back({src, e.kind, e.message});
        cache.linkSource({src, lookup, std::nullopt, "failed", e.message, std::nullopt, now()});
        write();
    }

    void linkResolved(const IpAddress& src, const IpAddress& lookup, std::int64_t id)
    {
        ++report->resolved;
        ++sourcesPerNetwork[id];
        cache.linkSource({src, lookup, id, "resolved", {}, std::nullopt, now()});
        write();
    }

    void resolveOne(const IpAddress& src, const IpAddress& lookup)
    {
        // Sources come in address order: most fall in the network the previous one did.
        if (last && last->range.contains(lookup)) {
            ++report->fromCache;
            linkResolved(src, lookup, last->id);
            return;
        }
        const Micros t = now();
        const auto hit = cache.find(lookup);
        if (hit && (!hit->expired(t) || o.offline)) {
            if (hit->failed) {
                const auto row = cache.network(hit->id);
                Error e = row && row->failure ? *row->failure : Error {ErrorKind::NotFound, "failed"};
                e.message = "Failed at " + timeText(row ? row->fetchedAt : t) + ", not asked again before "
                    + timeText(hit->expiresAt) + ": " + e.message;
                ++report->fromCache;
                failSource(src, lookup, e);
                return;
            }
            ++report->fromCache;
            last = LastNetwork {hit->id, hit->range};
            linkResolved(src, lookup, hit->id);
            return;
        }
        if (o.offline) {
            failSource(src, lookup,
                {ErrorKind::NotFound,
                    hit ? "The cached answer expired at " + timeText(hit->expiresAt)
                            + " (--offline: not asked again)."
                        : std::string("Not in the cache (--offline: nothing is asked).")});
            return;
        }
        auto r = fetch(lookup);
        if (r && !r->first.range.contains(lookup))
            r = fail(ErrorKind::BadResponse,
                "The answer's network " + r->first.range.toString() + " does not contain " + lookup.toString()
                    + ".");
        if (!r) {
            // A stop is about tattle, not the network: nothing is cached, and the next run asks again.
            if (r.error().kind != ErrorKind::RateLimited && r.error().kind != ErrorKind::Usage) {
                cache.storeFailure(IpRange {lookup, lookup}, r.error(), "", t, toMicros(o.failureTtl));
                write();
            }
            failSource(src, lookup, r.error());
            return;
        }
        NetworkInfo& info = r->first;
        // An expired network the registry now draws differently would stay the most specific match and be
        // asked about again on every run: the new answer replaces it.
        if (hit && !hit->failed && hit->range != info.range) {
            cache.removeNetwork(hit->id);
            write();
        }
        const std::int64_t id
            = cache.storeNetwork(info, info.asn ? (info.server.starts_with("http") ? "rdap" : "whois") : "",
                t, toMicros(o.successTtl), r->second);
        write();
        ++report->newNetworks;
        last = LastNetwork {id, info.range};
        fetched.push_back({id, lookup, std::move(info)});
        linkResolved(src, lookup, id);
    }

    /// AS numbers (and names) from Team Cymru for the networks fetched without them: one connection per
    /// batch of addresses, never one query per address.
    void completeAsns()
    {
        std::vector<Fetched*> need;
        for (auto& f : fetched)
            if (!f.info.asn || f.info.asName.empty() || f.info.country.empty()) need.push_back(&f);
        const std::string server(WhoisClient::kCymruHost);
        for (std::size_t begin = 0; begin < need.size() && !cancelled(); begin += o.cymruBatch) {
            const std::size_t end = std::min(need.size(), begin + std::max<std::size_t>(1, o.cymruBatch));
            std::vector<IpAddress> addresses;
            for (std::size_t i = begin; i < end; ++i)
                addresses.push_back(need[i]->lookup);
            auto permit = turn(server);
            if (!permit) {
                note("No AS numbers from Team Cymru: " + permit.error().message);
                return;
            }
            auto answer = whois.cymruBulk(addresses);
            countQuery(server);
            permit->release();
            if (!answer) {
                recordOutcome(server, std::unexpected(answer.error()));
                if (answer.error().kind == ErrorKind::RateLimited)
                    stopServer(server, std::nullopt, "its answer refused the query");
                note("No AS numbers from Team Cymru: " + answer.error().message);
                return;
            }
            std::map<IpAddress, AsnRecord> byAddress;
            for (auto& rec : parseAsnAnswer(*answer))
                byAddress.emplace(rec.address, std::move(rec));
            for (std::size_t i = begin; i < end; ++i) {
                Fetched& f = *need[i];
                const auto it = byAddress.find(f.lookup);
                if (it == byAddress.end()) continue;
                const AsnRecord& rec = it->second;
                if (rec.asn && !f.info.asn) {
                    f.info.asn = rec.asn;
                    f.info.asName = rec.asName;
                    cache.updateAsn(f.id, *rec.asn, rec.asName, "cymru");
                    write();
                } else if (rec.asn && f.info.asn == rec.asn && f.info.asName.empty() && !rec.asName.empty()) {
                    f.info.asName = rec.asName;
                    cache.updateAsn(
                        f.id, *rec.asn, rec.asName, f.info.server.starts_with("http") ? "rdap" : "whois");
                    write();
                }
                if (f.info.country.empty() && !rec.country.empty()) {
                    f.info.country = rec.country;
                    cache.updateCountry(f.id, rec.country);
                    write();
                }
            }
            progress("as numbers");
        }
    }

    /// Contacts where the registries gave none, or only a weak one (an address in a remark): the Abusix DNS
    /// zone, then abuse@ the network's domain (RFC 2142) when there is nothing at all.
    void completeContacts()
    {
        int dnsTimeouts = 0;
        bool abusixHeld = false;
        const std::string abusixServer = RateLimiter::serverKey(o.abusixZone);
        for (auto& f : fetched) {
            if (cancelled()) return;
            const bool weak
                = f.info.abuse.empty() || f.info.abuse.front().confidence < confidence::kAbuseLocalPart;
            if (!weak) continue;
            std::vector<AbuseContact> found;
            if (o.useAbusix && dnsTimeouts < kDownAfter && !abusixHeld) {
                const std::string name = DnsClient::reverseName(f.lookup, o.abusixZone);
                // The zone is a server like the registries: its queries keep to its rate limit.
                auto permit = turn(abusixServer);
                Result<std::vector<std::string>> txt = std::unexpected(Error {});
                if (permit) {
                    txt = dns.txt(name);
                    permit->release();
                    ++report->dnsQueries;
                } else {
                    note("The Abusix zone is not asked again in this run: " + permit.error().message);
                    abusixHeld = true;
                }
                if (!permit) {
                    // no answer to read
                } else if (!txt) {
                    if (txt.error().kind == ErrorKind::Timeout && ++dnsTimeouts == kDownAfter)
                        note("The DNS server did not answer about the Abusix zone twice; it is not asked "
                             "again in "
                             "this run.");
                } else {
                    dnsTimeouts = 0;
                    ContactCollector collect(placeholders, ContactSource::AbusixDns);
                    for (const auto& record : *txt) {
                        std::string_view rest = record;
                        while (!rest.empty()) {
                            const auto sep = rest.find_first_of(", ;");
                            collect.add(rest.substr(0, sep), confidence::kAbusixDns);
                            rest = sep == std::string_view::npos ? std::string_view {} : rest.substr(sep + 1);
                        }
                    }
                    found = collect.take();
                }
            }
            if (found.empty() && f.info.abuse.empty() && o.guessDomain && !f.info.domain.empty()) {
                ContactCollector collect(placeholders, ContactSource::DomainGuess);
                collect.add("abuse@" + f.info.domain, confidence::kDomainGuess);
                found = collect.take();
            }
            if (found.empty()) continue;
            // The new contacts rank above the weak ones the registry gave, which stay behind them.
            for (auto& c : f.info.abuse)
                found.push_back(std::move(c));
            f.info.abuse = std::move(found);
            cache.updateContacts(f.id, f.info.abuse);
            write();
            progress("contacts");
        }
    }

    std::optional<std::string> reverseLookup(const IpAddress& a) const
    {
        if (o.reverseLookup) return o.reverseLookup(a);
        if (o.dns.server) {
            auto r = dns.ptr(a);
            if (!r) return std::nullopt;
            return *r;
        }
        return ReverseDnsPool::systemLookup(a);
    }

    void summarise()
    {
        const auto overrides = cache.overrides();
        report->networks = sourcesPerNetwork.size();
        for (const auto& [id, count] : sourcesPerNetwork) {
            const auto n = cache.network(id);
            if (!n) continue;
            std::string_view source = contactSourceName(n->bestContact().source);
            if (findOverride(overrides, n->info.range, n->info.asn))
                source = contactSourceName(ContactSource::UserOverride);
            else if (n->info.abuse.empty())
                report->withoutContact += count;
            ++report->contactSources[std::string(source)];
        }
    }

    ResolveReport run(std::span<const IpAddress> given)
    {
        loadStops();
        std::vector<IpAddress> sources(given.begin(), given.end());
        if (sources.empty()) sources = cache.eventSources();
        std::sort(sources.begin(), sources.end());
        sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
        report->sources = sources.size();
        total = sources.size();

        struct Item {
            IpAddress lookup, src;
            bool operator<(const Item& other) const
            {
                return lookup != other.lookup ? lookup < other.lookup : src < other.src;
            }
        };
        std::vector<Item> items;
        items.reserve(sources.size());
        for (const auto& src : sources) {
            if (const auto look = lookupAddress(src)) {
                items.push_back({*look, src});
                continue;
            }
            // Special-purpose space belongs to no ISP: say which kind it is instead of asking anyone.
            const AddressClass c = classify(src);
            std::string kind(c.name);
            if (c.kind == AddressKind::SixToFour || c.kind == AddressKind::Teredo
                || c.kind == AddressKind::Public) {
                const auto inner = embeddedIpv4(src);
                kind += inner ? ", carrying " + std::string(classify(*inner).name) + " " + inner->toString()
                              : std::string();
            }
            ++report->special;
            ++report->specialKinds[kind];
            cache.linkSource({src, std::nullopt, std::nullopt, "special", kind + ": never looked up",
                std::nullopt, now()});
            write();
            ++done;
        }
        std::sort(items.begin(), items.end());

        std::optional<ReverseDnsPool> pool;
        if (o.reverseDns && !o.offline && !items.empty()) {
            std::vector<IpAddress> want;
            std::set<IpAddress> named;
            for (const auto& l : cache.sourceLinks())
                if (l.rdns) named.insert(l.src);
            for (const auto& it : items)
                if (!named.contains(it.src)) want.push_back(it.src);
            if (!want.empty()) {
                pool.emplace([this](const IpAddress& a) { return reverseLookup(a); }, o.reverseDnsThreads,
                    o.reverseDnsTimeout);
                pool->start(std::move(want));
            }
        }

        for (std::size_t i = 0; i < items.size(); ++i) {
            if (cancelled()) {
                report->wasCancelled = true;
                report->cancelled = items.size() - i;
                break;
            }
            resolveOne(items[i].src, items[i].lookup);
            ++done;
            progress("networks");
        }
        commit();
        if (!o.offline && !report->wasCancelled) {
            if (o.useCymru) completeAsns();
            completeContacts();
        }
        commit();
        if (pool) {
            if (report->wasCancelled) pool->cancel();
            progress("reverse dns");
            for (const auto& [src, name] : pool->finish()) {
                cache.setReverseDns(src, name);
                write();
                if (!name.empty()) ++report->reverseDnsNames;
            }
        }
        summarise();
        commit();
        return std::move(*report);
    }
};

Resolver::Resolver(EventStore& store, const RegistryMap& registries, const PlaceholderList* placeholders,
    ResolverOptions options)
    : m_options(std::move(options))
{
    m_impl = std::make_unique<Impl>(store, registries, placeholders, m_options);
}

Resolver::~Resolver() = default;

RateLimiter& Resolver::rateLimiter() noexcept
{
    return m_impl->limiter;
}

Result<ResolveReport> Resolver::resolve(std::span<const IpAddress> sources, const ResolveControl& control)
{
    const auto started = SteadyClock::now();
    ResolveReport report;
    Impl& impl = *m_impl;
    impl.report = &report;
    impl.control = &control;
    impl.writes = 0;
    impl.notesSeen.clear();
    impl.last.reset();
    impl.fetched.clear();
    impl.sourcesPerNetwork.clear();
    impl.done = impl.total = 0;
    try {
        ResolveReport out = impl.run(sources);
        out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
        impl.report = nullptr;
        impl.control = nullptr;
        return out;
    } catch (const sql::DbError& e) {
        impl.tx.reset();
        impl.report = nullptr;
        impl.control = nullptr;
        return fail(ErrorKind::Database, std::string("The resolver cannot use the database: ") + e.what());
    }
}

} // namespace tattle::core::resolver
