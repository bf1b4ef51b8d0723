// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/event.h"
#include "core/evidence.h"
#include "core/report_policy.h"
#include "core/resources.h"

#include <gtest/gtest.h>

using namespace tattle;
using namespace tattle::core;

namespace {

constexpr Micros kMinute = 60 * kMicrosPerSecond;
constexpr Micros kT0 = 1'700'000'000 * kMicrosPerSecond;

struct Ev {
    int proto;
    bool allowed;
    const char* flags; ///< nullptr: not logged
    int port;
    Micros time;
};

std::uint8_t flagBits(const char* f)
{
    std::uint8_t b = 0;
    for (; f && *f; ++f)
        b |= *f == 'S' ? tcpflag::kSyn : *f == 'A' ? tcpflag::kAck : *f == 'R' ? tcpflag::kRst : 0;
    return b;
}

IpAddress ip(const char* t)
{
    return IpAddress::parse(t).value();
}

} // namespace

TEST(Evidence, GradesFromWhatTheEventsShow)
{
    struct Case {
        const char* name;
        std::vector<Ev> events;
        EvidenceGrade grade;
        const char* words; ///< expected in the text
    };
    const Case cases[] = {
        {"allowed TCP", {{proto::kTcp, true, nullptr, 80, kT0}}, EvidenceGrade::Strong,
            "completed handshake"},
        {"allowed TCP beats UDP", {{proto::kUdp, false, nullptr, 53, kT0}, {proto::kTcp, true, "S", 22, kT0}},
            EvidenceGrade::Strong, "Strong"},
        {"SYNs in two minutes",
            {{proto::kTcp, false, "S", 445, kT0}, {proto::kTcp, false, "S", 445, kT0 + 2 * kMinute}},
            EvidenceGrade::Good, "2 different minutes"},
        {"SYNs to three ports in one minute",
            {{proto::kTcp, false, "S", 22, kT0}, {proto::kTcp, false, "S", 23, kT0 + 1},
                {proto::kTcp, false, "S", 80, kT0 + 2}},
            EvidenceGrade::Good, "3 ports"},
        {"TCP without logged flags, repeated",
            {{proto::kTcp, false, nullptr, 135, kT0}, {proto::kTcp, false, nullptr, 135, kT0 + 5 * kMinute}},
            EvidenceGrade::Good, "repeated"},
        {"single SYN", {{proto::kTcp, false, "S", 445, kT0}}, EvidenceGrade::Weak,
            "single TCP connection attempt"},
        {"two SYNs, same minute, same port",
            {{proto::kTcp, false, "S", 445, kT0}, {proto::kTcp, false, "S", 445, kT0 + 1000}},
            EvidenceGrade::Weak, "within one minute"},
        {"RST backscatter",
            {{proto::kTcp, false, "R", 80, kT0}, {proto::kTcp, false, "SA", 80, kT0 + 9 * kMinute}},
            EvidenceGrade::Weak, "forged address"},
        {"UDP only",
            {{proto::kUdp, false, nullptr, 137, kT0}, {proto::kUdp, false, nullptr, 1434, kT0 + kMinute * 9}},
            EvidenceGrade::Weak, "UDP packets only"},
        {"ICMP only", {{proto::kIcmp, false, nullptr, -1, kT0}}, EvidenceGrade::Weak, "ICMP packets only"},
        {"allowed UDP is no handshake", {{proto::kUdp, true, nullptr, 53, kT0}}, EvidenceGrade::Weak, "UDP"},
        {"UDP and ICMP", {{proto::kUdp, false, nullptr, 53, kT0}, {proto::kIcmp, false, nullptr, -1, kT0}},
            EvidenceGrade::Weak, "easily forged"},
        {"GRE", {{proto::kGre, false, nullptr, -1, kT0}}, EvidenceGrade::Weak, "easily forged"},
    };
    for (const auto& c : cases) {
        EvidenceCollector col;
        for (const auto& e : c.events)
            col.add(e.proto, e.allowed, e.flags != nullptr, flagBits(e.flags), e.port, e.time);
        const auto a = col.assess();
        EXPECT_EQ(a.grade, c.grade) << c.name << ": " << a.text;
        EXPECT_NE(a.text.find(c.words), std::string::npos) << c.name << ": " << a.text;
        EXPECT_EQ(a.mayBeForged(), c.grade == EvidenceGrade::Weak) << c.name;
    }
    EXPECT_EQ(evidenceGradeName(EvidenceGrade::Good), "good");
}

