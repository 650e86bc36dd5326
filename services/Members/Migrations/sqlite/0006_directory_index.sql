-- The public directory's own full-text index: only the listed organisations, each with its words and its
-- filters as tokens (_d_<district>, _r_<region>, _k_<kind>, _i_<industry>, _n_<network of an active
-- membership>, _all). Any public query, text or filters, is then one MATCH whose count FTS5 reads from its
-- doclists, instead of probing each hit's row for listed, network or industry (7-10 ms at 100,000
-- organisations). '_' and '-' are token characters here, so a code is one token; the words of search_text are
-- runs of [a-z0-9], so a user's prefix can never reach a filter token. detail=none: only which rows hold a
-- token is needed. The 2- and 3-letter prefix indexes answer short prefixes ("ha*") without expanding every term.
-- The admins' and managers' searches (?includeUnlisted=true) stay on organization_search.
CREATE VIRTUAL TABLE organization_directory USING fts5(terms, tokenize="unicode61 tokenchars '_-'", detail=none, prefix='2 3');

CREATE VIEW organization_directory_terms AS
SELECT o.seq, o.id,
       o.search_text || ' _all _d_' || o.district || ' _r_' || o.region || ' _k_' || o.kind
       || COALESCE((SELECT group_concat(' _i_' || i.industry, '') FROM organization_industries i WHERE i.organization_id = o.id), '')
       || COALESCE((SELECT group_concat(' _n_' || m.network_slug, '') FROM memberships m WHERE m.organization_id = o.id AND m.status = 'active'), '')
       AS terms
FROM organizations o
WHERE o.listed = 1;

INSERT INTO organization_directory (rowid, terms) SELECT seq, terms FROM organization_directory_terms;

-- Kept in the writing transaction on every path. A membership's change reaches here through the listing
-- triggers, which set organizations.listed on every membership write (and UPDATE OF fires whether or not
-- the value changed).
CREATE TRIGGER organizations_directory_insert AFTER INSERT ON organizations WHEN new.listed = 1 BEGIN
    INSERT INTO organization_directory (rowid, terms) SELECT seq, terms FROM organization_directory_terms WHERE seq = new.seq;
END;
CREATE TRIGGER organizations_directory_update AFTER UPDATE OF listed, search_text, district, region, kind ON organizations
WHEN old.listed = 1 OR new.listed = 1 BEGIN
    DELETE FROM organization_directory WHERE rowid = old.seq;
    INSERT INTO organization_directory (rowid, terms) SELECT seq, terms FROM organization_directory_terms WHERE seq = new.seq;
END;
CREATE TRIGGER organizations_directory_delete AFTER DELETE ON organizations WHEN old.listed = 1 BEGIN
    DELETE FROM organization_directory WHERE rowid = old.seq;
END;
-- Only a listed organisation has a row to change (the seed writes industries before any membership).
CREATE TRIGGER organization_industries_directory_insert AFTER INSERT ON organization_industries
WHEN EXISTS (SELECT 1 FROM organizations WHERE id = new.organization_id AND listed = 1) BEGIN
    DELETE FROM organization_directory WHERE rowid = (SELECT seq FROM organizations WHERE id = new.organization_id);
    INSERT INTO organization_directory (rowid, terms) SELECT seq, terms FROM organization_directory_terms WHERE id = new.organization_id;
END;
CREATE TRIGGER organization_industries_directory_delete AFTER DELETE ON organization_industries
WHEN EXISTS (SELECT 1 FROM organizations WHERE id = old.organization_id AND listed = 1) BEGIN
    DELETE FROM organization_directory WHERE rowid = (SELECT seq FROM organizations WHERE id = old.organization_id);
    INSERT INTO organization_directory (rowid, terms) SELECT seq, terms FROM organization_directory_terms WHERE id = old.organization_id;
END;
CREATE TRIGGER organization_industries_directory_update AFTER UPDATE ON organization_industries
WHEN EXISTS (SELECT 1 FROM organizations WHERE id IN (old.organization_id, new.organization_id) AND listed = 1) BEGIN
    DELETE FROM organization_directory WHERE rowid IN (SELECT seq FROM organizations WHERE id IN (old.organization_id, new.organization_id));
    INSERT INTO organization_directory (rowid, terms) SELECT seq, terms FROM organization_directory_terms WHERE id IN (old.organization_id, new.organization_id);
END;
