"""Which state a coded-event actor code or country name stands for.

Takes the packaged ``tracker/data/countries.tsv`` (the tracker's states: its ISO3 codes) and
``tracker/data/fips.tsv`` (FIPS 10-4 -> ISO3, for GDELT's locations); gives, for a CAMEO/PLOVER
actor country code, an ICEWS country name or a FIPS code, either the ISO3 state or ``None`` and a
short reason why not. Nothing is guessed: a code or name that is neither a state of
``countries.tsv`` nor in the explicit tables below is reported, never matched loosely.
"""
from __future__ import annotations

import csv
from functools import lru_cache

from tracker.events.codes import DATA_DIR

#: CAMEO (GDELT) country codes that are not the ISO3 code of the same state.
CAMEO_ALIASES = {
    "ROM": "ROU",  # Romania: CAMEO kept the pre-2002 ISO code
    "WSB": "PSE",  # West Bank
    "GZS": "PSE",  # Gaza Strip
    "TMP": "TLS",  # East Timor (pre-2002 ISO code)
    "ZAR": "COD",  # Zaire
}
#: Codes in the PLOVER gold-standard records that are not ISO3, each checked against its
#: record's actor text ("Tokyo", "Japan"; "Italy"; "Vietnamese-led forces").
PLOVER_ALIASES = {**CAMEO_ALIASES, "JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}

#: CAMEO region codes (GDELT's CAMEO country lookup): places, not states.
REGIONS = {
    "AFR": "Africa", "ASA": "Asia", "BLK": "Balkans", "CRB": "Caribbean", "CAU": "Caucasus",
    "CFR": "Central Africa", "CAS": "Central Asia", "CEU": "Central Europe", "EIN": "East Indies",
    "EAF": "Eastern Africa", "EEU": "Eastern Europe", "EUR": "Europe", "LAM": "Latin America",
    "MEA": "Middle East", "MDT": "Mediterranean", "NAF": "North Africa", "NMR": "North America",
    "PGS": "Persian Gulf", "SCN": "Scandinavia", "SAM": "South America", "SAS": "South Asia",
    "SEA": "Southeast Asia", "SAF": "Southern Africa", "WAF": "West Africa", "WST": "The West",
}

#: ICEWS country names that countries.tsv does not list: ICEWS writes ISO 3166 English short
#: names, where "Congo" is the Republic of the Congo and the DR Congo is "Congo, The Democratic
#: Republic of the".
ICEWS_ALIASES = {
    "Occupied Palestinian Territory": "PSE",
    "Palestine, State of": "PSE",
    "Moldova, Republic of": "MDA",
    "the former Yugoslav Republic of Macedonia": "MKD",
    "Macedonia, the former Yugoslav Republic of": "MKD",
    "Congo": "COG",
    "Congo, The Democratic Republic of the": "COD",
    "Congo, the Democratic Republic of the": "COD",
    "Iran, Islamic Republic of": "IRN",
    "Korea, Republic of": "KOR",
    "Korea, Democratic People's Republic of": "PRK",
    "Tanzania, United Republic of": "TZA",
    "Venezuela, Bolivarian Republic of": "VEN",
    "Bolivia, Plurinational State of": "BOL",
    "Micronesia, Federated States of": "FSM",
    "Taiwan, Province of China": "TWN",
    "Lao People's Democratic Republic": "LAO",
    "Syrian Arab Republic": "SYR",
    "Russian Federation": "RUS",
    "Viet Nam": "VNM",
    "Libyan Arab Jamahiriya": "LBY",
    "Brunei Darussalam": "BRN",
    "Holy See (Vatican City State)": "VAT",
    "Virgin Islands, British": "VGB",
    "Virgin Islands, U.S.": "VIR",
}
#: What ICEWS writes for "no country" (R's missing value).
ICEWS_MISSING = {"", "NA"}


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=1)
def state_names() -> dict[str, str]:
    """ISO3 -> common name, for every state in ``countries.tsv``."""
    return {row["iso3"]: row["name"] for row in _read("countries.tsv")}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Case-folded name, official name or alias -> ISO3; a form two states share is left out."""
    seen: dict[str, set[str]] = {}
    for row in _read("countries.tsv"):
        forms = [row["name"], row["official_name"], *row["aliases"].split("|")]
        for form in filter(None, forms):
            seen.setdefault(form.casefold(), set()).add(row["iso3"])
    names = {form: next(iter(codes)) for form, codes in seen.items() if len(codes) == 1}
    names.update({form.casefold(): iso3 for form, iso3 in ICEWS_ALIASES.items()})
    return names


@lru_cache(maxsize=1)
def _fips() -> dict[str, str]:
    return {row["fips"]: row["iso3"] for row in _read("fips.tsv")}


def cameo_state(code: str, side: str, aliases: dict[str, str] = CAMEO_ALIASES
                ) -> tuple[str | None, str | None]:
    """The ISO3 state of a CAMEO actor country code, or ``(None, reason)``.

    Examples
    --------
    >>> cameo_state("EGY", "source"), cameo_state("WSB", "target")
    (('EGY', None), ('PSE', None))
    >>> cameo_state("AFR", "target")
    (None, 'target is a region, not a state (AFR)')
    """
    code = code.strip().upper()
    if not code:
        return None, f"no {side} state"
    iso3 = aliases.get(code, code)
    if iso3 in state_names():
        return iso3, None
    if code in REGIONS:
        return None, f"{side} is a region, not a state ({code})"
    return None, f"{side} is not a state ({code})"


def icews_state(name: str, side: str) -> tuple[str | None, str | None]:
    """The ISO3 state of an ICEWS country name, or ``(None, reason)``.

    Examples
    --------
    >>> icews_state("Bangladesh", "source"), icews_state("NA", "target")
    (('BGD', None), (None, 'no target state'))
    """
    name = name.strip()
    if name in ICEWS_MISSING:
        return None, f"no {side} state"
    iso3 = _names().get(name.casefold())
    if iso3 is None:
        return None, f"{side} country not in countries.tsv ({name})"
    return iso3, None


def fips_state(code: str) -> str | None:
    """The ISO3 state of a FIPS 10-4 country code (GDELT's locations), or None.

    Examples
    --------
    >>> fips_state("UP"), fips_state("AS"), fips_state("WE"), fips_state("OS")
    ('UKR', 'AUS', 'PSE', None)
    """
    return _fips().get(code.strip().upper())
