"""Coded event readers (tracker/events/): GDELT, ICEWS and PLOVER samples, links, bad input."""
from __future__ import annotations

import collections
import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.events import FORMATS, Event, EventFile, GdeltLink, gdelt_links, read_events
from tracker.events.codes import cameo_codes, plover_codes, quad_class
from tracker.events.countries import fips_state, icews_state
from tracker.events.gdelt import COL

GDELT = Path("gdelt") / "gdelt2_events_20150218230000.export.tsv"
ICEWS = Path("icews_sample") / "icews_events_2018-06-01_02.tsv"
PLOVER = Path("plover_gsr") / "PLOVER_GSR_CAMEO.json"
PACKAGE_DATA = Path(__file__).resolve().parents[1] / "tracker" / "data"


@pytest.fixture(scope="module")
def gdelt(shared_data) -> EventFile:
    return read_events(shared_data / GDELT)


@pytest.fixture(scope="module")
def icews(shared_data) -> EventFile:
    return read_events(shared_data / ICEWS)


@pytest.fixture(scope="module")
def plover(shared_data) -> EventFile:
    return read_events(shared_data / PLOVER)


def _rows(path: Path) -> list[list[str]]:
    return [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def _check_invariants(got: EventFile) -> None:
    print(got.path.name, got.rows, got.rows_used, dict(got.skipped.most_common()))
    assert got.rows == got.rows_used + sum(got.skipped.values())
    assert len({e.event_id for e in got.events}) == len(got.events)
    for e in got.events:
        assert e.source != e.target and len(e.source) == len(e.target) == 3
        assert -10 <= e.goldstein <= 10 and e.tone == pytest.approx(e.goldstein / 10)
        assert len(e.published) == 10 and e.description and e.dataset == got.format


# -- GDELT -------------------------------------------------------------------------------------

def test_gdelt_sample_rows_are_all_accounted_for(gdelt):
    _check_invariants(gdelt)
    assert gdelt.format == "gdelt"
    assert (gdelt.rows, gdelt.rows_used, len(gdelt.events)) == (2271, 484, 484)
    assert dict(gdelt.skipped) == {
        "no source state": 978, "no target state": 639, "same state on both sides": 133,
        "source is a region, not a state (EUR)": 19, "target is a region, not a state (EUR)": 12,
        "source is a region, not a state (AFR)": 4, "target is a region, not a state (NMR)": 2}


def test_gdelt_goldstein_and_quad_class_from_the_table_equal_the_files(gdelt, shared_data):
    rows = _rows(shared_data / GDELT)
    table = cameo_codes()
    # Every row of the file, imported or not: the table is GDELT's own.
    for fields in rows:
        code = table[fields[COL["EventCode"]]]
        assert code.goldstein == float(fields[COL["GoldsteinScale"]])
        assert code.quad_class == int(fields[COL["QuadClass"]])
    for event in gdelt.events:
        fields = rows[int(event.origin.rsplit(":", 1)[1]) - 1]
        assert fields[COL["GLOBALEVENTID"]] == event.event_id
        assert event.goldstein == float(fields[COL["GoldsteinScale"]])
        assert event.url == fields[COL["SOURCEURL"]]


def test_gdelt_hand_checked_rows(gdelt, shared_data):
    by_id = {e.event_id: e for e in gdelt.events}
    e = by_id["410413078"]
    assert (e.published, e.source, e.target, e.code, e.tone, e.quad_class) == (
        "2015-02-18", "EGY", "LBY", "181", pytest.approx(-0.9), 4)
    assert e.description == ("EGYPTIAN (EGY) -> LIBYA (LBY): Abduct, hijack, or take hostage "
                             "[CAMEO 181, Goldstein -9.0]")
    assert e.origin == f"{shared_data / GDELT}:732"
    e = by_id["410414009"]
    assert (e.source, e.target, e.code, e.tone) == ("RUS", "UKR", "120", pytest.approx(-0.4))
    assert e.url == "http://www.truth-out.org/speakout/item/29186-resolving-the-ukraine-crisis"
    assert (by_id["410413076"].code, by_id["410413076"].goldstein) == ("020", 3.0)  # zero kept
    # SQLDATE, not DATEADDED: a back-reference keeps its own date.
    assert by_id["410412353"].published == "2014-02-18"
    assert "410412347" not in by_id  # no actor countries at all


@pytest.mark.parametrize("pack", ["gz", "zip"])
def test_gdelt_compressed_copies_give_the_same_events(gdelt, shared_data, tmp_path, pack):
    data = (shared_data / GDELT).read_bytes()
    if pack == "gz":
        path = tmp_path / "20150218230000.export.CSV.gz"
        path.write_bytes(gzip.compress(data))
    else:
        path = tmp_path / "20150218230000.export.CSV.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("20150218230000.export.CSV", data)
    got = read_events(path)
    assert got.format == "gdelt" and got.skipped == gdelt.skipped
    strip = [(e.event_id, e.source, e.target, e.code, e.tone, e.origin.rsplit(":", 1)[1])
             for e in got.events]
    assert strip == [(e.event_id, e.source, e.target, e.code, e.tone, e.origin.rsplit(":", 1)[1])
                     for e in gdelt.events]
    assert got.events[0].origin.startswith(str(path) + ":")


def test_a_few_malformed_rows_are_skipped_with_a_reason(shared_data, tmp_path):
    lines = (shared_data / GDELT).read_text(encoding="utf-8").splitlines()[:40]
    lines[5] = "\t".join(lines[5].split("\t")[:30])  # truncated
    fields = lines[6].split("\t")
    fields[COL["SQLDATE"]] = "2015-13-45"
    lines[6] = "\t".join(fields)
    lines[7] = lines[8]  # the same event twice
    path = tmp_path / "some.export.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = read_events(path)
    assert got.rows == 40 and got.rows == got.rows_used + sum(got.skipped.values())
    assert got.skipped["wrong number of fields"] == 1 and got.skipped["bad date"] == 1


# -- ICEWS -------------------------------------------------------------------------------------

def test_icews_sample_rows_are_all_accounted_for(icews):
    _check_invariants(icews)
    assert (icews.rows, icews.rows_used) == (3705, 1741)
    assert dict(icews.skipped) == {"same state on both sides": 1596, "no target state": 221,
                                   "no source state": 147}


def test_icews_country_names_map_to_states(icews, shared_data):
    by_id = {e.event_id: e for e in icews.events}
    assert (by_id["32889836"].source, by_id["32889836"].target) == ("BGD", "VNM")
    assert (by_id["32890189"].source, by_id["32890189"].target) == ("PSE", "RUS")  # Occupied ...
    assert (by_id["32898337"].source, by_id["32898337"].target) == ("GRC", "MKD")
    assert by_id["32898337"].code == "010" and by_id["32898337"].published == "2018-06-01"
    names = {row[i] for row in _rows(shared_data / ICEWS)[1:] for i in (4, 10)}
    unmapped = {n for n in names if icews_state(n, "source")[0] is None}
    assert unmapped == {"NA"}  # R's missing value: "no source/target state"


def test_icews_intensity_differs_from_gdelt_weights_only_on_the_known_codes(icews, shared_data):
    rows = _rows(shared_data / ICEWS)
    header = rows[0]
    code, intensity = header.index("CAMEO Code"), header.index("Intensity")
    differ = {r[code] for r in rows[1:] if float(r[intensity]) != cameo_codes()[r[code]].goldstein}
    assert differ <= {"016", "022", "164", "165"} and differ


def test_icews_unmapped_names_are_skip_reasons(tmp_path):
    header = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\t"
              "CAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country")
    rows = ["1\t2018-06-01\tAtlantis\tNA\tAtlantis\tConsult\t040\t1\tFrance\tNA\tFrance",
            "2\t2018-06-01\tFrance\tNA\tFrance\tConsult\t040\t1\tNarnia\tNA\tNarnia",
            "3\t2018-06-01\tFrance\tNA\tFrance\tConsult\t040\t1\tCongo\tNA\tCongo",
            "4\t2018-06-01\tFrance\tNA\tFrance\tOops\t999\t1\tGermany\tNA\tGermany",
            "5\t2018-06-01\tFrance\tNA\tFrance\tConsult\t040\t1\tGermany\tNA\tGermany",
            "5\t2018-06-01\tFrance\tNA\tFrance\tConsult\t040\t1\tGermany\tNA\tGermany"]
    path = tmp_path / "icews.tab"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    got = read_events(path)
    assert got.format == "icews"
    assert dict(got.skipped) == {"source country not in countries.tsv (Atlantis)": 1,
                                 "target country not in countries.tsv (Narnia)": 1,
                                 "unknown CAMEO code 999": 1, "duplicate event id": 1}
    assert [(e.event_id, e.target) for e in got.events] == [("3", "COG"), ("5", "DEU")]
    assert got.events[1].origin == f"{path}:6"


