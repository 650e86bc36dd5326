CREATE TABLE organizations (
    seq         INTEGER PRIMARY KEY,     -- stable rowid: the full-text index refers to it
    id          TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,        -- folded name: duplicates and order
    kind        TEXT    NOT NULL,
    district    TEXT    NOT NULL,
    region      TEXT    NOT NULL,        -- follows from district; stored for the directory filter
    town        TEXT    NOT NULL,
    town_key    TEXT    NOT NULL,
    address     TEXT    NULL,
    website     TEXT    NULL,
    employees   TEXT    NULL,
    search_text TEXT    NOT NULL,        -- folded words of name, town and industries in both umlaut spellings
    version     INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    erased_at   TEXT    NULL
);
-- The same organisation is not registered twice: same folded name in the same town.
CREATE UNIQUE INDEX ux_organizations_name_town ON organizations (name_key, town_key);
CREATE INDEX ix_organizations_order ON organizations (name_key, id);
CREATE INDEX ix_organizations_district ON organizations (district, name_key);
CREATE INDEX ix_organizations_region ON organizations (region, name_key);
CREATE INDEX ix_organizations_kind ON organizations (kind, name_key);

CREATE TABLE organization_industries (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    industry        TEXT NOT NULL,
    PRIMARY KEY (organization_id, industry)
);
CREATE INDEX ix_organization_industries_industry ON organization_industries (industry, organization_id);

-- Full-text index over search_text (external content: the text lives once, in organizations).
CREATE VIRTUAL TABLE organization_search USING fts5(search_text, content='organizations', content_rowid='seq', tokenize='unicode61');
CREATE TRIGGER organizations_search_insert AFTER INSERT ON organizations BEGIN
    INSERT INTO organization_search (rowid, search_text) VALUES (new.seq, new.search_text);
END;
CREATE TRIGGER organizations_search_delete AFTER DELETE ON organizations BEGIN
    INSERT INTO organization_search (organization_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
END;
CREATE TRIGGER organizations_search_update AFTER UPDATE OF search_text ON organizations BEGIN
    INSERT INTO organization_search (organization_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    INSERT INTO organization_search (rowid, search_text) VALUES (new.seq, new.search_text);
END;

-- Contact persons: personal data (GDPR export and erasure).
CREATE TABLE contacts (
    id                 TEXT    PRIMARY KEY,
    organization_id    TEXT    NOT NULL REFERENCES organizations (id),
    name               TEXT    NOT NULL,
    email              TEXT    NULL,
    phone              TEXT    NULL,
    role               TEXT    NULL,
    consent_to_publish INTEGER NOT NULL,
    created_at         TEXT    NOT NULL
);
CREATE INDEX ix_contacts_organization ON contacts (organization_id);

CREATE TABLE memberships (
    id              TEXT    PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id),
    network_slug    TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    submitted       TEXT    NOT NULL,
    decided         TEXT    NULL,
    decided_by      TEXT    NULL,
    decision_reason TEXT    NULL,
    since           TEXT    NULL,
    until           TEXT    NULL,
    ended_by        TEXT    NULL,
    end_reason      TEXT    NULL,
    version         INTEGER NOT NULL
);
-- One open (applied or active) membership per organisation and network.
CREATE UNIQUE INDEX ux_memberships_open ON memberships (organization_id, network_slug) WHERE status IN ('applied', 'active');
CREATE INDEX ix_memberships_network ON memberships (network_slug, status, organization_id);
CREATE INDEX ix_memberships_organization ON memberships (organization_id);

-- Read model: the network catalogue from the networks service, newest version wins.
CREATE TABLE network_catalogue (
    slug    TEXT    PRIMARY KEY,
    name    TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    version INTEGER NOT NULL
);
