// SPDX-License-Identifier: GPL-3.0-or-later
// Conformance of the built-in parsers with real third-party logs (tests read them from samplesDir(), see
// ../shared/samples/SOURCES.md): every sample file is detected from its head as tattle does it, parsed line
// by line, and its Event / Ignored / NotMine / Malformed counts must match the table below exactly, so any
// change in what a parser accepts shows up here. Where a sample's .expected.json names field values (from
// the CrowdSec hub, Elastic and Logstash test suites), the events on those lines must carry them.
#include "core/event.h"
#include "core/parser.h"
#include "parsers/parser_registry.h"
#include "test_support.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace tattle;
using core::ParseStatus;
namespace fs = std::filesystem;
using Json = nlohmann::json;

struct Counts {
    int events = 0, ignored = 0, notMine = 0, malformed = 0;
    friend bool operator==(const Counts&, const Counts&) = default;
};

std::ostream& operator<<(std::ostream& os, const Counts& c)
{
    return os << "Event " << c.events << " / Ignored " << c.ignored << " / NotMine " << c.notMine
              << " / Malformed " << c.malformed;
}

struct Row {
    const char* folder;
    const char* file;
    const char* detected; // the parser detection must choose; "" when no parser may claim the file
    Counts counts; // with the detected parser, or with the folder's parser when nothing is detected
    const char* parser = nullptr; // the parser to use when nothing is detected, if not the folder's
};

