"""Tests for tracker/ingest/: reading, cleaning, hashing and dating articles."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.ingest import (
    Article,
    clean_text,
    content_id,
    drop_repeated_headline,
    fix_quote_spacing,
    infer_date,
    is_furniture,
    looks_like_headline,
    normalise_quotes,
    parse_date,
    read_articles,
)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
SEED = REPO / "seeds" / "000_38975f3c750645bc.txt"
VOA = REPO.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"

STORY = (
    "Oslo hosts Nordic talks\n\n"
    "Norway\u2019s foreign minister met his Swedish counterpart on Tuesday, March 5, 2024.\n\n"
    "Sweden called the talks \u201c very productive \u201d.\n"
)


def read_one(path, **kwargs) -> Article:
    articles = list(read_articles(path, **kwargs))
    assert len(articles) == 1
    return articles[0]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# The seed article
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed() -> Article:
    return read_one(SEED)


def test_seed_date_is_inferred_from_weekday_and_years(seed):
    assert seed.published == "2024-02-04"
    assert seed.date_method.startswith("text:")
    assert "Sunday February 4" in seed.date_method
    assert "2022" in seed.date_method


def test_seed_furniture_is_removed(seed):
    for furniture in ("Read also", "2 mins", "(With AFP)", "fourth cruise missile"):
        assert furniture not in seed.text
    assert "Analysts recently warned" in seed.text


def test_seed_quotes_are_ascii_and_tidy(seed):
    assert not set("\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e") & set(seed.text)
    assert "Seoul's criticism" in seed.text
    assert "Washington's geopolitical games" in seed.text
    assert 'to have "responsible actions", according' in seed.text
    assert 'its "main enemy", closed' in seed.text
    assert "  " not in seed.text and " ," not in seed.text


def test_seed_repeated_headline_dropped_and_title_kept(seed):
    headline = "After a dispute over North Korea with Seoul, Russian diplomacy visits South Korea"
    assert seed.title == headline
    assert seed.text.startswith(headline + "\n\nRussian Deputy Foreign Minister")
    assert seed.text.count("After a dispute") == 1


def test_seed_identity_fields(seed):
    assert seed.external_id == SEED.name
    assert seed.origin == str(SEED)
    assert seed.id == content_id(seed.text) and len(seed.id) == 16
    assert "\n\n\n" not in seed.text and seed.text == seed.text.strip()


def test_same_story_from_txt_and_jsonl_gets_same_id(tmp_path):
    txt = read_one(SEED)
    # the same story with different furniture around it, as a scraper export
    body = "Advertisement\n\n" + SEED.read_text(encoding="utf-8") + "\n\nShare this article\n\n3 min read"
    row = {"id": "x1", "text": body, "published": "2024-02-04", "url": "https://www.example.com/a"}
    other = read_one(write_jsonl(tmp_path / "dump.jsonl", [row]))
    assert other.id == txt.id
    assert other.text == txt.text
    assert other.external_id == "x1" and txt.external_id == SEED.name


def test_different_text_gets_different_id(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(STORY, encoding="utf-8")
    b.write_text(STORY.replace("Tuesday", "Wednesday").replace("March 5", "March 6"), encoding="utf-8")
    assert read_one(a).id != read_one(b).id


# ---------------------------------------------------------------------------------------------
# JSONL and CSV
# ---------------------------------------------------------------------------------------------

def test_jsonl_metadata_synonyms_and_origin(tmp_path):
    path = write_jsonl(tmp_path / "feed.jsonl", [
        {"id": 7, "url": "https://www.voanews.com/a/1.html", "title": "Talks \u201cstall\u201d",
         "published": "2025-03-14 20:30:26Z", "outlet": "VOA", "text": "Seoul said no."},
        "",
        {"body": "Tokyo said yes.", "date": "Sun, 04 Feb 2024 09:00:00 +0900"},
        {"content": "Beijing said maybe.", "published": "February 4, 2024", "url": "https://www.bbc.co.uk/x"},
    ])
    first, second, third = read_articles(path)
    assert (first.external_id, first.url, first.title, first.outlet) == (
        "7", "https://www.voanews.com/a/1.html", 'Talks "stall"', "VOA")
    assert (first.published, first.date_method, first.origin) == ("2025-03-14", "metadata", f"{path}:1")
    assert second.text == "Tokyo said yes." and second.published == "2024-02-04"
    assert second.external_id == "feed.jsonl:3" and second.origin == f"{path}:3"
    assert second.title is None and second.outlet is None
    assert third.published == "2024-02-04" and third.outlet == "bbc.co.uk"


def test_csv_metadata_and_multiline_field(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(
        "ID,Title,Date,URL,Outlet,Text\n"
        'a1,First,2024-02-04,https://e.org/1,Wire,"Seoul said no.\n\nTokyo said yes."\n'
        "a2,Second,2024-02-05,,,Moscow said nothing.\n",
        encoding="utf-8",
    )
    first, second = read_articles(path)
    assert first.text == "Seoul said no.\n\nTokyo said yes."
    assert (first.external_id, first.title, first.published, first.outlet) == ("a1", "First", "2024-02-04", "Wire")
    assert first.origin == f"{path}:2"
    assert second.origin == f"{path}:5" and second.url is None and second.published == "2024-02-05"


@pytest.mark.skipif(not VOA.exists(), reason="shared VOA data not present")
def test_real_voa_file_dates_from_metadata():
    articles = list(read_articles(VOA))
    rows = [json.loads(line) for line in VOA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(articles) == 89
    assert {a.date_method for a in articles} == {"metadata"}
    assert [a.published for a in articles] == [r["published"][:10] for r in rows]
    assert [a.external_id for a in articles] == [r["id"] for r in rows]
    assert all(a.outlet == "voanews.com" and a.title for a in articles)
    assert len({a.id for a in articles}) == 89


def test_jsonl_is_read_lazily(tmp_path):
    path = write_jsonl(tmp_path / "big.jsonl", [
        {"text": "One.", "published": "2024-01-01"},
        {"text": "Two.", "published": "2024-01-02"},
        "{broken",
    ])
    articles = read_articles(path)
    assert next(articles).text == "One."
    assert next(articles).text == "Two."
    with pytest.raises(TrackerError, match="big.jsonl:3"):
        next(articles)


# ---------------------------------------------------------------------------------------------
# HTML, Markdown, folders
# ---------------------------------------------------------------------------------------------

def test_html_drops_page_chrome_and_uses_meta_date():
    art = read_one(FIXTURES / "article.html")
    assert art.published == "2024-03-05" and art.date_method == "metadata"
    assert art.title == "Ministers meet in Oslo"
    assert art.url == "https://news.example.org/oslo-talks" and art.outlet == "Example News"
    for chrome in ("tracking", "color", "Example News home", "Politics", "Oslo weather",
                   "Advertisement", "\u00a9"):
        assert chrome not in art.text
    assert art.text == (
        "Ministers meet in Oslo\n\n"
        "Filed 1 January\n\n"  # the <meta> date wins over this <time datetime="2023-01-01">
        "Norway's foreign minister welcomed his Swedish counterpart on Tuesday, "
        'calling the talks "very productive".\n\n'
        "Sweden said it would deepen cooperation & trade.\n\n"
        "Both sides signed a memorandum."
    )


def test_html_without_meta_infers_date_from_text():
    art = read_one(FIXTURES / "no_meta.html")
    assert art.published == "2024-03-04"
    assert "Monday, March 4, 2024" in art.date_method
    assert art.title == "Talks resume"


def test_markdown_front_matter_and_markup():
    art = read_one(FIXTURES / "report.md")
    assert (art.published, art.date_method) == ("2024-05-02", "metadata")
    assert art.title == "Border talks stall"
    assert art.url == "https://blog.example.org/border-talks"
    assert art.text == (
        "Border talks stall\n\n"
        "Talks between India and China stalled on Thursday, officials said.\n\n"
        "Both sides agreed to meet again."
    )


def test_folder_is_recursive_sorted_and_skips_unknown(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zebra text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Alpha text.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden.", encoding="utf-8")
    texts = [a.text for a in read_articles(tmp_path, date="2024-01-01")]
    assert texts == ["Alpha text.", "Zebra text."]


# ---------------------------------------------------------------------------------------------
# Dates: option and inference
# ---------------------------------------------------------------------------------------------

def test_no_date_raises_with_fix_and_date_option_works(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("Seoul protested to Moscow.", encoding="utf-8")
    with pytest.raises(TrackerError, match="undated.txt") as err:
        list(read_articles(path))
    assert "--date YYYY-MM-DD" in str(err.value)
    art = read_one(path, date="2024-02-04")
    assert (art.published, art.date_method) == ("2024-02-04", "option --date")
    assert read_one(path, date=dt.date(2023, 5, 6)).published == "2023-05-06"


def test_metadata_beats_date_option(tmp_path):
    path = write_jsonl(tmp_path / "f.jsonl", [{"text": "x y z.", "published": "2020-01-02"}])
    assert read_one(path, date="2024-02-04").published == "2020-01-02"


def test_bad_date_option_raises_at_once():
    with pytest.raises(TrackerError, match="--date '04/02/2024' is invalid"):
        read_articles([FIXTURES / "article.html"], date="04/02/2024")


@pytest.mark.parametrize("value, expected", [
    ("2024-02-04", dt.date(2024, 2, 4)),
    ("2025-03-14 20:30:26Z", dt.date(2025, 3, 14)),
    ("2024-02-04T23:30:00+09:00", dt.date(2024, 2, 4)),
    ("Sun, 04 Feb 2024 09:00:00 +0900", dt.date(2024, 2, 4)),
    ("February 4, 2024", dt.date(2024, 2, 4)),
    ("Feb. 4, 2024", dt.date(2024, 2, 4)),
    ("4 February 2024", dt.date(2024, 2, 4)),
    ("2024/2/4", dt.date(2024, 2, 4)),
])
def test_parse_date_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "2023-02-29", "04/02/2024", ""])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize("text, expected, phrase", [
    ("Since 2022 ... on Sunday February 4 the ministry said", "2024-02-04", "Sunday February 4"),
    ("In 2021 ... met on Sunday, Feb. 4 in Seoul", "2024-02-04", "Sunday, Feb. 4"),
    ("After the 2019 vote, on Sunday 4 February, he left", "2024-02-04", "Sunday 4 February"),
    ("Back in 2023, ... on Monday 4th of March they met", "2024-03-04", "Monday 4th of March"),
    ("In 2022 ... on Sunday February 4, aiming for net zero by 2030", "2024-02-04", "2022"),
    ("Seen in 2016: on Friday, January 6 it rained", "2017-01-06", "Friday, January 6"),
])
def test_infer_date_from_weekday(text, expected, phrase):
    day, method = infer_date(text)
    assert day.isoformat() == expected
    assert phrase in method and method.startswith("text:")


def test_infer_date_prefers_weekday_with_year_then_full_date():
    day, method = infer_date("On Monday, March 4, 2024 the 2030 plan was signed.")
    assert day == dt.date(2024, 3, 4) and "Monday, March 4, 2024" in method
    day, method = infer_date("The treaty of February 24, 2022 was cited.")
    assert day == dt.date(2022, 2, 24) and "full date" in method


@pytest.mark.parametrize("text", [
    "On Sunday February 4 they met.",           # no year mentioned: no honest lower bound
    "Seoul protested to Moscow.",
    "Sunday February 31 in 2024",               # not a real date
])
def test_infer_date_gives_up_honestly(text):
    assert infer_date(text) is None


# ---------------------------------------------------------------------------------------------
# Errors name file and line and say the fix
# ---------------------------------------------------------------------------------------------

def test_missing_path(tmp_path):
    with pytest.raises(TrackerError, match=r"nope\.txt: no such file or folder"):
        read_articles(tmp_path / "nope.txt")


def test_explicit_unsupported_file(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(TrackerError, match=r"paper\.pdf: unsupported file type '\.pdf'; use one of"):
        read_articles([path])


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Seoul said no.", encoding="utf-8")

    def deny(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(TrackerError, match=r"locked\.txt: cannot be read \(Permission denied\); check the file"):
        list(read_articles(path, date="2024-01-01"))


def test_bad_json_line(tmp_path):
    path = write_jsonl(tmp_path / "file.jsonl", [{"text": "a.", "published": "2024-01-01"}, "", "{nope"])
    with pytest.raises(TrackerError) as err:
        list(read_articles(path))
    message = str(err.value)
    assert message.startswith(f"{path}:3: not valid JSON (")
    assert message.endswith("fix or remove that line") and "\n" not in message


def test_jsonl_non_object_line(tmp_path):
    path = write_jsonl(tmp_path / "file.jsonl", ["[1, 2]"])
    with pytest.raises(TrackerError, match=r"file\.jsonl:1: expected a JSON object"):
        list(read_articles(path))


def test_jsonl_row_without_text(tmp_path):
    path = write_jsonl(tmp_path / "file.jsonl", [{"text": "a.", "published": "2024-01-01"}, {"title": "x"}])
    with pytest.raises(TrackerError, match=r"file\.jsonl:2: row has no text.*add the article text"):
        list(read_articles(path))


def test_csv_row_without_text(tmp_path):
    path = tmp_path / "file.csv"
    path.write_text("text,date\nhello there.,2024-01-01\n,2024-01-02\n", encoding="utf-8")
    with pytest.raises(TrackerError, match=r"file\.csv:3: row has no text"):
        list(read_articles(path))


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "file.csv"
    path.write_text("title,date\nx,2024-01-01\n", encoding="utf-8")
    with pytest.raises(TrackerError, match=r"file\.csv:1: no text column"):
        list(read_articles(path))


def test_bad_date_value(tmp_path):
    path = write_jsonl(tmp_path / "file.jsonl", [{"text": "a.", "date": "2024-02-30"}])
    with pytest.raises(TrackerError, match=r"file\.jsonl:1: date '2024-02-30' is not a date; write it as YYYY-MM-DD"):
        list(read_articles(path))


@pytest.mark.parametrize("name, line", [("latin1.txt", 2), ("latin1.jsonl", 2)])
def test_non_utf8_file(tmp_path, name, line):
    path = tmp_path / name
    good = b'{"text": "ok.", "published": "2024-01-01"}\n' if name.endswith("jsonl") else b"fine\n"
    path.write_bytes(good + '{"text": "Caf\u00e9"}\n'.encode("latin-1"))
    with pytest.raises(TrackerError, match=rf"{name}:{line}: not UTF-8 \(byte 0xe9\); re-save the file as UTF-8"):
        list(read_articles(path, date="2024-01-01"))


def test_empty_after_cleaning(tmp_path):
    path = tmp_path / "furniture.txt"
    path.write_text("Advertisement\n\n2 mins\n", encoding="utf-8")
    with pytest.raises(TrackerError, match=r"furniture\.txt: no article text left after cleaning"):
        list(read_articles(path, date="2024-01-01"))


# ---------------------------------------------------------------------------------------------
# Cleaning functions
# ---------------------------------------------------------------------------------------------

def test_normalise_quotes_keeps_apostrophes():
    assert normalise_quotes("Seoul\u2019s \u2018view\u2019 \u201cno\u201d \u00abnon\u00bb \u201eja\u201c") == (
        "Seoul's 'view' \"no\" \"non\" \"ja\"")


@pytest.mark.parametrize("raw, expected", [
    ('urged Russia to have " responsible actions ", according', 'urged Russia to have "responsible actions", according'),
    ('its " main enemy ", and war for " even 0.001 mm " of land', 'its "main enemy", and war for "even 0.001 mm" of land'),
    ('she said " a ", then " b ". Then rude ".', 'she said "a", then "b". Then rude".'),
    ('Brazen policy of UNITED STATES "', "Brazen policy of UNITED STATES"),
    ('He said "fine" and left.', 'He said "fine" and left.'),
    ('said "Today is " and "x', 'said "Today is" and "x'),   # unclear trailing quote left alone
])
def test_fix_quote_spacing(raw, expected):
    assert fix_quote_spacing(raw) == expected


@pytest.mark.parametrize("line", [
    "2 mins", "3 min read", "Reading time: 4 minutes", "Read alsoNorth Korea launches fourth cruise missile",
    "Read more: Oslo weather", "See also", "Related: Seoul protests", "(With AFP)", "(Reuters)",
    "Advertisement", "ADVERTISEMENT", "Share this article", "Subscribe to our newsletter",
    "Sign up for our daily newsletter", "Facebook Twitter WhatsApp", "Share on Twitter",
])
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "Share prices fell sharply in Seoul on Monday after the announcement.",
    "Related talks broke down.",
    "Seoul said it would read more carefully.",
    "The 2 minute silence was observed.",
    "Printing presses stopped.",
    "Russia (with China) vetoed the resolution at the Security Council on Friday afternoon.",
])
def test_not_furniture(line):
    assert not is_furniture(line)


def test_drop_repeated_headline():
    paras = ["After a dispute, Russia visits Korea", "After a dispute Russia visits", "Body text."]
    assert drop_repeated_headline(paras) == ["After a dispute, Russia visits Korea", "Body text."]
    assert drop_repeated_headline(["Talks stall", "Talks stall", "Body."]) == ["Talks stall", "Body."]
    assert drop_repeated_headline(["Talks", "Talks stall in Oslo", "Body."]) == ["Talks stall in Oslo", "Body."]
    # a sentence repeating a headline's start is text, not a copy
    assert drop_repeated_headline(["Seoul protests", "Seoul protests were loud."]) == [
        "Seoul protests", "Seoul protests were loud."]


def test_looks_like_headline():
    assert looks_like_headline("Cruise missiles for Russia")
    assert not looks_like_headline("Seoul said no.")
    assert not looks_like_headline(" ".join(["word"] * 40))


def test_clean_text_paragraphs():
    # with blank lines, wrapped lines join into one paragraph
    assert clean_text("Line one\ncontinues here.\n\n\n  Second   para .  \r\n") == (
        "Line one continues here.\n\nSecond para.")
    # without blank lines, every line is a paragraph
    assert clean_text("First.\nSecond.") == "First.\n\nSecond."
    assert clean_text("Zero\u200bwidth\u00a0space") == "Zerowidth space"
    # furniture inside a wrapped paragraph does not split it
    assert clean_text("Seoul said\nAdvertisement\nit would respond.\n\nEnd.") == (
        "Seoul said it would respond.\n\nEnd.")


def test_content_id_is_sha256_prefix():
    assert content_id("abc") == "ba7816bf8f01cfea"


def test_json_arrays_gzip_compact_dates_and_seendate(tmp_path):
    import gzip
    import json

    from tracker.ingest import read_articles

    (tmp_path / "a.json").write_text(json.dumps([
        {"id": "j1", "text": "Japan praised Australia.", "published": "20240204"},
        {"id": "j2", "text": "Russia warned Norway.", "date": "20240205T091500Z"}]))
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "text": "India thanked Nepal.",
                             "seendate": "20240206T120000Z"}) + "\n")
    with gzip.open(tmp_path / "c.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("id,text,published\nc1,Chile welcomed Peru.,2024-02-07\n")
    (tmp_path / "README.md").write_text("# About these files\n\nNot an article.\n")
    (tmp_path / "SOURCE.md").write_text("Where the files came from.\n")
    got = {a.external_id: a.published for a in read_articles(tmp_path)}
    assert got == {"j1": "2024-02-04", "j2": "2024-02-05", "g1": "2024-02-06",
                   "c1": "2024-02-07"}


def test_a_speaker_field_must_be_a_state(tmp_path):
    import json

    from tracker.errors import TrackerError
    from tracker.ingest import read_articles

    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps({"text": "We condemn the attack.", "published": "2024-02-04",
                               "speaker": "usa"}) + "\n"
                   + json.dumps({"text": "We welcome the talks.", "published": "2024-02-04",
                                 "speaker": "XYZ"}) + "\n")
    with pytest.raises(TrackerError, match=r"s.jsonl:2: speaker 'XYZ' is not a known ISO3"):
        list(read_articles(src))
    assert next(iter(read_articles(src))).speaker == "USA"


def test_parquet_shards_are_read_like_jsonl(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": "a", "text": "France and Germany signed a treaty on Monday.",
             "published": "2024-02-05", "speaker": None},
            {"id": "b", "text": "We thank our partners.", "published": "2024-02-06",
             "speaker": "IRL"}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "shard-0.parquet")
    jsonl = tmp_path / "same.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows))
    got = list(read_articles([tmp_path / "shard-0.parquet"]))
    want = list(read_articles([jsonl]))
    assert [(a.id, a.external_id, a.published, a.speaker) for a in got] == [
        (a.id, a.external_id, a.published, a.speaker) for a in want]
    assert got[1].origin.endswith("shard-0.parquet:2")
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(TrackerError, match=r"bad\.parquet: not a readable Parquet file"):
        list(read_articles([tmp_path / "bad.parquet"]))
