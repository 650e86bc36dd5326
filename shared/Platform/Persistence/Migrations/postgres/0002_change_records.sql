-- "Who changed what": one row per change, written in the change's own transaction. Ids and actions only:
-- the personal data of contacts never goes in here, so an erase has nothing to redact.
CREATE TABLE change_records (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor_id       text        NOT NULL,
    actor_name     text        NULL,
    action         text        NOT NULL,
    aggregate_type text        NOT NULL,
    aggregate_id   text        NOT NULL,
    network        text        NULL
);
CREATE INDEX ix_change_records_actor ON change_records (actor_id, id);
CREATE INDEX ix_change_records_aggregate ON change_records (aggregate_type, aggregate_id, id);
