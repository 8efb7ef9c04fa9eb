"""Role-play drills: the simulator plays a reactive customer, and the interviewer probes.

Import from the modules::

    from simulator.roleplay.library import load_library
    from simulator.roleplay.engine import RolePlaySession
    from simulator.roleplay.followups import choose_follow_up

``load_library`` (:mod:`~simulator.roleplay.library`) reads personas and role-play scripts (YAML,
``kind: persona`` / ``kind: roleplay``; :mod:`~simulator.roleplay.models`) and checks them;
:class:`~simulator.roleplay.engine.RolePlaySession` runs one drill turn by turn (cues -> mood -> next
state -> customer line; :mod:`~simulator.roleplay.hearing`, :mod:`~simulator.roleplay.mood`) and returns
a :class:`~simulator.roleplay.result.RolePlayResult` with per-turn feedback; ``choose_follow_up``
picks the interviewer's next question from what a main answer lacked. Nothing here imports the UI.

This file imports nothing: an interview needs only the follow-ups and the result type, and
importing the package is then not importing the role-play engine and its compiled cue patterns
(about 40 ms of every start of the app).
"""
