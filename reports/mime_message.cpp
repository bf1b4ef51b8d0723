// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/mime_message.h"

#include "core/text_util.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <unistd.h>

namespace tattle::reports {

namespace {

constexpr std::string_view kHexUpper = "0123456789ABCDEF";
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

bool isAtext(unsigned char c) noexcept
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(char(c)) != std::string_view::npos;
}

bool isDotAtomText(std::string_view s) noexcept
{
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '.') {
            if (s[i - 1] == '.') return false;
        } else if (!isAtext(c)) {
            return false;
        }
    }
    return true;
}

bool isHostname(std::string_view s) noexcept
{
    if (s.empty() || s.size() > 253) return false;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t end = s.find('.', start);
        if (end == std::string_view::npos) end = s.size();
        const std::string_view label = s.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (const char c : label) {
            const bool ok
                = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) return false;
        }
        start = end + 1;
    }
    return true;
}

/// The value as it may be quoted in an error message: one line, bounded.
std::string shownValue(std::string_view value)
{
    std::string shown = neutraliseHeaderText(value, 80);
    return "\"" + shown + "\"";
}

char asciiLower(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (asciiLower(a[i]) != asciiLower(b[i])) return false;
    return true;
}

/// Length of the UTF-8 sequence starting with lead byte b (input already valid).
std::size_t sequenceLength(unsigned char b) noexcept
{
    if (b < 0x80) return 1;
    if ((b & 0xE0) == 0xC0) return 2;
    if ((b & 0xF0) == 0xE0) return 3;
    return 4;
}

bool isPlainAscii(std::string_view s) noexcept
{
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7E) return false;
    }
    return true;
}

/// True when text can be written as itself in an unstructured header: printable ASCII, no sequence a
/// reader would take for an encoded-word, and no word too long to fold.
bool fitsPlain(std::string_view s, std::size_t maxWord) noexcept
{
    if (!isPlainAscii(s) || s.find("=?") != std::string_view::npos) return false;
    std::size_t word = 0;
    for (const char c : s) {
        word = c == ' ' ? 0 : word + 1;
        if (word > maxWord) return false;
    }
    return true;
}

/// Pieces of a header value; each starts with the white space where a line may be folded.
using Chunks = std::vector<std::string>;

void appendWordChunks(Chunks& chunks, std::string_view text)
{
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string_view::npos) end = text.size();
        if (end > start) chunks.push_back(" " + std::string(text.substr(start, end - start)));
        start = end + 1;
    }
}

/// A word that can stand as an atom in a phrase (and that no reader takes for an encoded-word).
bool isAtomWord(std::string_view word) noexcept
{
    if (word.empty() || word.size() > 60 || word.find("=?") != std::string_view::npos) return false;
    for (const char c : word)
        if (!isAtext(static_cast<unsigned char>(c))) return false;
    return true;
}

/// A display name that is neither a short run of atoms nor a short quoted-string: atoms stay as they are
/// and each run of other words becomes encoded-words with its inner spaces encoded, so that the spaces
/// between the parts survive decoders that follow RFC 2047 6.2 (white space between adjacent
/// encoded-words is dropped) and those that keep it (Python's address parser).
void appendMixedChunks(Chunks& chunks, std::string_view name, bool (*isPlainWord)(std::string_view) noexcept,
    std::size_t maxEncodedWord = 64)
{
    std::vector<std::string_view> words;
    for (std::size_t start = 0; start < name.size();) {
        std::size_t end = name.find(' ', start);
        if (end == std::string_view::npos) end = name.size();
        if (end > start) words.push_back(name.substr(start, end - start));
        start = end + 1;
    }
    for (std::size_t i = 0; i < words.size();) {
        if (isPlainWord(words[i])) {
            chunks.push_back(" " + std::string(words[i++]));
            continue;
        }
        std::string run(words[i++]);
        while (i < words.size() && !isPlainWord(words[i]))
            run.append(" ").append(words[i++]);
        appendWordChunks(chunks, encodeWords(run, maxEncodedWord));
    }
}

/// A word of unstructured text that can go as it is.
bool isPlainWord(std::string_view word) noexcept
{
    return !word.empty() && word.size() <= 60 && word.find("=?") == std::string_view::npos
        && isPlainAscii(word);
}

