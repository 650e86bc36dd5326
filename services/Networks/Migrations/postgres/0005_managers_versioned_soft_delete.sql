-- Managers carry a version and are removed softly: the identity service is told of every removal, and a
-- re-sync re-announces removed managers so a missed removal is repaired. A removed row keeps name and e-mail
-- (what the removal event names) and drops the phone number.
ALTER TABLE network_managers ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE network_managers ADD COLUMN removed_at timestamptz NULL;
DROP INDEX ux_network_managers_email;
CREATE UNIQUE INDEX ux_network_managers_email ON network_managers (network_slug, lower(email)) WHERE removed_at IS NULL;
