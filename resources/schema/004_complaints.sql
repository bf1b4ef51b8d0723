-- SPDX-License-Identifier: GPL-3.0-or-later
-- tattle database: the complaints made, and exactly which events each one covers, so that no event is
-- reported twice (unless the user asks) and the history per abuse contact can be shown. IF NOT EXISTS: a
-- database that already has the tables (a development copy whose version was set back) upgrades cleanly.

-- One row per complaint made (a dry run records nothing).
CREATE TABLE IF NOT EXISTS complaints (
    id            INTEGER PRIMARY KEY,
    contact_email TEXT NOT NULL,         -- the abuse contact it went to (lower case)
    contact_name  TEXT NOT NULL DEFAULT '', -- e.g. the network's organisation
    method        TEXT NOT NULL CHECK (method IN ('smtp', 'eml', 'mailto', 'copy')), -- how it was made
    created_at    INTEGER NOT NULL,      -- when it was made (UTC microseconds)
    sent_at       INTEGER,               -- when the SMTP server took it; NULL unless sent by SMTP
    message_id    TEXT NOT NULL DEFAULT '', -- the Message-ID header, "<...@...>"
    subject       TEXT NOT NULL DEFAULT '',
    sources       INTEGER NOT NULL,      -- source addresses it covers
    events        INTEGER NOT NULL,      -- events it covers
    first_event   INTEGER NOT NULL,      -- time of the earliest and latest event it covers
    last_event    INTEGER NOT NULL,
    file          TEXT NOT NULL DEFAULT '' -- the .eml written, for method 'eml'
);
CREATE INDEX IF NOT EXISTS complaints_contact ON complaints(contact_email, created_at);

-- The source addresses of each complaint: whether the probes stopped after it is asked of these.
CREATE TABLE IF NOT EXISTS complaint_sources (
    complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    src          BLOB NOT NULL,          -- the source address as stored in events
    events       INTEGER NOT NULL,       -- events of this source the complaint covers
    PRIMARY KEY (complaint_id, src)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS complaint_sources_src ON complaint_sources(src);

-- Exactly which events each complaint covers. An event is in one complaint unless the user reported it
-- again on purpose.
CREATE TABLE IF NOT EXISTS complaint_events (
    event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, complaint_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS complaint_events_complaint ON complaint_events(complaint_id);
