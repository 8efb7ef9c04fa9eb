"""``import`` and ``rescore``: transcribe recordings and keep the results in the session store.

``import`` scores a recording made elsewhere against a bank question as a one-answer session;
``rescore`` runs a stored session's recordings through the current engine, model and rubrics again
and shows what changed. Both take the same engine options as ``score``.
"""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path
from typing import Any

from simulator import __version__, limits
from simulator.answer.build import analyse_clip
from simulator.answer.report import AnswerReport
from simulator.audio.clip import AudioClip
from simulator.audio.files import read_audio
from simulator.cli.options import add_engine_arguments
from simulator.cli.sessions import fmt_num, warn_damage
from simulator.errors import AudioInputError, ScenarioError, StoreError, printable
from simulator.roleplay.followups import follow_up_rubric
from simulator.rubric import load_bank, score_content
from simulator.rubric.cli_support import warn_of_damaged_detector
from simulator.rubric.engine import default_bank
from simulator.speech.engines import make_transcriber
from simulator.store import AnswerRecord, SessionRecord, SessionStore
from simulator.store import models as m
from simulator.store.store import parent_question_id
from simulator.store.roleplays import is_roleplay_take
from simulator.store.writes import now_iso


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("import", description="Score a recording made elsewhere (a phone voice memo) against a "
                              "bank question and store it as a one-answer session.")
    p.add_argument("audio", metavar="AUDIO", help="WAV, FLAC, OGG, MP3 or M4A file")
    p.add_argument("--question", required=True, metavar="ID", type=limits.an_id, help="the bank question it answers")
    p.add_argument("--no-filler-recovery", action="store_true", default=None,
                   help="skip the second look for hesitations")
    add_engine_arguments(p)
    p.set_defaults(func=run_import)

    p = subparsers.add_parser("rescore", description="Run a stored session's recordings through the current engine, "
                              "model and rubrics again and show what changed.")
    p.add_argument("session", metavar="SESSION", type=limits.an_id)
    p.add_argument("--no-filler-recovery", action="store_true", default=None,
                   help="skip the second look for hesitations")
    p.add_argument("--undo", action="store_true",
                   help="go back to each answer's scoring before the last rescore (nothing is transcribed; "
                        "run it again to go forward)")
    add_engine_arguments(p)
    p.set_defaults(func=run_rescore)


def _transcriber(args: argparse.Namespace):  # noqa: ANN202 - a Transcriber; tests replace this
    return make_transcriber(args.engine, args.model, compute_type=args.compute_type, beam_size=args.beam_size,
                            allow_download=args.download)


def _bank_question(question_id: str | None):  # noqa: ANN202 - Question | None
    if not question_id:
        return None
    try:
        return load_bank().get_question(question_id)
    except KeyError:
        return None


def _analyse(samples, source: str, question_id: str | None, question_text: str, transcriber, recover: bool,  # noqa: ANN001, ANN202, PLR0913
             *, rubric: str | None = None, target_from: str | None = None):
    """Transcribe and score; ``rubric`` (when known) judges the answer instead of the question's,
    and ``target_from`` names the bank question whose target length applies (a follow-up's parent).
    A role-play turn is judged as a turn said to the customer, as the drill heard it."""
    q = _bank_question(question_id)
    timing = q if q is not None else _bank_question(target_from)
    target = tuple(float(x) for x in timing.target_s) if timing is not None else None
    prompt = q.text if q is not None else (question_text or None)

    def scorer(text: str):  # noqa: ANN202
        return score_content(text, question=q, rubric=rubric, prompt=prompt, turn=is_roleplay_take(question_id))

    return analyse_clip(AudioClip(samples, source=source), transcriber, recover=recover,
                        target_length_s=target, score_content=scorer)  # type: ignore[arg-type]


def run_import(args: argparse.Namespace) -> int:
    clip = read_audio(args.audio)
    warn_of_damaged_detector()
    question = _bank_question(args.question)
    if question is None:
        raise ScenarioError(f"no question with id {args.question!r}; see `interview-sim scenarios list`")
    transcriber = _transcriber(args)
    # The file's name only: its folder (often the user's name) has no place in a report that is shared.
    report = _analyse(clip.samples, Path(args.audio).name, question.id, question.text, transcriber,
                      not args.no_filler_recovery)
    if report.no_speech:  # a silent or wrong file: nothing worth a session in the history
        raise AudioInputError(f"{printable(Path(args.audio).name)}: no speech heard in it; nothing imported "
                              "(`interview-sim score` shows what was heard)")
    with SessionStore.open() as store:
        session = store.start_session(
            role=question.roles[0] if question.roles else "", mode="import",
            settings={"imported_from": Path(args.audio).name, "question": question.id,
                      "filler_recovery": not args.no_filler_recovery},
            engine=transcriber.engine, model=transcriber.model_name, rubric_version=_rubric_version(),
        )
        try:
            answer = store.add_answer(session.id, question, report, clip.samples)
        except BaseException:
            # Nothing was stored: no empty "0 answers" session left behind in history.
            store.delete_session(session.id)
            raise
        store.finish_session(session.id)
    print(f"Imported as session {session.id}")
    print(_answer_line(answer))
    return 0