TEST(ReportPolicy, NeverReportsSpecialOwnAllowListedOrScanners)
{
    auto scanners = ScannerList::parse(R"({"scanners": [
        {"name": "Example Scanner", "optOut": "https://scanner.example/opt-out", "source": "test",
         "networks": ["198.51.100.128/25"], "rdnsSuffixes": ["Scan.Example.NET"], "orgNames": ["Research Org"]}]})",
        "test");
    ASSERT_TRUE(scanners) << scanners.error().message;
    Settings s;
    s.ownNetworks = {"203.0.113.8/29", "2001:db8:1::/48"};
    s.allowList = {"198.51.100.0/26"};
    auto policy = ReportPolicy::create(s, *scanners);
    ASSERT_TRUE(policy) << policy.error().message;
    struct Case {
        const char* address;
        const char* rdns;
        const char* org;
        std::optional<SkipReason> reason;
        const char* words;
    };
    const Case cases[] = {
        {"10.1.2.3", "", "", SkipReason::SpecialAddress, "private"},
        {"127.0.0.1", "", "", SkipReason::SpecialAddress, "loopback"},
        {"169.254.1.1", "", "", SkipReason::SpecialAddress, "link-local"},
        {"224.0.0.251", "", "", SkipReason::SpecialAddress, "multicast"},
        {"100.64.0.9", "", "", SkipReason::SpecialAddress, "special-purpose"},
        {"240.0.0.1", "", "", SkipReason::SpecialAddress, "special-purpose"},
        {"fe80::1", "", "", SkipReason::SpecialAddress, "special-purpose"},
        {"ff02::1", "", "", SkipReason::SpecialAddress, "special-purpose"},
        // Documentation addresses are special too, except where the test's own lists say otherwise first.
        {"192.0.2.1", "", "", SkipReason::SpecialAddress, "documentation"},
        {"203.0.113.9", "", "", SkipReason::OwnNetwork, "your own"},
        {"2001:db8:1::5", "", "", SkipReason::OwnNetwork, "your own"},
    };
    for (const auto& c : cases) {
        auto v = policy->check(ip(c.address), c.rdns, c.org);
        ASSERT_TRUE(v) << c.address;
        EXPECT_EQ(v->reason, *c.reason) << c.address << ": " << v->text;
        EXPECT_NE(v->text.find(c.words), std::string::npos) << c.address << ": " << v->text;
    }
    EXPECT_TRUE(policy->isOwn(ip("203.0.113.15")));
    EXPECT_FALSE(policy->isOwn(ip("203.0.113.16")));
    EXPECT_EQ(skipReasonName(SkipReason::ResearchScanner), "research-scanner");
}

TEST(ReportPolicy, PublicAddressesAreJudgedByAllowListAndScanners)
{
    // Documentation ranges are special-purpose, so public addresses are needed here: the policy only
    // classifies them, no packet is sent.
    auto scanners = ScannerList::parse(R"({"scanners": [
        {"name": "Example Scanner", "optOut": "https://scanner.example/opt-out", "source": "test",
         "networks": ["9.9.9.0/28"], "rdnsSuffixes": ["scan.example.net"], "orgNames": ["research org"]}]})",
        "test");
    ASSERT_TRUE(scanners);
    Settings s;
    s.allowList = {"8.8.4.0/24"};
    auto policy = ReportPolicy::create(s, *scanners);
    ASSERT_TRUE(policy);
    EXPECT_EQ(policy->check(ip("8.8.4.4"), "", "")->reason, SkipReason::AllowListed);
    const auto byNet = policy->check(ip("9.9.9.3"), "", "");
    ASSERT_TRUE(byNet);
    EXPECT_EQ(byNet->reason, SkipReason::ResearchScanner);
    EXPECT_NE(byNet->text.find("Example Scanner"), std::string::npos);
    EXPECT_NE(byNet->text.find("https://scanner.example/opt-out"), std::string::npos);
    EXPECT_NE(byNet->text.find("pointless"), std::string::npos);
    EXPECT_EQ(
        policy->check(ip("1.1.1.1"), "host7.SCAN.example.net.", "")->reason, SkipReason::ResearchScanner);
    EXPECT_EQ(policy->check(ip("1.1.1.1"), "", "The Research Org Inc")->reason, SkipReason::ResearchScanner);
    // Not a suffix match across a label boundary; other names and orgs pass.
    EXPECT_FALSE(policy->check(ip("1.1.1.1"), "notscan.example.net", ""));
    EXPECT_FALSE(policy->check(ip("1.1.1.1"), "scan.example.net.evil.example", "Other ISP"));
    EXPECT_FALSE(policy->check(ip("9.9.9.16"), "", ""));
    EXPECT_FALSE(policy->check(ip("2a00:1450::1"), "", ""));
}

