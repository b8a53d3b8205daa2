"""Regenerate the coded-event tables that :mod:`tracker.events` ships as package data.

Takes the shared data folder (``--data-dir``, holding ``cameo_goldstein/`` and ``plover_gsr/``)
and the packaged ``countries.tsv``; writes ``cameo.tsv`` (CAMEO code, GDELT's Goldstein weight,
quad class, description), ``plover.tsv`` (PLOVER event class -> Goldstein weight derived from
CAMEO) and ``fips.tsv`` (FIPS 10-4 country code -> ISO3) into ``tracker/data/``. The runtime never
reads the shared folder; these tables are how it knows the codes. Sources and licences are in
``tracker/data/EVENTS.md``.

    python -m tracker.lab.event_tables --data-dir ../shared/data
"""
from __future__ import annotations

import argparse
import csv
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from tracker.events.codes import DATA_DIR, quad_class

#: The four event classes of PLOVER 0.5 (the gold-standard records) that the 2021 draft renamed
#: or merged, defined by the CAMEO root codes they covered.
LEGACY_PLOVER = {"INVESTIGATE": "09", "DEMAND": "10", "DISAPPROVE": "11", "FIGHT": "19"}

#: FIPS 10-4 country codes that differ from the ISO 3166 alpha-2 code of the same country
#: (ISO2 -> FIPS codes). Every other ISO2 in countries.tsv is its own FIPS code, except those in
#: NO_FIPS. Several FIPS codes are the ISO2 of another country (FIPS AU is Austria, ISO AU is
#: Australia), so this table must be complete; `fips_table` checks that no code is used twice.
FIPS_DIFFERS = {
    "AD": "AN", "AG": "AC", "AI": "AV", "AQ": "AY", "AS": "AQ", "AT": "AU", "AU": "AS", "AW": "AA",
    "AZ": "AJ", "BA": "BK", "BD": "BG", "BF": "UV", "BG": "BU", "BH": "BA", "BI": "BY", "BJ": "BN",
    "BL": "TB", "BM": "BD", "BN": "BX", "BO": "BL", "BS": "BF", "BW": "BC", "BY": "BO", "BZ": "BH",
    "CC": "CK", "CD": "CG", "CF": "CT", "CG": "CF", "CH": "SZ", "CI": "IV", "CK": "CW", "CL": "CI",
    "CN": "CH", "CR": "CS", "CW": "UC", "CX": "KT", "CZ": "EZ", "DE": "GM", "DK": "DA", "DM": "DO",
    "DO": "DR", "DZ": "AG", "EE": "EN", "EH": "WI", "ES": "SP", "GA": "GB", "GB": "UK", "GD": "GJ",
    "GE": "GG", "GF": "FG", "GG": "GK", "GM": "GA", "GN": "GV", "GQ": "EK", "GS": "SX", "GU": "GQ",
    "GW": "PU", "HN": "HO", "HT": "HA", "IE": "EI", "IL": "IS", "IQ": "IZ", "IS": "IC", "JP": "JA",
    "KH": "CB", "KI": "KR", "KM": "CN", "KN": "SC", "KP": "KN", "KR": "KS", "KW": "KU", "KY": "CJ",
    "LB": "LE", "LC": "ST", "LI": "LS", "LK": "CE", "LR": "LI", "LS": "LT", "LT": "LH", "LV": "LG",
    "MA": "MO", "MC": "MN", "ME": "MJ", "MF": "RN", "MG": "MA", "MH": "RM", "MM": "BM", "MN": "MG",
    "MO": "MC", "MP": "CQ", "MQ": "MB", "MS": "MH", "MU": "MP", "MW": "MI", "NA": "WA", "NE": "NG",
    "NG": "NI", "NI": "NU", "NU": "NE", "OM": "MU", "PA": "PM", "PF": "FP", "PG": "PP", "PH": "RP",
    "PM": "SB", "PN": "PC", "PR": "RQ", "PT": "PO", "PW": "PS", "PY": "PA",
    "RS": "RI RB", "RU": "RS",
    "SB": "BP", "SC": "SE", "SD": "SU", "SE": "SW", "SG": "SN", "SJ": "SV JN", "SK": "LO",
    "SN": "SG", "SR": "NS", "SS": "OD", "ST": "TP", "SV": "ES", "SX": "NN", "SZ": "WZ", "TC": "TK",
    "TD": "CD", "TF": "FS", "TG": "TO", "TJ": "TI", "TK": "TL", "TL": "TT", "TM": "TX", "TN": "TS",
    "TO": "TN", "TR": "TU", "TT": "TD", "UA": "UP", "VA": "VT", "VG": "VI", "VI": "VQ", "VN": "VM",
    "VU": "NH", "XK": "KV", "YE": "YM", "YT": "MF", "ZA": "SF", "ZM": "ZA", "ZW": "ZI",
    # Palestine is two FIPS entities, the US minor islands nine; Serbia was RB in 2006-2008
    # and GDELT still writes it (checked on the sample: an article about Serbia).
    "PS": "WE GZ", "UM": "FQ HQ DQ JQ KQ MQ BQ LQ WQ",
}
#: ISO entities with no FIPS 10-4 code of their own (their ISO2 is another FIPS entity:
#: FIPS AX is Akrotiri, BQ Navassa Island).
NO_FIPS = {"AX", "BQ"}


