// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tattle::core::resolver {

/// Rewrites RDAP base URLs (`--rdap-base https://rdap.arin.net/registry/=http://127.0.0.1:8080/arin/`):
/// every request URL and every redirect target that starts with a FROM prefix gets that prefix replaced
/// (the longest FROM wins). Only a rewritten URL may use plain http, and only to a loopback host.
class RdapBaseRewrites {
public:
    /// Parses and adds "FROM=TO" as given on the command line; both must be http(s) URLs.
    Result<void> add(std::string_view assignment);
    void set(std::string from, std::string to);
    /// url with its base rewritten, or nothing when no FROM prefix matches.
    std::optional<std::string> rewrite(std::string_view url) const;
    bool empty() const noexcept { return m_bases.empty(); }

private:
    std::map<std::string, std::string, std::less<>> m_bases;
};

/// Limits of one HTTP GET, redirects included; every one bounds time or memory against a hostile server.
struct HttpOptions {
    std::chrono::milliseconds connectTimeout {10'000};
    /// The overall deadline of get(), across all redirect hops.
    std::chrono::milliseconds totalTimeout {30'000};
    /// A transfer slower than lowSpeedLimit bytes/s for lowSpeedTime fails (against tricklers).
    long lowSpeedLimit = 100;
    std::chrono::seconds lowSpeedTime {10};
    /// Bodies longer than this abort the transfer and fail with BadResponse.
    std::size_t maxBodyBytes = std::size_t(4) << 20;
    /// Redirect hops followed before giving up (a loop is stopped earlier, at its first repeat).
    int maxRedirects = 5;
    std::string accept = "application/rdap+json";
    /// Empty: "tattle/<version>".
    std::string userAgent;
};

/// One completed HTTP exchange (after redirects). Any status is a value here; statusError() turns the
/// ones that are not 2xx into errors.
struct HttpResponse {
    long status = 0;
    std::string body;
    std::string contentType;
    /// The URL that answered last, after redirects and rewrites.
    std::string url;
    /// Retry-After (seconds or an HTTP date, as seconds from now), clamped to 7 days; on any status.
    std::optional<std::chrono::seconds> retryAfter;
    int redirects = 0;

    bool ok() const noexcept { return status >= 200 && status < 300; }
    /// Nothing for 2xx; RateLimited for 429 (the message names the Retry-After seconds, also in
    /// retryAfter); NotFound for 404 and 410; BadResponse for anything else.
    std::optional<Error> statusError() const;
};

/// HTTP GET for RDAP over libcurl. Redirects are followed hop by hop here rather than by libcurl, so that
/// each target is rewritten (RdapBaseRewrites) and checked: https always; plain http only to a loopback
/// host reached through a rewrite (or the same loopback origin, for a relative redirect there). A
/// repeated URL (a loop) or more than maxRedirects hops fail with BadResponse. Other errors: Timeout
/// (connect, overall or low-speed), Io (resolve, connect, TLS, reset), BadResponse (body over the cap, cut
/// or garbled reply), Usage (a URL that is not allowed). One client per thread: it owns a curl easy
/// handle, whose connection cache it reuses between requests.
class HttpClient {
public:
    explicit HttpClient(HttpOptions options = {}, RdapBaseRewrites rewrites = {});
    ~HttpClient();
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// Called before each redirect hop with its target as the server gave it (before any rewrite); an
    /// error stops the fetch with that error. The resolver waits here for its turn at the target's server,
    /// so its rate limits hold for every server of a redirect chain, not only the first.
    using RedirectCheck = std::function<Result<void>(std::string_view url)>;

    /// GETs url (rewritten first) with the Accept header, following redirects.
    Result<HttpResponse> get(std::string_view url, const RedirectCheck& beforeRedirect = {});

    const HttpOptions& options() const noexcept { return m_options; }
    const RdapBaseRewrites& rewrites() const noexcept { return m_rewrites; }

    /// True for "localhost", 127.0.0.0/8 and ::1 (with or without brackets).
    static bool isLoopbackHost(std::string_view host) noexcept;

private:
    struct Handle;
    HttpOptions m_options;
    RdapBaseRewrites m_rewrites;
    std::unique_ptr<Handle> m_handle;
};

} // namespace tattle::core::resolver
