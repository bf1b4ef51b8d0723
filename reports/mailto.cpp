// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/mailto.h"

#include "core/text_util.h"
#include "reports/mime_message.h"

#include <string_view>

namespace tattle::reports {

namespace {

/// Percent-encodes every octet except RFC 3986 unreserved characters and those of `keep`.
void appendEncoded(std::string& out, std::string_view text, std::string_view keep)
{
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved || (u < 0x80 && keep.find(c) != std::string_view::npos)) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 15]);
        }
    }
}

// RFC 6068 some-delims that may stay as they are: in an address (not "," which separates addresses) and
// in a header value ("+" is encoded anyway: form decoders read it as a space).
constexpr std::string_view kAddressKeep = "!$'*+;:@";
constexpr std::string_view kValueKeep = "!$'()*,;:@";
constexpr std::string_view kQueryAddressKeep = "!$'*;:@";

std::string bodyText(std::string_view body)
{
    const std::string valid = core::toValidUtf8(body);
    std::string out;
    out.reserve(valid.size());
    for (std::size_t i = 0; i < valid.size(); ++i) {
        const char c = valid[i];
        if (c == '\r') {
            out.append("\r\n");
            if (i + 1 < valid.size() && valid[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out.append("\r\n");
        } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
            out.append("\xEF\xBF\xBD");
        } else {
            out.push_back(c);
        }
    }
    return out;
}

Result<void> appendAddresses(
    std::string& out, const std::vector<std::string>& addresses, std::string_view what, std::string_view keep)
{
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        if (auto ok = checkAddress(addresses[i], what); !ok) return ok;
        if (i > 0) out.push_back(',');
        appendEncoded(out, addresses[i], keep);
    }
    return {};
}

} // namespace

Result<MailtoUrl> buildMailto(const MailtoFields& fields, std::size_t limit)
{
    MailtoUrl result;
    result.limit = limit;
    std::string& url = result.url;
    url = "mailto:";
    if (auto ok = appendAddresses(url, fields.to, "To", kAddressKeep); !ok)
        return std::unexpected(ok.error());
    char separator = '?';
    const std::string subject = neutraliseHeaderText(fields.subject, kMaxSubjectChars);
    if (!subject.empty()) {
        url.push_back(separator);
        url.append("subject=");
        appendEncoded(url, subject, kValueKeep);
        separator = '&';
    }
    if (!fields.cc.empty()) {
        url.push_back(separator);
        url.append("cc=");
        if (auto ok = appendAddresses(url, fields.cc, "Cc", kQueryAddressKeep); !ok)
            return std::unexpected(ok.error());
        separator = '&';
    }
    if (!fields.body.empty()) {
        url.push_back(separator);
        url.append("body=");
        appendEncoded(url, bodyText(fields.body), kValueKeep);
    }
    return result;
}

} // namespace tattle::reports
