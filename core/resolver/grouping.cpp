// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/grouping.h"

#include "core/resolver/ip_math.h"

#include <algorithm>
#include <map>

namespace tattle::core::resolver {

std::vector<SourceView> loadSourceViews(NetworkCache& cache)
{
    const auto overrides = cache.overrides();
    std::map<std::int64_t, std::shared_ptr<const CachedNetwork>> networks;
    std::vector<SourceView> views;
    for (auto& link : cache.sourceLinks()) {
        SourceView v;
        v.src = link.src;
        v.status = std::move(link.status);
        v.reason = std::move(link.reason);
        v.rdns = link.rdns.value_or("");
        if (link.networkId && v.status == "resolved") {
            auto it = networks.find(*link.networkId);
            if (it == networks.end()) {
                auto n = cache.network(*link.networkId);
                it = networks
                         .emplace(*link.networkId,
                             n && !n->failure ? std::make_shared<const CachedNetwork>(std::move(*n))
                                              : nullptr)
                         .first;
            }
            v.network = it->second;
        }
        // An override applies to the sources inside its range, whatever network the registry drew.
        const IpRange range {v.src, v.src};
        const auto asn = v.network ? v.network->info.asn : std::nullopt;
        if (const ContactOverride* o = findOverride(overrides, range, asn))
            v.contact = {o->email, ContactSource::UserOverride, 100};
        else if (v.network)
            v.contact = v.network->bestContact();
        views.push_back(std::move(v));
    }
    std::sort(
        views.begin(), views.end(), [](const SourceView& a, const SourceView& b) { return a.src < b.src; });
    return views;
}

const SourceView* findView(const std::vector<SourceView>& views, const IpAddress& src)
{
    const auto it = std::lower_bound(
        views.begin(), views.end(), src, [](const SourceView& v, const IpAddress& a) { return v.src < a; });
    return it != views.end() && it->src == src ? &*it : nullptr;
}

std::string groupedAddress(const IpAddress& a, int ipv6Prefix)
{
    if (!a.isV6() || ipv6Prefix >= 128 || ipv6Prefix < 1) return a.toString();
    const IpAddress base = ipmath::withHostBits(a, ipv6Prefix, false);
    return base.toString() + "/" + std::to_string(ipv6Prefix);
}

namespace {

std::string keyOf(const SourceView* v, GroupBy by)
{
    const CachedNetwork* n = v ? v->network.get() : nullptr;
    switch (by) {
    case GroupBy::Network:
        return n ? n->info.range.toString() : std::string();
    case GroupBy::Asn:
        return n && n->info.asn ? "AS" + std::to_string(*n->info.asn) : std::string();
    case GroupBy::Isp:
        if (!n) return {};
        if (!n->info.orgName.empty()) return n->info.orgName;
        if (!n->info.asName.empty()) return n->info.asName;
        return n->info.name;
    case GroupBy::Contact:
        return v ? v->contact.email : std::string();
    }
    return {};
}

std::string labelOf(const SourceView* v, GroupBy by)
{
    const CachedNetwork* n = v ? v->network.get() : nullptr;
    if (!n) return {};
    switch (by) {
    case GroupBy::Network:
        return n->info.name;
    case GroupBy::Asn:
        return n->info.asName;
    case GroupBy::Isp:
        return n->info.orgName.empty() ? n->info.asName : n->info.orgName;
    case GroupBy::Contact:
        return n->info.orgName.empty() ? n->info.name : n->info.orgName;
    }
    return {};
}

std::string_view keylessLabel(GroupBy by)
{
    switch (by) {
    case GroupBy::Network:
        return "not resolved";
    case GroupBy::Asn:
        return "no AS number known";
    case GroupBy::Isp:
        return "no organisation known";
    case GroupBy::Contact:
        return "no abuse contact known";
    }
    return {};
}

struct NetworkBuild {
    NetworkGroup group;
    std::map<std::string, std::size_t> sourceIndex;
};

struct GroupBuild {
    SourceGroup group;
    std::map<std::int64_t, NetworkBuild> networks; // by network id; 0 for none
};

} // namespace

std::vector<SourceGroup> groupSources(const std::vector<SourceSummary>& sources,
    const std::vector<SourceView>& views, GroupBy by, const GroupingOptions& options)
{
    std::map<std::string, GroupBuild> groups;
    for (const auto& s : sources) {
        const SourceView* v = findView(views, s.src);
        if (options.skipSpecial && v && v->status == "special") continue;
        const std::string key = keyOf(v, by);
        GroupBuild& g = groups[key];
        if (g.group.label.empty())
            g.group.label = key.empty() ? std::string(keylessLabel(by)) : labelOf(v, by);
        g.group.key = key;
        const std::int64_t netId = v && v->network ? v->network->id : 0;
        NetworkBuild& nb = g.networks[netId];
        if (v && nb.group.sources.empty()) {
            nb.group.network = v->network;
            nb.group.contact = v->contact;
        }
        const std::string address = groupedAddress(s.src, options.ipv6Prefix);
        auto [it, added] = nb.sourceIndex.emplace(address, nb.group.sources.size());
        if (added) {
            nb.group.sources.push_back({address, {}, 0, 0, s.firstSeen, s.lastSeen});
            ++nb.group.addresses;
        }
        GroupedSource& gs = nb.group.sources[it->second];
        gs.members.push_back(s.src);
        gs.events += s.events;
        gs.blocked += s.blocked;
        gs.firstSeen = std::min(gs.firstSeen, s.firstSeen);
        gs.lastSeen = std::max(gs.lastSeen, s.lastSeen);
        nb.group.events += s.events;
    }

    std::vector<SourceGroup> out;
    for (auto& [key, g] : groups) {
        SourceGroup sg = std::move(g.group);
        for (auto& [id, nb] : g.networks) {
            NetworkGroup ng = std::move(nb.group);
            for (auto& src : ng.sources)
                std::sort(src.members.begin(), src.members.end());
            std::sort(
                ng.sources.begin(), ng.sources.end(), [](const GroupedSource& a, const GroupedSource& b) {
                    return a.events != b.events ? a.events > b.events : a.address < b.address;
                });
            sg.events += ng.events;
            sg.addresses += ng.addresses;
            if (!ng.contact.email.empty()
                && std::none_of(sg.contacts.begin(), sg.contacts.end(),
                    [&](const AbuseContact& c) { return c.email == ng.contact.email; }))
                sg.contacts.push_back(ng.contact);
            sg.networks.push_back(std::move(ng));
        }
        std::stable_sort(sg.contacts.begin(), sg.contacts.end(),
            [](const AbuseContact& a, const AbuseContact& b) { return a.confidence > b.confidence; });
        std::sort(sg.networks.begin(), sg.networks.end(), [](const NetworkGroup& a, const NetworkGroup& b) {
            if (a.events != b.events) return a.events > b.events;
            if (!a.network || !b.network) return bool(a.network);
            return a.network->info.range.first < b.network->info.range.first;
        });
        out.push_back(std::move(sg));
    }
    std::sort(out.begin(), out.end(), [](const SourceGroup& a, const SourceGroup& b) {
        if (a.key.empty() != b.key.empty()) return b.key.empty();
        return a.events != b.events ? a.events > b.events : a.key < b.key;
    });
    return out;
}

Result<std::vector<SourceGroup>> abuseCases(EventStore& store, const SignatureTable& signatures,
    const SourceQuery& query, const GroupingOptions& options)
{
    auto sources = store.sources(query, signatures);
    if (!sources) return std::unexpected(sources.error());
    try {
        NetworkCache cache(store.database());
        const auto views = loadSourceViews(cache);
        GroupingOptions o = options;
        o.skipSpecial = true;
        return groupSources(*sources, views, GroupBy::Contact, o);
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot read the resolved networks: ") + e.what());
    }
}

} // namespace tattle::core::resolver