# -- PLOVER ------------------------------------------------------------------------------------

def test_plover_sample_rows_are_all_accounted_for(plover):
    _check_invariants(plover)
    assert (plover.rows, plover.rows_used, len(plover.events)) == (323, 165, 193)
    assert plover.skipped["not an event record"] == 1  # the DOCUMENT record
    assert plover.skipped["source is not a state (IGO)"] == 27
    assert plover.skipped["target is not a state (IGO)"] == 19
    assert plover.skipped["same state on both sides"] == 88


def test_plover_reciprocal_actors_give_both_directions(plover, shared_data):
    by_id = {e.event_id: e for e in plover.events}
    first, second = by_id["PLOVER-GSR01-AGREE-0001#1"], by_id["PLOVER-GSR01-AGREE-0001#2"]
    assert {(first.source, first.target), (second.source, second.target)} == {
        ("HUN", "ROU"), ("ROU", "HUN")}
    assert first.code == "AGREE" and first.tone == pytest.approx(plover_codes()["AGREE"].goldstein / 10)
    assert first.description.startswith("Senior Hungarian and Romanian officials agreed")
    assert first.origin == f"{shared_data / PLOVER}:#1"
    pairs = {(e.source, e.target) for e in plover.events if e.event_id.startswith("PLOVER-GSR01-AGREE-0003#")}
    assert pairs == {("USA", "JOR"), ("JOR", "USA")}


