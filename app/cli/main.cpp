// SPDX-License-Identifier: GPL-3.0-or-later
// The `tattle` command line: a thin front end over the core, parsers and reports libraries.
#include "app/cli/report_commands.h"
#include "app/cli/resolver_commands.h"
#include "core/importer.h"
#include "core/line_reader.h"
#include "core/log_scanner.h"
#include "core/resources.h"
#include "core/settings.h"
#include "core/signatures.h"
#include "core/store/complaint_store.h"
#include "core/store/event_store.h"
#include "core/text_util.h"
#include "parsers/format_loader.h"
#include "parsers/parser_registry.h"
#include "reports/event_writer.h"
#include "reports/source_export.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sysexits.h>
#include <unistd.h>

namespace {

using namespace tattle;

/// Options shared by the commands that read logs.
struct ReadOptions {
    std::string format;
    std::string tz;
    int year = 0;
    std::vector<std::string> files;
};

struct Globals {
    std::string db;
};

void error(const std::string& message)
{
    std::cerr << "tattle: " << core::sanitizeForDisplay(message) << '\n';
}

int exitCodeFor(const Error& e)
{
    switch (e.kind) {
    case ErrorKind::Io:
        return EX_NOINPUT;
    case ErrorKind::Format:
        return EX_DATAERR;
    case ErrorKind::Usage:
        return EX_USAGE;
    case ErrorKind::Config:
        return EX_CONFIG;
    case ErrorKind::Database:
        return EX_CANTCREAT;
    default:
        return EX_SOFTWARE;
    }
}

/// A file to read, with standard input spooled so that it can be read twice.
struct InputFile {
    std::string name; ///< as the user gave it
    std::filesystem::path path; ///< what to read
    std::optional<core::TempFile> spool;
};

Result<InputFile> openInput(const std::string& name)
{
    InputFile in {name, name, std::nullopt};
    if (name == "-") {
        auto spool = core::spoolStandardInput();
        if (!spool) return std::unexpected(spool.error());
        in.path = spool->path();
        in.spool.emplace(std::move(*spool));
        return in;
    }
    std::error_code ec;
    if (!std::filesystem::exists(name, ec))
        return fail(ErrorKind::Io, "Cannot open '" + name + "': no such file.");
    return in;
}

/// The parser for a file: the one named by --format, or the one detection picks.
Result<const core::Parser*> chooseParser(
    const parsers::ParserRegistry& registry, const InputFile& in, const std::string& format)
{
    if (!format.empty()) {
        const core::Parser* p = registry.find(format);
        if (!p) return fail(ErrorKind::Usage, "Unknown format '" + format + "' (see `tattle formats`).");
        return p;
    }
    auto head = core::readHeadLines(in.path, parsers::ParserRegistry::kHeadLines);
    if (!head) return fail(head.error().kind, head.error().message);
    if (head->empty()) return fail(ErrorKind::Format, "'" + in.name + "' is empty: nothing to read.");
    std::vector<std::string_view> views(head->begin(), head->end());
    auto detection = registry.detect(views);
    if (!detection.parser) {
        std::string best = detection.candidates.empty() ? std::string("no parsers")
                                                        : detection.candidates.front().id + " scored "
                + std::to_string(detection.candidates.front().score) + ": "
                + detection.candidates.front().reason;
        return fail(ErrorKind::Format,
            "The format of '" + in.name + "' is not recognised (best guess " + best
                + "); name it with --format (see `tattle formats`).");
    }
    return detection.parser;
}

Result<core::ParseContext> makeContext(const ReadOptions& opts)
{
    core::ParseContext ctx;
    auto zone = core::TimeZone::fromName(opts.tz.empty() ? "local" : opts.tz);
    if (!zone) return std::unexpected(zone.error());
    ctx.zone = *zone;
    ctx.year = opts.year;
    return ctx;
}

Result<core::SignatureTable> loadSignatures()
{
    auto dir = core::resourcesDir();
    if (!dir) return std::unexpected(dir.error());
    return core::SignatureTable::load(*dir / "signatures.json");
}

Result<core::EventStore> openStore(const Globals& g)
{
    std::filesystem::path path = g.db.empty() ? core::defaultDatabasePath() : std::filesystem::path(g.db);
    if (g.db.empty()) {
        // The settings may name another database; a broken settings file is reported by the commands
        // that need the settings, not here.
        if (auto s = core::loadSettings(core::defaultSettingsPath()); s && !s->databasePath.empty())
            path = s->databasePath;
    }
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    return core::EventStore::open(path);
}

/// A progress line on stderr, drawn only when stderr is a terminal.
class ProgressBar {
public:
    explicit ProgressBar(std::string label)
        : m_label(std::move(label))
        , m_enabled(isatty(STDERR_FILENO) == 1)
    {
    }
    ~ProgressBar() { done(); }
    void update(std::uint64_t done, std::uint64_t total)
    {
        if (!m_enabled) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - m_last < std::chrono::milliseconds(100)) return;
        m_last = now;
        std::string line = "\r" + m_label + " ";
        if (total > 0) {
            const int pct = int(std::min<std::uint64_t>(100, done * 100 / total));
            line += "[" + std::string(std::size_t(pct / 4), '#') + std::string(std::size_t(25 - pct / 4), ' ')
                + "] " + std::to_string(pct) + "%";
        } else {
            line += std::to_string(done >> 20) + " MiB";
        }
        std::cerr << line << std::flush;
        m_drawn = true;
    }
    void done()
    {
        if (m_drawn) std::cerr << "\r\033[K" << std::flush;
        m_drawn = false;
    }

private:
    std::string m_label;
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last {};
};

