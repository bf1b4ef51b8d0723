// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/settings_dialog.h"

#include "app/gui/password_store.h"
#include "core/resources.h"
#include "reports/template.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimeZone>
#include <QVBoxLayout>

namespace tattle::app {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QLineEdit* line(const std::string& value, const QString& accessible, QWidget* parent)
{
    auto* e = new QLineEdit(qs(value), parent);
    e->setAccessibleName(accessible);
    return e;
}

std::vector<std::string> lines(const QPlainTextEdit* edit)
{
    std::vector<std::string> out;
    for (const auto& l : edit->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!l.trimmed().isEmpty()) out.push_back(l.trimmed().toStdString());
    return out;
}

QString joined(const std::vector<std::string>& v)
{
    QStringList l;
    for (const auto& s : v)
        l << qs(s);
    return l.join(QLatin1Char('\n'));
}

/// The keychain account of an SMTP login.
QString account(const core::Settings& s)
{
    return qs(s.smtp.user + "@" + s.smtp.url);
}

} // namespace

SettingsDialog::SettingsDialog(const core::Settings& s, std::filesystem::path file, QWidget* parent)
    : QDialog(parent)
    , m_original(s)
    , m_file(std::move(file))
{
    setWindowTitle(tr("Settings"));
    auto* tabs = new QTabWidget(this);

    auto* who = new QWidget(this);
    auto* whoForm = new QFormLayout(who);
    m_name = line(s.reporter.name, tr("Your name"), who);
    m_email = line(s.reporter.email, tr("Your e-mail address"), who);
    m_org = line(s.reporter.organisation, tr("Your organisation"), who);
    m_clock = line(s.reporter.clock, tr("How the firewall's clock is kept"), who);
    m_clock->setPlaceholderText(tr("e.g. kept in sync by NTP"));
    whoForm->addRow(tr("&Name:"), m_name);
    whoForm->addRow(tr("&E-mail:"), m_email);
    whoForm->addRow(tr("&Organisation:"), m_org);
    whoForm->addRow(tr("&Clock:"), m_clock);
    m_smtpUrl = line(s.smtp.url, tr("SMTP server URL"), who);
    m_smtpUrl->setPlaceholderText(QStringLiteral("smtp://mail.example.net:587"));
    m_smtpUser = line(s.smtp.user, tr("SMTP user"), who);
    m_password = new QLineEdit(who);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("SMTP password"));
    m_password->setPlaceholderText(tr("leave empty to keep the stored one"));
    m_keychain = new QLabel(keychainAvailable()
            ? tr("The password is kept in the system keychain.")
            : tr("No keychain support: the password is not stored; it is asked when sending."),
        who);
    m_keychain->setWordWrap(true);
    whoForm->addRow(tr("SMTP &server:"), m_smtpUrl);
    whoForm->addRow(tr("SMTP &user:"), m_smtpUser);
    whoForm->addRow(tr("SMTP &password:"), m_password);
    whoForm->addRow(QString(), m_keychain);
    tabs->addTab(who, tr("&Reporter and mail"));

    auto* logs = new QWidget(this);
    auto* logForm = new QFormLayout(logs);
    m_zone = new QComboBox(logs);
    m_zone->setEditable(true);
    m_zone->setAccessibleName(tr("Time zone of the logs"));
    m_zone->addItem(tr("This computer's zone"), QString());
    m_zone->addItem(QStringLiteral("UTC"), QStringLiteral("UTC"));
    for (const auto& id : QTimeZone::availableTimeZoneIds())
        m_zone->addItem(QString::fromLatin1(id), QString::fromLatin1(id));
    if (const int i = m_zone->findData(qs(s.logTimeZone)); i >= 0)
        m_zone->setCurrentIndex(i);
    else
        m_zone->setEditText(qs(s.logTimeZone));
    logForm->addRow(tr("Log &time zone:"), m_zone);
    m_own = new QPlainTextEdit(joined(s.ownNetworks), logs);
    m_own->setAccessibleName(tr("Your own addresses and networks"));
    m_own->setPlaceholderText(tr("one address or network (CIDR) per line"));
    logForm->addRow(tr("Your &addresses:"), m_own);
    m_mask = new QCheckBox(tr("&Mask your addresses in complaints"), logs);
    m_mask->setChecked(s.maskOwnAddress);
    m_maskText = line(s.ownAddressMask, tr("Text shown instead of your address"), logs);
    logForm->addRow(m_mask, m_maskText);
    m_allow = new QPlainTextEdit(joined(s.allowList), logs);
    m_allow->setAccessibleName(tr("Networks never complained about"));
    logForm->addRow(tr("Ne&ver report:"), m_allow);
    tabs->addTab(logs, tr("&Logs and privacy"));

    auto* rep = new QWidget(this);
    auto* repForm = new QFormLayout(rep);
    m_template = new QComboBox(rep);
    m_template->setAccessibleName(tr("Complaint template"));
    for (const auto& t : reports::availableTemplates())
        m_template->addItem(qs(t));
    m_template->setCurrentText(qs(s.templateName));
    repForm->addRow(tr("&Template:"), m_template);
    m_machine = new QComboBox(rep);
    m_machine->setAccessibleName(tr("Machine-readable part"));
    m_machine->addItem(tr("XARF v4 (JSON attachment)"), QStringLiteral("xarf4"));
    m_machine->addItem(tr("X-ARF 0.2"), QStringLiteral("xarf02"));
    m_machine->addItem(tr("None"), QStringLiteral("none"));
    m_machine->setCurrentIndex(std::max(0, m_machine->findData(qs(s.machineReadable))));
    repForm->addRow(tr("&Machine-readable:"), m_machine);
    m_cooldown = new QSpinBox(rep);
    m_cooldown->setRange(0, 365);
    m_cooldown->setValue(s.cooldownDays);
    m_cooldown->setSuffix(tr(" days"));
    m_cooldown->setAccessibleName(tr("Days between two complaints to one contact"));
    repForm->addRow(tr("&Cooldown:"), m_cooldown);
    m_prefix = new QSpinBox(rep);
    m_prefix->setRange(1, 128);
    m_prefix->setValue(s.ipv6Prefix);
    m_prefix->setPrefix(QStringLiteral("/"));
    m_prefix->setAccessibleName(tr("IPv6 prefix counted as one source"));
    repForm->addRow(tr("IPv6 &prefix:"), m_prefix);
    m_rdap = new QCheckBox(tr("Ask &RDAP"), rep);
    m_rdap->setChecked(s.useRdap);
    m_whois = new QCheckBox(tr("Ask &WHOIS"), rep);
    m_whois->setChecked(s.useWhois);
    repForm->addRow(tr("Lookups:"), m_rdap);
    repForm->addRow(QString(), m_whois);
    m_db = line(s.databasePath, tr("Database file"), rep);
    m_db->setPlaceholderText(tr("default: %1").arg(qs(core::defaultDatabasePath().string())));
    auto* browse = new QPushButton(tr("&Browse..."), rep);
    browse->setAccessibleName(tr("Choose the database file"));
    auto* dbRow = new QHBoxLayout;
    dbRow->addWidget(m_db, 1);
    dbRow->addWidget(browse);
    repForm->addRow(tr("&Database:"), dbRow);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Database file"), m_db->text(),
            tr("tattle databases (*.db)"), nullptr, QFileDialog::DontConfirmOverwrite);
        if (!f.isEmpty()) m_db->setText(f);
    });
    tabs->addTab(rep, tr("&Complaints and lookups"));

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Settings error"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (save()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
}

