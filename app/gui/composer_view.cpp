// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/composer_view.h"

#include "app/gui/password_store.h"
#include "core/text_util.h"
#include "reports/complaint_message.h"
#include "reports/mailto.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDateTime>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTimeZone>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace tattle::app {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QString timeText(core::Micros t)
{
    return QDateTime::fromMSecsSinceEpoch(t / 1000, QTimeZone::utc())
        .toLocalTime()
        .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QPushButton* button(const QString& text, const QString& accessible, QWidget* parent)
{
    auto* b = new QPushButton(text, parent);
    b->setAccessibleName(accessible);
    return b;
}

} // namespace

ComposerView::ComposerView(JobCounter* jobs, std::function<core::Settings()> settings, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_settings(std::move(settings))
    , m_queue(new QTreeWidget(this))
    , m_skipped(new QTreeWidget(this))
    , m_history(new QTreeWidget(this))
    , m_allGrades(new QCheckBox(tr("Include &weak evidence"), this))
    , m_to(new QLineEdit(this))
    , m_subject(new QLineEdit(this))
    , m_body(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
{
    m_queue->setHeaderLabels({tr("Abuse contact"), tr("Events"), tr("Sources"), tr("State")});
    m_queue->setAccessibleName(tr("Complaints to review"));
    m_queue->setRootIsDecorated(false);
    m_queue->header()->resizeSection(0, 220);
    m_skipped->setHeaderLabels({tr("Source"), tr("Contact"), tr("Events"), tr("Why not")});
    m_skipped->setAccessibleName(tr("Sources left out"));
    m_skipped->setRootIsDecorated(false);
    m_history->setHeaderLabels(
        {tr("Abuse contact"), tr("Complaints"), tr("Events"), tr("First"), tr("Last")});
    m_history->setAccessibleName(tr("Complaint history per contact"));
    m_history->setRootIsDecorated(false);
    m_allGrades->setAccessibleName(tr("Include sources with weak evidence"));
    m_to->setAccessibleName(tr("To"));
    m_subject->setAccessibleName(tr("Subject"));
    m_body->setAccessibleName(tr("Message body"));
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_status->setAccessibleName(tr("Composer status"));
    m_status->setWordWrap(true);

    auto* replan = button(tr("Re-&plan"), tr("Plan the complaints again"), this);
    m_send = button(tr("&Send"), tr("Send through the SMTP server"), this);
    m_mail = button(tr("&Open in mail client"), tr("Open in the mail client"), this);
    m_eml = button(tr("Save .&eml..."), tr("Save as an .eml file"), this);
    m_copy = button(tr("&Copy"), tr("Copy the message to the clipboard"), this);
    m_skip = button(tr("S&kip"), tr("Skip to the next complaint"), this);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Review queue (tick several to act on all):"), left));
    leftLayout->addWidget(m_queue, 1);
    auto* planRow = new QHBoxLayout;
    planRow->addWidget(m_allGrades);
    planRow->addWidget(replan);
    leftLayout->addLayout(planRow);

    auto* message = new QWidget(this);
    auto* form = new QFormLayout;
    form->addRow(tr("&To:"), m_to);
    form->addRow(tr("Su&bject:"), m_subject);
    auto* actions = new QHBoxLayout;
    for (auto* b : {m_send, m_mail, m_eml, m_copy, m_skip})
        actions->addWidget(b);
    auto* messageLayout = new QVBoxLayout(message);
    messageLayout->setContentsMargins(0, 0, 0, 0);
    messageLayout->addLayout(form);
    messageLayout->addWidget(m_body, 1);
    messageLayout->addLayout(actions);

    auto* tabs = new QTabWidget(this);
    tabs->addTab(message, tr("&Message"));
    tabs->addTab(m_skipped, tr("Left &out"));
    tabs->addTab(m_history, tr("&History"));
    tabs->setAccessibleName(tr("Complaint"));

    auto* split = new QSplitter(this);
    split->addWidget(left);
    split->addWidget(tabs);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    connect(replan, &QPushButton::clicked, this, &ComposerView::reload);
    connect(m_allGrades, &QCheckBox::toggled, this, &ComposerView::reload);
    connect(m_queue, &QTreeWidget::currentItemChanged, this, [this] {
        storeEdit();
        showItem(m_queue->currentIndex().row());
    });
    connect(m_send, &QPushButton::clicked, this, [this] { send(); });
    connect(m_mail, &QPushButton::clicked, this, [this] { openInMailClient(); });
    connect(m_copy, &QPushButton::clicked, this, [this] { copy(); });
    connect(m_skip, &QPushButton::clicked, this, &ComposerView::skip);
    connect(m_eml, &QPushButton::clicked, this, [this] {
        const auto rows = targets();
        if (rows.empty()) return;
        QString target;
        if (rows.size() == 1)
            target = QFileDialog::getSaveFileName(this, tr("Save the complaint"),
                qs(reports::emlFileName(m_data.items[std::size_t(rows.front())].planned.complaint)),
                tr("E-mail (*.eml)"));
        else
            target = QFileDialog::getExistingDirectory(this, tr("Save the complaints into"));
        if (!target.isEmpty()) saveEml(target);
    });
    showItem(-1);
}

void ComposerView::setDatabase(const std::filesystem::path& db)
{
    m_db = db;
    reload();
}

void ComposerView::report(const QString& message, bool error)
{
    m_status->setText(message);
    emit status(message);
    if (error && m_interactive) QMessageBox::warning(this, tr("tattle"), message);
}

void ComposerView::reload()
{
    if (m_db.empty()) return;
    const quint64 gen = ++m_generation;
    m_status->setText(tr("Planning complaints..."));
    runInBackground(
        this, m_jobs,
        [db = m_db, settings = m_settings(), all = m_allGrades->isChecked()] {
            return loadComposer(db, settings, all);
        },
        [this, gen](Result<ComposerData> r) {
            if (gen != m_generation) return;
            if (!r) {
                report(qs(r.error().message), false);
                return;
            }
            m_data = std::move(*r);
            m_edits.assign(m_data.items.size(), {});
            m_done.assign(m_data.items.size(), false);
            m_current = -1;
            const QSignalBlocker block(m_queue);
            m_queue->clear();
            for (std::size_t i = 0; i < m_data.items.size(); ++i) {
                const auto& it = m_data.items[i];
                auto& e = m_edits[i];
                QStringList to;
                for (const auto& m : it.message.to)
                    to << qs(m.address);
                e.to = to.join(QStringLiteral(", "));
                e.subject = qs(it.message.subject);
                e.body = qs(it.message.body);
                QString state = it.error.empty() ? tr("to review") : tr("cannot write: %1").arg(qs(it.error));
                if (it.planned.cooldownUntil)
                    state = tr("cooldown until %1").arg(timeText(*it.planned.cooldownUntil));
                auto* item = new QTreeWidgetItem(m_queue,
                    {qs(it.planned.complaint.contactEmail),
                        QLocale().toString(qlonglong(it.planned.eventCount())),
                        QString::number(it.planned.sources.size()), state});
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
                item->setCheckState(0, Qt::Unchecked);
            }
            m_skipped->clear();
            for (const auto& s : m_data.skipped)
                new QTreeWidgetItem(m_skipped,
                    {qs(s.address.toString()), qs(s.contact), QString::number(s.events),
                        qs(core::sanitizeForDisplay(s.why))});
            m_history->clear();
            for (const auto& h : m_data.history)
                new QTreeWidgetItem(m_history,
                    {qs(h.contactEmail), QString::number(h.complaints),
                        QLocale().toString(qlonglong(h.events)), timeText(h.firstAt), timeText(h.lastAt)});
            m_status->setText(m_data.items.empty() ? tr("Nothing to complain about: no unreported probes "
                                                        "from a source with a known abuse contact "
                                                        "(look the sources up first). %1 sources left out.")
                                                         .arg(m_data.skipped.size())
                                                   : tr("%1 complaints to review, %2 sources left out.")
                                                         .arg(m_data.items.size())
                                                         .arg(m_data.skipped.size()));
            if (!m_data.items.empty()) m_queue->setCurrentItem(m_queue->topLevelItem(0));
            showItem(m_data.items.empty() ? -1 : 0);
        });
}

int ComposerView::queueSize() const
{
    return int(m_data.items.size());
}

void ComposerView::selectComplaint(int row)
{
    if (row >= 0 && row < m_queue->topLevelItemCount()) m_queue->setCurrentItem(m_queue->topLevelItem(row));
}

void ComposerView::setChecked(int row, bool checked)
{
    if (row >= 0 && row < m_queue->topLevelItemCount())
        m_queue->topLevelItem(row)->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
}

void ComposerView::storeEdit()
{
    if (m_current < 0 || m_current >= int(m_edits.size())) return;
    m_edits[std::size_t(m_current)] = {m_to->text(), m_subject->text(), m_body->toPlainText()};
}

void ComposerView::showItem(int row)
{
    m_current = row;
    const bool valid = row >= 0 && row < int(m_edits.size());
    const bool usable = valid && m_data.items[std::size_t(row)].error.empty() && !m_done[std::size_t(row)];
    for (QWidget* w :
        std::initializer_list<QWidget*> {m_to, m_subject, m_body, m_send, m_mail, m_eml, m_copy})
        w->setEnabled(usable);
    m_skip->setEnabled(valid);
    if (!valid) {
        m_to->clear();
        m_subject->clear();
        m_body->clear();
        return;
    }
    const auto& e = m_edits[std::size_t(row)];
    m_to->setText(e.to);
    m_subject->setText(e.subject);
    m_body->setPlainText(e.body);
}

QString ComposerView::to() const
{
    return m_to->text();
}

QString ComposerView::subject() const
{
    return m_subject->text();
}

QString ComposerView::body() const
{
    return m_body->toPlainText();
}

void ComposerView::setSubject(const QString& s)
{
    m_subject->setText(s);
}

void ComposerView::setBody(const QString& s)
{
    m_body->setPlainText(s);
}

int ComposerView::historyCount() const
{
    return m_history->topLevelItemCount();
}

int ComposerView::skippedCount() const
{
    return m_skipped->topLevelItemCount();
}

QString ComposerView::statusText() const
{
    return m_status->text();
}

std::vector<int> ComposerView::targets() const
{
    std::vector<int> rows;
    for (int i = 0; i < m_queue->topLevelItemCount(); ++i)
        if (m_queue->topLevelItem(i)->checkState(0) == Qt::Checked && !m_done[std::size_t(i)])
            rows.push_back(i);
    if (rows.empty() && m_current >= 0 && !m_done[std::size_t(m_current)]) rows.push_back(m_current);
    return rows;
}

std::optional<reports::MailMessage> ComposerView::editedMessage(int row, QString* error) const
{
    const auto& item = m_data.items[std::size_t(row)];
    if (!item.error.empty()) {
        *error = qs(item.error);
        return std::nullopt;
    }
    const auto& e = m_edits[std::size_t(row)];
    reports::MailMessage m = item.message;
    m.to.clear();
    for (const auto& part : e.to.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        auto mb = reports::parseMailbox(part.trimmed().toStdString(), "To");
        if (!mb) {
            *error = qs(mb.error().message);
            return std::nullopt;
        }
        m.to.push_back(*mb);
    }
    if (m.to.empty()) {
        *error = tr("The complaint has no recipient: fill in To.");
        return std::nullopt;
    }
    m.subject = e.subject.toStdString();
    m.body = e.body.toStdString();
    return m;
}

bool ComposerView::finish(const std::vector<int>& rows, core::ComplaintMethod method,
    const QString& emlTarget, const QString& password)
{
    storeEdit();
    if (rows.empty()) {
        report(tr("Pick a complaint first."), true);
        return false;
    }
    const core::Settings settings = m_settings();
    std::vector<FinishRequest> requests;
    const bool intoFolder = QFileInfo(emlTarget).isDir();
    int n = 0;
    for (int row : rows) {
        QString error;
        auto m = editedMessage(row, &error);
        if (!m) {
            report(tr("%1: %2").arg(qs(m_data.items[std::size_t(row)].planned.complaint.contactEmail), error),
                true);
            return false;
        }
        FinishRequest r;
        r.planned = m_data.items[std::size_t(row)].planned;
        r.message = std::move(*m);
        r.method = method;
        if (method == core::ComplaintMethod::Eml) {
            r.emlFile = intoFolder || rows.size() > 1 ? std::filesystem::path(emlTarget.toStdString())
                    / reports::emlFileName(r.planned.complaint, n++)
                                                      : std::filesystem::path(emlTarget.toStdString());
            r.message.extraHeaders.emplace_back("X-Unsent", "1"); // mail clients open it as a draft
        }
        if (method == core::ComplaintMethod::Smtp) {
            r.smtp.url = settings.smtp.url;
            r.smtp.user = settings.smtp.user;
            r.smtp.password = password.toStdString();
            if (auto ep = reports::parseSmtpUrl(settings.smtp.url); ep && ep->loopback())
                r.smtp.requireTls = false;
        }
        requests.push_back(std::move(r));
    }
    report(tr("Working on %1 complaints...").arg(requests.size()), false);
    for (auto* b : {m_send, m_mail, m_eml, m_copy})
        b->setEnabled(false);
    runInBackground(
        this, m_jobs,
        [db = m_db, requests] {
            std::vector<Result<FinishResult>> out;
            for (const auto& r : requests) {
                out.push_back(finishComplaint(db, r));
                if (!out.back()) break; // the server or the disk said no: do not go on with the rest
            }
            return out;
        },
        [this, rows, method](std::vector<Result<FinishResult>> results) {
            int ok = 0;
            QString error;
            for (std::size_t i = 0; i < results.size(); ++i) {
                const int row = rows[i];
                if (!results[i]) {
                    error
                        = tr("%1: %2").arg(qs(m_data.items[std::size_t(row)].planned.complaint.contactEmail),
                            qs(results[i].error().message));
                    continue;
                }
                ++ok;
                m_done[std::size_t(row)] = true;
                if (auto* item = m_queue->topLevelItem(row)) {
                    item->setText(3, tr("done (%1)").arg(qs(std::string(core::complaintMethodName(method)))));
                    item->setCheckState(0, Qt::Unchecked);
                }
            }
            showItem(m_current);
            if (!error.isEmpty())
                report(error + QStringLiteral(" ") + tr("(%1 complaints done before it.)").arg(ok), true);
            else
                report(tr("%1 complaints recorded; their events count as reported.").arg(ok), false);
            if (ok > 0) emit complaintRecorded();
        });
    return true;
}

bool ComposerView::saveEml(const QString& target)
{
    return finish(targets(), core::ComplaintMethod::Eml, target, {});
}

bool ComposerView::send(const QString& password)
{
    const core::Settings settings = m_settings();
    if (settings.smtp.url.empty()) {
        report(
            tr("No SMTP server is set: add it in Settings, or use Save .eml or Open in mail client."), true);
        return false;
    }
    QString pw = password;
    if (pw.isEmpty() && !settings.smtp.user.empty()) {
        if (auto env = reports::smtpPasswordFromEnvironment())
            pw = qs(*env);
        else if (auto stored = readPassword(qs(settings.smtp.user + "@" + settings.smtp.url)))
            pw = *stored;
    }
    if (pw.isEmpty() && !settings.smtp.user.empty() && m_interactive) {
        bool ok = false;
        pw = QInputDialog::getText(this, tr("SMTP password"),
            tr("Password for %1 at %2:").arg(qs(settings.smtp.user), qs(settings.smtp.url)),
            QLineEdit::Password, {}, &ok);
        if (!ok) return false;
    }
    return finish(targets(), core::ComplaintMethod::Smtp, {}, pw);
}

bool ComposerView::copy()
{
    storeEdit();
    if (m_current < 0) return false;
    const auto& e = m_edits[std::size_t(m_current)];
    QApplication::clipboard()->setText(tr("To: %1\nSubject: %2\n\n%3").arg(e.to, e.subject, e.body));
    return finish({m_current}, core::ComplaintMethod::Copy, {}, {});
}

bool ComposerView::openInMailClient()
{
    storeEdit();
    if (m_current < 0) return false;
    const auto& e = m_edits[std::size_t(m_current)];
    reports::MailtoFields f;
    for (const auto& part : e.to.split(QLatin1Char(','), Qt::SkipEmptyParts))
        f.to.push_back(part.trimmed().toStdString());
    f.subject = e.subject.toStdString();
    f.body = e.body.toStdString();
    auto url = reports::buildMailto(f);
    if (!url) {
        report(qs(url.error().message), true);
        return false;
    }
    if (!url->fits()) {
        // Long complaints do not survive a mailto: URL; an .eml opens in the mail client as a draft.
        report(tr("The complaint is too long for the mail client's link (%1 characters): save it as .eml and "
                  "open "
                  "that file instead.")
                   .arg(url->url.size()),
            true);
        return false;
    }
    if (m_interactive && !QDesktopServices::openUrl(QUrl(qs(url->url), QUrl::StrictMode))) {
        report(tr("No mail client answered the mailto: link: save the complaint as .eml instead."), true);
        return false;
    }
    return finish({m_current}, core::ComplaintMethod::Mailto, {}, {});
}

void ComposerView::skip()
{
    storeEdit();
    for (int i = 1; i <= int(m_data.items.size()); ++i) {
        const int next = (m_current + i) % int(m_data.items.size());
        if (!m_done[std::size_t(next)]) {
            selectComplaint(next);
            return;
        }
    }
}

} // namespace tattle::app
