-- The dispatcher takes unsent rows in id order. Without this index that scan walks past every sent row still kept
-- (RetainSent), so each batch got slower as the outbox filled with sent rows.
CREATE INDEX ix_outbox_unsent_order ON outbox_messages (id) WHERE sent_at IS NULL;
