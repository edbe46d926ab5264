"""Generate the long, mechanical parts of the fact vocabulary.

Writes, from the repository root:

  controls/taxonomy-places.toml   facts of the kinds `established` and `residency`
  controls/taxonomy-attack.toml   facts of the kind `technique` (MITRE ATT&CK Enterprise)

The kinds themselves (title, world) are declared in controls/taxonomy.toml; the
generated files only add facts to them (see DESIGN.md, sections 1 and 3).

Inputs:
  * places: the tables embedded below (ISO 3166-1 alpha-2, EU membership,
    ISO 3166-2:US, ISO 3166-2:CA); there is no input file for them.
  * ATT&CK: the shared data folder, `../shared/data` beside the repository
    (override with --data DIR):
      ctid/nist_800_53-rev5_attack-16.1-enterprise.json   ATT&CK 16.1 ids and names
      veris/veris-1.4.1_attack-19.1-enterprise.csv        ATT&CK 19.1 ids and names
    and controls/taxonomy.toml, read only to check that every `implies` target
    outside the generated files exists.

The output is deterministic: facts are sorted, nothing depends on the clock,
the machine or dict order, so rerunning on the same inputs gives the same bytes.
Python 3.11+ standard library only.

Usage:  python3 scripts/gen_taxonomy.py [--data DIR] [--check]
        --check  write nothing; exit 1 if a generated file is out of date.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
CONTROLS = REPO / "controls"

CTID_FILE = "ctid/nist_800_53-rev5_attack-16.1-enterprise.json"
VERIS_FILE = "veris/veris-1.4.1_attack-19.1-enterprise.csv"

# --------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------

# ISO 3166-1 alpha-2: all 249 officially assigned codes, with their English
# short names (ISO 3166-1, maintained by the ISO 3166 Maintenance Agency; the
# list of countries and areas follows the UN M49 standard). Names are written
# in the usual "comma" form without the trailing "(the)", and GB and US by
# their common short forms "United Kingdom" and "United States".
# Cross-checked against Debian iso-codes 4.15 and the IANA tz iso3166.tab
# (same 249 codes). Reserved codes (EU and UK are exceptionally reserved) and
# user-assigned codes (XK, used for Kosovo) are not officially assigned and are
# not listed here; `EU` is added separately below.
ISO_3166_1 = """
AD Andorra
AE United Arab Emirates
AF Afghanistan
AG Antigua and Barbuda
AI Anguilla
AL Albania
AM Armenia
AO Angola
AQ Antarctica
AR Argentina
AS American Samoa
AT Austria
AU Australia
AW Aruba
AX Åland Islands
AZ Azerbaijan
BA Bosnia and Herzegovina
BB Barbados
BD Bangladesh
BE Belgium
BF Burkina Faso
BG Bulgaria
BH Bahrain
BI Burundi
BJ Benin
BL Saint Barthélemy
BM Bermuda
BN Brunei Darussalam
BO Bolivia, Plurinational State of
BQ Bonaire, Sint Eustatius and Saba
BR Brazil
BS Bahamas
BT Bhutan
BV Bouvet Island
BW Botswana
BY Belarus
BZ Belize
CA Canada
CC Cocos (Keeling) Islands
CD Congo, the Democratic Republic of the
CF Central African Republic
CG Congo
CH Switzerland
CI Côte d'Ivoire
CK Cook Islands
CL Chile
CM Cameroon
CN China
CO Colombia
CR Costa Rica
CU Cuba
CV Cabo Verde
CW Curaçao
CX Christmas Island
CY Cyprus
CZ Czechia
DE Germany
DJ Djibouti
DK Denmark
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia
EG Egypt
EH Western Sahara
ER Eritrea
ES Spain
ET Ethiopia
FI Finland
FJ Fiji
FK Falkland Islands (Malvinas)
FM Micronesia, Federated States of
FO Faroe Islands
FR France
GA Gabon
GB United Kingdom
GD Grenada
GE Georgia
GF French Guiana
GG Guernsey
GH Ghana
GI Gibraltar
GL Greenland
GM Gambia
GN Guinea
GP Guadeloupe
GQ Equatorial Guinea
GR Greece
GS South Georgia and the South Sandwich Islands
GT Guatemala
GU Guam
GW Guinea-Bissau
GY Guyana
HK Hong Kong
HM Heard Island and McDonald Islands
HN Honduras
HR Croatia
HT Haiti
HU Hungary
ID Indonesia
IE Ireland
IL Israel
IM Isle of Man
IN India
IO British Indian Ocean Territory
IQ Iraq
IR Iran, Islamic Republic of
IS Iceland
IT Italy
JE Jersey
JM Jamaica
JO Jordan
JP Japan
KE Kenya
KG Kyrgyzstan
KH Cambodia
KI Kiribati
KM Comoros
KN Saint Kitts and Nevis
KP Korea, Democratic People's Republic of
KR Korea, Republic of
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Lao People's Democratic Republic
LB Lebanon
LC Saint Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania
LU Luxembourg
LV Latvia
LY Libya
MA Morocco
MC Monaco
MD Moldova, Republic of
ME Montenegro
MF Saint Martin (French part)
MG Madagascar
MH Marshall Islands
MK North Macedonia
ML Mali
MM Myanmar
MN Mongolia
MO Macao
MP Northern Mariana Islands
MQ Martinique
MR Mauritania
MS Montserrat
MT Malta
MU Mauritius
MV Maldives
MW Malawi
MX Mexico
MY Malaysia
MZ Mozambique
NA Namibia
NC New Caledonia
NE Niger
NF Norfolk Island
NG Nigeria
NI Nicaragua
NL Netherlands
NO Norway
NP Nepal
NR Nauru
NU Niue
NZ New Zealand
OM Oman
PA Panama
PE Peru
PF French Polynesia
PG Papua New Guinea
PH Philippines
PK Pakistan
PL Poland
PM Saint Pierre and Miquelon
PN Pitcairn
PR Puerto Rico
PS Palestine, State of
PT Portugal
PW Palau
PY Paraguay
QA Qatar
RE Réunion
RO Romania
RS Serbia
RU Russian Federation
RW Rwanda
SA Saudi Arabia
SB Solomon Islands
SC Seychelles
SD Sudan
SE Sweden
SG Singapore
SH Saint Helena, Ascension and Tristan da Cunha
SI Slovenia
SJ Svalbard and Jan Mayen
SK Slovakia
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia
SR Suriname
SS South Sudan
ST Sao Tome and Principe
SV El Salvador
SX Sint Maarten (Dutch part)
SY Syrian Arab Republic
SZ Eswatini
TC Turks and Caicos Islands
TD Chad
TF French Southern Territories
TG Togo
TH Thailand
TJ Tajikistan
TK Tokelau
TL Timor-Leste
TM Turkmenistan
TN Tunisia
TO Tonga
TR Türkiye
TT Trinidad and Tobago
TV Tuvalu
TW Taiwan, Province of China
TZ Tanzania, United Republic of
UA Ukraine
UG Uganda
UM United States Minor Outlying Islands
US United States
UY Uruguay
UZ Uzbekistan
VA Holy See
VC Saint Vincent and the Grenadines
VE Venezuela, Bolivarian Republic of
VG Virgin Islands, British
VI Virgin Islands, U.S.
VN Viet Nam
VU Vanuatu
WF Wallis and Futuna
WS Samoa
YE Yemen
YT Mayotte
ZA South Africa
ZM Zambia
ZW Zimbabwe
"""

# The European Union: its 27 member states (since 1 February 2020). `EU` means
# these 27 member states. No EEA/EFTA implications are generated (IS, LI, NO,
# CH do not imply EU). Greece has the ISO code GR (the EU itself writes EL).
EU_MEMBERS = (
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
).split()

# ISO 3166-1 codes of places that are part of the territory of an EU member
# state where EU law applies (outermost regions, Art. 349 and 355(1) TFEU, and
# the Åland Islands, Art. 355(4) TFEU). They also imply EU. Overseas countries
# and territories that are outside the EU (GL, FO, PF, NC, AW, CW, SX, BQ, ...)
# are deliberately not listed.
EU_TERRITORIES = {
    "AX": "Åland Islands: part of Finland, Art. 355(4) TFEU",
    "GF": "French Guiana: outermost region of France",
    "GP": "Guadeloupe: outermost region of France",
    "MF": "Saint Martin (French part): outermost region of France",
    "MQ": "Martinique: outermost region of France",
    "RE": "Réunion: outermost region of France",
    "YT": "Mayotte: outermost region of France",
}

# ISO 3166-2:US: the 50 states, the District of Columbia and the 6 outlying
# areas. Each implies the country US.
US_SUBDIVISIONS = """
US-AK Alaska
US-AL Alabama
US-AR Arkansas
US-AS American Samoa
US-AZ Arizona
US-CA California
US-CO Colorado
US-CT Connecticut
US-DC District of Columbia
US-DE Delaware
US-FL Florida
US-GA Georgia
US-GU Guam
US-HI Hawaii
US-IA Iowa
US-ID Idaho
US-IL Illinois
US-IN Indiana
US-KS Kansas
US-KY Kentucky
US-LA Louisiana
US-MA Massachusetts
US-MD Maryland
US-ME Maine
US-MI Michigan
US-MN Minnesota
US-MO Missouri
US-MP Northern Mariana Islands
US-MS Mississippi
US-MT Montana
US-NC North Carolina
US-ND North Dakota
US-NE Nebraska
US-NH New Hampshire
US-NJ New Jersey
US-NM New Mexico
US-NV Nevada
US-NY New York
US-OH Ohio
US-OK Oklahoma
US-OR Oregon
US-PA Pennsylvania
US-PR Puerto Rico
US-RI Rhode Island
US-SC South Carolina
US-SD South Dakota
US-TN Tennessee
US-TX Texas
US-UM United States Minor Outlying Islands
US-UT Utah
US-VA Virginia
US-VI Virgin Islands, U.S.
US-VT Vermont
US-WA Washington
US-WI Wisconsin
US-WV West Virginia
US-WY Wyoming
"""

# ISO 3166-2:CA: the 10 provinces and 3 territories, with their English names as
# ISO 3166-2 gives them. Each implies the country CA. Provinces have their own
# private-sector privacy laws beside the federal one (Quebec's among the catalog's).
CA_SUBDIVISIONS = """
CA-AB Alberta
CA-BC British Columbia
CA-MB Manitoba
CA-NB New Brunswick
CA-NL Newfoundland and Labrador
CA-NS Nova Scotia
CA-NT Northwest Territories
CA-NU Nunavut
CA-ON Ontario
CA-PE Prince Edward Island
CA-QC Quebec
CA-SK Saskatchewan
CA-YT Yukon
"""

# The US outlying areas also have ISO 3166-1 codes of their own; each implies
# its ISO 3166-2:US code (and so, through it, US).
US_OUTLYING_ALPHA2 = ("AS", "GU", "MP", "PR", "UM", "VI")

PLACE_KINDS = ("established", "residency")


def parse_table(text: str) -> dict[str, str]:
    """Parse "CODE Name" lines into a dict, refusing duplicates."""
    out: dict[str, str] = {}
    for line in text.strip().splitlines():
        code, name = line.split(" ", 1)
        if code in out:
            raise SystemExit(f"duplicate code {code} in an embedded table")
        out[code] = name.strip()
    return out


def build_places() -> dict[str, dict[str, dict]]:
    """Return {kind: {value: {"title": ..., "implies": [...]}}} for both place kinds."""
    countries = parse_table(ISO_3166_1)
    subdivisions = parse_table(US_SUBDIVISIONS)
    ca_subdivisions = parse_table(CA_SUBDIVISIONS)

    # Sanity checks on the embedded data.
    assert len(countries) == 249, len(countries)
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in countries)
    assert "XK" not in countries and "EU" not in countries and "UK" not in countries
    assert len(EU_MEMBERS) == 27 and len(set(EU_MEMBERS)) == 27
    assert all(c in countries for c in EU_MEMBERS)
    assert all(c in countries for c in EU_TERRITORIES)
    assert not set(EU_TERRITORIES) & set(EU_MEMBERS)
    assert len(subdivisions) == 57, len(subdivisions)
    assert all(re.fullmatch(r"US-[A-Z]{2}", c) for c in subdivisions)
    assert all(f"US-{c}" in subdivisions and c in countries for c in US_OUTLYING_ALPHA2)
    assert len(ca_subdivisions) == 13, len(ca_subdivisions)
    assert all(re.fullmatch(r"CA-[A-Z]{2}", c) for c in ca_subdivisions)

    result: dict[str, dict[str, dict]] = {}
    for kind in PLACE_KINDS:
        facts: dict[str, dict] = {}
        for code, name in countries.items():
            fact: dict = {"title": name}
            if code in EU_MEMBERS or code in EU_TERRITORIES:
                fact["implies"] = [f"{kind}:EU"]
            elif code in US_OUTLYING_ALPHA2:
                fact["implies"] = [f"{kind}:US-{code}"]
            facts[code] = fact
        facts["EU"] = {"title": "European Union"}
        for code, name in subdivisions.items():
            facts[code] = {"title": name, "implies": [f"{kind}:US"]}
        for code, name in ca_subdivisions.items():
            facts[code] = {"title": name, "implies": [f"{kind}:CA"]}
        result[kind] = facts
    return result


# --------------------------------------------------------------------------
# MITRE ATT&CK
# --------------------------------------------------------------------------

TECHNIQUE_ID = re.compile(r"T\d{4}(\.\d{3})?")

# Records of the inputs that are not ATT&CK Enterprise techniques: left out.
EXCLUDED = {
    # Mobile ATT&CK (Encrypted Channel: SSL Pinning); a stray record in the
    # Enterprise mapping, marked attack_version "[UNKNOWN_VERSION]". There is
    # no Enterprise T1521.
    "T1521.003": "Mobile ATT&CK technique, not Enterprise",
}

# Names of parent techniques that the inputs only know through their
# sub-techniques (the inputs name sub-techniques without the parent's name).
# Taken from MITRE ATT&CK Enterprise.
PARENT_NAMES = {
    "T1593": "Search Open Websites/Domains",  # parent of T1593.001-.003 (Reconnaissance)
    "T1683": "Generate Content",  # parent of T1683.001 Written Content (Resource Development, new in ATT&CK v19)
}

# Techniques the catalog and the examples rely on. They are added with these
# names (MITRE ATT&CK Enterprise) only if no input names them; the script says
# on stderr which ones it had to add.
REQUIRED = {
    "T1078": "Valid Accounts",
    "T1078.004": "Cloud Accounts",
    "T1110": "Brute Force",
    "T1110.004": "Credential Stuffing",
    "T1190": "Exploit Public-Facing Application",
    "T1195": "Supply Chain Compromise",
    "T1199": "Trusted Relationship",
    "T1486": "Data Encrypted for Impact",
    "T1530": "Data from Cloud Storage",
    "T1537": "Transfer Data to Cloud Account",
    "T1566": "Phishing",
    "T1567": "Exfiltration Over Web Service",
    "T1586": "Compromise Accounts",
    "T1586.003": "Cloud Accounts",
    "T1589": "Gather Victim Identity Information",
    "T1589.002": "Email Addresses",
    "T1598": "Phishing for Information",
}

# Technique -> vector implications. Only links where the technique *is* the
# vector by definition; sub-techniques inherit them through their parent.
VECTOR_LINKS = {
    # Access through an organisation that has a trusted link to the victim (a supplier or service provider).
    "T1199": "third-party",
    # Compromise of a supplier's product or its delivery before the victim receives it.
    "T1195": "third-party",
    # Phishing is the vector by name (all its sub-techniques are delivery of phishing messages).
    "T1566": "phishing",
    # Use of existing credentials of valid accounts: stolen or otherwise obtained credentials.
    "T1078": "stolen-credentials",
    # Credential stuffing replays credentials stolen in earlier breaches (not brute force in general).
    "T1110.004": "stolen-credentials",
    # Exploitation of a weakness in an Internet-facing system.
    "T1190": "vulnerability-exploit",
    # Encryption of the victim's data for impact: ransomware.
    "T1486": "ransomware",
    # Considered and left out, not unambiguous: T1110 Brute Force (guessing is not
    # stolen credentials), T1598 Phishing for Information (reconnaissance, not
    # necessarily the way in), T1534 Internal Spearphishing (lateral movement),
    # T1133 External Remote Services (may be stolen credentials or an exploit).
}


def load_ctid(path: Path) -> dict[str, str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for rec in doc["mapping_objects"]:
        tid = (rec.get("attack_object_id") or "").strip()
        name = (rec.get("attack_object_name") or "").strip()
        if tid:
            add_name(names, tid, name, path.name)
    return names


def load_veris(path: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            tid = (row.get("attack_object_id") or "").strip()
            name = (row.get("attack_object_name") or "").strip()
            if tid:  # rows with status non_mappable have no technique
                add_name(names, tid, name, path.name)
    return names


def add_name(names: dict[str, str], tid: str, name: str, source: str) -> None:
    if not TECHNIQUE_ID.fullmatch(tid):
        raise SystemExit(f"{source}: unexpected technique id {tid!r}")
    if not name:
        raise SystemExit(f"{source}: technique {tid} has no name")
    if names.get(tid, name) != name:
        raise SystemExit(f"{source}: technique {tid} has two names: {names[tid]!r}, {name!r}")
    names[tid] = name


def build_attack(data: Path, notes: list[str]) -> dict[str, dict]:
    for name in (CTID_FILE, VERIS_FILE):
        if not (data / name).is_file():
            raise SystemExit(f"input not found: {name} under {data} (use --data DIR)")
    ctid = load_ctid(data / CTID_FILE)
    veris = load_veris(data / VERIS_FILE)

    # One name per id. Where both inputs name an id, the newer ATT&CK release
    # wins (VERIS mapping: ATT&CK 19.1; CTID mapping: ATT&CK 16.1).
    names: dict[str, str] = {}
    for tid in sorted(set(ctid) | set(veris)):
        if tid in EXCLUDED:
            notes.append(f"left out {tid}: {EXCLUDED[tid]}")
            continue
        if tid in veris and tid in ctid and veris[tid] != ctid[tid]:
            notes.append(f"renamed {tid}: {ctid[tid]!r} (ATT&CK 16.1) -> {veris[tid]!r} (19.1)")
        names[tid] = veris.get(tid, ctid.get(tid))

    for tid, name in sorted(REQUIRED.items()):
        if tid not in names:
            names[tid] = name
            notes.append(f"added by hand {tid} {name!r} (not in the inputs; name from MITRE ATT&CK)")

    # Parents known only through their sub-techniques.
    for tid in sorted(names):
        if "." not in tid:
            continue
        parent = tid.split(".")[0]
        if parent in names:
            continue
        if parent in PARENT_NAMES:
            names[parent] = PARENT_NAMES[parent]
            notes.append(f"added parent {parent} {names[parent]!r} (name from the PARENT_NAMES table)")
        elif ":" in names[tid]:
            names[parent] = names[tid].split(":", 1)[0].strip()
            notes.append(f"added parent {parent} {names[parent]!r} (name taken from {tid})")
        else:
            names[parent] = ""  # no name known: see title_of
            notes.append(f"added parent {parent} WITHOUT A NAME: add it to PARENT_NAMES")

    facts: dict[str, dict] = {}
    for tid in sorted(names):
        fact: dict = {"title": title_of(tid, names)}
        implies = []
        if "." in tid:
            implies.append(f"technique:{tid.split('.')[0]}")
        if tid in VECTOR_LINKS:
            implies.append(f"vector:{VECTOR_LINKS[tid]}")
        if implies:
            fact["implies"] = implies
        facts[tid] = fact
    for tid in VECTOR_LINKS:
        assert tid in facts, tid
    return facts


def title_of(tid: str, names: dict[str, str]) -> str:
    """A technique's title; a sub-technique's is "Parent: Sub", as ATT&CK displays it."""
    name = names[tid]
    if "." not in tid:
        return name or f"ATT&CK technique {tid} (name not in the inputs)"
    parent = names[tid.split(".")[0]]
    if ":" in name or not parent:
        return name
    return f"{parent}: {name}"


# --------------------------------------------------------------------------
# TOML output
# --------------------------------------------------------------------------

BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_string(s: str) -> str:
    """A TOML basic string: escape backslash, quote and every control character."""
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_key(k: str) -> str:
    return k if BARE_KEY.fullmatch(k) else toml_string(k)


def toml_fact(key: str, fact: dict) -> str:
    parts = [f"title = {toml_string(fact['title'])}"]
    if fact.get("implies"):
        parts.append("implies = [" + ", ".join(toml_string(t) for t in fact["implies"]) + "]")
    return f"{toml_key(key)} = {{ {', '.join(parts)} }}\n"


def render(header: list[str], tables: list[tuple[str, dict[str, dict]]]) -> str:
    lines = [f"# {h}".rstrip() + "\n" for h in header]
    for name, facts in tables:
        lines.append("\n")
        lines.append(f"[{name}]\n")
        for key in sorted(facts):
            lines.append(toml_fact(key, facts[key]))
    return "".join(lines)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------
# Checks and main
# --------------------------------------------------------------------------


def declared_facts(path: Path) -> set[str]:
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    out = set()
    for kind, body in doc.get("kind", {}).items():
        for value in body.get("facts", {}):
            out.add(f"{kind}:{value}")
    return out


def check_implies(generated: list[str]) -> None:
    """Every `implies` target must exist in a generated file or in taxonomy.toml."""
    known = declared_facts(CONTROLS / "taxonomy.toml")
    docs = [tomllib.loads(text) for text in generated]
    for doc in docs:
        for kind, body in doc["kind"].items():
            known |= {f"{kind}:{v}" for v in body["facts"]}
    missing = sorted(
        f"{kind}:{value} -> {target}"
        for doc in docs
        for kind, body in doc["kind"].items()
        for value, fact in body["facts"].items()
        for target in fact.get("implies", [])
        if target not in known
    )
    if missing:
        raise SystemExit("implies targets that do not exist:\n  " + "\n  ".join(missing))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    ap.add_argument("--check", action="store_true", help="write nothing; fail if out of date")
    args = ap.parse_args()

    notes: list[str] = []
    places = build_places()
    attack = build_attack(args.data, notes)

    n_places = len(places["established"])
    places_text = render(
        [
            "Generated by scripts/gen_taxonomy.py; do not edit by hand (rerun the script).",
            "",
            "Facts of the kinds `established` and `residency` (declared in taxonomy.toml).",
            "Inputs: the tables embedded in the script: ISO 3166-1 alpha-2 (all 249",
            "officially assigned codes, English short names), `EU`, EU membership,",
            "ISO 3166-2:US (50 states, DC, 6 outlying areas) and ISO 3166-2:CA (10",
            "provinces, 3 territories).",
            "",
            "`EU` means the 27 member states of the European Union. Each member state",
            "implies EU, as do the ISO codes of EU territory outside the member state's",
            "own code (outermost regions GF GP MF MQ RE YT, and the Åland Islands AX).",
            "No EEA/EFTA implications. Each US-XX implies US; the ISO 3166-1 codes of the",
            "US outlying areas (AS GU MP PR UM VI) imply their US-XX code. Each CA-XX",
            "implies CA.",
            f"{n_places} values per kind.",
        ],
        [(f"kind.{kind}.facts", places[kind]) for kind in PLACE_KINDS],
    )

    n_sub = sum("." in t for t in attack)
    attack_text = render(
        [
            "Generated by scripts/gen_taxonomy.py; do not edit by hand (rerun the script).",
            "",
            "Facts of the kind `technique` (declared in taxonomy.toml): every MITRE ATT&CK",
            "Enterprise technique and sub-technique named in these inputs (../shared/data):",
            f"  {CTID_FILE}",
            f"    ATT&CK 16.1, CTID mappings explorer, sha256 {digest(args.data / CTID_FILE)[:16]}",
            f"  {VERIS_FILE}",
            f"    ATT&CK 19.1, VERIS mapping, sha256 {digest(args.data / VERIS_FILE)[:16]}",
            "plus the hand tables in the script (parents known only through their",
            "sub-techniques, required techniques, technique -> vector links).",
            "Where the inputs disagree on a name, the newer ATT&CK release (19.1) wins.",
            "A sub-technique's title is \"Parent: Sub-technique\" and it implies its parent.",
            f"{len(attack) - n_sub} techniques, {n_sub} sub-techniques.",
        ],
        [("kind.technique.facts", attack)],
    )

    check_implies([places_text, attack_text])

    outputs = {
        CONTROLS / "taxonomy-places.toml": places_text,
        CONTROLS / "taxonomy-attack.toml": attack_text,
    }
    stale = []
    for path, text in outputs.items():
        data = text.encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_bytes(data)

    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(
        f"places: {n_places} per kind; techniques: {len(attack) - n_sub} + {n_sub} sub-techniques",
        file=sys.stderr,
    )
    if args.check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
