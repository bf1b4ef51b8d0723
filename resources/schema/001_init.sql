-- SPDX-License-Identifier: GPL-3.0-or-later
-- tattle database, version 1. Times are microseconds since 1970-01-01 UTC; addresses are 4 or 16 bytes in
-- network order; protocols are IANA numbers.

-- Strings that repeat across many events (interfaces, rule names, categories) are stored once.
CREATE TABLE labels (
    id   INTEGER PRIMARY KEY,           -- referenced by events.iface, events.rule, events.category
    text TEXT NOT NULL UNIQUE           -- the string itself
);

-- One row per run of `tattle import` over one file.
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    path            TEXT NOT NULL,      -- absolute path as given ('-' for standard input)
    format          TEXT NOT NULL,      -- parser id
    started_at      INTEGER NOT NULL,   -- when the import started
    finished_at     INTEGER,            -- when it finished; NULL while running or when interrupted
    first_line_hash INTEGER,            -- CRC-32 of the file's first line: finds the file again after a rename
    first_line      INTEGER NOT NULL,   -- first line number this import read and stored (1 + lines already imported)
    prefix_lines    INTEGER NOT NULL DEFAULT 0, -- complete lines of the file imported so far, by this and earlier imports
    prefix_bytes    INTEGER NOT NULL DEFAULT 0, -- bytes those lines take (decompressed)
    prefix_hash     INTEGER NOT NULL DEFAULT 0, -- CRC-32 of those lines: proves a later file starts with them
    tail_hash       INTEGER,            -- CRC-32 of a last line that had no line end yet (NULL when none)
    lines_read      INTEGER NOT NULL DEFAULT 0, -- lines this import read
    events_stored   INTEGER NOT NULL DEFAULT 0, -- events stored
    lines_ignored   INTEGER NOT NULL DEFAULT 0, -- lines that are not packets (headers, other programs' lines)
    lines_skipped   INTEGER NOT NULL DEFAULT 0, -- malformed lines, skipped
    time_zone       TEXT,               -- zone local times were read in
    year            INTEGER             -- --year given by the user, NULL when inferred
);
CREATE INDEX imports_path ON imports(path);
CREATE INDEX imports_first_line_hash ON imports(first_line_hash);

-- The first skipped lines of each import, with why.
CREATE TABLE skipped_lines (
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    line_no   INTEGER NOT NULL,         -- line number in the file
    reason    TEXT NOT NULL,            -- what was wrong
    text      BLOB NOT NULL,            -- the line, cut to 1 KiB
    PRIMARY KEY (import_id, line_no)
) WITHOUT ROWID;

-- The original lines of stored events, zstd-compressed in blocks, so reports can quote them.
CREATE TABLE raw_blocks (
    id        INTEGER PRIMARY KEY,      -- referenced by events.raw_block
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    lines     INTEGER NOT NULL,         -- number of lines in the block
    data      BLOB NOT NULL             -- zstd frame of the lines joined with LF
);

-- Every stored firewall event.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    import_id  INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    line_no    INTEGER NOT NULL,        -- line number in the imported file
    ts         INTEGER NOT NULL,        -- time (UTC)
    action     INTEGER NOT NULL,        -- 0 block, 1 allow
    direction  INTEGER NOT NULL,        -- 0 unknown, 1 in, 2 out
    proto      INTEGER,                 -- IANA protocol number, NULL when unknown
    src        BLOB NOT NULL,           -- source address
    src_port   INTEGER,                 -- NULL when the log has none
    dst        BLOB,                    -- destination address
    dst_port   INTEGER,                 -- NULL when the log has none
    icmp_type  INTEGER,                 -- NULL unless ICMP
    icmp_code  INTEGER,
    tcp_flags  INTEGER,                 -- TCP header flag bits; NULL when not logged
    count      INTEGER,                 -- packets the record stands for; NULL means 1
    flags      INTEGER,                 -- bit 0: time guessed (year inferred or ambiguous local time); NULL means 0
    iface      INTEGER REFERENCES labels(id), -- interface
    rule       INTEGER REFERENCES labels(id), -- firewall rule or log prefix
    category   INTEGER NOT NULL REFERENCES labels(id), -- signature category (resources/signatures.json)
    raw_block  INTEGER NOT NULL REFERENCES raw_blocks(id), -- block holding the original line
    raw_index  INTEGER NOT NULL,        -- index of the line in that block
    extra      TEXT                     -- vendor details as a JSON object, NULL when none
);

-- Per source, protocol, destination port and category: what each source aimed at, counting the events that
-- were not sent by this machine (direction in or unknown). Kept up to date by every import, so that the
-- summary needs no scan of events.
CREATE TABLE source_ports (
    src        BLOB NOT NULL,
    proto      INTEGER NOT NULL,        -- -1 when unknown
    dst_port   INTEGER NOT NULL,        -- -1 when none (ICMP: the ICMP type is kept in category)
    category   INTEGER NOT NULL REFERENCES labels(id),
    events     INTEGER NOT NULL,        -- events
    blocked    INTEGER NOT NULL,        -- of which blocked
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    PRIMARY KEY (src, proto, dst_port, category)
) WITHOUT ROWID;
CREATE INDEX source_ports_category ON source_ports(category, src);
