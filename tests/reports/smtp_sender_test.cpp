// SPDX-License-Identifier: GPL-3.0-or-later
// SMTP against a real server on loopback: tests/reports/smtp_server.py (Debian's python3-aiosmtpd),
// started per test on a free port of 127.0.0.1, with and without STARTTLS, implicit TLS and AUTH. The
// certificate is a throwaway self-signed one made with the openssl command.
#include "core/event.h"
#include "mime_support.h"
#include "reports/complaint.h"
#include "reports/smtp_sender.h"
#include "reports/xarf.h"
#include "subprocess.h"
#include "test_support.h"

#include <arpa/inet.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace tattle::reports {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Certificate {
    fs::path cert, key;
    std::string error;
};

/// A self-signed certificate for 127.0.0.1, made once per run.
const Certificate& testCertificate()
{
    static const Certificate certificate = [] {
        Certificate c;
        const fs::path dir = test::scratchDir();
        c.cert = dir / "cert.pem";
        c.key = dir / "key.pem";
        const test::RunResult run = test::runProgram(
            {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", c.key.string(), "-out", c.cert.string(), "-days", "2", "-subj",
                "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
            60s);
        if (run.exitCode != 0) c.error = "openssl failed: " + run.err;
        return c;
    }();
    return certificate;
}

/// The loopback SMTP server of one test; killed when the test ends, whatever happens.
class SmtpServer {
public:
    enum class Tls { None, StartTls, Implicit };

    bool start(Tls tls, const std::string& auth = {})
    {
        m_dir = test::scratchDir();
        std::vector<std::string> argv {test::kSystemPython,
            (test::reportsScriptsDir() / "smtp_server.py").string(), "--dir", m_dir.string(), "--lifetime",
            "90"};
        if (tls != Tls::None) {
            const Certificate& c = testCertificate();
            if (!c.error.empty()) {
                ADD_FAILURE() << c.error;
                return false;
            }
            argv.insert(argv.end(),
                {"--tls", tls == Tls::StartTls ? "starttls" : "implicit", "--cert", c.cert.string(), "--key",
                    c.key.string()});
        }
        if (!auth.empty()) argv.insert(argv.end(), {"--auth", auth});
        if (!m_child.start(argv)) {
            ADD_FAILURE() << "cannot start " << argv[1];
            return false;
        }
        std::string line;
        if (!m_child.readLine(line, 30s) || !line.starts_with("READY ")) {
            m_child.stop();
            ADD_FAILURE() << "the SMTP server did not start: " << line << " " << m_child.errors();
            return false;
        }
        m_port = std::stoi(line.substr(6));
        return true;
    }

    int port() const { return m_port; }
    std::string url(std::string_view scheme = "smtp") const
    {
        return std::string(scheme) + "://127.0.0.1:" + std::to_string(m_port);
    }

    /// The n-th message received (1-based) and its envelope; waits up to 10 s for it.
    bool received(int n, std::string& bytes, nlohmann::json& meta) const
    {
        const fs::path json = m_dir / (std::to_string(n) + ".json");
        for (int i = 0; i < 1000 && !fs::exists(json); ++i)
            std::this_thread::sleep_for(10ms);
        if (!fs::exists(json)) return false;
        bytes = test::readFile(m_dir / (std::to_string(n) + ".eml"));
        meta = nlohmann::json::parse(test::readFile(json));
        return true;
    }
    std::size_t messageCount() const
    {
        std::size_t n = 0;
        for (const auto& entry : fs::directory_iterator(m_dir))
            n += entry.path().extension() == ".json";
        return n;
    }

private:
    test::ChildProcess m_child;
    fs::path m_dir;
    int m_port = 0;
};

// 2024-03-05T11:34:56Z
constexpr core::Micros kMarch5 = 1709638496LL * core::kMicrosPerSecond;

ComposedMessage sampleMessage(std::vector<Mailbox> to = {{"Abuse Desk", "abuse@example.net"}})
{
    MailMessage m;
    m.from = {"Jörg Reporter", "reporter@example.org"};
    m.to = std::move(to);
    m.cc = {{"", "noc@example.net"}};
    m.bcc = {"copy@example.org"};
    m.subject = "Port scans from 203.0.113.7 – Grüße";
    m.date = kMarch5;
    m.body = "Hello,\n\n.\n.a line with a leading dot\nFrom the logs:\n"
             "Mar  5 12:34:56 gw kernel: DROP IN=eth0 SRC=203.0.113.7 DST=198.51.100.2 PROTO=TCP DPT=445\n";
    m.attachments = {{"xarf-203.0.113.7.json", "application/json", "utf-8", R"({"xarf_version":"4.2.0"})"}};
    auto composed = composeMessage(m);
    EXPECT_TRUE(composed.has_value()) << (composed ? "" : composed.error().message);
    return composed ? *composed : ComposedMessage {};
}

SmtpOptions options(const std::string& url)
{
    SmtpOptions o;
    o.url = url;
    o.connectTimeout = 10s;
    o.totalTimeout = 30s;
    return o;
}

/// What every accepted message must satisfy: the same bytes, the envelope, and valid MIME.
void expectDelivered(const SmtpServer& server, int n, const ComposedMessage& sent, nlohmann::json& meta)
{
    std::string bytes;
    ASSERT_TRUE(server.received(n, bytes, meta)) << "the server got no message " << n;
    EXPECT_EQ(bytes, sent.bytes) << "the server received other bytes than were composed";
    EXPECT_EQ(meta["mail_from"], sent.envelope.mailFrom);
    EXPECT_EQ(meta["rcpt_tos"], nlohmann::json(sent.envelope.recipients));
    const nlohmann::json parsed = test::parseWithPython(bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
    EXPECT_EQ(parsed["message_id"], sent.messageId);
    EXPECT_EQ(parsed["parts"].size(), 2u);
}

std::string transcriptText(const SmtpReceipt& receipt)
{
    std::string all;
    for (const std::string& line : receipt.transcript)
        all += line + "\n";
    return all;
}

TEST(SmtpSender, ClearTextOnLoopbackWithoutAuth)
{
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::None));
    SmtpOptions o = options(server.url());
    o.requireTls = false;
    const ComposedMessage message = sampleMessage();
    const auto receipt = SmtpSender(o).send(message);
    ASSERT_TRUE(receipt.has_value()) << receipt.error().message;
    EXPECT_NE(receipt->reply.find("250 2.0.0 Ok: queued as TEST1"), std::string::npos) << receipt->reply;
    nlohmann::json meta;
    expectDelivered(server, 1, message, meta);
    EXPECT_EQ(meta["tls"], false);
    EXPECT_EQ(meta["authenticated"], false);
    EXPECT_EQ(meta["rcpt_tos"], nlohmann::json({"abuse@example.net", "noc@example.net", "copy@example.org"}));
}