/// An unstructured value (Subject, extra headers): plain words as they are, runs of other words as
/// encoded-words sized so that one fits on the line after "Name: ".
Chunks unstructuredChunks(std::string_view fieldName, std::string_view neutralised)
{
    Chunks chunks;
    const std::size_t room = kMaxHeaderLine - std::min<std::size_t>(fieldName.size() + 2, 54);
    appendMixedChunks(chunks, neutralised, isPlainWord, std::min<std::size_t>(room, 75));
    return chunks;
}

/// One mailbox as chunks: display name (atoms, a quoted-string or encoded-words) and "<addr>".
void appendMailboxChunks(Chunks& chunks, const Mailbox& mailbox)
{
    const std::string name = neutraliseHeaderText(mailbox.name, kMaxDisplayNameChars);
    if (name.empty()) {
        chunks.push_back(" " + mailbox.address);
        return;
    }
    bool atoms = true;
    for (const char c : name)
        if (c != ' ' && !isAtext(static_cast<unsigned char>(c))) atoms = false;
    if (atoms && fitsPlain(name, 60)) {
        appendWordChunks(chunks, name);
    } else if (fitsPlain(name, 60) && name.size() <= 60) {
        std::string q = " \"";
        for (const char c : name) {
            if (c == '"' || c == '\\') q.push_back('\\');
            q.push_back(c);
        }
        q.push_back('"');
        chunks.push_back(std::move(q));
    } else {
        appendMixedChunks(chunks, name, isAtomWord);
    }
    chunks.push_back(" <" + mailbox.address + ">");
}

Chunks addressListChunks(const std::vector<Mailbox>& list)
{
    Chunks chunks;
    for (std::size_t i = 0; i < list.size(); ++i) {
        appendMailboxChunks(chunks, list[i]);
        if (i + 1 < list.size()) chunks.back().push_back(',');
    }
    return chunks;
}

/// Writes "Name:" and the chunks, folding before a chunk that would take the line past 78 characters
/// (before the first one too when `foldFirst`: a long Message-ID goes on a line of its own).
void appendHeader(std::string& out, std::string_view name, const Chunks& chunks, bool foldFirst = false)
{
    out.append(name);
    out.push_back(':');
    std::size_t lineLength = name.size() + 1;
    bool lineHasValue = foldFirst;
    for (const std::string& chunk : chunks) {
        if (lineHasValue && lineLength + chunk.size() > kMaxHeaderLine) {
            out.append("\r\n");
            lineLength = 0;
        }
        out.append(chunk);
        lineLength += chunk.size();
        lineHasValue = true;
    }
    out.append("\r\n");
}

void appendHeader(std::string& out, std::string_view name, std::string_view simpleValue)
{
    appendHeader(out, name, Chunks {" " + std::string(simpleValue)});
}

