-- The application a contact was submitted with: a pending application shows its network's managers that contact only.
ALTER TABLE contacts ADD COLUMN submitted_with uuid NULL REFERENCES memberships (id);

-- Who is responsible for and who may see an organisation follows from its memberships by status.
CREATE INDEX ix_memberships_organization_status ON memberships (organization_id, status, network_slug);
DROP INDEX ix_memberships_organization;