core::Settings SettingsDialog::settings() const
{
    core::Settings s = m_original;
    s.reporter.name = m_name->text().trimmed().toStdString();
    s.reporter.email = m_email->text().trimmed().toStdString();
    s.reporter.organisation = m_org->text().trimmed().toStdString();
    s.reporter.clock = m_clock->text().trimmed().toStdString();
    s.smtp.url = m_smtpUrl->text().trimmed().toStdString();
    s.smtp.user = m_smtpUser->text().trimmed().toStdString();
    const int zi = m_zone->findText(m_zone->currentText());
    s.logTimeZone
        = (zi >= 0 ? m_zone->itemData(zi).toString() : m_zone->currentText().trimmed()).toStdString();
    s.ownNetworks = lines(m_own);
    s.allowList = lines(m_allow);
    s.maskOwnAddress = m_mask->isChecked();
    s.ownAddressMask = m_maskText->text().toStdString();
    s.templateName = m_template->currentText().toStdString();
    s.machineReadable = m_machine->currentData().toString().toStdString();
    s.cooldownDays = m_cooldown->value();
    s.ipv6Prefix = m_prefix->value();
    s.useRdap = m_rdap->isChecked();
    s.useWhois = m_whois->isChecked();
    s.databasePath = m_db->text().trimmed().toStdString();
    return s;
}

QString SettingsDialog::password() const
{
    return m_password->text();
}

QString SettingsDialog::errorText() const
{
    return m_error->text();
}

bool SettingsDialog::save()
{
    const core::Settings s = settings();
    if (auto v = core::validateSettings(s); !v) {
        m_error->setText(qs(v.error().message));
        return false;
    }
    if (auto w = core::saveSettings(s, m_file); !w) {
        m_error->setText(qs(w.error().message));
        return false;
    }
    if (!password().isEmpty()) {
        QString error;
        if (!storePassword(account(s), password(), &error)) {
            m_error->setText(
                tr("The settings are saved, but the password could not be kept in the keychain (%1): "
                   "it will be asked when sending.")
                    .arg(error));
            m_password->clear();
            return false;
        }
    }
    m_error->clear();
    return true;
}

} // namespace tattle::app