def test_plover_igo_actors_are_skipped_and_codes_mapped(plover):
    ids = {e.event_id.split("#")[0] for e in plover.events}
    assert "PLOVER-GSR01-AGREE-0002" not in ids  # APEC (IGO) -> Tokyo
    by_id = {e.event_id: e for e in plover.events}
    # "JAP" in the records is Japan: Yeltsin hosted Hashimoto.
    hosted = by_id["PLOVER-GSR01-CONSULT-0005"]
    assert (hosted.source, hosted.target) == ("RUS", "JPN")
    assert {e.code for e in plover.events} <= set(plover_codes())


# -- tables ------------------------------------------------------------------------------------

def test_quad_class_and_tables():
    assert [quad_class(c) for c in ("01", "0599", "06", "0931", "10", "145", "15", "2042")] == [
        1, 1, 2, 2, 3, 3, 4, 4]
    table = cameo_codes()
    assert len(table) == 311 and table["190"].goldstein == -10.0 and table["106"].description
    assert all(-10 <= c.goldstein <= 10 for c in {**table, **plover_codes()}.values())
    assert plover_codes()["ASSAULT"].goldstein < plover_codes()["THREATEN"].goldstein < 0
    assert plover_codes()["AID"].goldstein > plover_codes()["CONSULT"].goldstein > 0


def test_the_lab_regenerates_the_committed_tables(shared_data, tmp_path):
    from tracker.lab.event_tables import write_tables

    for path in write_tables(shared_data, tmp_path):
        assert path.read_text(encoding="utf-8") == (PACKAGE_DATA / path.name).read_text(encoding="utf-8")


def test_fips_codes_agree_with_the_location_names_of_the_sample(shared_data):
    checked, wrong = 0, collections.Counter()
    for fields in _rows(shared_data / GDELT):
        for prefix in ("Actor1Geo_", "Actor2Geo_", "ActionGeo_"):
            fips = fields[COL[prefix + "CountryCode"]]
            iso3 = icews_state(fields[COL[prefix + "FullName"]].split(", ")[-1], "place")[0]
            if fips and iso3:
                checked += 1
                if fips_state(fips) != iso3:
                    wrong[(fips, iso3)] += 1
    assert checked > 5000 and not wrong
    assert (fips_state("AS"), fips_state("AU"), fips_state("GZ"), fips_state("OS")) == (
        "AUS", "AUT", "PSE", None)


# -- GDELT links -------------------------------------------------------------------------------

