CREATE TABLE organizations (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL,
    kind       text        NOT NULL,
    district   text        NOT NULL,
    town       text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE memberships (
    id              uuid        PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id),
    network_slug    text        NOT NULL,
    status          text        NOT NULL,
    submitted       timestamptz NOT NULL,
    decided         timestamptz NULL,
    decided_by      text        NULL,
    since           date        NULL,
    until           date        NULL,
    version         bigint      NOT NULL
);
-- One open (applied or active) membership per organisation and network.
CREATE UNIQUE INDEX ux_memberships_open ON memberships (organization_id, network_slug) WHERE status IN ('applied', 'active');

-- Read model: the network catalogue from the networks service, newest version wins.
CREATE TABLE network_catalogue (
    slug    text   PRIMARY KEY,
    name    text   NOT NULL,
    status  text   NOT NULL,
    version bigint NOT NULL
);
