using EmsAchse.Members.Organizations;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Members.Seed;

/// <summary>A generated organisation: valid facts, perhaps a contact, and the networks it is a member of.</summary>
public sealed record GeneratedOrganization(Guid Id, OrganizationFacts Facts, ContactFacts? Contact, IReadOnlyList<string> Networks);

/// <summary>
/// Makes realistic organisations of the region, deterministically from a seed number: the same seed
/// and count give the same organisations, ids included. The region's institutions come first, then
/// companies of the region's industries spread over the six districts. No two share name and town.
/// </summary>
public sealed class OrganizationGenerator(int seed)
{
    private static readonly Dictionary<string, string[]> Towns = new()
    {
        ["emsland"] = ["Lingen (Ems)", "Meppen", "Papenburg", "Haselünne", "Haren (Ems)", "Sögel", "Werlte", "Freren", "Emsbüren", "Salzbergen", "Spelle", "Dörpen", "Herzlake", "Twist", "Geeste", "Rhede (Ems)", "Lathen", "Esterwegen"],
        ["grafschaft-bentheim"] = ["Nordhorn", "Bad Bentheim", "Schüttorf", "Neuenhaus", "Uelsen", "Emlichheim", "Wietmarschen"],
        ["leer"] = ["Leer (Ostfriesland)", "Weener", "Rhauderfehn", "Westoverledingen", "Moormerland", "Uplengen", "Ostrhauderfehn", "Borkum", "Jemgum", "Bunde"],
        ["aurich"] = ["Aurich", "Norden", "Wiesmoor", "Großefehn", "Südbrookmerland", "Ihlow", "Hage", "Norderney", "Krummhörn"],
        ["wittmund"] = ["Wittmund", "Esens", "Friedeburg", "Langeoog", "Spiekeroog", "Neuharlingersiel"],
        ["emden"] = ["Emden"],
    };

    // Weights follow the size of the districts' economies, roughly.
    private static readonly (string District, int Weight)[] DistrictWeights = [("emsland", 38), ("grafschaft-bentheim", 17), ("leer", 15), ("aurich", 15), ("wittmund", 5), ("emden", 10)];

    private static readonly (string Industry, int Weight, string[] Words)[] Trades =
    [
        ("it", 14, ["Software", "IT-Systemhaus", "Datentechnik", "Digital", "Informatik", "Netzwerktechnik", "Cloud Services", "Webdesign"]),
        ("wood", 6, ["Holzbau", "Holzverarbeitung", "Tischlerei", "Fensterbau", "Möbelwerk", "Treppenbau"]),
        ("plastics", 6, ["Kunststofftechnik", "Kunststoffverarbeitung", "Folientechnik", "Spritzguss", "Rohrsysteme"]),
        ("metal", 7, ["Metallbau", "Stahlbau", "Blechtechnik", "Schweißtechnik", "Oberflächentechnik"]),
        ("machinery", 8, ["Maschinenbau", "Anlagenbau", "Fördertechnik", "Antriebstechnik", "Landmaschinen"]),
        ("vehicles", 3, ["Fahrzeugbau", "Anhängerbau", "Karosseriebau"]),
        ("automotive", 3, ["Automotive", "Fahrzeugteile", "Zulieferteile"]),
        ("shipbuilding", 3, ["Schiffswerft", "Werft", "Bootsbau"]),
        ("shipping", 3, ["Reederei", "Schiffahrtskontor", "Befrachtung"]),
        ("maritime", 3, ["Maritime Dienste", "Hafentechnik", "Schiffsausrüstung"]),
        ("energy", 9, ["Windenergie", "Energietechnik", "Solartechnik", "Offshore Service", "Netzbau", "Biogas"]),
        ("logistics", 8, ["Logistik", "Spedition", "Transporte", "Hafenumschlag", "Lagerlogistik"]),
        ("construction", 6, ["Bauunternehmung", "Hoch- und Tiefbau", "Straßenbau", "Dachtechnik"]),
        ("agriculture-food", 6, ["Agrarhandel", "Molkerei", "Fleischwaren", "Landtechnik", "Torfwerk", "Backwaren"]),
        ("health", 3, ["Pflegedienst", "Medizintechnik", "Sanitätshaus"]),
        ("tourism", 5, ["Ferienpark", "Hotel", "Touristik", "Fahrgastschifffahrt", "Campingpark"]),
        ("services", 5, ["Unternehmensberatung", "Personalservice", "Ingenieurbüro", "Steuerberatung", "Gebäudeservice"]),
    ];

