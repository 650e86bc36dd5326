CREATE TABLE networks (
    slug        text        PRIMARY KEY,
    name        text        NOT NULL,
    description text        NOT NULL,
    topics      text        NOT NULL,      -- JSON array of strings
    founded     date        NULL,
    status      text        NOT NULL,
    version     bigint      NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE sites (
    id           uuid    PRIMARY KEY,
    network_slug text    NOT NULL REFERENCES networks (slug),
    name         text    NOT NULL,
    town         text    NOT NULL,
    district     text    NOT NULL,
    address      text    NULL,
    status       text    NOT NULL,
    opened       date    NOT NULL,
    closed       date    NULL,
    version      bigint  NOT NULL
);
-- A network cannot have two open sites of the same name.
CREATE UNIQUE INDEX ux_sites_open_name ON sites (network_slug, lower(name)) WHERE status = 'open';

-- Read model: memberships from the members service, newest version wins.
CREATE TABLE network_members (
    membership_id     uuid    PRIMARY KEY,
    network_slug      text    NOT NULL,
    organization_id   uuid    NOT NULL,
    organization_name text    NOT NULL,
    organization_kind text    NOT NULL,
    district          text    NOT NULL,
    status            text    NOT NULL,
    since             date    NOT NULL,
    until             date    NULL,
    version           bigint  NOT NULL
);
CREATE INDEX ix_network_members_network ON network_members (network_slug, status, organization_name);

-- Read model: funding coverage per site from the funding service, newest version wins.
CREATE TABLE site_funding (
    site_id               uuid    PRIMARY KEY,
    as_of                 date    NOT NULL,
    coverage_basis_points integer NOT NULL,
    status                text    NOT NULL,
    version               bigint  NOT NULL
);
