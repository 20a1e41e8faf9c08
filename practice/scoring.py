"""The automatic hint on a free-text interview answer: a score from 0 to 1 and the evidence behind it.

One entry point, `score_answer(question, text)`. It never claims more than it can show: each key point is
covered, not covered or possibly contradicted, with the sentence of the answer that decided it, and a sentence
that says what one of the question's wrong multiple-choice options says is flagged as a likely misconception.

Signals (docs/scoring.md measures each on the graded set in tests/data/):
- keywords: each key point's words and synonyms, on word boundaries with light plural and -ing/-ed stemming
  that keeps unrelated words apart (generalisation is not "general", bagging is not "bag"), numbers compared as
  numbers, and a negation cue (not, no, never, without, ...) shortly before a match making it a contradiction;
- similarity: sentence embeddings (practice.embeddings, all-MiniLM-L6-v2 on the CPU) of the answer's sentences
  against each key point and against the model answer's sentences;
- misconceptions: an answer sentence closer to a wrong option (embedded with its explanation) than to the
  correct option and to every sentence of the model answer.
The bank's side (key points, options, model-answer sentences) is embedded once per question and version
(`updated_at`) and kept in the cache; an answer costs only its own sentences.
"""

import re
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache

from questions.search import spell

from . import embeddings

# Weights and thresholds, chosen on tests/data/graded_answers.jsonl (see docs/scoring.md).
PARAMS = {
    "keyword_weight": 0.4,
    "similarity_weight": 0.45,
    "answer_weight": 0.25,
    "contradiction_penalty": 0.5,
    "misconception_penalty": 0.4,
    "covered_similarity": 0.62,  # a key point counts as covered by meaning at this cosine similarity
    "similarity_floor": 0.25,  # below this a sentence says nothing about a key point
    "similarity_ceiling": 0.75,
    "misconception_similarity": 0.5,
    "misconception_margin": 0.02,
}
NEGATION_CUES = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nor",
        "neither",
        "without",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "wont",
        "shouldnt",
        "hardly",
        "rarely",
        "instead",
    ]
)
NEGATION_WINDOW = 4  # words before a match in which a cue negates it
EMBEDDING_FORMAT = 1  # part of the cache key: bump when the embedded texts change shape
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+|\s+-\s+|^\s*[-*]\s+", re.M)
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)?%?|[=<>*/^+-]")
# Typographic apostrophe, multiplication and minus signs, as typed on a keyboard.
_PLAIN = str.maketrans({"\u2019": "'", "\u00d7": "*", "\u2212": "-"})
_local_vectors: dict = {}


class Status:
    COVERED = "covered"
    MISSING = "missing"
    CONTRADICTED = "contradicted"


@dataclass
class PointEvidence:
    point_id: int
    text: str
    status: str
    sentence: str = ""  # the answer's sentence that decided it
    by: str = ""  # "keywords" or "meaning"


@dataclass
class Misconception:
    choice_id: int
    text: str  # the wrong option the sentence resembles
    explanation: str  # why it is wrong
    sentence: str


@dataclass
class ScoreResult:
    score: float
    key_points: list[PointEvidence] = field(default_factory=list)
    misconceptions: list[Misconception] = field(default_factory=list)
    signals: dict = field(default_factory=dict)

    @property
    def covered_ids(self) -> list[int]:
        return [p.point_id for p in self.key_points if p.status == Status.COVERED]

    @property
    def coverage(self) -> float:
        return len(self.covered_ids) / len(self.key_points) if self.key_points else 0.0

    def as_json(self) -> dict:
        return {
            "score": round(self.score, 4),
            "key_points": [
                {"id": p.point_id, "point": p.text, "status": p.status, "sentence": p.sentence, "by": p.by}
                for p in self.key_points
            ],
            "misconceptions": [
                {"choice": m.choice_id, "misconception": m.text, "why": m.explanation, "sentence": m.sentence}
                for m in self.misconceptions
            ],
        }


# ---------------------------------------------------------------- text


def sentences(text: str) -> list[str]:
    parts = (p.strip(" \t-*•") for p in _SENTENCE.split(text or ""))
    return [p for p in parts if len(re.findall(r"[A-Za-z0-9]", p)) >= 3]


