"""Key-point matching: case-insensitive, on word boundaries, with a small suffix-stripping stemmer.

Used to score interview answers against a question's key points.
"""

import re

_TOKEN = re.compile(r"[a-z0-9]+")
# Longest first; (suffix, replacement). British and American spellings reduce alike.
_SUFFIXES = [
    ("isations", ""),
    ("izations", ""),
    ("isation", ""),
    ("ization", ""),
    ("ations", ""),
    ("ation", ""),
    ("isers", ""),
    ("izers", ""),
    ("iser", ""),
    ("izer", ""),
    ("ising", ""),
    ("izing", ""),
    ("ised", ""),
    ("ized", ""),
    ("ises", ""),
    ("izes", ""),
    ("ise", ""),
    ("ize", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ness", ""),
    ("ment", ""),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
]


def stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix):
            base = word[: len(word) - len(suffix)]
            if len(base) < 3:
                continue
            if suffix == "s" and base[-1] in "suia":
                continue
            if suffix == "ly" and len(word) <= 5:
                continue
            word = base + repl
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz" and word[-1].isalpha():
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    return [stem(t) for t in _TOKEN.findall(text.lower())]


def phrase_in(phrase: str, text_stems: list[str]) -> bool:
    p = stems(phrase)
    if not p:
        return False
    n = len(p)
    return any(text_stems[i : i + n] == p for i in range(len(text_stems) - n + 1))


def covered_points(answer: str, key_points) -> list[int]:
    """Ids of the key points whose keywords (any one of them) occur in the answer."""
    answer_stems = stems(answer)
    return [kp.pk for kp in key_points if any(phrase_in(keyword, answer_stems) for keyword in kp.keywords)]