/// Body text: valid UTF-8, CRLF line ends, C0 controls other than TAB (and DEL) shown as U+FFFD, ending
/// with a line end.
std::string normaliseBody(std::string_view body)
{
    const std::string valid = core::toValidUtf8(body);
    std::string out;
    out.reserve(valid.size() + valid.size() / 40 + 2);
    for (std::size_t i = 0; i < valid.size(); ++i) {
        const char c = valid[i];
        if (c == '\r') {
            out.append("\r\n");
            if (i + 1 < valid.size() && valid[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out.append("\r\n");
        } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
            out.append(kReplacementChar);
        } else {
            out.push_back(c);
        }
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out.append("\r\n");
    return out;
}

std::uint64_t randomWord()
{
    static thread_local std::mt19937_64 engine = [] {
        std::random_device device;
        std::seed_seq seed {device(), device(), device(), device(), device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    return engine();
}

std::string randomHex(std::size_t digits)
{
    std::string out;
    while (out.size() < digits) {
        std::uint64_t w = randomWord();
        for (int k = 0; k < 16 && out.size() < digits; ++k, w >>= 4)
            out.push_back("0123456789abcdef"[w & 15]);
    }
    return out;
}

bool isToken(std::string_view s) noexcept
{
    if (s.empty() || s.size() > 127) return false;
    for (const char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

bool isFieldName(std::string_view s) noexcept
{
    if (s.empty() || s.size() > 76) return false;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126 || c == ':') return false;
    }
    return true;
}

bool isReservedField(std::string_view name) noexcept
{
    static constexpr std::array<std::string_view, 13> kReserved {"from", "sender", "to", "cc", "bcc", "date",
        "subject", "message-id", "reply-to", "mime-version", "return-path", "received", "in-reply-to"};
    for (const std::string_view r : kReserved)
        if (equalsIgnoreCase(name, r)) return true;
    return name.size() >= 8 && equalsIgnoreCase(name.substr(0, 8), "content-");
}

bool isMessageId(std::string_view id) noexcept
{
    if (id.size() < 5 || id.size() > 250 || id.front() != '<' || id.back() != '>') return false;
    const std::string_view inner = id.substr(1, id.size() - 2);
    const std::size_t at = inner.find('@');
    if (at == std::string_view::npos || inner.find('@', at + 1) != std::string_view::npos) return false;
    return isDotAtomText(inner.substr(0, at)) && isDotAtomText(inner.substr(at + 1));
}

/// A base name that is safe in a Content-Disposition parameter.
std::string safeFileName(std::string_view raw)
{
    const std::size_t slash = raw.find_last_of("/\\");
    if (slash != std::string_view::npos) raw.remove_prefix(slash + 1);
    std::string name = neutraliseHeaderText(raw, 100);
    for (char& c : name)
        if (c == '"' || c == '\\' || c == '/' || c == ':' || c == '*' || c == '?' || c == '%' || c == '\'')
            c = '_';
    while (!name.empty() && name.front() == '.')
        name.erase(name.begin());
    if (name.empty()) name = "attachment";
    return name;
}

/// ' name="file"' when plain; otherwise RFC 2231 ' name*0*=UTF-8''%..;' continuations of <= 60 chars.
void appendFileNameParameter(Chunks& chunks, std::string_view param, std::string_view fileName)
{
    if (fitsPlain(fileName, 60) && fileName.size() <= 60) {
        chunks.back().push_back(';');
        chunks.push_back(" " + std::string(param) + "=\"" + std::string(fileName) + "\"");
        return;
    }
    std::string encoded;
    for (const char c : fileName) {
        const auto u = static_cast<unsigned char>(c);
        const bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || c == '.' || c == '-' || c == '_';
        if (plain) {
            encoded.push_back(c);
        } else {
            encoded.push_back('%');
            encoded.push_back(kHexUpper[u >> 4]);
            encoded.push_back(kHexUpper[u & 15]);
        }
    }
    std::size_t pos = 0;
    for (int index = 0; pos < encoded.size(); ++index) {
        std::size_t take = std::min<std::size_t>(48, encoded.size() - pos);
        // Never split a %XX triplet.
        if (pos + take < encoded.size()) {
            if (take >= 1 && encoded[pos + take - 1] == '%')
                take -= 1;
            else if (take >= 2 && encoded[pos + take - 2] == '%')
                take -= 2;
        }
        chunks.back().push_back(';');
        std::string chunk = " " + std::string(param) + "*" + std::to_string(index) + "*=";
        if (index == 0) chunk += "UTF-8''";
        chunk += encoded.substr(pos, take);
        chunks.push_back(std::move(chunk));
        pos += take;
    }
}

Result<void> checkMailbox(const Mailbox& mailbox, std::string_view what)
{
    return checkAddress(mailbox.address, what);
}

} // namespace

Result<void> checkAddress(std::string_view address, std::string_view what)
{
    auto bad = [&](std::string_view why) {
        return fail(ErrorKind::Usage,
            "The " + std::string(what) + " address " + shownValue(address)
                + " is not valid: " + std::string(why) + ".");
    };
    if (address.empty()) return fail(ErrorKind::Usage, "The " + std::string(what) + " address is empty.");
    if (address.size() > 254) return bad("it is longer than 254 characters");
    const std::size_t at = address.rfind('@');
    if (at == std::string_view::npos) return bad("it has no @");
    const std::string_view local = address.substr(0, at);
    const std::string_view domain = address.substr(at + 1);
    if (local.empty()) return bad("nothing comes before the @");
    if (local.size() > 64) return bad("the part before the @ is longer than 64 characters");
    if (!isDotAtomText(local))
        return bad(
            "the part before the @ may only hold letters, digits, single dots and !#$%&'*+-/=?^_`{|}~");
    if (!isHostname(domain))
        return bad("the part after the @ is not a host name (use the xn-- form for "
                   "international domain names)");
    return {};
}

Result<Mailbox> parseMailbox(std::string_view text, std::string_view what)
{
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
            s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
            s.remove_suffix(1);
        return s;
    };
    text = trim(text);
    Mailbox mailbox;
    if (!text.empty() && text.back() == '>') {
        const std::size_t open = text.rfind('<');
        if (open == std::string_view::npos)
            return fail(ErrorKind::Usage,
                "The " + std::string(what) + " mailbox " + shownValue(text) + " has a > but no <.");
        mailbox.address = std::string(text.substr(open + 1, text.size() - open - 2));
        std::string_view name = trim(text.substr(0, open));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            name = name.substr(1, name.size() - 2);
            for (std::size_t i = 0; i < name.size(); ++i) {
                if (name[i] == '\\' && i + 1 < name.size()) ++i;
                mailbox.name.push_back(name[i]);
            }
        } else {
            mailbox.name = std::string(name);
        }
    } else {
        mailbox.address = std::string(text);
    }
    if (auto ok = checkAddress(mailbox.address, what); !ok) return std::unexpected(ok.error());
    return mailbox;
}

std::string neutraliseHeaderText(std::string_view text, std::size_t maxChars)
{
    const std::string valid = core::toValidUtf8(text);
    std::string out;
    out.reserve(valid.size());
    std::size_t chars = 0;
    bool pendingSpace = false;
    bool cut = false;
    for (std::size_t i = 0; i < valid.size();) {
        const auto b = static_cast<unsigned char>(valid[i]);
        const std::size_t n = sequenceLength(b);
        bool space = b < 0x20 || b == 0x7F || b == ' ';
        if (n == 2 && b == 0xC2 && static_cast<unsigned char>(valid[i + 1]) <= 0x9F) space = true; // C1
        if (n == 3 && valid.compare(i, 3, "\xE2\x80\xA8") == 0) space = true; // LINE SEPARATOR
        if (n == 3 && valid.compare(i, 3, "\xE2\x80\xA9") == 0) space = true; // PARAGRAPH SEPARATOR
        if (space) {
            pendingSpace = !out.empty();
        } else {
            if (chars + (pendingSpace ? 1 : 0) + 1 > maxChars) {
                cut = true;
                break;
            }
            if (pendingSpace) {
                out.push_back(' ');
                ++chars;
                pendingSpace = false;
            }
            out.append(valid, i, n);
            ++chars;
        }
        i += n;
    }
    if (cut && maxChars >= 3) {
        // Drop whole characters until "..." fits.
        std::size_t dropped = 0;
        while (!out.empty() && chars - dropped + 3 > maxChars) {
            std::size_t k = out.size() - 1;
            while (k > 0 && (static_cast<unsigned char>(out[k]) & 0xC0) == 0x80)
                --k;
            out.erase(k);
            ++dropped;
        }
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        out.append("...");
    }
    return out;
}

std::string formatRfc5322Date(core::Micros time, int utcOffsetSeconds)
{
    static constexpr std::array<std::string_view, 7> kDays {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static constexpr std::array<std::string_view, 12> kMonths {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    // Offsets beyond +-23:59 cannot be written; whole minutes only.
    utcOffsetSeconds = std::clamp(utcOffsetSeconds, -86340, 86340) / 60 * 60;
    const core::Micros local = time + core::Micros(utcOffsetSeconds) * core::kMicrosPerSecond;
    const core::CivilTime c = core::civilFromMicros(local);
    const std::int64_t days = core::daysFromCivil(c.year, c.month, c.day);
    const std::string_view weekday = kDays[std::size_t(((days % 7) + 7) % 7)];
    const int minutes = utcOffsetSeconds / 60;
    const int absMinutes = minutes < 0 ? -minutes : minutes;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*s, %02u %.*s %04d %02u:%02u:%02u %c%02d%02d", int(weekday.size()),
        weekday.data(), c.day, 3, kMonths[c.month - 1].data(), c.year, c.hour, c.minute, c.second,
        minutes < 0 ? '-' : '+', absMinutes / 60, absMinutes % 60);
    return buf;
}

std::string makeMessageId(std::string_view domain)
{
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%llx", static_cast<unsigned long long>(now.count()));
    std::string id = "<";
    id += stamp;
    id += '.';
    id += randomHex(32);
    id += '@';
    for (const char c : domain)
        id.push_back(asciiLower(c));
    id += '>';
    return id;
}

std::string encodeWords(std::string_view utf8, std::size_t maxWordLength)
{
    static constexpr std::string_view kPrefix = "=?UTF-8?Q?";
    static constexpr std::string_view kSuffix = "?=";
    const std::size_t maxPayload = std::max<std::size_t>(maxWordLength, 24) - kPrefix.size() - kSuffix.size();
    const std::string valid = core::toValidUtf8(utf8);
    std::string out;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out.push_back(' ');
        out.append(kPrefix).append(word).append(kSuffix);
        word.clear();
    };
    for (std::size_t i = 0; i < valid.size();) {
        const std::size_t n = sequenceLength(static_cast<unsigned char>(valid[i]));
        std::string piece;
        for (std::size_t k = 0; k < n; ++k) {
            const auto c = static_cast<unsigned char>(valid[i + k]);
            const bool literal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
            if (literal) {
                piece.push_back(char(c));
            } else if (c == ' ') {
                piece.push_back('_');
            } else {
                piece.push_back('=');
                piece.push_back(kHexUpper[c >> 4]);
                piece.push_back(kHexUpper[c & 15]);
            }
        }
        if (word.size() + piece.size() > maxPayload) flush();
        word += piece;
        i += n;
    }
    flush();
    return out;
}

std::string encodeQuotedPrintable(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t lineStart = 0;
    while (lineStart < text.size()) {
        std::size_t lineEnd = text.find("\r\n", lineStart);
        const bool hardBreak = lineEnd != std::string_view::npos;
        if (!hardBreak) lineEnd = text.size();
        const std::string_view line = text.substr(lineStart, lineEnd - lineStart);
        std::size_t column = 0;
        char piece[4];
        for (std::size_t i = 0; i < line.size(); ++i) {
            const auto c = static_cast<unsigned char>(line[i]);
            const bool lastInLine = i + 1 == line.size();
            bool encode = c == '=' || c > 126 || (c < 32 && c != '\t');
            if ((c == ' ' || c == '\t') && lastInLine) encode = true;
            // A line that starts with "." or "From " (after a hard or a soft break) is encoded so that no
            // SMTP server, mbox file or tool ever reads it as anything but text.
            if (column == 0 && (c == '.' || (c == 'F' && line.substr(i, 5) == "From "))) encode = true;
            std::size_t pieceLength = 1;
            if (encode) {
                piece[0] = '=';
                piece[1] = kHexUpper[c >> 4];
                piece[2] = kHexUpper[c & 15];
                pieceLength = 3;
            } else {
                piece[0] = char(c);
            }
            // 76 characters per line: 75 plus the "=" of a soft break, or 76 for the line's last piece.
            const std::size_t limit = lastInLine ? 76 : 75;
            if (column + pieceLength > limit) {
                out.append("=\r\n");
                column = 0;
                if (!encode && (c == '.' || (c == 'F' && line.substr(i, 5) == "From "))) {
                    piece[0] = '=';
                    piece[1] = kHexUpper[c >> 4];
                    piece[2] = kHexUpper[c & 15];
                    pieceLength = 3;
                }
            }
            out.append(piece, pieceLength);
            column += pieceLength;
        }
        if (hardBreak) out.append("\r\n");
        lineStart = lineEnd + (hardBreak ? 2 : 0);
    }
    return out;
}

std::string encodeBase64Lines(std::string_view data)
{
    static constexpr std::string_view kAlphabet
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4 + data.size() / 57 * 2 + 2);
    std::size_t column = 0;
    auto put = [&](char c) {
        out.push_back(c);
        if (++column == 76) {
            out.append("\r\n");
            column = 0;
        }
    };
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const std::uint32_t v = std::uint32_t(static_cast<unsigned char>(data[i])) << 16
            | std::uint32_t(static_cast<unsigned char>(data[i + 1])) << 8
            | static_cast<unsigned char>(data[i + 2]);
        put(kAlphabet[(v >> 18) & 63]);
        put(kAlphabet[(v >> 12) & 63]);
        put(kAlphabet[(v >> 6) & 63]);
        put(kAlphabet[v & 63]);
    }
    if (i < data.size()) {
        std::uint32_t v = std::uint32_t(static_cast<unsigned char>(data[i])) << 16;
        if (i + 1 < data.size()) v |= std::uint32_t(static_cast<unsigned char>(data[i + 1])) << 8;
        put(kAlphabet[(v >> 18) & 63]);
        put(kAlphabet[(v >> 12) & 63]);
        put(i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=');
        put('=');
    }
    if (column != 0) out.append("\r\n");
    return out;
}

