// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/event.h"
#include "core/parser.h"
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/parser_registry.h"
#include "test_support.h"

#include <chrono>
#include <gtest/gtest.h>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace tattle;
using core::Action;
using core::Direction;
using core::ParseStatus;
namespace proto = core::proto;
namespace tcpflag = core::tcpflag;

constexpr std::int64_t kJune2024 = 1717200000; // 2024-06-01T00:00:00Z

core::ParseContext context(int year = 2024, std::int64_t reference = kJune2024, core::TimeZone zone = {})
{
    core::ParseContext ctx;
    ctx.year = year;
    ctx.referenceTime = reference;
    ctx.zone = std::move(zone);
    ctx.fileName = "test.log";
    return ctx;
}

struct Parsed {
    ParseStatus status = ParseStatus::NotMine;
    core::Event event;
    std::string reason;
};

Parsed parseWith(core::LineParser& lp, std::string_view line)
{
    Parsed p;
    p.status = lp.parse(line, p.event, p.reason);
    return p;
}

Parsed parseOne(std::string_view line, const core::ParseContext& ctx = context())
{
    auto parser = parsers::makeNetfilterParser();
    auto lp = parser->open(ctx);
    return parseWith(*lp, line);
}

std::string timeText(const core::Event& e)
{
    return core::formatRfc3339(e.time);
}

core::TimeZone zone(std::string_view name)
{
    auto z = core::TimeZone::fromName(name);
    EXPECT_TRUE(z.has_value()) << name;
    return z ? *z : core::TimeZone();
}

// --- Every line shape the parser reads -------------------------------------------------------------------

struct ShapeCase {
    const char* name;
    std::string line;
    const char* time; // UTC, RFC 3339
    Action action;
    Direction direction;
    int proto;
    const char* src;
    int srcPort;
    const char* dst;
    int dstPort;
    const char* iface;
    const char* rule;
};

std::ostream& operator<<(std::ostream& os, const ShapeCase& c)
{
    return os << c.name;
}

const std::string kMac = "MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 ";
const std::string kTcpSyn
    = "SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=4242 DF PROTO=TCP "
      "SPT=51234 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0";
const std::string kUdp
    = "SRC=203.0.113.7 DST=192.0.2.10 LEN=76 TOS=0x00 PREC=0x00 TTL=64 ID=25029 DF PROTO=UDP "
      "SPT=49007 DPT=53 LEN=56";

