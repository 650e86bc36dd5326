-- The public directory lists organisations with an active membership. Kept as a column, so the directory's
-- queries read one indexed value instead of probing memberships for every candidate row; the triggers keep
-- it right on every path that writes memberships (API, seed, events).
ALTER TABLE organizations ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
UPDATE organizations SET listed = EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = organizations.id AND m.status = 'active');

CREATE TRIGGER memberships_listing_insert AFTER INSERT ON memberships BEGIN
    UPDATE organizations SET listed = EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = new.organization_id AND m.status = 'active')
    WHERE id = new.organization_id;
END;
CREATE TRIGGER memberships_listing_update AFTER UPDATE OF status, organization_id ON memberships BEGIN
    UPDATE organizations SET listed = EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = organizations.id AND m.status = 'active')
    WHERE id IN (old.organization_id, new.organization_id);
END;
CREATE TRIGGER memberships_listing_delete AFTER DELETE ON memberships BEGIN
    UPDATE organizations SET listed = EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = old.organization_id AND m.status = 'active')
    WHERE id = old.organization_id;
END;

-- The directory's paths: the listed ones in name order (no text; page N walks the index), by district, region
-- and kind in name order, and a narrow covering index from the full-text index's rowid to what a text query
-- filters and sorts by (so it does not read the wide rows of every hit).
CREATE INDEX ix_organizations_listed_order ON organizations (listed, name_key, id);
CREATE INDEX ix_organizations_listed_district ON organizations (listed, district, name_key, id);
CREATE INDEX ix_organizations_listed_region ON organizations (listed, region, name_key, id);
CREATE INDEX ix_organizations_listed_kind ON organizations (listed, kind, name_key, id);
CREATE INDEX ix_organizations_search_hit ON organizations (seq, listed, name_key, id);
