// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt first: moc (Qt 6.4) cannot parse libstdc++'s C++23 headers unless a Qt header came before them.
// clang-format off
#include <QWidget>
// clang-format on

#include "app/gui/background.h"
#include "app/gui/snapshots.h"

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace tattle::app {

/// The complaint composer: the review queue (one complaint per abuse contact over the events not reported
/// yet), the generated e-mail (To, Subject, body) to edit, and Send (SMTP), Open in mail client, Save .eml
/// and Copy; each records the complaint and marks its events reported. Also the sources left out and why,
/// and the history of complaints per contact.
class ComposerView : public QWidget {
    Q_OBJECT
public:
    /// settings() gives the current settings; askPassword() the SMTP password when none is stored.
    ComposerView(JobCounter* jobs, std::function<core::Settings()> settings, QWidget* parent = nullptr);

    void setDatabase(const std::filesystem::path& db);
    void setInteractive(bool on) noexcept { m_interactive = on; }
    /// Plans the queue again (in the background).
    void reload();

    int queueSize() const;
    /// Makes row the current complaint (shows its message).
    void selectComplaint(int row);
    /// The current message as edited.
    QString to() const;
    QString subject() const;
    QString body() const;
    void setSubject(const QString& s);
    void setBody(const QString& s);
    /// Checks (picks) a row of the queue: actions then apply to every checked complaint.
    void setChecked(int row, bool checked);
    int historyCount() const;
    int skippedCount() const;
    QString statusText() const;

    /// Saves the picked (or current) complaints as .eml files: into `target` when it is a folder, else
    /// as that file (one complaint). Records them.
    bool saveEml(const QString& target);
    /// Sends the picked (or current) complaints through the SMTP server of the settings.
    bool send(const QString& password = {});
    /// Copies the current message to the clipboard and records it.
    bool copy();
    /// Opens the current message in the mail client (mailto:) when it fits, else offers an .eml.
    bool openInMailClient();
    /// Moves on to the next complaint without making this one (it stays in the queue).
    void skip();

signals:
    /// A complaint was recorded (its events now count as reported).
    void complaintRecorded();
    /// A message for the status bar.
    void status(const QString& message);

private:
    struct Edit {
        QString to, subject, body;
    };
    void showItem(int row);
    void storeEdit();
    std::vector<int> targets() const;
    std::optional<reports::MailMessage> editedMessage(int row, QString* error) const;
    /// Finishes the rows in the background, one after the other; false when nothing could be started.
    bool finish(const std::vector<int>& rows, core::ComplaintMethod method, const QString& emlTarget,
        const QString& password);
    void report(const QString& message, bool error);

    JobCounter* m_jobs;
    std::function<core::Settings()> m_settings;
    std::filesystem::path m_db;
    bool m_interactive = true;
    ComposerData m_data;
    std::vector<Edit> m_edits;
    std::vector<bool> m_done;
    int m_current = -1;
    quint64 m_generation = 0;
    QTreeWidget *m_queue, *m_skipped, *m_history;
    QCheckBox* m_allGrades;
    QLineEdit *m_to, *m_subject;
    QPlainTextEdit* m_body;
    QLabel* m_status;
    QPushButton *m_send, *m_mail, *m_eml, *m_copy, *m_skip;
};

} // namespace tattle::app
