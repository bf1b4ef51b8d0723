// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/signatures.h"

#include "core/event.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace tattle::core {

namespace {

constexpr std::uint16_t kUnset = 0xFFFF;

Result<std::pair<int, int>> parseRange(const std::string& text)
{
    int lo = 0, hi = 0;
    const auto dash = text.find('-');
    const std::string a = text.substr(0, dash);
    const std::string b = dash == std::string::npos ? a : text.substr(dash + 1);
    auto r1 = std::from_chars(a.data(), a.data() + a.size(), lo);
    auto r2 = std::from_chars(b.data(), b.data() + b.size(), hi);
    if (r1.ec != std::errc() || r1.ptr != a.data() + a.size() || r2.ec != std::errc()
        || r2.ptr != b.data() + b.size() || lo < 0 || hi > 65535 || lo > hi)
        return fail(ErrorKind::Config, "bad port or range '" + text + "'");
    return std::pair {lo, hi};
}

// "tcp/445", "icmp/8".
std::optional<Target> parseTarget(const std::string& text)
{
    const auto slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    const int p = protoFromName(std::string_view(text).substr(0, slash));
    int port = -1;
    const std::string num = text.substr(slash + 1);
    auto r = std::from_chars(num.data(), num.data() + num.size(), port);
    if (p < 0 || r.ec != std::errc() || r.ptr != num.data() + num.size() || port < 0 || port > 65535)
        return std::nullopt;
    return Target {p, port};
}

} // namespace

Result<SignatureTable> SignatureTable::load(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(ErrorKind::Config, "Cannot read the signature table '" + file.string() + "'.");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), file.string());
}

Result<SignatureTable> SignatureTable::parse(std::string_view text, std::string_view origin)
{
    const std::string where(origin);
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return fail(ErrorKind::Config, "The signature table '" + where + "' is not valid JSON.");
    SignatureTable t;
    t.m_tcp.assign(65536, kUnset);
    t.m_udp.assign(65536, kUnset);
    t.m_icmp.fill(kUnset);
    t.m_icmpOther = kUnset;
    auto addSignature = [&](const nlohmann::json& s, const std::string& ptr) -> Result<std::uint16_t> {
        if (!s.is_object() || !s.contains("id") || !s["id"].is_string())
            return fail(ErrorKind::Config, where + ": " + ptr + ": a signature needs a string \"id\".");
        Signature sig;
        sig.id = s["id"].get<std::string>();
        sig.group = s.value("group", std::string());
        sig.name = s.value("name", sig.id);
        sig.meaning = s.value("meaning", std::string());
        if (t.find(sig.id) >= 0)
            return fail(ErrorKind::Config, where + ": " + ptr + ": duplicate signature id '" + sig.id + "'.");
        t.m_signatures.push_back(std::move(sig));
        return std::uint16_t(t.m_signatures.size() - 1);
    };
    try {
        const auto& sigs = doc.at("signatures");
        for (std::size_t i = 0; i < sigs.size(); ++i) {
            const std::string ptr = "/signatures/" + std::to_string(i);
            auto idx = addSignature(sigs[i], ptr);
            if (!idx) return std::unexpected(idx.error());
            const std::string proto = sigs[i].at("proto").get<std::string>();
            std::vector<std::uint16_t>* table = proto == "tcp" ? &t.m_tcp
                : proto == "udp"                               ? &t.m_udp
                                                               : nullptr;
            if (!table)
                return fail(ErrorKind::Config, where + ": " + ptr + "/proto: must be \"tcp\" or \"udp\".");
            for (const auto& p : sigs[i].at("ports")) {
                auto range = parseRange(p.get<std::string>());
                if (!range)
                    return fail(ErrorKind::Config, where + ": " + ptr + "/ports: " + range.error().message);
                for (int port = range->first; port <= range->second; ++port) {
                    // The first signature listed for a port wins.
                    if ((*table)[std::size_t(port)] == kUnset) (*table)[std::size_t(port)] = *idx;
                }
            }
        }
        const auto& icmp = doc.at("icmp");
        for (std::size_t i = 0; i < icmp.size(); ++i) {
            auto idx = addSignature(icmp[i], "/icmp/" + std::to_string(i));
            if (!idx) return std::unexpected(idx.error());
            const auto& types = icmp[i].at("types");
            if (types.empty()) t.m_icmpOther = *idx;
            for (const auto& ty : types) {
                const int v = ty.get<int>();
                if (v < 0 || v > 255) return fail(ErrorKind::Config, where + ": /icmp: bad ICMP type.");
                if (t.m_icmp[std::size_t(v)] == kUnset) t.m_icmp[std::size_t(v)] = *idx;
            }
        }
        auto other = addSignature(doc.at("other"), "/other");
        if (!other) return std::unexpected(other.error());
        t.m_other = *other;
        if (t.m_icmpOther == kUnset) t.m_icmpOther = t.m_other;
        if (doc.contains("patterns")) {
            for (const auto& p : doc["patterns"]) {
                Pattern pat;
                pat.id = p.at("id").get<std::string>();
                pat.name = p.value("name", pat.id);
                pat.meaning = p.value("meaning", std::string());
                pat.all = p.value("all", std::vector<std::string>());
                pat.any = p.value("any", std::vector<std::string>());
                pat.minPorts = p.value("min_ports", 0);
                for (auto [items, parsed] :
                    {std::pair {&pat.all, &pat.allTargets}, std::pair {&pat.any, &pat.anyTargets}}) {
                    for (const auto& item : *items) {
                        auto target = parseTarget(item);
                        if (!target)
                            return fail(ErrorKind::Config,
                                where + ": pattern '" + pat.id + "': bad target '" + item
                                    + "' (write e.g. tcp/445 or icmp/8).");
                        parsed->push_back(*target);
                    }
                }
                t.m_patterns.push_back(std::move(pat));
            }
        }
    } catch (const nlohmann::json::exception& e) {
        return fail(ErrorKind::Config, "The signature table '" + where + "' is invalid: " + e.what());
    }
    for (auto* table : {&t.m_tcp, &t.m_udp}) {
        std::replace(table->begin(), table->end(), kUnset, t.m_other);
    }
    std::replace(t.m_icmp.begin(), t.m_icmp.end(), kUnset, t.m_icmpOther);
    return t;
}

