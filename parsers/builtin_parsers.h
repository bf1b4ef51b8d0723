// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/parser.h"

#include <memory>

namespace tattle::parsers {

/// ZoneAlarm's ZALog.txt (comma or tab separated).
std::unique_ptr<core::Parser> makeZoneAlarmParser();
/// Windows Firewall pfirewall.log (W3C extended log format).
std::unique_ptr<core::Parser> makeWindowsFirewallParser();
/// Linux netfilter kernel log lines (iptables/ip6tables LOG, UFW, firewalld) as syslog writes them.
std::unique_ptr<core::Parser> makeNetfilterParser();
/// pfSense / OPNsense filterlog CSV records.
std::unique_ptr<core::Parser> makePfsenseParser();
/// OpenBSD/FreeBSD pf log as tcpdump -n -e prints it (directly or through syslog).
std::unique_ptr<core::Parser> makePfParser();
/// IPFilter ipmon packet lines, in ipmon's own file or through syslog.
std::unique_ptr<core::Parser> makeIpfilterParser();
/// Cisco ASA / PIX / FTD %ASA- messages: denied packets, built connections, drops.
std::unique_ptr<core::Parser> makeCiscoAsaParser();
/// Cisco IOS / IOS XE access-list logging (%SEC-6-IPACCESSLOGP and friends).
std::unique_ptr<core::Parser> makeCiscoIosParser();
/// Juniper SRX RT_FLOW session and RT_SCREEN records, structured or BSD text.
std::unique_ptr<core::Parser> makeJuniperSrxParser();
/// FortiGate (FortiOS) key=value traffic, IPS and anomaly records.
std::unique_ptr<core::Parser> makeFortiGateParser();
/// Palo Alto Networks PAN-OS syslog CSV (TRAFFIC and THREAT records).
std::unique_ptr<core::Parser> makePaloAltoParser();
/// Check Point FireWall-1 logs: classic fw log lines, Log Exporter syslog and LEA key=value exports.
std::unique_ptr<core::Parser> makeCheckPointParser();
/// Ubiquiti UniFi Network CEF syslog records.
std::unique_ptr<core::Parser> makeUnifiParser();
/// Snort alert_fast lines.
std::unique_ptr<core::Parser> makeSnortParser();
/// Suricata eve.json and fast.log.
std::unique_ptr<core::Parser> makeSuricataParser();
/// Huawei USG / HiSecEngine firewall logs (VRP policy, session and IPS records).
std::unique_ptr<core::Parser> makeHuaweiUsgParser();

} // namespace tattle::parsers