TEST(ReportPolicy, WeakEvidenceNeedsAllGrades)
{
    EvidenceAssessment weak {EvidenceGrade::Weak, "Weak: UDP packets only."};
    EvidenceAssessment good {EvidenceGrade::Good, "Good."};
    auto v = ReportPolicy::evidenceVerdict(weak, false);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->reason, SkipReason::WeakEvidence);
    EXPECT_NE(v->text.find("may be forged"), std::string::npos);
    EXPECT_NE(v->text.find("--all-grades"), std::string::npos);
    EXPECT_FALSE(ReportPolicy::evidenceVerdict(weak, true));
    EXPECT_FALSE(ReportPolicy::evidenceVerdict(good, false));
}

TEST(ScannerList, TheShippedListLoadsAndNamesSourcesAndOptOuts)
{
    auto dir = resourcesDir();
    ASSERT_TRUE(dir) << dir.error().message;
    auto list = ScannerList::load(*dir / "scanners.json");
    ASSERT_TRUE(list) << list.error().message;
    EXPECT_GE(list->scanners().size(), 6u);
    for (const char* name : {"Censys", "The Shadowserver Foundation", "Shodan", "Rapid7 Project Sonar",
             "BinaryEdge", "Stretchoid"}) {
        const auto& all = list->scanners();
        auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
        ASSERT_NE(it, all.end()) << name;
        EXPECT_TRUE(it->optOut.starts_with("https://")) << name;
        EXPECT_FALSE(it->source.empty()) << name;
    }
    EXPECT_EQ(list->match(ip("162.142.125.7"), "", "")->name, "Censys");
    EXPECT_EQ(
        list->match(ip("1.2.3.4"), "scan-42.shadowserver.org", "")->name, "The Shadowserver Foundation");
    EXPECT_EQ(list->match(ip("1.2.3.4"), "census7.shodan.io", "")->name, "Shodan");
    EXPECT_EQ(list->match(ip("1.2.3.4"), "", ""), nullptr);
}

TEST(ScannerList, BrokenListsNameThePointer)
{
    struct Case {
        const char* json;
        const char* pointer;
    };
    const Case cases[] = {
        {"{}", "/scanners"},
        {R"({"scanners": [5]})", "/scanners/0"},
        {R"({"scanners": [{"optOut": "x", "source": "y", "networks": ["9.9.9.0/24"]}]})", "/scanners/0/name"},
        {R"({"scanners": [{"name": "a", "optOut": "x", "source": "y", "networks": ["nonsense"]}]})",
            "/scanners/0/networks/0"},
        {R"({"scanners": [{"name": "a", "optOut": "x", "source": "y", "rdnsSuffixes": [""]}]})",
            "/scanners/0/rdnsSuffixes/0"},
        {R"({"scanners": [{"name": "a", "optOut": "x", "source": "y"}]})", "/scanners/0"},
        {"[", ""},
    };
    for (const auto& c : cases) {
        auto r = ScannerList::parse(c.json, "list.json");
        ASSERT_FALSE(r) << c.json;
        EXPECT_NE(r.error().message.find("list.json"), std::string::npos);
        EXPECT_NE(r.error().message.find(c.pointer), std::string::npos) << r.error().message;
    }
}