Result<ComposedMessage> composeMessage(const MailMessage& message)
{
    if (auto ok = checkMailbox(message.from, "From"); !ok) return std::unexpected(ok.error());
    if (message.to.empty()) return fail(ErrorKind::Usage, "The message has no To address.");
    if (message.to.size() + message.cc.size() + message.bcc.size() > kMaxRecipients)
        return fail(
            ErrorKind::Usage, "The message has more than " + std::to_string(kMaxRecipients) + " recipients.");
    for (const Mailbox& m : message.to)
        if (auto ok = checkMailbox(m, "To"); !ok) return std::unexpected(ok.error());
    for (const Mailbox& m : message.cc)
        if (auto ok = checkMailbox(m, "Cc"); !ok) return std::unexpected(ok.error());
    for (const std::string& a : message.bcc)
        if (auto ok = checkAddress(a, "Bcc"); !ok) return std::unexpected(ok.error());
    if (message.replyTo)
        if (auto ok = checkMailbox(*message.replyTo, "Reply-To"); !ok) return std::unexpected(ok.error());
    for (const auto& [name, value] : message.extraHeaders) {
        if (!isFieldName(name))
            return fail(
                ErrorKind::Usage, "The header name " + shownValue(name) + " is not a valid field name.");
        if (isReservedField(name))
            return fail(ErrorKind::Usage,
                "The header " + shownValue(name)
                    + " is written by tattle itself; set the "
                      "message field instead.");
    }
    for (const Attachment& a : message.attachments) {
        const std::size_t slash = a.mediaType.find('/');
        if (slash == std::string::npos || !isToken(std::string_view(a.mediaType).substr(0, slash))
            || !isToken(std::string_view(a.mediaType).substr(slash + 1)))
            return fail(ErrorKind::Usage,
                "The attachment media type " + shownValue(a.mediaType) + " is not type/subtype.");
        if (!a.charset.empty() && !isToken(a.charset))
            return fail(
                ErrorKind::Usage, "The attachment charset " + shownValue(a.charset) + " is not valid.");
    }

    ComposedMessage composed;
    const std::string_view fromDomain
        = std::string_view(message.from.address).substr(message.from.address.rfind('@') + 1);
    if (message.messageId.empty()) {
        composed.messageId = makeMessageId(fromDomain);
    } else if (isMessageId(message.messageId)) {
        composed.messageId = message.messageId;
    } else {
        return fail(
            ErrorKind::Usage, "The Message-ID " + shownValue(message.messageId) + " is not <id@domain>.");
    }

    composed.envelope.mailFrom = message.from.address;
    auto addRecipient = [&](const std::string& address) {
        for (const std::string& r : composed.envelope.recipients)
            if (equalsIgnoreCase(r, address)) return;
        composed.envelope.recipients.push_back(address);
    };
    for (const Mailbox& m : message.to)
        addRecipient(m.address);
    for (const Mailbox& m : message.cc)
        addRecipient(m.address);
    for (const std::string& a : message.bcc)
        addRecipient(a);

    std::string& out = composed.bytes;
    appendHeader(out, "Date", formatRfc5322Date(message.date, message.utcOffsetSeconds));
    appendHeader(out, "From", addressListChunks({message.from}));
    appendHeader(out, "To", addressListChunks(message.to));
    if (!message.cc.empty()) appendHeader(out, "Cc", addressListChunks(message.cc));
    if (message.replyTo) appendHeader(out, "Reply-To", addressListChunks({*message.replyTo}));
    appendHeader(out, "Subject",
        unstructuredChunks("Subject", neutraliseHeaderText(message.subject, kMaxSubjectChars)));
    appendHeader(out, "Message-ID", Chunks {" " + composed.messageId}, true);
    for (const auto& [name, value] : message.extraHeaders)
        appendHeader(out, name, unstructuredChunks(name, neutraliseHeaderText(value, kMaxSubjectChars)));
    appendHeader(out, "MIME-Version", "1.0");

    const std::string body = normaliseBody(message.body);
    std::size_t nonAscii = 0;
    for (const char c : body)
        if (static_cast<unsigned char>(c) >= 0x80) ++nonAscii;
    // Quoted-printable keeps mostly-ASCII text readable; base64 is shorter when most bytes are not ASCII
    // (QP triples each of them).
    const bool base64Body = nonAscii * 3 > body.size();
    const std::string encodedBody = base64Body ? encodeBase64Lines(body) : encodeQuotedPrintable(body);
    const std::string_view bodyEncoding = base64Body ? "base64" : "quoted-printable";

    if (message.attachments.empty()) {
        appendHeader(out, "Content-Type", "text/plain; charset=UTF-8");
        appendHeader(out, "Content-Transfer-Encoding", bodyEncoding);
        out.append("\r\n");
        out.append(encodedBody);
        return composed;
    }

    std::vector<std::string> encodedAttachments;
    encodedAttachments.reserve(message.attachments.size());
    for (const Attachment& a : message.attachments)
        encodedAttachments.push_back(encodeBase64Lines(a.data));

    // "=_" never occurs in quoted-printable or base64 output, so no part can contain the boundary; the
    // check below makes that certain rather than likely.
    std::string boundary;
    for (;;) {
        boundary = "=_tattle_" + randomHex(24);
        bool clash = encodedBody.find(boundary) != std::string::npos;
        for (const std::string& e : encodedAttachments)
            clash = clash || e.find(boundary) != std::string::npos;
        if (!clash) break;
    }

    appendHeader(out, "Content-Type", Chunks {" multipart/mixed;", " boundary=\"" + boundary + "\""});
    out.append("\r\nThis is a multi-part message in MIME format.\r\n");
    out.append("\r\n--").append(boundary).append("\r\n");
    appendHeader(out, "Content-Type", "text/plain; charset=UTF-8");
    appendHeader(out, "Content-Transfer-Encoding", bodyEncoding);
    out.append("\r\n").append(encodedBody);
    for (std::size_t i = 0; i < message.attachments.size(); ++i) {
        const Attachment& a = message.attachments[i];
        const std::string fileName = safeFileName(a.fileName);
        out.append("\r\n--").append(boundary).append("\r\n");
        Chunks type {" " + a.mediaType};
        if (!a.charset.empty()) {
            type.back().push_back(';');
            type.push_back(" charset=" + a.charset);
        }
        if (fitsPlain(fileName, 60) && fileName.size() <= 60) appendFileNameParameter(type, "name", fileName);
        appendHeader(out, "Content-Type", type);
        appendHeader(out, "Content-Transfer-Encoding", "base64");
        Chunks disposition {" attachment"};
        appendFileNameParameter(disposition, "filename", fileName);
        appendHeader(out, "Content-Disposition", disposition);
        out.append("\r\n").append(encodedAttachments[i]);
    }
    out.append("\r\n--").append(boundary).append("--\r\n");
    return composed;
}

Result<void> saveEml(const std::filesystem::path& path, std::string_view bytes)
{
    const std::string target = path.string();
    std::string temp = target + ".tmp-" + randomHex(8);
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return fail(ErrorKind::Io, "Cannot create " + temp + ": " + std::strerror(errno) + ".");
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            return fail(ErrorKind::Io, "Cannot write " + temp + ": " + std::strerror(err) + ".");
        }
        written += std::size_t(n);
    }
    const bool synced = ::fsync(fd) == 0;
    const int syncError = errno;
    if (::close(fd) != 0 || !synced) {
        const int err = synced ? errno : syncError;
        ::unlink(temp.c_str());
        return fail(ErrorKind::Io, "Cannot write " + temp + ": " + std::strerror(err) + ".");
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return fail(ErrorKind::Io, "Cannot save " + target + ": " + std::strerror(err) + ".");
    }
    return {};
}

} // namespace tattle::reports
