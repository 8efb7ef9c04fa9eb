"""Loading and validating personas and role-plays, and the persona voice the TTS will use."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulator.errors import ScenarioError
from simulator.roleplay.library import load_library
from simulator.roleplay.models import VoiceSettings
from simulator.rubric.bank import load_bank

PERSONAS = {"angry-customer", "confused-elderly-caller", "impatient-vip-guest", "frustrated-saas-admin",
            "language-barrier-customer", "unknowable-question-customer"}
PERSONA = """\
kind: persona
persona:
  id: tester
  name: Test Customer
  description: For tests.
  voice: {voice: female, rate: 150, pitch: 70}
"""
SCRIPT = """\
kind: roleplay
roleplay:
  id: tiny
  title: A tiny drill
  role: retail
  persona: tester
  brief: Be nice.
  opening: "Hello?"
  start: open
  states:
    open:
      lines: ["Well?"]
      transitions:
        - to: done
          when: {cues_any: [apology], criteria: [empathy]}
    done:
      outcome: resolved
      lines: ["Thanks."]
"""


def write(tmp_path: Path, script: str = SCRIPT, persona: str = PERSONA) -> Path:
    (tmp_path / "tester.yaml").write_text(persona)
    (tmp_path / "tiny.yaml").write_text(script)
    return tmp_path


def errors_for(tmp_path: Path, script: str) -> list[str]:
    lib = load_library([write(tmp_path, script)], include_default=False)
    return [str(e) for e in lib.errors]


def test_bundled_library_is_valid_and_has_every_persona():
    lib = load_library()
    assert lib.errors == []
    assert set(lib.personas) >= PERSONAS
    assert len(lib.roleplays) >= 6


def test_question_bank_ignores_roleplay_files():
    bank = load_bank()
    assert not [e for e in bank.errors if e.path.parent.name in ("personas", "roleplays")]


def test_persona_voice_settings_for_the_tts(tmp_path):
    lib = load_library()
    for persona in lib.personas.values():
        voice = persona.voice_settings()
        assert isinstance(voice, VoiceSettings)
        assert voice.voice and 80 <= voice.rate <= 320 and 0 <= voice.pitch <= 100
    assert lib.get_persona("confused-elderly-caller").voice_settings().rate < lib.get_persona(
        "angry-customer").voice_settings().rate
    tiny = load_library([write(tmp_path)], include_default=False)
    assert tiny.get_persona("tester").voice_settings() == VoiceSettings(voice="female", rate=150, pitch=70)


def test_a_valid_user_script_loads(tmp_path):
    lib = load_library([write(tmp_path)], include_default=False)
    assert lib.errors == [] and set(lib.roleplays) == {"tiny"}


@pytest.mark.parametrize(("change", "needle"), [
    (("- to: done", "- to: finished"), "transition to unknown state 'finished'"),
    (("criteria: [empathy]", "criteria: [charm]"), "unknown de-escalation criterion 'charm'"),
    (("cues_any: [apology]", "cues_any: [grovelling]"), "cues_any"),
    (('lines: ["Well?"]', "lines: []"), "state 'open' has no customer lines"),
    (("start: open", "start: opening"), "start state 'opening' is not in states"),
    (("persona: tester", "persona: nobody"), "unknown persona 'nobody'"),
    (("outcome: resolved", "outcome: happy"), "outcome"),
])
def test_broken_script_is_an_error_naming_the_file(tmp_path, change, needle):
    errs = errors_for(tmp_path, SCRIPT.replace(*change))
    assert errs, "expected a validation error"
    assert any(needle in e and "tiny.yaml" in e for e in errs), errs


def test_unreachable_state_and_line_numbers(tmp_path):
    script = SCRIPT + textwrap.indent(textwrap.dedent("""\
        orphan:
          lines: ["Nobody gets here."]
          transitions: [{to: done}]
        """), "    ")
    errs = errors_for(tmp_path, script)
    assert len(errs) == 1
    assert "state 'orphan' is unreachable" in errs[0]
    assert "tiny.yaml:20:" in errs[0]  # where the orphan state's body starts


def test_dead_end_and_no_reachable_outcome(tmp_path):
    script = SCRIPT.replace("""      transitions:
        - to: done
          when: {cues_any: [apology], criteria: [empathy]}
""", "")
    errs = errors_for(tmp_path, script)
    assert any("dead end" in e for e in errs)
    assert any("no outcome" in e for e in errs)


def test_bad_yaml_in_a_roleplay_file_is_reported(tmp_path):
    errs = errors_for(tmp_path, "kind: roleplay\nroleplay: [unclosed\n")
    assert errs and "not valid YAML" in errs[0] and "tiny.yaml" in errs[0]


def test_unknown_roleplay_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="no role-play with id 'nope'"):
        load_library().get_roleplay("nope")


def test_persona_voice_reaches_the_tts_constructor():
    import inspect  # noqa: PLC0415

    from simulator.speech.tts import Pyttsx3Speaker  # noqa: PLC0415 - pyttsx3 itself is imported lazily

    voice = load_library().get_persona("confused-elderly-caller").voice_settings()
    installed = [("english", "English (Great Britain)"), ("gmw/en-us+f3", "English (America) female")]
    kwargs = voice.speaker_kwargs(installed)
    assert kwargs == {"voice": "gmw/en-us+f3", "rate": voice.rate}
    inspect.signature(Pyttsx3Speaker).bind(**kwargs)  # the TTS accepts exactly these settings
    assert VoiceSettings(voice="").pick_voice(installed) is None
    assert VoiceSettings(voice="ENGLISH").pick_voice(installed) == "english"
    assert VoiceSettings(voice="klingon").pick_voice(installed) is None


@pytest.mark.parametrize(("change", "needle"), [
    (('lines: ["Well?"]', 'lines: ["Well?", "  "]'),
     "roleplay.states.open.lines[1]: state 'open' has a blank line"),
    (('opening: "Hello?"', 'opening: "   "'), "roleplay.opening: the opening line is blank"),
    (("  start: open\n", "  start: open\n  timeout_line: ''\n"),
     "roleplay.timeout_line: the timeout line is blank"),
    (("  start: open\n", "  start: open\n  reactions: {silence: ['']}\n"), "reaction 'silence' needs"),
])
def test_blank_lines_are_missing_lines(tmp_path, change, needle):
    errs = errors_for(tmp_path, SCRIPT.replace(*change))
    assert any(needle in e and "tiny.yaml" in e for e in errs), errs


def test_a_state_transition_error_names_the_transitions_field(tmp_path):
    errs = errors_for(tmp_path, SCRIPT.replace("criteria: [empathy]", "criteria: [charm]"))
    field = "roleplay.states.open.transitions[0].when.criteria"
    assert any(field in e and "tiny.yaml:15:" in e for e in errs), errs
