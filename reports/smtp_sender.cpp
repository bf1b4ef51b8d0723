// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/smtp_sender.h"

#include "core/text_util.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace tattle::reports {

namespace {

constexpr std::size_t kMaxTranscriptLines = 200;
constexpr std::size_t kMaxReplyLines = 50;
constexpr std::size_t kMaxReplyLineBytes = 4096;

void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

char lower(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

int hexValue(char c) noexcept
{
    if (c >= '0' && c <= '9') return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string shown(std::string_view s)
{
    return neutraliseHeaderText(s, 200);
}

/// State shared with libcurl's callbacks during one send.
struct Transfer {
    std::string_view data;
    std::size_t offset = 0;
    std::vector<std::string> transcript;
    std::string partialIn; ///< a server line not yet ended
    std::string lastCommand; ///< the last command sent, AUTH redacted
    std::vector<std::string> reply; ///< lines of the reply being read or last read
    bool replyComplete = true;
    bool inAuth = false;
    bool quitting = false; ///< after QUIT: the reply that matters has been read

    void note(std::string line)
    {
        if (transcript.size() < kMaxTranscriptLines) transcript.push_back(std::move(line));
    }

    void clientLine(std::string_view line)
    {
        if (line == "QUIT") {
            quitting = true;
            note("C: QUIT");
            return;
        }
        std::string shownLine;
        if (line.size() >= 5 && lower(line[0]) == 'a' && lower(line[1]) == 'u' && lower(line[2]) == 't'
            && lower(line[3]) == 'h' && line[4] == ' ') {
            // "AUTH PLAIN <credentials>": keep the mechanism, hide the rest.
            const std::size_t mechEnd = line.find(' ', 5);
            shownLine = std::string(line.substr(0, mechEnd)) + " ***";
            inAuth = true;
        } else if (inAuth) {
            shownLine = "***"; // a SASL response (user name or password, base64)
        } else {
            shownLine = core::sanitizeForDisplay(line.substr(0, 300));
        }
        lastCommand = shownLine;
        note("C: " + shownLine);
    }

    void serverLine(std::string_view line)
    {
        std::string text = core::sanitizeForDisplay(line.substr(0, 500));
        if (quitting) {
            note("S: " + text);
            return;
        }
        if (replyComplete) reply.clear();
        // A hostile server may send endless continuation lines: keep the first ones and the last.
        if (reply.size() < kMaxReplyLines)
            reply.push_back(text);
        else
            reply.back() = text;
        // "250-more follows" vs "250 last line".
        replyComplete = !(line.size() >= 4 && line[3] == '-');
        if (replyComplete && !(line.size() >= 3 && line.substr(0, 3) == "334")) inAuth = false;
        note("S: " + text);
    }

    std::string replyText() const
    {
        std::string out;
        for (const std::string& l : reply) {
            if (!out.empty()) out += " / ";
            out += l;
        }
        return out;
    }
};

std::size_t readMessage(char* buffer, std::size_t size, std::size_t count, void* userdata)
{
    auto* t = static_cast<Transfer*>(userdata);
    const std::size_t n = std::min(size * count, t->data.size() - t->offset);
    std::memcpy(buffer, t->data.data() + t->offset, n);
    t->offset += n;
    return n;
}

/// Splits what libcurl shows of the dialogue into lines (commands out, replies in).
int debugCallback(CURL*, curl_infotype type, char* data, std::size_t size, void* userdata)
{
    auto* t = static_cast<Transfer*>(userdata);
    const std::string_view chunk(data, size);
    if (type == CURLINFO_HEADER_OUT) {
        std::size_t start = 0;
        while (start < chunk.size()) {
            std::size_t end = chunk.find("\r\n", start);
            if (end == std::string_view::npos) end = chunk.size();
            if (end > start) t->clientLine(chunk.substr(start, end - start));
            start = end + 2;
        }
    } else if (type == CURLINFO_HEADER_IN) {
        t->partialIn.append(chunk);
        if (t->partialIn.size() > kMaxReplyLineBytes && t->partialIn.find('\n') == std::string::npos)
            t->partialIn.resize(kMaxReplyLineBytes); // a line without end: keep its start
        std::size_t nl;
        while ((nl = t->partialIn.find('\n')) != std::string::npos) {
            std::string line = t->partialIn.substr(0, nl);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            t->partialIn.erase(0, nl + 1);
            t->serverLine(line);
        }
    }
    return 0;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

bool startsWith(std::string_view s, std::string_view prefix) noexcept
{
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lower(s[i]) != lower(prefix[i])) return false;
    return true;
}

/// "<a@b>" of "<a@b> SIZE=123".
std::string pathOf(std::string_view argument)
{
    const std::size_t close = argument.find('>');
    return std::string(close == std::string_view::npos ? argument : argument.substr(0, close + 1));
}

std::string securityText(const SmtpEndpoint& e, const SmtpOptions& o)
{
    std::string text;
    if (e.implicitTls)
        text = "TLS from the first byte (smtps)";
    else if (o.requireTls)
        text = "STARTTLS required";
    else
        text = "no TLS (clear text, loopback only)";
    if (e.implicitTls || o.requireTls) {
        text += ", TLS 1.2 or later";
        if (o.insecureSkipVerify)
            text += ", certificate NOT verified (test option)";
        else if (!o.caFile.empty())
            text += ", certificate verified against " + o.caFile + " and the system CAs";
        else
            text += ", certificate verified";
    }
    return text;
}

} // namespace

std::optional<std::string> smtpPasswordFromEnvironment()
{
    const char* value = std::getenv(kSmtpPasswordVariable);
    if (!value || !*value) return std::nullopt;
    return std::string(value);
}

std::string SmtpEndpoint::curlUrl() const
{
    return std::string(implicitTls ? "smtps://" : "smtp://") + host + ":" + std::to_string(port) + "/"
        + ehloName;
}

bool SmtpEndpoint::loopback() const noexcept
{
    std::string h;
    for (const char c : host)
        h.push_back(lower(c));
    if (h == "localhost" || h == "[::1]") return true;
    if (!h.starts_with("127.")) return false;
    // 127.0.0.0/8 as a dotted quad.
    int parts = 0, value = -1;
    for (const char c : h) {
        if (c == '.') {
            if (value < 0) return false;
            ++parts;
            value = -1;
        } else if (c >= '0' && c <= '9') {
            value = (value < 0 ? 0 : value) * 10 + (c - '0');
            if (value > 255) return false;
        } else {
            return false;
        }
    }
    return parts == 3 && value >= 0;
}

Result<SmtpEndpoint> parseSmtpUrl(std::string_view url)
{
    auto bad = [&](std::string_view why) {
        return fail(
            ErrorKind::Usage, "The SMTP URL \"" + shown(url) + "\" is not usable: " + std::string(why) + ".");
    };
    for (const char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F)
            return bad("it contains a space or control character");
    SmtpEndpoint e;
    std::string_view rest;
    if (startsWith(url, "smtps://")) {
        e.implicitTls = true;
        rest = url.substr(8);
    } else if (startsWith(url, "smtp://")) {
        rest = url.substr(7);
    } else {
        return bad("it must start with smtp:// (port 587, STARTTLS) or smtps:// (port 465, TLS)");
    }
    if (rest.find_first_of("?#") != std::string_view::npos) return bad("it has a query or fragment");
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        const std::string_view path = rest.substr(slash + 1);
        for (const char c : path) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-';
            if (!ok) return bad("the path (the name sent in EHLO) must be a host name");
        }
        e.ehloName = std::string(path);
    }
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        authority.remove_prefix(at + 1);
        if (userinfo.find(':') != std::string_view::npos)
            return bad(std::string("it contains a password; give it in the ") + kSmtpPasswordVariable
                + " environment variable or the settings instead");
        for (std::size_t i = 0; i < userinfo.size(); ++i) {
            if (userinfo[i] == '%') {
                const int hi = i + 2 < userinfo.size() ? hexValue(userinfo[i + 1]) : -1;
                const int lo = hi >= 0 ? hexValue(userinfo[i + 2]) : -1;
                if (lo < 0) return bad("the user name has a broken %-escape");
                const char decoded = char(hi * 16 + lo);
                if (static_cast<unsigned char>(decoded) < 0x20 || decoded == 0x7F)
                    return bad("the user name contains a control character");
                e.user.push_back(decoded);
                i += 2;
            } else {
                e.user.push_back(userinfo[i]);
            }
        }
    }
    std::string_view portText;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return bad("the IPv6 address has no ]");
        e.host = std::string(authority.substr(0, close + 1));
        for (const char c : e.host.substr(1, e.host.size() - 2))
            if (!(hexValue(c) >= 0 || c == ':' || c == '.')) return bad("the IPv6 address is not valid");
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return bad("something follows the IPv6 address");
            portText = after.substr(1);
        }
    } else {
        const std::size_t colon = authority.find(':');
        e.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) portText = authority.substr(colon + 1);
        for (const char c : e.host) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-';
            if (!ok) return bad("the host name may only hold letters, digits, dots and hyphens");
        }
    }
    if (e.host.empty() || e.host == "[]") return bad("it names no host");
    e.port = e.implicitTls ? 465 : 587;
    if (!portText.empty() || (authority.size() && authority.back() == ':')) {
        if (portText.empty() || portText.size() > 5) return bad("the port is not a number from 1 to 65535");
        int port = 0;
        for (const char c : portText) {
            if (c < '0' || c > '9') return bad("the port is not a number from 1 to 65535");
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65535) return bad("the port is not a number from 1 to 65535");
        e.port = port;
    }
    return e;
}

