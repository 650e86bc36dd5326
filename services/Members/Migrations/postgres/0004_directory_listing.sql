-- The public directory lists organisations with an active membership. Kept as a column, so the directory's
-- queries read one indexed value instead of probing memberships for every candidate row; the trigger keeps
-- it right on every path that writes memberships (API, seed, events).
ALTER TABLE organizations ADD COLUMN listed boolean NOT NULL DEFAULT false;
UPDATE organizations o SET listed = EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id AND m.status = 'active');

CREATE FUNCTION organizations_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE organizations o SET listed = EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id AND m.status = 'active')
        WHERE o.id = OLD.organization_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE organizations o SET listed = EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id AND m.status = 'active')
        WHERE o.id = NEW.organization_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER memberships_listing AFTER INSERT OR DELETE OR UPDATE OF status, organization_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION organizations_listing();

-- The directory's paths over the listed ones only: name order (no text), by district, region and kind.
CREATE INDEX ix_organizations_listed_order ON organizations (name_key COLLATE "C", id) WHERE listed;
CREATE INDEX ix_organizations_listed_district ON organizations (district, name_key COLLATE "C", id) WHERE listed;
CREATE INDEX ix_organizations_listed_region ON organizations (region, name_key COLLATE "C", id) WHERE listed;
CREATE INDEX ix_organizations_listed_kind ON organizations (kind, name_key COLLATE "C", id) WHERE listed;
