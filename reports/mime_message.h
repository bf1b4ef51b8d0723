// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "core/time.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tattle::reports {

/// A mailbox: an optional display name (any UTF-8 text; neutralised when written) and an addr-spec.
struct Mailbox {
    std::string name;
    std::string address;
};

/// Checks an addr-spec as tattle accepts it (RFC 5322 dot-atom@domain, no quoted local part, no domain
/// literal, ASCII only, local part <= 64 and whole address <= 254 characters, RFC 5321): `what` names
/// the field in the error ("From", "To", ...). Any control character, space, "<", ">", "," or ";" fails.
Result<void> checkAddress(std::string_view address, std::string_view what);

/// Parses "Name <local@domain>", "\"Doe, Jane\" <local@domain>" or a bare "local@domain" as a user
/// types it on a command line; the address is checked with checkAddress().
Result<Mailbox> parseMailbox(std::string_view text, std::string_view what);

/// One attachment. The media type is checked (type "/" subtype tokens); the file name is reduced to a
/// safe base name and written with RFC 2231 when it is not plain ASCII. Attachments always go base64.
struct Attachment {
    std::string fileName; ///< e.g. "xarf-203.0.113.7.json"
    std::string mediaType; ///< e.g. "application/json", "text/csv"
    std::string charset; ///< e.g. "utf-8" for text types; empty for none
    std::string data; ///< the bytes
};

/// Everything a message says. Every text value may come from a log line, a WHOIS answer or a user:
/// none of them can add a header or a body part. Addresses are checked (an invalid one is an error);
/// display names, the subject and extra header values have control characters (CR, LF, NUL, ...)
/// replaced by spaces, runs of white space collapsed and invalid UTF-8 repaired, are written as RFC 2047
/// encoded-words when they are not plain ASCII, and are folded to lines of at most 78 characters.
struct MailMessage {
    Mailbox from;
    std::vector<Mailbox> to;
    std::vector<Mailbox> cc;
    /// Envelope-only recipients: they get the message, no header names them.
    std::vector<std::string> bcc;
    std::optional<Mailbox> replyTo;
    std::string subject;
    /// The Date header: the instant and the offset from UTC it is written with (e.g. +0100).
    core::Micros date = 0;
    int utcOffsetSeconds = 0;
    /// "<id@domain>"; empty: a new unique one with the From address's domain.
    std::string messageId;
    /// Other header fields, e.g. {"Auto-Submitted", "auto-generated"}, {"X-XARF", "PLAIN"},
    /// {"X-Unsent", "1"} (Outlook opens such an .eml as a draft). Names are RFC 5322 field names and may
    /// not be one that this composer writes itself (From, To, Cc, Bcc, Date, Subject, Message-ID,
    /// Reply-To, MIME-Version, Content-*); values are unstructured text, neutralised like the subject.
    std::vector<std::pair<std::string, std::string>> extraHeaders;
    /// The text/plain body (UTF-8; any line ends; C0 controls other than TAB become U+FFFD).
    std::string body;
    std::vector<Attachment> attachments;
};

/// The SMTP envelope of a composed message.
struct Envelope {
    std::string mailFrom; ///< the From address
    std::vector<std::string> recipients; ///< To, Cc and Bcc addresses, in that order, without duplicates
};

/// A message ready to go: the exact bytes (CRLF line ends, lines of at most 998 octets, 78 where the
/// syntax allows it) that are saved as .eml, shown by a dry run and sent by SMTP.
struct ComposedMessage {
    std::string messageId; ///< "<...@...>" as in the header
    Envelope envelope;
    std::string bytes;
};

/// Limits of the composer, named so the tests and callers see them.
inline constexpr std::size_t kMaxHeaderLine = 78; ///< RFC 5322 2.1.1 SHOULD (folded where possible)
inline constexpr std::size_t kMaxLine = 998; ///< RFC 5322 2.1.1 MUST, CRLF excluded
inline constexpr std::size_t kMaxDisplayNameChars = 200; ///< longer names are cut (with "...")
inline constexpr std::size_t kMaxSubjectChars = 400; ///< longer subjects are cut (with "...")
inline constexpr std::size_t kMaxRecipients = 100;

/// Builds the RFC 5322 + MIME message: headers, then a text/plain; charset=UTF-8 part (quoted-printable,
/// or base64 when most of the text is not ASCII) alone, or as the first part of a multipart/mixed with
/// the attachments. Errors (ErrorKind::Usage) name the field: an invalid or missing address, no
/// recipient, too many recipients, a bad extra header name or media type, a malformed Message-ID.
Result<ComposedMessage> composeMessage(const MailMessage& message);

/// Text made safe for one header line: invalid UTF-8 repaired, control characters (C0, DEL, C1, U+2028,
/// U+2029) replaced by spaces, runs of white space collapsed to one space, trimmed, and cut to at most
/// `maxChars` code points (ending in "...").
std::string neutraliseHeaderText(std::string_view text, std::size_t maxChars);

/// "Tue, 05 Mar 2024 12:34:56 +0100" (RFC 5322 3.3) for an instant written with a UTC offset.
std::string formatRfc5322Date(core::Micros time, int utcOffsetSeconds);

/// A new unique Message-ID "<time.random@domain>" (128 random bits).
std::string makeMessageId(std::string_view domain);

/// RFC 2047 encoded-words (UTF-8, "Q" encoding, each at most `maxWordLength` characters and never
/// splitting a character), separated by single spaces: "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=".
std::string encodeWords(std::string_view utf8, std::size_t maxWordLength = 64);

/// Quoted-printable (RFC 2045 6.7) of text with CRLF line ends: lines of at most 76 characters with soft
/// breaks; "=", non-ASCII, controls, white space before a line end, a "." or "From " at the start of a
/// line are encoded.
std::string encodeQuotedPrintable(std::string_view crlfText);

/// Base64 (RFC 2045 6.8) in lines of 76 characters, each ended by CRLF.
std::string encodeBase64Lines(std::string_view data);

/// Writes the message bytes to `path` (through a temporary file renamed into place, mode 0600 since a
/// complaint names the user's address). The parent directory must exist.
Result<void> saveEml(const std::filesystem::path& path, std::string_view bytes);

} // namespace tattle::reports
