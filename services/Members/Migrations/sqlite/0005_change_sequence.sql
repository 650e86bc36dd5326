-- The members service's change sequence: every published change of an organisation or a membership (its version,
-- or the erasure, moves) takes the next number, so a re-sync can send only what is newer than what the asker holds.
-- SQLite has no sequences: one counter row, advanced by the triggers in the writing transaction.
CREATE TABLE change_sequence (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);

ALTER TABLE organizations ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
-- What exists now, numbered once: organisations first, then memberships.
UPDATE organizations SET change_seq = seq;
UPDATE memberships SET change_seq = rowid + (SELECT COALESCE(MAX(seq), 0) FROM organizations);
INSERT INTO change_sequence (id, last)
VALUES (1, MAX((SELECT COALESCE(MAX(change_seq), 0) FROM organizations), (SELECT COALESCE(MAX(change_seq), 0) FROM memberships)));

CREATE TRIGGER organizations_change_insert AFTER INSERT ON organizations BEGIN
    UPDATE change_sequence SET last = last + 1 WHERE id = 1;
    UPDATE organizations SET change_seq = (SELECT last FROM change_sequence WHERE id = 1) WHERE seq = new.seq;
END;
CREATE TRIGGER organizations_change_update AFTER UPDATE OF version, erased_at ON organizations BEGIN
    UPDATE change_sequence SET last = last + 1 WHERE id = 1;
    UPDATE organizations SET change_seq = (SELECT last FROM change_sequence WHERE id = 1) WHERE seq = new.seq;
END;
CREATE TRIGGER memberships_change_insert AFTER INSERT ON memberships BEGIN
    UPDATE change_sequence SET last = last + 1 WHERE id = 1;
    UPDATE memberships SET change_seq = (SELECT last FROM change_sequence WHERE id = 1) WHERE id = new.id;
END;
CREATE TRIGGER memberships_change_update AFTER UPDATE OF version ON memberships BEGIN
    UPDATE change_sequence SET last = last + 1 WHERE id = 1;
    UPDATE memberships SET change_seq = (SELECT last FROM change_sequence WHERE id = 1) WHERE id = new.id;
END;

CREATE INDEX ix_organizations_change_seq ON organizations (change_seq);
CREATE INDEX ix_memberships_change_seq ON memberships (change_seq);
