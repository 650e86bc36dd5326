-- The members service's change sequence: every published change of an organisation or a membership (its version,
-- or the erasure, moves) takes the next number, so a re-sync can send only what is newer than what the asker holds.
-- Sequence numbers are taken at the write, not at its commit, so they are not in commit order: a re-sync reports as
-- its watermark what it saw, and a change numbered lower that commits later reaches the asker as its own event.
CREATE SEQUENCE member_changes;

-- What exists now is numbered once by the column's default.
ALTER TABLE organizations ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('member_changes');
ALTER TABLE memberships ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('member_changes');

CREATE FUNCTION member_change_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := nextval('member_changes');
    RETURN NEW;
END;
$$;
CREATE TRIGGER organizations_change BEFORE UPDATE OF version, erased_at ON organizations
    FOR EACH ROW EXECUTE FUNCTION member_change_numbered();
CREATE TRIGGER memberships_change BEFORE UPDATE OF version ON memberships
    FOR EACH ROW EXECUTE FUNCTION member_change_numbered();

CREATE INDEX ix_organizations_change_seq ON organizations (change_seq);
CREATE INDEX ix_memberships_change_seq ON memberships (change_seq);
