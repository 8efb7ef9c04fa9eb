"""Recovering the "um"s and "uh"s that Whisper leaves out.

Whisper was trained on cleaned-up transcripts and drops most hesitations. A second decode primed with
a filler-laden prompt writes many of them back, but prompting alone also risks inventing them. So the
prompted pass is used only as a source of *candidates*: a hesitation it reports is kept when

* the decoder wrote it with some confidence (:data:`PROMPTED_MIN_PROBABILITY`), and
* the main transcript has no hesitation near that moment (no double counting), and
* the audio around that moment actually carries voice (nothing is invented in a silence), and
* it is not the main transcript's article "a" said straight into its noun (the two sound alike), and
* if it is an "uh" (no closing nasal), a held vowel is heard near it: primed with "uh"s, the decoder
  also writes them where noise leaves it unsure (``hidden_hesitations.held_vowel_near``).

What both decodes leave out can still show in the sound: a short, held, voiced stretch between two
words that no word covers (``hidden_hesitations``). The main transcript's text is never replaced: the
prompted pass sometimes garbles real words.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from simulator.audio.energy import EnergyProfile, Span
from simulator.speech.hesitations import Filler, is_hesitation, normalise
from simulator.speech.hidden_hesitations import held_vowel_near, hidden_hesitations, isolated_runs
from simulator.speech.loops import transcribe_without_loops
from simulator.speech.transcript import Transcriber, Transcript, Word

FILLER_PROMPT = "Uh, um, let me think, uh... Okay, so, um, I was, uh, like, thinking."
"""A prompt full of hesitations makes the decoder keep the ones it hears (the faster-whisper issue
threads on keeping disfluencies, #319 and #901); short on purpose, since long prompts are reported to
make the decoder loop. It carries "uh" as well as "um": primed with "um"s alone (the prompt until
stop 24), the decoder wrote a held "uh" as the word it sounds like ("and, or, I stay calm", "a, a,
faulty dryer"). On the three spent voice sets (64 answers, tuning data), with the article and held-vowel checks
below, the "uh"s took the filler count error from 2.4% / 17.4% / 37.2% to 4.2% / 5.9% / 29.5% with
nothing invented; the decode takes the same time (median 0.93 s against 0.95 s per answer on 48
answers)."""

ARTICLE_RUN_ON_S = 0.10
"""How far past the start of the next word the voice under an "a" may run before that "a" is taken
for an article said straight into its noun: the ordinary gap between words (README, pause_min_s)."""

PROMPTED_MIN_PROBABILITY = 0.002
"""A hesitation the prompted decode wrote with a probability under this is a guess, not a hearing. On
the four spent voice sets (88 answers, tuning data) the three candidates kept under it all lay in
running speech where no hesitation was said ("At the gym" heard as "the, um, end"); no hesitation that
was said came with less."""

_SAME_FILLER_S = 0.5
_CONTEXT_S = 0.3
_MIN_VOICED = 0.4


def recover_fillers(
    transcriber: Transcriber, samples: np.ndarray, transcript: Transcript
) -> list[Filler]:
    """Hesitations that were spoken but are missing from ``transcript``."""
    if transcript.is_empty:
        return []
    prompted = transcriber.transcribe(samples, prompt=FILLER_PROMPT)
    return second_look(prompted.words, transcript.words, samples)


def transcribe_and_recover(
    transcriber: Transcriber, samples: np.ndarray, prompt: str | None = None, *, recover: bool = True
) -> tuple[Transcript, list[Filler]]:
    """The transcript (guarded against loops) and, if ``recover``, the hesitations it dropped.

    When the engine can run two decodes at once (``parallel_decodes``), the prompted pass runs
    beside the main one instead of after it: on two cores that is the difference between the
    report waiting for two decodes of the last phrase and waiting for one.
    """
    if not recover:
        return transcribe_without_loops(transcriber, samples, prompt), []
    if getattr(transcriber, "parallel_decodes", 1) < 2:
        transcript = transcribe_without_loops(transcriber, samples, prompt)
        return transcript, recover_fillers(transcriber, samples, transcript)
    with ThreadPoolExecutor(1, thread_name_prefix="filler-recovery") as pool:
        prompted = pool.submit(transcriber.transcribe, samples, prompt=FILLER_PROMPT)
        transcript = transcribe_without_loops(transcriber, samples, prompt)
        candidates = prompted.result().words
    if transcript.is_empty:
        return transcript, []
    return transcript, second_look(candidates, transcript.words, samples)


def second_look(candidates: Sequence[Word], known: Sequence[Word], samples: np.ndarray) -> list[Filler]:
    """The prompted pass's confirmed hesitations, then those hidden in the sound between the words."""
    energy = EnergyProfile.of(samples)
    kept = [f for f in confirm_candidates(candidates, known, energy)
            if f.text.endswith("m") or held_vowel_near(samples, f.start_s, f.end_s)]
    found = [(w.start_s, w.end_s) for w in known if is_hesitation(w.text)] + [(f.start_s, f.end_s) for f in kept]
    hidden = hidden_hesitations(samples, energy, known, found, _SAME_FILLER_S)
    return sorted(kept + hidden, key=lambda f: f.start_s)


def confirm_candidates(
    candidates: Sequence[Word], known: Sequence[Word], energy: EnergyProfile
) -> list[Filler]:
    """Keep the candidate hesitations that are new, have voice under them and are not an article."""
    known_times = [(w.start_s + w.end_s) / 2 for w in known if is_hesitation(w.text)]
    runs = isolated_runs(energy)
    kept: list[Filler] = []
    for word in candidates:
        if (not is_hesitation(word.text) or word.probability < PROMPTED_MIN_PROBABILITY
                or _article_into_noun(word, known, runs)):
            continue
        centre = (word.start_s + word.end_s) / 2
        if any(abs(centre - t) < _SAME_FILLER_S for t in known_times):
            continue
        if kept and centre - (kept[-1].start_s + kept[-1].end_s) / 2 < _SAME_FILLER_S:
            continue
        # Recovered hesitations often get a zero-length time; look at a little context around it.
        voiced = energy.voiced_fraction(word.start_s - _CONTEXT_S, word.end_s + _CONTEXT_S)
        if voiced < _MIN_VOICED:
            continue
        kept.append(Filler(normalise(word.text), word.start_s, word.end_s, recovered=True))
    return kept


def _article_into_noun(candidate: Word, known: Sequence[Word], runs: Sequence[Span]) -> bool:
    """Whether the candidate is the main transcript's article "a", said straight into its noun.

    A held "uh" and the article sound alike, and the prompted pass, primed with hesitations, hears
    "uh" in "A weakness of mine..." or "Our hotel shop". A spoken "a, uh, refund" holds the vowel
    between two pauses; an article runs into the next word. So a candidate lying over a main-transcript
    "a" is refused when the voice under that "a" carries on, without a pause, past the start of the
    next word (by more than :data:`ARTICLE_RUN_ON_S`).
    """
    i = _covering_word(candidate, known)
    if i is None or normalise(known[i].text) != "a" or i + 1 >= len(known):
        return False
    article, next_start = known[i], known[i + 1].start_s
    under = [r for r in runs if r.end_s > article.start_s and r.start_s < max(article.end_s, article.start_s + 0.01)]
    return bool(under) and under[0].end_s > next_start + ARTICLE_RUN_ON_S


def _covering_word(candidate: Word, known: Sequence[Word]) -> int | None:
    """Index of the main-transcript word over at least half the candidate (or over its instant)."""
    length = candidate.end_s - candidate.start_s
    for i, w in enumerate(known):
        if length > 0:
            if min(w.end_s, candidate.end_s) - max(w.start_s, candidate.start_s) >= 0.5 * length:
                return i
        elif w.start_s <= candidate.start_s <= w.end_s:
            return i
    return None
