// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/syslog_header.h"
#include "parsers/text.h"

#include <array>
#include <memory>
#include <span>
#include <string>

// pfSense and OPNsense "filterlog" write one CSV record per packet that pf logged (pfsense/FreeBSD-ports
// sysutils/filterlog, opnsense/ports opnsense/filterlog/files/description.txt):
//   rule,subrule,anchor,tracker|label,interface,reason,action,direction,ipversion,
//   IPv4: tos,ecn,ttl,id,offset,flags,protonum,protoname,length,src,dst,
//   IPv6: class,flowlabel,hoplimit,protoname,protonum,length,src,dst,
//   TCP: sport,dport,datalen,flags,seq,ack,window,urg,options   UDP/SCTP: sport,dport,datalen
//   ICMP (pfSense): a type word and its details; (OPNsense 24+): datalength=N,type,code,id,seq,mtu
//   CARP: type,ttl,vhid,version,advskew,advbase
// Non-first IPv4 fragments stop after dst; pfSense writes nothing after dst for ICMPv6.

namespace tattle::parsers {

namespace {

using core::Action;
using core::Direction;
using core::Event;
using core::ParseStatus;

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t kMaxFields = 40;
constexpr std::size_t kMaxIfaceName = 64;

struct Csv {
    std::array<std::string_view, kMaxFields> f;
    std::size_t n = 0;

