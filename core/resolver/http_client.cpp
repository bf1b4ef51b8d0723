// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/http_client.h"

#include "core/ip_address.h"
#include "core/text_util.h"

#include <algorithm>
#include <curl/curl.h>
#include <mutex>
#include <set>

namespace tattle::core::resolver {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr long kMaxRetryAfterSeconds = 7 * 24 * 3600;

char lowerAscii(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

bool startsWithIgnoringCase(std::string_view s, std::string_view prefix) noexcept
{
    return s.size() >= prefix.size()
        && std::equal(prefix.begin(), prefix.end(), s.begin(),
            [](char a, char b) { return lowerAscii(a) == lowerAscii(b); });
}

void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlUrlDeleter {
    void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};

struct CurlStringDeleter {
    void operator()(char* s) const noexcept { curl_free(s); }
};

struct UrlParts {
    std::string scheme; ///< lower case
    std::string host; ///< lower case, IPv6 in brackets
    std::string origin; ///< scheme://host:port, the port always given
};

/// Splits an absolute http(s) URL with libcurl's own parser, so that what is checked is what is fetched.
std::optional<UrlParts> parseUrl(const std::string& url)
{
    std::unique_ptr<CURLU, CurlUrlDeleter> u(curl_url());
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return std::nullopt;
    auto part = [&](CURLUPart which, unsigned flags) -> std::optional<std::string> {
        char* raw = nullptr;
        if (curl_url_get(u.get(), which, &raw, flags) != CURLUE_OK || !raw) return std::nullopt;
        std::unique_ptr<char, CurlStringDeleter> owned(raw);
        return std::string(raw);
    };
    auto scheme = part(CURLUPART_SCHEME, 0);
    auto host = part(CURLUPART_HOST, 0);
    auto port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
    if (!scheme || !host || !port) return std::nullopt;
    UrlParts out;
    out.scheme = *scheme;
    out.host = *host;
    std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(), lowerAscii);
    std::transform(out.host.begin(), out.host.end(), out.host.begin(), lowerAscii);
    if (out.scheme != "http" && out.scheme != "https") return std::nullopt;
    out.origin = out.scheme + "://" + out.host + ":" + *port;
    return out;
}

std::string shown(std::string_view url)
{
    return sanitizeForDisplay(url.substr(0, 300));
}

std::string_view reasonPhrase(long status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 410:
        return "Gone";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "";
    }
}

bool isRedirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

struct Transfer {
    std::string body;
    std::size_t cap = 0;
    bool overflow = false;
};

std::size_t writeBody(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    if (n > t->cap - t->body.size()) {
        t->overflow = true;
        return 0; // anything but n makes libcurl abort with CURLE_WRITE_ERROR
    }
    t->body.append(data, n);
    return n;
}

struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

} // namespace

struct HttpClient::Handle {
    CURL* curl = nullptr;
    ~Handle()
    {
        if (curl) curl_easy_cleanup(curl);
    }
};

Result<void> RdapBaseRewrites::add(std::string_view assignment)
{
    // Split at the '=' that starts the target URL: a FROM URL could itself contain '='.
    std::size_t eq = std::string_view::npos;
    for (std::size_t i = assignment.find('='); i != std::string_view::npos; i = assignment.find('=', i + 1)) {
        std::string_view rest = assignment.substr(i + 1);
        if (startsWithIgnoringCase(rest, "http://") || startsWithIgnoringCase(rest, "https://")) {
            eq = i;
            break;
        }
    }
    auto bad = [&](std::string why) {
        return fail(ErrorKind::Usage,
            "'" + shown(assignment) + "' is not an RDAP base rewrite FROM_URL=TO_URL: " + why + ".");
    };
    if (eq == std::string_view::npos) return bad("there is no '=' followed by an http(s) URL");
    std::string from(assignment.substr(0, eq));
    std::string to(assignment.substr(eq + 1));
    globalInit();
    if (!parseUrl(from)) return bad("the part before '=' is not an http(s) URL");
    if (!parseUrl(to)) return bad("the part after '=' is not an http(s) URL");
    set(std::move(from), std::move(to));
    return {};
}

