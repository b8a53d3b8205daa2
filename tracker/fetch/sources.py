"""Sources: what to fetch, from ``sources.toml`` or the command line.

Takes a TOML file (or URLs given to ``tracker run``) and gives :class:`Sources`: the
politeness settings and the list of :class:`Source` (a feed, a page or a GDELT file), each
checked, with a one-line error naming the file, the source and the fix for anything wrong.

.. code-block:: toml

    [fetch]                      # optional; these are the defaults
    delay = 1.0                  # seconds between requests to one host
    per_host = 2                 # requests at once to one host
    workers = 8                  # requests at once in all
    timeout = 15                 # seconds to connect, and between bytes
    retries = 2
    max_mb = 10                  # pages larger than this are refused
    user_agent = "tracker/0.1 (+news reader for international relations research)"

    [[source]]
    name = "VOA world"
    feed = "https://www.voanews.com/api/zq$omekvi_"
    max_items = 100              # the feed's first items only

    [[source]]
    page = "https://www.state.gov/briefings/department-press-briefing/"

    [[source]]
    name = "GDELT, last hour"
    gdelt = "http://data.gdeltproject.org/gdeltv2/lastupdate.txt"   # a list or one file
    kind = "export"              # export, mentions or gkg
    files = 4                    # from a list, the newest files of that kind
    countries = ["RUS", "UKR"]   # links about these states only
    themes = []                  # GKG themes (prefixes), GKG files only
    since = "2024-02-01"         # event or document dates, inclusive
    until = "2024-02-07"
    max_links = 200
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import TrackerError

KINDS = ("feed", "page", "gdelt")
GDELT_KINDS = ("export", "mentions", "gkg")

#: [fetch] settings and their defaults.
SETTINGS = {"delay": 1.0, "per_host": 2, "workers": 8, "timeout": 15.0, "retries": 2,
            "max_mb": 10.0, "user_agent": None}

_OPTIONS = {
    "feed": {"name", "feed", "max_items"},
    "page": {"name", "page"},
    "gdelt": {"name", "gdelt", "kind", "files", "countries", "themes", "since", "until",
              "max_links"},
}


@dataclass(frozen=True)
class Source:
    """One thing to fetch.

    Attributes
    ----------
    kind : str
        ``"feed"``, ``"page"`` or ``"gdelt"``; ``"auto"`` for a URL given on the command line
        (a feed if what comes back is one, else a page).
    url : str
        An http(s) URL; for GDELT also a local file.
    name : str
        What reports and the store call it (the URL when not named).
    options : dict
        The kind's options (``max_items``; ``kind``, ``files``, ``countries``, ``themes``,
        ``since``, ``until``, ``max_links``).
    """

    kind: str
    url: str
    name: str
    options: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Sources:
    settings: dict
    sources: list[Source]


def is_url(text: str) -> bool:
    """Whether a command-line argument is an http(s) URL rather than a path."""
    return str(text).lower().startswith(("http://", "https://"))


def from_urls(urls: list[str], settings: dict | None = None) -> Sources:
    """URLs from the command line: each a feed or a page, decided by what comes back."""
    return Sources(dict(SETTINGS, **(settings or {})),
                   [Source("auto", u, u) for u in urls])


def load_sources(path: str | Path) -> Sources:
    """Read and check a ``sources.toml``.

    Raises
    ------
    TrackerError
        One line naming the file (and the TOML line, or the source) and the fix.
    """
    import tomllib

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TrackerError(f"--sources {path}: cannot read it ({exc.strerror}); check the "
                           "path.") from None
    except UnicodeDecodeError:
        raise TrackerError(f"--sources {path}: not UTF-8 text; save it as UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise TrackerError(f"--sources {path}: not valid TOML ({exc}); fix that line.") \
            from None
    unknown = set(data) - {"fetch", "source"}
    if unknown:
        raise TrackerError(f"--sources {path}: unknown table [{sorted(unknown)[0]}]; use "
                           "[fetch] and [[source]].")
    settings = dict(SETTINGS)
    for key, value in (data.get("fetch") or {}).items():
        if key not in SETTINGS:
            raise TrackerError(f"--sources {path}: [fetch] has no setting {key!r}; use one of: "
                               f"{', '.join(SETTINGS)}.")
        want = str if key == "user_agent" else (int if key in ("per_host", "workers",
                                                                "retries") else float)
        if want is str and not isinstance(value, str) or want is not str and (
                isinstance(value, bool) or not isinstance(value, (int, float))
                or value < (0 if key in ("delay", "retries") else 1e-9)
                or want is int and value != int(value)):
            raise TrackerError(f"--sources {path}: [fetch] {key} = {value!r} is invalid; "
                               f"write a {'text' if want is str else 'positive number'}.")
        settings[key] = want(value)
    raw = data.get("source") or []
    if not isinstance(raw, list) or not raw:
        raise TrackerError(f"--sources {path}: lists no sources; add [[source]] tables with "
                           "feed = URL, page = URL or gdelt = URL or file.")
    sources, names = [], set()
    for i, entry in enumerate(raw, 1):
        sources.append(_source(path, i, entry, names))
    return Sources(settings, sources)


def _source(path: Path, i: int, entry: dict, names: set) -> Source:
    where = f"--sources {path}: source {i}"
    kinds = [k for k in KINDS if k in entry]
    if len(kinds) != 1:
        raise TrackerError(f"{where} needs exactly one of feed = URL, page = URL or gdelt = "
                           f"URL or file (it has {', '.join(kinds) or 'none'}).")
    kind = kinds[0]
    url = entry[kind]
    name = entry.get("name", url)
    if not isinstance(url, str) or not url.strip():
        raise TrackerError(f"{where}: {kind} = {url!r} is not a URL; write it in quotes.")
    url = url.strip()
    if kind != "gdelt" and not is_url(url):
        raise TrackerError(f"{where}: {kind} = {url!r} is not an http(s) URL; give the full "
                           "address.")
    if kind == "gdelt" and not is_url(url):  # a local file: as given, else beside sources.toml
        found = next((f for f in (Path(url), path.parent / url) if f.exists()), None)
        if found is None:
            raise TrackerError(f"{where}: gdelt = {url!r} is neither a URL nor an existing "
                               "file; check the path.")
        url = str(found)
    where = f"--sources {path}: source {name!r}"
    if name in names:
        raise TrackerError(f"{where} is named twice; give each source its own name.")
    names.add(name)
    extra = set(entry) - _OPTIONS[kind]
    if extra:
        raise TrackerError(f"{where}: {kind} sources have no option {sorted(extra)[0]!r}; use "
                           f"{', '.join(sorted(_OPTIONS[kind] - {kind}))}.")
    options = {k: v for k, v in entry.items() if k not in ("name", kind)}
    for key in ("max_items", "files", "max_links"):
        if key in options and (not isinstance(options[key], int) or isinstance(
                options[key], bool) or options[key] < 1):
            raise TrackerError(f"{where}: {key} = {options[key]!r} is invalid; write a whole "
                               "number of at least 1.")
    if kind == "gdelt":
        options.setdefault("kind", "export")
        if options["kind"] not in GDELT_KINDS:
            raise TrackerError(f"{where}: kind = {options['kind']!r} is invalid; use one of: "
                               f"{', '.join(GDELT_KINDS)}.")
        for key in ("countries", "themes"):
            value = options.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TrackerError(f"{where}: {key} must be a list of strings, e.g. "
                                   f"{key} = [\"RUS\", \"UKR\"].")
        options["countries"] = [c.strip().upper() for c in options.get("countries", [])]
        _check_countries(where, options["countries"])
        for key in ("since", "until"):
            if key in options:
                options[key] = _day(where, key, options[key])
    return Source(kind, url, str(name), options)


def _check_countries(where: str, codes: list[str]) -> None:
    from tracker.extract import Gazetteer

    bad = [c for c in codes if not Gazetteer.default().is_country(c)]
    if bad:
        raise TrackerError(f"{where}: countries has {bad[0]!r}, not a known ISO3 code; write "
                           "codes such as \"RUS\".")


def _day(where: str, key: str, value) -> str:
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise TrackerError(f"{where}: {key} = {value!r} is not a date; write it as "
                           "YYYY-MM-DD.") from None