// Counts are of non-empty lines.
const Row kRows[] = {
    // netfilter ---------------------------------------------------------------------------------------------
    {"netfilter", "crowdsec-iptables-portscan.log", "netfilter", {49, 0, 0, 0}},
    // Line 3 has "XX=enp1s0" for its IN=: no interface at all, Malformed (CrowdSec fails it too).
    {"netfilter", "crowdsec-iptables.log", "netfilter", {3, 0, 0, 1}},
    // CrowdSec's grok fails lines 2, 5, 7, 8 and 9 (ACCEPT, bridged, host OUT, no verdict); all are records.
    {"netfilter", "crowdsec-proxmox-pve-firewall.log", "netfilter", {10, 0, 0, 0}},
    // Line 4 is sshd.
    {"netfilter", "crowdsec-unifi-iptables.log", "netfilter", {3, 0, 1, 0}},
    {"netfilter", "elastic-iptables-raw.log", "netfilter", {26, 0, 0, 0}},
    // Logstash's SFW2 pattern refuses lines 3 and 4 (unpadded day, other prefix); they are valid records.
    {"netfilter", "logstash-sfw2.log", "netfilter", {5, 0, 0, 0}},
    {"netfilter", "logstash-shorewall.log", "netfilter", {2, 0, 0, 0}},
    // firewalld's own daemon messages, no packet records: nothing may claim the file.
    {"netfilter", "wazuh-firewalld-daemon.log", "", {0, 0, 3, 0}},
    {"netfilter", "wazuh-iptables.log", "netfilter", {10, 0, 0, 0}},
    // elastic-journald-event.json is skipped: one journald JSON document (journalctl -o json), which no
    // line parser reads; only *.log files are checked.

    // zonealarm ---------------------------------------------------------------------------------------------
    // FWIN/FWOUT/FWROUTE and their _OK forms are packets; PE (program events) and ACCESS lines are not.
    {"zonealarm", "ossec-docs-zalog-fwin-fwout.log", "zonealarm", {25, 8, 0, 0}},
    // The client banner, column headers and program events only: no packet record at all.
    {"zonealarm", "ossec-docs-zalog-header-and-entries.log", "zonealarm", {0, 62, 0, 0}},

    // windows-firewall --------------------------------------------------------------------------------------
    // "#" header lines are Ignored, as is the INFO-EVENTS-LOST record (no packet).
    {"windows-firewall", "crowdsec-doc-pfirewall-with-pid.log", "windows-firewall", {1, 1, 0, 0}},
    {"windows-firewall", "ossec-docs-pfirewall.log", "windows-firewall", {40, 1, 0, 0}},
    {"windows-firewall", "plaso-pfirewall-v1.5.log", "windows-firewall", {14, 5, 0, 0}},

    // pfsense, pf, ipfilter, cisco-asa, cisco-ios, juniper-srx (hand-written parsers, batch 1) ----------
    // pfSense/OPNsense filterlog in BSD syslog and RFC 5424 framing: every line is a record.
    {"pfsense", "crowdsec-pf-filterlog.log", "pfsense", {9, 0, 0, 0}},
    {"pfsense", "crowdsec-pfsense-portscan.log", "pfsense", {16, 0, 0, 0}},
    {"pfsense", "crowdsec-pfsense-rfc5424-filterlog.log", "pfsense", {4, 0, 0, 0}},
    // Line 1 has no host name before "filterlog:"; its ICMP part is only "datalength=36" (no type).
    {"pfsense", "wazuh-pfsense-filterlog.log", "pfsense", {2, 0, 0, 0}},
    // pflog through syslog (tag "pf"), OpenBSD tcpdump -e -ttt text: TCP, UDP and ICMP, the packet's own
    // time.
    {"pf", "ossec-docs-pf-syslog.log", "pf", {30, 0, 0, 0}},
    // Solaris ipmon lines stripped of their syslog header: ipmon -s leaves the date to syslog, so none of
    // them has a date (each is Malformed, nothing may claim the file); with the header back they parse (see
    // ipfilter_parser_test.cpp).
    {"ipfilter", "wazuh-solaris-ipmon.log", "", {0, 0, 0, 3}},
    // Cisco ASA/PIX: packet and built-connection messages are events, teardowns, translations and system
    // messages Ignored; messages without any timestamp (Wazuh and Logstash test bodies) are Malformed when
    // they are records.
    {"cisco-asa", "elastic-asa-subset.log", "cisco-asa", {3, 6, 0, 0}},
    // 20 Logstash test bodies lack the "%ASA-" marker (NotMine); two records lack a timestamp.
    {"cisco-asa", "logstash-ciscofw.log", "cisco-asa", {1, 6, 20, 2}},
    // The last nine 710002 lines have no timestamp.
    {"cisco-asa", "ossec-docs-pix.log", "cisco-asa", {14, 16, 0, 9}},
    // No line has a timestamp; "dst FE_xUI:Server_Windows" and the like are object names, not addresses.
    {"cisco-asa", "wazuh-cisco-asa.log", "cisco-asa", {0, 21, 0, 19}},
    // The same, and "%PIX-4-400013 IDS:2003" lacks the colon after its message id (NotMine).
    {"cisco-asa", "wazuh-cisco-pix.log", "cisco-asa", {0, 7, 1, 14}},
    // Cisco IOS access-list logging; the routers' other messages are Ignored, text without a "%FAC-N-NAME:"
    // marker is not theirs.
    // "SSH2 0: Unexpected message received" (twice) has no marker.
    {"cisco-ios", "ossec-docs-cisco-ios.log", "cisco-ios", {14, 13, 2, 0}},
    // Lines 13-15 hide their addresses ("xx.xxx.xx.xx"); IPS signatures, SSH, 802.1X and link messages are
    // Ignored.
    {"cisco-ios", "wazuh-cisco-ios.log", "cisco-ios", {5, 9, 0, 3}},

    // fortigate, paloalto, checkpoint, unifi, snort, suricata (hand-written parsers, batch 2) -----------
    // FortiOS 3-7: traffic records (deny/accept/close/client-rst, FortiOS 4 status=) and the IPS and anomaly
    // records that blocked an attack are events; system/VPN events, UTM web filter, antivirus and
    // application control records and IPS/anomaly detections that let traffic pass are Ignored.
    {"fortigate", "wazuh-fortigate.log", "fortigate", {14, 26, 0, 0}},
    // PAN-OS: TRAFFIC and THREAT (vulnerability) records; the Wazuh file also has SYSTEM, CONFIG and OTHERS
    // records (Ignored), TRAFFIC/THREAT records cut after the type and four anonymised ones with
    // "00.00.000.00"
    // addresses and month 00 (Malformed).
    {"paloalto", "crowdsec-paloalto-threat.log", "paloalto", {2, 0, 0, 0}},
    {"paloalto", "elastic-panos-traffic-subset.log", "paloalto", {9, 0, 0, 0}},
    {"paloalto", "wazuh-paloalto.log", "paloalto", {2, 8, 0, 6}},
    // Check Point classic FW-1 lines: two drops have no src: (Malformed).
    {"checkpoint", "ossec-docs-checkpoint-fw1.log", "checkpoint", {38, 0, 0, 2}},
    // Log Exporter syslog: Drop and Decrypt are connections; the Wazuh test's other actions (Key Install,
    // Monitored, Login, ...), records cut to "[action:..." and the VPN daemon's Reject are Ignored; the
    // Encrypt record is cut inside a value and the Block record has no addresses (Malformed).
    {"checkpoint", "wazuh-checkpoint-smart1.log", "checkpoint", {2, 14, 0, 2}},
    // UniFi CEF: two IPS blocks (one names its destination only by client alias), an admin login (Ignored).
    {"unifi", "crowdsec-unifi-cef.log", "unifi", {2, 1, 0, 0}},
    // Snort 3 alert_fast without years (the year from the context, rolling over at New Year).
    {"snort", "plaso-snort3-alert-fast.log", "snort", {4, 0, 0, 0}},
    // Suricata eve.json: alert and flow events; stats are Ignored.
    {"suricata", "crowdsec-suricata-eve-alerts.log", "suricata", {4, 0, 0, 0}},
    {"suricata", "crowdsec-suricata-eve.log", "suricata", {6, 2, 0, 0}},
    {"suricata", "crowdsec-suricata-fastlog.log", "suricata", {4, 0, 0, 0}},
    // Two-digit years (YY/MM/DD, as Snort 3 writes them with -y; Suricata writes four): the snort parser.
    {"suricata", "plaso-suricata-alert-fast.log", "snort", {5, 0, 0, 0}},
    // Juniper SRX: structured (RFC 5424) and BSD RT_FLOW records.
    {"juniper-srx", "logstash-junos-rt-flow.log", "juniper-srx", {3, 0, 0, 0}},
    // The close of a session whose create record came first is not counted again.
    {"juniper-srx", "wazuh-junos.log", "juniper-srx", {2, 1, 0, 0}},
    // NetScreen (ScreenOS, a data format): traffic logs and screen alarms are events; administration,
    // VPN and other system messages Ignored.
    {"netscreen", "logstash-netscreen.log", "netscreen", {4, 0, 0, 0}},
    // The documentation's "IP spoofing! From 10.1.1.238:80 to a.b.c.d:49807" has no real address.
    {"netscreen", "ossec-docs-netscreen.log", "netscreen", {8, 6, 0, 1}},
    {"netscreen", "wazuh-netscreen.log", "netscreen", {1, 3, 0, 0}},
    // Plain tcpdump output (no date, no verdict, no host: a packet capture, not a firewall log): nothing
    // may claim it, and pf's reader (tcpdump -e text with the pf rule) finds none of its own lines in it.
    {"tcpdump", "crowdsec-tcpdump.log", "", {0, 0, 4, 0}, "pf"},
    // Huawei USG: a policy permit and a session teardown; the URL filter record is Ignored.
    {"huawei-usg", "wazuh-huawei-usg.log", "huawei-usg", {2, 1, 0, 0}},

    // sonicwall, sophos, watchguard, mikrotik, ipfw (formats as data: resources/formats/*.json) -------------
    // SonicWall: m= says what happened; logins (m=30), IKE (346, 483), IPsec (1388) and NAT mapping (1197)
    // lines are Ignored. The doc's line 23 has a broken address ("67.101.200 .27").
    {"sonicwall", "ossec-docs-sonicwall.log", "sonicwall", {18, 4, 0, 1}},
    {"sonicwall", "wazuh-sonicwall.log", "sonicwall", {6, 5, 0, 0}},
    // Sophos UTM: the packet filter's one line has anonymised addresses ("x.x.x.x"): Malformed, and with
    // the web server's and endpoint daemon's lines (Ignored) nothing is left to detect the file by.
    {"sophos", "wazuh-sophos-utm.log", "", {0, 5, 0, 1}, "sophos-utm"},
    // Sophos XG: status Deny, Allow and Drop are events; the Wazuh test's other status words are not.
    {"sophos", "wazuh-sophos-xg.log", "sophos-xg", {3, 7, 0, 0}},
    // WatchGuard: packet filter (3000-0148/0149/0150/0173) and proxy (1AFF/1CFF) records are events, the
    // attack summaries and blocked-site list messages Ignored; two lines have "ac::d0:::1" for an address.
    {"watchguard", "wazuh-watchguard-firebox.log", "watchguard", {21, 17, 0, 2}},
    // MikroTik: the login failure (topic system) is not a firewall line.
    {"mikrotik", "crowdsec-mikrotik-portscan.log", "mikrotik", {19, 0, 0, 0}},
    {"mikrotik", "crowdsec-mikrotik.log", "mikrotik", {6, 0, 1, 0}},
    // ipfw: macOS through syslog and WIPFW's own file.
    {"ipfw", "ossec-docs-osx-ipfw.log", "ipfw", {17, 0, 0, 0}},
    {"ipfw", "ossec-docs-wipfw.log", "ipfw", {11, 0, 0, 0}},
};

