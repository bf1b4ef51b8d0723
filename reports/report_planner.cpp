// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/report_planner.h"

#include "core/event.h"
#include "core/resolver/cache.h"
#include "core/resolver/grouping.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace tattle::reports {

namespace {

using core::IpAddress;
using core::Micros;

constexpr std::size_t kMaxSourcePortsKept = 4096; // distinct source ports counted per probe group
constexpr std::size_t kSourcePortsShown = 10;
constexpr std::size_t kMaxDestinations = 10;

struct ProbeAcc {
    ProbeGroup group;
    std::unordered_set<int> sourcePorts;
    std::set<IpAddress> destinations;
};

/// Everything gathered about one source while its events stream by.
struct SourceAcc {
    IpAddress address;
    std::int64_t events = 0;
    std::uint64_t packets = 0;
    Micros first = 0, last = 0;
    core::EvidenceCollector evidence;
    std::map<std::tuple<int, int, int>, ProbeAcc> probes;
    std::vector<std::int64_t> eventIds;
    std::set<IpAddress> destinations;
};

/// A source that passed every rule, waiting to be put in its contact's complaint.
struct Pending {
    ReportedSource source;
    core::EvidenceAssessment grade;
    std::vector<std::int64_t> eventIds;
    std::vector<std::string> destinations;
};

std::string lower(std::string_view s)
{
    return core::normaliseContact(s);
}

} // namespace

std::string timeZoneStatement(const std::string& zoneName, core::Micros now)
{
    auto zone = zoneName.empty() ? core::TimeZone::system()
                                 : core::TimeZone::fromName(zoneName).value_or(core::TimeZone::system());
    const int off = zone.offsetAt(now / core::kMicrosPerSecond);
    const int a = off < 0 ? -off : off;
    char buf[16];
    std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", off < 0 ? '-' : '+', a / 3600, (a / 60) % 60);
    const std::string name = zone.name().empty() ? std::string("local time") : zone.name();
    if (name == "UTC") return "UTC";
    return name + " (" + buf + ")";
}

