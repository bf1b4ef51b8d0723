// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/builtin_parsers.h"

#include "parsers/parser_registry.h"

namespace tattle::parsers {

void registerBuiltinParsers(ParserRegistry& registry)
{
    // Order breaks ties in detection: formats with a distinctive header or record type first, the
    // syslog-embedded key=value format (which other syslog-based formats may resemble) last.
    registry.add(makeWindowsFirewallParser());
    registry.add(makeZoneAlarmParser());
    // Syslog formats recognised by their program tag or message marker (filterlog:, pf's "rule N/(match)");
    // before netfilter.
    registry.add(makePfsenseParser());
    registry.add(makePfParser());
    registry.add(makeIpfilterParser());
    registry.add(makeCiscoAsaParser()); // "%ASA-", "%PIX-", "%FTD-" markers
    registry.add(makeCiscoIosParser()); // "%SEC-6-IPACCESSLOGP:"; after ASA, whose files may hold IOS lines
    registry.add(makeJuniperSrxParser()); // "RT_FLOW_SESSION_", "RT_SCREEN_"
    // Vendor formats with their own markers (FortiOS logid= and type=); before netfilter.
    registry.add(makeFortiGateParser());
    registry.add(makePaloAltoParser()); // PAN-OS CSV: "n,yyyy/mm/dd hh:mm:ss,serial,TYPE,"
    registry.add(makeCheckPointParser()); // ">eth0 rule: 5; src: ..." or [action:"Drop"; ...]
    registry.add(makeUnifiParser()); // "CEF:0|Ubiquiti|UniFi Network|"
    // Snort before Suricata: fast.log lines without four-digit years are Snort's on a tie.
    registry.add(makeSnortParser());
    registry.add(makeSuricataParser());
    registry.add(makeHuaweiUsgParser()); // "%%01POLICY/6/POLICYPERMIT(l):"
    registry.add(makeNetfilterParser());
    // After these the registry gets the formats defined as data (resources/formats, then the user's folder,
    // each by detect.priority and id; one with a parser's id takes that parser's place) and last the reader
    // for mixed files: buildRegistry() in parsers/format_loader.cpp. So a C++ parser wins a tie with a data
    // format.
}

} // namespace tattle::parsers