std::ostream& operator<<(std::ostream& os, const Row& r)
{
    return os << r.folder << "/" << r.file;
}

// --- What the .expected.json files assert, per line ------------------------------------------------------

struct Expectation {
    std::size_t line = 0; // 0-based physical line of the file
    std::string source; // which assertion, for messages
    std::optional<std::string> src, dst, proto, action, iface, timeNoYear;
    std::optional<int> srcPort, dstPort, icmpType, icmpCode, protoNumber;
};

std::optional<std::string> stringAt(const Json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    return it->dump();
}

bool isTrue(const Json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

std::optional<int> intAt(const Json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (it->is_number_integer()) return it->get<int>();
    if (it->is_string()) return std::stoi(it->get<std::string>());
    return std::nullopt;
}

// "drop", "DROP_INPUT", "PVEFW-reject", "D" -> "block"; "accept", "A" -> "allow".
std::optional<std::string> actionOf(std::optional<std::string> raw)
{
    if (!raw) return std::nullopt;
    std::string s = *raw;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* w : {"drop", "reject", "deny", "block"}) {
        if (s.find(w) != std::string::npos) return "block";
    }
    if (s == "d") return "block";
    if (s.find("accept") != std::string::npos || s.find("allow") != std::string::npos || s == "a")
        return "allow";
    return std::nullopt;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// CrowdSec hubtest: parser_assert[stage][parser] lists, per event that reached the parser, what it asserted.
// In s00-raw the index is the input line; in s01-parse it counts the events that left s00, so only parsers
// that saw every one of those (their list is as long) can be mapped back to lines.
void crowdsecExpectations(const Json& doc, std::vector<Expectation>& out)
{
    const Json& pa = doc.at("parser_assert");
    const Json raw = pa.value("s00-raw", Json::object());
    const Json parse = pa.value("s01-parse", Json::object());
    std::set<std::size_t> rawLines;
    for (const auto& [parser, entries] : raw.items()) {
        for (const Json& e : entries) {
            if (isTrue(e, "Success")) rawLines.insert(e.at("index").get<std::size_t>());
        }
    }
    const std::vector<std::size_t> lines(rawLines.begin(), rawLines.end());
    for (const auto& [parser, entries] : parse.items()) {
        if (entries.size() != lines.size()) continue;
        for (const Json& e : entries) {
            if (!isTrue(e, "Success")) continue;
            const Json& parsed = e.at("Evt").at("Parsed");
            const Json meta = e.at("Evt").value("Meta", Json::object());
            Expectation x;
            x.line = lines.at(e.at("index").get<std::size_t>());
            x.source = "crowdsec " + parser;
            x.src = stringAt(parsed, "src_ip");
            x.dst = stringAt(parsed, "dst_ip");
            x.srcPort = intAt(parsed, "src_port");
            x.dstPort = intAt(parsed, "dst_port");
            if (auto p = stringAt(parsed, "proto")) x.proto = lower(*p);
            x.action
                = actionOf(meta.contains("action") ? stringAt(meta, "action") : stringAt(parsed, "action"));
            // An assertion naming none of these fields is not about a packet record (a login failure).
            if (!x.src && !x.dst && !x.srcPort && !x.dstPort && !x.proto && !x.action) continue;
            out.push_back(std::move(x));
        }
    }
}

// Elastic ingest pipeline tests: flattened ECS keys per line. Their @timestamp years come from the test
// runner's clock, so times are compared without the year.
void elasticExpectations(const Json& doc, std::vector<Expectation>& out)
{
    for (const Json& c : doc.at("cases")) {
        const Json& e = c.at("expected");
        Expectation x;
        x.line = c.at("line_no").get<std::size_t>() - 1;
        x.source = "elastic";
        x.src = stringAt(e, "source.ip");
        x.dst = stringAt(e, "destination.ip");
        x.srcPort = intAt(e, "source.port");
        x.dstPort = intAt(e, "destination.port");
        x.proto = stringAt(e, "network.transport");
        x.protoNumber = intAt(e, "network.iana_number");
        x.action = actionOf(stringAt(e, "event.action"));
        x.icmpType = intAt(e, "iptables.icmp.type");
        x.icmpCode = intAt(e, "iptables.icmp.code");
        if (auto t = stringAt(e, "@timestamp"); t && t->size() > 4) {
            std::string s = t->substr(4);
            if (const auto dot = s.find(".000Z"); dot != std::string::npos) s.replace(dot, 5, "Z");
            x.timeNoYear = s;
        }
        out.push_back(std::move(x));
    }
}

// Logstash grok RSpec: nested ECS fields that the parsed event must include; pending assertions, legacy
// field names and expected grok failures are skipped.
void logstashExpectations(const Json& doc, std::vector<Expectation>& out)
{
    for (const Json& c : doc.at("cases")) {
        for (const Json& a : c.at("assertions")) {
            const std::string mode = a.value("mode", "");
            if ((mode != "ecs" && mode != "both") || isTrue(a, "pending_known_failure")) continue;
            const Json& f = a.at("fields");
            if (!f.is_object() || f.contains("tags")) continue;
            Expectation x;
            x.line = c.at("line_no").get<std::size_t>() - 1;
            x.source = "logstash";
            if (f.contains("source")) {
                x.src = stringAt(f["source"], "ip");
                x.srcPort = intAt(f["source"], "port");
            }
            if (f.contains("destination")) {
                x.dst = stringAt(f["destination"], "ip");
                x.dstPort = intAt(f["destination"], "port");
            }
            if (f.contains("network")) {
                if (auto p = stringAt(f["network"], "transport")) x.proto = lower(*p);
            }
            const Json ingress = f.value("/observer/ingress/interface"_json_pointer, Json());
            if (ingress.is_object()) x.iface = stringAt(ingress, "name");
            out.push_back(std::move(x));
        }
    }
}

// plaso: the values of one asserted record.
void plasoExpectations(const Json& doc, std::vector<Expectation>& out)
{
    for (const Json& c : doc.at("cases")) {
        const Json& e = c.at("expected");
        Expectation x;
        x.line = c.at("line_no").get<std::size_t>() - 1;
        x.source = "plaso";
        x.src = stringAt(e, "source_ip");
        x.dst = stringAt(e, "dest_ip");
        x.srcPort = intAt(e, "source_port");
        x.dstPort = intAt(e, "dest_port");
        // The Snort/Suricata fast-log tests name them destination_ip and destination_port.
        if (!x.dst) x.dst = stringAt(e, "destination_ip");
        if (!x.dstPort) x.dstPort = intAt(e, "destination_port");
        if (auto p = stringAt(e, "protocol")) x.proto = lower(*p);
        out.push_back(std::move(x));
    }
}

std::vector<Expectation> loadExpectations(const fs::path& logFile)
{
    fs::path json = logFile;
    json.replace_extension(".expected.json");
    std::vector<Expectation> out;
    if (!fs::exists(json)) return out;
    const Json doc = Json::parse(test::readFile(json));
    const std::string repo = doc.value("/source/repository"_json_pointer, std::string());
    if (doc.contains("parser_assert"))
        crowdsecExpectations(doc, out);
    else if (repo.starts_with("elastic/"))
        elasticExpectations(doc, out);
    else if (repo.starts_with("logstash-plugins/") || doc.value("semantics", "").starts_with("logstash"))
        logstashExpectations(doc, out);
    else if (repo.starts_with("log2timeline/"))
        plasoExpectations(doc, out);
    // Wazuh ruleset tests name rule ids and alert levels only: no field values to check.
    return out;
}

void checkEvent(const Expectation& x, const core::Event& e)
{
    SCOPED_TRACE(x.source + ", line " + std::to_string(x.line + 1));
    if (x.src) {
        EXPECT_EQ(e.src, core::IpAddress::parse(*x.src).value_or(core::IpAddress())) << *x.src;
    }
    if (x.dst) {
        EXPECT_EQ(e.dst, core::IpAddress::parse(*x.dst).value_or(core::IpAddress())) << *x.dst;
    }
    if (x.srcPort) {
        EXPECT_EQ(e.srcPort, *x.srcPort);
    }
    if (x.dstPort) {
        EXPECT_EQ(e.dstPort, *x.dstPort);
    }
    if (x.proto) {
        EXPECT_EQ(e.proto, core::protoFromName(*x.proto)) << *x.proto;
    }
    if (x.protoNumber) {
        EXPECT_EQ(e.proto, *x.protoNumber);
    }
    if (x.action) {
        EXPECT_EQ(core::actionName(e.action), *x.action);
    }
    if (x.icmpType) {
        EXPECT_EQ(e.icmpType, *x.icmpType);
    }
    if (x.icmpCode) {
        EXPECT_EQ(e.icmpCode, *x.icmpCode);
    }
    if (x.iface) {
        EXPECT_EQ(e.iface, *x.iface);
    }
    if (x.timeNoYear) {
        EXPECT_EQ(core::formatRfc3339(e.time).substr(4), *x.timeNoYear);
    }
}

// --- The test --------------------------------------------------------------------------------------------

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

// Samples whose .expected.json asserts values for lines that give no event here, and why: those lines'
// checks are skipped and counted; the lines that do give events are still checked.
struct NoEventLines {
    const char* folder;
    const char* file;
    const char* why;
};
const NoEventLines kNoEventLines[] = {
    {"cisco-asa", "logstash-ciscofw.log",
        "Logstash's grok tests assert message bodies that have no timestamp (most without the %ASA- "
        "marker), VPN messages (402117, 402119, 602303, 713172), 419002, 710001 and an IOS %LINEPROTO "
        "message, which are not packet records"},
};

const char* noEventReason(const std::string& folder, const std::string& file)
{
    for (const NoEventLines& n : kNoEventLines) {
        if (folder == n.folder && file == n.file) return n.why;
    }
    return nullptr;
}

const Row* findRow(const std::string& folder, const std::string& file)
{
    for (const Row& r : kRows) {
        if (folder == r.folder && file == r.file) return &r;
    }
    return nullptr;
}

// One sample file read as tattle reads it: detection from the head, then every non-empty line.
struct RowResult {
    std::string detected;
    std::string parserId; // the parser used (detected, or the row's fallback)
    std::string detectionNote;
    Counts counts;
    std::map<std::size_t, core::Event> events; // by 0-based line
    std::vector<std::string> malformed; // "line N: reason"
};

RowResult runRow(const Row& row)
{
    RowResult r;
    const fs::path path = test::samplesDir() / "logs" / row.folder / row.file;
    const std::vector<std::string> lines = splitLines(test::readFile(path));
    std::vector<std::string_view> head;
    for (const std::string& l : lines) {
        if (!l.empty() && head.size() < parsers::ParserRegistry::kHeadLines) head.push_back(l);
    }

    const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    const parsers::Detection detection = registry.detect(head);
    r.detected = detection.parser ? std::string(detection.parser->id()) : std::string();
    if (!detection.candidates.empty())
        r.detectionNote
            = std::to_string(detection.candidates.front().score) + ": " + detection.candidates.front().reason;

    const core::Parser* parser
        = detection.parser ? detection.parser : registry.find(row.parser ? row.parser : row.folder);
    if (parser == nullptr) return r;
    r.parserId = std::string(parser->id());
    core::ParseContext ctx;
    ctx.year = 2024; // the samples' RFC 3164 lines come from many years; the checks below skip the year
    ctx.referenceTime = 1735689600; // 2025-01-01T00:00:00Z
    ctx.fileName = row.file;
    const auto lp = parser->open(ctx);
    if (lp == nullptr) return r;

    core::Event e;
    std::string reason;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].empty()) continue;
        switch (lp->parse(lines[i], e, reason)) {
        case ParseStatus::Event:
            ++r.counts.events;
            r.events[i] = e;
            break;
        case ParseStatus::Ignored:
            ++r.counts.ignored;
            break;
        case ParseStatus::NotMine:
            ++r.counts.notMine;
            break;
        case ParseStatus::Malformed:
            ++r.counts.malformed;
            r.malformed.push_back("line " + std::to_string(i + 1) + " malformed: " + reason);
            break;
        }
    }
    return r;
}

