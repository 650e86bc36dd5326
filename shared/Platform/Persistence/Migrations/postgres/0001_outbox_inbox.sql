-- Outgoing integration events, written in the same transaction as the change they describe.
CREATE TABLE outbox_messages (
    id             bigserial   PRIMARY KEY,
    message_id     uuid        NOT NULL UNIQUE,
    aggregate_id   text        NOT NULL,
    message_type   text        NOT NULL,
    body           text        NOT NULL,
    correlation_id text        NULL,
    created_at     timestamptz NOT NULL,
    sent_at        timestamptz NULL,
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text        NULL
);
CREATE INDEX ix_outbox_unsent ON outbox_messages (aggregate_id, id) WHERE sent_at IS NULL;

-- Messages a consumer has applied, so a redelivery has no second effect.
CREATE TABLE inbox_messages (
    message_id  uuid        NOT NULL,
    consumer    text        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (message_id, consumer)
);
