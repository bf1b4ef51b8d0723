// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/evidence.h"
#include "core/report_policy.h"
#include "core/result.h"
#include "core/settings.h"
#include "core/signatures.h"
#include "core/store/complaint_store.h"
#include "core/store/event_store.h"
#include "reports/complaint.h"
#include "reports/complaint_message.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/// From the store, the resolver's cache, the signature table and the settings to the complaints to make:
/// one per abuse contact, covering every not-yet-reported event of its sources, and the sources left out
/// with why. No network, no Qt: the command line and the GUI's composer both call planComplaints().
namespace tattle::reports {

/// What to plan complaints about.
struct PlanQuery {
    std::string contact; ///< only this abuse contact (compared without case); "" = every contact
    std::optional<core::Micros> since, until; ///< only events in this span (until exclusive)
    std::vector<std::string> categories; ///< signature ids or groups ("smb", "windows"); empty = all
    std::int64_t minEvents = 1; ///< sources with fewer events are left out
    bool allGrades = false; ///< include weak evidence (the complaint then says the address may be forged)
    bool includeReported = false; ///< cover events earlier complaints covered too (the user asks to)
    /// At most this many sources (most events first) per complaint; the rest wait for the contact's next
    /// complaint (skipped as Deferred). A desk reads a few dozen; 0 = no limit.
    std::size_t maxSourcesPerComplaint = 100;
    core::Micros now = 0; ///< the complaints' time; the cooldown is judged at it
    ExcerptLimits limits;
};

/// One complaint to make, with exactly what it covers.
struct PlannedComplaint {
    Complaint complaint;
    std::vector<std::int64_t> eventIds; ///< ascending
    std::vector<std::pair<core::IpAddress, std::int64_t>> sources; ///< address, events covered
    std::vector<core::EvidenceAssessment> evidence; ///< per complaint.sources entry
    /// Set when the contact got a complaint less than settings.cooldownDays ago: not to be made before.
    std::optional<core::Micros> cooldownUntil;
    std::int64_t eventCount() const noexcept { return std::int64_t(eventIds.size()); }
};

/// A source left out, and why.
struct SkippedSource {
    core::IpAddress address;
    std::string contact; ///< its abuse contact, "" when none
    core::SkipReason reason;
    std::string why; ///< plain words
    std::int64_t events = 0;
};

/// The plan: complaints (most events first) and skipped sources (by address).
struct ReportPlan {
    std::vector<PlannedComplaint> complaints;
    std::vector<SkippedSource> skipped;
    std::int64_t eventsConsidered = 0; ///< events read (not yet reported, in the query's span)
};

/// Builds the plan. Errors: an unknown category (Usage), a database error.
Result<ReportPlan> planComplaints(core::EventStore& store, const core::SignatureTable& signatures,
    const core::Settings& settings, const core::ReportPolicy& policy, const PlanQuery& query);

/// The record of a planned complaint once made (for ComplaintStore::record()).
core::NewComplaint complaintRecord(const PlannedComplaint& planned, core::ComplaintMethod method,
    core::Micros createdAt, const std::string& messageId, const std::string& subject,
    const std::string& file = {});

/// The XARF type of a complaint: a login attack when every probe is TCP to a login service (ssh, telnet,
/// ...), else a port scan.
XarfType suggestedXarfType(const Complaint& complaint);

/// How a complaint becomes a message by the settings: From, Date (now, with the offset of
/// settings.logTimeZone), the machine-readable part of settings.machineReadable (X-ARF 0.2 only for one
/// login attacker, else XARF v4) and its type. The caller sets `draft` and may drop the attachment.
ComplaintMessageOptions complaintMessageOptions(
    const Complaint& complaint, const core::Settings& settings, const Mailbox& from, core::Micros now);

/// The reporter's time zone as complaints state it: "Europe/Berlin (UTC+01:00)", at `now`. "" = the system's.
std::string timeZoneStatement(const std::string& zoneName, core::Micros now);

} // namespace tattle::reports
