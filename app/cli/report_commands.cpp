// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/report_commands.h"

#include "core/report_policy.h"
#include "core/resolver/cache.h"
#include "core/resolver/grouping.h"
#include "core/resources.h"
#include "core/settings.h"
#include "core/signatures.h"
#include "core/store/complaint_store.h"
#include "core/text_util.h"
#include "reports/complaint_message.h"
#include "reports/exports.h"
#include "reports/mailto.h"
#include "reports/mime_message.h"
#include "reports/network_export.h"
#include "reports/report_planner.h"
#include "reports/smtp_sender.h"
#include "reports/template.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <spawn.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

extern char** environ;

namespace tattle::cli {

namespace {

void error(const std::string& message)
{
    std::cerr << "tattle: " << core::sanitizeForDisplay(message) << '\n';
}

int exitCodeFor(const Error& e)
{
    switch (e.kind) {
    case ErrorKind::Usage:
        return EX_USAGE;
    case ErrorKind::Config:
        return EX_CONFIG;
    case ErrorKind::Database:
        return EX_CANTCREAT;
    case ErrorKind::NotFound:
    case ErrorKind::Io:
        return EX_IOERR;
    default:
        return EX_SOFTWARE;
    }
}

core::Micros nowMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Result<core::Settings> userSettings()
{
    std::vector<std::string> warnings;
    auto s = core::loadSettings(core::defaultSettingsPath(), &warnings);
    for (const auto& w : warnings)
        std::cerr << "tattle: warning: " << core::sanitizeForDisplay(w) << '\n';
    return s;
}

Result<core::SignatureTable> signatures()
{
    auto dir = core::resourcesDir();
    if (!dir) return std::unexpected(dir.error());
    return core::SignatureTable::load(*dir / "signatures.json");
}

/// The shipped scanner list, plus the user's own entries ($XDG_CONFIG_HOME/tattle/scanners.json).
Result<core::ReportPolicy> policy(const core::Settings& settings)
{
    auto dir = core::resourcesDir();
    if (!dir) return std::unexpected(dir.error());
    auto list = core::ScannerList::load(*dir / "scanners.json");
    if (!list) return std::unexpected(list.error());
    const auto mine = core::userConfigDir() / "scanners.json";
    std::error_code ec;
    if (std::filesystem::exists(mine, ec)) {
        auto own = core::ScannerList::load(mine);
        if (!own) return std::unexpected(own.error());
        list->append(*own);
    }
    return core::ReportPolicy::create(settings, std::move(*list));
}

Result<std::optional<core::Micros>> timeOption(const std::string& text, core::Micros now, const char* name)
{
    if (text.empty()) return std::optional<core::Micros>();
    auto t = core::parseTimeArgument(text, now);
    if (!t)
        return fail(ErrorKind::Usage,
            std::string("Cannot read the time '") + text + "' of " + name
                + ": give e.g. 2024-03-01, 2024-03-01T12:00:00Z or 7d.");
    return std::optional<core::Micros>(*t);
}

/// Writes to the file (replacing it) or standard output ("" or "-").
int withOutput(const std::string& file, const std::function<int(std::ostream&)>& write)
{
    if (file.empty() || file == "-") {
        const int rc = write(std::cout);
        std::cout.flush();
        return rc != 0 ? rc : std::cout.good() ? 0 : EX_IOERR;
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) {
        error("Cannot write '" + file + "'.");
        return EX_CANTCREAT;
    }
    const int rc = write(out);
    out.close();
    if (rc == 0 && !out) {
        error("Cannot write '" + file + "'.");
        return EX_IOERR;
    }
    return rc;
}

/// How long a mailto: URL may be when xdg-open hands it over (one argument; the kernel allows 128 KiB).
constexpr std::size_t kMailtoLimit = 100'000;

/// Runs `xdg-open url` (found on PATH, no shell) and waits for it.
Result<void> openUrl(const std::string& url)
{
    std::string prog = "xdg-open";
    std::string arg = url;
    char* argv[] = {prog.data(), arg.data(), nullptr};
    pid_t pid = 0;
    if (const int rc = posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv, environ); rc != 0)
        return fail(ErrorKind::Io, std::string("cannot run xdg-open: ") + std::strerror(rc) + ".");
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return fail(ErrorKind::Io, "xdg-open did not finish.");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(ErrorKind::Io, "xdg-open could not open the mail client.");
    return {};
}

/// y: make it, n: skip it, q: stop.
char ask(const std::string& question)
{
    for (;;) {
        std::cerr << question << " [y]es, [n]o, [q]uit: " << std::flush;
        std::string answer;
        if (!std::getline(std::cin, answer)) return 'q';
        if (answer == "y" || answer == "yes") return 'y';
        if (answer == "n" || answer == "no") return 'n';
        if (answer == "q" || answer == "quit") return 'q';
    }
}

std::string dateText(core::Micros t)
{
    return core::formatRfc3339(t).substr(0, 10);
}

} // namespace

