-- The copies of other services' data have one shape in every service that keeps them (shared/ReadModels): the
-- network catalogue and the memberships with their organisation's facts get the names members and networks use.
ALTER TABLE networks RENAME TO network_catalogue;
ALTER TABLE memberships RENAME TO network_members;
ALTER TABLE network_members RENAME COLUMN id TO membership_id;
ALTER TABLE network_members ADD COLUMN district TEXT NOT NULL DEFAULT '';
ALTER TABLE member_organizations ADD COLUMN district TEXT NOT NULL DEFAULT '';

