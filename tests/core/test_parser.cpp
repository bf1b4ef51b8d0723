// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_parser.h"

#include <charconv>

namespace tattle::test {

namespace {

class TestCsvLineParser final : public core::LineParser {
public:
    core::ParseStatus parse(std::string_view line, core::Event& out, std::string& reason) override
    {
        if (line.starts_with('#')) return core::ParseStatus::Ignored;
        if (line.starts_with("noise")) return core::ParseStatus::NotMine;
        std::string_view f[7];
        std::size_t n = 0;
        bool more = false;
        while (n < 7) {
            const auto comma = line.find(',');
            f[n++] = line.substr(0, comma);
            more = comma != std::string_view::npos;
            if (!more) break;
            line.remove_prefix(comma + 1);
        }
        if (n != 7) {
            reason = "expected 7 fields";
            return core::ParseStatus::Malformed;
        }
        auto t = core::parseRfc3339(f[0]);
        auto src = core::IpAddress::parse(f[3]);
        auto dst = core::IpAddress::parse(f[5]);
        if (!t || !src || !dst) {
            reason = "bad time or address";
            return core::ParseStatus::Malformed;
        }
        out.time = *t;
        out.action = f[1] == "allow" ? core::Action::Allow : core::Action::Block;
        out.direction = f[1] == "out" ? core::Direction::Out : core::Direction::In;
        out.proto = core::protoFromName(f[2]);
        out.src = *src;
        out.dst = *dst;
        auto port = [](std::string_view s) {
            int v = -1;
            if (!s.empty()) std::from_chars(s.data(), s.data() + s.size(), v);
            return v;
        };
        out.srcPort = port(f[4]);
        out.dstPort = port(f[6]);
        if (out.proto == core::proto::kIcmp) out.icmpType = 8;
        out.iface = "eth0";
        if (n == 7 && more) {
            // An optional 8th field: TCP flags as letters (S, A, R, F, P).
            out.hasTcpFlags = true;
            for (char c : line) {
                out.tcpFlags |= c == 'S' ? core::tcpflag::kSyn
                    : c == 'A'           ? core::tcpflag::kAck
                    : c == 'R'           ? core::tcpflag::kRst
                    : c == 'F'           ? core::tcpflag::kFin
                    : c == 'P'           ? core::tcpflag::kPsh
                                         : 0;
            }
        }
        return core::ParseStatus::Event;
    }
};

class TestCsvParser final : public core::Parser {
public:
    std::string_view id() const override { return "test-csv"; }
    std::string_view description() const override { return "test format"; }
    core::Sniff sniff(std::span<const std::string_view>) const override { return {100, "test"}; }
    std::unique_ptr<core::LineParser> open(const core::ParseContext&) const override
    {
        return std::make_unique<TestCsvLineParser>();
    }
};

} // namespace

std::unique_ptr<core::Parser> makeTestCsvParser()
{
    return std::make_unique<TestCsvParser>();
}

} // namespace tattle::test