Result<ReportPlan> planComplaints(core::EventStore& store, const core::SignatureTable& sigs,
    const core::Settings& settings, const core::ReportPolicy& policy, const PlanQuery& q)
{
    core::EventFilter filter;
    filter.since = q.since;
    filter.until = q.until;
    filter.unreportedOnly = !q.includeReported;
    for (const auto& name : q.categories) {
        bool known = false;
        for (const auto& s : sigs.signatures()) {
            if (s.id == name || s.group == name) {
                filter.categories.push_back(s.id);
                known = true;
            }
        }
        if (!known) return fail(ErrorKind::Usage, "Unknown category '" + name + "' (see signatures.json).");
    }

    std::vector<core::resolver::SourceView> views;
    std::vector<core::resolver::ContactOverride> overrides;
    try {
        core::resolver::NetworkCache cache(store.database());
        views = core::resolver::loadSourceViews(cache);
        overrides = cache.overrides();
    } catch (const core::sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot read the resolved networks: ") + e.what());
    }
    core::ComplaintStore complaints(store.database());
    const std::string wantedContact = lower(q.contact);

    ReportPlan plan;
    std::map<std::string, std::vector<Pending>> pending;
    std::map<std::string, std::string> contactNames;

    auto finish = [&](SourceAcc& s) -> Result<void> {
        if (s.events == 0) return {};
        const auto* view = core::resolver::findView(views, s.address);
        std::string contact = view ? lower(view->contact.email) : std::string();
        if (!view) {
            // A contact the user set for the address's network counts even before any lookup.
            if (const auto* o = core::resolver::findOverride(overrides, {s.address, s.address}, std::nullopt))
                contact = lower(o->email);
        }
        const std::string org = view && view->network ? view->network->info.orgName : std::string();
        auto skip = [&](core::SkipReason r, std::string why) {
            plan.skipped.push_back({s.address, contact, r, std::move(why), s.events});
        };
        if (auto v = policy.check(s.address, view ? view->rdns : std::string(), org)) {
            skip(v->reason, v->text);
            return {};
        }
        const auto grade = s.evidence.assess();
        if (auto v = core::ReportPolicy::evidenceVerdict(grade, q.allGrades)) {
            skip(v->reason, v->text);
            return {};
        }
        if (contact.empty()) {
            skip(core::SkipReason::NoContact,
                !view || view->status.empty()  ? "no abuse contact: not looked up yet (run `tattle lookup`)"
                    : view->status == "failed" ? "no abuse contact: the lookup failed (" + view->reason + ")"
                                               : "no abuse contact known for its network");
            return {};
        }
        if (!wantedContact.empty() && contact != wantedContact) {
            skip(core::SkipReason::NotThisContact, "its abuse contact is " + contact);
            return {};
        }
        if (s.events < q.minEvents) {
            skip(core::SkipReason::TooFewEvents,
                std::to_string(s.events) + " events, fewer than the minimum of "
                    + std::to_string(q.minEvents));
            return {};
        }

        ReportedSource r;
        r.address = s.address;
        if (view && view->network) {
            const auto& info = view->network->info;
            r.network = info.cidrs.empty() ? info.range.toString() : info.cidrs.front();
            if (info.asn) r.asn = "AS" + std::to_string(*info.asn);
            r.asName = info.asName;
        }
        r.firstSeen = s.first;
        r.lastSeen = s.last;
        r.eventCount = std::uint64_t(s.events);
        r.weakEvidence = grade.mayBeForged();
        r.evidence = grade.text;
        for (auto& [key, p] : s.probes) {
            std::vector<int> ports(p.sourcePorts.begin(), p.sourcePorts.end());
            std::sort(ports.begin(), ports.end());
            p.group.distinctSourcePorts = ports.size();
            if (ports.size() > kSourcePortsShown) ports.resize(kSourcePortsShown);
            p.group.sourcePorts = std::move(ports);
            for (const auto& d : p.destinations)
                p.group.destinations.push_back(d.toString());
            r.probes.push_back(std::move(p.group));
        }
        std::stable_sort(r.probes.begin(), r.probes.end(),
            [](const ProbeGroup& a, const ProbeGroup& b) { return a.count > b.count; });
        r.totalLogLines = std::uint64_t(s.events);

        auto& list = pending[contact];
        Pending pend;
        pend.source = std::move(r);
        pend.grade = grade;
        pend.eventIds = std::move(s.eventIds);
        for (const auto& d : s.destinations)
            pend.destinations.push_back(d.toString());
        if (list.empty()) list.reserve(16);
        if (!org.empty() && contactNames.find(contact) == contactNames.end())
            contactNames[contact] = org + " abuse team";
        list.push_back(std::move(pend));
        return {};
    };

    SourceAcc cur;
    Result<void> failure;
    auto walked = complaints.forEachEvent(filter, [&](const core::ReportableEvent& e) {
        ++plan.eventsConsidered;
        if (e.src != cur.address || cur.events == 0) {
            if (auto r = finish(cur); !r) {
                failure = r;
                return false;
            }
            cur = SourceAcc {};
            cur.address = e.src;
            cur.first = e.time;
        }
        ++cur.events;
        cur.packets += e.count;
        cur.last = std::max(cur.last, e.time);
        cur.first = std::min(cur.first, e.time);
        cur.evidence.add(e.proto, e.allowed, e.hasTcpFlags, e.tcpFlags, e.dstPort, e.time);
        cur.eventIds.push_back(e.id);
        if (e.dst.isValid() && cur.destinations.size() < 256) cur.destinations.insert(e.dst);
        const bool icmp = e.proto == core::proto::kIcmp || e.proto == core::proto::kIcmpV6;
        auto& p = cur.probes[{e.proto, icmp ? -1 : e.dstPort, icmp ? e.icmpType : -1}];
        if (p.group.count == 0) {
            p.group.proto = e.proto;
            p.group.dstPort = icmp ? -1 : e.dstPort;
            p.group.icmpType = icmp ? e.icmpType : -1;
            const int idx = sigs.find(e.category);
            const auto& sig
                = idx >= 0 ? sigs.signature(std::uint16_t(idx)) : sigs.signature(sigs.otherIndex());
            p.group.service = sig.name;
            p.group.meaning = sig.meaning;
            p.group.firstSeen = e.time;
        }
        ++p.group.count;
        p.group.firstSeen = std::min(p.group.firstSeen, e.time);
        p.group.lastSeen = std::max(p.group.lastSeen, e.time);
        if (e.srcPort >= 0 && p.sourcePorts.size() < kMaxSourcePortsKept) p.sourcePorts.insert(e.srcPort);
        if (e.dst.isValid() && p.destinations.size() < kMaxDestinations) p.destinations.insert(e.dst);
        return true;
    });
    if (!walked) return std::unexpected(walked.error());
    if (!failure) return std::unexpected(failure.error());
    if (auto r = finish(cur); !r) return std::unexpected(r.error());

    Reporter reporter {settings.reporter.name, settings.reporter.email, settings.reporter.organisation,
        timeZoneStatement(settings.logTimeZone, q.now), settings.reporter.clock};
    for (auto& [contact, list] : pending) {
        // Most events first; beyond the limit the sources wait for the contact's next complaint.
        std::stable_sort(list.begin(), list.end(),
            [](const Pending& a, const Pending& b) { return a.source.eventCount > b.source.eventCount; });
        if (q.maxSourcesPerComplaint > 0 && list.size() > q.maxSourcesPerComplaint) {
            for (std::size_t i = q.maxSourcesPerComplaint; i < list.size(); ++i)
                plan.skipped.push_back({list[i].source.address, contact, core::SkipReason::Deferred,
                    "the complaint to " + contact + " already covers "
                        + std::to_string(q.maxSourcesPerComplaint)
                        + " sources with more events; this one waits for the next complaint",
                    std::int64_t(list[i].source.eventCount)});
            list.resize(q.maxSourcesPerComplaint);
        }
        PlannedComplaint pc;
        pc.complaint.contactEmail = contact;
        if (auto it = contactNames.find(contact); it != contactNames.end())
            pc.complaint.contactName = it->second;
        pc.complaint.reporter = reporter;
        pc.complaint.createdAt = q.now;
        std::vector<std::string> own;
        for (auto& p : list) {
            // The first lines, oldest first (the events came ordered by time).
            const std::size_t lines = std::min(q.limits.linesPerSource, p.eventIds.size());
            for (std::size_t i = 0; i < lines; ++i) {
                auto line = store.rawLine(p.eventIds[i]);
                if (!line) return std::unexpected(line.error());
                p.source.logLines.push_back(std::move(*line));
            }
            pc.sources.emplace_back(p.source.address, std::int64_t(p.source.eventCount));
            pc.eventIds.insert(pc.eventIds.end(), p.eventIds.begin(), p.eventIds.end());
            pc.evidence.push_back(std::move(p.grade));
            own.insert(own.end(), p.destinations.begin(), p.destinations.end());
            pc.complaint.sources.push_back(std::move(p.source));
        }
        std::sort(pc.eventIds.begin(), pc.eventIds.end());
        if (settings.maskOwnAddress) {
            for (const auto& n : settings.ownNetworks) {
                if (auto a = IpAddress::parse(n)) own.push_back(a->toString());
            }
            std::sort(own.begin(), own.end());
            own.erase(std::unique(own.begin(), own.end()), own.end());
            pc.complaint.ownAddresses = own;
            pc.complaint.ownAddressMask = settings.ownAddressMask;
        }
        auto cooldown = complaints.cooldownUntil(contact, settings.cooldownDays, q.now);
        if (!cooldown) return std::unexpected(cooldown.error());
        pc.cooldownUntil = *cooldown;
        plan.complaints.push_back(std::move(pc));
    }
    std::stable_sort(plan.complaints.begin(), plan.complaints.end(),
        [](const PlannedComplaint& a, const PlannedComplaint& b) { return a.eventCount() > b.eventCount(); });
    std::sort(plan.skipped.begin(), plan.skipped.end(),
        [](const SkippedSource& a, const SkippedSource& b) { return a.address < b.address; });
    return plan;
}