TEST(SmtpSender, ClearTextWithAuthOnLoopback)
{
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::None, "reporter:s3cret"));
    SmtpOptions o = options(server.url());
    o.requireTls = false;
    o.user = "reporter";
    o.password = "s3cret";
    const ComposedMessage message = sampleMessage();
    const auto receipt = SmtpSender(o).send(message);
    ASSERT_TRUE(receipt.has_value()) << receipt.error().message;
    nlohmann::json meta;
    expectDelivered(server, 1, message, meta);
    EXPECT_EQ(meta["authenticated"], true);
    EXPECT_EQ(meta["login"], "reporter");
}

TEST(SmtpSender, StartTlsWithAuthAndAVerifiedCertificate)
{
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::StartTls, "reporter:s3cret"));
    SmtpOptions o
        = options("smtp://reporter@127.0.0.1:" + std::to_string(server.port()) + "/client.example.org");
    o.password = "s3cret";
    o.caFile = testCertificate().cert.string();
    const ComposedMessage message = sampleMessage();
    const auto receipt = SmtpSender(o).send(message);
    ASSERT_TRUE(receipt.has_value()) << receipt.error().message;
    nlohmann::json meta;
    expectDelivered(server, 1, message, meta);
    EXPECT_EQ(meta["tls"], true);
    EXPECT_EQ(meta["authenticated"], true);
    EXPECT_EQ(meta["login"], "reporter");
    EXPECT_EQ(meta["ehlo"], "client.example.org");
    const std::string transcript = transcriptText(*receipt);
    EXPECT_NE(transcript.find("C: STARTTLS"), std::string::npos) << transcript;
    EXPECT_NE(transcript.find("C: AUTH "), std::string::npos) << transcript;
    EXPECT_NE(transcript.find("C: RCPT TO:<copy@example.org>"), std::string::npos) << transcript;
    // The password is never in the transcript, in clear or in base64 (AUTH PLAIN "\0reporter\0s3cret").
    EXPECT_EQ(transcript.find("s3cret"), std::string::npos);
    EXPECT_EQ(transcript.find("AHJlcG9ydGVyAHMzY3JldA"), std::string::npos) << transcript;
    EXPECT_EQ(transcript.find("czNjcmV0"), std::string::npos) << transcript;
}

