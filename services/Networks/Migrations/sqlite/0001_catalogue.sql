CREATE TABLE networks (
    slug        TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    topics      TEXT    NOT NULL,          -- JSON array of strings
    founded     TEXT    NULL,
    status      TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE sites (
    id           TEXT    PRIMARY KEY,
    network_slug TEXT    NOT NULL REFERENCES networks (slug),
    name         TEXT    NOT NULL,
    town         TEXT    NOT NULL,
    district     TEXT    NOT NULL,
    address      TEXT    NULL,
    status       TEXT    NOT NULL,
    opened       TEXT    NOT NULL,
    closed       TEXT    NULL,
    version      INTEGER NOT NULL
);
-- A network cannot have two open sites of the same name.
CREATE UNIQUE INDEX ux_sites_open_name ON sites (network_slug, lower(name)) WHERE status = 'open';

-- Read model: memberships from the members service, newest version wins.
CREATE TABLE network_members (
    membership_id     TEXT    PRIMARY KEY,
    network_slug      TEXT    NOT NULL,
    organization_id   TEXT    NOT NULL,
    organization_name TEXT    NOT NULL,
    organization_kind TEXT    NOT NULL,
    district          TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    since             TEXT    NOT NULL,
    until             TEXT    NULL,
    version           INTEGER NOT NULL
);
CREATE INDEX ix_network_members_network ON network_members (network_slug, status, organization_name);

-- Read model: funding coverage per site from the funding service, newest version wins.
CREATE TABLE site_funding (
    site_id               TEXT    PRIMARY KEY,
    as_of                 TEXT    NOT NULL,
    coverage_basis_points INTEGER NOT NULL,
    status                TEXT    NOT NULL,
    version               INTEGER NOT NULL
);