void RdapBaseRewrites::set(std::string from, std::string to)
{
    m_bases[std::move(from)] = std::move(to);
}

std::optional<std::string> RdapBaseRewrites::rewrite(std::string_view url) const
{
    const std::pair<const std::string, std::string>* best = nullptr;
    for (const auto& entry : m_bases) {
        if (startsWithIgnoringCase(url, entry.first) && (!best || entry.first.size() > best->first.size()))
            best = &entry;
    }
    if (!best) return std::nullopt;
    return best->second + std::string(url.substr(best->first.size()));
}

std::optional<Error> HttpResponse::statusError() const
{
    if (ok()) return std::nullopt;
    std::string what = "RDAP server answered " + std::to_string(status);
    if (auto phrase = reasonPhrase(status); !phrase.empty()) what += " " + std::string(phrase);
    what += " for " + shown(url);
    if (status == 429) {
        what += retryAfter
            ? "; it asks to wait " + std::to_string(retryAfter->count()) + " s before retrying."
            : "; it asks to slow down.";
        return Error {ErrorKind::RateLimited, what};
    }
    if (status == 404 || status == 410) return Error {ErrorKind::NotFound, what + "."};
    return Error {ErrorKind::BadResponse, what + "."};
}

bool HttpClient::isLoopbackHost(std::string_view host) noexcept
{
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.size() == 9 && startsWithIgnoringCase(host, "localhost")) return true;
    auto a = IpAddress::parse(host);
    if (!a) return false;
    if (a->isV4()) return (a->v4Value() >> 24) == 127;
    static const IpAddress kLoopback6 = *IpAddress::parse("::1");
    return *a == kLoopback6;
}