def test_gdelt_links_from_the_export(shared_data):
    rows = _rows(shared_data / GDELT)
    urls = list(dict.fromkeys(r[COL["SOURCEURL"]] for r in rows if r[COL["SOURCEURL"]].startswith("http")))
    links = gdelt_links(shared_data / GDELT)
    assert [link.url for link in links] == urls and len(urls) > 400
    assert all(isinstance(link, GdeltLink) and link.published == "2015-02-18" for link in links)
    ukraine = gdelt_links(shared_data / GDELT, countries={"UKR"})
    # Citations of offline sources ("as listed in Russian/BBC Monitoring/(c) BBC") are no links.
    expected = {r[COL["SOURCEURL"]] for r in rows if r[COL["SOURCEURL"]].startswith("http")
                and "UKR" in (r[COL["Actor1CountryCode"]], r[COL["Actor2CountryCode"]])}
    assert {link.url for link in ukraine} == expected and all("UKR" in link.countries for link in ukraine)
    assert gdelt_links(shared_data / GDELT, start="2015-02-19") == []
    assert len(gdelt_links(shared_data / GDELT, start="2015-02-18", end="2015-02-18")) == len(urls)
    # The raw bytes of the zip GDELT distributes give the same links.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("20150218230000.export.CSV", (shared_data / GDELT).read_bytes())
    assert gdelt_links(buffer.getvalue(), countries={"UKR"}, name="export.zip") == ukraine


BEAUMONT = ("http://www.beaumontenterprise.com/news/world/article/"
            "Islamic-State-militants-find-a-foothold-in-6088132.php")


def _mentions(shared_data) -> bytes:
    # GDELT 2.0 mentions layout: GLOBALEVENTID, EventTimeDate, MentionTimeDate, MentionType,
    # MentionSourceName, MentionIdentifier, SentenceID, Actor1CharOffset, Actor2CharOffset,
    # ActionCharOffset, InRawText, Confidence, MentionDocLen, MentionDocTone,
    # MentionDocTranslationInfo, Extras.
    rows = [
        ["410413078", "20150218230000", "20150218230000", "1", "beaumontenterprise.com",
         BEAUMONT,
         "3", "120", "-1", "140", "1", "50", "5120", "-6.2", "", ""],
        ["410414009", "20150218230000", "20150219001500", "1", "truth-out.org",
         "http://www.truth-out.org/speakout/item/29186-resolving-the-ukraine-crisis",
         "1", "10", "40", "25", "1", "100", "8000", "-2.1", "", ""],
        ["410414009", "20150218230000", "20150219001500", "2", "BBC Monitoring",
         "BBC Monitoring Former Soviet Union - Political", "1", "", "", "", "0", "20", "900", "0", "", ""],
        ["410413078", "20150218230000", "20150219003000", "1", "beaumontenterprise.com",
         BEAUMONT,
         "7", "20", "-1", "40", "1", "30", "5120", "-6.2", "", ""],
    ]
    assert all(len(r) == 16 for r in rows)
    return ("\n".join("\t".join(r) for r in rows) + "\n").encode()


def test_gdelt_links_from_mentions(shared_data, tmp_path):
    path = tmp_path / "20150219001500.mentions.CSV"
    path.write_bytes(_mentions(shared_data))
    links = gdelt_links(path)
    assert [(link.url.split("/")[2], link.published) for link in links] == [
        ("www.beaumontenterprise.com", "2015-02-18"), ("www.truth-out.org", "2015-02-19")]
    assert gdelt_links(path, kind="mentions", start="2015-02-19") == links[1:]
    with pytest.raises(TrackerError, match="names no countries"):
        gdelt_links(path, countries={"UKR"})


