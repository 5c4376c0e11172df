"""Broken records give one clear line naming file, record, field (and line) — never a traceback."""

from __future__ import annotations

import pytest

from vlmgraph.cli import app

LLAVA = "vision_language_models/llava-1.5.yaml"


def _validate(runner, data):
    result = runner.invoke(app, ["validate", "--data", str(data), "--no-owl"])
    assert "Traceback" not in result.output
    return result


def _problem_lines(result):
    return [line for line in result.output.splitlines() if line.startswith("data/")]


def _only_problem_after_edit(runner, data, old, new, relative=LLAVA):
    """Replace `old` by `new` in one record file and return the single problem line validate prints."""
    path = data / relative
    path.write_text(path.read_text().replace(old, new))
    result = _validate(runner, data)
    assert result.exit_code == 1
    [line] = _problem_lines(result)
    return line


def test_small_catalogue_is_valid(runner, small_data):
    result = _validate(runner, small_data)
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_yaml_syntax_error_names_file_and_line(runner, small_data):
    path = small_data / LLAVA
    path.write_text(path.read_text().replace("release_date: 2023-10", "release_date: [2023-10"))
    result = _validate(runner, small_data)
    assert result.exit_code == 1
    [line] = _problem_lines(result)
    assert line.startswith(f"data/{LLAVA}:")
    assert "YAML syntax error" in line
    assert int(line.split(":")[1]) >= 10  # the line of the broken value, not the top of the file


def test_unknown_key_names_record_field_and_line(runner, small_data):
    path = small_data / LLAVA
    text = path.read_text()
    path.write_text(text + "vision_encodr: clip\n")
    result = _validate(runner, small_data)
    assert result.exit_code == 1
    [line] = _problem_lines(result)
    assert line.startswith(f"data/{LLAVA}:{len(text.splitlines()) + 1}:")
    assert "record 'llava-1.5'" in line and "field 'vision_encodr'" in line and "unknown field" in line


def test_missing_source_is_an_error(runner, small_data):
    path = small_data / "organizations/lmsys.yaml"
    path.write_text("id: lmsys\nname: LMSYS\n")
    result = _validate(runner, small_data)
    assert result.exit_code == 1
    [line] = _problem_lines(result)
    assert line.startswith("data/organizations/lmsys.yaml:1:")
    assert "record 'lmsys'" in line and "field 'sources'" in line and "missing" in line


def test_empty_source_list_is_an_error(runner, small_data):
    path = small_data / "organizations/lmsys.yaml"
    path.write_text("id: lmsys\nname: LMSYS\nsources: []\n")
    [line] = _problem_lines(_validate(runner, small_data))
    assert "field 'sources'" in line and ":3:" in line


def test_dangling_reference_names_the_unknown_id(runner, small_data):
    line = _only_problem_after_edit(runner, small_data, "  - clip-vit-l-14-336", "  - clip-vit-l-14-999")
    assert line.startswith(f"data/{LLAVA}:")
    assert "field 'vision_encoders.0'" in line and "unknown vision encoder id 'clip-vit-l-14-999'" in line


def test_reference_to_the_wrong_kind(runner, small_data):
    line = _only_problem_after_edit(runner, small_data, "  - vicuna-v1.5", "  - clip-vit-l-14-336")
    assert "'clip-vit-l-14-336' is a vision encoder, expected a language model" in line


def test_duplicate_id_points_at_the_first_use(runner, small_data):
    (small_data / "organizations/lmsys-copy.yaml").write_text(
        "id: lmsys\nname: LMSYS again\nsources:\n  - https://lmsys.org/\n"
    )
    result = _validate(runner, small_data)
    assert result.exit_code == 1
    [line] = _problem_lines(result)
    assert line.startswith("data/organizations/lmsys.yaml:1:")
    assert "field 'id'" in line and "duplicate id: already used at data/organizations/lmsys-copy.yaml:1" in line


@pytest.mark.parametrize(
    "replace, expected",
    [
        ("release_date: 2023-10", "release_date: 2023-13"),
        ("  - 7B", "  - seven"),
        ("id: llava-1.5", "id: LLaVA 1.5"),
    ],
)
def test_bad_values_are_reported_on_their_field(runner, small_data, replace, expected):
    line = _only_problem_after_edit(runner, small_data, replace, expected)
    field = expected.split(":")[0].strip(" -") if ":" in expected else "parameters"
    assert f"field '{field}" in line


def test_lineage_cycle_is_reported(runner, small_data):
    path = small_data / "language_models/llama-2.yaml"
    path.write_text(path.read_text() + "derived_from:\n  - model: vicuna-v1.5\n")
    path.write_text(path.read_text().replace("release_date: 2023-07\n", ""))
    [line] = _problem_lines(_validate(runner, small_data))
    assert "cycle: llama-2 -> vicuna-v1.5 -> llama-2" in line


def test_model_released_before_its_component(runner, small_data):
    line = _only_problem_after_edit(runner, small_data, "release_date: 2023-10", "release_date: 2023-05")
    assert "released 2023-05, before 'vicuna-v1.5' (2023-08)" in line


def test_correction_of_unknown_field(runner, small_data):
    line = _only_problem_after_edit(runner, small_data, "  - field: parameters", "  - field: sizes")
    assert "field 'corrections'" in line and "unknown field 'sizes'" in line


def test_build_refuses_bad_records_and_keeps_the_previous_store(runner, small_data, tmp_path):
    store = tmp_path / "build"
    assert runner.invoke(app, ["build", "--data", str(small_data), "--store", str(store)]).exit_code == 0
    before = (store / "build.json").read_text()
    (small_data / "organizations/lmsys.yaml").write_text("id: lmsys\nname: [\n")
    result = runner.invoke(app, ["build", "--data", str(small_data), "--store", str(store)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "data/organizations/lmsys.yaml:3: YAML syntax error" in result.output
    assert (store / "build.json").read_text() == before
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]
