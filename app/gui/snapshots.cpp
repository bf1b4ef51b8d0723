// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/snapshots.h"

#include "core/event.h"
#include "core/line_reader.h"
#include "core/log_scanner.h"
#include "core/report_policy.h"
#include "core/resolver/cache.h"
#include "core/resolver/contacts.h"
#include "core/resolver/registry_files.h"
#include "core/resources.h"
#include "core/signatures.h"
#include "core/text_util.h"
#include "parsers/format_loader.h"
#include "parsers/parser_registry.h"
#include "parsers/time_needs.h"
#include "reports/complaint_message.h"
#include "reports/source_export.h"
#include "reports/template.h"

#include <fstream>

namespace tattle::app {

namespace resolver = core::resolver;

namespace {

Result<core::SignatureTable> loadSignatures()
{
    auto dir = core::resourcesDir();
    if (!dir) return std::unexpected(dir.error());
    return core::SignatureTable::load(*dir / "signatures.json");
}

Result<core::EventStore> openStore(const std::filesystem::path& db)
{
    std::error_code ec;
    if (db.has_parent_path()) std::filesystem::create_directories(db.parent_path(), ec);
    return core::EventStore::open(db);
}

std::string portText(int proto, int port)
{
    std::string s = proto < 0 ? std::string("?") : core::protoName(proto);
    for (auto& c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    if (port >= 0) s += " " + std::to_string(port);
    return s;
}

} // namespace

Result<SourceTreeData> loadSourceTree(const std::filesystem::path& db, std::size_t maxSources)
{
    // EventStore::open applies migrations and merges an interrupted import's counts; the browser reads.
    auto store = openStore(db);
    if (!store) return std::unexpected(store.error());
    auto browser = core::EventBrowser::open(db);
    if (!browser) return std::unexpected(browser.error());
    auto ranking = browser->topSources(maxSources);
    if (!ranking) return std::unexpected(ranking.error());
    auto reported = browser->reportedSources();
    if (!reported) return std::unexpected(reported.error());
    try {
        resolver::NetworkCache cache(store->database());
        const auto views = resolver::loadSourceViews(cache);
        SourceTreeData data;
        data.groups = resolver::groupSources(ranking->top, views, resolver::GroupBy::Contact);
        data.reported.insert(reported->begin(), reported->end());
        data.events = ranking->events;
        data.sources = ranking->sources;
        std::int64_t shownEvents = 0;
        for (auto& r : ranking->top) {
            shownEvents += r.events;
            data.summaries.emplace(r.src, std::move(r));
        }
        data.otherSources = ranking->sources - std::int64_t(data.summaries.size());
        data.otherEvents = ranking->events - shownEvents;
        return data;
    } catch (const core::sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot read the looked-up networks: ") + e.what());
    }
}

Result<SourceDetails> loadSourceDetails(
    const std::filesystem::path& db, const core::IpAddress& source, std::size_t maxLines)
{
    auto sigs = loadSignatures();
    if (!sigs) return std::unexpected(sigs.error());
    auto browser = core::EventBrowser::open(db);
    if (!browser) return std::unexpected(browser.error());
    SourceDetails d;
    d.source = source;
    try {
        auto dbh = core::sql::Database::open(db, core::sql::Database::Mode::ReadOnly);
        resolver::NetworkCache cache(dbh);
        if (auto link = cache.sourceLink(source)) {
            d.status = link->status;
            std::string s;
            if (link->status != "resolved") s = link->status + ": " + link->reason + "\n";
            if (link->networkId) {
                if (auto n = cache.network(*link->networkId)) {
                    const auto& i = n->info;
                    s += "Network: " + i.range.toString() + (i.name.empty() ? "" : " " + i.name) + "\n";
                    if (!i.orgName.empty()) s += "Organisation: " + i.orgName + "\n";
                    if (!i.country.empty()) s += "Country: " + i.country + "\n";
                    if (i.asn)
                        s += "AS: AS" + std::to_string(*i.asn) + (i.asName.empty() ? "" : " " + i.asName)
                            + "\n";
                    if (!i.registry.empty()) s += "Registry: " + i.registry + " (" + n->info.server + ")\n";
                    const auto contact = n->bestContact();
                    s += "Abuse contact: "
                        + (contact.email.empty() ? std::string("none known")
                                                 : contact.email + " ("
                                    + std::string(resolver::contactSourceName(contact.source))
                                    + ", confidence " + std::to_string(contact.confidence) + ")")
                        + "\n";
                    d.registryRecord = core::sanitizeForDisplay(cache.rawAnswer(n->id));
                }
            }
            if (link->rdns && !link->rdns->empty()) s += "Reverse DNS: " + *link->rdns + "\n";
            d.summary = core::sanitizeForDisplay(s);
        } else {
            d.summary = "Not looked up yet.";
        }
    } catch (const core::sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot read the source's network: ") + e.what());
    }
    auto targets = browser->targets(source);
    if (!targets) return std::unexpected(targets.error());
    for (const auto& t : *targets) {
        const int idx = sigs->find(t.category);
        const std::string name = idx >= 0 ? sigs->signature(std::uint16_t(idx)).name : t.category;
        d.probes.push_back(portText(t.proto, t.port) + "  " + name + ": " + std::to_string(t.events)
            + " events, " + core::formatRfc3339(t.firstSeen) + " .. " + core::formatRfc3339(t.lastSeen));
        d.events += t.events;
    }
    core::BrowseFilter f;
    f.source = source;
    auto page = browser->page(f, {core::EventSortColumn::Time, false}, std::nullopt, maxLines);
    if (!page) return std::unexpected(page.error());
    std::vector<std::int64_t> ids;
    for (const auto& r : page->rows)
        ids.push_back(r.id);
    auto lines = browser->rawLines(ids);
    if (!lines) return std::unexpected(lines.error());
    for (auto& l : *lines)
        d.rawLines.push_back(core::sanitizeForDisplay(l));
    return d;
}

Result<ChartData> loadChartData(const std::filesystem::path& db)
{
    auto sigs = loadSignatures();
    if (!sigs) return std::unexpected(sigs.error());
    auto browser = core::EventBrowser::open(db);
    if (!browser) return std::unexpected(browser.error());
    auto stats = browser->statistics(200, 8); // eight bars fit a chart's height with readable labels
    if (!stats) return std::unexpected(stats.error());
    ChartData c;
    c.stats = std::move(*stats);
    for (const auto& p : c.stats.topPorts) {
        const auto& sig = sigs->signature(sigs->classify(p.proto, p.port, -1));
        // The signature's name already says the protocol and ports ("SMB / Microsoft-DS (TCP 445)").
        c.portLabels.push_back(sig.id == "other" ? portText(p.proto, p.port) : sig.name);
    }
    return c;
}

Result<core::ImportResult> runImport(const std::filesystem::path& db, const ImportRequest& request,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress, const std::atomic<bool>* cancel)
{
    auto loaded = parsers::loadDefaultRegistry();
    const auto& registry = loaded.registry;
    const core::Parser* parser = nullptr;
    if (!request.format.empty()) {
        parser = registry.find(request.format);
        if (!parser) return fail(ErrorKind::Usage, "Unknown format '" + request.format + "'.");
    } else {
        const auto guess = detectFormat(request.file);
        if (!guess.error.empty()) return fail(ErrorKind::Io, guess.error);
        parser = registry.find(guess.format);
        if (!parser)
            return fail(ErrorKind::Format,
                "The format of '" + request.file.string() + "' is not recognised; choose it in the list.");
    }
    auto zone = core::TimeZone::fromName(request.timeZone.empty() ? "local" : request.timeZone);
    if (!zone) return std::unexpected(zone.error());
    auto sigs = loadSignatures();
    if (!sigs) return std::unexpected(sigs.error());
    auto store = openStore(db);
    if (!store) return std::unexpected(store.error());
    core::ImportOptions io;
    io.context.zone = *zone;
    io.context.year = request.year;
    io.context.fileName = request.file.filename().string();
    io.progress = progress;
    io.cancel = cancel;
    std::error_code ec;
    const auto size = std::filesystem::file_size(request.file, ec);
    core::BulkImportScope bulk(*store, ec ? 0 : size);
    return core::importFile(*store, *sigs, *parser, request.file, io);
}

Result<resolver::ResolveReport> runLookup(const std::filesystem::path& db, const LookupRequest& request,
    const std::function<void(const resolver::ResolveProgress&)>& progress, const std::atomic<bool>* cancel)
{
    if (!request.useRdap && !request.useWhois)
        return fail(
            ErrorKind::Config, "Both RDAP and WHOIS are switched off in the settings: nothing to ask.");
    resolver::ResolverOptions o;
    o.offline = request.offline;
    o.useRdap = request.useRdap;
    o.useWhois = request.useWhois;
    o.reverseDns = request.reverseDns;
    for (const auto& e : request.endpoints)
        if (auto r = o.endpoints.add(e); !r) return std::unexpected(r.error());
    for (const auto& b : request.rdapBases)
        if (auto r = o.rdapBases.add(b); !r) return std::unexpected(r.error());
    if (!request.rate.empty()) {
        auto interval = resolver::RateLimiter::parseRate(request.rate);
        if (!interval) return std::unexpected(interval.error());
        o.intervals.emplace_back(std::string(), *interval);
    }
    if (!request.dnsServer.empty()) {
        auto server = resolver::WhoisEndpoint::parse(request.dnsServer);
        if (!server) return fail(ErrorKind::Config, "'" + request.dnsServer + "' is not ADDR or ADDR:PORT.");
        if (request.dnsServer.find(':') == std::string::npos) server->port = 53;
        o.dns.server = *server;
    }
    if (request.timeoutSeconds > 0) {
        const auto t = std::chrono::milliseconds(std::int64_t(request.timeoutSeconds * 1000));
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
    auto res = core::resourcesDir();
    if (!res) return std::unexpected(res.error());
    auto registries = resolver::loadRegistries(*res / "iana", core::userDataDir(), nullptr);
    if (!registries) return std::unexpected(registries.error());
    auto placeholders = resolver::PlaceholderList::load(*res / "abuse-placeholders.json");
    if (!placeholders) return std::unexpected(placeholders.error());
    auto store = openStore(db);
    if (!store) return std::unexpected(store.error());
    resolver::Resolver r(*store, *registries, &*placeholders, std::move(o));
    resolver::ResolveControl control;
    control.progress = progress;
    control.cancel = cancel;
    return r.resolve(request.sources, control);
}

std::vector<std::pair<std::string, std::string>> availableFormats()
{
    auto loaded = parsers::loadDefaultRegistry();
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : loaded.registry.all())
        out.emplace_back(std::string(p->id()), std::string(p->description()));
    return out;
}

FormatGuess detectFormat(const std::filesystem::path& file)
{
    FormatGuess g;
    auto head = core::readHeadLines(file, parsers::ParserRegistry::kHeadLines);
    if (!head) {
        g.error = head.error().message;
        return g;
    }
    if (head->empty()) {
        g.error = "'" + file.string() + "' is empty: nothing to read.";
        return g;
    }
    auto loaded = parsers::loadDefaultRegistry();
    std::vector<std::string_view> views(head->begin(), head->end());
    const auto detection = loaded.registry.detect(views);
    for (const auto& c : detection.candidates)
        g.candidates.emplace_back(c.id, c.score);
    if (detection.parser) {
        g.format = std::string(detection.parser->id());
        const auto needs = parsers::timeNeeds(*detection.parser, views);
        g.needsYear = needs.year;
        g.needsTimeZone = needs.timeZone;
    }
    return g;
}

Result<core::Settings> loadSettingsFile(const std::filesystem::path& file)
{
    return core::loadSettings(file);
}

Result<ComposerData> loadComposer(
    const std::filesystem::path& db, const core::Settings& settings, bool allGrades)
{
    auto sigs = loadSignatures();
    if (!sigs) return std::unexpected(sigs.error());
    auto res = core::resourcesDir();
    if (!res) return std::unexpected(res.error());
    auto scanners = core::ScannerList::load(*res / "scanners.json");
    if (!scanners) return std::unexpected(scanners.error());
    auto policy = core::ReportPolicy::create(settings, std::move(*scanners));
    if (!policy) return std::unexpected(policy.error());
    auto templateFile = reports::findTemplate(settings.templateName);
    if (!templateFile) return std::unexpected(templateFile.error());
    auto tmpl = reports::Template::load(*templateFile);
    if (!tmpl) return std::unexpected(tmpl.error());
    auto store = openStore(db);
    if (!store) return std::unexpected(store.error());
    reports::PlanQuery q;
    q.allGrades = allGrades;
    q.now = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
                .count();
    auto plan = reports::planComplaints(*store, *sigs, settings, *policy, q);
    if (!plan) return std::unexpected(plan.error());
    ComposerData data;
    data.skipped = std::move(plan->skipped);
    const reports::Mailbox from {settings.reporter.name, settings.reporter.email};
    for (auto& pc : plan->complaints) {
        ComposerItem item;
        // The same message choices as `tattle report` (Date offset, XARF variant and type).
        auto m = reports::complaintMessage(
            pc.complaint, *tmpl, reports::complaintMessageOptions(pc.complaint, settings, from, q.now));
        if (m)
            item.message = std::move(*m);
        else
            item.error = m.error().message;
        item.planned = std::move(pc);
        data.items.push_back(std::move(item));
    }
    core::ComplaintStore complaints(store->database());
    auto history = complaints.history();
    if (!history) return std::unexpected(history.error());
    data.history = std::move(*history);
    auto list = complaints.list();
    if (!list) return std::unexpected(list.error());
    data.complaints = std::move(*list);
    return data;
}

Result<FinishResult> finishComplaint(const std::filesystem::path& db, const FinishRequest& request)
{
    auto composed = reports::composeMessage(request.message);
    if (!composed) return std::unexpected(composed.error());
    FinishResult out;
    out.messageId = composed->messageId;
    out.bytes = composed->bytes;
    std::string file;
    switch (request.method) {
    case core::ComplaintMethod::Smtp: {
        reports::SmtpSender sender(request.smtp);
        auto receipt = sender.send(*composed);
        if (!receipt) return std::unexpected(receipt.error());
        out.smtpReply = receipt->reply;
        break;
    }
    case core::ComplaintMethod::Eml: {
        auto saved = reports::saveEml(request.emlFile, composed->bytes);
        if (!saved) return std::unexpected(saved.error());
        file = request.emlFile.string();
        break;
    }
    case core::ComplaintMethod::Mailto:
    case core::ComplaintMethod::Copy:
        break; // the window hands the text to the mail client or the clipboard
    }
    auto store = openStore(db);
    if (!store) return std::unexpected(store.error());
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
                         .count();
    core::ComplaintStore complaints(store->database());
    auto id = complaints.record(reports::complaintRecord(
        request.planned, request.method, now, composed->messageId, request.message.subject, file));
    if (!id) return std::unexpected(id.error());
    out.complaintId = *id;
    if (request.method == core::ComplaintMethod::Smtp) {
        if (auto r = complaints.markSent(*id, now, composed->messageId); !r)
            return std::unexpected(r.error());
    }
    return out;
}

Result<void> exportSourcesCsv(const std::filesystem::path& db, const std::filesystem::path& out)
{
    auto sigs = loadSignatures();
    if (!sigs) return std::unexpected(sigs.error());
    auto store = openStore(db);
    if (!store) return std::unexpected(store.error());
    auto rows = store->sources({}, *sigs);
    if (!rows) return std::unexpected(rows.error());
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    if (!f) return fail(ErrorKind::Io, "Cannot write '" + out.string() + "'.");
    reports::writeSourcesCsv(f, *rows, true);
    f.close();
    if (!f) return fail(ErrorKind::Io, "Cannot write '" + out.string() + "'.");
    return {};
}

} // namespace tattle::app
