"""Every user-tunable default in one place, and where each effective value came from.

One typed model, :class:`Settings`, holds each default once with a docstring saying what it does.
A value is overridden, in increasing priority, by

1. the settings file ``config.toml`` in the platform's user config folder
   (``platformdirs.user_config_dir("interview-sim")``; ``$INTERVIEW_SIM_CONFIG_FILE`` names another),
2. an environment variable ``INTERVIEW_SIM_<FIELD>`` (``INTERVIEW_SIM_THRESHOLDS__<FIELD>`` for a
   delivery threshold),
3. the command-line option of the same meaning, where one exists (resolved by the command).

A bad file or variable (unparsable, unknown key, wrong type, out of range, too large) is one line
naming the file or variable and the key, as a :class:`ConfigError`; never a traceback.
``interview-sim config`` prints the effective settings and their sources.

Library code keeps its own defaults (the named constants below), so that importing a function never
depends on the user's file; the command line and the app read :func:`settings`.
"""

from __future__ import annotations

import ast
import json
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulator.errors import UsageError, printable
from simulator.limits import MAX_CONFIG_FILE_BYTES, read_limited, unreadable_value

APP_NAME = "interview-sim"
ENV_PREFIX = "INTERVIEW_SIM_"
CONFIG_FILE_ENV = "INTERVIEW_SIM_CONFIG_FILE"
"""Names the settings file to read instead of the one in the user config folder (tests use it)."""
CONFIG_FILE_NAME = "config.toml"

# Library defaults: the Settings fields below start from these, and functions that take the same
# parameter use them as their default, so the number is written once.
SpeechEngine = Literal["faster-whisper", "openai-whisper"]
SPEECH_ENGINES: tuple[str, ...] = get_args(SpeechEngine)
DEFAULT_ENGINE: SpeechEngine = "faster-whisper"
ComputeType = Literal["int8", "int8_float32", "float32"]
COMPUTE_TYPES: tuple[str, ...] = get_args(ComputeType)
DEFAULT_COMPUTE_TYPE: ComputeType = "int8"
DEFAULT_BEAM_SIZE = 5
MAX_BEAM_SIZE = 20
"""Widest beam accepted: 5 is the default and past 10 Whisper gains nothing but memory."""
MAX_END_SILENCE_S = 30.0
ContentEngine = Literal["regex", "hybrid", "semantic"]
"""regex: criteria and red flags by cue patterns; hybrid (the default): criteria by meaning, the cue
patterns settling close calls, red flags by cue patterns; semantic: both by meaning. On answers the
fit left out (the retired set h5), hybrid judged 86% of criteria right against 76% for regex
(``bench/results/validation_h5.md``); red flags by cue patterns are the more precise."""
CONTENT_ENGINES: tuple[str, ...] = get_args(ContentEngine)
DEFAULT_CONTENT_ENGINE: ContentEngine = "hybrid"
RETIRED_SETTINGS = {
    "roleplay_cues": "role-play turns are always heard by the content engine now (README \"Role-play turns "
                     "by the content engine\")",
}
"""Settings that once existed, with why they went: a file or variable that still sets one is read
without an error, the value is ignored, and ``interview-sim config`` says so."""


class ConfigError(UsageError):
    """The settings file or an ``INTERVIEW_SIM_*`` variable is invalid (one line naming it and the key)."""