    private static readonly string[] FamilyNames =
    [
        "Abeln", "Ahlers", "Albers", "Bökers", "Boekhoff", "Brüggemann", "Bruns", "Buss", "Cordes", "Dählmann", "Diekmann", "Dirks",
        "Eilers", "Evers", "Feldhaus", "Fokken", "Frerichs", "Gerdes", "Grüßing", "Hagemann", "Harms", "Haskamp", "Helmers", "Heyen",
        "Hinrichs", "Hüsing", "Janssen", "Jürgens", "Kramer", "Krone", "Kuper", "Lohmann", "Löning", "Lüken", "Menke", "Meyer", "Möller",
        "Müller", "Neemann", "Niehaus", "Oltmanns", "Ostendorf", "Peters", "Rademacher", "Rötker", "Saathoff", "Schepers", "Schulte",
        "Siemens", "Tammen", "Tebben", "Terhorst", "Thole", "Uphoff", "Vosskamp", "Weerts", "Wessels", "Wilken", "Wübbels", "Zumsande",
    ];

    private static readonly string[] FirstNames =
    [
        "Anna", "Bernd", "Christina", "Dirk", "Elke", "Frank", "Gesche", "Hauke", "Imke", "Jan", "Katrin", "Lars", "Maren", "Nils",
        "Okka", "Petra", "Remmer", "Silke", "Thomas", "Ulrike", "Volker", "Wiebke", "Gerrit", "Hanna", "Jörg", "Sönke", "Tjark", "Frauke",
    ];

    private static readonly string[] Roles = ["Geschäftsführung", "Inhaber", "Personalleitung", "Vertrieb", "Marketing", "Technische Leitung", "Assistenz der Geschäftsführung"];

    private static readonly (string Form, int Weight)[] LegalForms = [("GmbH", 45), ("GmbH & Co. KG", 30), ("KG", 8), ("e.K.", 8), ("AG", 3), ("OHG", 6)];

    private static readonly Dictionary<string, string> DistrictAdjectives = new()
    {
        ["emsland"] = "Emsländer",
        ["grafschaft-bentheim"] = "Grafschafter",
        ["leer"] = "Ostfriesische",
        ["aurich"] = "Ostfriesische",
        ["wittmund"] = "Harlinger",
        ["emden"] = "Emder",
    };

    // The competence network an industry belongs to (DemoCatalogue slugs).
    private static readonly Dictionary<string, string> NetworkOfIndustry = new()
    {
        ["it"] = "it-achse",
        ["energy"] = "energie-achse-ems",
        ["metal"] = "mema",
        ["machinery"] = "mema",
        ["shipbuilding"] = "mariko",
        ["shipping"] = "mariko",
        ["maritime"] = "mariko",
        ["plastics"] = "kunststoffnetzwerk",
        ["logistics"] = "logistikachse-ems",
        ["vehicles"] = "automotive",
        ["automotive"] = "automotive",
        ["tourism"] = "tourismus",
    };