def _stem(word: str) -> str:
    """Plurals, -ing and -ed only: enough for "gradients" or "normalising", not enough to make words collide."""
    word = spell(word)
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            base = word[: -len(suffix)]
            if suffix == "ies":
                return base + "y"
            if suffix in ("ing", "ed") and len(base) >= 2 and base[-1] == base[-2]:
                return base  # "bagging" -> "bagg": never "bag"
            word = base
            break
    # "normalize", "normalized" and "normalizes" alike.
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _number(token: str) -> str | None:
    try:
        return repr(float(token.rstrip("%").replace(",", ""))) + ("%" if token.endswith("%") else "")
    except ValueError:
        return None


def _tokens(text: str) -> list[str]:
    out = []
    for token in _TOKEN.findall(text.lower().translate(_PLAIN)):
        number = _number(token) if token[0].isdigit() else None
        out.append(number or _stem(token.replace("'", "")))
    return out


def _find(phrase: list[str], words: list[str]) -> list[int]:
    n = len(phrase)
    return [i for i in range(len(words) - n + 1) if words[i : i + n] == phrase] if n else []


def _negated(words: list[str], start: int) -> bool:
    return any(w in NEGATION_CUES for w in words[max(0, start - NEGATION_WINDOW) : start])


def keyword_status(keywords: list[str], answer_sentences: list[str]) -> tuple[str, str]:
    """(status, sentence) of one key point by its keywords: covered, contradicted (only negated matches) or missing."""
    negated_in = ""
    for sentence in answer_sentences:
        words = _tokens(sentence)
        for keyword in keywords:
            for start in _find(_tokens(str(keyword)), words):
                if not _negated(words, start):
                    return Status.COVERED, sentence
                negated_in = negated_in or sentence
    return (Status.CONTRADICTED, negated_in) if negated_in else (Status.MISSING, "")


def _has_negation(sentence: str) -> bool:
    return any(w in NEGATION_CUES for w in _tokens(sentence))


# ---------------------------------------------------------------- the bank's side, embedded once


@dataclass
class QuestionVectors:
    points: np.ndarray  # one row per key point (text and keywords)
    answer: np.ndarray  # one row per sentence of the model answer
    correct: np.ndarray  # the correct option with its explanation (1 row, or 0)
    wrong: np.ndarray  # each wrong option with its explanation
    wrong_choices: list  # (id, text, explanation) of the rows of `wrong`


def _bank_texts(question, key_points, choices) -> tuple[list[str], list[str], list, list]:
    points = [f"{kp.text}. {', '.join(map(str, kp.keywords or []))}" for kp in key_points]
    answer = sentences(re.sub(r"\$+[^$]*\$+", " ", question.answer)) or [question.prompt]
    correct = [f"{c.text}. {c.explanation}" for c in choices if c.is_correct]
    wrong = [(c.pk, c.text, c.explanation) for c in choices if not c.is_correct]
    return points, answer, correct, wrong


def question_vectors(question, key_points, choices) -> QuestionVectors:
    key = f"scoring:v{EMBEDDING_FORMAT}:{question.pk}:{question.updated_at.timestamp() if question.updated_at else 0}"
    if key in _local_vectors:
        return _local_vectors[key]
    stored = cache.get(key)
    points, answer, correct, wrong = _bank_texts(question, key_points, choices)
    if stored is None or len(stored[0]) != len(points):
        texts = points + answer + correct + [f"{text}. {why}" for _, text, why in wrong]
        matrix = embeddings.encode(texts).astype(np.float16)
        stored = (
            matrix[: len(points)],
            matrix[len(points) : len(points) + len(answer)],
            matrix[len(points) + len(answer) :],
        )
        cache.set(key, stored, None)
    rest = stored[2].astype(np.float32)
    vectors = QuestionVectors(
        points=stored[0].astype(np.float32),
        answer=stored[1].astype(np.float32),
        correct=rest[: len(correct)],
        wrong=rest[len(correct) :],
        wrong_choices=wrong,
    )
    _local_vectors[key] = vectors
    return vectors


# ---------------------------------------------------------------- scoring

_SAID_CACHE_SIZE = 4096
_said: dict[str, np.ndarray] = {}


def _encode(texts: list[str]) -> np.ndarray:
    """Embeddings of answer sentences, remembered a while (a re-score, the ablations) by the sentence itself."""
    missing = [t for t in dict.fromkeys(texts) if t not in _said]
    if missing:
        if len(_said) + len(missing) > _SAID_CACHE_SIZE:
            _said.clear()
        _said.update(zip(missing, embeddings.encode(missing), strict=True))
    return np.vstack([_said[t] for t in texts])