int cmdPaths(const Globals& g)
{
    std::cout << "database\t" << (g.db.empty() ? core::defaultDatabasePath().string() : g.db) << '\n';
    auto res = core::resourcesDir();
    std::cout << "resources\t" << (res ? res->string() : "(not found: " + res.error().message + ")") << '\n';
    std::cout << "config\t" << core::userConfigDir().string() << '\n';
    std::cout << "settings\t" << core::defaultSettingsPath().string() << '\n';
    return res ? 0 : EX_CONFIG;
}

int cmdFormats(const parsers::ParserRegistry& registry)
{
    for (const auto& p : registry.all()) {
        std::cout << p->id() << '\t' << (parsers::dataFormatOf(*p) ? "(data) " : "")
                  << core::sanitizeForDisplay(p->description()) << '\n';
    }
    return 0;
}

/// `tattle formats --check FILE...`: loads each format file and runs its samples.
int cmdFormatsCheck(const std::vector<std::string>& files)
{
    int rc = 0;
    for (const auto& file : files) {
        auto format = parsers::loadFormatFile(file);
        if (!format) {
            for (const auto& e : format.error())
                error(e.message());
            rc = EX_DATAERR;
            continue;
        }
        const auto samples = (*format)->sampleLines().size();
        std::cout << core::sanitizeForDisplay(file) << ": format \"" << (*format)->id() << "\" ("
                  << core::sanitizeForDisplay((*format)->title()) << "): " << samples
                  << (samples == 1 ? " sample" : " samples") << " give what they expect\n";
    }
    return rc;
}

int cmdDetect(const parsers::ParserRegistry& registry, const std::vector<std::string>& files, bool verbose)
{
    int rc = 0;
    for (const auto& name : files) {
        auto in = openInput(name);
        if (!in) {
            error(in.error().message);
            rc = EX_NOINPUT;
            continue;
        }
        auto head = core::readHeadLines(in->path, parsers::ParserRegistry::kHeadLines);
        if (!head) {
            error(head.error().message);
            rc = EX_NOINPUT;
            continue;
        }
        std::vector<std::string_view> views(head->begin(), head->end());
        auto d = registry.detect(views);
        std::cout << core::sanitizeForDisplay(name) << ": "
                  << (d.parser ? std::string(d.parser->id()) : "unknown") << '\n';
        if (!d.parser) rc = EX_DATAERR;
        if (verbose) {
            // Why each format won or lost: below the threshold, outscored, or a tie lost to the parser
            // registered first (the tie-break order of parsers/builtin_parsers.cpp).
            const int best = d.parser ? d.candidates.front().score : 0;
            for (const auto& c : d.candidates) {
                std::string verdict;
                if (d.parser && c.id == d.parser->id())
                    verdict = "chosen";
                else if (c.score < parsers::ParserRegistry::kMinScore)
                    verdict = "rejected: below " + std::to_string(parsers::ParserRegistry::kMinScore);
                else if (c.score < best)
                    verdict = "rejected: " + std::string(d.parser->id()) + " scored higher";
                else
                    verdict = "rejected: tie, " + std::string(d.parser->id()) + " comes first";
                std::cout << "  " << c.id << '\t' << c.score << '\t' << verdict << '\t'
                          << core::sanitizeForDisplay(c.reason) << '\n';
            }
        }
    }
    return rc;
}