std::uint16_t SignatureTable::classify(int p, int dstPort, int icmpType) const noexcept
{
    if (p == proto::kIcmp || p == proto::kIcmpV6)
        return icmpType >= 0 && icmpType < 256 ? m_icmp[std::size_t(icmpType)] : m_icmpOther;
    if (dstPort < 0 || dstPort > 65535) return m_other;
    if (p == proto::kTcp || p == proto::kSctp) return m_tcp[std::size_t(dstPort)];
    if (p == proto::kUdp || p == proto::kUdpLite) return m_udp[std::size_t(dstPort)];
    return m_other;
}

int SignatureTable::find(std::string_view id) const noexcept
{
    for (std::size_t i = 0; i < m_signatures.size(); ++i) {
        if (m_signatures[i].id == id) return int(i);
    }
    return -1;
}

std::vector<std::string> SignatureTable::matchPatterns(const std::vector<Target>& targets) const
{
    // Normalised, sorted and unique: ICMPv6 echo (128) counts as a ping just like ICMP type 8.
    std::vector<Target> have;
    have.reserve(targets.size());
    std::vector<int> ports;
    for (Target t : targets) {
        if (t.proto == proto::kIcmpV6) {
            t.proto = proto::kIcmp;
            if (t.port == 128) t.port = 8;
        }
        have.push_back(t);
        if (t.proto != proto::kIcmp && t.port >= 0) ports.push_back(t.port);
    }
    std::sort(have.begin(), have.end());
    std::sort(ports.begin(), ports.end());
    const auto distinctPorts = std::unique(ports.begin(), ports.end()) - ports.begin();
    auto has = [&](const Target& t) { return std::binary_search(have.begin(), have.end(), t); };
    std::vector<std::string> out;
    for (const auto& p : m_patterns) {
        bool ok = std::all_of(p.allTargets.begin(), p.allTargets.end(), has);
        if (ok && !p.anyTargets.empty()) ok = std::any_of(p.anyTargets.begin(), p.anyTargets.end(), has);
        if (ok && p.minPorts > 0) ok = distinctPorts >= p.minPorts;
        if (ok && (!p.all.empty() || !p.any.empty() || p.minPorts > 0)) out.push_back(p.id);
    }
    return out;
}

} // namespace tattle::core
