// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/resolver/grouping.h"
#include "core/resolver/resolver.h"
#include "core/store/event_store.h"

#include <ostream>
#include <vector>

/// Output of what the resolver found: sources with their networks, groups by network/AS/ISP/contact,
/// and the account of a lookup run.
namespace tattle::reports {

/// The per-source summary of writeSourcesJson() with, for every object, the keys network (CIDR or range),
/// network_name, org, country, asn, as_name, registry, abuse_contact, contact_source ("rdap", "whois",
/// "abusix", "guess", "user" or "none"), contact_confidence, rdns and lookup ("resolved", "special",
/// "failed" or "pending"); null where unknown.
void writeSourcesWithNetworksJson(std::ostream& out, const std::vector<core::SourceSummary>& sources,
    const std::vector<core::resolver::SourceView>& views);

/// The same as CSV (the summary's columns, then network, network_name, org, country, asn, as_name,
/// registry, abuse_contact, contact_source, contact_confidence, rdns, lookup).
void writeSourcesWithNetworksCsv(std::ostream& out, const std::vector<core::SourceSummary>& sources,
    const std::vector<core::resolver::SourceView>& views, bool spreadsheetSafe = true);

/// A text table: source, events, network, AS, country, abuse contact (source).
void writeSourcesWithNetworksTable(std::ostream& out, const std::vector<core::SourceSummary>& sources,
    const std::vector<core::resolver::SourceView>& views, std::size_t limit);

/// Groups as one JSON array: {key, label, events, addresses, abuse_contact, contact_source,
/// contacts: [{email, source, confidence}], networks: [{network, name, org, country, asn, as_name,
/// registry, abuse_contact, contact_source, events, sources: [{src, addresses, events, blocked,
/// first_seen, last_seen}]}]}.
void writeGroupsJson(std::ostream& out, const std::vector<core::resolver::SourceGroup>& groups);

/// Groups as CSV, one row per source: key, label, abuse_contact, contact_source, network, network_name,
/// src, addresses, events, first_seen, last_seen.
void writeGroupsCsv(
    std::ostream& out, const std::vector<core::resolver::SourceGroup>& groups, bool spreadsheetSafe = true);

/// Groups as text: a heading per group with its contact, then its networks and their sources.
void writeGroupsText(
    std::ostream& out, const std::vector<core::resolver::SourceGroup>& groups, std::size_t limit);

/// The account of a `tattle lookup` run, as lines of text.
void writeResolveReport(std::ostream& out, const core::resolver::ResolveReport& report);

} // namespace tattle::reports
