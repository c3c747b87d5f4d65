"""manage.py load_population: both CSV shapes, matching by number or name, all or nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from events import geocoding
from events.models import CommunityArea
from events.population import EMBEDDED_POPULATION_PATH, normalise_name
from twh.core.publication import public_version

pytestmark = pytest.mark.django_db

CENSUS = "area_number,name,population_2020\n37,Fuller Park,2567\n6,Lake View,103050\n76,O'Hare,13418\n"
# The City's ACS export names areas in capitals, without punctuation, with thousands separators.
ACS = ('"Community Area","ACS Year","Total Population"\n'
       '"FULLER PARK","2018-2022","2,466"\n"LAKE VIEW","2018-2022","100,470"\n'
       '"OHARE","2018-2022","13,039"\n"THE LOOP","2018-2022","42,298"\n')


def write(tmp_path, text, name="population.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def residents() -> dict[int, tuple]:
    return {a.number: (a.population, a.population_year, a.population_source)
            for a in CommunityArea.objects.filter(population__isnull=False)}


def load(path, *args, **options):
    out = io.StringIO()
    call_command("load_population", path, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_the_census_shape_is_matched_by_number_with_its_year_from_the_field(tmp_path):
    version = public_version()
    output = load(write(tmp_path, CENSUS), area_field="area_number", population_field="population_2020")
    assert residents() == {37: (2567, 2020, "population.csv"), 6: (103050, 2020, "population.csv"),
                           76: (13418, 2020, "population.csv")}
    assert "3 areas (2020)" in output
    assert public_version() != version  # the coverage page's cached figures are rebuilt


def test_the_acs_shape_is_matched_by_upper_case_names(tmp_path):
    CommunityArea.objects.filter(number=32).update(official_name="LOOP", name="The Loop")
    load(write(tmp_path, ACS), area_field="Community Area", population_field="Total Population",
         year=2022, source_label="American Community Survey 2018-2022")
    assert residents() == {37: (2466, 2022, "American Community Survey 2018-2022"),
                           6: (100470, 2022, "American Community Survey 2018-2022"),
                           76: (13039, 2022, "American Community Survey 2018-2022"),
                           32: (42298, 2022, "American Community Survey 2018-2022")}


ACS_YEARS = ('"ACS Year","Community Area","Total Population"\n'
             '"2019","FULLER PARK","2,600"\n"2019","LAKE VIEW","101,000"\n'
             '"2023","FULLER PARK","2,466"\n"2023","LAKE VIEW","100,470"\n')


def test_a_file_of_several_years_is_read_for_the_year_asked(tmp_path):
    path = write(tmp_path, ACS_YEARS)
    with pytest.raises(CommandError, match=r"several years in column 'ACS Year' \(2019, 2023\): choose one"):
        load(path, area_field="Community Area", population_field="Total Population")
    with pytest.raises(CommandError, match=r"No rows for 2021"):
        load(path, area_field="Community Area", population_field="Total Population", year=2021)
    assert residents() == {}
    load(path, area_field="Community Area", population_field="Total Population", year=2023)
    assert residents() == {37: (2466, 2023, "population.csv"), 6: (100470, 2023, "population.csv")}


def test_a_file_of_one_year_gives_its_year(tmp_path):
    one_year = "\n".join(ACS_YEARS.splitlines()[:3]) + "\n"
    load(write(tmp_path, one_year), area_field="Community Area", population_field="Total Population")
    assert residents() == {37: (2600, 2019, "population.csv"), 6: (101000, 2019, "population.csv")}


def test_names_are_normalised():
    assert normalise_name("O'Hare") == normalise_name("OHARE") == normalise_name("o hare")
    assert normalise_name("Montréal-Nord") == normalise_name("MONTREAL NORD")


@pytest.mark.parametrize(("text", "problem"), [
    (CENSUS + "99,Atlantis,5\n", "no area '99'"),
    (CENSUS + "37,Fuller Park,2600\n", "Fuller Park is given twice (first on line 2)"),
    (CENSUS + "8,Near North Side,lots\n", "is not a whole number"),
    (CENSUS + "8,Near North Side,-5\n", "is not a whole number"),
    (CENSUS + "8,Near North Side,12.5\n", "is not a whole number"),
    (CENSUS + ",Nowhere,5\n", "column is empty"),
    ("area_number,name,residents\n37,Fuller Park,2567\n", "No column 'population_2020'"),
    ("area_number,name,population_2020\n", "no rows"),
])
def test_any_bad_row_loads_nothing(tmp_path, text, problem):
    CommunityArea.objects.filter(number=37).update(population=1, population_year=2010, population_source="old")
    before = residents()
    with pytest.raises(CommandError) as error:
        load(write(tmp_path, text), area_field="area_number", population_field="population_2020")
    assert problem in str(error.value) and "Nothing was loaded" in str(error.value)
    assert residents() == before


def test_every_problem_is_listed_at_once(tmp_path):
    text = CENSUS + "99,Atlantis,5\n8,Near North Side,lots\n"
    with pytest.raises(CommandError) as error:
        load(write(tmp_path, text), area_field="area_number", population_field="population_2020")
    assert "Line 5" in str(error.value) and "Line 6" in str(error.value)


def test_areas_not_in_the_file_lose_their_old_count(tmp_path):
    CommunityArea.objects.filter(number=41).update(population=25000, population_year=2010)
    output = load(write(tmp_path, CENSUS), area_field="area_number", population_field="population_2020")
    assert 41 not in residents()
    assert "area(s) 41" in output


def test_the_columns_must_be_named(tmp_path):
    with pytest.raises(CommandError, match="--area-field and --population-field"):
        load(write(tmp_path, CENSUS))


def test_a_url_is_read_with_a_timeout_through_the_one_network_client(monkeypatch):
    seen = {}

    def fake_download(url, *, timeout, max_bytes):
        seen["url"], seen["timeout"] = url, timeout
        return CENSUS.encode()

    monkeypatch.setattr(geocoding, "download", fake_download)
    load("https://data.example.org/population.csv?x=1", area_field="area_number",
         population_field="population_2020")
    assert seen == {"url": "https://data.example.org/population.csv?x=1", "timeout": 20}
    assert residents()[37] == (2567, 2020, "population.csv")


def test_an_unreachable_url_loads_nothing(monkeypatch):
    def down(url, *, timeout, max_bytes):
        raise OSError("network is down")

    monkeypatch.setattr(geocoding, "download", down)
    with pytest.raises(CommandError, match="network is down"):
        load("https://data.example.org/p.csv", area_field="a", population_field="b")
    assert residents() == {}


def test_without_a_source_the_embedded_2020_census_is_loaded():
    call_command("load_population", stdout=io.StringIO())
    loaded = residents()
    assert len(loaded) == 77
    assert sum(p for p, _, _ in loaded.values()) == 2_746_388
    assert loaded[37] == (2567, 2020, "U.S. Census")
    assert EMBEDDED_POPULATION_PATH.parent.name == "data"


def test_if_possible_keeps_what_is_loaded_and_never_fails(tmp_path):
    CommunityArea.objects.filter(number=37).update(population=1, population_year=2022, population_source="ACS")
    call_command("load_population", if_possible=True, stdout=io.StringIO())
    assert residents() == {37: (1, 2022, "ACS")}
    CommunityArea.objects.update(population=None)
    CommunityArea.objects.filter(number=76).update(number=99)  # another city: the file does not fit
    err = io.StringIO()
    call_command("load_population", if_possible=True, stdout=io.StringIO(), stderr=err)
    assert "Residents not loaded" in err.getvalue()
    assert residents() == {}


def test_dry_run_writes_nothing(tmp_path):
    output = load(write(tmp_path, CENSUS), area_field="area_number", population_field="population_2020",
                  dry_run=True)
    assert "Would load" in output and residents() == {}