int cmdParse(const parsers::ParserRegistry& registry, const ReadOptions& opts, bool json)
{
    auto ctx = makeContext(opts);
    if (!ctx) {
        error(ctx.error().message);
        return EX_USAGE;
    }
    int rc = 0;
    std::string out;
    out.reserve(1 << 20);
    for (const auto& name : opts.files) {
        auto in = openInput(name);
        if (!in) {
            error(in.error().message);
            rc = exitCodeFor(in.error());
            continue;
        }
        auto parser = chooseParser(registry, *in, opts.format);
        if (!parser) {
            error(parser.error().message);
            rc = exitCodeFor(parser.error());
            continue;
        }
        core::ParseContext fileCtx = *ctx;
        fileCtx.fileName = name;
        if (name == "-") fileCtx.referenceTime = core::fileModificationTime("-");
        auto scanner = core::LogScanner::open(in->path, **parser, fileCtx);
        if (!scanner) {
            error(scanner.error().message);
            rc = exitCodeFor(scanner.error());
            continue;
        }
        const std::string format((*parser)->id());
        std::uint64_t events = 0;
        core::ScannedLine sl;
        while (scanner->next(sl)) {
            if (sl.status == core::ParseStatus::Malformed) {
                std::cerr << core::sanitizeForDisplay(name) << ':' << sl.lineNo << ": skipped: " << sl.reason
                          << '\n';
                continue;
            }
            if (sl.status != core::ParseStatus::Event) continue;
            ++events;
            reports::EventOrigin origin {format, name, sl.lineNo, sl.raw};
            if (json)
                reports::appendEventJson(out, scanner->event(), origin);
            else
                reports::appendEventText(out, scanner->event(), origin);
            if (out.size() > (1 << 20) - 4096) {
                std::fwrite(out.data(), 1, out.size(), stdout);
                out.clear();
            }
        }
        if (!scanner->error().empty()) {
            error(scanner->error());
            rc = EX_IOERR;
        }
        if (events == 0 && !opts.format.empty()) {
            error("No line of '" + name + "' is a " + format + " event.");
            rc = EX_DATAERR;
        }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    return rc;
}

int cmdImport(const parsers::ParserRegistry& registry, const Globals& g, const ReadOptions& opts)
{
    auto ctx = makeContext(opts);
    if (!ctx) {
        error(ctx.error().message);
        return EX_USAGE;
    }
    auto sigs = loadSignatures();
    if (!sigs) {
        error(sigs.error().message);
        return EX_CONFIG;
    }
    auto store = openStore(g);
    if (!store) {
        error(store.error().message);
        return EX_CANTCREAT;
    }
    // Open and detect every file first, so a bad name fails before anything is written.
    struct Job {
        InputFile in;
        const core::Parser* parser;
    };
    std::vector<Job> jobs;
    int rc = 0;
    std::uint64_t incoming = 0;
    for (const auto& name : opts.files) {
        auto in = openInput(name);
        if (!in) {
            error(in.error().message);
            rc = exitCodeFor(in.error());
            continue;
        }
        auto parser = chooseParser(registry, *in, opts.format);
        if (!parser) {
            error(parser.error().message);
            rc = exitCodeFor(parser.error());
            continue;
        }
        std::error_code ec;
        incoming += std::filesystem::file_size(in->path, ec);
        jobs.push_back({std::move(*in), *parser});
    }
    core::BulkImportScope bulk(*store, incoming);
    for (auto& job : jobs) {
        core::ImportOptions io;
        io.context = *ctx;
        if (job.in.name == "-") {
            io.recordedPath = "-";
            io.context.referenceTime = core::fileModificationTime("-");
        }
        ProgressBar bar("Importing " + core::sanitizeForDisplay(job.in.name));
        io.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
        auto r = core::importFile(*store, *sigs, *job.parser, job.in.path, io);
        bar.done();
        if (!r) {
            error(r.error().message);
            rc = exitCodeFor(r.error());
            continue;
        }
        std::cerr << core::sanitizeForDisplay(job.in.name) << ": " << r->format << ", " << r->linesRead
                  << " lines, " << r->eventsStored << " stored, " << r->linesIgnored << " not events, "
                  << r->linesSkipped << " skipped";
        if (r->linesAlreadyImported)
            std::cerr << " (" << r->linesAlreadyImported << " lines imported before)";
        std::cerr << '\n';
        for (const auto& s : r->firstSkipped)
            std::cerr << "  line " << s.lineNo << ": " << core::sanitizeForDisplay(s.reason) << '\n';
        if (r->linesSkipped > r->firstSkipped.size())
            std::cerr << "  ... " << r->linesSkipped - r->firstSkipped.size() << " more skipped lines\n";
        if (!r->readError.empty()) {
            error(r->readError + " The lines read before the damage are stored.");
            rc = EX_IOERR;
        } else if (!opts.format.empty() && r->eventsStored == 0 && r->linesAlreadyImported == 0) {
            // As in `tattle parse`: a format the user forced that finds nothing is a mistake, not a success.
            error("No line of '" + job.in.name + "' is a " + r->format + " event.");
            rc = EX_DATAERR;
        }
    }
    // Whether the complaints made so far helped: probes from their sources after them.
    core::ComplaintStore complaints(store->database());
    if (auto summary = complaints.responsivenessSummary(); summary && summary->first > 0) {
        std::cerr << "Complaints: " << summary->second << " of " << summary->first
                  << " were followed by more probes from their sources (see `tattle complaints`)\n";
    }
    return rc;
}

struct SourcesOptions {
    std::vector<std::string> categories;
    std::string since, until;
    std::string direction = "in";
    bool json = false, csv = false;
    std::size_t limit = 50;
};

int cmdSources(const Globals& g, const SourcesOptions& o, cli::ResolverCommands& resolverCmds)
{
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
                         .count();
    core::SourceQuery q;
    q.categories = o.categories;
    q.direction = o.direction == "out" ? core::SourceQuery::Direction::Outbound
        : o.direction == "any"         ? core::SourceQuery::Direction::Any
                                       : core::SourceQuery::Direction::Inbound;
    for (auto [text, target] : {std::pair {&o.since, &q.since}, std::pair {&o.until, &q.until}}) {
        if (text->empty()) continue;
        auto t = core::parseTimeArgument(*text, now);
        if (!t) {
            error("Cannot read the time '" + *text + "': give e.g. 2024-03-01, 2024-03-01T12:00:00Z or 7d.");
            return EX_USAGE;
        }
        *target = *t;
    }
    auto sigs = loadSignatures();
    if (!sigs) {
        error(sigs.error().message);
        return EX_CONFIG;
    }
    auto store = openStore(g);
    if (!store) {
        error(store.error().message);
        return EX_CANTCREAT;
    }
    // The text table shows the top --limit sources: only those are summarised in full.
    const bool table = !o.json && !o.csv && !resolverCmds.grouped();
    if (table) q.limit = o.limit;
    auto rows = store->sourcePage(q, *sigs);
    if (!rows) {
        error(rows.error().message);
        return exitCodeFor(rows.error());
    }
    if (resolverCmds.grouped())
        return resolverCmds.writeSources(*store, rows->sources, o.json, o.csv, o.limit);
    if (o.json)
        reports::writeSourcesJson(std::cout, rows->sources);
    else if (o.csv)
        reports::writeSourcesCsv(std::cout, rows->sources, false);
    else
        reports::writeSourcesTable(std::cout, *rows, o.limit);
    return std::cout.good() ? 0 : EX_IOERR;
}

int cmdExportCsv(const Globals& g, const std::string& output)
{
    auto sigs = loadSignatures();
    if (!sigs) {
        error(sigs.error().message);
        return EX_CONFIG;
    }
    auto store = openStore(g);
    if (!store) {
        error(store.error().message);
        return EX_CANTCREAT;
    }
    auto rows = store->sources({}, *sigs);
    if (!rows) {
        error(rows.error().message);
        return exitCodeFor(rows.error());
    }
    if (output.empty() || output == "-") {
        reports::writeSourcesCsv(std::cout, *rows, true);
        return std::cout.good() ? 0 : EX_IOERR;
    }
    std::ofstream out(output, std::ios::binary);
    if (!out) {
        error("Cannot write '" + output + "'.");
        return EX_CANTCREAT;
    }
    reports::writeSourcesCsv(out, *rows, true);
    out.close();
    if (!out) {
        error("Cannot write '" + output + "'.");
        return EX_IOERR;
    }
    std::cerr << "Wrote " << rows->size() << " sources to " << core::sanitizeForDisplay(output) << '\n';
    return 0;
}

void addReadOptions(CLI::App* cmd, ReadOptions& o)
{
    cmd->add_option("--format", o.format, "Log format (default: detected per file; see `tattle formats`)");
    cmd->add_option("--tz", o.tz,
        "Time zone of local times in the logs: IANA name, UTC or +HH:MM (default: this machine's)");
    cmd->add_option("--year", o.year,
           "Year for syslog timestamps that have none (default: inferred from the file date)")
        ->check(CLI::Range(1970, 9999));
    cmd->add_option("files", o.files, "Log files (.gz allowed; - for standard input)")->required();
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app {"tattle: see who probes your machine, find their ISP's abuse contact, and complain."};
    app.set_version_flag("--version", std::string("tattle ") + TATTLE_VERSION);
    app.require_subcommand(1);
    // Global options such as --db are accepted after the subcommand too: `tattle import --db FILE LOG`.
    app.fallthrough();
    Globals g;
    app.add_option("--db", g.db, "Database file (default: $XDG_DATA_HOME/tattle/tattle.db)")
        ->envname("TATTLE_DB");

    auto* formats = app.add_subcommand("formats", "List the log formats tattle reads");
    std::vector<std::string> formatFiles;
    formats->add_option("--check", formatFiles,
        "Check format definition files (JSON): load each and run its samples; exit 65 on any error");
    auto* paths = app.add_subcommand("paths", "Show where tattle keeps its database, resources and settings");

    std::vector<std::string> detectFiles;
    bool detectVerbose = false;
    auto* detect = app.add_subcommand("detect", "Say which format each file is in");
    detect->add_flag("-v,--verbose", detectVerbose, "Show every format's score and reason");
    detect->add_option("files", detectFiles, "Log files")->required();

    ReadOptions parseOpts;
    bool parseJson = false;
    auto* parse = app.add_subcommand("parse", "Print the events in log files, without storing them");
    addReadOptions(parse, parseOpts);
    parse->add_flag("--json", parseJson, "JSON Lines: one object per event");

    ReadOptions importOpts;
    auto* import = app.add_subcommand("import", "Read log files into the database");
    addReadOptions(import, importOpts);

    SourcesOptions srcOpts;
    auto* sources = app.add_subcommand("sources", "Summarise the stored events per source address");
    sources->add_option(
        "--category", srcOpts.categories, "Only probes of this category or group (repeatable)");
    sources->add_option(
        "--since", srcOpts.since, "Only events at or after this time (2024-03-01, RFC 3339, or 7d)");
    sources->add_option("--until", srcOpts.until, "Only events before this time");
    sources
        ->add_option("--direction", srcOpts.direction,
            "in: what probed this machine (default, includes unknown direction); out: what it sent; any")
        ->check(CLI::IsMember({"in", "out", "any"}));
    auto* jsonFlag = sources->add_flag("--json", srcOpts.json, "One JSON array of objects");
    sources->add_flag("--csv", srcOpts.csv, "RFC 4180 CSV")->excludes(jsonFlag);
    sources->add_option("--limit", srcOpts.limit, "Rows in the text table (0: all)");
    cli::ResolverCommands resolverCmds;
    resolverCmds.add(app, sources);

    auto* exportCmd = app.add_subcommand("export", "Export the stored data");
    exportCmd->require_subcommand(1);
    std::string csvOut;
    auto* exportCsv
        = exportCmd->add_subcommand("csv", "The per-source summary as spreadsheet-safe RFC 4180 CSV");
    exportCsv->add_option("-o,--output", csvOut, "Output file (default: standard output)");
    cli::ReportCommands reportCmds;
    reportCmds.add(app, exportCmd, exportCsv);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : EX_USAGE;
    }

    try {
        if (formats->parsed() && !formatFiles.empty()) return cmdFormatsCheck(formatFiles);
        // A format file that does not load is named in a warning; tattle goes on without it.
        auto loaded = parsers::loadDefaultRegistry();
        const auto& registry = loaded.registry;
        if (formats->parsed() || detect->parsed() || parse->parsed() || import->parsed()) {
            for (const auto& w : loaded.warnings)
                std::cerr << "tattle: warning: " << core::sanitizeForDisplay(w) << '\n';
        }
        if (paths->parsed()) return cmdPaths(g);
        if (formats->parsed()) return cmdFormats(registry);
        if (detect->parsed()) return cmdDetect(registry, detectFiles, detectVerbose);
        if (parse->parsed()) return cmdParse(registry, parseOpts, parseJson);
        if (import->parsed()) return cmdImport(registry, g, importOpts);
        if (sources->parsed()) return cmdSources(g, srcOpts, resolverCmds);
        if (resolverCmds.parsed()) return resolverCmds.run([&g] { return openStore(g); });
        if (reportCmds.parsed()) return reportCmds.run([&g] { return openStore(g); });
        if (exportCsv->parsed()) return cmdExportCsv(g, csvOut);
    } catch (const std::exception& e) {
        // The one place an unexpected failure is reported: a broken invariant, not user error.
        error(std::string("internal error: ") + e.what());
        return EX_SOFTWARE;
    }
    return EX_USAGE;
}
