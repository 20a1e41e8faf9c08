"""Content checks and edits of fixtures/bank.json (a helper for the issue 16 rewrite; no Django needed).

    python scripts/bank_content.py figures            MCQ figures over the whole bank
    python scripts/bank_content.py check              lists, maths, raw HTML, lengths: one line per problem
    python scripts/bank_content.py apply EDITS.py     apply the EDITS dict of an edits module, then check

An edits module defines EDITS = {pk: {...}} with any of: "prompt", "answer", "difficulty", "replace"
(a list of (old, new) string replacements in the answer, every occurrence), "math" ({code: latex}: every
`code` span of the answer becomes $latex$), "choice_sub" ((n, old, new) replacements in choice n's text, n from 0
in pk order), "set_choice" ({n: (text or None, explanation or None)}), "choices" (four (text, is_correct, explanation)
triples, which replace the question's choices in place, keeping their pks) and "key_points" (a list of
(text, [keywords]) pairs, keeping pks in order; extra ones are dropped, missing ones get new pks).
The file is written back with json.dumps(indent=1, ensure_ascii=False), so the diff touches only the edited records.
"""

import importlib.util
import json
import re
import statistics
import sys
from pathlib import Path

BANK = Path(__file__).resolve().parent.parent / "fixtures" / "bank.json"
ABSOLUTE = re.compile(
    r"\b(always|never|only|exactly|all|none|every|must|cannot|impossible|guarantees|guaranteed|completely|entirely)\b",
    re.IGNORECASE,
)


# Characters that mark maths written as Unicode (superscripts, sums, arrows, Greek letters, minus and times signs).
MATH_CHARS = re.compile(
    "[=\u00b2\u00b3\u221a\u2211\u03a3\u2202\u2207\u2299\u03c3\u03bc"
    "\u2248\u2264\u2265\u00b7\u00d7\u2212\u2192\u2190\u2208]"
)


def load() -> list:
    return json.loads(BANK.read_text(encoding="utf-8"))


def save(data: list) -> None:
    BANK.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def by_question(data: list, model: str) -> dict[int, list[dict]]:
    result: dict[int, list[dict]] = {}
    for r in data:
        if r["model"] == model:
            result.setdefault(r["fields"]["question"], []).append(r)
    for rows in result.values():
        rows.sort(key=lambda r: r["pk"])
    return result


def figures(data: list) -> dict:
    choices = by_question(data, "questions.choice")
    longest = 0
    ranks = [0, 0, 0, 0]  # how many choices are strictly longer than the correct one: 0, 1, 2 or 3
    ratios = []
    abs_correct = [0, 0]
    abs_wrong = [0, 0]
    for rows in choices.values():
        correct = [len(c["fields"]["text"]) for c in rows if c["fields"]["is_correct"]]
        wrong = [len(c["fields"]["text"]) for c in rows if not c["fields"]["is_correct"]]
        if correct and all(correct[0] >= w for w in wrong):
            longest += 1
        lengths = [len(c["fields"]["text"]) for c in rows]
        correct_length = correct[0] if correct else 0
        ranks[sum(length > correct_length for length in lengths)] += 1
        ratios.append(max(lengths) / max(1, min(lengths)))
        for c in rows:
            bucket = abs_correct if c["fields"]["is_correct"] else abs_wrong
            bucket[0] += bool(ABSOLUTE.search(c["fields"]["text"]))
            bucket[1] += 1
    return {
        "questions": len(choices),
        "longest_correct_share": round(longest / len(choices), 3),
        "absolute_rate_correct": round(abs_correct[0] / abs_correct[1], 3),
        "absolute_rate_wrong": round(abs_wrong[0] / abs_wrong[1], 3),
        "length_ratio_median": round(statistics.median(ratios), 2),
        "length_ratio_max": round(max(ratios), 2),
        "choices_longer_than_correct": ranks,
    }


