-- Inbox keys were consumer class names; they are now the queue names chosen at registration, so a renamed
-- class keeps its inbox. The rows of the consumers as they were are carried over.
UPDATE inbox_messages SET consumer = 'networks-membership-activated' WHERE consumer = 'MembershipActivatedConsumer';
UPDATE inbox_messages SET consumer = 'networks-membership-ended' WHERE consumer = 'MembershipEndedConsumer';
UPDATE inbox_messages SET consumer = 'networks-organization-updated' WHERE consumer = 'OrganizationUpdatedConsumer';
UPDATE inbox_messages SET consumer = 'networks-site-funding-changed' WHERE consumer = 'SiteFundingChangedConsumer';
UPDATE inbox_messages SET consumer = 'networks-network-catalog-resync-requested' WHERE consumer = 'NetworkCatalogResyncRequestedConsumer';