def run_rescore(args: argparse.Namespace) -> int:
    with SessionStore.open() as store:
        session = store.get_session(args.session)
        if store.db.read_only:  # before minutes of transcription whose results could not be kept
            why = "the disk is full" if store.db.disk_full else "it is read-only"
            raise StoreError(f"cannot rescore session {session.id}: the session store {store.db.path} cannot be "
                             f"written ({why}); free some space or make it writable, then try again")
        if args.undo:
            return undo_rescore(store, session)
        answers = store.answers(session.id)
        warn_damage(store)
        if not answers:
            raise StoreError(f"session {session.id} has no answers to rescore")
        playable = [a for a in answers if not a.audio_missing]
        if not playable:
            if all(a.audio_path is None for a in answers):  # typed answers, a typed role-play
                raise AudioInputError(f"session {session.id} was typed, not recorded: there is no audio to rescore")
            raise AudioInputError(f"audio missing for every answer of session {session.id}; nothing to rescore")
        transcriber = _transcriber(args)
        warn_of_damaged_detector()
        print(f"Rescoring session {session.id} with {transcriber.engine} {transcriber.model_name}")
        rescored = 0
        # The session keeps the engine, model and rubrics it was recorded with; each rescore is noted
        # beside them, so an export says which results came from what. The note is written with the
        # first changed answer and brought up to date with each one after, so a rescore killed half-way
        # still says what it changed ("finished": false); one that changed nothing leaves no note.
        earlier = list(session.settings.get("rescores", []))
        entry = {"at": now_iso(), "engine": transcriber.engine, "model": transcriber.model_name,
                 "rubric_version": _rubric_version(), "answers": 0, "finished": False}
        for old in answers:
            if old.audio_path is None:  # a typed answer: there never was a recording (stop 44's explorer)
                print(f"  {old.position}. typed, not recorded; kept as it was")
                continue
            if old.audio_missing:
                print(f"  {old.position}. audio missing; kept as it was")
                continue
            samples = store.load_audio(old)
            report = _analyse(samples, old.source, old.question.id, old.question.text, transcriber,
                              not args.no_filler_recovery, rubric=rescore_rubric(old),
                              target_from=parent_question_id(old))
            if _same_scoring(old, report):
                print(f"  {old.position}. unchanged: transcript and scores the same, not stored again")
                continue
            new = store.replace_answer(old, report)
            rescored += 1
            entry["answers"] = rescored
            store.update_session_settings(session.id, rescores=[*earlier, entry])
            for line in describe_changes(old, new):
                print(f"  {old.position}. {line}")
        if rescored:
            entry["finished"] = True
            store.update_session_settings(session.id, rescores=[*earlier, entry])
    return 0


def undo_rescore(store: SessionStore, session: SessionRecord) -> int:
    """Give each answer of ``session`` back the scoring it had before the last rescore. A rescore keeps
    the scoring it replaces (marked superseded), so nothing is lost either way: the scoring undone is
    kept the same way, and undoing again goes forward to it."""
    every = store.answers(session.id, include_superseded=True)
    before = {a.superseded_by: a for a in every if a.superseded_by is not None}
    print(f"Undoing the last rescore of session {session.id}")
    undone = 0
    for now in (a for a in every if a.superseded_by is None):
        earlier = before.get(now.id)
        report = earlier.report() if earlier is not None else None
        if report is None:
            print(f"  {now.position}. never rescored; kept as it is")
            continue
        new = store.replace_answer(now, report)
        undone += 1
        for line in describe_changes(now, new):
            print(f"  {now.position}. {line}")
    if undone:
        entry = {"at": now_iso(), "undo": True, "answers": undone, "finished": True}
        store.update_session_settings(session.id, rescores=[*session.settings.get("rescores", []), entry])
    return 0


def _same_scoring(old: AnswerRecord, report: AnswerReport) -> bool:
    """Whether a rescore heard and judged ``old`` exactly as before: storing it again would only grow
    the store (each rescore keeps the scoring it replaces)."""
    if not old.scored or old.transcript is None or old.delivery is None:
        return False
    same_content = (old.content is None) == (report.content is None) and (
        report.content is None or m.content_to_json(old.content) == m.content_to_json(report.content))
    return (old.transcript.text == report.transcript.text and same_content
            and m.delivery_to_json(old.delivery) == m.delivery_to_json(report.delivery))


