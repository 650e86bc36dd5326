CREATE TABLE organizations (
    id            uuid        PRIMARY KEY,
    name          text        NOT NULL,
    name_key      text        NOT NULL,  -- folded name: duplicates and order
    kind          text        NOT NULL,
    district      text        NOT NULL,
    region        text        NOT NULL,  -- follows from district; stored for the directory filter
    town          text        NOT NULL,
    town_key      text        NOT NULL,
    address       text        NULL,
    website       text        NULL,
    employees     text        NULL,
    search_text   text        NOT NULL,  -- folded words of name, town and industries in both umlaut spellings
    search_vector tsvector    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
    version       bigint      NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    erased_at     timestamptz NULL
);
-- The same organisation is not registered twice: same folded name in the same town.
CREATE UNIQUE INDEX ux_organizations_name_town ON organizations (name_key, town_key);
CREATE INDEX ix_organizations_order ON organizations (name_key COLLATE "C", id);
CREATE INDEX ix_organizations_district ON organizations (district, name_key COLLATE "C");
CREATE INDEX ix_organizations_region ON organizations (region, name_key COLLATE "C");
CREATE INDEX ix_organizations_kind ON organizations (kind, name_key COLLATE "C");
CREATE INDEX ix_organizations_search ON organizations USING gin (search_vector);

CREATE TABLE organization_industries (
    organization_id uuid NOT NULL REFERENCES organizations (id),
    industry        text NOT NULL,
    PRIMARY KEY (organization_id, industry)
);
CREATE INDEX ix_organization_industries_industry ON organization_industries (industry, organization_id);

-- Contact persons: personal data (GDPR export and erasure).
CREATE TABLE contacts (
    id                 uuid        PRIMARY KEY,
    organization_id    uuid        NOT NULL REFERENCES organizations (id),
    name               text        NOT NULL,
    email              text        NULL,
    phone              text        NULL,
    role               text        NULL,
    consent_to_publish boolean     NOT NULL,
    created_at         timestamptz NOT NULL
);
CREATE INDEX ix_contacts_organization ON contacts (organization_id);

CREATE TABLE memberships (
    id              uuid        PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id),
    network_slug    text        NOT NULL,
    status          text        NOT NULL,
    submitted       timestamptz NOT NULL,
    decided         timestamptz NULL,
    decided_by      text        NULL,
    decision_reason text        NULL,
    since           date        NULL,
    until           date        NULL,
    ended_by        text        NULL,
    end_reason      text        NULL,
    version         bigint      NOT NULL
);
-- One open (applied or active) membership per organisation and network.
CREATE UNIQUE INDEX ux_memberships_open ON memberships (organization_id, network_slug) WHERE status IN ('applied', 'active');
CREATE INDEX ix_memberships_network ON memberships (network_slug, status, organization_id);
CREATE INDEX ix_memberships_organization ON memberships (organization_id);

-- Read model: the network catalogue from the networks service, newest version wins.
CREATE TABLE network_catalogue (
    slug    text   PRIMARY KEY,
    name    text   NOT NULL,
    status  text   NOT NULL,
    version bigint NOT NULL
);
