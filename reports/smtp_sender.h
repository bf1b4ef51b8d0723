// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "reports/mime_message.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tattle::reports {

/// The environment variable the command line reads the SMTP password from. Password sources, in the
/// order the CLI tries them: this variable, then the settings file (`smtp.password`, in a file only the
/// user can read), then the system keychain (GUI). Never the URL (refused: it would show in `ps`, shell
/// history and logs) and never a command-line argument.
inline constexpr const char* kSmtpPasswordVariable = "TATTLE_SMTP_PASSWORD";

/// TATTLE_SMTP_PASSWORD when set (an empty value counts as unset).
std::optional<std::string> smtpPasswordFromEnvironment();

/// A parsed submission URL: `smtp://[user@]host[:port][/ehlo-name]` (STARTTLS, port 587 by default) or
/// `smtps://[user@]host[:port][/ehlo-name]` (TLS from the first byte, port 465 by default).
struct SmtpEndpoint {
    bool implicitTls = false; ///< smtps://
    std::string host; ///< as written; IPv6 in brackets
    int port = 0;
    std::string user; ///< percent-decoded; empty when the URL names none
    std::string ehloName; ///< the URL path (libcurl sends it in EHLO); empty: libcurl's default
    /// The URL handed to libcurl: scheme, host, port and path, never the user.
    std::string curlUrl() const;
    bool loopback() const noexcept;
};

/// Parses an SMTP URL; Usage errors say what is wrong (another scheme, a password in the URL, a bad port,
/// control characters, a query or fragment).
Result<SmtpEndpoint> parseSmtpUrl(std::string_view url);

/// How to reach and log in to the submission server.
struct SmtpOptions {
    std::string url; ///< see SmtpEndpoint
    std::string user; ///< overrides the URL's user; empty and no user in the URL: no AUTH
    std::string password;
    /// smtp:// demands STARTTLS (CURLUSESSL_ALL: never falls back to clear text). false allows a
    /// clear-text session, and only to a loopback host (a local MTA, the tests).
    bool requireTls = true;
    /// Extra trust anchors (a PEM file), e.g. a private CA or the tests' self-signed certificate.
    std::string caFile;
    /// Tests only: do not verify the server's certificate and name.
    bool insecureSkipVerify = false;
    std::chrono::milliseconds connectTimeout {15'000};
    /// The whole session, from connecting to the server's answer to the message.
    std::chrono::milliseconds totalTimeout {120'000};
};

/// What the server said when it took the message.
struct SmtpReceipt {
    std::string reply; ///< the final reply, e.g. "250 2.0.0 Ok: queued as 4XyZ"
    /// The SMTP dialogue, one line each: "C: MAIL FROM:<...>" / "S: 250 ...". AUTH exchanges are shown as
    /// "C: AUTH PLAIN ***" and "C: ***". Bounded to 200 lines.
    std::vector<std::string> transcript;
};

/// Sends composed messages by SMTP with libcurl: the bytes of the ComposedMessage are streamed from
/// memory unchanged (libcurl doubles a leading "." itself), MAIL FROM and RCPT TO come from its envelope.
/// TLS 1.2 or later. Errors are full sentences with the server's reply where there is one:
/// Io (cannot resolve or connect, connection refused, TLS handshake or certificate failure, cut
/// connection), Timeout, Config (login refused), BadResponse (no STARTTLS offered, sender, recipient or
/// message rejected), Usage (bad URL or clear text to a remote host).
class SmtpSender {
public:
    explicit SmtpSender(SmtpOptions options);

    /// Sends one message; succeeds only when the server accepted it for every recipient.
    Result<SmtpReceipt> send(const ComposedMessage& message) const;

    /// Exactly what send() would do, without connecting: the server, security and login (never the
    /// password) as "# " comment lines, then the commands and the message as they would go on the wire:
    /// "MAIL FROM:<a>", "RCPT TO:<b>"..., "DATA", the message bytes and the final ".". CRLF line ends.
    Result<std::string> dryRun(const ComposedMessage& message) const;

    const SmtpOptions& options() const noexcept { return m_options; }

private:
    Result<SmtpEndpoint> endpoint() const;
    SmtpOptions m_options;
};

} // namespace tattle::reports
