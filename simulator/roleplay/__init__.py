"""Role-play drills: the simulator plays a reactive customer, and the interviewer probes.

Public API::

    from simulator.roleplay import load_library, RolePlaySession, choose_follow_up

``load_library`` reads personas and role-play scripts (YAML, ``kind: persona`` / ``kind: roleplay``)
and checks them; :class:`RolePlaySession` runs one drill turn by turn (cues -> mood -> next state ->
customer line) and returns a :class:`RolePlayResult` with per-turn feedback; ``choose_follow_up``
picks the interviewer's next question from what a main answer lacked. Nothing here imports the UI.
"""

from simulator.roleplay.cues import TurnCues, detect_cues
from simulator.roleplay.engine import RolePlaySession, play
from simulator.roleplay.followups import choose_follow_up, follow_up_limit
from simulator.roleplay.library import RolePlayLibrary, check_roleplay, load_library
from simulator.roleplay.models import CUES, OUTCOMES, Persona, RolePlay, VoiceSettings
from simulator.roleplay.mood import level, move_mood
from simulator.roleplay.result import RolePlayResult, RolePlayScore, Turn

__all__ = [
    "CUES", "OUTCOMES", "Persona", "RolePlay", "RolePlayLibrary", "RolePlayResult", "RolePlayScore",
    "RolePlaySession", "Turn", "TurnCues", "VoiceSettings", "check_roleplay", "choose_follow_up",
    "detect_cues", "follow_up_limit", "level", "load_library", "move_mood", "play",
]
