-- Outgoing integration events, written in the same transaction as the change they describe.
CREATE TABLE outbox_messages (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id     TEXT    NOT NULL UNIQUE,
    aggregate_id   TEXT    NOT NULL,
    message_type   TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    correlation_id TEXT    NULL,
    created_at     TEXT    NOT NULL,
    sent_at        TEXT    NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT    NULL
);
CREATE INDEX ix_outbox_unsent ON outbox_messages (aggregate_id, id) WHERE sent_at IS NULL;

-- Messages a consumer has applied, so a redelivery has no second effect.
CREATE TABLE inbox_messages (
    message_id  TEXT NOT NULL,
    consumer    TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (message_id, consumer)
);