    std::string_view operator[](std::size_t i) const noexcept { return i < n ? f[i] : std::string_view(); }
};

void splitCsv(std::string_view s, Csv& c) noexcept
{
    c.n = 0;
    while (c.n + 1 < kMaxFields) {
        const std::size_t p = s.find(',');
        if (p == npos) break;
        c.f[c.n++] = s.substr(0, p);
        s.remove_prefix(p + 1);
    }
    c.f[c.n++] = text::trim(s); // the last field: "datalength=36 " ends with a blank
}

bool allDigits(std::string_view s) noexcept
{
    if (s.empty()) return false;
    for (char c : s) {
        if (!text::isDigit(c)) return false;
    }
    return true;
}

bool isPrintableAscii(std::string_view s) noexcept
{
    for (char c : s) {
        if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
}

struct Keyword {
    std::string_view word;
    int value;
};

int lookup(std::string_view word, std::span<const Keyword> table) noexcept
{
    for (const Keyword& k : table) {
        if (k.word == word) return k.value;
    }
    return -1;
}

// pf.conf(5) icmp-type / icmp6-type and icmp-code / icmp6-code keywords, as OPNsense writes them.
constexpr Keyword kIcmpTypes[] = {{"echorep", 0}, {"unreach", 3}, {"squench", 4}, {"redir", 5},
    {"althost", 6}, {"echoreq", 8}, {"routeradv", 9}, {"routersol", 10}, {"timex", 11}, {"paramprob", 12},
    {"timereq", 13}, {"timerep", 14}, {"inforeq", 15}, {"inforep", 16}, {"maskreq", 17}, {"maskrep", 18},
    {"trace", 30}, {"dataconv", 31}, {"mobredir", 32}, {"ipv6-where", 33}, {"ipv6-here", 34},
    {"mobregreq", 35}, {"mobregrep", 36}, {"skip", 39}, {"photuris", 40}};
constexpr Keyword kIcmpCodes[] = {{"net-unr", 0}, {"host-unr", 1}, {"proto-unr", 2}, {"port-unr", 3},
    {"needfrag", 4}, {"srcfail", 5}, {"net-unk", 6}, {"host-unk", 7}, {"isolate", 8}, {"net-prohib", 9},
    {"host-prohib", 10}, {"net-tos", 11}, {"host-tos", 12}, {"filter-prohib", 13}, {"host-preced", 14},
    {"cutoff-preced", 15}, {"redir-net", 0}, {"redir-host", 1}, {"redir-tos-net", 2}, {"redir-tos-host", 3},
    {"normal-adv", 0}, {"common-adv", 16}, {"transit", 0}, {"reassemb", 1}, {"badhead", 0}, {"optmiss", 1},
    {"badlen", 2}, {"unknown-ind", 1}, {"auth-fail", 2}, {"decrypt-fail", 3}};
constexpr Keyword kIcmp6Types[] = {{"unreach", 1}, {"toobig", 2}, {"timex", 3}, {"paramprob", 4},
    {"echoreq", 128}, {"echorep", 129}, {"groupqry", 130}, {"listqry", 130}, {"grouprep", 131},
    {"listenrep", 131}, {"groupterm", 132}, {"listendone", 132}, {"routersol", 133}, {"routeradv", 134},
    {"neighbrsol", 135}, {"neighbradv", 136}, {"redir", 137}, {"routrrenum", 138}, {"wrureq", 139},
    {"wrurep", 140}, {"fqdnreq", 139}, {"fqdnrep", 140}, {"niqry", 139}, {"nirep", 140}, {"listenrepv2", 143},
    {"mtraceresp", 200}, {"mtrace", 201}};
constexpr Keyword kIcmp6Codes[] = {{"noroute-unr", 0}, {"admin-unr", 1}, {"beyond-unr", 2}, {"addr-unr", 3},
    {"port-unr", 4}, {"transit", 0}, {"reassemb", 1}, {"badhead", 0}, {"nxthdr", 1}, {"redironlink", 0},
    {"redirrouter", 1}};

// "unknown(N)" or a plain number, as OPNsense writes values without a keyword.
int numberOrUnknown(std::string_view s) noexcept
{
    if (s.starts_with("unknown(") && s.ends_with(")")) s = s.substr(8, s.size() - 9);
    unsigned v = 0;
    return text::parseUint(s, v, 255) ? int(v) : -1;
}

bool contains(std::string_view s, std::string_view what) noexcept
{
    return s.find(what) != npos;
}

// pfSense's print-icmp.c: a type word, and for some types a description that names the code.
void pfsenseIcmp(std::string_view word, std::string_view detail, Event& out) noexcept
{
    struct Type {
        std::string_view word;
        int type, code;
    };
    static constexpr Type kExact[]
        = {{"request", 8, 0}, {"reply", 0, 0}, {"unreachproto", 3, 2}, {"unreachport", 3, 3},
            {"needfrag", 3, 4}, {"unreach", 3, -1}, {"redirect", 5, -1}, {"timexceed", 11, -1},
            {"paramprob", 12, -1}, {"maskreply", 18, 0}, {"tstamp", 13, 0}, {"tstampreply", 14, 0}};
    for (const Type& t : kExact) {
        if (word == t.word) {
            out.icmpType = t.type;
            out.icmpCode = t.code;
            break;
        }
    }
    if (out.icmpType < 0) {
        // print-icmp.c's default and router advertisement glue the length or lifetime to the text.
        static constexpr Type kPrefix[] = {{"routeradv", 9, 0}, {"source quench", 4, 0},
            {"router solicitation", 10, 0}, {"time stamp request", 13, 0}, {"time stamp reply", 14, 0},
            {"information request", 15, 0}, {"information reply", 16, 0}, {"address mask request", 17, 0},
            {"echo request", 8, 0}, {"echo reply", 0, 0}};
        for (const Type& t : kPrefix) {
            if (word.starts_with(t.word)) {
                out.icmpType = t.type;
                out.icmpCode = t.code;
                return;
            }
        }
        return;
    }
    switch (out.icmpType) {
    case 3: // unreach2str
        if (out.icmpCode >= 0) break;
        if (contains(detail, "admin prohibited filter"))
            out.icmpCode = 13;
        else if (contains(detail, "host precedence violation"))
            out.icmpCode = 14;
        else if (contains(detail, "precedence cutoff"))
            out.icmpCode = 15;
        else if (contains(detail, "source route failed"))
            out.icmpCode = 5;
        else if (contains(detail, "source host isolated"))
            out.icmpCode = 8;
        else if (detail.starts_with("net ")) {
            out.icmpCode = contains(detail, "- unknown") ? 6
                : contains(detail, "admin prohibited")   ? 9
                : contains(detail, "tos prohibited")     ? 11
                                                         : 0;
        } else if (detail.starts_with("host ")) {
            out.icmpCode = contains(detail, "- unknown") ? 7
                : contains(detail, "admin prohibited")   ? 10
                : contains(detail, "tos prohibited")     ? 12
                                                         : 1;
        }
        break;
    case 5:
        out.icmpCode = (detail.starts_with("redirect-tos") ? 2 : 0) + (contains(detail, " to host ") ? 1 : 0);
        if (!detail.starts_with("redirect")) out.icmpCode = -1;
        break;
    case 11:
        if (detail.starts_with("time exceeded in-transit"))
            out.icmpCode = 0;
        else if (detail.starts_with("ip reassembly time exceeded"))
            out.icmpCode = 1;
        break;
    case 12:
        if (contains(detail, "parameter problem - octet")) {
            out.icmpCode = 0;
        } else if (const std::size_t p = detail.find("parameter problem - code "); p != npos) {
            std::string_view n = detail.substr(p + 25);
            std::size_t k = 0;
            while (k < n.size() && k < 3 && text::isDigit(n[k]))
                ++k;
            unsigned v = 0;
            if (text::parseUint(n.substr(0, k), v, 255)) out.icmpCode = int(v);
        }
        break;
    default:
        break;
    }
}

class PfsenseLineParser final : public core::LineParser {
public:
    explicit PfsenseLineParser(const core::ParseContext& ctx)
        : m_clock(ctx)
    {
    }

    ParseStatus parse(std::string_view line, Event& out, std::string& reason) override
    {
        out.reset();
        // Cheap gate first: most lines of a shared syslog file are not filterlog's.
        if (line.find("filterlog") == npos) return ParseStatus::NotMine;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

        syslog::Header h;
        const bool framed = syslog::splitHeader(line, h);
        if (h.tag != "filterlog") return ParseStatus::NotMine;
        auto malformed = [&reason](std::string_view why) {
            reason.assign(why);
            return ParseStatus::Malformed;
        };
        if (!framed) return malformed("broken syslog header");

        splitCsv(h.message, m_csv);
        const Csv& c = m_csv;
        // Ours only with the record's first fields in place; anything else is filterlog's own messages
        // ("filterlog: Failed to initialize ...").
        if (!allDigits(c[0])) return ParseStatus::Ignored;
        if (c.n < 9) return malformed("truncated record");
        if (h.stamp.kind == syslog::Stamp::Kind::None) return malformed("no timestamp");

        const std::string_view rule = c[0], subRule = c[1], anchor = c[2], tracker = c[3], iface = c[4],
                               why = c[5], action = c[6], dir = c[7], version = c[8];
        if (!subRule.empty() && !allDigits(subRule)) return malformed("bad sub-rule number");
        if (iface.empty() || iface.size() > kMaxIfaceName || !isPrintableAscii(iface))
            return malformed("bad interface name");

        if (action == "pass") {
            out.action = Action::Allow;
        } else if (action == "block" || action == "reject" || action == "synproxy-drop") {
            out.action = Action::Block;
        } else if (action == "rdr" || action == "nat" || action == "binat" || action == "scrub") {
            out.action = Action::Allow; // logged by a translation or scrub rule: the packet went on
        } else {
            return malformed("unknown action");
        }
        if (dir == "in")
            out.direction = Direction::In;
        else if (dir == "out")
            out.direction = Direction::Out;
        else if (dir != "in/out")
            return malformed("unknown direction");

        std::size_t data = 0; // first protocol field
        std::string_view protoNum, src, dst;
        bool fragment = false;
        if (version == "4") {
            if (c.n < 20) return malformed("truncated IPv4 header");
            unsigned offset = 0;
            if (!text::parseUint(c[13], offset, 65535)) return malformed("bad fragment offset");
            fragment = offset != 0;
            protoNum = c[15];
            src = c[18];
            dst = c[19];
            data = 20;
        } else if (version == "6") {
            if (c.n < 17) return malformed("truncated IPv6 header");
            protoNum = c[13];
            src = c[15];
            dst = c[16];
            data = 17;
        } else {
            return malformed("bad IP version");
        }

        unsigned proto = 0;
        if (!text::parseUint(protoNum, proto, 255)) return malformed("bad protocol number");
        out.proto = int(proto);
        const auto s = core::IpAddress::parse(src);
        if (!s || (version == "4") != s->isV4()) return malformed("bad source address");
        const auto d = core::IpAddress::parse(dst);
        if (!d || (version == "4") != d->isV4()) return malformed("bad destination address");
        out.src = *s;
        out.dst = *d;

        const bool hasData = c.n > data;
        const std::string_view first = c[data];
        switch (out.proto) {
        case core::proto::kTcp:
        case core::proto::kUdp:
        case core::proto::kSctp:
            if (fragment) break;
            if (first.starts_with("errormsg=")) break; // a broken TCP header: the packet has no ports
            if (!hasData || c.n < data + 3) return malformed("truncated: no ports");
            if (!text::parsePort(c[data], out.srcPort) || !text::parsePort(c[data + 1], out.dstPort))
                return malformed("bad port");
            if (out.proto == core::proto::kTcp) {
                if (c.n < data + 4) return malformed("truncated: no TCP flags");
                if (!parseFlags(c[data + 3], out.tcpFlags)) return malformed("bad TCP flags");
                out.hasTcpFlags = true;
            }
            break;
        case core::proto::kIcmp:
        case core::proto::kIcmpV6:
            if (fragment || !hasData) break;
            if (first.starts_with("datalength=")) {
                // OPNsense: datalength=N,type,code,id,seq,mtu (keywords, "unknown(N)" or numbers).
                const bool v6 = out.proto == core::proto::kIcmpV6;
                if (c.n > data + 1 && !c[data + 1].empty()) {
                    out.icmpType = v6 ? lookup(c[data + 1], kIcmp6Types) : lookup(c[data + 1], kIcmpTypes);
                    if (out.icmpType < 0) out.icmpType = numberOrUnknown(c[data + 1]);
                }
                if (out.icmpType >= 0 && c.n > data + 2 && !c[data + 2].empty()) {
                    out.icmpCode = v6 ? lookup(c[data + 2], kIcmp6Codes) : lookup(c[data + 2], kIcmpCodes);
                    if (out.icmpCode < 0) out.icmpCode = numberOrUnknown(c[data + 2]);
                }
            } else if (out.proto == core::proto::kIcmp) {
                pfsenseIcmp(first, c[data + 1], out);
            }
            break;
        default:
            break;
        }

        out.iface.assign(iface);
        out.rule.assign(rule);
        if (!subRule.empty()) { // pf's "rule 5.anchor.2" notation for a rule inside an anchor
            out.rule.push_back('.');
            out.rule.append(anchor);
            out.rule.push_back('.');
            out.rule.append(subRule);
            if (!isPrintableAscii(out.rule)) out.rule = core::sanitizeForDisplay(out.rule);
        }
        std::string& x = out.extra;
        syslog::jsonNumber(x, "rule_number", rule);
        syslog::jsonNumber(x, "sub_rule", subRule);
        syslog::jsonString(x, "anchor", anchor);
        if (tracker != "0") syslog::jsonString(x, "tracker", tracker);
        syslog::jsonString(x, "reason", why);
        if (action != "pass" && action != "block") syslog::jsonString(x, "action", action);
        syslog::jsonClose(x);

        return m_clock.resolve(h.stamp, out) ? ParseStatus::Event : malformed("invalid date or time");
    }

private:
    // "FSRPAUEC" letters in that order as print-tcp.c writes them (empty: no flag set).
    static bool parseFlags(std::string_view s, std::uint8_t& flags) noexcept
    {
        flags = 0;
        for (char ch : s) {
            switch (ch) {
            case 'F':
                flags |= core::tcpflag::kFin;
                break;
            case 'S':
                flags |= core::tcpflag::kSyn;
                break;
            case 'R':
                flags |= core::tcpflag::kRst;
                break;
            case 'P':
                flags |= core::tcpflag::kPsh;
                break;
            case 'A':
                flags |= core::tcpflag::kAck;
                break;
            case 'U':
                flags |= core::tcpflag::kUrg;
                break;
            case 'E':
                flags |= core::tcpflag::kEce;
                break;
            case 'C':
            case 'W':
                flags |= core::tcpflag::kCwr;
                break;
            default:
                return false;
            }
        }
        return true;
    }

    syslog::Clock m_clock;
    Csv m_csv;
};

class PfsenseParser final : public core::Parser {
public:
    std::string_view id() const override { return "pfsense"; }
    std::string_view description() const override
    {
        return "pfSense and OPNsense filterlog CSV records (IPv4 and IPv6; TCP, UDP, ICMP, ICMPv6, CARP and "
               "others) in BSD syslog or RFC 5424 framing";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        if (head.empty()) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000; // a leap year, so that any date in the head is valid
        PfsenseLineParser p(ctx);
        Event ev;
        std::string reason;
        std::size_t events = 0, broken = 0;
        for (std::string_view line : head) {
            switch (p.parse(line, ev, reason)) {
            case ParseStatus::Event:
                ++events;
                break;
            case ParseStatus::Malformed:
                ++broken;
                break;
            default:
                break;
            }
        }
        const std::size_t n = head.size();
        const std::string counts = std::to_string(events) + " of " + std::to_string(n) + " lines";
        if (events == 0) {
            return {0,
                broken > 0 ? std::to_string(broken) + " filterlog lines but none could be read"
                           : "no filterlog CSV record"};
        }
        // filterlog shares the firewall's syslog with other programs: a few records suffice.
        if (events == 1 && n > 1) return {55, counts + " is a filterlog record"};
        return {int(65 + 34 * events / n), counts + " are filterlog records"};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<PfsenseLineParser>(ctx);
    }
};

} // namespace

std::unique_ptr<core::Parser> makePfsenseParser()
{
    return std::make_unique<PfsenseParser>();
}

} // namespace tattle::parsers
