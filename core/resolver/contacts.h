// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/resolver/network_info.h"
#include "core/result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Helpers shared by the RDAP and WHOIS answer parsers: e-mail cleaning, field sanitising, placeholder
/// contacts and the ranking of abuse contacts.
namespace tattle::core::resolver {

/// Confidence (0-100) given to contacts by where they were found; shown to users with the contact.
namespace confidence {
inline constexpr int kAbuseRole = 90; ///< RDAP entity whose only role is abuse; RIPE "Abuse contact for"
inline constexpr int kAbuseMailbox = 85; ///< abuse-c / abuse-mailbox / OrgAbuseEmail / RAbuseEmail / IRT
inline constexpr int kSharedAbuseRole = 80; ///< RDAP abuse role shared with other roles
inline constexpr int kAbuseCPerson = 75; ///< the e-mail of the abuse-c handle (LACNIC, NIC.br, KRNIC)
inline constexpr int kNetworkContact = 60; ///< the general contact of a national registry's network record
inline constexpr int kAbuseLocalPart = 50; ///< an abuse@ address of another contact of the network
inline constexpr int kRemark = 40; ///< an address in a remark that talks about abuse
} // namespace confidence

/// A cleaned e-mail address, or nullopt when raw is not a plausible one. Strips surrounding white space,
/// a "mailto:" prefix, angle brackets and quotes, and trailing dots, commas and semicolons; lower-cases
/// the domain. Accepts printable ASCII local parts of dot-atoms and domains of at least two labels.
std::optional<std::string> cleanEmail(std::string_view raw);

/// The domain of a cleaned e-mail address ("" when there is none).
std::string_view emailDomain(std::string_view email) noexcept;

/// Every plausible e-mail address in free text (remarks), cleaned, in order of appearance.
std::vector<std::string> findEmails(std::string_view text);

/// A registry field made safe to store and show: valid UTF-8, control characters (C0, C1, DEL, Unicode
/// line and paragraph separators, bidi overrides) replaced by spaces, runs of spaces collapsed, trimmed,
/// cut to at most maxBytes on a character boundary. Never contains CR or LF.
std::string sanitizeField(std::string_view raw, std::size_t maxBytes = 256);

/// Addresses and texts that registries print where no real contact exists ("DATA REDACTED", their own
/// help desks, LACNIC's removed@lacnic.net ...): resources/abuse-placeholders.json.
class PlaceholderList {
public:
    /// Reads the file; errors name it and the JSON pointer.
    static Result<PlaceholderList> load(const std::filesystem::path& file);
    /// Parses the text of such a file.
    static Result<PlaceholderList> parse(std::string_view json, std::string_view sourceName);

    /// True when text (an e-mail address or a raw field value) is a placeholder, case-insensitively.
    bool isPlaceholder(std::string_view text) const;
    std::size_t size() const noexcept { return m_emails.size() + m_texts.size(); }

private:
    std::vector<std::string> m_emails; // lower case
    std::vector<std::string> m_texts; // lower case
};

/// Collects abuse contacts from several places of one answer: drops placeholders, deduplicates
/// case-insensitively (keeping the highest confidence) and ranks best first.
class ContactCollector {
public:
    explicit ContactCollector(const PlaceholderList* placeholders, ContactSource source)
        : m_placeholders(placeholders)
        , m_source(source)
    {
    }

    /// Adds raw (cleaned first); returns false when it is not a plausible address or a placeholder.
    bool add(std::string_view raw, int confidence);
    /// Adds the addresses on the lines of free text that talk about abuse (or on the line right after one
    /// that does without naming an address).
    void addFromRemark(std::string_view text, int confidence);
    bool empty() const noexcept { return m_contacts.empty(); }
    /// Best first: higher confidence, then order of addition.
    std::vector<AbuseContact> take();

private:
    const PlaceholderList* m_placeholders;
    ContactSource m_source;
    std::vector<AbuseContact> m_contacts;
};

/// True when text mentions abuse (case-insensitive "abuse", or "spam").
bool mentionsAbuse(std::string_view text) noexcept;

/// The registry id for a WHOIS host ("whois.arin.net" -> "arin", "whois.nic.ad.jp" -> "jpnic",
/// "whois.registro.br" -> "nicbr"), or "" when unknown.
std::string_view registryOfWhoisHost(std::string_view host) noexcept;

/// host when it is a plausible DNS name (letters, digits, '-', '.'; no scheme, port or path), else "".
std::string hostName(std::string_view host);

/// Upper-case two-letter country code, or "" when text is not one (or is a placeholder such as "ZZ").
std::string countryCode(std::string_view text);

} // namespace tattle::core::resolver
