"""Session commands: ``sessions list|delete|recover``, ``history``, ``import``, ``rescore``, ``export``.

All of them work on the local session store (:mod:`simulator.session`); nothing leaves the machine.
``import`` and ``rescore`` transcribe, so they take the same engine options as ``score``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from pathlib import Path
from typing import Any

from simulator.errors import AudioInputError, ScenarioError, StoreError, UsageError, printable
from simulator.store import AnswerRecord, SessionStore
from simulator.store.store import parent_question_id


def register(subparsers: argparse._SubParsersAction) -> None:
    from simulator.cli.score import add_engine_arguments  # noqa: PLC0415

    sessions = subparsers.add_parser("sessions", help="list, delete or recover stored practice sessions",
                                     description="Manage the practice sessions stored on this machine.")
    sub = sessions.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)
    p = sub.add_parser("list", help="show stored sessions")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=run_list)
    p = sub.add_parser("delete", help="delete a session's recordings and results completely")
    p.add_argument("session", nargs="?", metavar="ID", help="session id (or a unique start of it)")
    p.add_argument("--all", action="store_true", help="delete every session")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run_delete)
    p = sub.add_parser("recover", help="close sessions interrupted by a crash, keeping all captured audio")
    p.set_defaults(func=run_recover)

    p = subparsers.add_parser("history", help="your sessions with pace, fillers and content score over time")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=run_history)

    p = subparsers.add_parser("import", help="score an outside recording and keep it as a session",
                              description="Score a recording made elsewhere (a phone voice memo) against a "
                              "bank question and store it as a one-answer session.")
    p.add_argument("audio", metavar="AUDIO", help="WAV, FLAC, OGG, MP3 or M4A file")
    p.add_argument("--question", required=True, metavar="ID", help="the bank question it answers")
    p.add_argument("--no-filler-recovery", action="store_true", default=None, help="skip the second look for hesitations")
    add_engine_arguments(p)
    p.set_defaults(func=run_import)

    p = subparsers.add_parser("rescore", help="re-transcribe and re-score a session; originals are kept",
                              description="Run a stored session's recordings through the current engine, "
                              "model and rubrics again and show what changed.")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("--no-filler-recovery", action="store_true", default=None, help="skip the second look for hesitations")
    add_engine_arguments(p)
    p.set_defaults(func=run_rescore)

    p = subparsers.add_parser("export", help="write a session report as HTML, Markdown or JSON")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("--format", choices=("html", "md", "json"), default="html")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    p.set_defaults(func=run_export)


# --- sessions list / delete / recover ------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    with SessionStore.open() as store:
        sessions = store.list_sessions()
        counts = {s.id: len(store.answers(s.id)) for s in sessions}
        warn_damage(store)
    if args.json:
        print(json.dumps([{"id": s.id, "started_at": s.started_at, "ended_at": s.ended_at, "role": s.role,
                           "mode": s.mode, "status": s.status, "answers": counts[s.id]} for s in sessions],
                         indent=2))
        return 0
    if not sessions:
        print("No sessions stored yet.")
        return 0
    print(f"{'ID':<23} {'STARTED':<17} {'ROLE':<14} {'MODE':<10} {'STATUS':<11} ANSWERS")
    for s in sessions:
        print(f"{s.id:<23} {_when(s.started_at):<17} {s.role or '-':<14} {s.mode or '-':<10} "
              f"{s.shown_status:<11} {counts[s.id]}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    if bool(args.session) == bool(args.all):
        raise UsageError("give one session ID to delete, or --all")
    with SessionStore.open() as store:
        if args.all:
            n = len(store.list_sessions())
            backups = len(store.corrupt_backups())
            extra = f" and {backups} backup(s) of a damaged store" if backups else ""
            _confirm(args, f"Delete all {n} sessions and their recordings{extra}?")
            store.delete_all()
            print(f"Deleted {n} session{'s' if n != 1 else ''} and their recordings{extra}.")
        else:
            session = store.get_session(args.session)
            _confirm(args, f"Delete session {session.id} and its recordings?")
            store.delete_session(session.id)
            print(f"Deleted session {session.id} and its recordings.")
    return 0


def _confirm(args: argparse.Namespace, question: str) -> None:
    if args.yes:
        return
    if not sys.stdin.isatty():
        if args.all:
            raise UsageError("deleting every session needs --yes when not run interactively")
        return
    if input(f"{question} [y/N] ").strip().lower() not in ("y", "yes"):
        raise UsageError("nothing deleted")


def run_recover(args: argparse.Namespace) -> int:
    with SessionStore.open() as store:
        results = store.recover()
        lost = store.lost_and_found
    if not results and not lost:
        print("No interrupted sessions to recover.")
        return 0
    for r in results:
        extra = len(r.recordings_attached)
        if r.rebuilt:
            line = f"Rebuilt lost session {r.session.id}: {r.answers_kept} answer(s) restored"
        else:
            line = f"Recovered session {r.session.id}: {r.answers_kept} scored answer(s) kept"
        if extra:
            secs = sum(a.duration_s for a in r.recordings_attached)
            kind = "unscored" if r.rebuilt else "interrupted"
            line += (f", {extra} {kind} recording(s) ({secs:.1f} s) saved; score them with "
                     f"`interview-sim rescore {r.session.id}`")
        print(line + ".")
    for path in lost:
        print(f"Moved {path.name}, which belongs to no session, to {path} (nothing was deleted).")
    return 0


# --- history ----------------------------------------------------------------------------------------


def run_history(args: argparse.Namespace) -> int:
    with SessionStore.open() as store:
        rows = store.summaries()
        warn_damage(store)
    if args.json:
        print(json.dumps([{
            "id": r.session.id, "started_at": r.session.started_at, "role": r.session.role,
            "mode": r.session.mode, "status": r.session.status, "answers": r.answers,
            "mean_wpm": r.mean_wpm, "fillers_per_min": r.fillers_per_min, "content_score": r.content_score,
            "outcome": r.outcome, "roleplay_score": r.roleplay_score,
        } for r in rows], indent=2))
        return 0
    if not rows:
        print("No sessions stored yet. Practise, or score a recording with `interview-sim import`.")
        return 0
    print(f"{'DATE':<17} {'ROLE':<14} {'MODE':<10} {'ANSWERS':>7} {'WPM':>5} {'FILLERS/MIN':>11} "
          f"{'CONTENT':>7}  {'OUTCOME':<16} ID")
    for r in rows:
        # A role-play's score is its debrief's overall score, beside its outcome; never a turn's rubric.
        score = _num(r.roleplay_score if r.is_roleplay else r.content_score, 0)
        outcome = r.outcome or "-"
        print(f"{_when(r.session.started_at):<17} {r.session.role or '-':<14} {r.session.mode or '-':<10} "
              f"{r.answers:>7} {_num(r.mean_wpm, 0):>5} {_num(r.fillers_per_min, 1):>11} "
              f"{score:>7}  {outcome:<16} {r.session.id}")
    return 0


# --- import / rescore ----------------------------------------------------------------------------


def _transcriber(args: argparse.Namespace):  # noqa: ANN202 - a Transcriber; tests replace this
    from simulator.speech.engines import make_transcriber  # noqa: PLC0415

    return make_transcriber(args.engine, args.model, compute_type=args.compute_type, beam_size=args.beam_size,
                            allow_download=args.download)


def _bank_question(question_id: str | None):  # noqa: ANN202 - Question | None
    if not question_id:
        return None
    from simulator.rubric import load_bank  # noqa: PLC0415

    try:
        return load_bank().get_question(question_id)
    except KeyError:
        return None


def _analyse(samples, source: str, question_id: str | None, question_text: str, transcriber, recover: bool,  # noqa: ANN001, ANN202, PLR0913
             *, rubric: str | None = None, target_from: str | None = None):
    """Transcribe and score; ``rubric`` (when known) judges the answer instead of the question's,
    and ``target_from`` names the bank question whose target length applies (a follow-up's parent)."""
    from simulator.audio.clip import AudioClip  # noqa: PLC0415
    from simulator.answer.build import analyse_clip  # noqa: PLC0415
    from simulator.rubric import score_content  # noqa: PLC0415

    q = _bank_question(question_id)
    timing = q if q is not None else _bank_question(target_from)
    target = tuple(float(x) for x in timing.target_s) if timing is not None else None
    prompt = q.text if q is not None else (question_text or None)

    def scorer(text: str):  # noqa: ANN202
        return score_content(text, question=q, rubric=rubric, prompt=prompt)

    return analyse_clip(AudioClip(samples, source=source), transcriber, recover=recover,
                        target_length_s=target, score_content=scorer)  # type: ignore[arg-type]


def run_import(args: argparse.Namespace) -> int:
    from simulator.audio.files import read_audio  # noqa: PLC0415

    clip = read_audio(args.audio)
    question = _bank_question(args.question)
    if question is None:
        raise ScenarioError(f"no question with id {args.question!r}; see `interview-sim scenarios list`")
    transcriber = _transcriber(args)
    # The file's name only: its folder (often the user's name) has no place in a report that is shared.
    report = _analyse(clip.samples, Path(args.audio).name, question.id, question.text, transcriber,
                      not args.no_filler_recovery)
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
        answers = store.answers(session.id)
        warn_damage(store)
        if not answers:
            raise StoreError(f"session {session.id} has no answers to rescore")
        playable = [a for a in answers if not a.audio_missing]
        if not playable:
            raise AudioInputError(f"audio missing for every answer of session {session.id}; nothing to rescore")
        transcriber = _transcriber(args)
        print(f"Rescoring session {session.id} with {transcriber.engine} {transcriber.model_name}")
        rescored = 0
        for old in answers:
            if old.audio_missing:
                print(f"  {old.position}. audio missing; kept as it was")
                continue
            samples = store.load_audio(old)
            report = _analyse(samples, old.source, old.question.id, old.question.text, transcriber,
                              not args.no_filler_recovery, rubric=rescore_rubric(old),
                              target_from=parent_question_id(old))
            new = store.replace_answer(old, report)
            rescored += 1
            for line in describe_changes(old, new):
                print(f"  {old.position}. {line}")
        # The session keeps the engine, model and rubrics it was recorded with; each rescore is
        # noted beside them, so an export says which results came from what.
        entry = {"at": _now_iso(), "engine": transcriber.engine, "model": transcriber.model_name,
                 "rubric_version": _rubric_version(), "answers": rescored}
        store.update_session_settings(session.id, rescores=[*session.settings.get("rescores", []), entry])
    return 0


def rescore_rubric(old: AnswerRecord) -> str | None:
    """The rubric a rescore judges ``old`` by: the one stored with it, so the same audio gets the
    same judgement. Answers stored before the rubric was kept: a follow-up's is decided from what it
    asks (as it is now when asked), else the bank question's, else the one it was scored with.
    None (a rubric the bank no longer has, or nothing known) lets the scorer infer it."""
    from simulator.roleplay.followups import follow_up_rubric  # noqa: PLC0415
    from simulator.rubric.engine import default_bank  # noqa: PLC0415

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
    changed = [f"{k} {_num(before[k], 0)} → {_num(after[k], 0)}" for k in before if before[k] != after[k]]
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


def _now_iso() -> str:
    from simulator.store.writes import now_iso  # noqa: PLC0415

    return now_iso()


def _rubric_version() -> str:
    from simulator import __version__  # noqa: PLC0415

    return f"interview-sim {__version__}"


# --- export ---------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    with SessionStore.open() as store:
        session = store.get_session(args.session)
        answers = store.answers(session.id)
        db, audio = store.path.resolve(), store.root.resolve() / "audio"
        warn_damage(store)
    if args.output and args.output != "-":
        # Never overwrite the database (or its -wal/-shm, backups) or a recording with a report.
        target = Path(args.output).resolve()
        if (target.parent == db.parent and target.name.startswith(db.name)) or audio in target.parents:
            raise UsageError(f"{args.output} is part of the session store; write the report somewhere else")
    if args.format == "json":
        from simulator.report.session_json import session_to_dict  # noqa: PLC0415

        text = json.dumps(session_to_dict(session, answers), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "md":
        from simulator.report.markdown import render_markdown  # noqa: PLC0415

        text = render_markdown(session, answers)
    else:
        from simulator.report.html import render_html  # noqa: PLC0415

        text = render_html(session, answers)
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give a file name to write the report to")
    try:
        # The report holds the transcript (personal data): owner-only, like the store.
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(f"cannot write {out}: {e.strerror or e}") from e
    print(f"Wrote {out}")
    return 0


def warn_damage(store: SessionStore) -> None:
    """One line on stderr per damaged row the store skipped (the command still does the rest)."""
    for line in store.damaged:
        print(printable(f"interview-sim: warning: {line}"), file=sys.stderr)


# --- formatting -----------------------------------------------------------------------------------


def _when(iso: str) -> str:
    """A stored UTC time as the user's local ``YYYY-MM-DD HH:MM``."""
    from simulator.report.markdown import local_time  # noqa: PLC0415

    return local_time(iso)


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _answer_line(a: AnswerRecord) -> str:
    d, c = a.delivery, a.content
    if d is None:
        return f"  {a.position}. not scored"
    parts = [f"{d.wpm:.0f} wpm ({d.verdicts.pace})", f"{d.fillers.count} fillers ({d.fillers.per_minute:.1f}/min)",
             f"{d.duration_s:.0f} s"]
    if c is not None:
        parts.append(f"content {c.score}/100" if c.assessable else f"content: {c.reason}")
    return f"  {a.position}. " + ", ".join(parts)
