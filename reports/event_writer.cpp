// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/event_writer.h"

#include "core/text_util.h"

#include <charconv>

namespace tattle::reports {

namespace {

void appendInt(std::string& out, std::int64_t v)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, std::size_t(r.ptr - buf));
}

void appendOptInt(std::string& out, int v)
{
    if (v < 0)
        out.append("null");
    else
        appendInt(out, v);
}

void appendOptString(std::string& out, std::string_view s)
{
    if (s.empty())
        out.append("null");
    else
        core::appendJsonString(out, s);
}

void appendEndpoint(std::string& out, const core::IpAddress& a, int port)
{
    if (a.isV6() && port >= 0) out.push_back('[');
    a.appendTo(out);
    if (a.isV6() && port >= 0) out.push_back(']');
    if (port >= 0) {
        out.push_back(':');
        appendInt(out, port);
    }
}

} // namespace

void appendEventJson(std::string& out, const core::Event& e, const EventOrigin& o)
{
    out.append("{\"time\":\"");
    core::appendRfc3339(out, e.time);
    out.append("\",\"action\":\"");
    out.append(core::actionName(e.action));
    out.append("\",\"direction\":\"");
    out.append(core::directionName(e.direction));
    out.append("\",\"proto\":");
    if (e.proto < 0) {
        out.append("null");
    } else {
        out.push_back('"');
        out.append(core::protoName(e.proto));
        out.push_back('"');
    }
    out.append(",\"src\":");
    if (e.src.isValid()) {
        out.push_back('"');
        e.src.appendTo(out);
        out.push_back('"');
    } else {
        out.append("null");
    }
    out.append(",\"src_port\":");
    appendOptInt(out, e.srcPort);
    out.append(",\"dst\":");
    if (e.dst.isValid()) {
        out.push_back('"');
        e.dst.appendTo(out);
        out.push_back('"');
    } else {
        out.append("null");
    }
    out.append(",\"dst_port\":");
    appendOptInt(out, e.dstPort);
    out.append(",\"icmp_type\":");
    appendOptInt(out, e.icmpType);
    out.append(",\"icmp_code\":");
    appendOptInt(out, e.icmpCode);
    out.append(",\"tcp_flags\":");
    if (e.hasTcpFlags)
        core::appendJsonString(out, core::tcpFlagsText(e.tcpFlags));
    else
        out.append("null");
    out.append(",\"iface\":");
    appendOptString(out, e.iface);
    out.append(",\"rule\":");
    appendOptString(out, e.rule);
    out.append(",\"count\":");
    appendInt(out, e.count);
    out.append(",\"time_guessed\":");
    out.append(e.timeGuessed ? "true" : "false");
    if (!e.extra.empty()) {
        out.append(",\"extra\":");
        out.append(e.extra);
    }
    out.append(",\"format\":");
    core::appendJsonString(out, o.format);
    out.append(",\"file\":");
    core::appendJsonString(out, o.file);
    out.append(",\"line\":");
    appendInt(out, std::int64_t(o.lineNo));
    out.append(",\"raw\":");
    core::appendJsonString(out, o.raw);
    out.append("}\n");
}

void appendEventText(std::string& out, const core::Event& e, const EventOrigin& o)
{
    core::appendRfc3339(out, e.time);
    out.push_back('\t');
    out.append(core::actionName(e.action));
    out.push_back('\t');
    out.append(core::directionName(e.direction));
    out.push_back('\t');
    out.append(e.proto < 0 ? std::string("-") : core::protoName(e.proto));
    out.push_back('\t');
    appendEndpoint(out, e.src, e.srcPort);
    out.append(" -> ");
    appendEndpoint(out, e.dst, e.dstPort);
    out.push_back('\t');
    out.append(core::sanitizeForDisplay(o.file));
    out.push_back(':');
    appendInt(out, std::int64_t(o.lineNo));
    out.push_back('\n');
}

} // namespace tattle::reports
