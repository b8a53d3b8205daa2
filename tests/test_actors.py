"""The gazetteer and officials: coverage, dates in office, user files, PETRARCH dictionaries."""
from __future__ import annotations

import datetime as dt

import pytest

from tracker.extract.actors import DATA_DIR, Gazetteer
from tracker.errors import TrackerError


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def test_every_iso_country_is_known(gaz):
    # The 249 ISO 3166-1 entries and Kosovo under the user-assigned XKX the guideline uses.
    assert len(gaz.countries) == 250
    for code in ("KOR", "PRK", "RUS", "USA", "JPN", "TWN", "PSE", "VAT", "SSD", "XKX"):
        assert gaz.is_country(code)


@pytest.mark.parametrize("text,iso3,kind", [
    ("the Republic of Korea", "KOR", "official_name"), ("the DPRK", "PRK", "alias"),
    ("the Kremlin", "RUS", "metonym"), ("Downing Street", "GBR", "metonym"),
    ("Pyongyang", "PRK", "capital"), ("Britain", "GBR", "alias"), ("Ukrainian", "UKR", "adjective"),
    ("Pristina", "XKX", "capital"),
])
def test_forms(gaz, text, iso3, kind):
    (m,) = gaz.find_mentions(f"Yesterday {text} spoke.")
    assert (m.text, m.iso3, m.kind) == (text, iso3, kind)


def test_not_the_state(gaz):
    assert gaz.find_mentions("The Washington Post reported on the Korean Peninsula.") == []


def test_officials_are_dated(gaz):
    on = lambda d: [m.iso3 for m in gaz.find_mentions("Zakharova spoke.", dt.date.fromisoformat(d))]
    assert on("2024-02-04") == ["RUS"] and on("2001-01-01") == [None]


def test_user_files_add_actors(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("name\taliases\tiso3\trole\tstart\tend\tgender\n"
                     "Jane Example\tExample\tNZL\tforeign_minister\t2020-01-01\t\tf\n")
    gaz = Gazetteer.with_user_files([extra])
    (m,) = gaz.find_mentions("Example said so.")
    assert (m.iso3, m.kind) == ("NZL", "official")
    assert gaz.fingerprint != Gazetteer.default().fingerprint


def test_bad_actor_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("iso3\tiso2\tname\tofficial_name\taliases\tadjectives\tcapital\tmetonyms\n"
                   "KOREA\tKR\tKorea\t\t\t\t\t\n")
    with pytest.raises(TrackerError, match=r"bad.tsv:2: iso3 'KOREA'"):
        Gazetteer([DATA_DIR / "countries.tsv", bad])


def test_sovereign_column_marks_territories(gaz, tmp_path):
    assert not gaz.is_sovereign("IOT") and not gaz.is_sovereign("GRL")
    assert gaz.is_sovereign("MUS") and gaz.is_sovereign("TWN")
    # The column is optional in user files (a state, if absent) and checked when present.
    header = "iso3\tiso2\tname\tofficial_name\taliases\tadjectives\tcapital\tmetonyms"
    old = tmp_path / "old.tsv"
    old.write_text(header + "\nXAA\tXA\tExampleland\t\t\t\t\t\n")
    assert Gazetteer([old], officials=[]).is_sovereign("XAA")
    bad = tmp_path / "bad.tsv"
    bad.write_text(header + "\tsovereign\nXAA\tXA\tExampleland\t\t\t\t\t\tmaybe\n")
    with pytest.raises(TrackerError, match=r"bad.tsv:2: sovereign 'maybe' is invalid"):
        Gazetteer([bad], officials=[])


def test_hyphenated_pairs(gaz):
    pairs = gaz.compounds("the U.S.-South Korea talks and Guinea-Bissau and U.S.-led forces")
    assert [(a.iso3, b.iso3, a.text, b.text) for a, b in pairs] == [
        ("USA", "KOR", "the U.S.", "South Korea")]
    # Each half is left out of the ordinary mentions.
    assert [m.iso3 for m in gaz.find_mentions("the U.S.-Japan alliance")] == []


def test_petrarch_dictionary_loads(shared_data):
    path = shared_data / "petrarch2" / "dictionaries" / "PETR.Validate.actors.txt"
    gaz = Gazetteer.with_user_files([path])
    found = {(m.text, m.iso3) for m in gaz.find_mentions("Gondor and Arnor met in Minas Tirith.")}
    assert {("Gondor", "GON"), ("Arnor", "ARN")} <= found


def test_actor_docs_exist():
    doc = (DATA_DIR / "ACTORS.md").read_text()
    assert "officials.tsv" in doc and "countries.tsv" in doc


def test_low_forms_of_an_article_give_the_same_mentions():
    gaz = Gazetteer.default()
    article = ("Egyptian President Abdel Fattah al-Sisi met Ursula von der Leyen. "
               "Later al-Sisi spoke. Nobody else did.")
    low = gaz.low_forms_in(article)
    assert "al-Sisi" in low and "von der Leyen" in low and "el-Sisi" not in low
    for sentence in article.split(". "):
        assert gaz.find_mentions(sentence, low_forms=low) == gaz.find_mentions(sentence)
