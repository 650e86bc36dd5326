-- How far this service's copies are complete, per owner (its change sequence), from the owner's last completed
-- re-sync: the next start asks only for what is newer. No row: the next re-sync is a full one.
CREATE TABLE resync_watermarks (
    owner        TEXT    PRIMARY KEY,
    watermark    INTEGER NOT NULL,
    completed_at TEXT    NOT NULL
);