HttpClient::HttpClient(HttpOptions options, RdapBaseRewrites rewrites)
    : m_options(std::move(options))
    , m_rewrites(std::move(rewrites))
    , m_handle(std::make_unique<Handle>())
{
    globalInit();
    if (m_options.userAgent.empty()) {
#ifdef TATTLE_VERSION
        m_options.userAgent = "tattle/" TATTLE_VERSION;
#else
        m_options.userAgent = "tattle";
#endif
    }
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

Result<HttpResponse> HttpClient::get(std::string_view requested, const RedirectCheck& beforeRedirect)
{
    const auto deadline = Clock::now() + m_options.totalTimeout;
    if (!m_handle) m_handle = std::make_unique<Handle>();
    if (!m_handle->curl) m_handle->curl = curl_easy_init();
    CURL* curl = m_handle->curl;
    if (!curl) return fail(ErrorKind::Io, "libcurl could not create a transfer handle.");

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    {
        const std::string accept = "Accept: " + m_options.accept;
        curl_slist* list = curl_slist_append(nullptr, accept.c_str());
        if (!list) return fail(ErrorKind::Io, "libcurl could not build the request headers.");
        headers.reset(list);
    }

    std::string url(requested);
    std::set<std::string> visited;
    std::set<std::string> trustedPlainOrigins; // loopback http origins reached through a rewrite
    std::string previous;
    HttpResponse response;
    for (int hop = 0;; ++hop) {
        if (hop > 0 && beforeRedirect) {
            if (auto allowed = beforeRedirect(url); !allowed) return std::unexpected(allowed.error());
        }
        bool rewritten = false;
        if (auto r = m_rewrites.rewrite(url)) {
            url = std::move(*r);
            rewritten = true;
        }
        auto refuse = [&](std::string why) {
            if (hop == 0) return fail(ErrorKind::Usage, "Refusing to fetch " + shown(url) + ": " + why + ".");
            return fail(ErrorKind::BadResponse,
                "Refusing to follow the redirect from " + shown(previous) + " to " + shown(url) + ": " + why
                    + ".");
        };
        auto parts = parseUrl(url);
        if (!parts) return refuse("it is not an absolute http or https URL");
        const bool loopback = isLoopbackHost(parts->host);
        if (parts->scheme == "http") {
            if (!loopback)
                return refuse("plain http is only allowed to a loopback address given with --rdap-base");
            if (rewritten)
                trustedPlainOrigins.insert(parts->origin);
            else if (!trustedPlainOrigins.contains(parts->origin))
                return refuse("plain http is only allowed to a loopback address given with --rdap-base");
        }
        if (!visited.insert(url).second) return refuse("it was already visited (a redirect loop)");

        const auto remaining = std::chrono::ceil<milliseconds>(deadline - Clock::now());
        if (remaining <= milliseconds(0))
            return fail(ErrorKind::Timeout,
                "Fetching " + shown(requested) + " took longer than "
                    + std::to_string(m_options.totalTimeout.count()) + " ms (" + std::to_string(hop)
                    + " redirects).");

        Transfer transfer;
        transfer.cap = m_options.maxBodyBytes;
        char errorText[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, parts->scheme == "https" ? "https" : "http");
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        // Loopback never goes through a proxy; anything else honours the usual proxy variables.
        curl_easy_setopt(curl, CURLOPT_NOPROXY, loopback ? "*" : nullptr);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(curl, CURLOPT_USERAGENT, m_options.userAgent.c_str());
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(
            curl, CURLOPT_CONNECTTIMEOUT_MS, long(std::min(remaining, m_options.connectTimeout).count()));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(remaining.count()));
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, m_options.lowSpeedLimit);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, long(m_options.lowSpeedTime.count()));
        // Refuses early a body whose announced length is too large; the write callback catches the rest.
        curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(m_options.maxBodyBytes));
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &writeBody);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorText);

        const CURLcode rc = curl_easy_perform(curl);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, nullptr);
        if (rc != CURLE_OK) {
            std::string detail = errorText[0] ? sanitizeForDisplay(errorText) : curl_easy_strerror(rc);
            const std::string prefix = "Fetching " + shown(url) + " failed: ";
            if (transfer.overflow || rc == CURLE_FILESIZE_EXCEEDED)
                return fail(ErrorKind::BadResponse,
                    "Fetching " + shown(url) + " failed: answer too large (more than "
                        + std::to_string(m_options.maxBodyBytes) + " bytes); it was cut off.");
            switch (rc) {
            case CURLE_OPERATION_TIMEDOUT:
                return fail(ErrorKind::Timeout, prefix + detail + ".");
            case CURLE_COULDNT_RESOLVE_HOST:
            case CURLE_COULDNT_RESOLVE_PROXY:
            case CURLE_COULDNT_CONNECT:
            case CURLE_SEND_ERROR:
            case CURLE_RECV_ERROR:
            case CURLE_SSL_CONNECT_ERROR:
            case CURLE_PEER_FAILED_VERIFICATION:
            case CURLE_SSL_CACERT_BADFILE:
                return fail(ErrorKind::Io, prefix + detail + ".");
            case CURLE_UNSUPPORTED_PROTOCOL:
                return fail(ErrorKind::Usage, prefix + detail + ".");
            default:
                return fail(ErrorKind::BadResponse, prefix + detail + ".");
            }
        }

        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        response.status = status;
        response.url = url;
        response.redirects = hop;
        response.body = std::move(transfer.body);
        response.contentType.clear();
        if (char* type = nullptr; curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
            response.contentType = sanitizeForDisplay(type);
        response.retryAfter.reset();
        if (curl_off_t wait = 0; curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &wait) == CURLE_OK && wait > 0)
            response.retryAfter = std::chrono::seconds(std::min<curl_off_t>(wait, kMaxRetryAfterSeconds));

        if (!isRedirect(status)) return response;
        char* location = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location) != CURLE_OK || !location || !*location)
            return fail(ErrorKind::BadResponse,
                shown(url) + " answered " + std::to_string(status)
                    + " (a redirect) without a usable Location.");
        if (hop >= m_options.maxRedirects)
            return fail(ErrorKind::BadResponse,
                "Fetching " + shown(requested) + " failed: more than "
                    + std::to_string(m_options.maxRedirects) + " redirects (the last to " + shown(location)
                    + ").");
        previous = url;
        url = location;
    }
}

} // namespace tattle::core::resolver
