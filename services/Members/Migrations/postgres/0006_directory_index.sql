-- The public directory's own index, as on SQLite: only the listed organisations, each with its words and its
-- filters as lexemes of one tsvector (_d_<district>, _r_<region>, _k_<kind>, _i_<industry>, _n_<network of an
-- active membership>, _all). A public query is then one GIN scan of a narrow table, instead of a scan of the
-- wide organizations' index followed by a check of each hit's listed, network and industry (13-45 ms at 100,000
-- organisations). Filter lexemes are set as given (array_to_tsvector, no parser), so '_n_it-achse' stays one
-- lexeme; the user's words are runs of [a-z0-9] and can never reach one. name_key is "C" as the directory's order.
-- The admins' and managers' searches (?includeUnlisted=true) stay on organizations.search_vector.
CREATE TABLE organization_directory (
    id       uuid               PRIMARY KEY,
    name_key text COLLATE "C"   NOT NULL,
    terms    tsvector           NOT NULL
);
CREATE INDEX ix_organization_directory_terms ON organization_directory USING gin (terms);
CREATE INDEX ix_organization_directory_order ON organization_directory (name_key, id);

CREATE VIEW organization_directory_terms AS
SELECT o.id, o.name_key,
       o.search_vector || array_to_tsvector(
           ARRAY['_all', '_d_' || o.district, '_r_' || o.region, '_k_' || o.kind]
           || ARRAY(SELECT '_i_' || i.industry FROM organization_industries i WHERE i.organization_id = o.id)
           || ARRAY(SELECT DISTINCT '_n_' || m.network_slug FROM memberships m WHERE m.organization_id = o.id AND m.status = 'active'))
       AS terms
FROM organizations o
WHERE o.listed;

INSERT INTO organization_directory (id, name_key, terms) SELECT id, name_key, terms FROM organization_directory_terms;

-- One organisation's row rebuilt from the tables (none when it is not listed). PL/pgSQL, not SQL: a SQL function
-- called from a trigger is planned again on every call, PL/pgSQL keeps its plans for the session.
CREATE FUNCTION organization_directory_refresh(organization uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM organization_directory WHERE id = organization;
    INSERT INTO organization_directory (id, name_key, terms)
        SELECT t.id, t.name_key, t.terms FROM organization_directory_terms t WHERE t.id = organization;
END;
$$;

-- Kept in the writing transaction on every path. A membership's change reaches here through the listing trigger,
-- which sets organizations.listed on every membership write (and UPDATE OF fires whether or not the value changed).
CREATE FUNCTION organizations_directory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM organization_directory WHERE id = OLD.id;
    ELSE
        PERFORM organization_directory_refresh(NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER organizations_directory_insert AFTER INSERT ON organizations
    FOR EACH ROW WHEN (NEW.listed) EXECUTE FUNCTION organizations_directory();
CREATE TRIGGER organizations_directory_update AFTER UPDATE OF listed, search_text, name_key, district, region, kind ON organizations
    FOR EACH ROW WHEN (OLD.listed OR NEW.listed) EXECUTE FUNCTION organizations_directory();
CREATE TRIGGER organizations_directory_delete AFTER DELETE ON organizations
    FOR EACH ROW WHEN (OLD.listed) EXECUTE FUNCTION organizations_directory();

-- Only a listed organisation has a row to change (most industries are written before any membership).
CREATE FUNCTION organization_industries_directory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = OLD.organization_id AND o.listed) THEN
        PERFORM organization_directory_refresh(OLD.organization_id);
    END IF;
    IF TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = NEW.organization_id AND o.listed) THEN
        PERFORM organization_directory_refresh(NEW.organization_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER organization_industries_directory AFTER INSERT OR DELETE OR UPDATE ON organization_industries
    FOR EACH ROW EXECUTE FUNCTION organization_industries_directory();
