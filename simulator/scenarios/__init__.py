"""The scenario files and their one reader.

The YAML files beside this module are the bundled bank, shipped as package data: ``questions/``,
``rubrics/`` and ``red_flags.yaml`` (read into a question bank by
:mod:`simulator.rubric.bank`), ``personas/`` and ``roleplays/`` (read into a role-play library by
:mod:`simulator.roleplay.library`). Both read through :func:`read_scenarios`.
"""

from simulator.scenarios.loader import (
    BANK_KINDS,
    LIBRARY_KINDS,
    LoadError,
    ScenarioFile,
    ScenarioFiles,
    read_scenarios,
    scenario_roots,
)

__all__ = ["BANK_KINDS", "LIBRARY_KINDS", "LoadError", "ScenarioFile", "ScenarioFiles", "read_scenarios",
           "scenario_roots"]
