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
import importlib.resources
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import TrackerError
from tracker.extract.petrarch import petrarch_rows

DATA_DIR = Path(str(importlib.resources.files("tracker"))) / "data"
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
        raise TrackerError(f"{path}: cannot read actor file ({exc.strerror}); check the path.") \
            from exc


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
        raise TrackerError(f"{path}: cannot read actor file ({exc.strerror}); check the path.") \
            from exc


def trie(alternation: str) -> str:
    """The same alternation of literal words, as a regex trie ("sa(?:id|ys?)"...): Python's
    regex engine tries every branch of a flat alternation at each word start, and these lists
    hold hundreds of words. Longer continuations come first, so the longest word wins."""
    root: dict = {}
    for word in alternation.split("|"):
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in
                    sorted(node.items(), key=lambda kv: (kv[0] == "", kv[0])) if ch]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if optional:
            return f"(?:{body})?" if len(branches) == 1 else body[:-1] + ")?"
        return body

    return emit(root)


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
            path = Path(path)
            digest.update(_file_bytes(path))
            if path.suffix.lower() == ".txt":
                # A PETRARCH/TABARI actor dictionary gives countries and officials at once.
                rows, people = petrarch_rows(path)
                self._load_countries(path, enumerate(rows, start=1))
                self._load_officials(path, enumerate(people, start=1))
            else:
                self._load_countries(path)
        for path in officials if officials is not None else [DATA_DIR / "officials.tsv"]:
            self._load_officials(Path(path))
            digest.update(_file_bytes(Path(path)))
        #: Changes whenever the actor data changes, so stored extractions can be redone.
        self.fingerprint = digest.hexdigest()[:12]
        self._all_forms = set(self._forms) | set(self._person_forms)
        #: Dependent territories (``sovereign`` = no): places states dispute.
        self.territories = frozenset(k for k, v in self.countries.items() if not v["sovereign"])

    @classmethod
    def with_user_files(cls, files: Sequence[Path]) -> "Gazetteer":
        """The packaged data plus user actor files: countries or officials TSV files (told apart
        by their header) or PETRARCH/TABARI actor dictionaries (``.txt``)."""
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

    def _load_countries(self, path: Path, rows=None) -> None:
        for line, row in rows if rows is not None else _rows(path, COUNTRY_COLUMNS):
            iso3 = (row["iso3"] or "").strip()
            if not re.fullmatch(r"[A-Z]{3}", iso3):
                raise TrackerError(f"{path}:{line}: iso3 {iso3!r} is not an ISO 3166-1 alpha-3 "
                                   "code; use three capital letters such as KOR.")
            sovereign = (row.get("sovereign") or "yes").strip().lower()
            if sovereign not in ("yes", "no"):
                raise TrackerError(f"{path}:{line}: sovereign {sovereign!r} is invalid; use yes "
                                   "(a state) or no (a dependent territory), or leave it empty.")
            self.countries[iso3] = {"name": row["name"].strip(),
                                    "official_name": row["official_name"].strip(),
                                    "sovereign": sovereign == "yes"}
            self._add_form(row["name"], iso3, "name")
            self._add_form(row["official_name"], iso3, "official_name")
            if row["official_name"].strip():
                self._add_form("the " + row["official_name"].strip(), iso3, "official_name")
            for kind, col in (("alias", "aliases"), ("adjective", "adjectives"),
                              ("capital", "capital"), ("metonym", "metonyms")):
                for form in _split(row[col]):
                    self._add_form(form, iso3, kind)

    def _load_officials(self, path: Path, rows=None) -> None:
        for line, row in rows if rows is not None else _rows(path, OFFICIAL_COLUMNS):
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

    @functools.cached_property
    def _scanner(self) -> tuple[re.Pattern, re.Pattern | None, re.Pattern | None, tuple]:
        """Regexes of the forms, as tries ("Sou(?:th (?:Korea|Africa)|...)"; longer
        continuations first, so the longest form at a position wins), each ending with a
        look-ahead for the word boundary (forms such as "U.S." end in punctuation, so not
        ``\\b``):

        - ``head``: forms opening with a capital, plus "X" of every "the X" form. It opens with
          no look-behind, so the regex engine skips to capitals at C speed (faster than
          with one); the start boundary and "the" before are checked in Python.
        - ``the``: the "X" of the "the X" forms alone.
        - ``low``: the few other forms ("al-Sisi", "von der Leyen"), scanned only when the text
          holds one of them (``low_forms``).

        Built on first use: compiling a few thousand forms takes ~0.1 s, which PETRARCH
        dictionaries of tens of thousands of forms multiply.
        """
        upper, after_the, lower = set(), set(), []
        for f in self._all_forms:
            if not _WORD.match(f):
                continue  # a form must open with a word character
            if f[0].isupper():
                upper.add(f)
            elif f.startswith("the ") and f[4:5].isupper():
                after_the.add(f[4:])
            else:
                lower.append(f)

        def compiled(forms, lookbehind=""):
            return re.compile(rf"{lookbehind}(?:{trie('|'.join(sorted(forms)))})(?![\w-])") \
                if forms else None

        return (compiled(upper | after_the) or re.compile(r"(?!)"), compiled(after_the),
                compiled(lower, r"(?<![\w-])"), tuple(lower))

    def _form_at(self, text: str, i: int, found: str) -> tuple[int, int, str] | None:
        """The form a reader takes where ``head`` found ``found`` at ``i``: "the X" if "the"
        stands before it, else the longest form opening at ``i``."""
        if i >= 4 and text.startswith(("the ", "The "), i - 4) and (i == 4 or not (
                text[i - 5].isalnum() or text[i - 5] in "-_")):
            # ("The White House" opening a sentence is the form "the White House".)
            the = self._scanner[1]
            m = the.match(text, i) if the is not None else None
            if m:
                return i - 4, m.end(), "the " + m.group()
        if found in self._all_forms:
            return i, i + len(found), found
        # "found" counts only after "the"; a shorter form may open here ("Congo" of "Congo
        # Basin", if only "the Congo Basin" were a form).
        for end in range(i + len(found) - 1, i, -1):
            if text[i:end] in self._all_forms and not (
                    end < len(text) and (text[end].isalnum() or text[end] in "-_")):
                return i, end, text[i:end]
        return None

    def low_forms_in(self, text: str) -> tuple[str, ...]:
        """The few forms opening in lower case ("al-Sisi", "von der Leyen") that ``text`` holds:
        checked once for a whole article, so that its sentences need not check them all."""
        return tuple(f for f in self._scanner[3] if f in text)

    def _matches(self, text: str, low_forms: tuple[str, ...] | None = None
                 ) -> list[tuple[int, int, str]]:
        """``(start, end, form)`` of the forms in ``text``: longest first, left to right, never
        overlapping, and only at word boundaries (no letter, digit or hyphen on either side).
        ``low_forms``: the lower-case forms to look for (default: all).
        """
        head, _, low, all_low = self._scanner
        low_possible = False
        for f in all_low if low_forms is None else low_forms:
            if f in text:  # (a plain loop: cheaper than any() over a generator here)
                low_possible = True
                break
        forms = self._all_forms
        search = head.search
        out = []
        pos = 0
        while True:
            hit = None
            m = search(text, pos)
            while m:
                i = m.start()
                if i and (text[i - 1].isalnum() or text[i - 1] in "-_"):
                    m = search(text, i + 1)  # inside a word
                    continue
                found = m.group()
                if found in forms and (i < 4 or text[i - 4:i] not in ("the ", "The ")):
                    hit = (i, m.end(), found)  # the common case: a form, no "the" before
                    break
                hit = self._form_at(text, i, found)
                if hit and hit[0] >= pos:
                    break
                hit = None
                m = search(text, i + 1)
            if low_possible:
                m = low.search(text, pos)
                if m and (hit is None or m.start() < hit[0]):
                    hit = (m.start(), m.end(), m.group())
            if hit is None:
                return out
            out.append(hit)
            pos = hit[1]

    # -- queries -------------------------------------------------------------------------------
    def country_name(self, iso3: str) -> str:
        """The common English name of ``iso3`` (the code itself if unknown)."""
        return str(self.countries.get(iso3, {}).get("name") or iso3)

    def is_form(self, text: str) -> bool:
        """Whether ``text`` is exactly one of the known country or official forms."""
        return text in self._all_forms

    def is_country(self, iso3: str) -> bool:
        return iso3 in self.countries

    def is_sovereign(self, iso3: str) -> bool:
        """Whether ``iso3`` is a state rather than a dependent territory (the Chagos Islands,
        Greenland, Hong Kong): a territory is what states dispute, rarely who speaks."""
        return iso3 not in self.territories

    def official(self, name: str, on: dt.date | None = None) -> Official | None:
        """The office ``name`` held on ``on`` (any office if ``on`` is None)."""
        terms = self.officials.get(self._person_forms.get(name, name), [])
        for term in terms:
            if term.in_office(on):
                return term
        return None

    def find_mentions(self, text: str, on: dt.date | None = None,
                      low_forms: tuple[str, ...] | None = None) -> list[Mention]:
        """All non-overlapping country and official mentions in ``text``, longest match first.

        Parameters
        ----------
        text : str
        on : datetime.date, optional
            The article's date: officials count only while in office.
        low_forms : tuple of str, optional
            ``low_forms_in(article)`` when ``text`` is a sentence of that article (a speed-up:
            the same mentions either way).

        Returns
        -------
        list of Mention, sorted by ``start``.
        """
        out = []
        for start, end, form in self._matches(text, low_forms):
            if form in self._person_forms:
                name = self._person_forms[form]
                term = self.official(name, on)
                any_term = self.officials[name][0]
                out.append(Mention(start, end, text[start:end], term.iso3 if term else None,
                                   "official", role=(term or any_term).role, person=name,
                                   gender=any_term.gender))
                continue
            iso3, kind = self._forms[form]
            if kind in ("name", "alias", "official_name", "capital") and form.isupper() is False \
                    and _followed_by_nonstate_noun(text, end):
                # "Korea" in "Korean Peninsula" never reaches here (lookahead), but "Georgia Tech"
                # or "Washington Post" should not count as the state.
                continue
            # (Built without the frozen dataclass's __init__, which sets each field through
            # object.__setattr__, and find_mentions runs on every sentence.)
            m = _new_mention(Mention)
            m.__dict__.update(start=start, end=end, text=text[start:end], iso3=iso3, kind=kind,
                              role=None, person=None, gender=None)
            out.append(m)
        return out

    def compounds(self, text: str) -> list[tuple[Mention, Mention]]:
        """Pairs of countries joined by a hyphen: "the U.S.-Japan alliance", "Turkey-Israel
        relations", "U.S.-South Korea talks". ``find_mentions`` leaves these out (a form never
        touches a hyphen: "U.S.-led" is no mention).

        Examples
        --------
        >>> [(a.iso3, b.iso3) for a, b in Gazetteer.default().compounds("U.S.-Japan talks")]
        [('USA', 'JPN')]
        """
        out = []
        for h in _HYPHEN.finditer(text):
            at = h.start()
            if not at or not (text[at - 1].isalnum() or text[at - 1] == "."):
                continue
            right = self._scanner[0].match(text, at + 1)
            right = self._form_at(text, at + 1, right.group()) if right else None
            if not right:
                continue
            # The longest form ending at the hyphen, trying word starts from the farthest; none
            # may run across the hyphen ("Guinea-Bissau" is one country).
            starts = [i for i in range(max(0, at - 40), at)
                      if (i == 0 or not text[i - 1].isalnum()) and text[i].isalnum()]
            if any(text[i:e] in self._forms for i in starts for e in range(at + 2, right[1] + 1)
                   if e == len(text) or not text[e].isalnum()):
                continue
            left = next((i for i in starts if text[i:at] in self._forms), None)
            if left is None:
                continue
            pair = [Mention(a, b, text[a:b], *self._forms[text[a:b]])
                    for a, b in ((left, at), (at + 1, right[1])) if text[a:b] in self._forms]
            if len(pair) == 2 and pair[0].iso3 != pair[1].iso3:
                out.append((pair[0], pair[1]))
        return out


_new_mention = object.__new__
_WORD = re.compile(r"\w+")
# A hyphen before a capital, as in "U.S.-Japan" (the character before is checked after: a
# pattern opening with "-" lets the regex engine skip to hyphens at C speed).
_HYPHEN = re.compile(r"-(?=[A-Z])")
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
