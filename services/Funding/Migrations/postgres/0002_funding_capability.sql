-- Funders are named once (case-insensitively) so the portal never shows two "Landkreis Leer".
CREATE UNIQUE INDEX ux_funders_name ON funders (lower(name));

-- Commitments keep their history: ending one sets valid_to and status 'ended'.
ALTER TABLE commitments ADD COLUMN status text NOT NULL DEFAULT 'active';
CREATE INDEX ix_commitments_funder ON commitments (funder_id);

-- More of the networks service's site state: opening date (coverage gaps), town and district (reports),
-- and the coverage last announced, so a day boundary that changes today's coverage is announced too.
ALTER TABLE sites ADD COLUMN town text NULL;
ALTER TABLE sites ADD COLUMN district text NULL;
ALTER TABLE sites ADD COLUMN opened date NULL;
ALTER TABLE sites ADD COLUMN announced_as_of date NULL;
ALTER TABLE sites ADD COLUMN announced_basis_points integer NULL;
CREATE INDEX ix_sites_network ON sites (network_slug);

-- Read model: networks from the networks service, newest version wins.
CREATE TABLE networks (
    slug    text   PRIMARY KEY,
    name    text   NOT NULL,
    status  text   NOT NULL,
    version bigint NOT NULL
);

CREATE TABLE site_budgets (
    site_id      uuid        NOT NULL,
    year         integer     NOT NULL,
    amount_cents bigint      NOT NULL CHECK (amount_cents >= 0),
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (site_id, year)
);

-- Annual membership fee per network and organisation kind (absent kinds pay nothing).
CREATE TABLE fee_schedules (
    network_slug      text        NOT NULL,
    organization_kind text        NOT NULL,
    annual_fee_cents  bigint      NOT NULL CHECK (annual_fee_cents >= 0),
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (network_slug, organization_kind)
);

-- Read model: memberships from the members service, newest version wins.
CREATE TABLE memberships (
    id                uuid   PRIMARY KEY,
    organization_id   uuid   NOT NULL,
    organization_name text   NOT NULL,
    organization_kind text   NOT NULL,
    network_slug      text   NOT NULL,
    status            text   NOT NULL,
    since             date   NULL,
    until             date   NULL,
    version           bigint NOT NULL
);
CREATE INDEX ix_memberships_network ON memberships (network_slug, status);

-- One fee claim per membership and year.
CREATE TABLE fee_claims (
    id                uuid        PRIMARY KEY,
    membership_id     uuid        NOT NULL,
    organization_id   uuid        NOT NULL,
    organization_name text        NOT NULL,
    organization_kind text        NOT NULL,
    network_slug      text        NOT NULL,
    year              integer     NOT NULL,
    period_from       date        NOT NULL,
    period_to         date        NOT NULL,
    annual_fee_cents  bigint      NOT NULL,
    amount_cents      bigint      NOT NULL,
    created_at        timestamptz NOT NULL,
    UNIQUE (membership_id, year)
);
CREATE INDEX ix_fee_claims_network ON fee_claims (network_slug, year);