TEST(SmtpSender, ImplicitTlsWithAuth)
{
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::Implicit, "reporter:s3cret"));
    SmtpOptions o = options(server.url("smtps"));
    o.user = "reporter";
    o.password = "s3cret";
    o.insecureSkipVerify = true;
    const ComposedMessage message = sampleMessage();
    const auto receipt = SmtpSender(o).send(message);
    ASSERT_TRUE(receipt.has_value()) << receipt.error().message;
    nlohmann::json meta;
    expectDelivered(server, 1, message, meta);
    EXPECT_EQ(meta["tls"], true);
    EXPECT_EQ(meta["authenticated"], true);
}

TEST(SmtpSender, WrongPasswordIsAConfigErrorWithTheServersReply)
{
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::StartTls, "reporter:s3cret"));
    SmtpOptions o = options(server.url());
    o.user = "reporter";
    o.password = "wrong";
    o.caFile = testCertificate().cert.string();
    const auto result = SmtpSender(o).send(sampleMessage());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::Config) << result.error().message;
    EXPECT_NE(result.error().message.find("refused the login as \"reporter\""), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find("535"), std::string::npos) << result.error().message;
    EXPECT_EQ(result.error().message.find("wrong"), std::string::npos);
    EXPECT_EQ(server.messageCount(), 0u);
}

TEST(SmtpSender, MissingLoginIsRefusedAtMailFrom)
{
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::StartTls, "reporter:s3cret"));
    SmtpOptions o = options(server.url());
    o.caFile = testCertificate().cert.string();
    const auto result = SmtpSender(o).send(sampleMessage());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(
        result.error().message.find("refused the sender <reporter@example.org>: 530"), std::string::npos)
        << result.error().message;
}

TEST(SmtpSender, RejectedRecipientIsNamedWithTheReply)
{
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::None));
    SmtpOptions o = options(server.url());
    o.requireTls = false;
    const auto result
        = SmtpSender(o).send(sampleMessage({{"", "abuse@example.net"}, {"", "reject-me@example.net"}}));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(result.error().message.find("refused the recipient <reject-me@example.net>: 550 5.1.1"),
        std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find("User unknown"), std::string::npos) << result.error().message;
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(server.messageCount(), 0u) << "a message went out although a recipient was refused";
}

TEST(SmtpSender, NoStartTlsOfferedMeansNothingIsSent)
{
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::None));
    SmtpOptions o = options(server.url());
    o.user = "reporter";
    o.password = "s3cret";
    const auto result = SmtpSender(o).send(sampleMessage());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(result.error().message.find("does not offer STARTTLS"), std::string::npos)
        << result.error().message;
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(server.messageCount(), 0u);
}

TEST(SmtpSender, UntrustedCertificateFailsTheTlsHandshake)
{
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::StartTls));
    const auto result = SmtpSender(options(server.url())).send(sampleMessage());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::Io);
    EXPECT_NE(result.error().message.find("TLS with the SMTP server 127.0.0.1:"), std::string::npos)
        << result.error().message;
    EXPECT_EQ(server.messageCount(), 0u);

    SmtpServer implicit;
    ASSERT_TRUE(implicit.start(SmtpServer::Tls::Implicit));
    const auto again = SmtpSender(options(implicit.url("smtps"))).send(sampleMessage());
    ASSERT_FALSE(again.has_value());
    EXPECT_NE(again.error().message.find("TLS with the SMTP server"), std::string::npos)
        << again.error().message;
}

