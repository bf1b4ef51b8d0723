// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/result.h"
#include "core/store/sqlite.h"
#include "core/time.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The complaints made and the events each covers (resources/schema/004_complaints.sql): the history per
/// abuse contact, the cooldown, which events are already reported, and whether the probes stopped after
/// a complaint. Only this class holds their SQL. Not thread-safe (one connection, one thread); each
/// method turns SQLite errors into an Error.
namespace tattle::core {

/// How a complaint was made.
enum class ComplaintMethod : std::uint8_t {
    Smtp, ///< sent by tattle through the SMTP server
    Eml, ///< saved as an .eml file for the user's mail client
    Mailto, ///< handed to the mail client as a mailto: URL
    Copy, ///< copied to the clipboard (GUI)
};
/// "smtp", "eml", "mailto", "copy".
std::string_view complaintMethodName(ComplaintMethod m) noexcept;
std::optional<ComplaintMethod> complaintMethodFromName(std::string_view name) noexcept;

/// One complaint as recorded.
struct ComplaintRecord {
    std::int64_t id = 0;
    std::string contactEmail; ///< lower case
    std::string contactName;
    ComplaintMethod method = ComplaintMethod::Eml;
    Micros createdAt = 0;
    std::optional<Micros> sentAt; ///< SMTP only
    std::string messageId; ///< "<...@...>"
    std::string subject;
    std::int64_t sources = 0, events = 0;
    Micros firstEvent = 0, lastEvent = 0; ///< the span of the events covered
    std::string file; ///< the .eml written (method Eml)
};

/// A complaint to record, with exactly what it covers.
struct NewComplaint {
    ComplaintRecord record; ///< id, sources and events are filled in by record()
    std::vector<std::pair<IpAddress, std::int64_t>> sources; ///< address, events of it covered
    std::vector<std::int64_t> eventIds;
};

/// Did the probes stop after a complaint? Events from its sources later than the complaint.
struct Responsiveness {
    std::int64_t complaintId = 0;
    std::int64_t laterEvents = 0; ///< inbound events from its sources after createdAt
    std::optional<Micros> lastSeen; ///< the latest of them
    std::int64_t sourcesStillActive = 0; ///< how many of its sources sent any of them
    bool stopped() const noexcept { return laterEvents == 0; }
};

/// Per abuse contact: how many complaints, events, and when the last one was made.
struct ContactHistory {
    std::string contactEmail;
    std::string contactName; ///< of the latest complaint
    std::int64_t complaints = 0, events = 0;
    Micros firstAt = 0, lastAt = 0;
};

/// One event a complaint may cover: what the planner and the exports need of it.
struct ReportableEvent {
    std::int64_t id = 0;
    Micros time = 0;
    bool allowed = false;
    int proto = -1;
    IpAddress src, dst;
    int srcPort = -1, dstPort = -1, icmpType = -1, icmpCode = -1;
    bool hasTcpFlags = false;
    std::uint8_t tcpFlags = 0;
    std::uint32_t count = 1;
    std::string category; ///< signature id
};

/// Which events to walk.
struct EventFilter {
    std::optional<Micros> since, until; ///< until exclusive
    std::vector<std::string> categories; ///< signature ids (already expanded from groups); empty: all
    bool unreportedOnly = true; ///< leave out events some complaint covers
    bool inboundOnly = true; ///< direction in or unknown (what probed this machine)
};

class ComplaintStore {
public:
    explicit ComplaintStore(sql::Database& db);

    /// Records a complaint and the events it covers in one transaction; returns its id. Errors: no
    /// contact, no event.
    Result<std::int64_t> record(const NewComplaint& complaint);
    /// Sets the time the SMTP server took it and the Message-ID it went with.
    Result<void> markSent(std::int64_t id, Micros sentAt, std::string_view messageId);
    /// Complaints, newest first; only those to `contact` when not empty (compared without case).
    Result<std::vector<ComplaintRecord>> list(std::string_view contact = {});
    /// Per contact, the latest complaint first.
    Result<std::vector<ContactHistory>> history();
    /// When the last complaint to contact was made; nullopt when none.
    Result<std::optional<Micros>> lastComplaintAt(std::string_view contact);
    /// The end of the contact's cooldown (last complaint + days) when it is later than now; else nullopt.
    Result<std::optional<Micros>> cooldownUntil(std::string_view contact, int days, Micros now);
    /// Whether the probes from a complaint's sources stopped after it.
    Result<Responsiveness> responsiveness(std::int64_t complaintId);
    /// How many complaints there are, and how many of them were followed by probes from their sources
    /// (shown after an import).
    Result<std::pair<std::int64_t, std::int64_t>> responsivenessSummary();
    /// The complaints that cover an event (empty: not reported).
    Result<std::vector<std::int64_t>> complaintsOfEvent(std::int64_t eventId);
    /// How many of the given events some complaint already covers.
    Result<std::int64_t> reportedEventCount();
    /// The complaints that cover events of a source, newest first (empty: never reported).
    Result<std::vector<ComplaintRecord>> complaintsOfSource(const IpAddress& source);
    /// The source addresses a complaint covers, with the events of each it covers.
    Result<std::vector<std::pair<IpAddress, std::int64_t>>> sourcesOf(std::int64_t complaintId);
    /// The event ids a complaint covers, ascending.
    Result<std::vector<std::int64_t>> eventsOf(std::int64_t complaintId);

    /// Walks the events that match `filter`, ordered by source address then time; `visit` returns false
    /// to stop. Errors only from SQLite.
    Result<void> forEachEvent(
        const EventFilter& filter, const std::function<bool(const ReportableEvent&)>& visit);

private:
    sql::Database& m_db;
};

/// Lower case, for comparing and storing contact addresses.
std::string normaliseContact(std::string_view email);

} // namespace tattle::core
