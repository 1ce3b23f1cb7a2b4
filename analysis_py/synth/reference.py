"""Reference facts the synthetic generator draws on.

These are public facts (city centres, departments, pre-2016 regions, candidates) or
the paper's own lists; everything else the generator writes is random. The dbt seeds
carry their own copies of the reference tables the pipeline needs, so a test that
joins the generator's output through the seeds checks two independent encodings.
"""

from __future__ import annotations

from dataclasses import dataclass

STUDY_START = "2019-03-16"
STUDY_END = "2019-05-31"
DST_DATE = "2019-03-31"  # clock change: slots 02:00-02:45 do not exist
SERVICES = ("Tor", "Web_Adult", "YouTube")


@dataclass(frozen=True)
class City:
    name: str
    lon: float
    lat: float
    departments: tuple[str, ...]  # main department first
    plm_parent: str | None = None  # Paris, Lyon, Marseille: parent commune code
    plm_prefix: str | None = None  # arrondissement codes start with this


CITIES: tuple[City, ...] = (
    City("Bordeaux", -0.5792, 44.8378, ("33",)),
    City("Clermont-Ferrand", 3.0863, 45.7772, ("63",)),
    City("Dijon", 5.0415, 47.3220, ("21",)),
    City("Grenoble", 5.7245, 45.1885, ("38",)),
    City("Lille", 3.0573, 50.6292, ("59",)),
    City("Lyon", 4.8357, 45.7640, ("69", "01"), plm_parent="69123", plm_prefix="6938"),
    City("Mans", 0.1996, 48.0061, ("72",)),
    City("Marseille", 5.3698, 43.2965, ("13",), plm_parent="13055", plm_prefix="132"),
    City("Metz", 6.1757, 49.1193, ("57",)),
    City("Montpellier", 3.8767, 43.6108, ("34",)),
    City("Nancy", 6.1844, 48.6921, ("54",)),
    City("Nantes", -1.5536, 47.2184, ("44",)),
    City("Nice", 7.2620, 43.7102, ("06",)),
    City("Orleans", 1.9093, 47.9030, ("45",)),
    City("Paris", 2.3522, 48.8566, ("75", "92", "93", "94"), plm_parent="75056", plm_prefix="751"),
    City("Rennes", -1.6778, 48.1173, ("35",)),
    City("Saint-Etienne", 4.3872, 45.4397, ("42",)),
    City("Strasbourg", 7.7521, 48.5734, ("67",)),
    City("Toulouse", 1.4442, 43.6047, ("31",)),
    City("Tours", 0.6848, 47.3941, ("37",)),
)
CITY_BY_NAME = {c.name: c for c in CITIES}

# Cities with their own collection anomalies on 2019-03-31 (data_formats.md)
CITIES_WITH_DST_OUTAGE = ("Bordeaux", "Toulouse", "Dijon")

# Pre-2016 regions as Google Trends names them (English), with their ISO code and the
# post-2016 INSEE region code of the departments they hold.
OLD_REGIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # code: (English name, new INSEE region, departments)
    "FR-A": ("Alsace", "44", ("67", "68")),
    "FR-B": ("Aquitaine", "75", ("24", "33", "40", "47", "64")),
    "FR-C": ("Auvergne", "84", ("03", "15", "43", "63")),
    "FR-D": ("Burgundy", "27", ("21", "58", "71", "89")),
    "FR-E": ("Brittany", "53", ("22", "29", "35", "56")),
    "FR-F": ("Centre-Val de Loire", "24", ("18", "28", "36", "37", "41", "45")),
    "FR-G": ("Champagne-Ardenne", "44", ("08", "10", "51", "52")),
    "FR-H": ("Corsica", "94", ("2A", "2B")),
    "FR-I": ("Franche-Comté", "27", ("25", "39", "70", "90")),
    "FR-J": ("Île-de-France", "11", ("75", "77", "78", "91", "92", "93", "94", "95")),
    "FR-K": ("Languedoc-Roussillon", "76", ("11", "30", "34", "48", "66")),
    "FR-L": ("Limousin", "75", ("19", "23", "87")),
    "FR-M": ("Lorraine", "44", ("54", "55", "57", "88")),
    "FR-N": ("Midi-Pyrénées", "76", ("09", "12", "31", "32", "46", "65", "81", "82")),
    "FR-O": ("Nord-Pas-de-Calais", "32", ("59", "62")),
    "FR-P": ("Lower Normandy", "28", ("14", "50", "61")),
    "FR-Q": ("Upper Normandy", "28", ("27", "76")),
    "FR-R": ("Pays de la Loire", "52", ("44", "49", "53", "72", "85")),
    "FR-S": ("Picardy", "32", ("02", "60", "80")),
    "FR-T": ("Poitou-Charentes", "75", ("16", "17", "79", "86")),
    "FR-U": ("Provence-Alpes-Côte d'Azur", "93", ("04", "05", "06", "13", "83", "84")),
    "FR-V": ("Rhône-Alpes", "84", ("01", "07", "26", "38", "42", "69", "73", "74")),
}
DEPARTMENT_REGION = {d: code for code, (_, _, deps) in OLD_REGIONS.items() for d in deps}
DEPARTMENT_NEW_REGION = {d: new for _, (_, new, deps) in OLD_REGIONS.items() for d in deps}

