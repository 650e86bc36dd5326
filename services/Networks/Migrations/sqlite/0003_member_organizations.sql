-- Read model: the organisation facts the member list shows, one row per organisation, newest version
-- wins. Version 0 holds facts that came with a membership event, before any OrganizationUpdated: a
-- membership event is ordered by its membership only, so it never overrides an announced version.
CREATE TABLE member_organizations (
    organization_id   TEXT    PRIMARY KEY,
    organization_name TEXT    NOT NULL,
    organization_kind TEXT    NOT NULL,
    district          TEXT    NOT NULL,
    version           INTEGER NOT NULL
);
-- A change of an organisation is copied into each of its memberships.
CREATE INDEX ix_network_members_organization ON network_members (organization_id);
