CREATE TABLE funders (
    id       uuid PRIMARY KEY,
    name     text NOT NULL,
    kind     text NOT NULL,
    district text NULL
);

CREATE TABLE commitments (
    id                 uuid    PRIMARY KEY,
    funder_id          uuid    NOT NULL REFERENCES funders (id),
    site_id            uuid    NOT NULL,
    share_basis_points integer NOT NULL CHECK (share_basis_points BETWEEN 1 AND 10000),
    valid_from         date    NOT NULL,
    valid_to           date    NULL,
    version            bigint  NOT NULL
);
CREATE INDEX ix_commitments_site ON commitments (site_id, valid_from);

-- Read model: sites from the networks service, newest version wins.
CREATE TABLE sites (
    id           uuid   PRIMARY KEY,
    network_slug text   NOT NULL,
    name         text   NOT NULL,
    status       text   NOT NULL,
    closed       date   NULL,
    version      bigint NOT NULL,
    -- Version of this site's published funding coverage (SiteFundingChanged).
    funding_version bigint NOT NULL DEFAULT 0
);