    /// <summary>The region's institutions: universities, chambers, districts and towns.</summary>
    private static readonly (string Name, string Kind, string District, string Town, string Website, string[] Industries, string[] Networks)[] Institutions =
    [
        ("Hochschule Emden/Leer", "education", "emden", "Emden", "https://www.hs-emden-leer.de", ["education-research", "maritime", "energy"], ["it-achse", "energie-achse-ems"]),
        ("Hochschule Emden/Leer, Fachbereich Seefahrt und Maritime Wissenschaften", "education", "leer", "Leer (Ostfriesland)", "https://www.hs-emden-leer.de", ["education-research", "shipping", "maritime"], ["mariko"]),
        ("Hochschule Osnabrück Campus Lingen", "education", "emsland", "Lingen (Ems)", "https://www.hs-osnabrueck.de", ["education-research", "it"], ["it-achse", "energie-achse-ems"]),
        ("IHK für Ostfriesland und Papenburg", "chamber", "emden", "Emden", "https://www.ihk-emden.de", ["public-administration", "services"], ["it-achse", "logistikachse-ems", "mariko"]),
        ("IHK Osnabrück-Emsland-Grafschaft Bentheim, Geschäftsstelle Lingen", "chamber", "emsland", "Lingen (Ems)", "https://www.ihk.de/osnabrueck", ["public-administration", "services"], ["it-achse", "mema"]),
        ("Handwerkskammer für Ostfriesland", "chamber", "aurich", "Aurich", "https://www.hwk-aurich.de", ["public-administration", "construction"], []),
        ("Landkreis Emsland", "municipality", "emsland", "Meppen", "https://www.emsland.de", ["public-administration"], ["it-achse"]),
        ("Landkreis Grafschaft Bentheim", "municipality", "grafschaft-bentheim", "Nordhorn", "https://www.grafschaft-bentheim.de", ["public-administration"], []),
        ("Landkreis Leer", "municipality", "leer", "Leer (Ostfriesland)", "https://www.landkreis-leer.de", ["public-administration"], ["it-achse"]),
        ("Landkreis Aurich", "municipality", "aurich", "Aurich", "https://www.landkreis-aurich.de", ["public-administration"], []),
        ("Landkreis Wittmund", "municipality", "wittmund", "Wittmund", "https://www.landkreis-wittmund.de", ["public-administration"], ["tourismus"]),
        ("Stadt Emden", "municipality", "emden", "Emden", "https://www.emden.de", ["public-administration"], ["logistikachse-ems", "automotive"]),
        ("Stadt Lingen (Ems)", "municipality", "emsland", "Lingen (Ems)", "https://www.lingen.de", ["public-administration"], ["it-achse"]),
        ("Stadt Papenburg", "municipality", "emsland", "Papenburg", "https://www.papenburg.de", ["public-administration"], ["mariko"]),
        ("Stadt Nordhorn", "municipality", "grafschaft-bentheim", "Nordhorn", "https://www.nordhorn.de", ["public-administration"], ["kunststoffnetzwerk"]),
        ("Stadt Meppen", "municipality", "emsland", "Meppen", "https://www.meppen.de", ["public-administration"], ["mema"]),
        ("Berufsbildende Schulen Lingen", "education", "emsland", "Lingen (Ems)", "https://www.bbs-lingen.de", ["education-research"], ["it-achse"]),
        ("Berufsbildende Schulen Leer", "education", "leer", "Leer (Ostfriesland)", "https://www.bbs-leer.de", ["education-research"], []),
        ("Wirtschaftsverband Emsland e.V.", "association", "emsland", "Meppen", "https://www.wirtschaftsverband-emsland.de", ["services"], ["mema"]),
        ("Kunststoff-Institut Grafschaft e.V.", "research", "grafschaft-bentheim", "Nordhorn", "https://www.kunststoff-grafschaft.de", ["plastics", "education-research"], ["kunststoffnetzwerk"]),
        ("Forschungszentrum Windenergie Ostfriesland", "research", "aurich", "Aurich", "https://www.windforschung-ostfriesland.de", ["energy", "education-research"], ["energie-achse-ems"]),
        ("Seehafen Emden Hafenwirtschaft e.V.", "association", "emden", "Emden", "https://www.hafenwirtschaft-emden.de", ["logistics", "maritime"], ["logistikachse-ems", "mariko"]),
        ("Ostfriesland Tourismus e.V.", "association", "leer", "Leer (Ostfriesland)", "https://www.ostfriesland-tourismus.de", ["tourism"], ["tourismus"]),
        ("Emsland Tourismus e.V.", "association", "emsland", "Meppen", "https://www.emsland-tourismus.de", ["tourism"], ["tourismus"]),
    ];

    private readonly Random _random = new(seed);

    public static int InstitutionCount => Institutions.Length;

    /// <summary>The first <paramref name="count"/> organisations of this seed (institutions first).</summary>
    public IEnumerable<GeneratedOrganization> Generate(int count)
    {
        var keys = new HashSet<(string, string)>();
        var made = 0;
        foreach (var i in Institutions)
        {
            if (made == count)
            {
                yield break;
            }
            var district = Districts.Find(i.District)!;
            var facts = new OrganizationFacts(i.Name, i.Kind, district.Code, district.Region.Code, i.Town, null, i.Website, [.. i.Industries.Order(StringComparer.Ordinal)], i.Kind == "municipality" ? "1000+" : "250-999");
            keys.Add((facts.NameKey, facts.TownKey));
            made++;
            yield return new GeneratedOrganization(NextGuid(), facts, MakeContact(facts), i.Networks);
        }
        while (made < count)
        {
            var company = MakeCompany();
            if (!keys.Add((company.Facts.NameKey, company.Facts.TownKey)))
            {
                continue;
            }
            made++;
            yield return company;
        }
    }

