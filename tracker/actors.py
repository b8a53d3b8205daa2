"""Actors: the country gazetteer and the officials list, and finding their mentions in text.

Takes the package's actor data (``tracker/data/countries.tsv``, ``tracker/data/officials.tsv``,
documented in ``tracker/data/ACTORS.md``) plus any user files with the same columns, and gives
:class:`Mention` objects: a character span, the country it stands for (ISO 3166-1 alpha-3) and
what kind of mention it is (a name, an adjective, a capital used for the government, an official).

Officials map to their country only on dates inside their term: "Putin" on 2010-01-01 is the
Russian prime minister, and a name whose terms all lie outside the article's date maps to no country.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import TrackerError

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRY_COLUMNS = ("iso3", "iso2", "name", "official_name", "aliases", "adjectives", "capital",
                   "metonyms")
OFFICIAL_COLUMNS = ("name", "aliases", "iso3", "role", "start", "end", "gender")

# Mention kinds, in the order a tie on the same span is resolved.
KINDS = ("official", "name", "official_name", "alias", "metonym", "capital", "adjective")


@dataclass(frozen=True)
class Mention:
    """A span of text that refers to a country or to one of its officials.

    ``iso3`` is None for an official known to the gazetteer but not in office on the date asked.
    """

    start: int
    end: int
    text: str
    iso3: str | None
    kind: str
    role: str | None = None
    person: str | None = None
    gender: str | None = None


@dataclass(frozen=True)
class Official:
    name: str
    iso3: str
    role: str
    start: dt.date | None
    end: dt.date | None
    gender: str | None

    def in_office(self, on: dt.date | None) -> bool:
        if on is None:
            return True
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


def _split(cell: str | None) -> list[str]:
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def _date(value: str, path: Path, line: int) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise TrackerError(f"{path}:{line}: date {value!r} is not YYYY-MM-DD; fix that cell.")


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read actor file ({exc.strerror}); check the path.")


def _rows(path: Path, columns: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise TrackerError(f"{path}:1: missing columns {', '.join(missing)}; the header "
                                   f"must be: {' '.join(columns)} (tab-separated).")
            for i, row in enumerate(reader, start=2):
                yield i, row
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read actor file ({exc.strerror}); check the path.")


class Gazetteer:
    """Country names, adjectives, capitals, metonyms and officials, matched longest first.

    Parameters
    ----------
    countries : list of paths to country files (default: the packaged ``countries.tsv``).
    officials : list of paths to officials files (default: the packaged ``officials.tsv``).

    Examples
    --------
    >>> gaz = Gazetteer.default()
    >>> [(m.text, m.iso3, m.kind) for m in gaz.find_mentions("Seoul summoned the Russian envoy.")]
    [('Seoul', 'KOR', 'capital'), ('Russian', 'RUS', 'adjective')]
    """

    def __init__(self, countries: Sequence[Path] | None = None,
                 officials: Sequence[Path] | None = None) -> None:
        self.countries: dict[str, dict[str, object]] = {}
        self.officials: dict[str, list[Official]] = {}
        self._forms: dict[str, tuple[str, str]] = {}   # surface form -> (iso3, kind)
        self._person_forms: dict[str, str] = {}        # surface form -> canonical name
        digest = hashlib.sha256()
        for path in countries if countries is not None else [DATA_DIR / "countries.tsv"]:
            self._load_countries(Path(path))
            digest.update(_file_bytes(Path(path)))
        for path in officials if officials is not None else [DATA_DIR / "officials.tsv"]:
            self._load_officials(Path(path))
            digest.update(_file_bytes(Path(path)))
        #: Changes whenever the actor data changes, so stored extractions can be redone.
        self.fingerprint = digest.hexdigest()[:12]
        self._pattern = self._compile()

    @classmethod
    def with_user_files(cls, files: Sequence[Path]) -> "Gazetteer":
        """The packaged data plus user actor files (each a countries or officials file, told
        apart by its header)."""
        countries = [DATA_DIR / "countries.tsv"]
        officials = [DATA_DIR / "officials.tsv"]
        for f in files:
            header = _file_bytes(Path(f)).split(b"\n", 1)[0].decode("utf-8", "replace")
            (officials if header.split("\t")[:2] == ["name", "aliases"] else countries).append(
                Path(f))
        return cls(countries, officials)

    @classmethod
    def default(cls) -> "Gazetteer":
        """The packaged gazetteer, built once per process."""
        return _default_gazetteer()

    # -- loading -------------------------------------------------------------------------------
    def _add_form(self, form: str, iso3: str, kind: str) -> None:
        form = form.strip()
        if not form:
            return
        old = self._forms.get(form)
        if old is not None and old[0] != iso3:
            # A form shared by two countries ("Congo") is ambiguous: keep the more official kind.
            if KINDS.index(old[1]) <= KINDS.index(kind):
                return
        self._forms[form] = (iso3, kind)

    def _load_countries(self, path: Path) -> None:
        for line, row in _rows(path, COUNTRY_COLUMNS):
            iso3 = (row["iso3"] or "").strip()
            if not re.fullmatch(r"[A-Z]{3}", iso3):
                raise TrackerError(f"{path}:{line}: iso3 {iso3!r} is not an ISO 3166-1 alpha-3 "
                                   "code; use three capital letters such as KOR.")
            self.countries[iso3] = {"name": row["name"].strip(),
                                    "official_name": row["official_name"].strip()}
            self._add_form(row["name"], iso3, "name")
            self._add_form(row["official_name"], iso3, "official_name")
            if row["official_name"].strip():
                self._add_form("the " + row["official_name"].strip(), iso3, "official_name")
            for kind, col in (("alias", "aliases"), ("adjective", "adjectives"),
                              ("capital", "capital"), ("metonym", "metonyms")):
                for form in _split(row[col]):
                    self._add_form(form, iso3, kind)

    def _load_officials(self, path: Path) -> None:
        for line, row in _rows(path, OFFICIAL_COLUMNS):
            name = row["name"].strip()
            iso3 = row["iso3"].strip()
            if not name or not re.fullmatch(r"[A-Z]{3}", iso3):
                raise TrackerError(f"{path}:{line}: an official needs a name and an ISO3 code; "
                                   "fix that row.")
            off = Official(name, iso3, row["role"].strip(), _date(row["start"], path, line),
                           _date(row["end"], path, line), (row["gender"] or "").strip() or None)
            self.officials.setdefault(name, []).append(off)
            for form in [name, *_split(row["aliases"])]:
                self._person_forms[form] = name

    def _compile(self) -> re.Pattern[str]:
        forms = sorted(set(self._forms) | set(self._person_forms), key=len, reverse=True)
        alternation = "|".join(re.escape(f) for f in forms) or r"(?!x)x"
        # Lookarounds instead of \b: forms such as "U.S." end in punctuation.
        return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")

    # -- queries -------------------------------------------------------------------------------
    def country_name(self, iso3: str) -> str:
        """The common English name of ``iso3`` (the code itself if unknown)."""
        return str(self.countries.get(iso3, {}).get("name") or iso3)

    def is_country(self, iso3: str) -> bool:
        return iso3 in self.countries

    def official(self, name: str, on: dt.date | None = None) -> Official | None:
        """The office ``name`` held on ``on`` (any office if ``on`` is None)."""
        terms = self.officials.get(self._person_forms.get(name, name), [])
        for term in terms:
            if term.in_office(on):
                return term
        return None

    def find_mentions(self, text: str, on: dt.date | None = None) -> list[Mention]:
        """All non-overlapping country and official mentions in ``text``, longest match first.

        Parameters
        ----------
        text : str
        on : datetime.date, optional
            The article's date: officials count only while in office.

        Returns
        -------
        list of Mention, sorted by ``start``.
        """
        out = []
        for m in self._pattern.finditer(text):
            form = m.group(0)
            if form in self._person_forms:
                name = self._person_forms[form]
                term = self.official(name, on)
                any_term = self.officials[name][0]
                out.append(Mention(m.start(), m.end(), form, term.iso3 if term else None,
                                   "official", role=(term or any_term).role, person=name,
                                   gender=any_term.gender))
                continue
            iso3, kind = self._forms[form]
            if kind in ("name", "alias", "official_name", "capital") and form.isupper() is False \
                    and _followed_by_nonstate_noun(text, m.end()):
                # "Korea" in "Korean Peninsula" never reaches here (lookahead), but "Georgia Tech"
                # or "Washington Post" should not count as the state.
                continue
            out.append(Mention(m.start(), m.end(), form, iso3, kind))
        return out


_NONSTATE_AFTER = re.compile(
    r"\s+(?:Post|Times|Journal|Tech|University|State University|Institute|Street Journal|"
    r"Peninsula|Sea|Strait|Gulf|Basin|Square|Airport|Stock Exchange|Capitals|Nationals|"
    r"Wizards|Redskins|Commanders|Pact|Memorandum|Accords?|Treaty|Protocol|Convention|"
    r"Agreement|Summit|Declaration|Consensus|Format)\b")


def _followed_by_nonstate_noun(text: str, end: int) -> bool:
    return bool(_NONSTATE_AFTER.match(text, end))


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer()