void ReportCommands::add(CLI::App& app, CLI::App* exportCmd, CLI::App* exportCsv)
{
    m_report = app.add_subcommand("report",
        "Make abuse complaints: one per abuse contact, covering every probe not reported yet (shows them and "
        "asks for each one)");
    m_report->add_option("--contact", m_contact, "Only complaints to this abuse contact (e-mail address)");
    m_report->add_option(
        "--since", m_since, "Only events at or after this time (2024-03-01, RFC 3339, or 7d)");
    m_report->add_option("--until", m_until, "Only events before this time");
    m_report->add_option("--category", m_categories, "Only probes of this category or group (repeatable)");
    m_report->add_option("--min-events", m_minEvents, "Leave out sources with fewer events")
        ->check(CLI::Range(std::int64_t(1), std::int64_t(1) << 40));
    m_report->add_option("--max-sources", m_maxSources,
        "At most this many sources per complaint, most active first; the rest wait for the next one (0: "
        "all)");
    m_report->add_flag("--all-grades", m_allGrades,
        "Include sources with weak evidence (UDP/ICMP only, a single SYN); the complaint says the address "
        "may be "
        "forged");
    m_report->add_flag("--again", m_again, "Cover events that earlier complaints covered too");
    auto* out = m_report->add_option("--out", m_outDir, "Write one .eml file per complaint into this folder");
    auto* send
        = m_report->add_flag("--send", m_send, "Send each complaint by SMTP (settings smtp.url or --smtp)");
    auto* dry = m_report->add_flag("--dry-run", m_dryRun,
        "Print exactly what would be sent (SMTP commands and message); record nothing");
    auto* mailto = m_report->add_flag("--mailto", m_mailto,
        "Open each complaint in your mail client (xdg-open with a mailto: URL; text only, no attachments)");
    out->excludes(send)->excludes(dry)->excludes(mailto);
    send->excludes(dry)->excludes(mailto);
    dry->excludes(mailto);
    m_report->add_flag("--yes", m_yes, "Approve every complaint without asking");
    m_report->add_option(
        "--smtp", m_smtp, "Submission server: smtp://host:587 (STARTTLS) or smtps://host:465");
    m_report->add_option(
        "--from", m_from, "Sender: \"Name <address>\" (default: settings reporter.name/email)");
    m_report->add_option("--smtp-ca", m_caFile, "Extra trusted CA certificates (PEM) for the SMTP server");
    m_report->add_flag("--smtp-plain", m_allowPlain,
        "Allow an smtp:// session without STARTTLS, to a loopback server only (a local MTA)");

    m_complaints = app.add_subcommand(
        "complaints", "The complaints made, newest first, and whether the probes stopped");
    m_complaints->add_option("--contact", m_contact, "Only complaints to this abuse contact");
    m_complaints->add_flag("--json", m_complaintsJson, "One JSON array of objects");

    m_settings = app.add_subcommand(
        "settings", "Show or change the settings ($XDG_CONFIG_HOME/tattle/settings.json)");
    m_settings->require_subcommand(1);
    m_settingsShow
        = m_settings->add_subcommand("show", "Print the settings as JSON (without the SMTP password)");
    m_settingsSet = m_settings->add_subcommand(
        "set", "Set one value: tattle settings set reporter.email me@example.org");
    m_settingsSet
        ->add_option("key", m_key, "Dotted key (reporter.name, smtp.url, cooldownDays, ownNetworks, ...)")
        ->required();
    m_settingsSet->add_option("value", m_value, "The value; lists are comma-separated, \"\" clears")
        ->required();
    m_settingsPath = m_settings->add_subcommand("path", "Print where the settings file is");

    m_exportCsv = exportCsv;
    exportCsv->add_option("--by", m_csvBy, "Rows per ip (with its network), network, isp or event")
        ->check(CLI::IsMember({"ip", "network", "isp", "event"}));
    m_exportJson = exportCmd->add_subcommand("json", "Sources with networks, groups or events as JSON");
    m_exportJson->add_option("--by", m_jsonBy, "ip (default), network, isp, contact or event (JSON Lines)")
        ->check(CLI::IsMember({"ip", "network", "isp", "contact", "event"}));
    m_exportJson->add_option("-o,--output", m_output, "Output file (default: standard output)");
    m_exportAbuseIpdb = exportCmd->add_subcommand(
        "abuseipdb", "AbuseIPDB bulk-report CSV, filtered by its reporting policy (account on stderr)");
    m_exportAbuseIpdb->add_option("-o,--output", m_output, "Output file (default: standard output)");
    m_exportAbuseIpdb->add_option("--since", m_exportSince, "Only events at or after this time");
    m_exportDshield
        = exportCmd->add_subcommand("dshield", "DShield (Internet Storm Center) firewall log lines");
    m_exportDshield->add_option("-o,--output", m_output, "Output file (default: standard output)");
    m_exportDshield->add_option(
        "--since", m_exportSince, "Only events at or after this time (submit new lines only)");
    m_exportDshield->add_option("--userid", m_dshieldUser, "Your DShield user id (0: anonymous)")
        ->check(CLI::Range(std::int64_t(0), std::int64_t(1) << 40));
    exportCsv->add_option("--since", m_exportSince, "With --by: only events at or after this time");
}