    private GeneratedOrganization MakeCompany()
    {
        var districtCode = Pick(DistrictWeights);
        var district = Districts.Find(districtCode)!;
        var towns = Towns[districtCode];
        // The district's first towns are its centres: they get more companies.
        var town = towns[Math.Min(_random.Next(towns.Length), _random.Next(towns.Length))];
        var (industry, _, words) = Trades[PickIndex(Trades.Select(t => t.Weight).ToArray())];
        var word = words[_random.Next(words.Length)];
        var legal = Pick(LegalForms);
        var townWord = TownAdjective(town);
        var name = _random.Next(10) switch
        {
            < 5 => $"{FamilyNames[_random.Next(FamilyNames.Length)]} {word} {legal}",
            < 7 => $"{word} {FamilyNames[_random.Next(FamilyNames.Length)]} {legal}",
            < 9 => $"{townWord} {word} {legal}",
            _ => $"{DistrictAdjectives[districtCode]} {word} {legal}",
        };
        var industries = new List<string> { industry };
        if (_random.Next(4) == 0)
        {
            var second = Trades[_random.Next(Trades.Length)].Industry;
            if (second != industry)
            {
                industries.Add(second);
            }
        }
        industries.Sort(StringComparer.Ordinal);
        var employees = OrganizationVocabulary.EmployeeBands[Math.Min(_random.Next(5), _random.Next(5))].Code;
        var street = $"{Streets[_random.Next(Streets.Length)]} {_random.Next(1, 120)}";
        var domain = SearchText.Canonical(name.Replace(legal, "", StringComparison.Ordinal)).Replace(' ', '-');
        var facts = new OrganizationFacts(name, "company", district.Code, district.Region.Code, town, $"{street}, {town}", $"https://www.{domain}.de", industries, employees);
        var networks = industries
            .Where(NetworkOfIndustry.ContainsKey)
            .Select(i => NetworkOfIndustry[i])
            .Distinct()
            .Where(_ => _random.Next(100) < 45)
            .ToList();
        return new GeneratedOrganization(NextGuid(), facts, _random.Next(100) < 85 ? MakeContact(facts) : null, networks);
    }

    /// <summary>"Lingen (Ems)" -> "Lingener", "Haselünne" -> "Haselünner", "Bad Bentheim" -> "Bentheimer".</summary>
    internal static string TownAdjective(string town)
    {
        var word = town.Split(' ').First(w => w != "Bad");
        return word.EndsWith('e') ? word + "r" : word + "er";
    }

    private static readonly string[] Streets = ["Hauptstraße", "Industriestraße", "Am Hafen", "Gewerbering", "Kanalstraße", "Bahnhofstraße", "Emsstraße", "Marktstraße", "Zum Sportplatz", "Deichstraße", "Am Schöpfwerk", "Raiffeisenstraße"];

    private ContactFacts MakeContact(OrganizationFacts organization)
    {
        var first = FirstNames[_random.Next(FirstNames.Length)];
        var last = FamilyNames[_random.Next(FamilyNames.Length)];
        var host = organization.Website is { } site ? new Uri(site).Host.Replace("www.", "", StringComparison.Ordinal) : "example.de";
        var email = $"{SearchText.Canonical(first)}.{SearchText.Canonical(last).Replace(' ', '-')}@{host}";
        var phone = $"+49 {4900 + _random.Next(99)} {_random.Next(10000, 999999)}";
        return new ContactFacts($"{first} {last}", email, phone, Roles[_random.Next(Roles.Length)], _random.Next(100) < 60);
    }

    private string Pick((string Value, int Weight)[] weighted) => weighted[PickIndex(weighted.Select(w => w.Weight).ToArray())].Value;

    private int PickIndex(int[] weights)
    {
        var roll = _random.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout, so the ids look like any other
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