SmtpSender::SmtpSender(SmtpOptions options)
    : m_options(std::move(options))
{
}

Result<SmtpEndpoint> SmtpSender::endpoint() const
{
    auto e = parseSmtpUrl(m_options.url);
    if (!e) return e;
    if (!m_options.user.empty()) e->user = m_options.user;
    if (!e->implicitTls && !m_options.requireTls && !e->loopback())
        return fail(ErrorKind::Usage,
            "Sending without TLS is only allowed to a server on this machine (loopback), "
            "not to "
                + e->host + ".");
    return e;
}

Result<std::string> SmtpSender::dryRun(const ComposedMessage& message) const
{
    auto e = endpoint();
    if (!e) return std::unexpected(e.error());
    if (message.envelope.recipients.empty()) return fail(ErrorKind::Usage, "The message has no recipient.");
    std::string out = "# Dry run: nothing was sent.\r\n";
    out += "# Server: " + e->curlUrl() + " (" + securityText(*e, m_options) + ")\r\n";
    if (e->user.empty())
        out += "# Login: none\r\n";
    else
        out += "# Login: AUTH as \"" + shown(e->user) + "\""
            + (m_options.password.empty() ? ", no password" : "") + "\r\n";
    out += "MAIL FROM:<" + message.envelope.mailFrom + ">\r\n";
    for (const std::string& r : message.envelope.recipients)
        out += "RCPT TO:<" + r + ">\r\n";
    out += "DATA\r\n";
    out += message.bytes;
    out += ".\r\n";
    return out;
}

