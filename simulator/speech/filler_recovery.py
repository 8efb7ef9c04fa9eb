"""Recovering the "um"s and "uh"s that Whisper leaves out.

Whisper was trained on cleaned-up transcripts and drops most hesitations. A second decode primed with
a filler-laden prompt writes many of them back, but prompting alone also risks inventing them. So the
prompted pass is used only as a source of *candidates*: a hesitation it reports is kept when

* the main transcript has no hesitation near that moment (no double counting), and
* the audio around that moment actually carries voice (nothing is invented in a silence).

What both decodes leave out can still show in the sound: a short, held, voiced stretch between two
words that no word covers (``hidden_hesitations``), and in the decoder's own encoder, which hears the
hesitations its text leaves out (``hesitation_probe``: engines that hand over their encoder frames,
read from the prompted pass's decode). The main transcript's text is never replaced: the prompted pass
sometimes garbles real words.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from simulator.audio.energy import EnergyProfile
from simulator.speech.hesitation_probe import MIN_SPEECH_OVER_NOISE_DB, EncodedSpeech, heard, is_new
from simulator.speech.hesitations import Filler, is_hesitation, normalise
from simulator.speech.hidden_hesitations import HIDDEN_HES_MIN_S, hidden_hesitations, isolated_runs
from simulator.speech.loops import transcribe_without_loops
from simulator.speech.transcript import Transcriber, Transcript, Word

FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."
"""From the faster-whisper issue threads on keeping disfluencies (#319, #901); short on purpose, since
long prompts are reported to make the decoder loop. With "uh"s added it brings back more "uh"s with
Whisper base but makes up 6 hesitations under noise where this one makes up none (bench/fillers_noise.py,
stop 26), so it is not used; tried with tiny.en at stop 24 too. (Stop 26's count-error gain for it came
from a state of the voice-set bench that could not be reproduced at stop 27, so no figure is given.)"""

_PROMPT_WORDS = tuple(normalise(word) for word in FILLER_PROMPT.split())
_ECHO_MIN_WORDS = 4
"""The prompted pass sometimes writes its prompt back into the answer ("Okay, here's what I'm, like,
thinking like, hmm... Okay, here's what" over a speaker's "by ten o'clock every table", heldout20):
a hesitation inside a run of this many of the prompt's words in its order is the prompt's, not the
speaker's."""
_SAME_FILLER_S = 0.5
_CONTEXT_S = 0.3
_MIN_VOICED = 0.4
_HELD_MAX_S = 0.5
"""A hesitation is judged over at most this much of its time: the prompted pass often stretches one
over the thinking pause after it ("the, um, <1.2 s> the annual" came back as "erm..." from 15.8 s to
17.3 s), and the silence would then outweigh the voice of the "um" itself."""


def recover_fillers(
    transcriber: Transcriber, samples: np.ndarray, transcript: Transcript, *, room_floor_db: float | None = None
) -> list[Filler]:
    """Hesitations that were spoken but are missing from ``transcript``."""
    if transcript.is_empty:
        return []
    prompted, encoded = _prompted_pass(transcriber, samples)
    return second_look(prompted.words, transcript.words, samples, encoded, room_floor_db=room_floor_db)


def transcribe_and_recover(
    transcriber: Transcriber, samples: np.ndarray, prompt: str | None = None, *, recover: bool = True,
    room_floor_db: float | None = None,
) -> tuple[Transcript, list[Filler]]:
    """The transcript (guarded against loops) and, if ``recover``, the hesitations it dropped.

    When the engine can run two decodes at once (``parallel_decodes``), the prompted pass runs
    beside the main one instead of after it: on two cores that is the difference between the
    report waiting for two decodes of the last phrase and waiting for one. ``room_floor_db``: the
    noise floor of the recording around ``samples``, when they are a phrase of it (see
    :func:`second_look`).
    """
    if not recover:
        return transcribe_without_loops(transcriber, samples, prompt), []
    if getattr(transcriber, "parallel_decodes", 1) < 2:
        transcript = transcribe_without_loops(transcriber, samples, prompt)
        return transcript, recover_fillers(transcriber, samples, transcript, room_floor_db=room_floor_db)
    with ThreadPoolExecutor(1, thread_name_prefix="filler-recovery") as pool:
        prompted_pass = pool.submit(_prompted_pass, transcriber, samples)
        transcript = transcribe_without_loops(transcriber, samples, prompt)
        prompted, encoded = prompted_pass.result()
    if transcript.is_empty:
        return transcript, []
    return transcript, second_look(prompted.words, transcript.words, samples, encoded, room_floor_db=room_floor_db)


def _prompted_pass(transcriber: Transcriber, samples: np.ndarray) -> tuple[Transcript, EncodedSpeech | None]:
    """The decode primed with :data:`FILLER_PROMPT`, and its encoder frames if the engine hands
    them over (the main decode encodes the same speech the same way: one pass gives both)."""
    if getattr(transcriber, "encoder", None) is None:
        return transcriber.transcribe(samples, prompt=FILLER_PROMPT), None
    encoded: list[EncodedSpeech] = []
    prompted = transcriber.transcribe(samples, prompt=FILLER_PROMPT, frames_out=encoded)  # type: ignore[call-arg]
    return prompted, encoded[0] if encoded else None


def second_look(candidates: Sequence[Word], known: Sequence[Word], samples: np.ndarray,
                encoded: EncodedSpeech | None = None, *, room_floor_db: float | None = None) -> list[Filler]:
    """The prompted pass's confirmed hesitations, then those hidden in the sound between the words,
    then those the encoder heard (``encoded``) more than :data:`_SAME_FILLER_S` from all of these,
    if the speech stands clear of the noise (:data:`~simulator.speech.hesitation_probe
    .MIN_SPEECH_OVER_NOISE_DB`). The noise is the clip's own floor, or ``room_floor_db`` if that is
    lower: a phrase said without a gap has its quietest speech for a floor, the room is quieter."""
    energy = EnergyProfile.of(samples)
    kept = confirm_candidates(candidates, known, energy)
    found = [(w.start_s, w.end_s) for w in known if is_hesitation(w.text)] + [(f.start_s, f.end_s) for f in kept]
    hidden = hidden_hesitations(samples, energy, known, found, _SAME_FILLER_S)
    found += [(f.start_s, f.end_s) for f in hidden]
    listened = []
    floor = energy.floor_db if room_floor_db is None else min(energy.floor_db, room_floor_db)
    quiet_enough = energy.speech_db - floor >= MIN_SPEECH_OVER_NOISE_DB
    for h in heard(encoded) if encoded is not None and quiet_enough else ():
        if is_new((h.start_s, h.end_s), found, _SAME_FILLER_S):
            listened.append(Filler(h.kind, h.start_s, h.end_s, recovered=True))
            found.append((h.start_s, h.end_s))
    return sorted(kept + hidden + listened, key=lambda f: f.start_s)


def confirm_candidates(
    candidates: Sequence[Word], known: Sequence[Word], energy: EnergyProfile
) -> list[Filler]:
    """Keep the candidate hesitations that are new and have voice under them."""
    known_spans = [(w.start_s, w.end_s) for w in known if is_hesitation(w.text)]
    last = known[-1] if known else None
    echo = prompt_echo(candidates)
    kept: list[Filler] = []
    for i, word in enumerate(candidates):
        if not is_hesitation(word.text) or i in echo:
            continue
        if last is not None and word.start_s >= last.start_s and _trails_off(word, last, energy):
            continue
        # The prompted pass often stretches a hesitation over the pause after it ("erm..." at
        # 19.90-21.38 s for the "erm," the main decode has at 19.90-20.12 s): overlapping times are one.
        if any(_same_moment((word.start_s, word.end_s), span) for span in known_spans):
            continue
        if kept and _same_moment((word.start_s, word.end_s), (kept[-1].start_s, kept[-1].end_s)):
            continue
        # Recovered hesitations often get a zero-length time; look at a little context around it.
        end = min(word.end_s, word.start_s + _HELD_MAX_S)
        voiced = energy.voiced_fraction(word.start_s - _CONTEXT_S, end + _CONTEXT_S)
        if voiced < _MIN_VOICED:
            continue
        kept.append(Filler(normalise(word.text), word.start_s, end, recovered=True))
    return kept


def prompt_echo(words: Sequence[Word]) -> set[int]:
    """The positions of ``words`` that repeat :data:`FILLER_PROMPT`: runs of at least
    :data:`_ECHO_MIN_WORDS` of its words in the prompt's own order."""
    said = [normalise(w.text) for w in words]
    echo: set[int] = set()
    for i in range(len(said)):
        for j in range(len(_PROMPT_WORDS)):
            k = 0
            while i + k < len(said) and j + k < len(_PROMPT_WORDS) and said[i + k] == _PROMPT_WORDS[j + k]:
                k += 1
            if k >= _ECHO_MIN_WORDS:
                echo.update(range(i, i + k))
    return echo


def _same_moment(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two hesitations' times are one hesitation: they overlap, or their centres lie within
    :data:`_SAME_FILLER_S` of each other."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap > 0 or (overlap == 0 and a[0] == b[0]) or abs((a[0] + a[1]) / 2 - (b[0] + b[1]) / 2) < _SAME_FILLER_S


def _trails_off(candidate: Word, last: Word, energy: EnergyProfile) -> bool:
    """Whether a candidate after the last known word is the prompted pass's own ending, not a hesitation.

    The prompted pass sometimes ends on a "hmm" laid over the answer's last word (its sound runs on past
    the time Whisper gave it), or on an "uh" of a few hundredths of a second in the breath after it
    (spent voice sets, with base; one "hmm" under noise). A real "uh" there is common in the live loop,
    where every phrase before a thinking pause is decoded on its own: it is said after the last word has
    ended, as a sound of its own with a silence before it (a run of voice apart from the last word's,
    :func:`~simulator.speech.hidden_hesitations.isolated_runs`), and is held as long as a hesitation the
    sound check would hear (:data:`HIDDEN_HES_MIN_S`), so it is kept.
    """
    if candidate.start_s < last.end_s or candidate.end_s - candidate.start_s < HIDDEN_HES_MIN_S:
        return True
    centre = (candidate.start_s + candidate.end_s) / 2
    own = [r for r in isolated_runs(energy) if r.start_s <= centre <= r.end_s]
    return not own or own[0].start_s < last.end_s
