"""Which names are countries or US states: the closed lists a "which country" answer comes from.

"Which nation declared victory against Covid-19?" asks for a country, and the reader, left to
itself, gives the leader who declared it ("Kim Jong Un") or the island where it happened
("Kyushu"), since any capitalised name passes for a place. A country or a US state is one of a
few hundred names, so the answer of such a question is checked against these lists: the UN's
members and observers by their common English names and the short forms news writes ("U.S.",
"Britain"), and the fifty states with Washington, D.C. and Puerto Rico.

The adjectives and peoples of the countries news names most ("Lebanese", "Israelis") are
listed too, apart: they name a country without being its name, so they never answer "which
country", but they say whom a "how many" counts (`is_people_of_a_country`) and which country
an office serves (`rag.text.offices`). What it leaves out: cities, regions and provinces,
which no short list holds.
"""

from __future__ import annotations

import re


def _listed(names: str) -> frozenset[str]:
    return frozenset(re.split(r"\s*\|\s*", names.strip()))


COUNTRIES = _listed(
    """Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|
    Australia|Austria|Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|
    Benin|Bhutan|Bolivia|Bosnia and Herzegovina|Bosnia|Botswana|Brazil|Brunei|Bulgaria|
    Burkina Faso|Burundi|Cabo Verde|Cape Verde|Cambodia|Cameroon|Canada|
    Central African Republic|Chad|Chile|China|Colombia|Comoros|Congo|
    Democratic Republic of the Congo|Democratic Republic of Congo|DRC|Costa Rica|
    Ivory Coast|Côte d'Ivoire|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|
    Dominica|Dominican Republic|East Timor|Timor-Leste|Ecuador|Egypt|El Salvador|
    Equatorial Guinea|Eritrea|Estonia|Eswatini|Swaziland|Ethiopia|Fiji|Finland|France|Gabon|
    Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|
    Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|
    Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|
    Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|
    Mali|Malta|Marshall Islands|Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|
    Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|
    Holland|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Macedonia|Norway|
    Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|
    Portugal|Qatar|Romania|Russia|Rwanda|Saint Kitts and Nevis|Saint Lucia|
    Saint Vincent and the Grenadines|Samoa|San Marino|Sao Tome and Principe|Saudi Arabia|
    Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands|
    Somalia|South Africa|South Korea|Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|
    Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad and Tobago|
    Tunisia|Turkey|Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|
    United Kingdom|UK|U.K.|Britain|Great Britain|England|Scotland|Wales|Northern Ireland|
    United States|United States of America|US|U.S.|USA|U.S.A.|America|Uruguay|Uzbekistan|
    Vanuatu|Vatican City|Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe"""
)

US_STATES = _listed(
    """Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|
    Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|
    Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|
    New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|
    Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|
    Virginia|Washington|West Virginia|Wisconsin|Wyoming|Washington, D.C.|District of Columbia|
    Puerto Rico"""
)

# Adjectives of countries, to the country in lower case ("Israeli", "American", "British"
# are `rag.text.aliases` spellings of theirs, so they are only in _PEOPLE_WORDS below).
COUNTRY_OF_PEOPLE = {
    "lebanese": "lebanon",
    "iranian": "iran",
    "palestinian": "palestine",
    "french": "france",
    "german": "germany",
    "italian": "italy",
    "spanish": "spain",
    "japanese": "japan",
    "indian": "india",
    "pakistani": "pakistan",
    "saudi": "saudi arabia",
    "syrian": "syria",
    "iraqi": "iraq",
    "egyptian": "egypt",
    "jordanian": "jordan",
    "turkish": "turkey",
    "canadian": "canada",
    "mexican": "mexico",
    "australian": "australia",
    "korean": "korea",
    "qatari": "qatar",
    "yemeni": "yemen",
    "afghan": "afghanistan",
    "polish": "poland",
    "dutch": "netherlands",
    "swedish": "sweden",
    "brazilian": "brazil",
    "greek": "greece",
    "irish": "ireland",
}
_PEOPLE_WORDS = frozenset(COUNTRY_OF_PEOPLE) | {
    "israeli",
    "american",
    "british",
    "briton",
    "russian",
    "ukrainian",
    "chinese",
    "emirati",
}


def is_people_of_a_country(word: str) -> bool:
    """Whether `word`, in any case, names the people of a country: "Israelis", "lebanese",
    "Americans" ("how many israelis were evacuated" counts people, not things)."""
    w = word.lower()
    return w in _PEOPLE_WORDS or (w.endswith("s") and w[:-1] in _PEOPLE_WORDS)


_FOLDED = {
    "country": {n.lower().rstrip(".") for n in COUNTRIES},
    "state": {n.lower().rstrip(".") for n in US_STATES},
}
_LEADING_THE = re.compile(r"^the\s+", re.I)


_AND = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def is_place_of(name: str, of: str) -> bool:
    """Whether `name` ("the Philippines", "U.S.", "New York") is a country (`of` "country")
    or a US state (`of` "state"), in any case, or a list of them ("Jordan and Saudi Arabia"
    answers "What countries did he tour?")."""
    return _one_of(name, of) or all(_one_of(part, of) for part in _AND.split(name))


_PARTS = re.compile(r"[^,]+")


def places_in(name: str, of: str) -> list[tuple[int, int]]:
    """Where in a run of capitalised words the countries (or US states) it names are: all of
    it when it is one or a list of them, else each of its comma-separated parts that is one
    ("Florida" in "Palm Beach, Florida", "Italy" in "Rome, Italy"). A place inside a longer
    name is not taken out of it: "U.S." in "U.S. Geological Survey" names an agency."""
    if is_place_of(name, of):
        return [(0, len(name))]
    found = []
    for m in _PARTS.finditer(name):
        part = m.group(0).strip()
        if _one_of(part, of):
            start = m.start() + m.group(0).find(part)
            found.append((start, start + len(part)))
    return found


def _one_of(name: str, of: str) -> bool:
    folded = _LEADING_THE.sub("", " ".join(name.split())).lower().rstrip(".")
    return folded in _FOLDED[of]