/// A loopback port with nothing listening (bound, then closed).
int closedPort()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

TEST(SmtpSender, ConnectionRefused)
{
    const auto result
        = SmtpSender(options("smtp://127.0.0.1:" + std::to_string(closedPort()))).send(sampleMessage());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::Io);
    EXPECT_NE(result.error().message.find("Cannot connect to the SMTP server 127.0.0.1:"), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find("refused"), std::string::npos) << result.error().message;
}

TEST(SmtpSender, SilentServerTimesOut)
{
    // Listens (the kernel completes the handshake) but never says a word.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(listen(fd, 4), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    SmtpOptions o = options("smtp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
    o.totalTimeout = 1500ms;
    const auto started = std::chrono::steady_clock::now();
    const auto result = SmtpSender(o).send(sampleMessage());
    const auto took = std::chrono::steady_clock::now() - started;
    close(fd);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::Timeout) << result.error().message;
    EXPECT_LT(took, 10s);
}

TEST(SmtpSender, EndlessRepliesAreBoundedInTimeAndMemory)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(listen(fd, 4), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    // accept() gives up after 5 s, so the test never hangs if the client does not connect.
    timeval wait {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    // A greeting that never ends: 220- continuation lines for as long as the client reads (at most 3 s).
    std::thread hostile([fd] {
        const int client = accept(fd, nullptr, nullptr);
        if (client < 0) return;
        const std::string line = "220-" + std::string(2000, 'x') + "\x01\r\n";
        const auto end = std::chrono::steady_clock::now() + 3s;
        while (std::chrono::steady_clock::now() < end)
            if (send(client, line.data(), line.size(), MSG_NOSIGNAL) <= 0) break;
        close(client);
    });
    SmtpOptions o = options("smtp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
    o.totalTimeout = 1500ms;
    const auto result = SmtpSender(o).send(sampleMessage());
    hostile.join();
    close(fd);
    ASSERT_FALSE(result.has_value());
    EXPECT_LT(result.error().message.size(), 40'000u);
    EXPECT_EQ(result.error().message.find('\x01'), std::string::npos);
}

TEST(SmtpSender, ARenderedComplaintWithXarfGoesOutAsComposed)
{
    // The whole message layer: template -> text, XARF v4 attachment, MIME, SMTP with STARTTLS and AUTH.
    ReportedSource source;
    source.address = *core::IpAddress::parse("203.0.113.7");
    source.network = "203.0.113.0/24";
    source.asn = "AS64496";
    source.firstSeen = kMarch5;
    source.lastSeen = kMarch5 + 60 * core::kMicrosPerSecond;
    source.eventCount = 3;
    source.evidence = "repeated TCP connection attempts";
    ProbeGroup smb;
    smb.proto = core::proto::kTcp;
    smb.dstPort = 445;
    smb.service = "SMB / Microsoft-DS (TCP 445)";
    smb.meaning = "Windows file sharing.";
    smb.count = 3;
    smb.firstSeen = source.firstSeen;
    smb.lastSeen = source.lastSeen;
    smb.sourcePorts = {49152};
    smb.distinctSourcePorts = 1;
    source.probes = {smb};
    source.logLines = {".leading dot", "From the firewall: DROP SRC=203.0.113.7 DPT=445 Grüße"};
    source.totalLogLines = 3;
    Complaint complaint;
    complaint.contactEmail = "abuse@example.net";
    complaint.reporter = {"Jörg Reporter", "reporter@example.org", "", "UTC", ""};
    complaint.sources = {source};
    complaint.createdAt = kMarch5;

    setenv("TATTLE_RESOURCES_DIR", TATTLE_RESOURCES_DIR, 1);
    const auto path = findTemplate(kDefaultComplaintTemplate);
    ASSERT_TRUE(path.has_value()) << path.error().message;
    const auto tmpl = Template::load(*path);
    ASSERT_TRUE(tmpl.has_value()) << tmpl.error().message;
    const auto rendered = renderComplaint(*tmpl, complaint);
    ASSERT_TRUE(rendered.has_value()) << rendered.error().message;
    XarfOptions xo;
    xo.reporter = {"Jörg Reporter", "reporter@example.org", ""};
    const auto xarf = xarfV4Attachment(source, XarfType::PortScan, xo);
    ASSERT_TRUE(xarf.has_value()) << xarf.error().message;

    MailMessage m;
    m.from = {complaint.reporter.name, complaint.reporter.email};
    m.to = {{"", complaint.contactEmail}};
    m.subject = rendered->subject;
    m.date = complaint.createdAt;
    m.body = rendered->body;
    m.attachments = {*xarf};
    const auto composed = composeMessage(m);
    ASSERT_TRUE(composed.has_value()) << composed.error().message;
    test::expectWellFormedLines(composed->bytes);

    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::StartTls, "reporter:s3cret"));
    SmtpOptions o = options(server.url());
    o.user = "reporter";
    o.password = "s3cret";
    o.caFile = testCertificate().cert.string();
    const auto receipt = SmtpSender(o).send(*composed);
    ASSERT_TRUE(receipt.has_value()) << receipt.error().message;
    nlohmann::json meta;
    expectDelivered(server, 1, *composed, meta);
    std::string bytes;
    ASSERT_TRUE(server.received(1, bytes, meta));
    const nlohmann::json parsed = test::parseWithPython(bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_EQ(parsed["subject"], "Unsolicited connection attempts from 203.0.113.7 (AS64496), 2024-03-05");
    EXPECT_EQ(parsed["parts"][0]["text"], rendered->body);
    EXPECT_EQ(parsed["parts"][1]["content_type"], "application/json");
    EXPECT_EQ(parsed["parts"][1]["filename"], "xarf-203.0.113.7.json");
}

TEST(SmtpSender, LeadingDotsAndLoneDotsArriveIntact)
{
    // Bytes that were not made by the composer: libcurl must dot-stuff them, the server unstuff them.
    ComposedMessage raw;
    raw.messageId = "<raw.1@example.org>";
    raw.envelope = {"reporter@example.org", {"abuse@example.net"}};
    raw.bytes = "From: reporter@example.org\r\nTo: abuse@example.net\r\nSubject: dots\r\n"
                "Message-ID: <raw.1@example.org>\r\n\r\n.\r\n..\r\n.leading\r\nmiddle.\r\n.\r\nend\r\n";
    SmtpServer server;
    ASSERT_TRUE(server.start(SmtpServer::Tls::None));
    SmtpOptions o = options(server.url());
    o.requireTls = false;
    const auto receipt = SmtpSender(o).send(raw);
    ASSERT_TRUE(receipt.has_value()) << receipt.error().message;
    std::string bytes;
    nlohmann::json meta;
    ASSERT_TRUE(server.received(1, bytes, meta));
    EXPECT_EQ(bytes, raw.bytes);
}

TEST(SmtpSender, ClearTextToARemoteHostIsRefusedBeforeConnecting)
{
    SmtpOptions o = options("smtp://mail.example.net");
    o.requireTls = false;
    const auto result = SmtpSender(o).send(sampleMessage());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::Usage);
    EXPECT_NE(result.error().message.find("only allowed to a server on this machine"), std::string::npos);
    EXPECT_FALSE(SmtpSender(o).dryRun(sampleMessage()).has_value());
}

TEST(SmtpSender, DryRunShowsExactlyWhatWouldGo)
{
    SmtpOptions o = options("smtp://reporter%40example.org@mail.example.net");
    o.password = "s3cret";
    const ComposedMessage message = sampleMessage();
    const auto text = SmtpSender(o).dryRun(message);
    ASSERT_TRUE(text.has_value()) << text.error().message;
    const std::string expectedHead
        = "# Dry run: nothing was sent.\r\n"
          "# Server: smtp://mail.example.net:587/ (STARTTLS required, TLS 1.2 or later, "
          "certificate verified)\r\n"
          "# Login: AUTH as \"reporter@example.org\"\r\n"
          "MAIL FROM:<reporter@example.org>\r\n"
          "RCPT TO:<abuse@example.net>\r\n"
          "RCPT TO:<noc@example.net>\r\n"
          "RCPT TO:<copy@example.org>\r\n"
          "DATA\r\n";
    EXPECT_EQ(*text, expectedHead + message.bytes + ".\r\n");
    EXPECT_EQ(text->find("s3cret"), std::string::npos);
    o.url = "smtps://mail.example.net:2465";
    o.user.clear();
    const auto implicit = SmtpSender(o).dryRun(message);
    ASSERT_TRUE(implicit.has_value());
    EXPECT_NE(implicit->find("# Server: smtps://mail.example.net:2465/ (TLS from the first byte (smtps)"),
        std::string::npos)
        << *implicit;
    EXPECT_NE(implicit->find("# Login: none\r\n"), std::string::npos);
}

TEST(SmtpSender, UrlParsing)
{
    struct Good {
        std::string url;
        bool tls;
        std::string host;
        int port;
        std::string user, ehlo;
    };
    for (const Good& g : std::vector<Good> {
             {"smtp://mail.example.net", false, "mail.example.net", 587, "", ""},
             {"SMTP://mail.example.net:25/", false, "mail.example.net", 25, "", ""},
             {"smtps://mail.example.net", true, "mail.example.net", 465, "", ""},
             {"smtps://me%40example.org@mail.example.net:4650/host.example.org", true, "mail.example.net",
                 4650, "me@example.org", "host.example.org"},
             {"smtp://[2001:db8::25]:587", false, "[2001:db8::25]", 587, "", ""},
             {"smtp://bob@127.0.0.1", false, "127.0.0.1", 587, "bob", ""},
         }) {
        const auto e = parseSmtpUrl(g.url);
        ASSERT_TRUE(e.has_value()) << g.url << ": " << e.error().message;
        EXPECT_EQ(e->implicitTls, g.tls) << g.url;
        EXPECT_EQ(e->host, g.host) << g.url;
        EXPECT_EQ(e->port, g.port) << g.url;
        EXPECT_EQ(e->user, g.user) << g.url;
        EXPECT_EQ(e->ehloName, g.ehlo) << g.url;
    }
    for (const std::string bad : {"", "mail.example.net", "http://mail.example.net", "smtp://", "smtp://:25",
             "smtp://bob:secret@mail.example.net", "smtp://mail.example.net:0",
             "smtp://mail.example.net:65536", "smtp://mail.example.net:x",
             "smtp://mail.example.net:", "smtp://mail.example.net?x=1", "smtp://mail.example.net#f",
             "smtp://mail example.net", "smtp://mail.example.net\r\nRCPT TO:<x>",
             "smtp://b%0Dob@mail.example.net", "smtp://b%zzob@mail.example.net", "smtp://[2001:db8::25",
             "smtp://mail.example.net/a/b", "smtp://mail_x.example.net"}) {
        const auto e = parseSmtpUrl(bad);
        EXPECT_FALSE(e.has_value()) << bad;
        if (!e) {
            EXPECT_EQ(e.error().kind, ErrorKind::Usage);
            EXPECT_EQ(e.error().message.find_first_of("\r\n"), std::string::npos);
        }
    }
    const auto withPassword = parseSmtpUrl("smtp://bob:secret@mail.example.net");
    ASSERT_FALSE(withPassword.has_value());
    EXPECT_NE(withPassword.error().message.find("TATTLE_SMTP_PASSWORD"), std::string::npos);
    EXPECT_TRUE(parseSmtpUrl("smtp://127.0.0.1")->loopback());
    EXPECT_TRUE(parseSmtpUrl("smtp://localhost")->loopback());
    EXPECT_TRUE(parseSmtpUrl("smtp://[::1]")->loopback());
    EXPECT_FALSE(parseSmtpUrl("smtp://127.0.0.1.example.net")->loopback());
    EXPECT_FALSE(parseSmtpUrl("smtp://128.0.0.1")->loopback());
}

TEST(SmtpSender, PasswordFromTheEnvironment)
{
    unsetenv(kSmtpPasswordVariable);
    EXPECT_FALSE(smtpPasswordFromEnvironment().has_value());
    setenv(kSmtpPasswordVariable, "", 1);
    EXPECT_FALSE(smtpPasswordFromEnvironment().has_value());
    setenv(kSmtpPasswordVariable, "pa ss", 1);
    EXPECT_EQ(smtpPasswordFromEnvironment(), "pa ss");
    unsetenv(kSmtpPasswordVariable);
}

} // namespace
} // namespace tattle::reports