# 2017 presidential election, first round: (panel number, sex, surname, first name)
CANDIDATES_2017: tuple[tuple[int, str, str, str], ...] = (
    (1, "M", "DUPONT-AIGNAN", "Nicolas"),
    (2, "F", "LE PEN", "Marine"),
    (3, "M", "MACRON", "Emmanuel"),
    (4, "M", "HAMON", "Benoît"),
    (5, "F", "ARTHAUD", "Nathalie"),
    (6, "M", "POUTOU", "Philippe"),
    (7, "M", "CHEMINADE", "Jacques"),
    (8, "M", "LASSALLE", "Jean"),
    (9, "M", "MÉLENCHON", "Jean-Luc"),
    (10, "M", "ASSELINEAU", "François"),
    (11, "M", "FILLON", "François"),
)

# SSMSI communal base: (classe, unité de compte, typical rate per 1000)
SSMSI_CLASSES: tuple[tuple[str, str, float], ...] = (
    ("Coups et blessures volontaires", "victime", 3.5),
    ("Coups et blessures volontaires intrafamiliaux", "victime", 2.1),
    ("Autres coups et blessures volontaires", "victime", 1.6),
    ("Violences sexuelles", "victime", 0.9),
    ("Vols avec armes", "infraction", 0.1),
    ("Vols violents sans arme", "infraction", 0.9),
    ("Vols sans violence contre des personnes", "victime entendue", 12.0),
    ("Cambriolages de logement", "infraction", 4.5),
    ("Vols de véhicules", "véhicule", 2.0),
    ("Vols dans les véhicules", "véhicule", 4.0),
    ("Vols d'accessoires sur véhicules", "véhicule", 1.2),
    ("Destructions et dégradations volontaires", "infraction", 8.0),
    ("Usage de stupéfiants", "Mis en cause", 2.5),
    ("Trafic de stupéfiants", "Mis en cause", 0.4),
)

# Overture categories: the paper's six groups, Table 4's, and common background ones
POI_PAPER_CATEGORIES = (
    "adult_entertainment",
    "amateur_sports_team",
    "church_cathedral",
    "mosque",
    "religious_organization",
    "school",
)
POI_OTHER_CATEGORIES = (
    "embassy",
    "lake",
    "contract_law",
    "swimming_pool",
    "eye_care_clinic",
    "jazz_and_blues",
    "jail_and_prison",
    "b2b_services",
    "tennis_court",
    "attractions_and_activities",
    "aquarium",
    "boat_tours",
    "restaurant",
    "bakery",
    "pharmacy",
    "hair_salon",
    "bank_credit_union",
    "supermarket",
    "hotel",
    "park",
    "dentist",
    "car_dealer",
    "bar",
    "cafe",
)

# The paper's 18 Google Trends search terms (section 2); the generator leaves seven
# of them without any data, as the paper found (it keeps 11).
TRENDS_TERMS = (
    "pedo-porno",
    "porno mineur",
    "porno enfant",
    "site pedoporno",
    "pre-teen hardcore",
    "zoo preteen",
    "zoo pre-teen",
    "pedomom",
    "pedodad",
    "pthc",
    "boylove",
    "girllove",
    "porno jeune ado",
    "video porno ado",
    "ado porno",
    "porno jeune fille",
    "omegle",
    "hurtcore",
)
TRENDS_SPARSE_TERMS = (
    "site pedoporno",
    "pre-teen hardcore",
    "zoo preteen",
    "zoo pre-teen",
    "pedomom",
    "pedodad",
    "girllove",
)

