// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "core/store/event_store.h"

#include <CLI/CLI.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

/// The resolver's commands of the `tattle` command line: lookup, contact, update-registries, and the
/// --by grouping of `tattle sources`. Kept apart from main.cpp, which only registers and dispatches them.
namespace tattle::cli {

class ResolverCommands {
public:
    using OpenStore = std::function<Result<core::EventStore>()>;

    /// Adds the subcommands to app and the --by and --ipv6-prefix options to `sources`.
    void add(CLI::App& app, CLI::App* sources);
    /// True when one of the resolver's own subcommands was given.
    bool parsed() const;
    /// Runs the subcommand that was given; returns the exit status.
    int run(const OpenStore& openStore);

    /// True when `sources --by` was given.
    bool grouped() const { return !m_by.empty(); }
    /// Writes the summary rows grouped as --by says (json/csv/text table with `limit` rows or groups).
    int writeSources(core::EventStore& store, const std::vector<core::SourceSummary>& rows, bool json,
        bool csv, std::size_t limit);

private:
    int runLookup(const OpenStore& openStore);
    int runContact(const OpenStore& openStore);
    int runUpdateRegistries();

    CLI::App* m_lookup = nullptr;
    CLI::App* m_contact = nullptr;
    CLI::App* m_contactSet = nullptr;
    CLI::App* m_contactUnset = nullptr;
    CLI::App* m_contactList = nullptr;
    CLI::App* m_update = nullptr;

    // lookup
    bool m_offline = false, m_noRdap = false, m_noWhois = false, m_noCymru = false, m_noAbusix = false,
         m_noGuess = false, m_noRdns = false;
    std::vector<std::string> m_endpoints, m_rdapBases, m_rates, m_addresses;
    std::string m_dns;
    double m_timeout = 0;
    // contact
    std::string m_target, m_email;
    bool m_contactJson = false;
    // sources --by
    std::string m_by;
    int m_ipv6Prefix = 64;
};

} // namespace tattle::cli