# The docstring under each field describes it (:func:`description`). Not ``use_attribute_docstrings``:
# that reads and parses this file's source on every import, about 20 ms of each start-up.
_STRICT = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class Thresholds(BaseModel):
    """Verdict bands that turn delivery figures into verdicts. Pace in words per minute, fillers per
    minute of speech. Sources are listed in the README ("How delivery is judged")."""

    model_config = _STRICT

    pace_slow_below_wpm: float = Field(110.0, ge=30, le=400)
    """Pace below this is "slow". Microsoft Speaker Coach flags outside 100-165 wpm; conversational
    English runs 130-160 wpm (Griffiths 1990; Tauroza & Allison 1990). Below 110 already sounds
    hesitant in an interview."""
    pace_fast_above_wpm: float = Field(165.0, ge=30, le=400)
    """Pace above this is "fast" (Microsoft Speaker Coach's upper bound)."""
    fillers_noticeable_per_min: float = Field(3.0, ge=0, le=60)
    """Fillers per minute from which they are "noticeable". About 1.2/min sounds fluent and 4.8/min
    hesitant (InterviewVoice); no measurable penalty up to ~5/min, harm near 12/min (Laske et al. 2024)."""
    fillers_distracting_per_min: float = Field(6.0, ge=0, le=60)
    """Fillers per minute from which they are "distracting"."""
    fillers_noticeable_percent: float = Field(4.0, ge=0, le=100)
    """Fillers as a share of words from which they are "noticeable" (Read.ai asks for under 4%)."""
    default_length_s: tuple[float, float] = Field((60.0, 120.0))
    """Target answer length [shortest, longest] in seconds when the question has none: 1-2 minutes
    for a behavioural story (common career advice; the seeds say about two minutes)."""
    pause_min_s: float = Field(0.25, ge=0.05, le=5)
    """Silent pause threshold. 0.2 s is the usual monologue fluency measure and 0.35 s the perceived
    one in dialogue (Gao et al. 2025; De Jong & Bosker 2013); 0.25 s sits between them and above the
    ~0.1 s gaps between ordinary words."""
    long_pause_s: float = Field(2.0, ge=0.1, le=60)
    """A pause a listener notices as hesitation. A 4 s silence already makes listeners feel rejected
    (Koudenburg et al. 2011), so half of that is flagged."""

    # --- tone (simulator/analysis/tone.py) ---
    monotone_below_st: float = Field(2.0, ge=0, le=24)
    """Pitch spread (SD in semitones from the speaker's own median) below which a stretch is monotone.
    SD in semitones is about equal for men and women (Traunmüller & Eriksson), and rated liveliness
    tracks F0 spread (Hincks 2005). Voice-coach tools flag monotone under about 2 st over 8-10 s;
    2 st is also the upper end of the just-noticeable pitch change ('t Hart 1981)."""
    monotone_window_s: float = Field(8.0, ge=1, le=120)
    """How long a stretch must stay under the monotone spread to be flagged."""
    pitch_wide_above_st: float = Field(6.0, ge=0, le=48)
    """Pitch spread above which the voice is sing-song. Not "more is better": confident voices vary
    pitch less (Jiang & Pell 2014). 6 st is twice the 3 st that matters in conversation (Grawunder &
    Bose 2008), far above ordinary lively speech (2-4 st)."""
    uptalk_rise_st: float = Field(3.0, ge=0.5, le=24)
    """Uptalk: a statement ending with F0 rising this much from its last accented syllable (rises go
    up to about 6 st, Ladd 1996; only rises over about 3 st are meaningful, Grawunder & Bose 2008)."""
    trailing_off_drop_db: float = Field(10.0, ge=1, le=60)
    """A loudness drop inside one phrase beyond this is trailing off (loudness varies 0-10 dB within a
    phrase; cluttering guidance)."""
    quiet_phrase_drop_db: float = Field(10.0, ge=1, le=60)
    """A whole phrase this far below the answer's usual level is flagged quiet."""
    flat_volume_below_db: float = Field(3.0, ge=0, le=40)
    """Volume variation is low when the word-to-word loudness SD is under this (common tool default)."""
    quiet_below_dbfs: float = Field(-40.0, ge=-120, le=0)
    """A voice far too low for the microphone: ordinary speech sits about 20 dB below full scale;
    40 dB below is barely above a quiet room's hiss."""
    tone_min_voiced_s: float = Field(2.0, ge=0, le=60)
    """Below this much voiced speech the spread of pitch and loudness is noise: the answer gets
    "not enough voiced speech to judge tone" instead."""
    tone_min_words: int = Field(3, ge=0, le=1000)
    """Below this many words tone is not judged either."""
    tone_max_clipped_share: float = Field(0.01, ge=0, le=1)
    """Flat-topped samples above this share of the voiced audio make loudness and pitch unreliable."""

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        lo, hi = self.default_length_s
        if not (math.isfinite(lo) and math.isfinite(hi) and 1 <= lo < hi <= 3600):
            raise ValueError("default_length_s must be [shortest, longest] seconds with 1 <= shortest < longest <= 3600")
        if self.pace_slow_below_wpm >= self.pace_fast_above_wpm:
            raise ValueError("pace_slow_below_wpm must be below pace_fast_above_wpm")
        if self.fillers_noticeable_per_min > self.fillers_distracting_per_min:
            raise ValueError("fillers_noticeable_per_min must not be above fillers_distracting_per_min")
        return self


