// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/complaint_store.h"

#include <algorithm>
#include <limits>

namespace tattle::core {

namespace {

constexpr const char* kColumns = "id, contact_email, contact_name, method, created_at, sent_at, message_id, "
                                 "subject, sources, events, first_event, last_event, file";

ComplaintRecord readRecord(const sql::Statement& st)
{
    ComplaintRecord r;
    r.id = st.int64(0);
    r.contactEmail = std::string(st.text(1));
    r.contactName = std::string(st.text(2));
    r.method = complaintMethodFromName(st.text(3)).value_or(ComplaintMethod::Eml);
    r.createdAt = st.int64(4);
    if (!st.isNull(5)) r.sentAt = st.int64(5);
    r.messageId = std::string(st.text(6));
    r.subject = std::string(st.text(7));
    r.sources = st.int64(8);
    r.events = st.int64(9);
    r.firstEvent = st.int64(10);
    r.lastEvent = st.int64(11);
    r.file = std::string(st.text(12));
    return r;
}

Error dbError(const char* what, const sql::DbError& e)
{
    return Error {ErrorKind::Database, std::string(what) + ": " + e.what()};
}

} // namespace

std::string_view complaintMethodName(ComplaintMethod m) noexcept
{
    switch (m) {
    case ComplaintMethod::Smtp:
        return "smtp";
    case ComplaintMethod::Eml:
        return "eml";
    case ComplaintMethod::Mailto:
        return "mailto";
    case ComplaintMethod::Copy:
        break;
    }
    return "copy";
}

std::optional<ComplaintMethod> complaintMethodFromName(std::string_view name) noexcept
{
    for (auto m :
        {ComplaintMethod::Smtp, ComplaintMethod::Eml, ComplaintMethod::Mailto, ComplaintMethod::Copy}) {
        if (complaintMethodName(m) == name) return m;
    }
    return std::nullopt;
}

std::string normaliseContact(std::string_view email)
{
    std::string out(email);
    std::transform(out.begin(), out.end(), out.begin(),
        [](unsigned char c) { return char(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return out;
}

ComplaintStore::ComplaintStore(sql::Database& db)
    : m_db(db)
{
}

Result<std::int64_t> ComplaintStore::record(const NewComplaint& c)
{
    if (c.record.contactEmail.empty()) return fail(ErrorKind::Usage, "A complaint needs a contact address.");
    if (c.eventIds.empty()) return fail(ErrorKind::Usage, "A complaint must cover at least one event.");
    try {
        sql::Transaction tx(m_db);
        // The span of the events covered, from the events themselves.
        Micros first = std::numeric_limits<Micros>::max(), last = std::numeric_limits<Micros>::min();
        auto ts = m_db.prepare("SELECT ts FROM events WHERE id = ?");
        for (auto id : c.eventIds) {
            ts.reset();
            ts.bind(1, id);
            if (!ts.step())
                return fail(ErrorKind::NotFound, "No event " + std::to_string(id) + " to record.");
            first = std::min(first, ts.int64(0));
            last = std::max(last, ts.int64(0));
        }
        auto ins
            = m_db.prepare("INSERT INTO complaints(contact_email, contact_name, method, created_at, sent_at, "
                           "message_id, subject, sources, events, first_event, last_event, file) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, normaliseContact(c.record.contactEmail))
            .bind(2, c.record.contactName)
            .bind(3, complaintMethodName(c.record.method))
            .bind(4, c.record.createdAt)
            .bindOptional(5, c.record.sentAt)
            .bind(6, c.record.messageId)
            .bind(7, c.record.subject)
            .bind(8, std::int64_t(c.sources.size()))
            .bind(9, std::int64_t(c.eventIds.size()))
            .bind(10, first)
            .bind(11, last)
            .bind(12, c.record.file);
        ins.run();
        const std::int64_t id = m_db.lastInsertId();
        auto src = m_db.prepare(
            "INSERT OR REPLACE INTO complaint_sources(complaint_id, src, events) VALUES (?, ?, ?)");
        for (const auto& [a, n] : c.sources) {
            src.reset();
            src.bind(1, id).bindBlob(2, a.data(), a.size()).bind(3, n);
            src.run();
        }
        auto ev
            = m_db.prepare("INSERT OR IGNORE INTO complaint_events(event_id, complaint_id) VALUES (?, ?)");
        for (auto e : c.eventIds) {
            ev.reset();
            ev.bind(1, e).bind(2, id);
            ev.run();
        }
        tx.commit();
        return id;
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot record the complaint", e));
    }
}

Result<void> ComplaintStore::markSent(std::int64_t id, Micros sentAt, std::string_view messageId)
{
    try {
        auto st = m_db.prepare("UPDATE complaints SET sent_at = ?, message_id = ? WHERE id = ?");
        st.bind(1, sentAt).bind(2, messageId).bind(3, id).run();
        if (m_db.changes() == 0) return fail(ErrorKind::NotFound, "No complaint " + std::to_string(id) + ".");
        return {};
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot update the complaint", e));
    }
}

Result<std::vector<ComplaintRecord>> ComplaintStore::list(std::string_view contact)
{
    try {
        std::string sqlText = std::string("SELECT ") + kColumns + " FROM complaints";
        if (!contact.empty()) sqlText += " WHERE contact_email = ?1";
        sqlText += " ORDER BY created_at DESC, id DESC";
        auto st = m_db.prepare(sqlText);
        if (!contact.empty()) st.bind(1, normaliseContact(contact));
        std::vector<ComplaintRecord> out;
        while (st.step())
            out.push_back(readRecord(st));
        return out;
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaints", e));
    }
}

Result<std::vector<ContactHistory>> ComplaintStore::history()
{
    try {
        auto st = m_db.prepare(
            "SELECT contact_email, (SELECT contact_name FROM complaints c2 WHERE c2.contact_email = "
            "c.contact_email ORDER BY created_at DESC, id DESC LIMIT 1), count(*), sum(events), "
            "min(created_at), "
            "max(created_at) FROM complaints c GROUP BY contact_email ORDER BY max(created_at) DESC");
        std::vector<ContactHistory> out;
        while (st.step()) {
            out.push_back({std::string(st.text(0)), std::string(st.text(1)), st.int64(2), st.int64(3),
                st.int64(4), st.int64(5)});
        }
        return out;
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaint history", e));
    }
}

Result<std::optional<Micros>> ComplaintStore::lastComplaintAt(std::string_view contact)
{
    try {
        auto st = m_db.prepare("SELECT max(created_at) FROM complaints WHERE contact_email = ?");
        st.bind(1, normaliseContact(contact));
        if (!st.step() || st.isNull(0)) return std::optional<Micros>();
        return std::optional<Micros>(st.int64(0));
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaints", e));
    }
}

Result<std::optional<Micros>> ComplaintStore::cooldownUntil(std::string_view contact, int days, Micros now)
{
    if (days <= 0) return std::optional<Micros>();
    auto last = lastComplaintAt(contact);
    if (!last) return std::unexpected(last.error());
    if (!*last) return std::optional<Micros>();
    const Micros until = **last + Micros(days) * 86'400 * kMicrosPerSecond;
    if (until <= now) return std::optional<Micros>();
    return std::optional<Micros>(until);
}

Result<Responsiveness> ComplaintStore::responsiveness(std::int64_t complaintId)
{
    try {
        auto c = m_db.prepare("SELECT created_at FROM complaints WHERE id = ?");
        c.bind(1, complaintId);
        if (!c.step()) return fail(ErrorKind::NotFound, "No complaint " + std::to_string(complaintId) + ".");
        const Micros created = c.int64(0);
        // One index seek per source on events(src, ts).
        auto st
            = m_db.prepare("SELECT count(*), max(e.ts), count(DISTINCT e.src) FROM complaint_sources cs JOIN "
                           "events e ON e.src = cs.src AND e.ts > ?2 WHERE cs.complaint_id = ?1 AND "
                           "e.direction != 2");
        st.bind(1, complaintId).bind(2, created);
        Responsiveness r;
        r.complaintId = complaintId;
        if (st.step()) {
            r.laterEvents = st.int64(0);
            if (!st.isNull(1)) r.lastSeen = st.int64(1);
            r.sourcesStillActive = st.int64(2);
        }
        return r;
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaint", e));
    }
}

Result<std::pair<std::int64_t, std::int64_t>> ComplaintStore::responsivenessSummary()
{
    try {
        auto st = m_db.prepare(
            "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM complaint_sources cs JOIN "
            "events e ON e.src = cs.src AND e.ts > c.created_at WHERE cs.complaint_id = c.id AND "
            "e.direction != 2)), 0) FROM complaints c");
        if (!st.step()) return std::pair<std::int64_t, std::int64_t> {0, 0};
        return std::pair<std::int64_t, std::int64_t> {st.int64(0), st.int64(1)};
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaints", e));
    }
}

Result<std::vector<std::int64_t>> ComplaintStore::complaintsOfEvent(std::int64_t eventId)
{
    try {
        auto st = m_db.prepare(
            "SELECT complaint_id FROM complaint_events WHERE event_id = ? ORDER BY complaint_id");
        st.bind(1, eventId);
        std::vector<std::int64_t> out;
        while (st.step())
            out.push_back(st.int64(0));
        return out;
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaints", e));
    }
}

Result<std::int64_t> ComplaintStore::reportedEventCount()
{
    try {
        return m_db.queryInt("SELECT count(DISTINCT event_id) FROM complaint_events");
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaints", e));
    }
}

Result<std::vector<ComplaintRecord>> ComplaintStore::complaintsOfSource(const IpAddress& source)
{
    try {
        auto st = m_db.prepare(std::string("SELECT ") + kColumns
            + " FROM complaints WHERE id IN (SELECT complaint_id FROM complaint_sources WHERE src = ?) ORDER "
              "BY "
              "created_at DESC, id DESC");
        st.bindBlob(1, source.data(), source.size());
        std::vector<ComplaintRecord> out;
        while (st.step())
            out.push_back(readRecord(st));
        return out;
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaints", e));
    }
}

Result<std::vector<std::pair<IpAddress, std::int64_t>>> ComplaintStore::sourcesOf(std::int64_t complaintId)
{
    try {
        auto st
            = m_db.prepare("SELECT src, events FROM complaint_sources WHERE complaint_id = ? ORDER BY src");
        st.bind(1, complaintId);
        std::vector<std::pair<IpAddress, std::int64_t>> out;
        while (st.step()) {
            auto b = st.blob(0);
            out.emplace_back(IpAddress::fromBytes(b.data(), b.size()), st.int64(1));
        }
        return out;
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaint", e));
    }
}

Result<std::vector<std::int64_t>> ComplaintStore::eventsOf(std::int64_t complaintId)
{
    try {
        auto st
            = m_db.prepare("SELECT event_id FROM complaint_events WHERE complaint_id = ? ORDER BY event_id");
        st.bind(1, complaintId);
        std::vector<std::int64_t> out;
        while (st.step())
            out.push_back(st.int64(0));
        return out;
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the complaint", e));
    }
}

Result<void> ComplaintStore::forEachEvent(
    const EventFilter& f, const std::function<bool(const ReportableEvent&)>& visit)
{
    try {
        std::string sqlText
            = "SELECT e.id, e.ts, e.action, coalesce(e.proto, -1), e.src, coalesce(e.src_port, -1), "
              "e.dst, coalesce(e.dst_port, -1), coalesce(e.icmp_type, -1), coalesce(e.icmp_code, "
              "-1), e.tcp_flags, coalesce(e.count, 1), l.text FROM events e JOIN labels l ON l.id = "
              "e.category WHERE e.ts >= ?1 AND e.ts < ?2";
        if (f.inboundOnly) sqlText += " AND e.direction != 2";
        if (f.unreportedOnly)
            sqlText += " AND NOT EXISTS (SELECT 1 FROM complaint_events ce WHERE ce.event_id = e.id)";
        if (!f.categories.empty()) {
            sqlText += " AND l.text IN (";
            for (std::size_t i = 0; i < f.categories.size(); ++i)
                sqlText += (i ? ",?" : "?") + std::to_string(i + 3);
            sqlText += ")";
        }
        sqlText += " ORDER BY e.src, e.ts, e.id";
        auto st = m_db.prepare(sqlText);
        st.bind(1, f.since.value_or(std::numeric_limits<std::int64_t>::min()));
        st.bind(2, f.until.value_or(std::numeric_limits<std::int64_t>::max()));
        for (std::size_t i = 0; i < f.categories.size(); ++i)
            st.bind(int(i + 3), f.categories[i]);
        ReportableEvent e;
        while (st.step()) {
            e.id = st.int64(0);
            e.time = st.int64(1);
            e.allowed = st.int64(2) == 1;
            e.proto = int(st.int64(3));
            auto s = st.blob(4);
            e.src = IpAddress::fromBytes(s.data(), s.size());
            e.srcPort = int(st.int64(5));
            auto d = st.blob(6);
            e.dst = IpAddress::fromBytes(d.data(), d.size());
            e.dstPort = int(st.int64(7));
            e.icmpType = int(st.int64(8));
            e.icmpCode = int(st.int64(9));
            e.hasTcpFlags = !st.isNull(10);
            e.tcpFlags = std::uint8_t(st.int64(10));
            e.count = std::uint32_t(std::max<std::int64_t>(1, st.int64(11)));
            e.category = std::string(st.text(12));
            if (!visit(e)) break;
        }
        return {};
    } catch (const sql::DbError& e) {
        return std::unexpected(dbError("Cannot read the events", e));
    }
}

} // namespace tattle::core
