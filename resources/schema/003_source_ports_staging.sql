-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 3. Per-source counts of imports in progress, merged into source_ports when a file is done (or when the
-- database is next opened, after an interruption). Same columns as source_ports, no key.
CREATE TABLE IF NOT EXISTS source_ports_staging (
    src        BLOB NOT NULL,
    proto      INTEGER NOT NULL,
    dst_port   INTEGER NOT NULL,
    category   INTEGER NOT NULL,
    events     INTEGER NOT NULL,
    blocked    INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
);

