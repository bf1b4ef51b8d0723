// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/parser_registry.h"
#include "parsers/time_needs.h"

#include <gtest/gtest.h>

namespace tattle::parsers {
namespace {

struct Case {
    const char* format;
    std::vector<std::string_view> lines;
    bool year, zone;
    int events;
};

TEST(TimeNeeds, FormatsSayWhatTheirStampsLeaveOpen)
{
    const auto registry = makeDefaultRegistry();
    const Case cases[] = {
        // Syslog stamps: no year, local time.
        {"netfilter",
            {"Mar  1 00:00:00 fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=192.0.2.10 LEN=60 "
             "TOS=0x00 "
             "PREC=0x00 TTL=40 ID=1 DF PROTO=TCP SPT=6808 DPT=7547 WINDOW=29200 RES=0x00 SYN URGP=0"},
            true, true, 1},
        // Windows Firewall: a year, local time.
        {"windows-firewall",
            {"#Version: 1.5",
                "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn "
                "tcpack tcpwin icmptype icmpcode info path",
                "2003-12-05 23:34:50 DROP TCP 203.0.113.8 192.0.2.20 4000 445 48 S 12345 0 65535 - - - "
                "RECEIVE"},
            false, true, 1},
        // Suricata EVE: full stamps with offsets.
        {"suricata",
            {R"({"timestamp":"2024-03-05T12:00:03.000000+0000","event_type":"drop","src_ip":"198.51.100.8","src_port":40001,"dest_ip":"192.0.2.10","dest_port":23,"proto":"TCP"})"},
            false, false, 1},
        // Nothing the format reads: nothing to ask.
        {"netfilter", {"not a log line", ""}, false, false, 0},
    };
    for (const auto& c : cases) {
        const core::Parser* p = registry.find(c.format);
        ASSERT_NE(p, nullptr) << c.format;
        const auto needs = timeNeeds(*p, c.lines);
        EXPECT_EQ(needs.eventsSeen, c.events) << c.format;
        EXPECT_EQ(needs.year, c.year) << c.format;
        EXPECT_EQ(needs.timeZone, c.zone) << c.format;
    }
}

} // namespace
} // namespace tattle::parsers
