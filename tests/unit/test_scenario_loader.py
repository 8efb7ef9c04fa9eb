"""The one scenario loader (simulator.scenarios): where files are found, and what the question bank
and the role-play library get from one reading."""

from __future__ import annotations

from pathlib import Path

from simulator import paths, yamlfiles
from simulator.cli import main
from simulator.roleplay.library import load_library
from simulator.rubric.bank import load_bank
from simulator.scenarios import BANK_KINDS, LIBRARY_KINDS, read_scenarios, scenario_roots

BROKEN_ROLEPLAY = "kind: roleplay\nroleplay: [1, 2\n"


def test_bundled_files_are_package_data_found_from_the_package():
    bundled = paths.bundled_scenarios_dir()
    assert bundled == Path(paths.__file__).parent / "scenarios"
    assert (bundled / "questions" / "general.yaml").is_file()
    assert scenario_roots() == [bundled]  # the private data dir of the tests has no scenarios/ folder


def test_user_folder_is_found_but_never_created(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data))
    assert paths.user_scenarios_dir() is None
    assert not data.exists()
    (data / "scenarios").mkdir(parents=True)
    assert paths.user_scenarios_dir() == data / "scenarios"
    assert scenario_roots([tmp_path]) == [paths.bundled_scenarios_dir(), data / "scenarios", tmp_path]


def test_every_bundled_file_is_read_once_by_kind():
    read = read_scenarios()
    assert read.errors() == []
    kinds = {doc.kind for doc in read.documents()}
    assert kinds == BANK_KINDS | LIBRARY_KINDS
    assert len(read.documents()) == len(read.files)


def test_the_library_reading_parses_only_its_own_files(monkeypatch):
    parsed: list[str] = []
    real_load = yamlfiles.load

    def load(source: str):
        parsed.append(source)
        return real_load(source)

    monkeypatch.setattr(yamlfiles, "load", load)
    read = read_scenarios(kinds=LIBRARY_KINDS)
    assert {doc.kind for doc in read.documents()} == LIBRARY_KINDS
    assert len(parsed) == len(read.documents()) < len(read.files)


def test_validate_reads_each_file_once(tmp_path, monkeypatch, capsys):
    from simulator.rubric.engine import default_bank

    default_bank()  # the library's rubric criteria come from the process's bank, read once per process
    reads: list[Path] = []
    real_read = yamlfiles.read_limited

    def read_limited(path, *args, **kwargs):
        reads.append(Path(path))
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(yamlfiles, "read_limited", read_limited)
    assert main(["scenarios", "validate"]) == 0
    assert "ok: " in capsys.readouterr().out
    scenario_reads = [p for p in reads if p.is_relative_to(paths.bundled_scenarios_dir())]
    assert len(scenario_reads) == len(set(scenario_reads)) == len(read_scenarios().files)


def test_bank_and_library_say_a_yaml_error_in_the_same_words(tmp_path):
    (tmp_path / "bad.yaml").write_text(BROKEN_ROLEPLAY)
    (bank_error,) = load_bank([tmp_path], include_default=False).errors
    (library_error,) = load_library([tmp_path], include_default=False).errors
    assert bank_error == library_error
    assert str(bank_error).startswith(f"{tmp_path / 'bad.yaml'}:3: not valid YAML: ")


def test_a_misspelt_kind_is_named_with_the_kind_meant_never_skipped(tmp_path):
    (tmp_path / "mine.yaml").write_text("kind: roleplays\nid: x\n")
    (error,) = load_bank([tmp_path], include_default=False).errors
    assert str(error).endswith("mine.yaml:1: kind: unknown kind 'roleplays' (did you mean 'roleplay'?)")


def test_a_kind_that_is_not_a_word_is_one_error_not_a_crash(tmp_path, capsys):
    (tmp_path / "list.yaml").write_text("kind: [a]\n")
    (tmp_path / "null.yaml").write_text("kind: null\n")
    (tmp_path / "none.yaml").write_text("title: no kind here\n")
    errors = {e.path.name: str(e) for e in load_bank([tmp_path], include_default=False).errors}
    assert "list.yaml:1: kind: unknown kind ['a'] (one of persona, questions" in errors["list.yaml"]
    assert "null.yaml:1: kind: unknown kind None (one of " in errors["null.yaml"]
    assert errors["none.yaml"].endswith("none.yaml:1: kind: missing 'kind' (questions, rubric, red_flags, persona or roleplay)")
    assert load_library([tmp_path], include_default=False).errors == []  # not the library's files
    assert main(["scenarios", "validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 3 and "Traceback" not in out


def test_a_missing_folder_is_one_error_for_both(tmp_path):
    missing = tmp_path / "nope"
    (bank_error,) = load_bank([missing], include_default=False).errors
    (library_error,) = load_library([missing], include_default=False).errors
    assert bank_error == library_error
    assert str(bank_error) == f"{missing}: no such file or folder"
