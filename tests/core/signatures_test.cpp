// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/event.h"
#include "core/signatures.h"

#include <gtest/gtest.h>

using namespace tattle::core;

namespace {
const SignatureTable& table()
{
    static const SignatureTable t = [] {
        auto r = SignatureTable::load(std::filesystem::path(TATTLE_RESOURCES_DIR) / "signatures.json");
        if (!r) throw std::runtime_error(r.error().message);
        return *r;
    }();
    return t;
}
std::string category(int proto, int port, int icmpType = -1)
{
    return table().signature(table().classify(proto, port, icmpType)).id;
}
} // namespace

TEST(Signatures, ClassifiesTheClassicWindowsProbes)
{
    EXPECT_EQ(category(proto::kUdp, 137), "netbios-ns");
    EXPECT_EQ(category(proto::kUdp, 138), "netbios-dgm");
    EXPECT_EQ(category(proto::kTcp, 139), "netbios-ssn");
    EXPECT_EQ(category(proto::kTcp, 135), "rpc-epmap");
    EXPECT_EQ(category(proto::kUdp, 135), "messenger-spam");
    EXPECT_EQ(category(proto::kUdp, 1026), "messenger-spam");
    EXPECT_EQ(category(proto::kUdp, 1029), "messenger-spam");
    EXPECT_EQ(category(proto::kUdp, 1030), "other");
    EXPECT_EQ(category(proto::kTcp, 445), "smb");
    EXPECT_EQ(category(proto::kUdp, 1434), "slammer");
    EXPECT_EQ(category(proto::kTcp, 5554), "sasser-ftp");
    EXPECT_EQ(category(proto::kTcp, 3127), "mydoom");
}

TEST(Signatures, ClassifiesTodaysScanTargetsAndIcmp)
{
    EXPECT_EQ(category(proto::kTcp, 23), "telnet");
    EXPECT_EQ(category(proto::kTcp, 22), "ssh");
    EXPECT_EQ(category(proto::kTcp, 3389), "rdp");
    EXPECT_EQ(category(proto::kTcp, 1433), "mssql");
    EXPECT_EQ(category(proto::kIcmp, -1, 8), "ping");
    EXPECT_EQ(category(proto::kIcmpV6, -1, 128), "ping");
    EXPECT_EQ(category(proto::kIcmp, -1, 3), "icmp-other");
    EXPECT_EQ(category(proto::kGre, -1), "other");
    EXPECT_EQ(category(proto::kTcp, 70000), "other");
    for (const auto& s : table().signatures()) {
        EXPECT_FALSE(s.name.empty()) << s.id;
        EXPECT_FALSE(s.meaning.empty()) << s.id;
    }
}

TEST(Signatures, MatchesSourcePatterns)
{
    auto ids = [](std::vector<Target> t) { return table().matchPatterns(t); };
    EXPECT_EQ(ids({{proto::kTcp, 135}, {proto::kTcp, 4444}}), std::vector<std::string> {"blaster"});
    EXPECT_EQ(ids({{proto::kTcp, 445}, {proto::kTcp, 9996}}), std::vector<std::string> {"sasser"});
    EXPECT_TRUE(ids({{proto::kTcp, 445}}).empty());
    std::vector<Target> scan;
    for (int p = 1; p <= 12; ++p)
        scan.push_back({proto::kTcp, p});
    EXPECT_EQ(ids(scan), std::vector<std::string> {"port-scan"});
    EXPECT_EQ(ids({{proto::kIcmp, 8}, {proto::kTcp, 135}}), std::vector<std::string> {"welchia"});
}

TEST(Signatures, ErrorsNameTheProblem)
{
    auto bad = SignatureTable::parse("{not json", "x.json");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("x.json"), std::string::npos);
    auto range = SignatureTable::parse(
        R"({"signatures":[{"id":"a","proto":"tcp","ports":["10-5"]}],"icmp":[],"other":{"id":"other"}})",
        "y.json");
    ASSERT_FALSE(range);
    EXPECT_NE(range.error().message.find("/signatures/0/ports"), std::string::npos);
    auto dup = SignatureTable::parse(
        R"({"signatures":[{"id":"a","proto":"tcp","ports":["1"]},{"id":"a","proto":"udp","ports":["1"]}],"icmp":[],"other":{"id":"other"}})",
        "z.json");
    ASSERT_FALSE(dup);
    EXPECT_NE(dup.error().message.find("duplicate"), std::string::npos);
    EXPECT_FALSE(SignatureTable::load("/nonexistent/signatures.json"));
}