def rescore_rubric(old: AnswerRecord) -> str | None:
    """The rubric a rescore judges ``old`` by: the one stored with it, so the same audio gets the
    same judgement. Answers stored before the rubric was kept: a follow-up's is decided from what it
    asks (as it is now when asked), else the bank question's, else the one it was scored with.
    None (a rubric the bank no longer has, or nothing known) lets the scorer infer it."""
    rubrics = default_bank().rubrics
    chosen = old.rubric
    if not chosen:
        parent_id = parent_question_id(old)
        bank_q = _bank_question(old.question.id)
        if parent_id is not None:
            parent = _bank_question(parent_id)
            parent_rubric = parent.rubric if parent is not None else (old.content.rubric if old.content else None)
            chosen = follow_up_rubric(old.question.text, parent_rubric or "", rubrics) or None
        elif bank_q is not None:
            chosen = bank_q.rubric
        elif old.content is not None:
            chosen = old.content.rubric
    return chosen if chosen in rubrics else None


def describe_changes(old: AnswerRecord, new: AnswerRecord) -> list[str]:
    """What a rescore changed in one answer, as short readable lines."""
    lines = []

    def fig(a: AnswerRecord) -> dict[str, Any]:
        d, c = a.delivery, a.content
        return {
            "WPM": d.wpm if d else None,
            "fillers": d.fillers.count if d else None,
            "content": c.score if c else None,
        }

    before, after = fig(old), fig(new)
    changed = [f"{k} {fmt_num(before[k], 0)} → {fmt_num(after[k], 0)}" for k in before if before[k] != after[k]]
    lines.append(", ".join(changed) if changed else "scores unchanged")
    a_words = [w.text for w in old.words]
    b_words = [w.text for w in new.words]
    ops = [op for op in difflib.SequenceMatcher(a=a_words, b=b_words, autojunk=False).get_opcodes()
           if op[0] != "equal"]
    if not old.scored:
        lines.append(f"transcribed for the first time: {len(b_words)} words")
    elif ops:
        examples = []
        for tag, i1, i2, j1, j2 in ops[:3]:
            was, now = " ".join(a_words[i1:i2]), " ".join(b_words[j1:j2])
            examples.append({"replace": f'"{was}" → "{now}"', "delete": f'-"{was}"', "insert": f'+"{now}"'}[tag])
        more = f" (+{len(ops) - 3} more)" if len(ops) > 3 else ""
        lines.append(f"transcript: {len(ops)} change(s): " + "; ".join(examples) + more)
    else:
        lines.append("transcript unchanged")
    lines += _content_changes(old, new)
    return lines


def _content_changes(old: AnswerRecord, new: AnswerRecord) -> list[str]:
    """Rubric criteria now met or no longer met, and red flags raised or cleared."""
    if old.content is None or new.content is None:
        return []
    out = []
    if old.content.rubric != new.content.rubric:
        out.append(f"rubric: {old.content.rubric} → {new.content.rubric}")
    was = {c.id: c for c in old.content.criteria}
    now = {c.id: c for c in new.content.criteria}
    gained = [now[k].label.split(" — ")[0] for k in now if now[k].met and not (k in was and was[k].met)]
    lost = [was[k].label.split(" — ")[0] for k in was if was[k].met and not (k in now and now[k].met)]
    if gained:
        out.append("now met: " + ", ".join(gained))
    if lost:
        out.append("no longer met: " + ", ".join(lost))
    flags_was = {f.id: f.label for f in old.content.red_flags}
    flags_now = {f.id: f.label for f in new.content.red_flags}
    if raised := [flags_now[k] for k in flags_now if k not in flags_was]:
        out.append("red flag raised: " + ", ".join(raised))
    if cleared := [flags_was[k] for k in flags_was if k not in flags_now]:
        out.append("red flag cleared: " + ", ".join(cleared))
    return out


def _rubric_version() -> str:
    return f"interview-sim {__version__}"


def _answer_line(a: AnswerRecord) -> str:
    d, c = a.delivery, a.content
    if d is None:
        return f"  {a.position}. not scored"
    parts = [f"{d.wpm:.0f} wpm ({d.verdicts.pace})", f"{d.fillers.count} fillers ({d.fillers.per_minute:.1f}/min)",
             f"{d.duration_s:.0f} s"]
    if c is not None:
        parts.append(f"content {c.score}/100" if c.assessable else f"content: {c.reason}")
    return f"  {a.position}. " + ", ".join(parts)