class Conformance : public ::testing::TestWithParam<Row> { };

TEST_P(Conformance, SampleFile)
{
    const Row& row = GetParam();
    const fs::path path = test::samplesDir() / "logs" / row.folder / row.file;
    ASSERT_TRUE(fs::exists(path)) << path;
    const RowResult r = runRow(row);
    std::cout << "[ conformance ] " << row.folder << "/" << row.file << ": detected '" << r.detected << "'";
    if (!r.detectionNote.empty()) std::cout << " (" << r.detectionNote << ")";
    std::cout << "\n";
    EXPECT_EQ(r.detected, row.detected);
    ASSERT_FALSE(r.parserId.empty()) << "no parser for " << row.folder;
    for (const std::string& m : r.malformed)
        std::cout << "[ conformance ]   " << m << "\n";
    std::cout << "[ conformance ] " << row.folder << "/" << row.file << ": " << r.counts << "\n";
    RecordProperty("detected", r.detected);
    RecordProperty("events", r.counts.events);
    RecordProperty("ignored", r.counts.ignored);
    RecordProperty("not_mine", r.counts.notMine);
    RecordProperty("malformed", r.counts.malformed);
    EXPECT_EQ(r.counts, row.counts);

    const std::vector<Expectation> expectations = loadExpectations(path);
    const char* noEventWhy = noEventReason(row.folder, row.file);
    int skipped = 0;
    for (const Expectation& x : expectations) {
        const auto it = r.events.find(x.line);
        if (it == r.events.end()) {
            if (noEventWhy) {
                ++skipped;
                continue;
            }
            ADD_FAILURE() << x.source << ": line " << x.line + 1 << " gave no event";
            continue;
        }
        checkEvent(x, it->second);
    }
    if (skipped > 0)
        std::cout << "[ conformance ]   " << skipped << " field checks skipped: " << noEventWhy << "\n";
    RecordProperty("field_checks", int(expectations.size()) - skipped);
}

