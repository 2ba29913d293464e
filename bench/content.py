"""Time ``content check`` on hostile module files, each in a fresh process.

    .venv/bin/python bench/content.py [CASE ...]

Each case is one module file built to sit just under the limits of
``awareness.content.limits`` (the worst that check still parses), or far over
them (refused before parsing). Each runs ``load_content`` on a copy of the test
content plus that file in a new process and prints the wall time and the
process's peak RSS. The shipped ``content/`` folder is timed first for scale.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from awareness.content.limits import MAX_FILE_BYTES, MAX_PARAGRAPH_CHARS  # noqa: E402

FRONT = "---\ntitle: T\naudience: all\n---\n\n"
PARAGRAPH = MAX_PARAGRAPH_CHARS - 200


def _fill(unit: str) -> str:
    """Paragraphs of ``unit`` repeated, each just under the paragraph limit, filling the file."""
    paragraph = (unit * (PARAGRAPH // len(unit) + 1))[:PARAGRAPH]
    count = (MAX_FILE_BYTES - 200) // (len(paragraph) + 2)
    return FRONT + "\n\n".join([paragraph] * count) + "\n"


def _quiz(question: str, count: int) -> str:
    return FRONT + "Lesson.\n\n## Quiz\n\n" + "\n\n".join([question] * count) + "\n"


CASES = {
    # Just under the limits: parsed in full.
    "smart-quotes": lambda: _fill("'\""),
    "emphasis": lambda: _fill("*a_"),
    "links": lambda: _fill("[a](b) "),
    "code-spans": lambda: _fill("`a` "),
    "tags": lambda: _fill("<a>"),
    "brackets-32-deep": lambda: _fill("[" * 32 + "a" + "]" * 32 + " "),
    "small-paragraphs": lambda: FRONT + "\n\n".join(["[a](b) *c* `d`"] * (MAX_FILE_BYTES // 18)),
    "questions": lambda: _quiz("### q\n\n- [x] a\n- [ ] b\n\n> e", MAX_FILE_BYTES // 30),
    "table": lambda: _fill("|a|b|\n|-|-|\n" + "|*a*|[b](c)|\n" * 2000),
    # Far over them: refused before parsing (these took minutes before the limits).
    "50000-open-brackets": lambda: FRONT + "[" * 50_000 + "\n",
    "10000-nested-quotes": lambda: FRONT + "> " * 10_000 + "a\n",
    "10000-nested-lists": lambda: FRONT + "- " * 10_000 + "a\n",
    "100-MB-file": None,  # written sparse below
}


def run_case(name: str) -> None:
    """Child process: build the folder, time load_content, print seconds, MB and problems."""
    from awareness.content.parser import load_content

    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary) / "content"
        if name == "shipped-content":
            shutil.copytree(ROOT / "content", directory)
        else:
            shutil.copytree(ROOT / "tests" / "data" / "content", directory)
            target = directory / "modules" / "hostile.md"
            if CASES[name] is None:
                with open(target, "wb") as file:
                    file.truncate(100 * 1024 * 1024)
            else:
                target.write_text(CASES[name](), encoding="utf-8")
        start = time.perf_counter()
        tree = load_content(directory)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    first = str(tree.problems[0]) if tree.problems else "no problems"
    print(f"{seconds:.2f}\t{peak}\t{len(tree.problems)}\t{first[:90]}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        run_case(sys.argv[2])
        return
    names = sys.argv[1:] or ["shipped-content", *CASES]
    print(f"{'case':24} {'seconds':>8} {'peak MB':>8}  problems")
    for name in names:
        output = subprocess.run(
            [sys.executable, __file__, "--case", name], capture_output=True, text=True, check=True
        ).stdout.strip()
        seconds, peak, count, first = output.split("\t")
        print(f"{name:24} {seconds:>8} {peak:>8}  {count}: {first}")


if __name__ == "__main__":
    main()
