"""Write simulator/rubric/data/verb_forms.json: every inflected English verb form and its base form.

The table is made from lemminflect's dictionary (MIT): each lowercase word it knows as a verb (or an
auxiliary) whose lemma differs from the word, with that lemma ("rang": "ring", "was": "be"), the
package's own overrides applied. simulator/rubric/tense.py reads the table instead of importing
lemminflect, whose dictionary of every word and part of speech adds about 35 MB to the app and 0.3 s
to its load; the table is about 21,000 entries, 0.4 MB on disk, 3 MB in memory.

Run after a lemminflect upgrade: ``python scripts/verb_forms.py`` (lemminflect is a test-only
dependency); ``tests/unit/test_tense.py`` checks that the shipped table is what it gives.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "simulator" / "rubric" / "data" / "verb_forms.json"
_WORD = re.compile(r"[a-z]+")


def verb_forms() -> dict[str, str]:
    from lemminflect import getAllLemmas  # noqa: PLC0415 - only here, never at run time
    from lemminflect.core.Lemmatizer import Lemmatizer  # noqa: PLC0415

    getAllLemmas("rang")  # loads the dictionary
    words = set(Lemmatizer().lemma_dict) | set(Lemmatizer()._getOverridesDict())
    table = {}
    for word in sorted(w for w in words if _WORD.fullmatch(w)):
        found = getAllLemmas(word)
        verb = found.get("VERB") or found.get("AUX")
        if verb and verb[0] != word:
            table[word] = verb[0]
    return table


def main() -> int:
    table = verb_forms()
    OUT.write_text(json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(table)} verb forms -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