// Per format: how many sample lines it recognised (events and its own non-traffic records) of those it
// was given, over every sample file read with it. Printed as a table (the rows above are the checks).
TEST(ConformanceTable, LinesRecognisedPerFormat)
{
    struct Totals {
        int files = 0;
        Counts counts;
    };
    std::map<std::string, Totals> perFormat;
    for (const Row& row : kRows) {
        const RowResult r = runRow(row);
        Totals& t = perFormat[r.parserId.empty() ? std::string("(none)") : r.parserId];
        ++t.files;
        t.counts.events += r.counts.events;
        t.counts.ignored += r.counts.ignored;
        t.counts.notMine += r.counts.notMine;
        t.counts.malformed += r.counts.malformed;
    }
    std::cout << "[ conformance ] format             files  lines recognised (events + own records)  "
                 "not theirs  malformed\n";
    for (const auto& [id, t] : perFormat) {
        const int lines = t.counts.events + t.counts.ignored + t.counts.notMine + t.counts.malformed;
        const int recognised = t.counts.events + t.counts.ignored;
        char buf[200];
        std::snprintf(buf, sizeof buf,
            "[ conformance ] %-18s %5d  %5d of %5d (%5d + %5d)             %5d  %5d\n", id.c_str(), t.files,
            recognised, lines, t.counts.events, t.counts.ignored, t.counts.notMine, t.counts.malformed);
        std::cout << buf;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Samples, Conformance, ::testing::ValuesIn(kRows), [](const ::testing::TestParamInfo<Row>& p) {
        std::string name = std::string(p.param.folder) + "_" + p.param.file;
        for (char& c : name) {
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        }
        return name;
    });

// A sample file added to the shared folders, in any folder, must get a row.
TEST(ConformanceTable, CoversEverySampleFile)
{
    std::size_t files = 0;
    for (const auto& folder : fs::directory_iterator(test::samplesDir() / "logs")) {
        if (!folder.is_directory()) continue;
        for (const auto& entry : fs::directory_iterator(folder.path())) {
            if (entry.path().extension() != ".log") continue;
            ++files;
            EXPECT_NE(findRow(folder.path().filename().string(), entry.path().filename().string()), nullptr)
                << "no conformance row for " << entry.path();
        }
    }
    EXPECT_EQ(files, std::size(kRows));
}

// The field checks must really find assertions in the expected files they know.
TEST(ConformanceTable, ExpectedFilesYieldFieldChecks)
{
    struct Case {
        const char* folder;
        const char* file;
        std::size_t atLeast;
    };
    const Case cases[] = {
        {"netfilter", "crowdsec-iptables.log", 3},
        {"netfilter", "crowdsec-proxmox-pve-firewall.log", 4},
        {"netfilter", "crowdsec-unifi-iptables.log", 3},
        {"netfilter", "elastic-iptables-raw.log", 26},
        {"netfilter", "logstash-sfw2.log", 3},
        {"netfilter", "logstash-shorewall.log", 2},
        {"windows-firewall", "plaso-pfirewall-v1.5.log", 1},
        {"snort", "plaso-snort3-alert-fast.log", 4},
        {"suricata", "plaso-suricata-alert-fast.log", 5},
        {"suricata", "crowdsec-suricata-eve.log", 4},
        {"suricata", "crowdsec-suricata-fastlog.log", 4},
        {"mikrotik", "crowdsec-mikrotik.log", 6},
        {"pfsense", "crowdsec-pf-filterlog.log", 15},
        {"netscreen", "logstash-netscreen.log", 4},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.file);
        EXPECT_GE(loadExpectations(test::samplesDir() / "logs" / c.folder / c.file).size(), c.atLeast);
    }
}

} // namespace
