// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/resolver/cache.h"
#include "core/resolver/network_info.h"
#include "core/result.h"
#include "core/store/event_store.h"
#include "core/time.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

/// Sources -> networks -> organisation/ISP and abuse contact: the "cases" complaints are made from.
namespace tattle::core::resolver {

/// What tattle knows about one source address.
struct SourceView {
    IpAddress src;
    std::string status; ///< "resolved", "special", "failed", or "" when never looked at
    std::string reason; ///< why special or failed
    std::string rdns; ///< reverse DNS name, "" when none or not looked up
    std::shared_ptr<const CachedNetwork> network; ///< null unless resolved
    /// The contact to use: the user's override, else the network's best, else an empty one (None).
    AbuseContact contact;
};

/// Every source's view, by address. `overrides` are applied to the contacts.
std::vector<SourceView> loadSourceViews(NetworkCache& cache);
/// The view of src in views (sorted by address), or nullptr.
const SourceView* findView(const std::vector<SourceView>& views, const IpAddress& src);

/// How sources are grouped.
enum class GroupBy { Network, Asn, Isp, Contact };

/// A source, or for IPv6 all sources of one prefix (/64 by default), with their events.
struct GroupedSource {
    std::string address; ///< "192.0.2.7" or "2001:db8:1:2::/64"
    std::vector<IpAddress> members; ///< the addresses it stands for, ascending
    std::int64_t events = 0, blocked = 0;
    Micros firstSeen = 0, lastSeen = 0;
};

/// One network with its sources (network null: sources not resolved, or special-purpose).
struct NetworkGroup {
    std::shared_ptr<const CachedNetwork> network;
    AbuseContact contact;
    std::vector<GroupedSource> sources; ///< most events first
    std::int64_t events = 0;
    std::size_t addresses = 0;
};

/// Sources grouped by network, AS, organisation or abuse contact.
struct SourceGroup {
    /// "192.0.2.0/24", "AS64500", the organisation's name, the contact's e-mail; "" for the group of
    /// sources without one (not resolved, special-purpose, no AS, no contact).
    std::string key;
    std::string label; ///< network name, AS name, organisation; for the keyless group why they have none
    std::vector<AbuseContact> contacts; ///< distinct, best first
    std::vector<NetworkGroup> networks; ///< most events first
    std::int64_t events = 0;
    std::size_t addresses = 0;
};

struct GroupingOptions {
    /// IPv6 sources in one prefix of this length count as one source (1-128).
    int ipv6Prefix = 64;
    /// Leave special-purpose sources out (cases: nobody to complain to).
    bool skipSpecial = false;
};

/// The key of an address for grouping: the address itself, or its IPv6 prefix ("2001:db8:1:2::/64").
std::string groupedAddress(const IpAddress& a, int ipv6Prefix);

/// Groups the summarised sources by `by`, most events first; the keyless group comes last.
std::vector<SourceGroup> groupSources(const std::vector<SourceSummary>& sources,
    const std::vector<SourceView>& views, GroupBy by, const GroupingOptions& options = {});

/// The cases: per abuse contact, its networks and their sources with event counts (special-purpose
/// sources left out; sources without a contact in the last, keyless case).
Result<std::vector<SourceGroup>> abuseCases(EventStore& store, const SignatureTable& signatures,
    const SourceQuery& query = {}, const GroupingOptions& options = {});

} // namespace tattle::core::resolver
