-- Inbox keys were consumer class names; they are now the queue names chosen at registration, so a renamed
-- class keeps its inbox. The rows of the consumers as they were are carried over.
UPDATE inbox_messages SET consumer = 'funding-network-registered' WHERE consumer = 'NetworkRegisteredConsumer';
UPDATE inbox_messages SET consumer = 'funding-network-changed' WHERE consumer = 'NetworkChangedConsumer';
UPDATE inbox_messages SET consumer = 'funding-network-dissolved' WHERE consumer = 'NetworkDissolvedConsumer';
UPDATE inbox_messages SET consumer = 'funding-site-opened' WHERE consumer = 'SiteOpenedConsumer';
UPDATE inbox_messages SET consumer = 'funding-site-changed' WHERE consumer = 'SiteChangedConsumer';
UPDATE inbox_messages SET consumer = 'funding-site-closed' WHERE consumer = 'SiteClosedConsumer';
UPDATE inbox_messages SET consumer = 'funding-membership-activated' WHERE consumer = 'MembershipActivatedConsumer';
UPDATE inbox_messages SET consumer = 'funding-membership-ended' WHERE consumer = 'MembershipEndedConsumer';
UPDATE inbox_messages SET consumer = 'funding-organization-updated' WHERE consumer = 'OrganizationUpdatedConsumer';
UPDATE inbox_messages SET consumer = 'funding-site-funding-resync-requested' WHERE consumer = 'SiteFundingResyncRequestedConsumer';
