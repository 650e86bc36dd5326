-- The umbrella (Ems-Achse) as one row: readable by everyone, changed by admins only.
CREATE TABLE umbrella (
    id                   integer     PRIMARY KEY CHECK (id = 1),
    name                 text        NOT NULL,
    short_name           text        NOT NULL,
    legal_form           text        NOT NULL,
    founded_year         integer     NOT NULL,
    mission              text        NOT NULL,
    office_street        text        NOT NULL,
    office_postal_code   text        NOT NULL,
    office_town          text        NOT NULL,
    districts            text        NOT NULL,   -- JSON array of district codes
    member_organizations integer     NULL,
    employees            integer     NULL,
    figures_year         integer     NULL,
    work_areas           text        NOT NULL,   -- JSON array of strings
    website              text        NULL,
    version              bigint      NOT NULL,
    updated_at           timestamptz NOT NULL
);
INSERT INTO umbrella (id, name, short_name, legal_form, founded_year, mission, office_street, office_postal_code, office_town,
                      districts, member_organizations, employees, figures_year, work_areas, website, version, updated_at)
VALUES (1, 'Wachstumsregion Ems-Achse e.V.', 'Ems-Achse', 'e.V.', 2006,
        'Das Bündnis von Unternehmen, Kommunen, Bildungseinrichtungen, Kammern und Verbänden im Emsland, der Grafschaft Bentheim und Ostfriesland: Profilierung einer gemeinsamen Wirtschaftsregion Ems-Achse, Stärkung des Wirtschaftswachstums und Schaffung zusätzlicher Arbeitsplätze.',
        'Hauptkanal links 60', '26871', 'Papenburg',
        '["emsland","grafschaft-bentheim","leer","aurich","wittmund","emden"]', 700, 120000, 2021,
        '["Kompetenznetzwerke","Regionale Lobbyarbeit","Fachkräfteinitiative"]', NULL, 1, now());

-- A dissolved network keeps its row (slugs are never reused) and records when it was dissolved.
ALTER TABLE networks ADD COLUMN dissolved_on date NULL;

-- Managers of a network: personal data, deleted (not kept as history) when a manager is removed.
CREATE TABLE network_managers (
    id           uuid        PRIMARY KEY,
    network_slug text        NOT NULL REFERENCES networks (slug),
    name         text        NOT NULL,
    email        text        NOT NULL,
    phone        text        NULL,
    site_id      uuid        NULL REFERENCES sites (id),
    added_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_network_managers_email ON network_managers (network_slug, lower(email));
