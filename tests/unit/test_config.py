"""Settings: defaults < settings file < environment < command line; a bad file is one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from annotated_types import Ge, Gt, Le

from simulator import config
from simulator.config import ConfigError, Settings, Thresholds, load_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the model ------------------------------------------------------------------------------------


def test_the_tests_never_read_the_users_settings_file(no_user_settings):
    import platformdirs

    assert config.config_path() == no_user_settings
    assert not str(config.config_path()).startswith(platformdirs.user_config_dir("interview-sim"))
    assert config.settings().model_copy(update={"data_dir": None}) == Settings()  # conftest sets the data dir


def test_every_setting_is_described_and_every_number_bounded():
    for key in config.SETTING_KEYS:
        assert len(config.description(key)) > 20, key
    for model in (Settings, Thresholds):
        for name, info in model.model_fields.items():
            if info.annotation in (int, float, int | None, float | None):
                kinds = {type(m) for m in info.metadata}
                assert kinds & {Ge, Gt} and Le in kinds, f"{model.__name__}.{name} has no range"


def test_built_in_defaults_are_the_librarys():
    from simulator.analysis.thresholds import DEFAULT_THRESHOLDS
    from simulator.speech.engines import DEFAULT_ENGINE

    s = Settings()
    assert (s.engine, s.compute_type, s.beam_size) == (DEFAULT_ENGINE, "int8", 5)
    assert s.end_silence_s is None and s.filler_recovery and s.content_engine == "hybrid"
    assert s.thresholds == DEFAULT_THRESHOLDS
    assert DEFAULT_THRESHOLDS.pace_slow_below_wpm == 110 and DEFAULT_THRESHOLDS.default_length_s == (60.0, 120.0)


# --- precedence -----------------------------------------------------------------------------------


def test_no_file_gives_the_defaults_from_default(tmp_path):
    loaded = load_settings(env={}, path=tmp_path / "missing.toml")
    assert loaded.settings == Settings() and not loaded.file_found
    assert {loaded.source(k) for k in config.SETTING_KEYS} == {"default"}


def test_file_overrides_defaults_and_environment_overrides_file(tmp_path):
    path = write(tmp_path / "c.toml", 'beam_size = 3\nengine = "openai-whisper"\n\n[thresholds]\n'
                 "pace_slow_below_wpm = 100\ndefault_length_s = [30, 90]\n")
    env = {"INTERVIEW_SIM_BEAM_SIZE": "7", "INTERVIEW_SIM_THRESHOLDS__LONG_PAUSE_S": "3.5"}
    loaded = load_settings(env=env, path=path)
    s = loaded.settings
    assert (s.beam_size, s.engine, s.compute_type) == (7, "openai-whisper", "int8")
    assert s.thresholds.pace_slow_below_wpm == 100 and s.thresholds.default_length_s == (30.0, 90.0)
    assert s.thresholds.long_pause_s == 3.5
    assert loaded.source("beam_size") == "env" and loaded.source("engine") == "file"
    assert loaded.source("thresholds.pace_slow_below_wpm") == "file"
    assert loaded.source("thresholds.long_pause_s") == "env" and loaded.source("compute_type") == "default"


def test_command_line_overrides_environment_and_file(no_user_settings, monkeypatch):
    from simulator.cli import apply_settings, build_parser

    write(no_user_settings, "beam_size = 3\ncompute_type = \"float32\"\nfiller_recovery = false\n")
    monkeypatch.setenv("INTERVIEW_SIM_BEAM_SIZE", "7")
    args = build_parser().parse_args(["score", "a.wav"])
    apply_settings(args)
    assert (args.beam_size, args.compute_type, args.no_filler_recovery, args.engine) == (7, "float32", True, "faster-whisper")
    args = build_parser().parse_args(["score", "a.wav", "--beam-size", "2", "--compute-type", "int8"])
    apply_settings(args)
    assert (args.beam_size, args.compute_type) == (2, "int8")


def test_app_audio_options_fill_what_was_not_given(monkeypatch):
    from simulator.tui.launch import AudioOptions

    monkeypatch.setenv("INTERVIEW_SIM_BEAM_SIZE", "2")
    monkeypatch.setenv("INTERVIEW_SIM_END_SILENCE_S", "1.5")
    monkeypatch.setenv("INTERVIEW_SIM_VOICE", "en-gb")
    opts = AudioOptions(beam_size=1).resolved()
    assert (opts.beam_size, opts.silence_s, opts.voice, opts.compute_type) == (1, 1.5, "en-gb", "int8")
    assert AudioOptions().resolved().beam_size == 2


def test_settings_are_read_again_when_the_file_changes(no_user_settings):
    assert config.settings().beam_size == 5
    write(no_user_settings, "beam_size = 3\n")
    assert config.settings().beam_size == 3
    write(no_user_settings, "beam_size = 12\n")
    assert config.settings().beam_size == 12
    no_user_settings.unlink()
    assert config.settings().beam_size == 5


def test_thresholds_come_from_the_settings(no_user_settings):
    from simulator.analysis.delivery import pace_verdict
    from simulator.analysis.thresholds import current_thresholds
    from simulator.report.charts import pace_band

    assert pace_verdict(120, current_thresholds()) == "good"
    write(no_user_settings, "[thresholds]\npace_slow_below_wpm = 130\npace_fast_above_wpm = 170\n")
    assert pace_verdict(120, current_thresholds()) == "slow"
    assert pace_band() == (130, 170)


def test_an_answer_report_is_judged_with_the_settings_thresholds(no_user_settings):
    from simulator.answer.build import build_report
    from tests.unit.test_delivery import spoken

    audio, tr = spoken(" ".join(["word"] * 30), start_s=0.5, duration_s=14.0)
    before = build_report(audio, tr)
    write(no_user_settings, "[thresholds]\npace_slow_below_wpm = 300\npace_fast_above_wpm = 400\n"
          "default_length_s = [5, 20]\n")
    after = build_report(audio, tr)
    assert before.delivery.verdicts.pace == "good" and after.delivery.verdicts.pace == "slow"
    assert after.delivery.target_length_s == (5.0, 20.0)


def test_content_engine_comes_from_the_settings(no_user_settings, monkeypatch):
    from simulator.rubric.engine import chosen_engine

    assert chosen_engine() == "hybrid"
    write(no_user_settings, 'content_engine = "semantic"\n')
    assert chosen_engine() == "semantic"
    assert chosen_engine("regex") == "regex"
    monkeypatch.setenv("INTERVIEW_SIM_CONTENT_ENGINE", "regex")
    assert chosen_engine() == "regex"


def test_data_dir_from_the_settings_file(no_user_settings, tmp_path, monkeypatch):
    from simulator.paths import data_dir

    monkeypatch.delenv("INTERVIEW_SIM_DATA_DIR")
    write(no_user_settings, f'data_dir = "{tmp_path / "mine"}"\n')
    assert data_dir() == tmp_path / "mine"
    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"


# --- environment values ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [("true", True), ("1", True), ("yes", True), ("on", True),
                                           ("false", False), ("0", False), ("no", False), ("off", False)])
def test_booleans_from_the_environment(tmp_path, raw, expected):
    env = {"INTERVIEW_SIM_FILLER_RECOVERY": raw}
    assert load_settings(env=env, path=tmp_path / "none.toml").settings.filler_recovery is expected


def test_environment_values_are_parsed(tmp_path):
    env = {"INTERVIEW_SIM_END_SILENCE_S": " 2.5 ", "INTERVIEW_SIM_RATE": "150", "INTERVIEW_SIM_MODEL": "",
           "INTERVIEW_SIM_THRESHOLDS__DEFAULT_LENGTH_S": "45, 90", "INTERVIEW_SIM_UNRELATED": "x"}
    s = load_settings(env=env, path=tmp_path / "none.toml").settings
    assert (s.end_silence_s, s.rate, s.model, s.thresholds.default_length_s) == (2.5, 150, None, (45.0, 90.0))
    env = {"INTERVIEW_SIM_THRESHOLDS__DEFAULT_LENGTH_S": "[30, 60]", "INTERVIEW_SIM_END_SILENCE_S": "none"}
    s = load_settings(env=env, path=tmp_path / "none.toml").settings
    assert s.thresholds.default_length_s == (30.0, 60.0) and s.end_silence_s is None


@pytest.mark.parametrize("var, raw", [
    ("INTERVIEW_SIM_BEAM_SIZE", "lots"), ("INTERVIEW_SIM_BEAM_SIZE", "0"), ("INTERVIEW_SIM_RATE", "5000"),
    ("INTERVIEW_SIM_END_SILENCE_S", "nan"), ("INTERVIEW_SIM_END_SILENCE_S", "inf"),
    ("INTERVIEW_SIM_FILLER_RECOVERY", "maybe"), ("INTERVIEW_SIM_ENGINE", "whisper.cpp"),
    ("INTERVIEW_SIM_THRESHOLDS__DEFAULT_LENGTH_S", "90"), ("INTERVIEW_SIM_THRESHOLDS__PACE_SLOW_BELOW_WPM", "200"),
])
def test_a_bad_environment_value_names_the_variable(tmp_path, var, raw):
    with pytest.raises(ConfigError) as e:
        load_settings(env={var: raw}, path=tmp_path / "none.toml")
    message = str(e.value)
    assert f"environment variable {var}" in message and "\n" not in message


# --- bad files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, key, what", [
    ("beam_size = 50\n", "beam_size", "less than or equal to 20"),
    ("beam_size = 2.5\n", "beam_size", "integer"),
    ('beam_size = "many"\n', "beam_size", "integer"),
    ("bogus = 1\n", "bogus", "unknown setting"),
    ("[thresholds]\nfoo = 1\n", "thresholds.foo", "unknown setting"),
    ("[whisper]\nbeam = 1\n", "whisper", "unknown setting"),
    ('engine = "whisper.cpp"\n', "engine", "faster-whisper"),
    ('compute_type = "float16"\n', "compute_type", "int8"),
    ("end_silence_s = 0\n", "end_silence_s", "greater than 0"),
    ("end_silence_s = inf\n", "end_silence_s", "less than or equal to 30"),
    ("[thresholds]\npace_slow_below_wpm = nan\n", "thresholds.pace_slow_below_wpm", ""),
    ("[thresholds]\npace_slow_below_wpm = 200\n", "thresholds", "below pace_fast_above_wpm"),
    ("[thresholds]\ndefault_length_s = [90]\n", "thresholds.default_length_s", "two numbers"),
    ("[thresholds]\ndefault_length_s = [90, 30]\n", "thresholds", "shortest < longest"),
    ("thresholds = 3\n", "thresholds", "dictionary"),
    ('model = ""\n', "model", "at least 1 character"),
])
def test_a_bad_setting_in_the_file_names_the_file_and_the_key(tmp_path, text, key, what):
    path = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as e:
        load_settings(env={}, path=path)
    message = str(e.value)
    assert message.startswith(f"settings file {path}: {key}: ") and what in message and "\n" not in message


@pytest.mark.parametrize("content, what", [
    (b"beam_size = \n", "not valid TOML"),
    (b"[thresholds\n", "not valid TOML"),
    (b"\xff\xfe\x00b", "not UTF-8"),
    (b"# " + b"x" * 200_000 + b"\n", "larger than the 100 KB limit"),
    (b"a = " + b"[" * 40_000 + b"]" * 40_000 + b"\n", "nested too deeply"),
])
def test_an_unreadable_file_is_one_line(tmp_path, content, what):
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as e:
        load_settings(env={}, path=path)
    assert str(e.value).startswith(f"settings file {path}: ") and what in str(e.value)
    assert "\n" not in str(e.value)


def test_a_folder_in_place_of_the_file(tmp_path):
    with pytest.raises(ConfigError, match="settings file .*: Is a directory"):
        load_settings(env={}, path=tmp_path)


def test_config_file_env_names_the_file(tmp_path):
    path = write(tmp_path / "elsewhere.toml", "beam_size = 4\n")
    assert config.config_path({"INTERVIEW_SIM_CONFIG_FILE": str(path)}) == path
    assert load_settings(env={"INTERVIEW_SIM_CONFIG_FILE": str(path)}).settings.beam_size == 4


# --- the command line -----------------------------------------------------------------------------


def test_config_prints_effective_settings_and_their_sources(no_user_settings, monkeypatch, capsys):
    from simulator.cli import main

    write(no_user_settings, "beam_size = 3\n[thresholds]\nlong_pause_s = 2.5\n")
    monkeypatch.setenv("INTERVIEW_SIM_RATE", "150")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    lines = {line.split("#")[0].strip(): line.rsplit("#", 1)[1].strip() for line in out.splitlines()
             if "=" in line and not line.startswith("# ") and not line.startswith("[")}
    assert lines["beam_size = 3"] == "file"
    assert lines["rate = 150"] == "env"
    assert lines['compute_type = "int8"'] == "default"
    assert lines["long_pause_s = 2.5"] == "file"
    assert f"# settings file: {no_user_settings}" in out
    assert "# model = (not set)" in out


def test_config_output_is_a_valid_settings_file(no_user_settings, tmp_path, capsys):
    import tomllib

    from simulator.cli import main

    write(no_user_settings, 'voice = "en-gb \\"quoted\\""\n[thresholds]\ndefault_length_s = [45, 90]\n')
    assert main(["config", "--describe"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert load_settings(env={}, path=write(tmp_path / "copy.toml", _dump(data))).settings == config.settings()


def _dump(data: dict) -> str:
    import json as j

    top = "".join(f"{k} = {j.dumps(v)}\n" for k, v in data.items() if not isinstance(v, dict))
    table = "".join(f"{k} = {j.dumps(v)}\n" for k, v in data["thresholds"].items())
    return top + "[thresholds]\n" + table


def test_config_json_and_path(no_user_settings, capsys):
    from simulator.cli import main

    write(no_user_settings, "filler_recovery = false\n")
    assert main(["config", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["path"] == str(no_user_settings) and data["file_found"] is True
    assert data["settings"]["filler_recovery"] is False and data["sources"]["filler_recovery"] == "file"
    assert data["settings"]["thresholds"]["default_length_s"] == [60.0, 120.0]
    assert main(["config", "--path"]) == 0
    assert capsys.readouterr().out.strip() == str(no_user_settings)


def test_data_dir_on_the_command_line_shows_as_such(tmp_path, capsys):
    from simulator.cli import main

    assert main(["--data-dir", str(tmp_path), "config", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sources"]["data_dir"] == "command line" and data["settings"]["data_dir"] == str(tmp_path)


@pytest.mark.parametrize("argv", [["config"], ["config", "--json"], ["scenarios", "list"], ["score", "a.wav"]])
def test_a_bad_file_stops_every_command_with_one_line(no_user_settings, capsys, argv):
    from simulator.cli import main

    write(no_user_settings, "beam_size = 0\n")
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"interview-sim: settings file {no_user_settings}: beam_size: " \
        "Input should be greater than or equal to 1\n"


def test_config_path_works_even_with_a_bad_file(no_user_settings, capsys):
    from simulator.cli import main

    write(no_user_settings, "not toml at all [\n")
    assert main(["config", "--path"]) == 0
    assert capsys.readouterr().out.strip() == str(no_user_settings)


def test_config_option_names_the_file(tmp_path, capsys):
    from simulator.cli import main

    path = write(tmp_path / "mine.toml", "beam_size = 9\n")
    assert main(["--config", str(path), "config", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["settings"]["beam_size"] == 9
    assert main(["--config", str(tmp_path / "missing.toml"), "config"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_retired_setting_is_read_without_an_error_ignored_and_named(no_user_settings, monkeypatch, capsys):
    from simulator.cli import main

    write(no_user_settings, 'roleplay_cues = "regex"\nbeam_size = 3\n')
    loaded = load_settings()
    assert loaded.settings.beam_size == 3 and loaded.ignored == {"roleplay_cues": "file"}
    assert not hasattr(loaded.settings, "roleplay_cues")
    monkeypatch.setenv("INTERVIEW_SIM_ROLEPLAY_CUES", "semantic")
    assert load_settings().ignored == {"roleplay_cues": "env"}
    assert main(["config"]) == 0
    assert "roleplay_cues is set (env) but no longer used: role-play turns are always heard" in capsys.readouterr().out