bool ReportCommands::parsed() const
{
    return m_report->parsed() || m_complaints->parsed() || m_settings->parsed() || m_exportJson->parsed()
        || m_exportAbuseIpdb->parsed() || m_exportDshield->parsed()
        || (m_exportCsv->parsed() && csvGrouped());
}

int ReportCommands::run(const OpenStore& openStore)
{
    if (m_report->parsed()) return runReport(openStore);
    if (m_complaints->parsed()) return runComplaints(openStore);
    if (m_settings->parsed()) return runSettings();
    return runExport(openStore);
}

int ReportCommands::runSettings()
{
    const auto path = core::defaultSettingsPath();
    if (m_settingsPath->parsed()) {
        std::cout << path.string() << '\n';
        return 0;
    }
    auto s = userSettings();
    if (!s) {
        error(s.error().message);
        return EX_CONFIG;
    }
    if (m_settingsShow->parsed()) {
        std::cout << core::settingsToJson(*s, false);
        return 0;
    }
    if (auto r = core::setSetting(*s, m_key, m_value); !r) {
        error(r.error().message);
        return exitCodeFor(r.error());
    }
    if (auto r = core::saveSettings(*s, path); !r) {
        error(r.error().message);
        return EX_CANTCREAT;
    }
    return 0;
}