const std::vector<ShapeCase> kShapes = {
    {"UfwBlockWithUptime",
        "Mar  5 12:34:56 gw kernel: [ 3529.289825] [UFW BLOCK] IN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "UFW BLOCK"},
    {"UfwAllow", "Mar  5 12:34:56 gw kernel: [UFW ALLOW] IN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Allow, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "UFW ALLOW"},
    {"UfwAudit", "Mar  5 12:34:56 gw kernel: [12.5] [UFW AUDIT] IN= OUT=ppp0 " + kUdp, "2024-03-05T12:34:56Z",
        Action::Allow, Direction::Out, proto::kUdp, "203.0.113.7", 49007, "192.0.2.10", 53, "ppp0",
        "UFW AUDIT"},
    {"UfwLimitBlock", "Mar  5 12:34:56 gw kernel: [UFW LIMIT BLOCK] IN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "UFW LIMIT BLOCK"},
    {"IptablesPrefixWithColon",
        "Sep 27 20:56:38 host kernel: [  203.842973] IPTABLES-DROP: IN=lo OUT= " + kUdp,
        "2024-09-27T20:56:38Z", Action::Block, Direction::In, proto::kUdp, "203.0.113.7", 49007, "192.0.2.10",
        53, "lo", "IPTABLES-DROP"},
    {"SyslogPriAndGluedEdgeOsDrop",
        "<161>Oct 10 07:25:12 router kernel: [WAN_IN-default-D]IN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-10-10T07:25:12Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "WAN_IN-default-D"},
    {"EdgeOsAccept", "Jan  5 20:17:05 router kernel: [LAN_LOCAL-10-A]IN=eth0.90 OUT= " + kUdp,
        "2024-01-05T20:17:05Z", Action::Allow, Direction::In, proto::kUdp, "203.0.113.7", 49007, "192.0.2.10",
        53, "eth0.90", "LAN_LOCAL-10-A"},
    {"EdgeOsReject", "Jan  5 20:17:05 router kernel: [WAN_LOCAL-20-R]IN=eth0 OUT= " + kUdp,
        "2024-01-05T20:17:05Z", Action::Block, Direction::In, proto::kUdp, "203.0.113.7", 49007, "192.0.2.10",
        53, "eth0", "WAN_LOCAL-20-R"},
    {"Rfc3339Utc", "2021-03-12T14:10:18Z host kernel: [wan-lan-default-D]IN=eth0 OUT= " + kMac + kTcpSyn,
        "2021-03-12T14:10:18Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "wan-lan-default-D"},
    {"Rfc3339WithPri",
        "<6>2021-03-12T14:10:18Z host kernel: [wan-lan-default-D]IN=eth0 OUT= " + kMac + kTcpSyn,
        "2021-03-12T14:10:18Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "wan-lan-default-D"},
    {"Debian12Rsyslog",
        "2024-03-05T12:34:56.123456+01:00 host kernel: [UFW BLOCK] IN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T11:34:56.123456Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234,
        "192.0.2.10", 22, "eth0", "UFW BLOCK"},
    {"JournalctlShortIso", "2024-03-05T12:34:56-0500 host kernel: [UFW BLOCK] IN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T17:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "UFW BLOCK"},
    {"Rfc5424", "<4>1 2024-03-05T12:34:56.5Z host kernel - - - [UFW BLOCK] IN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56.5Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234,
        "192.0.2.10", 22, "eth0", "UFW BLOCK"},
    {"NoHost", "Jan  8 03:37:09 DENY: IN=eth0 OUT= " + kMac + kTcpSyn, "2024-01-08T03:37:09Z", Action::Block,
        Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10", 22, "eth0", "DENY"},
    {"DayNotPadded", "Mar 8 22:35:42 linux kernel: SuSE-FW-DROP-DEFAULT IN=ppp0 OUT= MAC= " + kTcpSyn,
        "2024-03-08T22:35:42Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "ppp0", "SuSE-FW-DROP-DEFAULT"},
    {"SuseAcc",
        "Mar  8 20:16:44 black kernel: [20474.050964] SFW2-INext-ACC-TCP IN=eth0 OUT= " + kMac + kTcpSyn
            + " OPT (020405B40402080A00825F5D0000000001030307)",
        "2024-03-08T20:16:44Z", Action::Allow, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "SFW2-INext-ACC-TCP"},
    {"UnifiWithoutKernelTag",
        "Jun 13 23:29:15 UDMP [WAN_LOCAL-D-2147483647] DESCR=\"[WAN_LOCAL]Block All Traffic\" IN=eth8 OUT= "
            + kUdp,
        "2024-06-13T23:29:15Z", Action::Block, Direction::In, proto::kUdp, "203.0.113.7", 49007, "192.0.2.10",
        53, "eth8", "WAN_LOCAL-D-2147483647"},
    {"UnifiHostTwice",
        "Jun 13 23:29:15 UDMP UDMP [WAN_LOCAL-A-2147483647] DESCR=\"[WAN_LOCAL]Block All Traffic\" IN=eth8 "
        "OUT= "
            + kUdp,
        "2024-06-13T23:29:15Z", Action::Allow, Direction::In, proto::kUdp, "203.0.113.7", 49007, "192.0.2.10",
        53, "eth8", "WAN_LOCAL-A-2147483647"},
    {"UnifiNoKernelNoDescr", "Jun 28 04:35:30 Abc-A1 [SOMETHING-1234-A] IN=abc.123 OUT=abc.123 " + kUdp,
        "2024-06-28T04:35:30Z", Action::Allow, Direction::Unknown, proto::kUdp, "203.0.113.7", 49007,
        "192.0.2.10", 53, "abc.123", "SOMETHING-1234-A"},
    {"ShorewallGluedNoKernel", "May 28 17:31:07 server Shorewall:net2fw:DROP:IN=eth1 OUT= " + kMac + kTcpSyn,
        "2024-05-28T17:31:07Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth1", "Shorewall:net2fw:DROP"},
    {"ShorewallForward",
        "May 28 17:23:25 fw kernel: [3124658.791874] Shorewall:FORWARD:REJECT:IN=eth2 OUT=eth3 " + kUdp,
        "2024-05-28T17:23:25Z", Action::Block, Direction::Unknown, proto::kUdp, "203.0.113.7", 49007,
        "192.0.2.10", 53, "eth2", "Shorewall:FORWARD:REJECT"},
    {"ShorewallAccept", "May 28 17:23:25 fw kernel: Shorewall:loc2net:ACCEPT:IN=eth1 OUT=eth0 " + kUdp,
        "2024-05-28T17:23:25Z", Action::Allow, Direction::Unknown, proto::kUdp, "203.0.113.7", 49007,
        "192.0.2.10", 53, "eth1", "Shorewall:loc2net:ACCEPT"},
    {"OpenWrt",
        "Nov 18 13:39:49 OpenWrt kernel: [10051.313745] DROP(src wan)IN=eth0 OUT= " + kMac + kTcpSyn
            + " MARK=0xff00",
        "2024-11-18T13:39:49Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "DROP(src wan)"},
    {"ProxmoxPolicyDrop",
        "0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14 +0200 policy DROP: IN=vmbr0.94 " + kMac + kUdp,
        "2022-06-20T11:09:14Z", Action::Block, Direction::In, proto::kUdp, "203.0.113.7", 49007, "192.0.2.10",
        53, "vmbr0.94", "PVEFW-HOST-IN policy DROP"},
    {"ProxmoxAcceptBridged",
        "101 1 tap101i0-IN 20/Jun/2022:13:13:14 +0200 ACCEPT: IN=fwbr101i0 OUT=fwbr101i0 PHYSIN=fwln101i0 "
        "PHYSOUT=tap101i0 MAC=a2:1b:bb:df:61:a5:6e:68:28:cc:2a:0c:08:00 SRC=198.51.100.34 DST=192.0.2.200 "
        "LEN=60 "
        "TOS=0x10 PREC=0x00 TTL=63 ID=28091 DF PROTO=TCP SPT=43506 DPT=3306 SEQ=2987056794 ACK=0 "
        "WINDOW=64240 SYN ",
        "2022-06-20T11:13:14Z", Action::Allow, Direction::Unknown, proto::kTcp, "198.51.100.34", 43506,
        "192.0.2.200", 3306, "fwbr101i0", "tap101i0-IN ACCEPT"},
    {"ProxmoxOutOnlyIpv6",
        "0 1 PVEFW-HOST-OUT 20/Jun/2022:13:16:23 -0130 REJECT: OUT=vmbr0 SRC=2001:db8::a DST=2001:db8::17 "
        "LEN=40 "
        "TC=0 FLOWLBL=634336 HOPLIMIT=64 PROTO=TCP SPT=59368 DPT=22 SEQ=3146558957 ACK=0 WINDOW=64800 SYN ",
        "2022-06-20T14:46:23Z", Action::Block, Direction::Out, proto::kTcp, "2001:db8::a", 59368,
        "2001:db8::17", 22, "vmbr0", "PVEFW-HOST-OUT REJECT"},
    {"ProxmoxNoVerdict",
        "0 5 GROUP-security1-IN 20/Jun/2022:15:52:26 +0200 IN=fwbr101i0 OUT=fwbr101i0 PHYSIN=fwln101i0 "
            + kTcpSyn,
        "2022-06-20T13:52:26Z", Action::Block, Direction::Unknown, proto::kTcp, "203.0.113.7", 51234,
        "192.0.2.10", 22, "fwbr101i0", "GROUP-security1-IN"},
    // nftables: `log prefix "..."` writes the same kernel text as iptables' LOG target (nf_log_syslog).
    {"NftablesPrefix", "Mar  5 12:34:56 host kernel: nft-drop: IN=enp1s0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "enp1s0", "nft-drop"},
    {"NftablesBracketedPrefixWithWords",
        "2024-03-05T12:34:56.000000+00:00 host kernel: [ 1234.567890] [nftables] Inbound Denied: IN=wlan0 "
        "OUT= "
            + kMac + kUdp,
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kUdp, "203.0.113.7", 49007, "192.0.2.10",
        53, "wlan0", "[nftables] Inbound Denied"},
    {"NftablesInetIpv6Accept",
        "Mar  5 12:34:56 host kernel: nft inet filter input accept: IN=eth0 OUT= "
        "MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:86:dd SRC=2001:db8::7 DST=2001:db8::10 LEN=80 TC=0 "
        "HOPLIMIT=56 FLOWLBL=0 PROTO=TCP SPT=40000 DPT=443 WINDOW=64800 RES=0x00 SYN URGP=0",
        "2024-03-05T12:34:56Z", Action::Allow, Direction::In, proto::kTcp, "2001:db8::7", 40000,
        "2001:db8::10", 443, "eth0", "nft inet filter input accept"},
    {"FirewalldFinalReject", "Mar  5 12:34:56 host kernel: FINAL_REJECT: IN=enp1s0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "enp1s0", "FINAL_REJECT"},
    {"FirewalldZoneReject",
        "Mar  5 12:34:56 host kernel: filter_IN_public_REJECT: IN=enp1s0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "enp1s0", "filter_IN_public_REJECT"},
    {"FirewalldZoneDrop",
        "Mar  5 12:34:56 host kernel: filter_IN_drop_DROP: IN=enp1s0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "enp1s0", "filter_IN_drop_DROP"},
    {"FirewalldAllow",
        "Mar  5 12:34:56 host kernel: filter_IN_public_ALLOW: IN=enp1s0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Allow, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "enp1s0", "filter_IN_public_ALLOW"},
    {"TwoWordPrefix",
        "Jan  8 03:37:09 example-host kernel: iptables DROP_INPUT: IN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-01-08T03:37:09Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "iptables DROP_INPUT"},
    {"NoVerdictIsBlock", "Feb  4 23:33:37 host kernel: FIREWALL_OUT IN= OUT=eth0 " + kTcpSyn,
        "2024-02-04T23:33:37Z", Action::Block, Direction::Out, proto::kTcp, "203.0.113.7", 51234,
        "192.0.2.10", 22, "eth0", "FIREWALL_OUT"},
    {"EmptyPrefix", "Aug 17 10:03:37 host kernel: [4475569.016000] IN= OUT=lo " + kTcpSyn,
        "2024-08-17T10:03:37Z", Action::Block, Direction::Out, proto::kTcp, "203.0.113.7", 51234,
        "192.0.2.10", 22, "lo", ""},
    {"UlogdTagWithPid", "Mar  5 12:34:56 gw ulogd[812]: [fw-in-drop] IN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "fw-in-drop"},
    {"PrefixGluedToLetters", "Mar  5 12:34:56 gw kernel: INPUTDROPIN=eth0 OUT= " + kMac + kTcpSyn,
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "INPUTDROP"},
    {"IcmpWithQuotedPacket",
        "Jan  8 03:37:09 gw kernel: DENY: IN=eth0 OUT= " + kMac
            + "SRC=198.51.100.71 DST=192.0.2.83 LEN=88 TOS=0x00 PREC=0x00 TTL=118 ID=21684 PROTO=ICMP TYPE=3 "
              "CODE=3 "
              "[SRC=192.0.2.83 DST=203.0.113.191 LEN=60 TOS=0x00 PREC=0x00 TTL=54 ID=0 DF PROTO=UDP "
              "SPT=21458 "
              "DPT=62936 LEN=40 ]",
        "2024-01-08T03:37:09Z", Action::Block, Direction::In, proto::kIcmp, "198.51.100.71", -1, "192.0.2.83",
        -1, "eth0", "DENY"},
    {"IcmpEcho",
        "Aug 17 10:03:37 host kernel: SFW2-INext-DROP-DEFLT IN=eth0 OUT= " + kMac
            + "SRC=203.0.113.36 DST=192.0.2.194 LEN=28 TOS=0x00 PREC=0x00 TTL=44 ID=60200 PROTO=ICMP TYPE=8 "
              "CODE=0 "
              "ID=10466 SEQ=21229",
        "2024-08-17T10:03:37Z", Action::Block, Direction::In, proto::kIcmp, "203.0.113.36", -1, "192.0.2.194",
        -1, "eth0", "SFW2-INext-DROP-DEFLT"},
    {"Ipv6Uncompressed",
        "Jan 22 10:52:34 host kernel: [  307.757925] [UFW BLOCK] IN=enp0s3 OUT= "
        "SRC=2001:0db8:0000:0000:0084:88ff:feae:790a DST=2001:0db8:0000:0000:0000:0000:0000:0016 LEN=96 TC=0 "
        "HOPLIMIT=1 FLOWLBL=0 PROTO=UDP SPT=5353 DPT=5353 LEN=56",
        "2024-01-22T10:52:34Z", Action::Block, Direction::In, proto::kUdp, "2001:db8::84:88ff:feae:790a",
        5353, "2001:db8::16", 5353, "enp0s3", "UFW BLOCK"},
    {"Icmpv6ByName",
        "Jan 22 09:05:05 host kernel: [16571.459614] IN= OUT=lo SRC=2001:db8::1 DST=2001:db8::2 LEN=104 TC=0 "
        "HOPLIMIT=64 FLOWLBL=868225 PROTO=ICMPv6 TYPE=128 CODE=0 ID=3427 SEQ=1 ",
        "2024-01-22T09:05:05Z", Action::Block, Direction::Out, proto::kIcmpV6, "2001:db8::1", -1,
        "2001:db8::2", -1, "lo", ""},
    {"Icmpv6ByNumber",
        "Jan 22 09:05:05 host kernel: [UFW BLOCK] IN=eth0 OUT= SRC=2001:db8::1 DST=2001:db8::2 LEN=104 TC=0 "
        "HOPLIMIT=64 FLOWLBL=0 PROTO=58 TYPE=135 CODE=0",
        "2024-01-22T09:05:05Z", Action::Block, Direction::In, proto::kIcmpV6, "2001:db8::1", -1,
        "2001:db8::2", -1, "eth0", "UFW BLOCK"},
    {"ProtoNumberIgmp",
        "<4>Jun 27 23:29:32 router kernel: [wan-local-default-D]IN=eth0 OUT= " + kMac
            + "SRC=198.51.100.1 DST=224.0.0.1 LEN=32 TOS=0x00 PREC=0xC0 TTL=1 ID=0 DF PROTO=2",
        "2024-06-27T23:29:32Z", Action::Block, Direction::In, proto::kIgmp, "198.51.100.1", -1, "224.0.0.1",
        -1, "eth0", "wan-local-default-D"},
    {"ProtoGreNumber",
        "<4>Jun 12 20:26:58 router kernel: [wan-local-default-D]IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 "
        "LEN=77 "
        "TOS=0x00 PREC=0x00 TTL=235 ID=24392 PROTO=47",
        "2024-06-12T20:26:58Z", Action::Block, Direction::In, proto::kGre, "198.51.100.1", -1, "192.0.2.1",
        -1, "eth0", "wan-local-default-D"},
    {"EspNoPorts",
        "Jan  5 20:17:01 firewall kernel: [4276041.728154] IN=eno1 OUT= SRC=198.51.100.116 DST=192.0.2.25 "
        "LEN=120 "
        "TOS=0x00 PREC=0x00 TTL=55 ID=0 DF PROTO=ESP SPI=0xcb886522",
        "2024-01-05T20:17:01Z", Action::Block, Direction::In, proto::kEsp, "198.51.100.116", -1, "192.0.2.25",
        -1, "eno1", ""},
    {"UdpFragmentNoPorts",
        "Mar  5 12:34:56 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=1500 "
        "TOS=0x00 "
        "PREC=0x00 TTL=52 ID=7 MF FRAG:185 PROTO=UDP ",
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kUdp, "203.0.113.7", -1, "192.0.2.10",
        -1, "eth0", "UFW BLOCK"},
    {"UdpLite",
        "Mar  5 12:34:56 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=40 TOS=0x00 "
        "PREC=0x00 TTL=52 ID=7 PROTO=UDPLITE SPT=1000 DPT=2000 LEN=20",
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kUdpLite, "203.0.113.7", 1000,
        "192.0.2.10", 2000, "eth0", "UFW BLOCK"},
    {"Sctp",
        "Mar  5 12:34:56 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=40 TOS=0x00 "
        "PREC=0x00 TTL=52 ID=7 PROTO=SCTP SPT=3868 DPT=3868 ",
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kSctp, "203.0.113.7", 3868, "192.0.2.10",
        3868, "eth0", "UFW BLOCK"},
    {"ForwardedBothInterfaces",
        "Jan  5 20:17:01 router kernel: [WAN_OUT-2000-A]IN=eth0 OUT=eth2 " + kMac + kTcpSyn,
        "2024-01-05T20:17:01Z", Action::Allow, Direction::Unknown, proto::kTcp, "203.0.113.7", 51234,
        "192.0.2.10", 22, "eth0", "WAN_OUT-2000-A"},
    {"TabsAndTrailingCr", "Mar  5 12:34:56 gw kernel: [UFW BLOCK] IN=eth0\tOUT= " + kTcpSyn + "\r",
        "2024-03-05T12:34:56Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234, "192.0.2.10",
        22, "eth0", "UFW BLOCK"},
    {"ZeroPaddedDayAndFraction", "Mar 05 12:34:56.250 gw kernel: [UFW BLOCK] IN=eth0 OUT= " + kTcpSyn,
        "2024-03-05T12:34:56.25Z", Action::Block, Direction::In, proto::kTcp, "203.0.113.7", 51234,
        "192.0.2.10", 22, "eth0", "UFW BLOCK"},
};

class NetfilterShapes : public ::testing::TestWithParam<ShapeCase> { };

TEST_P(NetfilterShapes, ParsesEveryField)
{
    const ShapeCase& c = GetParam();
    const Parsed p = parseOne(c.line);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    const core::Event& e = p.event;
    EXPECT_EQ(timeText(e), c.time);
    EXPECT_FALSE(e.timeGuessed); // the year is fixed, the zone UTC
    EXPECT_EQ(core::actionName(e.action), core::actionName(c.action));
    EXPECT_EQ(core::directionName(e.direction), core::directionName(c.direction));
    EXPECT_EQ(e.proto, c.proto);
    EXPECT_EQ(e.src.toString(), c.src);
    EXPECT_EQ(e.dst.toString(), c.dst);
    EXPECT_EQ(e.srcPort, c.srcPort);
    EXPECT_EQ(e.dstPort, c.dstPort);
    EXPECT_EQ(e.iface, c.iface);
    EXPECT_EQ(e.rule, c.rule);
    EXPECT_EQ(e.count, 1u);
}

INSTANTIATE_TEST_SUITE_P(AllShapes, NetfilterShapes, ::testing::ValuesIn(kShapes),
    [](const ::testing::TestParamInfo<ShapeCase>& param) { return std::string(param.param.name); });

// --- Details of single fields ----------------------------------------------------------------------------

TEST(NetfilterParser, TcpFlagsFromBareWords)
{
    struct Case {
        std::string flags;
        std::uint8_t bits;
    };
    const Case cases[] = {
        {"SYN", tcpflag::kSyn},
        {"ACK", tcpflag::kAck},
        {"ACK RST", tcpflag::kAck | tcpflag::kRst},
        {"ACK PSH FIN", tcpflag::kAck | tcpflag::kPsh | tcpflag::kFin},
        {"CWR ECE SYN", tcpflag::kCwr | tcpflag::kEce | tcpflag::kSyn},
        {"CWR ECE URG ACK PSH RST SYN FIN", 0xff},
        {"", 0},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.flags);
        const std::string line
            = "Mar  5 12:34:56 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 "
              "LEN=52 TOS=0x00 PREC=0x00 TTL=128 ID=9209 DF PROTO=TCP SPT=17833 DPT=22 "
              "WINDOW=8192 RES=0x00 "
            + c.flags + (c.flags.empty() ? "" : " ") + "URGP=0";
        const Parsed p = parseOne(line);
        ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
        EXPECT_TRUE(p.event.hasTcpFlags);
        EXPECT_EQ(p.event.tcpFlags, c.bits) << core::tcpFlagsText(p.event.tcpFlags);
    }
}

TEST(NetfilterParser, TcpFlagsNeedTheTcpHeader)
{
    // Proxmox "ACK=0" is the acknowledgement number, not the flag; a TCP fragment logs no header at all.
    Parsed p
        = parseOne("0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:25 +0200 REJECT: IN=vmbr0 SRC=198.51.100.34 "
                   "DST=192.0.2.12 LEN=60 TOS=0x10 PREC=0x00 TTL=62 ID=52883 DF PROTO=TCP SPT=36504 DPT=3306 "
                   "SEQ=2315974272 ACK=0 WINDOW=64240 SYN ");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.tcpFlags, tcpflag::kSyn);
    p = parseOne(
        "Mar  5 12:34:56 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=1500 "
        "TOS=0x00 PREC=0x00 TTL=52 ID=7 FRAG:185 PROTO=TCP ");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_FALSE(p.event.hasTcpFlags);
    EXPECT_EQ(p.event.srcPort, -1);
    // UDP carries no flags even when a bare "SYN" word shows up.
    p = parseOne("Mar  5 12:34:56 gw kernel: [UFW BLOCK] IN=eth0 OUT= " + kUdp + " SYN");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_FALSE(p.event.hasTcpFlags);
    EXPECT_EQ(p.event.tcpFlags, 0);
}

TEST(NetfilterParser, IcmpTypeAndCode)
{
    struct Case {
        std::string payload;
        int proto, type, code;
    };
    const Case cases[] = {
        {"SRC=203.0.113.1 DST=192.0.2.1 LEN=84 TTL=63 ID=6789 PROTO=ICMP TYPE=8 CODE=0 ID=98765 SEQ=30123",
            proto::kIcmp, 8, 0},
        {"SRC=203.0.113.1 DST=192.0.2.1 LEN=88 TTL=118 PROTO=ICMP TYPE=3 CODE=13 [SRC=192.0.2.1 "
         "DST=198.51.100.9 "
         "LEN=60 TTL=54 PROTO=ICMP TYPE=0 CODE=0 ID=1 SEQ=2 ]",
            proto::kIcmp, 3, 13},
        {"SRC=203.0.113.1 DST=192.0.2.1 LEN=88 PROTO=ICMP TYPE=5 CODE=1 GATEWAY=192.0.2.254 [SRC=192.0.2.1 "
         "DST=198.51.100.9 LEN=60 PROTO=TCP SPT=1 DPT=2 ]",
            proto::kIcmp, 5, 1},
        {"SRC=203.0.113.1 DST=192.0.2.1 LEN=28 PROTO=ICMP TYPE=8", proto::kIcmp, 8, -1},
        {"SRC=2001:db8::5 DST=ff02::1 LEN=72 TC=0 HOPLIMIT=255 FLOWLBL=0 PROTO=ICMPv6 TYPE=134 CODE=0",
            proto::kIcmpV6, 134, 0},
        {"SRC=2001:db8::5 DST=2001:db8::6 LEN=72 PROTO=ICMPv6 TYPE=1 CODE=4 [SRC=2001:db8::6 DST=2001:db8::9 "
         "LEN=40 "
         "PROTO=UDP SPT=33434 DPT=33435 LEN=20 ]",
            proto::kIcmpV6, 1, 4},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.payload);
        const Parsed p = parseOne("Jun 28 04:30:32 gw kernel: [UFW BLOCK] IN=eth0 OUT= " + c.payload);
        ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
        EXPECT_EQ(p.event.proto, c.proto);
        EXPECT_EQ(p.event.icmpType, c.type);
        EXPECT_EQ(p.event.icmpCode, c.code);
        EXPECT_EQ(p.event.srcPort, -1); // the quoted packet's ports are not the ICMP packet's
        EXPECT_EQ(p.event.dstPort, -1);
        EXPECT_EQ(p.event.src.toString(), c.payload.substr(4, c.payload.find(' ') - 4));
    }
}

TEST(NetfilterParser, QuotedPacketDoesNotOverrideOuterFields)
{
    // The ICMP error's quoted packet is skipped even when the outer packet lacks a field it has.
    const Parsed p
        = parseOne("Jan  8 03:37:09 gw kernel: DENY: IN=eth0 OUT= SRC=198.51.100.71 DST=192.0.2.83 "
                   "LEN=88 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.0.1 DST=10.0.0.2 LEN=60 PROTO=UDP SPT=1 "
                   "DPT=2 LEN=40 ] ");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.src.toString(), "198.51.100.71");
    EXPECT_EQ(p.event.dst.toString(), "192.0.2.83");
    EXPECT_EQ(p.event.proto, proto::kIcmp);
    EXPECT_EQ(p.event.srcPort, -1);
}

TEST(NetfilterParser, ExtraCarriesUnifiDescriptionAndProxmoxVmid)
{
    Parsed p = parseOne(
        "Jun 13 23:29:15 UDMP [WAN_LOCAL-D-2147483647] DESCR=\"[WAN_LOCAL]Block All Traffic\" IN=eth8 OUT= "
        + kUdp);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.extra, R"({"descr":"[WAN_LOCAL]Block All Traffic"})");
    EXPECT_EQ(p.event.rule, "WAN_LOCAL-D-2147483647");
    // Hostile description text still gives valid JSON.
    p = parseOne("Jun 13 23:29:15 UDMP [WAN_LOCAL-D-1] DESCR=\"a\\b\x01\xff\" IN=eth8 OUT= " + kUdp);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.extra, "{\"descr\":\"a\\\\b\\u0001\xef\xbf\xbd\"}");
    p = parseOne("101 1 tap101i0-IN 20/Jun/2022:16:20:14 +0200 DROP: IN=fwbr101i0 OUT=fwbr101i0 " + kTcpSyn);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.extra, R"({"vmid":101})");
    p = parseOne("Mar  5 12:34:56 gw kernel: [UFW BLOCK] IN=eth0 OUT= " + kTcpSyn);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.extra, "");
}

TEST(NetfilterParser, EventIsResetBetweenLines)
{
    auto parser = parsers::makeNetfilterParser();
    auto lp = parser->open(context());
    core::Event e;
    std::string reason;
    ASSERT_EQ(
        lp->parse("Jun 13 23:29:15 UDMP [WAN_LOCAL-A-1] DESCR=\"x\" IN=eth8 OUT= " + kTcpSyn, e, reason),
        ParseStatus::Event);
    EXPECT_TRUE(e.hasTcpFlags);
    EXPECT_EQ(e.action, Action::Allow);
    ASSERT_EQ(
        lp->parse("Jun 13 23:29:16 gw kernel: IN= OUT=eth1 SRC=192.0.2.1 DST=198.51.100.2 LEN=84 PROTO=ICMP "
                  "TYPE=8 CODE=0",
            e, reason),
        ParseStatus::Event);
    EXPECT_FALSE(e.hasTcpFlags);
    EXPECT_EQ(e.tcpFlags, 0);
    EXPECT_EQ(e.srcPort, -1);
    EXPECT_EQ(e.extra, "");
    EXPECT_EQ(e.rule, "");
    EXPECT_EQ(e.iface, "eth1");
    EXPECT_EQ(e.action, Action::Block);
    EXPECT_EQ(e.icmpType, 8);
}

// --- Lines that are not ours, and broken records ---------------------------------------------------------

struct NegativeCase {
    const char* name;
    std::string line;
    ParseStatus status;
    const char* reason; // a substring of the Malformed reason
};

std::ostream& operator<<(std::ostream& os, const NegativeCase& c)
{
    return os << c.name;
}

const std::string kHead = "Mar  5 12:34:56 gw kernel: [UFW BLOCK] ";

const std::vector<NegativeCase> kNegatives = {
    {"Empty", "", ParseStatus::NotMine, ""},
    {"Blank", "   \t ", ParseStatus::NotMine, ""},
    {"Sshd", "Mar  5 06:25:03 gw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022",
        ParseStatus::NotMine, ""},
    {"Cron", "Mar  5 06:25:01 gw CRON[20001]: (root) CMD (run-parts /etc/cron.hourly)", ParseStatus::NotMine,
        ""},
    {"OtherKernelLine",
        "Mar  5 06:25:08 gw kernel: [ 3533.000001] usb 1-1: new high-speed USB device number 3",
        ParseStatus::NotMine, ""},
    {"AuditNetfilterCfg",
        "Mar  5 06:25:12 gw kernel: audit: type=1325 audit(1709619912.000:42): table=filter family=2 "
        "entries=0",
        ParseStatus::NotMine, ""},
    {"FirewalldDaemon",
        "Jul 18 10:51:43 localhost firewalld: 2014-07-18 10:51:43 ERROR: '/sbin/iptables -D INPUT_ZONES -t "
        "filter -i "
        "enp1s0 -g IN_public' failed: iptables: No chain/target/match by that name.",
        ParseStatus::NotMine, ""},
    {"SshdInjectedFirewallRecord",
        "Mar  5 06:25:06 gw sshd[20011]: Invalid user IN=eth0 OUT= SRC=198.51.100.66 DST=192.0.2.10 "
        "PROTO=TCP SPT=1 "
        "DPT=22 from 203.0.113.51 port 40023",
        ParseStatus::NotMine, ""},
    {"Rfc5424SshdInjected",
        "<38>1 2024-03-05T12:34:56Z gw sshd 20011 - - Invalid user IN=eth0 OUT= SRC=198.51.100.66 "
        "DST=192.0.2.10 "
        "PROTO=TCP SPT=1 DPT=22",
        ParseStatus::NotMine, ""},
    {"TruncatedBeforeSrc", kHead + "IN=eth0 OUT= MAC=00:11:22", ParseStatus::NotMine, ""},
    {"TruncatedMidKey", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PR",
        ParseStatus::Malformed, "no PROTO="},
    {"TruncatedAfterSrc", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DS", ParseStatus::Malformed, "no DST="},
    {"TruncatedInSrc", kHead + "IN=eth0 OUT= SRC=203.0.1", ParseStatus::Malformed, "truncated"},
    {"SrcOutOfRange", kHead + "IN=eth0 OUT= SRC=999.1.1.1 DST=192.0.2.10 PROTO=UDP SPT=1 DPT=2",
        ParseStatus::Malformed, "bad SRC"},
    {"SrcEmpty", kHead + "IN=eth0 OUT= SRC= DST=192.0.2.10 PROTO=UDP SPT=1 DPT=2", ParseStatus::Malformed,
        "bad SRC"},
    {"SrcLeadingZero", kHead + "IN=eth0 OUT= SRC=010.1.1.1 DST=192.0.2.10 PROTO=UDP", ParseStatus::Malformed,
        "bad SRC"},
    {"DstGarbage", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=example.org PROTO=UDP", ParseStatus::Malformed,
        "bad DST"},
    {"Ipv6ZoneId", kHead + "IN=eth0 OUT= SRC=fe80::1%eth0 DST=fe80::2 PROTO=UDP", ParseStatus::Malformed,
        "bad SRC"},
    {"MixedFamilies", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=2001:db8::1 PROTO=UDP",
        ParseStatus::Malformed, "famil"},
    {"PortTooLarge", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP SPT=70000 DPT=53",
        ParseStatus::Malformed, "SPT"},
    {"PortNotNumber", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=TCP SPT=1 DPT=ssh",
        ParseStatus::Malformed, "DPT"},
    {"PortNegative", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=TCP SPT=-1 DPT=22",
        ParseStatus::Malformed, "SPT"},
    {"UnknownProto", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=FOO", ParseStatus::Malformed,
        "PROTO"},
    {"ProtoNumberTooLarge", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=300",
        ParseStatus::Malformed, "PROTO"},
    {"IcmpTypeTooLarge", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=ICMP TYPE=300 CODE=0",
        ParseStatus::Malformed, "TYPE"},
    {"IcmpCodeNotNumber", kHead + "IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=ICMP TYPE=3 CODE=x",
        ParseStatus::Malformed, "CODE"},
    {"NoInterfaceAtAll",
        "Jun  8 14:34:33 sd kernel: [50028442.088484] XX=enp1s0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=40 "
        "PROTO=TCP "
        "SPT=8080 DPT=8123",
        ParseStatus::Malformed, "interface"},
    {"InterfaceWithControlByte", kHead + "IN=et\x01h0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP",
        ParseStatus::Malformed, "interface"},
    {"InterfaceTooLong",
        kHead + "IN=" + std::string(100, 'e') + " OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP",
        ParseStatus::Malformed, "interface"},
    {"NoTimestamp", "IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP SPT=1 DPT=2",
        ParseStatus::Malformed, "timestamp"},
    {"DmesgNoWallClock", "[12345.678901] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP",
        ParseStatus::Malformed, "timestamp"},
    {"BadMonth", "Foo  5 12:34:56 gw kernel: IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP",
        ParseStatus::Malformed, "timestamp"},
    {"February30", "Feb 30 12:34:56 gw kernel: IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP",
        ParseStatus::Malformed, "date"},
    {"Hour25", "Mar  5 25:34:56 gw kernel: IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP",
        ParseStatus::Malformed, "date"},
    {"Rfc3339BadOffset",
        "2024-03-05T12:34:56+25:00 gw kernel: IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP",
        ParseStatus::Malformed, "timestamp"},
    {"Rfc3339Month13",
        "2024-13-05T12:34:56Z gw kernel: IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 PROTO=UDP",
        ParseStatus::Malformed, "date"},
    {"ProxmoxBadMonth", "0 3 PVEFW-HOST-IN 20/Foo/2022:13:09:14 +0200 DROP: IN=vmbr0 " + kUdp,
        ParseStatus::Malformed, "timestamp"},
    {"NulInsideSrc",
        kHead + "IN=eth0 OUT= SRC=203.0" + std::string(1, '\0') + ".113.7 DST=192.0.2.10 PROTO=UDP",
        ParseStatus::Malformed, "bad SRC"},
    {"PrefixTooLong", "Mar  5 12:34:56 gw kernel: " + std::string(5000, 'X') + " IN=eth0 OUT= " + kUdp,
        ParseStatus::Malformed, "prefix"},
};

class NetfilterNegatives : public ::testing::TestWithParam<NegativeCase> { };

TEST_P(NetfilterNegatives, IsRejected)
{
    const NegativeCase& c = GetParam();
    const Parsed p = parseOne(c.line);
    EXPECT_EQ(int(p.status), int(c.status)) << p.reason;
    if (c.status == ParseStatus::Malformed) {
        EXPECT_NE(p.reason.find(c.reason), std::string::npos) << p.reason;
        EXPECT_LT(p.reason.size(), 80u);
    }
}

INSTANTIATE_TEST_SUITE_P(AllNegatives, NetfilterNegatives, ::testing::ValuesIn(kNegatives),
    [](const ::testing::TestParamInfo<NegativeCase>& param) { return std::string(param.param.name); });

TEST(NetfilterParser, HostileBytesInThePrefixAreSanitised)
{
    // Invalid UTF-8 and control bytes in the prefix still give the event; the rule text is made safe.
    const std::string prefixes[] = {"[UFW \xff\xfe BLOCK]", std::string("[UFW\0BLOCK]", 11),
        "[UFW \x1b[31mBLOCK]", "[\xc3\xa9t\xc3\xa9 BLOCK]"};
    for (const std::string& prefix : prefixes) {
        SCOPED_TRACE(core::sanitizeForDisplay(prefix));
        const Parsed p = parseOne("Mar  5 12:34:56 gw kernel: " + prefix + " IN=eth0 OUT= " + kTcpSyn);
        ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
        EXPECT_TRUE(core::isValidUtf8(p.event.rule)) << p.event.rule;
        for (char ch : p.event.rule)
            EXPECT_FALSE(ch >= 0 && ch < 0x20) << int(ch);
        EXPECT_NE(p.event.rule.find("BLOCK"), std::string::npos);
        EXPECT_EQ(p.event.action, Action::Block);
    }
    const Parsed p
        = parseOne("Mar  5 12:34:56 gw kernel: [\xc3\xa9t\xc3\xa9 ACCEPT] IN=eth0 OUT= " + kTcpSyn);
    ASSERT_EQ(p.status, ParseStatus::Event);
    EXPECT_EQ(p.event.rule, "\xc3\xa9t\xc3\xa9 ACCEPT"); // valid UTF-8 is kept as it is
}

TEST(NetfilterParser, BinaryJunkNeverCrashes)
{
    auto parser = parsers::makeNetfilterParser();
    auto lp = parser->open(context());
    core::Event e;
    std::string reason;
    std::uint32_t state = 12345;
    const std::string seeds[] = {"", kHead + "IN=eth0 OUT= " + kTcpSyn, "IN=OUT=SRC=DST=PROTO=[[[]]]\"\"",
        "0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14 +0200 policy DROP: IN=vmbr0.94 " + kUdp,
        "<4>1 2024-03-05T12:34:56Z h kernel - - [x y=\"z\"] IN=eth0 OUT= " + kUdp};
    int events = 0;
    for (int round = 0; round < 4000; ++round) {
        std::string line = seeds[std::size_t(round) % std::size(seeds)];
        // Mutate: overwrite, cut or extend with random bytes, NULs included.
        const std::size_t edits = 1 + (state >> 3) % 8;
        for (std::size_t k = 0; k < edits; ++k) {
            state = state * 1664525u + 1013904223u;
            const char byte = char(state >> 24);
            if (line.empty() || (state & 3) == 0)
                line.push_back(byte);
            else if ((state & 3) == 1)
                line.resize((state >> 8) % line.size());
            else
                line[(state >> 8) % line.size()] = byte;
        }
        const ParseStatus s = lp->parse(line, e, reason);
        if (s == ParseStatus::Event) {
            ++events;
            EXPECT_TRUE(e.src.isValid());
            EXPECT_TRUE(e.dst.isValid());
            EXPECT_TRUE(core::isValidUtf8(e.rule));
        }
        EXPECT_NE(s, ParseStatus::Ignored);
    }
    EXPECT_GT(events, 0); // the mutations leave some lines intact, so the loop did exercise the event path
}

TEST(NetfilterParser, TenMegabyteLines)
{
    const std::size_t big = 10 * 1024 * 1024;
    struct Case {
        const char* name;
        std::string line;
        ParseStatus status;
    };
    std::vector<Case> cases;
    cases.push_back({"OneLetter", std::string(big, 'A'), ParseStatus::NotMine});
    cases.push_back({"Nuls", std::string(big, '\0'), ParseStatus::NotMine});
    std::string repeated;
    repeated.reserve(big);
    while (repeated.size() < big)
        repeated += "IN=";
    cases.push_back({"RepeatedKey", repeated, ParseStatus::NotMine});
    std::string pairs;
    pairs.reserve(big + 100);
    pairs = kHead + "IN=eth0 OUT= ";
    while (pairs.size() < big)
        pairs += "SRC=203.0.113.7 ";
    cases.push_back({"RepeatedSrc", pairs, ParseStatus::Malformed});
    cases.push_back({"TrailingGarbage", kHead + "IN=eth0 OUT= " + kTcpSyn + " " + std::string(big, 'Z'),
        ParseStatus::Event});
    cases.push_back(
        {"HugePrefix", "Mar  5 12:34:56 gw kernel: " + std::string(big, 'P') + " IN=eth0 OUT= " + kUdp,
            ParseStatus::Malformed});
    cases.push_back(
        {"OpenBracket", kHead + "IN=eth0 OUT= " + kUdp + " [" + std::string(big, 'B'), ParseStatus::Event});
    cases.push_back(
        {"OpenQuote", kHead + "IN=eth0 OUT= " + kUdp + " X=\"" + std::string(big, ' '), ParseStatus::Event});
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const Parsed p = parseOne(c.line);
        EXPECT_EQ(int(p.status), int(c.status)) << p.reason;
        EXPECT_LE(p.event.rule.size(), 1024u);
    }
}

TEST(NetfilterParser, MixedSyslogFixture)
{
    const std::string text = test::readFile(test::dataDir() / "logs/netfilter/mixed-syslog.log");
    auto parser = parsers::makeNetfilterParser();
    auto lp = parser->open(context());
    std::istringstream in(text);
    std::string line;
    std::vector<ParseStatus> statuses;
    std::vector<core::Event> events;
    std::vector<std::string> reasons;
    core::Event e;
    std::string reason;
    while (std::getline(in, line)) {
        statuses.push_back(lp->parse(line, e, reason));
        if (statuses.back() == ParseStatus::Event) events.push_back(e);
        if (statuses.back() == ParseStatus::Malformed) reasons.push_back(reason);
    }
    using S = ParseStatus;
    const std::vector<ParseStatus> expected = {S::NotMine, S::NotMine, S::NotMine, S::Event, S::NotMine,
        S::NotMine, S::Event, S::NotMine, S::Event, S::Malformed, S::Malformed, S::NotMine, S::NotMine};
    ASSERT_EQ(statuses.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(int(statuses[i]), int(expected[i])) << "line " << i + 1;
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].src.toString(), "203.0.113.50");
    EXPECT_EQ(events[0].dstPort, 23);
    EXPECT_EQ(timeText(events[0]), "2024-03-05T06:25:04Z");
    EXPECT_EQ(events[1].dstPort, 2323);
    EXPECT_EQ(events[2].action, Action::Allow);
    EXPECT_EQ(events[2].direction, Direction::Out);
    EXPECT_EQ(events[2].proto, proto::kUdp);
    ASSERT_EQ(reasons.size(), 2u);
    EXPECT_NE(reasons[0].find("SRC"), std::string::npos);
    EXPECT_NE(reasons[1].find("PROTO"), std::string::npos);
}

// --- Time: year inference, --year, --tz, RFC 3339 ---------------------------------------------------------

std::vector<Parsed> parseFile(const std::string& name, const core::ParseContext& ctx)
{
    const std::string text = test::readFile(test::dataDir() / "logs/netfilter" / name);
    auto lp = parsers::makeNetfilterParser()->open(ctx);
    std::vector<Parsed> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        Parsed p = parseWith(*lp, line);
        if (p.status != ParseStatus::NotMine) out.push_back(std::move(p));
    }
    return out;
}

TEST(NetfilterTime, YearRolloverInferredFromMtime)
{
    // The file was last written on 2 January 2025: its December lines are from 2024.
    const std::int64_t mtime = 1735812000; // 2025-01-02T10:00:00Z
    const auto events = parseFile("rollover.log", context(0, mtime));
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(timeText(events[0].event), "2024-12-31T23:59:58Z");
    EXPECT_EQ(timeText(events[1].event), "2025-01-01T00:00:01Z");
    EXPECT_EQ(timeText(events[2].event), "2025-01-02T08:00:00Z");
    for (const auto& p : events) {
        ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
        EXPECT_TRUE(p.event.timeGuessed);
    }
}

TEST(NetfilterTime, YearRolloverWithGivenYear)
{
    const auto events = parseFile("rollover.log", context(2019, kJune2024));
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(timeText(events[0].event), "2019-12-31T23:59:58Z");
    EXPECT_EQ(timeText(events[1].event), "2020-01-01T00:00:01Z");
    EXPECT_EQ(timeText(events[2].event), "2020-01-02T08:00:00Z");
    for (const auto& p : events)
        EXPECT_FALSE(p.event.timeGuessed);
}

TEST(NetfilterTime, InferredYearFromReference)
{
    struct Case {
        const char* stamp;
        std::int64_t reference;
        const char* expected;
    };
    const Case cases[] = {
        {"Mar  5 12:34:56", kJune2024, "2024-03-05T12:34:56Z"},
        {"Jun  2 23:00:00", kJune2024, "2024-06-02T23:00:00Z"}, // within two days of the mtime: this year
        {"Jul  5 12:00:00", kJune2024, "2023-07-05T12:00:00Z"}, // after the mtime: last year
        {"Feb 29 00:00:00", kJune2024, "2024-02-29T00:00:00Z"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.stamp);
        const Parsed p = parseOne(std::string(c.stamp) + " gw kernel: [UFW BLOCK] IN=eth0 OUT= " + kTcpSyn,
            context(0, c.reference));
        ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
        EXPECT_EQ(timeText(p.event), c.expected);
        EXPECT_TRUE(p.event.timeGuessed);
    }
    // 29 February in a year without one.
    const Parsed p
        = parseOne("Feb 29 00:00:00 gw kernel: [UFW BLOCK] IN=eth0 OUT= " + kTcpSyn, context(2023));
    EXPECT_EQ(p.status, ParseStatus::Malformed);
}

TEST(NetfilterTime, ZonesForLocalTimes)
{
    struct Case {
        const char* zone;
        std::string line;
        const char* expected;
        bool guessed;
    };
    const std::string tail = " gw kernel: [UFW BLOCK] IN=eth0 OUT= " + kTcpSyn;
    const Case cases[] = {
        {"Europe/Stockholm", "Mar  5 12:34:56" + tail, "2024-03-05T11:34:56Z", false},
        {"Europe/Stockholm", "Jul  5 12:00:00" + tail, "2024-07-05T10:00:00Z", false},
        // 27 October 2024: 02:30 happens twice in Stockholm; the earlier instant (CEST) is taken and flagged.
        {"Europe/Stockholm", "Oct 27 02:30:00" + tail, "2024-10-27T00:30:00Z", true},
        // 31 March 2024: 02:30 does not exist in Stockholm.
        {"Europe/Stockholm", "Mar 31 02:30:00" + tail, "2024-03-31T01:30:00Z", true},
        {"America/New_York", "Jan 15 08:00:00" + tail, "2024-01-15T13:00:00Z", false},
        {"+05:30", "Mar  5 12:34:56" + tail, "2024-03-05T07:04:56Z", false},
        {"-0800", "Dec 31 20:00:00" + tail, "2025-01-01T04:00:00Z", false},
        {"UTC", "Mar  5 12:34:56" + tail, "2024-03-05T12:34:56Z", false},
        // Times with their own offset ignore --tz.
        {"+05:30", "2024-03-05T12:34:56+01:00" + tail, "2024-03-05T11:34:56Z", false},
        {"Europe/Stockholm", "2024-03-05T12:34:56Z" + tail, "2024-03-05T12:34:56Z", false},
        {"Europe/Stockholm", "0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14 +0000 DROP: IN=vmbr0 " + kUdp,
            "2022-06-20T13:09:14Z", false},
        // An RFC 3339 time without an offset is local.
        {"Europe/Stockholm", "2024-03-05T12:34:56" + tail, "2024-03-05T11:34:56Z", false},
        {"Europe/Stockholm", "2024-03-05 12:34:56.5" + tail, "2024-03-05T11:34:56.5Z", false},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(c.zone) + " " + c.line.substr(0, 25));
        const Parsed p = parseOne(c.line, context(2024, kJune2024, zone(c.zone)));
        ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
        EXPECT_EQ(timeText(p.event), c.expected);
        EXPECT_EQ(p.event.timeGuessed, c.guessed);
    }
}

// --- Detection ------------------------------------------------------------------------------------------

std::vector<std::string_view> nonEmptyLines(const std::string& text)
{
    std::vector<std::string_view> lines;
    std::string_view rest(text);
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        if (!line.empty()) lines.push_back(line);
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    return lines;
}

TEST(NetfilterSniff, Scores)
{
    auto parser = parsers::makeNetfilterParser();
    const std::string ufw = kHead + "IN=eth0 OUT= " + kTcpSyn;
    const std::string sshd
        = "Mar  5 06:25:03 gw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022";

    std::vector<std::string_view> head(10, ufw);
    core::Sniff s = parser->sniff(head);
    EXPECT_GE(s.score, 90) << s.reason;

    head.assign(40, sshd);
    head[5] = ufw;
    head[30] = ufw;
    s = parser->sniff(head);
    EXPECT_GE(s.score, 60) << s.reason;
    EXPECT_LT(s.score, 90) << s.reason;

    head[30] = sshd;
    s = parser->sniff(head);
    EXPECT_EQ(s.score, parsers::ParserRegistry::kMinScore) << s.reason;

    head.assign(20, sshd);
    s = parser->sniff(head);
    EXPECT_EQ(s.score, 0);
    EXPECT_FALSE(s.reason.empty());

    const std::string broken = kHead + "IN=eth0 OUT= SRC=999.1.1.1 DST=192.0.2.10 PROTO=UDP";
    head.assign(5, broken);
    s = parser->sniff(head);
    EXPECT_EQ(s.score, 0);
    EXPECT_NE(s.reason.find("none"), std::string::npos) << s.reason;

    EXPECT_EQ(parser->sniff({}).score, 0);

    const std::vector<std::string_view> others = {
        "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack "
        "tcpwin",
        "2022-01-31 12:24:51 DROP TCP 192.0.2.163 192.0.2.212 63619 445 64 S 1031365855 0 65535 - - - "
        "RECEIVE",
        "FWIN,2006/09/09,22:15:42 -5:00 GMT,203.0.113.8:1107,192.0.2.3:135,TCP (flags:S)",
    };
    EXPECT_EQ(parser->sniff(others).score, 0);
}

TEST(NetfilterSniff, RegistryDetectsMixedSyslog)
{
    const std::string text = test::readFile(test::dataDir() / "logs/netfilter/mixed-syslog.log");
    const auto head = nonEmptyLines(text);
    const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    const parsers::Detection d = registry.detect(head);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "netfilter");
    ASSERT_FALSE(d.candidates.empty());
    EXPECT_EQ(d.candidates.front().id, "netfilter");
    EXPECT_GE(d.candidates.front().score, 60) << d.candidates.front().reason;
}

TEST(NetfilterParser, Identity)
{
    auto parser = parsers::makeNetfilterParser();
    EXPECT_EQ(parser->id(), "netfilter");
    EXPECT_FALSE(parser->description().empty());
    EXPECT_NE(parser->open(context()), nullptr);
    const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    EXPECT_NE(registry.find("netfilter"), nullptr);
}

// A sanity check of the speed, printed and not asserted (benchmarks live in bench/).
TEST(NetfilterParser, ThroughputSanityCheck)
{
    const std::string lines[] = {
        "Mar  5 12:34:56 gw kernel: [ 3529.289825] [UFW BLOCK] IN=eth0 OUT= " + kMac + kTcpSyn,
        "Mar  5 12:34:57 gw kernel: [ 3530.289825] [UFW BLOCK] IN=eth0 OUT= " + kMac + kUdp,
        "2024-03-05T12:34:58.123456+01:00 gw kernel: [UFW AUDIT] IN= OUT=eth0 " + kTcpSyn,
        "Mar  5 12:34:59 gw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022",
    };
    auto lp = parsers::makeNetfilterParser()->open(context(0));
    core::Event e;
    std::string reason;
    const int n = 400000;
    int events = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i)
        events += lp->parse(lines[i % 4], e, reason) == ParseStatus::Event;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(events, n / 4 * 3);
    const double rate = n / secs;
    std::cout << "[ netfilter ] " << static_cast<long long>(rate) << " lines/s (not asserted)\n";
    RecordProperty("lines_per_second", std::to_string(static_cast<long long>(rate)));
}

} // namespace
