"""URLs as keys: one canonical spelling per page, and the host that politeness is counted by.

Takes URL strings as feeds and pages give them; gives :func:`canonical_url` (the same story
reached through a share button, a newsletter or a feed reader comes out as one string, so it is
stored and fetched once) and :func:`host_of` (the key for robots.txt and rate limits).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

#: Query parameters that only say where a click came from; matched case-insensitively.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "mc_cid", "mc_eid", "igshid", "igsh", "_ga", "_gl", "ref_src", "ref_url", "cmpid", "cmp",
    "ocid", "smid", "smtyp", "s_cid", "at_medium", "at_campaign", "at_custom1", "at_custom2",
    "at_custom3", "at_custom4", "wt.mc_id", "wt_mc_id", "mkt_tok", "_hsenc", "_hsmi",
    "hsctatracking", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "rb_clickid",
    "spm", "share", "sharesource", "xtor", "guccounter", "guce_referrer", "guce_referrer_sig",
    "__twitter_impression", "icid", "intcmp", "soc_src", "soc_trk", "cid_source",
})
#: Prefixes of whole families of tracking parameters (utm_source, ns_mchannel, pk_campaign...).
TRACKING_PREFIXES = ("utm_", "ns_", "pk_", "mtm_", "hsa_", "vero_", "oly_", "at_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left as they are in each part; everything else (spaces, non-ASCII) is %-encoded.
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/%")
_QUERY_SAFE = _UNRESERVED | frozenset("!$'()*+,;:@/?%")
_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")


def _normalise_escapes(part: str, safe: frozenset[str]) -> str:
    """RFC 3986 normalisation: decode %-escapes of unreserved characters, upper-case the others'
    hex, and %-encode what may not stand bare (as UTF-8). Idempotent."""
    raw = part.encode("utf-8", "surrogatepass")

    def unescape(m: re.Match[bytes]) -> bytes:
        char = chr(int(m.group(1), 16))
        return char.encode() if char in _UNRESERVED else b"%" + m.group(1).upper()

    raw = _ESCAPE.sub(unescape, raw)
    out = []
    for i, byte in enumerate(raw):
        char = chr(byte)
        # A "%" not followed by two hex digits is a literal percent sign.
        if char == "%" and not _ESCAPE.match(raw, i):
            out.append("%25")
        elif byte < 128 and char in safe:
            out.append(char)
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: ``/a/./b/../c`` -> ``/a/c``."""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/".join(out) or "/"


def _is_tracking(name: str) -> bool:
    key = name.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _authority(parts, scheme: str) -> str:
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep what was written
        return parts.netloc.lower()
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return f"{userinfo}@{host}" if userinfo else host


def canonical_url(url: str) -> str:
    """One spelling of a URL, so the same page reached two ways is stored and fetched once.

    Lower-cases the scheme and host, drops a default port (``:80`` for http, ``:443`` for https),
    the fragment and tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``ns_*``, ... see
    :data:`TRACKING_PARAMS`), sorts the remaining query parameters by name (the order of repeated
    names is kept), removes ``.`` and ``..`` path segments, makes an empty path ``/`` and
    normalises percent-encoding. Applying it twice gives the same string as applying it once.

    Parameters
    ----------
    url : str
        An absolute URL.

    Returns
    -------
    str
        The canonical URL. A string without a scheme and host is returned stripped, unchanged.

    Examples
    --------
    >>> canonical_url("HTTPS://Example.COM:443/news?utm_source=rss&id=7&page=2#top")
    'https://example.com/news?id=7&page=2'
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc:
        return url
    path = _remove_dot_segments(_normalise_escapes(parts.path, _PATH_SAFE)) or "/"
    if not path.startswith("/"):
        path = "/" + path
    params = []
    for pair in parts.query.split("&"):
        if not pair:
            continue
        name, eq, value = pair.partition("=")
        name = _normalise_escapes(name, _QUERY_SAFE)
        # Decode the name only to compare it with the tracking list.
        plain = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]),
                            name.encode()).decode("utf-8", "replace")
        if not _is_tracking(plain.replace("+", " ").strip()):
            params.append((name, eq + _normalise_escapes(value, _QUERY_SAFE)))
    params.sort(key=lambda p: p[0])
    query = "&".join(name + value for name, value in params)
    return urlunsplit((scheme, _authority(parts, scheme), path, query, ""))


def host_of(url: str) -> str:
    """The host that robots.txt and rate limits are counted by: lower-case, with its port when
    that is not the scheme's default.

    Parameters
    ----------
    url : str
        An absolute URL.

    Returns
    -------
    str
        ``"example.com"``, ``"127.0.0.1:8080"``; ``""`` when the URL has no host.

    Examples
    --------
    >>> host_of("https://WWW.Example.com:443/a")
    'www.example.com'
    >>> host_of("http://127.0.0.1:8080/feed")
    '127.0.0.1:8080'
    """
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return ""
    authority = _authority(parts, parts.scheme.lower())
    return authority.rpartition("@")[2]