int ReportCommands::runReport(const OpenStore& openStore)
{
    const core::Micros now = nowMicros();
    const bool interactive = isatty(STDIN_FILENO) == 1;
    const bool making = !m_outDir.empty() || m_send || m_mailto;
    if (making && !m_yes && !interactive) {
        error("Not asking for approval on a non-terminal: add --yes to approve every complaint.");
        return EX_USAGE;
    }
    auto settings = userSettings();
    if (!settings) {
        error(settings.error().message);
        return EX_CONFIG;
    }
    auto since = timeOption(m_since, now, "--since");
    auto until = timeOption(m_until, now, "--until");
    for (const auto* t : {&since, &until}) {
        if (!*t) {
            error(t->error().message);
            return EX_USAGE;
        }
    }
    auto sigs = signatures();
    if (!sigs) {
        error(sigs.error().message);
        return EX_CONFIG;
    }
    auto pol = policy(*settings);
    if (!pol) {
        error(pol.error().message);
        return EX_CONFIG;
    }
    auto store = openStore();
    if (!store) {
        error(store.error().message);
        return EX_CANTCREAT;
    }
    reports::PlanQuery q;
    q.contact = m_contact;
    q.since = *since;
    q.until = *until;
    q.categories = m_categories;
    q.minEvents = m_minEvents;
    q.allGrades = m_allGrades;
    q.includeReported = m_again;
    q.maxSourcesPerComplaint = m_maxSources;
    q.now = now;
    auto plan = reports::planComplaints(*store, *sigs, *settings, *pol, q);
    if (!plan) {
        error(plan.error().message);
        return exitCodeFor(plan.error());
    }

    // Every source left out, with why (other contacts' sources only counted when --contact is given).
    std::map<std::string, int> reasons;
    std::size_t otherContact = 0;
    for (const auto& s : plan->skipped) {
        if (s.reason == core::SkipReason::NotThisContact) {
            ++otherContact;
            continue;
        }
        ++reasons[std::string(core::skipReasonName(s.reason))];
        std::cerr << "left out " << s.address.toString() << " (" << s.events
                  << " events): " << core::sanitizeForDisplay(s.why) << '\n';
    }
    if (otherContact) std::cerr << "left out " << otherContact << " sources of other abuse contacts\n";

    if (plan->complaints.empty()) {
        std::cerr << "Nothing to report: no probe that is not reported yet has a source to complain about.\n";
        return 0;
    }
    const bool needMessage = making || m_dryRun;
    reports::Mailbox from;
    std::optional<reports::Template> tmpl;
    std::optional<reports::SmtpSender> sender;
    if (needMessage) {
        if (!m_from.empty()) {
            auto mb = reports::parseMailbox(m_from, "--from");
            if (!mb) {
                error(mb.error().message);
                return EX_USAGE;
            }
            from = *mb;
        } else if (!settings->reporter.email.empty()) {
            from = {settings->reporter.name, settings->reporter.email};
        } else {
            error("No sender address: give --from or set it with `tattle settings set reporter.email "
                  "ADDRESS`.");
            return EX_CONFIG;
        }
        auto file = reports::findTemplate(settings->templateName);
        if (!file) {
            error(file.error().message);
            return EX_CONFIG;
        }
        auto t = reports::Template::load(*file);
        if (!t) {
            error(t.error().message);
            return EX_CONFIG;
        }
        tmpl = std::move(*t);
        const std::string url = !m_smtp.empty() ? m_smtp : settings->smtp.url;
        if (m_send && url.empty()) {
            error("No SMTP server: give --smtp URL or set it with `tattle settings set smtp.url "
                  "smtp://host:587`.");
            return EX_CONFIG;
        }
        if (!url.empty()) {
            reports::SmtpOptions o;
            o.url = url;
            o.user = settings->smtp.user;
            // The variable first, then the settings file (the keychain is the GUI's).
            const char* pw = std::getenv(reports::kSmtpPasswordVariable);
            o.password = pw && *pw ? pw : settings->smtp.password;
            o.requireTls = !m_allowPlain;
            o.caFile = m_caFile;
            sender.emplace(std::move(o));
        }
        if (!m_outDir.empty()) {
            std::error_code ec;
            std::filesystem::create_directories(m_outDir, ec);
            if (ec) {
                error("Cannot create the folder '" + m_outDir + "': " + ec.message() + ".");
                return EX_CANTCREAT;
            }
        }
    }
    core::ComplaintStore complaints(store->database());

    int rc = 0, made = 0, cooling = 0;
    std::int64_t eventsCovered = 0;
    const std::size_t total = plan->complaints.size();
    for (std::size_t i = 0; i < total; ++i) {
        const auto& pc = plan->complaints[i];
        const auto& c = pc.complaint;
        const std::string contact = core::sanitizeForDisplay(c.contactEmail);
        const std::string heading = "Complaint " + std::to_string(i + 1) + " of " + std::to_string(total)
            + " to " + contact + ": " + std::to_string(c.sources.size()) + " source"
            + (c.sources.size() == 1 ? "" : "s") + ", " + std::to_string(pc.eventCount()) + " events";
        if (pc.cooldownUntil) {
            ++cooling;
            std::cerr << contact << ": in cooldown until " << core::formatRfc3339(*pc.cooldownUntil)
                      << " (a complaint went there less than " << settings->cooldownDays << " days ago); its "
                      << pc.eventCount() << " events wait\n";
            continue;
        }
        if (!needMessage) {
            std::cout << heading << '\n';
            for (std::size_t k = 0; k < c.sources.size(); ++k)
                std::cout << "  " << c.sources[k].address.toString() << "  " << c.sources[k].eventCount
                          << " events  " << core::evidenceGradeName(pc.evidence[k].grade) << '\n';
            continue;
        }
        auto mo = reports::complaintMessageOptions(c, *settings, from, now);
        mo.draft = !m_outDir.empty();
        if (m_mailto)
            mo.machineReadable = reports::MachineReadable::None; // a mailto: URL carries no attachment
        auto message = reports::complaintMessage(c, *tmpl, mo);
        if (!message) {
            error(contact + ": " + message.error().message);
            rc = exitCodeFor(message.error());
            continue;
        }
        auto composed = reports::composeMessage(*message);
        if (!composed) {
            error(contact + ": " + composed.error().message);
            rc = exitCodeFor(composed.error());
            continue;
        }
        if (m_dryRun) {
            std::cout << "# " << heading << "\r\n";
            if (sender) {
                auto text = sender->dryRun(*composed);
                if (!text) {
                    error(text.error().message);
                    return exitCodeFor(text.error());
                }
                std::cout << *text;
            } else {
                std::cout << composed->bytes;
            }
            continue;
        }
        if (!m_yes) {
            std::cerr << "\n"
                      << heading << "\nTo: " << contact
                      << "\nSubject: " << core::sanitizeForDisplay(message->subject) << "\n\n"
                      << message->body << "\n";
            const char a = ask("Make this complaint to " + contact + "?");
            if (a == 'q') break;
            if (a == 'n') continue;
        }
        core::NewComplaint record;
        if (m_mailto) {
            // xdg-open hands the URL to the mail client as one argument (up to 128 KiB on Linux, see
            // reports/mailto.h); Windows' 2,000-character limit does not apply here.
            auto url
                = reports::buildMailto({{c.contactEmail}, {}, message->subject, message->body}, kMailtoLimit);
            if (!url) {
                error(contact + ": " + url.error().message);
                rc = exitCodeFor(url.error());
                continue;
            }
            if (!url->fits()) {
                error(contact + ": the complaint is too long for a mailto: URL ("
                    + std::to_string(url->url.size()) + " characters); save it with --out instead.");
                rc = EX_DATAERR;
                continue;
            }
            if (auto opened = openUrl(url->url); !opened) {
                error(contact + ": " + opened.error().message);
                rc = EX_UNAVAILABLE;
                continue;
            }
            std::cerr << "opened in the mail client: " << contact << '\n';
            record = reports::complaintRecord(pc, core::ComplaintMethod::Mailto, now, "", message->subject);
        } else if (!m_outDir.empty()) {
            std::filesystem::path path;
            for (int n = 0;; ++n) {
                path = std::filesystem::path(m_outDir) / reports::emlFileName(c, n);
                std::error_code ec;
                if (!std::filesystem::exists(path, ec)) break;
            }
            if (auto r = reports::saveEml(path, composed->bytes); !r) {
                error(r.error().message);
                return EX_CANTCREAT;
            }
            std::cerr << "wrote " << path.string() << '\n';
            record = reports::complaintRecord(
                pc, core::ComplaintMethod::Eml, now, composed->messageId, message->subject, path.string());
        } else {
            auto receipt = sender->send(*composed);
            if (!receipt) {
                error(contact + ": not sent: " + receipt.error().message);
                rc = EX_UNAVAILABLE;
                continue;
            }
            std::cerr << "sent to " << contact << ": " << core::sanitizeForDisplay(receipt->reply) << '\n';
            record = reports::complaintRecord(
                pc, core::ComplaintMethod::Smtp, now, composed->messageId, message->subject);
            record.record.sentAt = nowMicros();
        }
        auto id = complaints.record(record);
        if (!id) {
            error(id.error().message);
            return EX_CANTCREAT;
        }
        ++made;
        eventsCovered += pc.eventCount();
    }
    if (!needMessage)
        std::cerr
            << "Preview only: --out DIR writes .eml files, --send sends, --mailto opens your mail client, "
               "--dry-run shows what would be sent.\n";
    else if (!m_dryRun)
        std::cerr << "Made " << made << " complaint" << (made == 1 ? "" : "s") << " covering "
                  << eventsCovered << " events"
                  << (cooling ? "; " + std::to_string(cooling) + " contacts in cooldown" : std::string())
                  << ".\n";
    else
        std::cerr << "Dry run: nothing was sent or recorded.\n";
    return rc;
}