def _countries() -> list[dict[str, str]]:
    with open(DATA_DIR / "countries.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _tsv(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    text = path.read_text(encoding=encoding)
    return [line.split("\t") for line in text.splitlines()[1:] if line.strip()]


def cameo_table(data_dir: Path) -> list[tuple[str, float, int, str]]:
    """(code, goldstein, quad_class, description) for every CAMEO code in GDELT's Goldstein table.

    Descriptions come from GDELT's event code table; the one code it lacks (106) takes its name
    from the ICEWS CAMEO table. Root descriptions (upper case in GDELT) are put in sentence case.
    """
    folder = Path(data_dir) / "cameo_goldstein"
    goldstein = _tsv(folder / "GDELT_CAMEO.goldsteinscale.txt")
    weights = {code: float(value) for code, value in goldstein}
    names = {code: name.strip() for code, name in _tsv(folder / "GDELT_CAMEO.eventcodes.txt")}
    with open(folder / "icews_cameo_codes_with_goldstein_and_examples.csv", encoding="cp1252",
              newline="") as fh:
        icews = {row["code"]: row["name"].strip() for row in csv.DictReader(fh)}
    rows = []
    for code, weight in weights.items():
        name = names.get(code) or icews[code]
        if name.isupper():
            name = name.capitalize()
        rows.append((code, weight, quad_class(code), name))
    return sorted(rows)


def plover_table(data_dir: Path, cameo: list[tuple[str, float, int, str]]
                 ) -> list[tuple[str, float, int, int, str]]:
    """(event, goldstein, quad_class, n_codes, derivation) per PLOVER event class.

    A class's weight is the mean Goldstein weight of the CAMEO codes (roots included) that
    CAMEO2PLOVER-2021 maps to it; its quad class is the most common quad class of those codes.
    The PLOVER 0.5 classes in :data:`LEGACY_PLOVER` take the codes under their CAMEO root.
    Codes without a Goldstein weight (1213, 1214) are left out.
    """
    weight = {code: (g, q) for code, g, q, _ in cameo}
    members: dict[str, list[str]] = defaultdict(list)
    text = (Path(data_dir) / "plover_gsr" / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if m := re.match(r"^(\d+):\s*([A-Z]+)", line):
            if m[1] in weight:
                members[m[2]].append(m[1])
    how = {event: "CAMEO2PLOVER-2021" for event in members}
    for event, root in LEGACY_PLOVER.items():
        members[event] = [code for code in weight if code.startswith(root)]
        how[event] = f"PLOVER 0.5 class: CAMEO root {root}"
    rows = []
    for event, codes in sorted(members.items()):
        quads = Counter(weight[c][1] for c in codes)
        rows.append((event, round(statistics.fmean(weight[c][0] for c in codes), 2),
                     quads.most_common(1)[0][0], len(codes), how[event]))
    return rows


def fips_table() -> list[tuple[str, str]]:
    """(fips, iso3) for every FIPS 10-4 country code that names an entity in countries.tsv."""
    rows, seen = [], {}
    for country in _countries():
        iso2 = country["iso2"]
        if iso2 in NO_FIPS:
            continue
        for fips in FIPS_DIFFERS.get(iso2, iso2).split():
            if fips in seen:
                raise ValueError(f"FIPS {fips} given to both {seen[fips]} and {country['iso3']}")
            seen[fips] = country["iso3"]
            rows.append((fips, country["iso3"]))
    return sorted(rows)


def write_tables(data_dir: Path, out_dir: Path = DATA_DIR) -> list[Path]:
    """Write ``cameo.tsv``, ``plover.tsv`` and ``fips.tsv`` into ``out_dir``; return their paths.

    Examples
    --------
    >>> write_tables(Path("../shared/data"))  # doctest: +SKIP
    """
    cameo = cameo_table(data_dir)
    tables = {
        "cameo.tsv": (("code", "goldstein", "quad_class", "description"), cameo),
        "plover.tsv": (("event", "goldstein", "quad_class", "n_codes", "derivation"),
                       plover_table(data_dir, cameo)),
        "fips.tsv": (("fips", "iso3"), fips_table()),
    }
    out_dir = Path(out_dir)
    paths = []
    for name, (header, rows) in tables.items():
        lines = ["\t".join(header)] + ["\t".join(str(v) for v in row) for row in rows]
        (out_dir / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(out_dir / name)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True,
                        help="the shared data folder (holds cameo_goldstein/ and plover_gsr/)")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    for path in write_tables(args.data_dir, args.out_dir):
        print(path)


if __name__ == "__main__":
    main()