def _gkg() -> bytes:
    def row(record, date, collection, url, counts="", themes="", v2themes="", locations="",
            v2locations=""):
        fields = [record, date, collection, url.split("/")[2] if "//" in url else "", url,
                  counts, counts, themes, v2themes, locations, v2locations] + [""] * 16
        assert len(fields) == 27
        return "\t".join(fields)

    rows = [
        row("20150218230000-0", "20150218230000", "1",
            "http://www.dw.de/debaltseve-under-rebel-control-ukraine-troops-retreat/a-18267982",
            counts="KILL#6#soldiers#4#Debaltseve, Donets'ka Oblast', Ukraine#UP#UP14#48.3#38.4#-1041",
            themes="ARMEDCONFLICT;TAX_FNCACT;TAX_FNCACT_SOLDIERS",
            v2themes="ARMEDCONFLICT,55;TAX_FNCACT_SOLDIERS,120;TAX_FNCACT,120",
            locations="1#Ukraine#UP#UP#49#32#UP",
            v2locations=("1#Ukraine#UP#UP##49#32#UP#30;"
                         "4#Moscow, Moskva, Russia#RS#RS48##55.75#37.61#-2960561#300")),
        row("20150218230000-1", "20150218230000", "1",
            "http://www.voxy.co.nz/entertainment/coast-new-zealand-production-tv-one/5/214255",
            themes="MEDIA_MSM", locations="1#New Zealand#NZ#NZ#-41#174#NZ"),
        row("20150218230000-2", "20150218230000", "2", "BBC Monitoring South Asia",
            themes="TAX_FNCACT", v2locations="1#Pakistan#PK#PK##30#70#PK#5"),
        row("20150218231500-0", "20150218231500", "1",
            "http://www.al-monitor.com/pulse/contents/afp/2015/02/"
            "palestinians-demo-libya-unrest-egypt-christians.html",
            v2themes="PROTEST,10",
            v2locations="1#West Bank#WE#WE##32#35.25#WE#40;1#Egypt#EG#EG##27#30#EG#90"),
    ]
    return ("\n".join(rows) + "\n").encode()


def test_gdelt_links_from_gkg(tmp_path):
    path = tmp_path / "20150218230000.gkg.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("20150218230000.gkg.csv", _gkg())
    links = gdelt_links(path)
    assert [(link.countries, link.themes) for link in links] == [
        (("UKR", "RUS"), ("ARMEDCONFLICT", "TAX_FNCACT_SOLDIERS", "TAX_FNCACT")),
        (("NZL",), ("MEDIA_MSM",)),
        (("PSE", "EGY"), ("PROTEST",))]
    assert [link.url.split("/")[2] for link in gdelt_links(path, themes={"TAX_FNCACT"})] == ["www.dw.de"]
    assert [link.url.split("/")[2] for link in gdelt_links(path, countries={"PSE", "NZL"})] == [
        "www.voxy.co.nz", "www.al-monitor.com"]
    assert gdelt_links(path, kind="gkg", themes={"PROTEST"}, countries={"UKR"}) == []
    with pytest.raises(TrackerError, match="has no themes"):
        gdelt_links(_gkg().replace(b"\t", b" "), kind="export", themes={"PROTEST"})


# -- bad input ---------------------------------------------------------------------------------

def _one_line_error(path, format=None) -> str:
    with pytest.raises(TrackerError) as caught:
        read_events(path, format)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_bad_files_give_one_line_errors_naming_the_file(shared_data, tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_bytes(b"")
    assert _one_line_error(empty) == (f"{empty}: the file is empty; pass a GDELT 2.0 export, "
                                      "an ICEWS event file or PLOVER records")
    text = tmp_path / "notes.txt"
    text.write_text("Egypt bombed targets in Libya.\n", encoding="utf-8")
    assert _one_line_error(text).endswith("pass --format gdelt|icews|plover")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 20)
    assert _one_line_error(junk).startswith(f"{junk}: not a text file")
    truncated = tmp_path / "truncated.tsv"
    truncated.write_text("\t".join(_rows(shared_data / GDELT)[0][:20]) + "\n", encoding="utf-8")
    assert _one_line_error(truncated, "gdelt").startswith(
        f"{truncated}:1: has 20 fields, a GDELT 2.0 export has 61;")
    damaged = tmp_path / "damaged.export.CSV.gz"
    damaged.write_bytes(gzip.compress((shared_data / GDELT).read_bytes())[:30000])
    assert "compressed data is damaged" in _one_line_error(damaged)
    missing = tmp_path / "missing.tsv"
    assert _one_line_error(missing).startswith(f"{missing}: cannot read it")
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as archive:
        archive.writestr("a.tsv", "x")
        archive.writestr("b.tsv", "y")
    assert "holds 2 files" in _one_line_error(two)