def prepare(texts: list[str]) -> None:
    """Embed the sentences of several answers in one batch (an interview's finish): one large product per layer
    costs far less than one small one per answer."""
    _encode([s for text in texts for s in sentences(text)] or ["-"])


def _scale(similarity: float, params: dict) -> float:
    low, high = params["similarity_floor"], params["similarity_ceiling"]
    return float(np.clip((similarity - low) / (high - low), 0.0, 1.0))


def score_answer(question, text: str, *, key_points=None, choices=None, params: dict | None = None) -> ScoreResult:
    """The hint for one answer. key_points and choices default to the question's own (pass them when prefetched)."""
    params = {**PARAMS, **(params or {})}
    key_points = list(question.key_points.all()) if key_points is None else list(key_points)
    choices = list(question.choices.all()) if choices is None else list(choices)
    answer_sentences = sentences(text)
    if not answer_sentences:
        return ScoreResult(0.0, [PointEvidence(kp.pk, kp.text, Status.MISSING) for kp in key_points])
    use_similarity = params["similarity_weight"] > 0 or params["answer_weight"] > 0
    use_misconceptions = params["misconception_penalty"] > 0
    vectors = question_vectors(question, key_points, choices) if use_similarity or use_misconceptions else None
    said = _encode(answer_sentences) if vectors is not None else None

    evidence, keyword_part, meaning_part, contradicted = [], 0.0, 0.0, 0
    for n, kp in enumerate(key_points):
        status, sentence = keyword_status(kp.keywords or [], answer_sentences)
        by = "keywords" if status != Status.MISSING else ""
        if said is not None:
            sims = said @ vectors.points[n]
            best = int(np.argmax(sims))
            meaning_part += _scale(float(sims[best]), params)
            if status == Status.MISSING and sims[best] >= params["covered_similarity"]:
                negative = _has_negation(answer_sentences[best])
                status = Status.CONTRADICTED if negative else Status.COVERED
                sentence, by = answer_sentences[best], "meaning"
        keyword_part += status == Status.COVERED
        contradicted += status == Status.CONTRADICTED
        evidence.append(PointEvidence(kp.pk, kp.text, status, sentence, by))
    count = max(len(key_points), 1)
    keyword_part = max(0.0, keyword_part - params["contradiction_penalty"] * contradicted) / count
    meaning_part /= count

    answer_part, flags, misconception_part = 0.0, [], 0.0
    if said is not None and len(vectors.answer):
        # How much of the model answer the candidate said: each model sentence's best match, averaged.
        answer_part = float(np.mean([_scale(float(s), params) for s in (vectors.answer @ said.T).max(axis=1)]))
    if said is not None and use_misconceptions and len(vectors.wrong):
        right = vectors.answer if not len(vectors.correct) else np.vstack([vectors.answer, vectors.correct])
        closest_right = (said @ right.T).max(axis=1)
        wrong_sims = said @ vectors.wrong.T
        for s, sentence in enumerate(answer_sentences):
            w = int(np.argmax(wrong_sims[s]))
            margin = float(wrong_sims[s, w] - closest_right[s])
            if wrong_sims[s, w] >= params["misconception_similarity"] and margin >= params["misconception_margin"]:
                choice_id, choice_text, why = vectors.wrong_choices[w]
                if all(f.choice_id != choice_id for f in flags):
                    flags.append(Misconception(choice_id, choice_text, why, sentence))
                misconception_part = max(misconception_part, min(1.0, margin * 10))
    total = params["keyword_weight"] + params["similarity_weight"] + params["answer_weight"]
    score = (
        params["keyword_weight"] * keyword_part
        + params["similarity_weight"] * meaning_part
        + params["answer_weight"] * answer_part
    ) / (total or 1.0)
    # A likely misconception scales the hint down rather than to zero: the rest of the answer still counts.
    score *= 1.0 - params["misconception_penalty"] * misconception_part
    signals = {
        "keywords": keyword_part,
        "meaning": meaning_part,
        "model_answer": answer_part,
        "misconception": misconception_part,
    }
    return ScoreResult(float(np.clip(score, 0.0, 1.0)), evidence, flags, signals)