XarfType suggestedXarfType(const Complaint& complaint)
{
    for (const auto& s : complaint.sources) {
        for (const auto& p : s.probes) {
            if (p.proto != core::proto::kTcp || loginServiceName(p.dstPort).empty())
                return XarfType::PortScan;
        }
    }
    return complaint.sources.empty() ? XarfType::PortScan : XarfType::LoginAttack;
}

ComplaintMessageOptions complaintMessageOptions(
    const Complaint& complaint, const core::Settings& settings, const Mailbox& from, core::Micros now)
{
    ComplaintMessageOptions o;
    o.from = from;
    o.date = now;
    const auto zone = settings.logTimeZone.empty()
        ? core::TimeZone::system()
        : core::TimeZone::fromName(settings.logTimeZone).value_or(core::TimeZone::system());
    o.utcOffsetSeconds = zone.offsetAt(now / core::kMicrosPerSecond);
    o.xarfType = suggestedXarfType(complaint);
    o.machineReadable = settings.machineReadable == "none" ? MachineReadable::None
        : settings.machineReadable == "xarf02" && complaint.sources.size() == 1
            && o.xarfType == XarfType::LoginAttack
        ? MachineReadable::Xarf02
        : MachineReadable::XarfV4;
    return o;
}

core::NewComplaint complaintRecord(const PlannedComplaint& planned, core::ComplaintMethod method,
    core::Micros createdAt, const std::string& messageId, const std::string& subject, const std::string& file)
{
    core::NewComplaint n;
    n.record.contactEmail = planned.complaint.contactEmail;
    n.record.contactName = planned.complaint.contactName;
    n.record.method = method;
    n.record.createdAt = createdAt;
    n.record.messageId = messageId;
    n.record.subject = subject;
    n.record.file = file;
    n.sources = planned.sources;
    n.eventIds = planned.eventIds;
    return n;
}

} // namespace tattle::reports