int ReportCommands::runComplaints(const OpenStore& openStore)
{
    auto store = openStore();
    if (!store) {
        error(store.error().message);
        return EX_CANTCREAT;
    }
    core::ComplaintStore cs(store->database());
    auto list = cs.list(m_contact);
    if (!list) {
        error(list.error().message);
        return exitCodeFor(list.error());
    }
    if (m_complaintsJson) std::cout << '[';
    bool first = true;
    for (const auto& c : *list) {
        auto resp = cs.responsiveness(c.id);
        if (!resp) {
            error(resp.error().message);
            return exitCodeFor(resp.error());
        }
        if (m_complaintsJson) {
            std::string o = first ? "\n" : ",\n";
            first = false;
            o += "{\"id\":" + std::to_string(c.id) + ",\"contact\":";
            core::appendJsonString(o, c.contactEmail);
            o += ",\"contact_name\":";
            core::appendJsonString(o, c.contactName);
            o += ",\"method\":";
            core::appendJsonString(o, core::complaintMethodName(c.method));
            o += ",\"created_at\":";
            core::appendJsonString(o, core::formatRfc3339(c.createdAt));
            o += ",\"sent_at\":";
            if (c.sentAt)
                core::appendJsonString(o, core::formatRfc3339(*c.sentAt));
            else
                o += "null";
            o += ",\"message_id\":";
            core::appendJsonString(o, c.messageId);
            o += ",\"subject\":";
            core::appendJsonString(o, c.subject);
            o += ",\"sources\":" + std::to_string(c.sources) + ",\"events\":" + std::to_string(c.events)
                + ",\"later_events\":" + std::to_string(resp->laterEvents)
                + ",\"sources_still_active\":" + std::to_string(resp->sourcesStillActive) + ",\"last_seen\":";
            if (resp->lastSeen)
                core::appendJsonString(o, core::formatRfc3339(*resp->lastSeen));
            else
                o += "null";
            o += ",\"stopped\":" + std::string(resp->stopped() ? "true" : "false") + "}";
            std::cout << o;
            continue;
        }
        std::cout << dateText(c.createdAt) << "  " << core::sanitizeForDisplay(c.contactEmail) << "  "
                  << core::complaintMethodName(c.method) << "  " << c.sources << " sources, " << c.events
                  << " events  ";
        if (resp->stopped())
            std::cout << "no probes from them since";
        else
            std::cout << "still probing: " << resp->laterEvents << " events from " << resp->sourcesStillActive
                      << " source" << (resp->sourcesStillActive == 1 ? "" : "s") << " since, last "
                      << core::formatRfc3339(*resp->lastSeen);
        std::cout << '\n';
    }
    if (m_complaintsJson) std::cout << (list->empty() ? "]\n" : "\n]\n");
    if (!m_complaintsJson && list->empty()) std::cerr << "No complaints yet.\n";
    return 0;
}

