-- Funders are named once (case-insensitively) so the portal never shows two "Landkreis Leer".
CREATE UNIQUE INDEX ux_funders_name ON funders (lower(name));

-- Commitments keep their history: ending one sets valid_to and status 'ended'.
ALTER TABLE commitments ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
CREATE INDEX ix_commitments_funder ON commitments (funder_id);

-- More of the networks service's site state: opening date (coverage gaps), town and district (reports),
-- and the coverage last announced, so a day boundary that changes today's coverage is announced too.
ALTER TABLE sites ADD COLUMN town TEXT NULL;
ALTER TABLE sites ADD COLUMN district TEXT NULL;
ALTER TABLE sites ADD COLUMN opened TEXT NULL;
ALTER TABLE sites ADD COLUMN announced_as_of TEXT NULL;
ALTER TABLE sites ADD COLUMN announced_basis_points INTEGER NULL;
CREATE INDEX ix_sites_network ON sites (network_slug);

-- Read model: networks from the networks service, newest version wins.
CREATE TABLE networks (
    slug    TEXT    PRIMARY KEY,
    name    TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE site_budgets (
    site_id      TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (site_id, year)
);

-- Annual membership fee per network and organisation kind (absent kinds pay nothing).
CREATE TABLE fee_schedules (
    network_slug      TEXT    NOT NULL,
    organization_kind TEXT    NOT NULL,
    annual_fee_cents  INTEGER NOT NULL CHECK (annual_fee_cents >= 0),
    updated_at        TEXT    NOT NULL,
    PRIMARY KEY (network_slug, organization_kind)
);

-- Read model: memberships from the members service, newest version wins.
CREATE TABLE memberships (
    id                TEXT    PRIMARY KEY,
    organization_id   TEXT    NOT NULL,
    organization_name TEXT    NOT NULL,
    organization_kind TEXT    NOT NULL,
    network_slug      TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    since             TEXT    NULL,
    until             TEXT    NULL,
    version           INTEGER NOT NULL
);
CREATE INDEX ix_memberships_network ON memberships (network_slug, status);

-- One fee claim per membership and year.
CREATE TABLE fee_claims (
    id                TEXT    PRIMARY KEY,
    membership_id     TEXT    NOT NULL,
    organization_id   TEXT    NOT NULL,
    organization_name TEXT    NOT NULL,
    organization_kind TEXT    NOT NULL,
    network_slug      TEXT    NOT NULL,
    year              INTEGER NOT NULL,
    period_from       TEXT    NOT NULL,
    period_to         TEXT    NOT NULL,
    annual_fee_cents  INTEGER NOT NULL,
    amount_cents      INTEGER NOT NULL,
    created_at        TEXT    NOT NULL,
    UNIQUE (membership_id, year)
);
CREATE INDEX ix_fee_claims_network ON fee_claims (network_slug, year);