class Settings(BaseModel):
    """What a user can set once instead of on every command line."""

    model_config = _STRICT

    engine: SpeechEngine = DEFAULT_ENGINE
    """Speech engine: faster-whisper (bundled Whisper base, int8 on CTranslate2) or openai-whisper
    (optional extra, float32 on torch). Command line: ``--engine``."""
    model: str | None = Field(None, min_length=1, max_length=4096)
    """Whisper model name or folder; unset: the bundled base (``tiny.en``, also bundled, is faster and less accurate). Command line: ``--model``."""
    compute_type: ComputeType = DEFAULT_COMPUTE_TYPE
    """faster-whisper arithmetic: int8 (fastest, least memory) or float32 (comparable with
    openai-whisper). Command line: ``--compute-type``."""
    beam_size: int = Field(DEFAULT_BEAM_SIZE, ge=1, le=MAX_BEAM_SIZE)
    """Beam width of the Whisper decoder, 1 (greedy) to 20; 5 as Whisper's reference decoding.
    Command line: ``--beam-size``."""
    filler_recovery: bool = True
    """Take a second look for hesitations ("um", "uh") Whisper left out of the transcript; off halves
    the time to transcribe. Command line: ``--no-filler-recovery``."""
    end_silence_s: float | None = Field(None, gt=0, le=MAX_END_SILENCE_S)
    """End every spoken answer after this many seconds of silence; unset: judged from what was said
    (about 1 s after a finished answer; thinking pauses are waited through). Command line:
    ``--silence``."""
    content_engine: ContentEngine = DEFAULT_CONTENT_ENGINE
    """How rubric criteria and red flags are detected: ``hybrid`` (criteria by meaning with the cue
    patterns settling close calls, red flags by cue patterns), ``semantic`` (both by meaning) or ``regex`` (both by cue patterns). Command line:
    ``--content-engine``."""
    voice: str | None = Field(None, min_length=1, max_length=200)
    """Text-to-speech voice id (an espeak-ng voice on Linux); unset: the system's default. Command
    line: ``--voice``."""
    rate: int | None = Field(None, ge=50, le=500)
    """Text-to-speech speaking rate in words per minute, 50 to 500; unset: the voice's own. Command
    line: ``--rate``."""
    input_device: str | None = Field(None, min_length=1, max_length=200)
    """Microphone: a device number or part of its name (see ``interview-sim devices``); unset: the
    system default. Command line: ``--input-device``."""
    output_device: str | None = Field(None, min_length=1, max_length=200)
    """Speaker: a device number or part of its name; unset: the system default. Command line:
    ``--output-device``."""
    data_dir: str | None = Field(None, min_length=1, max_length=4096)
    """Where sessions, recordings and converted models live; unset: the platform's user data folder.
    Command line: ``--data-dir``."""
    thresholds: Thresholds = Field(default_factory=Thresholds)
    """Delivery verdict bands (a ``[thresholds]`` table in the file)."""


DEFAULT_SETTINGS = Settings()

Source = Literal["default", "file", "env"]


@dataclass(frozen=True)
class LoadedSettings:
    """The effective settings, the file they were read from and the source of every value."""

    settings: Settings
    path: Path
    file_found: bool
    sources: dict[str, Source] = field(default_factory=dict)
    """Dotted key ("beam_size", "thresholds.pace_slow_below_wpm") -> where its value came from."""
    ignored: dict[str, Source] = field(default_factory=dict)
    """Retired settings that were set (:data:`RETIRED_SETTINGS`) -> where; their values are not used."""

    def source(self, key: str) -> Source:
        return self.sources.get(key, "default")


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """The settings file: ``$INTERVIEW_SIM_CONFIG_FILE``, else ``config.toml`` in the user config folder."""
    env = os.environ if env is None else env
    named = env.get(CONFIG_FILE_ENV)
    if named:
        return Path(named).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE_NAME


def env_name(key: str) -> str:
    """``thresholds.pace_slow_below_wpm`` -> ``INTERVIEW_SIM_THRESHOLDS__PACE_SLOW_BELOW_WPM``."""
    return ENV_PREFIX + key.replace(".", "__").upper()


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    out: list[str] = []
    for name, info in model.model_fields.items():
        sub = info.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            out.extend(_keys(sub, f"{prefix}{name}."))
        else:
            out.append(prefix + name)
    return out


SETTING_KEYS: tuple[str, ...] = tuple(_keys(Settings))
"""Every leaf setting as a dotted key, in the model's order."""


