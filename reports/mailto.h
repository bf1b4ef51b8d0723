// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <cstddef>
#include <string>
#include <vector>

namespace tattle::reports {

/// The longest mailto: URL tattle hands to a mail client by default. No standard sets one; the binding
/// limits are practical: Windows' ShellExecute and URL handling stop at INTERNET_MAX_URL_LENGTH (2083
/// characters with the terminating NUL), Outlook drops longer launches silently, and browsers' mailto
/// handlers are in the same range. 2000 stays under 2083 with room for the launcher's own quoting. On
/// Linux xdg-open passes the URL as one argument (128 KiB), so a caller may allow more there; anything
/// longer than the limit should be saved as .eml (which also keeps attachments, which mailto: cannot).
inline constexpr std::size_t kMailtoMaxLength = 2000;

/// What a mailto: URL carries (RFC 6068 guarantees only to, cc, subject and body; no attachments).
struct MailtoFields {
    std::vector<std::string> to;
    std::vector<std::string> cc;
    std::string subject;
    std::string body; ///< any line ends; sent as CRLF (%0D%0A)
};

/// A built URL and the limit it was measured against.
struct MailtoUrl {
    std::string url;
    std::size_t limit = kMailtoMaxLength;
    /// False when the URL is longer than the limit: save an .eml instead.
    bool fits() const noexcept { return url.size() <= limit; }
};

/// Builds "mailto:to1,to2?subject=...&cc=...&body=..." (RFC 6068): UTF-8 percent-encoded, spaces as %20
/// (never "+"), "+" itself as %2B. Addresses are checked like message addresses (Usage error naming the
/// field); the subject is neutralised like a mail header (no CR/LF: a mail client that copied it into a
/// header cannot be made to add one); body line ends become %0D%0A and other control characters except
/// TAB become U+FFFD.
Result<MailtoUrl> buildMailto(const MailtoFields& fields, std::size_t limit = kMailtoMaxLength);

} // namespace tattle::reports
