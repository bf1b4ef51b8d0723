// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/details_pane.h"

#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QVBoxLayout>

namespace tattle::app {

namespace {

QPlainTextEdit* textBox(const QString& name, QWidget* parent)
{
    auto* t = new QPlainTextEdit(parent);
    t->setReadOnly(true);
    t->setLineWrapMode(QPlainTextEdit::NoWrap);
    t->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    t->setAccessibleName(name);
    return t;
}

} // namespace

DetailsPane::DetailsPane(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_tabs(new QTabWidget(this))
{
    m_summary = textBox(tr("Source summary"), this);
    m_lines = textBox(tr("Original log lines"), this);
    m_record = textBox(tr("WHOIS/RDAP record"), this);
    m_tabs->addTab(m_summary, tr("&Summary"));
    m_tabs->addTab(m_lines, tr("Log &lines"));
    m_tabs->addTab(m_record, tr("&Registry record"));
    m_tabs->setAccessibleName(tr("Source details"));
    m_title->setAccessibleName(tr("Selected source"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs, 1);
    clear();
}

void DetailsPane::clear()
{
    m_title->setText(tr("Select a source to see its details."));
    m_summary->clear();
    m_lines->clear();
    m_record->clear();
}

void DetailsPane::setDetails(const SourceDetails& d)
{
    m_title->setText(
        tr("<b>%1</b>: %2 events")
            .arg(QString::fromStdString(d.source.toString()), QLocale().toString(qlonglong(d.events))));
    QString summary = QString::fromStdString(d.summary);
    summary += QStringLiteral("\n") + tr("Probes:") + QStringLiteral("\n");
    for (const auto& p : d.probes)
        summary += QStringLiteral("  ") + QString::fromStdString(p) + QStringLiteral("\n");
    m_summary->setPlainText(summary);
    QStringList lines;
    for (const auto& l : d.rawLines)
        lines << QString::fromStdString(l);
    if (std::int64_t(d.rawLines.size()) < d.events)
        lines << tr("... the first %1 of %2 lines shown (see the Events tab for all).")
                     .arg(d.rawLines.size())
                     .arg(d.events);
    m_lines->setPlainText(lines.join(QLatin1Char('\n')));
    m_record->setPlainText(d.registryRecord.empty()
            ? tr("No registry record in the cache: look the source up first.")
            : QString::fromStdString(d.registryRecord));
}

QString DetailsPane::summaryText() const
{
    return m_summary->toPlainText();
}

QString DetailsPane::logLinesText() const
{
    return m_lines->toPlainText();
}

QString DetailsPane::registryText() const
{
    return m_record->toPlainText();
}

} // namespace tattle::app
