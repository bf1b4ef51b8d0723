-- SPDX-License-Identifier: GPL-3.0-or-later
-- tattle database, version 2: who is behind each source. Registry answers cached by address range, the
-- network of each source, the user's own abuse contacts, and servers that asked tattle to stop.

-- One row per network a registry told us about (or per failed lookup, kept briefly). A source inside
-- [first, last] is answered from here with no query: the lookup is an index seek on (family, first)
-- followed by a check of last.
CREATE TABLE networks (
    id               INTEGER PRIMARY KEY,
    family           INTEGER NOT NULL,  -- 4 or 6
    first            BLOB NOT NULL,     -- first address of the range (4 or 16 bytes, network order)
    last             BLOB NOT NULL,     -- last address of the range (same length as first)
    registry         TEXT NOT NULL DEFAULT '', -- "arin", "ripe", "apnic", "lacnic", "afrinic", "jpnic" ...
    handle           TEXT NOT NULL DEFAULT '', -- the registry's handle of the network
    name             TEXT NOT NULL DEFAULT '', -- netname
    type             TEXT NOT NULL DEFAULT '', -- e.g. "ASSIGNED PA"
    org              TEXT NOT NULL DEFAULT '', -- organisation or ISP holding the network
    org_handle       TEXT NOT NULL DEFAULT '',
    country          TEXT NOT NULL DEFAULT '', -- ISO 3166 alpha-2
    domain           TEXT NOT NULL DEFAULT '', -- the network's e-mail/web domain, when known
    asn              INTEGER,           -- origin AS number, NULL when unknown
    as_name          TEXT NOT NULL DEFAULT '',
    asn_source       TEXT NOT NULL DEFAULT '', -- "rdap", "whois", "cymru" or "" (where the AS number came from)
    abuse_email      TEXT NOT NULL DEFAULT '', -- the best abuse contact ("" when none)
    abuse_source     TEXT NOT NULL DEFAULT 'none', -- "rdap", "whois", "abusix", "guess" or "none"
    abuse_confidence INTEGER NOT NULL DEFAULT 0, -- 0-100
    contacts         TEXT NOT NULL DEFAULT '[]', -- every abuse contact found, best first, as JSON
    server           TEXT NOT NULL DEFAULT '', -- who answered (RDAP URL or WHOIS host), referrals joined by " > "
    fetched_at       INTEGER NOT NULL,  -- when the answer came (UTC microseconds)
    expires_at       INTEGER NOT NULL,  -- fetched_at + time to live; an expired row is asked again
    error_kind       TEXT,              -- NULL for an answer; for a failed lookup: "timeout", "rate-limited",
                                        -- "not-found", "bad-response", "io" ...
    error            TEXT,              -- why the lookup failed (a sentence)
    raw              BLOB               -- the raw answers, zstd-compressed, NULL when none
);
CREATE INDEX networks_range ON networks(family, first, last);

-- The network each source falls in, and its reverse DNS name. One row per source address looked at.
CREATE TABLE source_networks (
    src         BLOB PRIMARY KEY,       -- the source address as stored in events
    lookup      BLOB,                   -- the address asked about (the IPv4 inside a 6to4/Teredo source); NULL when none
    network_id  INTEGER REFERENCES networks(id) ON DELETE SET NULL, -- NULL when not (or no longer) resolved
    status      TEXT NOT NULL,          -- "resolved", "special" (never looked up), "failed"
    reason      TEXT NOT NULL DEFAULT '', -- why special or failed
    rdns        TEXT,                   -- reverse DNS name, NULL when not looked up, '' when none
    resolved_at INTEGER NOT NULL        -- when this row was written
) WITHOUT ROWID;
CREATE INDEX source_networks_network ON source_networks(network_id);

-- Abuse contacts set by the user: for a network (an address range) or for an AS. They win over anything a
-- registry says.
CREATE TABLE contact_overrides (
    id         INTEGER PRIMARY KEY,
    family     INTEGER,                 -- 4 or 6 for a range, NULL for an AS
    first      BLOB,                    -- the range, NULL for an AS
    last       BLOB,
    asn        INTEGER,                 -- the AS number, NULL for a range
    email      TEXT NOT NULL,           -- the contact to use
    created_at INTEGER NOT NULL,
    CHECK ((asn IS NULL) <> (first IS NULL))
);
CREATE UNIQUE INDEX contact_overrides_range ON contact_overrides(family, first, last) WHERE asn IS NULL;
CREATE UNIQUE INDEX contact_overrides_asn ON contact_overrides(asn) WHERE asn IS NOT NULL;

-- Servers that answered "too many queries" (HTTP 429, RIPE access denied): not asked again before
-- stopped_until, across runs.
CREATE TABLE server_stops (
    server        TEXT PRIMARY KEY,     -- host name, lower case
    stopped_until INTEGER NOT NULL,     -- UTC microseconds
    stops         INTEGER NOT NULL,     -- consecutive stops (the backoff grows with them)
    reason        TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
