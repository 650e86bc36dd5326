-- The umbrella (Ems-Achse) as one row: readable by everyone, changed by admins only.
CREATE TABLE umbrella (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    name                 TEXT    NOT NULL,
    short_name           TEXT    NOT NULL,
    legal_form           TEXT    NOT NULL,
    founded_year         INTEGER NOT NULL,
    mission              TEXT    NOT NULL,
    office_street        TEXT    NOT NULL,
    office_postal_code   TEXT    NOT NULL,
    office_town          TEXT    NOT NULL,
    districts            TEXT    NOT NULL,   -- JSON array of district codes
    member_organizations INTEGER NULL,
    employees            INTEGER NULL,
    figures_year         INTEGER NULL,
    work_areas           TEXT    NOT NULL,   -- JSON array of strings
    website              TEXT    NULL,
    version              INTEGER NOT NULL,
    updated_at           TEXT    NOT NULL
);
INSERT INTO umbrella (id, name, short_name, legal_form, founded_year, mission, office_street, office_postal_code, office_town,
                      districts, member_organizations, employees, figures_year, work_areas, website, version, updated_at)
VALUES (1, 'Wachstumsregion Ems-Achse e.V.', 'Ems-Achse', 'e.V.', 2006,
        'Das Bündnis von Unternehmen, Kommunen, Bildungseinrichtungen, Kammern und Verbänden im Emsland, der Grafschaft Bentheim und Ostfriesland: Profilierung einer gemeinsamen Wirtschaftsregion Ems-Achse, Stärkung des Wirtschaftswachstums und Schaffung zusätzlicher Arbeitsplätze.',
        'Hauptkanal links 60', '26871', 'Papenburg',
        '["emsland","grafschaft-bentheim","leer","aurich","wittmund","emden"]', 700, 120000, 2021,
        '["Kompetenznetzwerke","Regionale Lobbyarbeit","Fachkräfteinitiative"]', NULL, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- A dissolved network keeps its row (slugs are never reused) and records when it was dissolved.
ALTER TABLE networks ADD COLUMN dissolved_on TEXT NULL;

-- Managers of a network: personal data, deleted (not kept as history) when a manager is removed.
CREATE TABLE network_managers (
    id           TEXT PRIMARY KEY,
    network_slug TEXT NOT NULL REFERENCES networks (slug),
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    phone        TEXT NULL,
    site_id      TEXT NULL REFERENCES sites (id),
    added_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_network_managers_email ON network_managers (network_slug, lower(email));