def _math_spans(text: str) -> list[str]:
    """The LaTeX of every $...$ and $$...$$ span (outside code), in the dollarmath plugin's reading."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True)
    spans = []

    def walk(tokens):
        for t in tokens:
            if t.type in ("math_inline", "math_block", "math_inline_double", "math_block_label"):
                spans.append(t.content)
            if t.children:
                walk(t.children)

    walk(md.parse(text))
    return spans


def problems_of(text: str, where: str) -> list[str]:
    from latex2mathml.converter import convert

    out = []
    lines = text.split("\n")
    in_fence = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if re.match(r"^\s*([-*+]|\d+[.)])\s", line) and i > 0:
            prev = lines[i - 1]
            if prev.strip() and not re.match(r"^\s*([-*+]|\d+[.)])\s", prev) and not prev.startswith("  "):
                out.append(f"{where}: a list follows line {i} without a blank line: {prev[:50]!r}")
        prose = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", "", line)
        if re.search(r"\S\s+- \S.*\s- \S", prose) and not line.lstrip().startswith("-"):
            out.append(f"{where}: list markers inside a paragraph: {line[:60]!r}")
    if re.search(r"<[a-zA-Z/][^>]*>", re.sub(r"`[^`]*`|\$[^$]*\$", "", text)):
        out.append(f"{where}: raw HTML?")
    stripped = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.S)
    if (stripped.replace("\\$", "").count("$")) % 2:
        out.append(f"{where}: unbalanced $")
    for span in _math_spans(text):
        try:
            convert(span)
        except Exception as exc:  # latex2mathml raises several exception types
            out.append(f"{where}: maths {span!r} does not convert: {exc}")
    for code in re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S)):
        if MATH_CHARS.search(code) and not re.search(r"[a-z_]+\(|--|\.py|^[\w.]+=[\w.]+$", code):
            out.append(f"{where}: maths in backticks? `{code}`")
    return out


def check(data: list) -> list[str]:
    out = []
    choices = by_question(data, "questions.choice")
    for r in data:
        if r["model"] != "questions.question":
            continue
        pk = r["pk"]
        out += problems_of(r["fields"]["answer"], f"Q{pk} answer")
        out += problems_of(r["fields"]["prompt"], f"Q{pk} prompt")
        for c in choices.get(pk, []):
            if len(c["fields"]["text"]) > 300:
                out.append(f"Q{pk} choice {c['pk']}: {len(c['fields']['text'])} characters")
            out += problems_of(c["fields"]["text"], f"Q{pk} choice {c['pk']}")
            out += problems_of(c["fields"]["explanation"], f"Q{pk} explanation {c['pk']}")
    return out


def apply(data: list, edits: dict) -> None:
    questions = {r["pk"]: r for r in data if r["model"] == "questions.question"}
    choices = by_question(data, "questions.choice")
    points = by_question(data, "questions.keypoint")
    next_kp = max(r["pk"] for r in data if r["model"] == "questions.keypoint") + 1
    for pk, edit in edits.items():
        f = questions[pk]["fields"]
        for key in ("prompt", "answer", "difficulty"):
            if key in edit:
                f[key] = edit[key]
        for old, new in edit.get("replace", []):
            if old not in f["answer"]:
                raise SystemExit(f"Q{pk}: {old!r} is not in the answer")
            f["answer"] = f["answer"].replace(old, new)
        for code, latex in edit.get("math", {}).items():
            old = f"`{code}`"
            if old not in f["answer"]:
                raise SystemExit(f"Q{pk}: {old!r} is not in the answer")
            f["answer"] = f["answer"].replace(old, f"${latex}$")
        for n, old, new in edit.get("choice_sub", []):
            text = choices[pk][n]["fields"]["text"]
            if old not in text:
                raise SystemExit(f"Q{pk} choice {n}: {old!r} is not in {text!r}")
            choices[pk][n]["fields"]["text"] = text.replace(old, new)
        if "choices" in edit:
            rows = choices[pk]
            assert len(edit["choices"]) == len(rows) == 4, pk
            for row, (text, correct, explanation) in zip(rows, edit["choices"], strict=True):
                row["fields"].update(text=text, is_correct=correct, explanation=explanation)
        for n, (text, explanation) in edit.get("set_choice", {}).items():
            if text is not None:
                choices[pk][n]["fields"]["text"] = text
            if explanation is not None:
                choices[pk][n]["fields"]["explanation"] = explanation
        if "key_points" in edit:
            rows = points.get(pk, [])
            new = edit["key_points"]
            for row, (text, keywords) in zip(rows, new, strict=False):
                row["fields"].update(text=text, keywords=keywords)
            for row in rows[len(new) :]:
                data.remove(row)
            last = data.index(rows[min(len(rows), len(new)) - 1]) if rows else len(data) - 1
            for text, keywords in new[len(rows) :]:
                last += 1
                data.insert(
                    last,
                    {
                        "model": "questions.keypoint",
                        "pk": next_kp,
                        "fields": {"question": pk, "text": text, "keywords": keywords},
                    },
                )
                next_kp += 1


def main(argv: list[str]) -> int:
    data = load()
    if argv[:1] == ["apply"]:
        spec = importlib.util.spec_from_file_location("edits", argv[1])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        apply(data, module.EDITS)
        save(data)
        argv = ["check"]
    if argv[:1] == ["figures"]:
        print(json.dumps(figures(data), indent=1))
        return 0
    problems = check(data)
    print("\n".join(problems))
    print(f"{len(problems)} problem(s)", json.dumps(figures(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