def _read_file(path: Path) -> dict[str, Any]:
    where = printable(str(path))
    try:
        text = read_limited(path, MAX_CONFIG_FILE_BYTES, what="settings file")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise ConfigError(f"settings file {where}: not UTF-8 text") from None
    except OSError as e:
        raise ConfigError(f"settings file {where}: {printable(e.strerror or str(e))}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"settings file {where}: not valid TOML ({printable(str(e))})") from None
    except RecursionError:  # arrays nested thousands deep
        raise ConfigError(f"settings file {where}: not valid TOML (nested too deeply)") from None
    except (ValueError, OverflowError) as e:  # a number tomllib parses but cannot build (5,000 digits)
        raise ConfigError(f"settings file {where}: a value cannot be read ({printable(unreadable_value(e))})") from None
    return data


def _parse_env(key: str, raw: str) -> Any:
    """An environment value as the model's lax validation takes it: "" and "none" unset a value, a
    pair is "60,120" or a JSON list; numbers and booleans ("true", "0", "off") are converted by pydantic."""
    text = raw.strip()
    if text.lower() in ("", "none", "null"):
        return None
    if key == "thresholds.default_length_s":
        if text.startswith("["):
            try:
                return json.loads(text)
            except ValueError:
                return text
        return [part.strip() for part in text.split(",")]
    return text


def _from_env(env: Mapping[str, str]) -> dict[str, str]:
    """Dotted key -> raw value for every setting named by an ``INTERVIEW_SIM_*`` variable."""
    return {key: env[env_name(key)] for key in (*SETTING_KEYS, *RETIRED_SETTINGS) if env_name(key) in env}


def _set(tree: dict[str, Any], key: str, value: Any) -> None:
    head, _, rest = key.partition(".")
    if rest:
        sub = tree.get(head)
        if not isinstance(sub, dict):
            sub = tree[head] = {}
        _set(sub, rest, value)
    else:
        tree[head] = value


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in tree.items():
        if isinstance(v, dict) and prefix + k == "thresholds":
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def _error_line(e: ValidationError, sources: Mapping[str, Source], path: Path) -> str:
    err = e.errors()[0]
    loc = ".".join(str(p) for p in err["loc"] if not isinstance(p, int))
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown setting (see `interview-sim config` for the known ones)"
    elif "default_length_s" in loc and err["type"] in ("missing", "too_long", "tuple_type", "list_type"):
        msg = "must be two numbers, [shortest, longest] in seconds"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    key = loc or "thresholds"
    if key in sources:
        env_keys = [key] if sources[key] == "env" else []
    else:  # a check across the thresholds table: name the variables only when the file set none of it
        under = {k: s for k, s in sources.items() if k.startswith(key + ".")}
        env_keys = [] if "file" in under.values() else sorted(under)
    if env_keys:
        where = "environment variable " + ", ".join(env_name(k) for k in env_keys)
    else:
        where = f"settings file {printable(str(path))}"
    return f"{where}: {printable(key)}: {printable(msg)}"


def load_settings(env: Mapping[str, str] | None = None, path: Path | None = None) -> LoadedSettings:
    """Defaults < settings file < environment. Raises :class:`ConfigError` with one line."""
    env = os.environ if env is None else env
    path = config_path(env) if path is None else path
    file_data = _read_file(path)
    file_found = bool(file_data) or path.is_file()
    tree: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    ignored: dict[str, Source] = {}
    for key, value in _flatten(file_data).items():
        if key in RETIRED_SETTINGS:
            ignored[key] = "file"
            continue
        _set(tree, key, value)
        sources[key] = "file"
    for key, raw in _from_env(env).items():
        if key in RETIRED_SETTINGS:
            ignored[key] = "env"
            continue
        _set(tree, key, _parse_env(key, raw))
        sources[key] = "env"
    try:
        settings_ = Settings.model_validate(tree)
    except ValidationError as e:
        raise ConfigError(_error_line(e, sources, path)) from None
    return LoadedSettings(settings_, path, file_found, sources, ignored)


_cache: tuple[Any, LoadedSettings] | None = None


def loaded() -> LoadedSettings:
    """:func:`load_settings` for the current environment, read again only when the file or the
    ``INTERVIEW_SIM_*`` variables change (cheap enough to call wherever a setting is needed)."""
    global _cache
    path = config_path()
    try:
        st = path.stat()
        stamp: Any = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        stamp = None
    key = (str(path), stamp, tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX))))
    if _cache is not None and _cache[0] == key:
        return _cache[1]
    result = load_settings(path=path)
    _cache = (key, result)
    return result


def settings() -> Settings:
    """The effective settings (defaults < file < environment)."""
    return loaded().settings


def value_of(s: Settings, key: str) -> Any:
    obj: Any = s
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def description(key: str) -> str:
    """What a setting does: the docstring under its field, on one line."""
    model: type[BaseModel] = Settings
    parts = key.split(".")
    for part in parts[:-1]:
        model = model.model_fields[part].annotation  # type: ignore[assignment]
    return " ".join(_field_docstrings()[model.__name__].get(parts[-1], "").split())


@cache
def _field_docstrings() -> dict[str, dict[str, str]]:
    """Class name -> field -> the string literal right under the field, from this file's source."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    docs: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            docs[node.name] = {
                field_.target.id: doc.value.value
                for field_, doc in zip(node.body, node.body[1:])
                if isinstance(field_, ast.AnnAssign) and isinstance(field_.target, ast.Name)
                and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            }
    return docs
