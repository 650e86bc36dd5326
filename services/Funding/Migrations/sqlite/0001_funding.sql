CREATE TABLE funders (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    district TEXT NULL
);

CREATE TABLE commitments (
    id                 TEXT    PRIMARY KEY,
    funder_id          TEXT    NOT NULL REFERENCES funders (id),
    site_id            TEXT    NOT NULL,
    share_basis_points INTEGER NOT NULL CHECK (share_basis_points BETWEEN 1 AND 10000),
    valid_from         TEXT    NOT NULL,
    valid_to           TEXT    NULL,
    version            INTEGER NOT NULL
);
CREATE INDEX ix_commitments_site ON commitments (site_id, valid_from);

-- Read model: sites from the networks service, newest version wins.
CREATE TABLE sites (
    id           TEXT    PRIMARY KEY,
    network_slug TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    closed       TEXT    NULL,
    version      INTEGER NOT NULL,
    -- Version of this site's published funding coverage (SiteFundingChanged).
    funding_version INTEGER NOT NULL DEFAULT 0
);