int ReportCommands::runExport(const OpenStore& openStore)
{
    const core::Micros now = nowMicros();
    auto since = timeOption(m_exportSince, now, "--since");
    if (!since) {
        error(since.error().message);
        return EX_USAGE;
    }
    auto settings = userSettings();
    if (!settings) {
        error(settings.error().message);
        return EX_CONFIG;
    }
    auto sigs = signatures();
    if (!sigs) {
        error(sigs.error().message);
        return EX_CONFIG;
    }
    auto store = openStore();
    if (!store) {
        error(store.error().message);
        return EX_CANTCREAT;
    }
    core::EventFilter filter;
    filter.since = *since;
    filter.unreportedOnly = false;

    if (m_exportAbuseIpdb->parsed() || m_exportDshield->parsed()) {
        auto pol = policy(*settings);
        if (!pol) {
            error(pol.error().message);
            return EX_CONFIG;
        }
        if (m_exportDshield->parsed()) {
            std::int64_t skipped = 0, lines = 0;
            const int rc = withOutput(m_output, [&](std::ostream& out) {
                auto r = reports::writeDshieldLog(out, *store, filter, *pol, m_dshieldUser, skipped);
                if (!r) {
                    error(r.error().message);
                    return exitCodeFor(r.error());
                }
                lines = *r;
                return 0;
            });
            std::cerr
                << "DShield: " << lines << " lines; " << skipped
                << " events left out (special-purpose, own, allow-listed or research-scanner sources)\n";
            return rc;
        }
        reports::AbuseIpdbOptions o;
        o.now = now;
        reports::AbuseIpdbAccount account;
        const int rc = withOutput(m_output, [&](std::ostream& out) {
            auto r = reports::exportAbuseIpdb(out, *store, filter, *sigs, *pol, o);
            if (!r) {
                error(r.error().message);
                return exitCodeFor(r.error());
            }
            account = *r;
            return 0;
        });
        std::cerr << "AbuseIPDB: " << account.rows
                  << " sources written (policy: https://www.abuseipdb.com/reporting-policy)\n";
        for (const auto& [why, n] : account.leftOut)
            std::cerr << "  left out " << n << " source" << (n == 1 ? "" : "s") << ": " << why << '\n';
        return rc;
    }

    const std::string by = m_exportCsv->parsed() ? m_csvBy : m_jsonBy;
    const bool json = m_exportJson->parsed();
    if (m_exportCsv->parsed()) {
        // `export csv` has its -o option from main.cpp.
        const auto* o = m_exportCsv->get_option("--output");
        m_output = o->count() ? o->as<std::string>() : std::string();
    }
    if (by == "event") {
        return withOutput(m_output, [&](std::ostream& out) {
            auto r = json ? reports::writeEventsJson(out, *store, filter)
                          : reports::writeEventsCsv(out, *store, filter);
            if (!r) {
                error(r.error().message);
                return exitCodeFor(r.error());
            }
            return 0;
        });
    }
    core::SourceQuery q;
    q.since = *since;
    auto rows = store->sources(q, *sigs);
    if (!rows) {
        error(rows.error().message);
        return exitCodeFor(rows.error());
    }
    std::vector<core::resolver::SourceView> views;
    {
        core::resolver::NetworkCache cache(store->database());
        views = core::resolver::loadSourceViews(cache);
    }
    return withOutput(m_output, [&](std::ostream& out) {
        if (by == "ip") {
            if (json)
                reports::writeSourcesWithNetworksJson(out, *rows, views);
            else
                reports::writeSourcesWithNetworksCsv(out, *rows, views, true);
            return 0;
        }
        const auto groupBy = by == "network" ? core::resolver::GroupBy::Network
            : by == "isp"                    ? core::resolver::GroupBy::Isp
                                             : core::resolver::GroupBy::Contact;
        core::resolver::GroupingOptions go;
        go.ipv6Prefix = settings->ipv6Prefix;
        const auto groups = core::resolver::groupSources(*rows, views, groupBy, go);
        if (json)
            reports::writeGroupsJson(out, groups);
        else
            reports::writeGroupsCsv(out, groups, true);
        return 0;
    });
}

} // namespace tattle::cli
