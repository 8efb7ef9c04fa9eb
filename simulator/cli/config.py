"""``interview-sim config``: the effective settings and where each came from, or the settings file's path.

The output is TOML, so it can be copied into the settings file as it is: every line is
``key = value  # source`` (default, file or env); a setting with no value is a comment.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from simulator import config
from simulator.errors import printable


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "config", description="Print every setting with its effective value and its source: the default, the "
        f"settings file ({config.CONFIG_FILE_NAME} in the platform's user config folder, or "
        f"${config.CONFIG_FILE_ENV}) or an environment variable (INTERVIEW_SIM_<SETTING>, "
        "INTERVIEW_SIM_THRESHOLDS__<NAME> for a threshold). Command-line options override them all.",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--path", action="store_true", help="print only the settings file's location")
    what.add_argument("--json", action="store_true",
                      help="print one JSON object: {path, file_found, settings, sources, ignored}")
    p.add_argument("--describe", action="store_true", help="write what each setting does above it")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.path:
        print(config.config_path())
        return 0
    loaded = config.load_settings()  # a bad file raises ConfigError: one line, exit 2
    sources = {key: loaded.source(key) for key in config.SETTING_KEYS}
    if getattr(args, "data_dir", None):
        sources["data_dir"] = "command line"
    if args.json:
        print(json.dumps({
            "path": str(loaded.path), "file_found": loaded.file_found,
            "settings": loaded.settings.model_dump(mode="json"), "sources": sources,
            "ignored": loaded.ignored,
        }, indent=2))
        return 0
    state = "" if loaded.file_found else " (not found: every value below is a default or from the environment)"
    print(f"# settings file: {printable(str(loaded.path))}{state}")
    print("# precedence: default < file < env (INTERVIEW_SIM_<SETTING>) < command-line option")
    table = None
    for key in config.SETTING_KEYS:
        section, _, name = key.rpartition(".")
        if section and section != table:
            print(f"\n[{section}]")
            table = section
        if args.describe:
            print(f"\n# {config.description(key)}")
        value = config.value_of(loaded.settings, key)
        line = f"{name} = {_toml(value)}" if value is not None else f"# {name} = (not set)"
        print(f"{line:<44} # {sources[key]}")
    for key, where in loaded.ignored.items():
        print(f"\n# {key} is set ({where}) but no longer used: {config.RETIRED_SETTINGS[key]}")
    return 0


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("nan" if math.isnan(value) else ("inf" if value > 0 else "-inf"))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string is a JSON string
