-- Inbox keys were consumer class names; they are now the queue names chosen at registration, so a renamed
-- class keeps its inbox. The rows of the consumers as they were are carried over.
UPDATE inbox_messages SET consumer = 'members-network-registered' WHERE consumer = 'NetworkRegisteredConsumer';
UPDATE inbox_messages SET consumer = 'members-network-changed' WHERE consumer = 'NetworkChangedConsumer';
UPDATE inbox_messages SET consumer = 'members-network-dissolved' WHERE consumer = 'NetworkDissolvedConsumer';
UPDATE inbox_messages SET consumer = 'members-membership-resync-requested' WHERE consumer = 'MembershipResyncRequestedConsumer';