FIRST_NAMES = (
    "Saint-Martin",
    "Sainte-Hélène",
    "Villeneuve",
    "Beaumont",
    "Montreuil",
    "Fontaine",
    "Bois-Colombes",
    "Châteauneuf",
    "Rocheblanche",
    "Belleville",
    "Neuville",
    "Champagnac",
    "Écully",
    "Mérignac",
    "Lormont",
    "Cenon",
    "Bègles",
    "Talence",
    "Pessac",
    "Floirac",
)
NAME_SUFFIXES = (
    "",
    "-sur-Loire",
    "-le-Vieux",
    "-en-Forêt",
    "-lès-Bains",
    "-du-Lac",
    "-la-Côte",
    "-d'Armor",
    "-aux-Bois",
    "-de-Provence",
)

NEW_REGION_NAMES = {
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}

DEPARTMENT_NAMES = {
    "01": "Ain",
    "02": "Aisne",
    "03": "Allier",
    "04": "Alpes-de-Haute-Provence",
    "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes",
    "07": "Ardèche",
    "08": "Ardennes",
    "09": "Ariège",
    "10": "Aube",
    "11": "Aude",
    "12": "Aveyron",
    "13": "Bouches-du-Rhône",
    "14": "Calvados",
    "15": "Cantal",
    "16": "Charente",
    "17": "Charente-Maritime",
    "18": "Cher",
    "19": "Corrèze",
    "2A": "Corse-du-Sud",
    "2B": "Haute-Corse",
    "21": "Côte-d'Or",
    "22": "Côtes-d'Armor",
    "23": "Creuse",
    "24": "Dordogne",
    "25": "Doubs",
    "26": "Drôme",
    "27": "Eure",
    "28": "Eure-et-Loir",
    "29": "Finistère",
    "30": "Gard",
    "31": "Haute-Garonne",
    "32": "Gers",
    "33": "Gironde",
    "34": "Hérault",
    "35": "Ille-et-Vilaine",
    "36": "Indre",
    "37": "Indre-et-Loire",
    "38": "Isère",
    "39": "Jura",
    "40": "Landes",
    "41": "Loir-et-Cher",
    "42": "Loire",
    "43": "Haute-Loire",
    "44": "Loire-Atlantique",
    "45": "Loiret",
    "46": "Lot",
    "47": "Lot-et-Garonne",
    "48": "Lozère",
    "49": "Maine-et-Loire",
    "50": "Manche",
    "51": "Marne",
    "52": "Haute-Marne",
    "53": "Mayenne",
    "54": "Meurthe-et-Moselle",
    "55": "Meuse",
    "56": "Morbihan",
    "57": "Moselle",
    "58": "Nièvre",
    "59": "Nord",
    "60": "Oise",
    "61": "Orne",
    "62": "Pas-de-Calais",
    "63": "Puy-de-Dôme",
    "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées",
    "66": "Pyrénées-Orientales",
    "67": "Bas-Rhin",
    "68": "Haut-Rhin",
    "69": "Rhône",
    "70": "Haute-Saône",
    "71": "Saône-et-Loire",
    "72": "Sarthe",
    "73": "Savoie",
    "74": "Haute-Savoie",
    "75": "Paris",
    "76": "Seine-Maritime",
    "77": "Seine-et-Marne",
    "78": "Yvelines",
    "79": "Deux-Sèvres",
    "80": "Somme",
    "81": "Tarn",
    "82": "Tarn-et-Garonne",
    "83": "Var",
    "84": "Vaucluse",
    "85": "Vendée",
    "86": "Vienne",
    "87": "Haute-Vienne",
    "88": "Vosges",
    "89": "Yonne",
    "90": "Territoire de Belfort",
    "91": "Essonne",
    "92": "Hauts-de-Seine",
    "93": "Seine-Saint-Denis",
    "94": "Val-de-Marne",
    "95": "Val-d'Oise",
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
}

# Overseas departments as the 2017 election file codes them
ELECTION_OVERSEAS = (("ZA", "Guadeloupe"), ("ZB", "Martinique"), ("ZC", "Guyane"))