@pytest.mark.parametrize("sample,wrong,right", [
    (GDELT, "icews", "gdelt"), (GDELT, "plover", "gdelt"), (ICEWS, "gdelt", "icews"),
    (ICEWS, "plover", "icews"), (PLOVER, "gdelt", "plover"), (PLOVER, "icews", "plover")])
def test_a_wrong_format_names_the_right_one(shared_data, sample, wrong, right):
    message = _one_line_error(shared_data / sample, wrong)
    assert message.startswith(f"{shared_data / sample}:1: ") and message.endswith(f"pass --format {right}")


def test_an_unknown_format_lists_the_valid_ones(shared_data):
    assert _one_line_error(shared_data / GDELT, "xml") == (
        "--format 'xml' is invalid; use one of: " + ", ".join(FORMATS) + ".")


def test_importing_the_package_is_cheap():
    code = ("import sys, tracker.events; "
            "print(sorted(m for m in ('pandas', 'numpy', 'torch', 'tracker.lab') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert Event.__dataclass_params__.frozen


# The store and the command line: `tracker events`, and an index from events, text or both

def test_tracker_events_imports_once_and_reconciles_every_row(shared_data, tmp_path):
    from typer.testing import CliRunner

    from tracker.cli import app
    from tracker.store import Store

    db = tmp_path / "e.db"
    runner = CliRunner()
    files = [str(shared_data / GDELT), str(shared_data / ICEWS)]
    first = runner.invoke(app, ["events", *files, "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "2,271 rows: 484 gave 484 events (484 new, 0 already stored), 1,787 skipped" \
        in first.output
    assert "3,705 rows: 1,741 gave 1,741 events (1,741 new" in first.output
    assert "978  no source state" in first.output
    again = runner.invoke(app, ["events", files[0], "--db", str(db)])
    assert "(0 new, 484 already stored)" in again.output
    with Store(db) as store:
        assert store.event_datasets() == {"gdelt": 484, "icews": 1741}
        frame = store.events_frame(["gdelt"])
    assert len(frame) == 484 and (frame["statement_id"] < 0).all()
    row = frame[frame["external_id"] == "410413078"].iloc[0]
    assert (row["source"], row["target"], row["tone"], row["label"]) == (
        "EGY", "LBY", -0.9, "hostile")
    assert row["rule"] == "event:gdelt:181" and row["origin"].endswith(":732")
    assert row["url"].startswith("http")


def test_an_index_from_events_alone_or_beside_text(shared_data, tmp_path):
    import tracker
    from tracker import pipeline

    db = tmp_path / "b.db"
    pipeline.import_events(db, [shared_data / ICEWS])
    t = tracker.open(db)
    with pytest.raises(TrackerError, match="no scored statements"):
        t.index(basis="text")
    events = t.index(directed=True, basis="events")
    usa_prk = events[(events.source == "USA") & (events.target == "PRK")].iloc[0]
    assert usa_prk["period"] == "2018-W22" and usa_prk["n_statements"] == 181
    evidence = t.evidence("USA-PRK", period="2018-W22", directed=True, basis="events")
    assert len(evidence) == 181 and evidence["sentence"].str.contains("->").all()
    # text beside the events: a statement read in an article joins the same pair
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"text": "North Korea sharply condemned the United States on "
                               "Friday, accusing Washington of hostile threats.",
                               "published": "2018-06-01"}) + "\n")
    pipeline.run([src], db=db, out=tmp_path / "out")
    both = t.index(directed=True, basis="both")
    prk_usa = both[(both.source == "PRK") & (both.target == "USA")].iloc[0]
    alone = events[(events.source == "PRK") & (events.target == "USA")].iloc[0]
    assert prk_usa["n_statements"] == alone["n_statements"] + 1
    assert prk_usa["index"] < alone["index"]  # the hostile sentence pulls it down
    with pytest.raises(TrackerError, match="--from 'all' is invalid"):
        t.index(basis="all")


def test_events_from_a_bad_file_store_nothing(shared_data, tmp_path):
    from typer.testing import CliRunner

    from tracker.cli import app

    bad = tmp_path / "notes.tsv"
    bad.write_text("just some notes\nnothing coded here\n")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(app, ["events", str(shared_data / GDELT), str(bad),
                                      "--db", str(db)])
    assert result.exit_code == 2 and str(bad) in result.output
    assert "Traceback" not in result.output and not db.exists()
