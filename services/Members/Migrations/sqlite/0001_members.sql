CREATE TABLE organizations (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    district   TEXT    NOT NULL,
    town       TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);

CREATE TABLE memberships (
    id              TEXT    PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id),
    network_slug    TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    submitted       TEXT    NOT NULL,
    decided         TEXT    NULL,
    decided_by      TEXT    NULL,
    since           TEXT    NULL,
    until           TEXT    NULL,
    version         INTEGER NOT NULL
);
-- One open (applied or active) membership per organisation and network.
CREATE UNIQUE INDEX ux_memberships_open ON memberships (organization_id, network_slug) WHERE status IN ('applied', 'active');

-- Read model: the network catalogue from the networks service, newest version wins.
CREATE TABLE network_catalogue (
    slug    TEXT    PRIMARY KEY,
    name    TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    version INTEGER NOT NULL
);
