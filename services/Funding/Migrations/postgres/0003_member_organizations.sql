-- Read model: the organisation facts copied into the memberships (fee claims follow the kind), one row
-- per organisation, newest version wins. Version 0 holds facts that came with a membership event, before
-- any OrganizationUpdated: a membership event is ordered by its membership only, so it never overrides
-- an announced version.
CREATE TABLE member_organizations (
    organization_id   uuid   PRIMARY KEY,
    organization_name text   NOT NULL,
    organization_kind text   NOT NULL,
    version           bigint NOT NULL
);
-- A change of an organisation is copied into each of its memberships.
CREATE INDEX ix_memberships_organization ON memberships (organization_id);
