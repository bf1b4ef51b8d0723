// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/import_dialog.h"

#include <QComboBox>
#include <QDate>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTimeZone>

namespace tattle::app {

ImportDialog::ImportDialog(const QString& file, const FormatGuess& guess,
    const std::vector<std::pair<std::string, std::string>>& formats, const QString& defaultZone,
    QWidget* parent)
    : QDialog(parent)
    , m_file(file)
    , m_format(new QComboBox(this))
    , m_zone(new QComboBox(this))
    , m_year(new QSpinBox(this))
{
    setWindowTitle(tr("Import a log"));
    auto* form = new QFormLayout(this);
    auto* name = new QLabel(file.toHtmlEscaped(), this);
    name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("File:"), name);

    m_format->setAccessibleName(tr("Log format"));
    for (const auto& [id, description] : formats)
        m_format->addItem(
            QStringLiteral("%1 - %2").arg(QString::fromStdString(id), QString::fromStdString(description)),
            QString::fromStdString(id));
    const int detected = m_format->findData(QString::fromStdString(guess.format));
    if (detected >= 0) m_format->setCurrentIndex(detected);
    form->addRow(tr("&Format:"), m_format);
    auto* verdict = new QLabel(this);
    verdict->setWordWrap(true);
    if (!guess.format.empty())
        verdict->setText(tr("Detected as %1. Choose another format if that is wrong.")
                             .arg(QString::fromStdString(guess.format)));
    else if (!guess.candidates.empty())
        verdict->setText(tr("The format was not recognised (best guess %1, score %2): choose it.")
                             .arg(QString::fromStdString(guess.candidates.front().first))
                             .arg(guess.candidates.front().second));
    else
        verdict->setText(tr("The format was not recognised: choose it."));
    form->addRow(QString(), verdict);

    m_zone->setEditable(true);
    m_zone->setAccessibleName(tr("Time zone of the log"));
    m_zone->addItem(tr("This computer's zone"), QString());
    m_zone->addItem(QStringLiteral("UTC"), QStringLiteral("UTC"));
    for (const auto& id : QTimeZone::availableTimeZoneIds())
        m_zone->addItem(QString::fromLatin1(id), QString::fromLatin1(id));
    if (!defaultZone.isEmpty()) {
        const int i = m_zone->findData(defaultZone);
        if (i >= 0)
            m_zone->setCurrentIndex(i);
        else
            m_zone->setEditText(defaultZone);
    }
    form->addRow(tr("&Time zone:"), m_zone);
    m_year->setAccessibleName(tr("Year of the log"));
    m_year->setRange(0, 2100);
    m_year->setSpecialValueText(tr("infer from the file's date"));
    m_year->setValue(0);
    form->addRow(tr("&Year:"), m_year);
    // Only what the format leaves open is asked; the rest stays visible but disabled.
    const bool known = !guess.format.empty();
    m_zone->setEnabled(!known || guess.needsTimeZone);
    m_year->setEnabled(!known || guess.needsYear);
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        m_zone->setEnabled(true);
        m_year->setEnabled(true);
    });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Import"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(m_format->count() > 0);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

ImportRequest ImportDialog::request() const
{
    ImportRequest r;
    r.file = std::filesystem::path(m_file.toStdString());
    r.format = m_format->currentData().toString().toStdString();
    const int i = m_zone->findText(m_zone->currentText());
    r.timeZone = (i >= 0 ? m_zone->itemData(i).toString() : m_zone->currentText().trimmed()).toStdString();
    r.year = m_year->value();
    return r;
}

} // namespace tattle::app