Result<SmtpReceipt> SmtpSender::send(const ComposedMessage& message) const
{
    auto e = endpoint();
    if (!e) return std::unexpected(e.error());
    if (message.envelope.recipients.empty()) return fail(ErrorKind::Usage, "The message has no recipient.");
    if (auto ok = checkAddress(message.envelope.mailFrom, "sender (MAIL FROM)"); !ok)
        return std::unexpected(ok.error());
    for (const std::string& r : message.envelope.recipients)
        if (auto ok = checkAddress(r, "recipient (RCPT TO)"); !ok) return std::unexpected(ok.error());

    globalInit();
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return fail(ErrorKind::Io, "libcurl could not start a transfer.");
    std::unique_ptr<curl_slist, SlistDeleter> recipients;
    for (const std::string& r : message.envelope.recipients) {
        curl_slist* next = curl_slist_append(recipients.get(), ("<" + r + ">").c_str());
        if (!next) return fail(ErrorKind::Io, "Out of memory.");
        (void)recipients.release();
        recipients.reset(next);
    }

    Transfer transfer;
    transfer.data = message.bytes;
    char errorText[CURL_ERROR_SIZE] = {};
    const std::string url = e->curlUrl();
    const std::string mailFrom = "<" + message.envelope.mailFrom + ">";
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, e->implicitTls ? "smtps" : "smtp");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (e->loopback()) curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(
        c, CURLOPT_USE_SSL, long(e->implicitTls || m_options.requireTls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
    curl_easy_setopt(c, CURLOPT_SSLVERSION, long(CURL_SSLVERSION_TLSv1_2));
    if (!m_options.caFile.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, m_options.caFile.c_str());
    if (m_options.insecureSkipVerify) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!e->user.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, e->user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, m_options.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mailFrom.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.bytes.size()));
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &readMessage);
    curl_easy_setopt(c, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(m_options.connectTimeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(m_options.totalTimeout.count()));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorText);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, &debugCallback);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, &transfer);

    const CURLcode rc = curl_easy_perform(c);
    const std::string where = e->host + ":" + std::to_string(e->port);
    std::string detail = core::sanitizeForDisplay(errorText[0] ? errorText : curl_easy_strerror(rc));
    if (long osError = 0; curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &osError) == CURLE_OK && osError != 0)
        detail += ": " + std::string(std::strerror(int(osError)));
    const std::string reply = transfer.replyText();
    const std::string saidSuffix = reply.empty() ? "" : " The server said: " + reply;

    if (rc == CURLE_OK) {
        SmtpReceipt receipt;
        receipt.reply = reply;
        receipt.transcript = std::move(transfer.transcript);
        return receipt;
    }
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return fail(ErrorKind::Io, "Cannot find the SMTP server " + e->host + " (" + detail + ").");
    case CURLE_COULDNT_CONNECT:
        return fail(ErrorKind::Io, "Cannot connect to the SMTP server " + where + " (" + detail + ").");
    case CURLE_OPERATION_TIMEDOUT:
        return fail(ErrorKind::Timeout,
            "The SMTP server " + where + " did not answer in time (" + detail + ")." + saidSuffix);
    case CURLE_LOGIN_DENIED:
        return fail(ErrorKind::Config,
            "The SMTP server " + where + " refused the login as \"" + shown(e->user) + "\" (" + detail + ")."
                + saidSuffix);
    case CURLE_USE_SSL_FAILED:
        return fail(ErrorKind::BadResponse,
            "The SMTP server " + where + " does not offer STARTTLS, so tattle "
                + "will not send the login and the complaint in clear text; use smtps:// if it has TLS on "
                  "port 465."
                + saidSuffix);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return fail(ErrorKind::Io, "TLS with the SMTP server " + where + " failed: " + detail + ".");
    default:
        break;
    }
    // Refusals: libcurl says "RCPT failed: 550"; the command and the reply say which and why.
    const std::string& command = transfer.lastCommand;
    const bool refused
        = !transfer.reply.empty() && (transfer.reply.back()[0] == '4' || transfer.reply.back()[0] == '5');
    if (refused && startsWith(command, "RCPT TO:"))
        return fail(ErrorKind::BadResponse,
            "The SMTP server " + where + " refused the recipient " + pathOf(command.substr(8)) + ": "
                + reply);
    if (refused && startsWith(command, "MAIL FROM:"))
        return fail(ErrorKind::BadResponse,
            "The SMTP server " + where + " refused the sender " + pathOf(command.substr(10)) + ": " + reply);
    if (refused && (startsWith(command, "DATA") || transfer.offset == message.bytes.size()))
        return fail(ErrorKind::BadResponse, "The SMTP server " + where + " refused the message: " + reply);
    if (refused)
        return fail(
            ErrorKind::BadResponse, "The SMTP server " + where + " refused \"" + command + "\": " + reply);
    return fail(ErrorKind::Io, "Sending by SMTP to " + where + " failed: " + detail + "." + saidSuffix);
}

} // namespace tattle::reports
