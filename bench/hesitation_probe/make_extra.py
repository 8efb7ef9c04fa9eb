"""Round 2 training data: my own answer texts (bench/hesitation_probe/texts.txt, one per line, '{U}' marks a slot) rendered
as minimal pairs with render.py's voices/rates/pitches and SSML:
  a: each slot a short run-in hesitation ("I uh checked"; every third text's second slot "um")
  b: the slots removed (plain text, no hesitation)
  c: each slot a comma ("I, checked": the word before it held, no hesitation)
Each text is spoken by two voices drawn from the spent sets' voice list (seeded), the same voice for a/b/c.
Writes /tmp/probe/extra/spec.json (the answers) and /tmp/probe/spans_extra.json (espeak event times).
Training data only: never evaluated.

Round 3 (stop 36): `make_extra.py --texts texts3.txt --tag extra3 --prefix y --seed 2027`, 24 more texts
(written by a helper that read no voice set), voices drawn also from heldout13's (spent at stop 36);
writes /tmp/probe/extra3/spec.json and adds its spans to /tmp/probe/spans_extra.json.

Round 4 (stop 37): `make_extra.py --texts texts4.txt --tag extra4 --prefix z --seed 2028`, 24 texts a
helper wrote to a brief that put the slots after short function words ("and {U} I", "the {U}") and at
some sentence starts, where the spent sets' missed hesitations fell; it read no voice set. Three words
render.py refuses ("right" twice, "okay") were replaced by hand. Same voices as round 3.
"""
import argparse
import json, random, re, sys
from pathlib import Path
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE)); sys.path.insert(0, str(ROOT / "tests/data/voices"))
import render, espeak_times as E  # noqa: E402

VOICES = sorted({"en-us", "en-gb", "en-us+f3", "en-gb-scotland+f2", "en-gb-x-rp+m7", "en-gb-x-gbclan+klatt2",
    "en-gb-x-gbcwmd+f4", "en-029+m2", "en-us-nyc+f5", "en-gb-scotland+m4", "en-us-nyc+m6", "en+Andrea", "en-us+m5",
    "en-gb-x-rp+steph", "en-029+m8", "en-us-nyc+Annie", "en-gb-x-gbclan+paul", "en-gb-scotland+belinda",
    "en-gb-x-gbcwmd+robert", "en+linda", "en-us+Mike", "en-gb-x-rp+Alicia", "en-029+aunty", "en-us-nyc+m1",
    "en-gb-x-gbclan+anika", "en-gb-scotland+Gene", "en+grandma", "en-us+quincy", "en-029+Denis", "en-us-nyc+Jacky",
    "en-gb-x-gbclan+travis", "en-gb-scotland+Michael", "en+steph2", "en-us+Alex", "en-gb-x-rp+rob", "en-029+max",
    "en-us-nyc+Nguyen", "en-gb-x-gbclan+pedro", "en-gb-scotland+Andy", "en+steph3", "en-029+Annie", "en-us+f4",
    "en-gb-x-gbclan+ed", "en+victor", "en-029+f5", "en-us-nyc+Mario", "en-gb-x-rp+f2", "en-gb-x-gbcwmd+david",
    "en+Marco", "en-us+sandro", "en-gb-scotland+anika", "en-us+Andrea", "en+miguel", "en-029+pablo", "en+boris",
    "en-us+Storm", "en-gb-x-rp+klatt5", "en-us-nyc+f2", "en-gb-x-gbcwmd+belinda", "en-us+m3", "en-gb+f1"})


def variant(text, v, n_text):
    parts = text.split(" {U} ")
    out = parts[0]
    for i, p in enumerate(parts[1:]):
        if v == "a":
            h = "um" if (n_text % 3 == 0 and i == 1) else "uh"
            out += f" {h} " + p
        elif v == "b":
            out += " " + p
        else:
            out += ", " + p
    return out


HELDOUT13_VOICES = ["en-us+f2", "en+Lee", "en-gb-x-rp+croak", "en-029+steph", "en-us-nyc+klatt",
                    "en-gb-x-gbclan+grandma", "en-gb-scotland+m2", "en-gb-x-gbcwmd+f5"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", default="texts.txt")
    ap.add_argument("--tag", default="extra")
    ap.add_argument("--prefix", default="x")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    voices = VOICES if args.tag == "extra" else sorted(set(VOICES) | set(HELDOUT13_VOICES))
    rng = random.Random(args.seed)
    texts = [l.strip() for l in (HERE / args.texts).read_text().splitlines() if l.strip()]
    answers = []
    for n, t in enumerate(texts):
        for k in range(2):
            voice = rng.choice(voices); rate = rng.randint(110, 220); pitch = rng.randint(20, 85)
            for v in "abc":
                txt = variant(t, v, n)
                w = render.spoken_words(txt)
                lab = {"um": render.count_phrase(w, "um"), "uh": render.count_phrase(w, "uh"), "like_filler": 0,
                       "you_know_filler": 0, "like_content": render.count_phrase(w, "like"),
                       "you_know_content": render.count_phrase(w, "you know")}
                a = {"id": f"{args.prefix}{n:02d}{'pq'[k]}{v}", "voice": voice, "rate": rate, "pitch": pitch, "text": txt, "labels": lab}
                prob = render.check_answer(a)
                assert not prob, (a["id"], prob)
                answers.append(a)
    od = Path("/tmp/probe") / args.tag; od.mkdir(parents=True, exist_ok=True)
    (od / "spec.json").write_text(json.dumps({"answers": answers}, indent=1))
    spans_file = Path("/tmp/probe/spans_extra.json")
    spans = json.loads(spans_file.read_text()) if spans_file.exists() else {}
    bad = 0
    for a in answers:
        s, same = E.spans_fresh(a)
        assert len(s) == a["labels"]["um"] + a["labels"]["uh"], a["id"]
        spans[f"{args.tag}/{a['id']}"] = s
        bad += not same
    spans_file.write_text(json.dumps(spans))
    print(len(answers), "answers;", bad, "differ from the CLI")


if __name__ == "__main__":
    main()
