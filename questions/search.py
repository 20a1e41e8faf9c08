"""Ranked full-text search of the bank, the same on PostgreSQL and SQLite; views never see which runs.

Each question has a SearchDocument: its prompt (weight A), key points with their keywords (B) and model answer
(C), normalised by the rules of questions.search_terms (British and American spellings to one key, abbreviations
followed by their key). PostgreSQL indexes the document in a generated, GIN-indexed tsvector column; SQLite in
an FTS5 table kept in step by triggers (both created by migration 0002). Queries go through the same
normalisation, so "regularization", "BN" or "batchnorm" find what the bank spells "regularisation" and
"batch normalisation".

A query with no result is retried once with close words from the indexed vocabulary (SearchTerm: pg_trgm
similarity on PostgreSQL, rapidfuzz on SQLite), or with any of its words when it has several. A search is at
most three queries: the search, the vocabulary, the retry.
"""

import html
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz, process

from .models import KeyPoint, Question, SearchDocument, SearchTerm
from .search_terms import SPELLING_RULES, SPELLING_WORDS, STOP_WORDS, TERM_GROUPS

_WORD = re.compile(r"[A-Za-z0-9]+")
_MATHS = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
MAX_QUERY_TERMS = 12
SNIPPET_WORDS = 30
FTS_TABLE = "questions_search_fts"


def spell(word: str) -> str:
    """The spelling key of one word: lower case, British spellings mapped to American ones."""
    word = word.lower()
    if word in SPELLING_WORDS:
        return SPELLING_WORDS[word]
    for pattern, replacement in SPELLING_RULES:
        if pattern.match(word):
            return pattern.sub(replacement, word)
    return word


def _variant_words(phrase: str) -> tuple[str, ...]:
    return tuple(spell(w) for w in _WORD.findall(phrase))


# First word -> [(words of a variant, the group's key)], longest variants first.
_VARIANTS: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _group in TERM_GROUPS:
    for _variant in _group:
        _words = _variant_words(_variant)
        _VARIANTS.setdefault(_words[0], []).append((_words, _group[0]))
for _entries in _VARIANTS.values():
    _entries.sort(key=lambda entry: -len(entry[0]))
GROUP_VARIANTS: dict[str, list[tuple[str, ...]]] = {}
for _group in TERM_GROUPS:
    GROUP_VARIANTS[_group[0]] = [_variant_words(v) for v in _group]


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, spelling key) of every word of the text."""
    return [(m.start(), m.end(), spell(m.group())) for m in _WORD.finditer(text)]


def _word_matches(token: str, word: str, last: bool) -> bool:
    return token == word or (last and token == word + "s")


def _groups(words: list[str]) -> list[tuple[int, int, str]]:
    """Spans (first, last + 1, key) of the abbreviation groups found in a sequence of spelling keys."""
    spans, i = [], 0
    while i < len(words):
        for variant, key in [*_VARIANTS.get(words[i], ()), *_VARIANTS.get(words[i][:-1], ())]:
            n = len(variant)
            if i + n <= len(words) and all(_word_matches(words[i + k], variant[k], k == n - 1) for k in range(n)):
                spans.append((i, i + n, key))
                i += n
                break
        else:
            i += 1
    return spans


def document_text(text: str) -> str:
    """Indexed form of a text: its spelling keys, each abbreviation group followed by the group's key."""
    words = [w for _, _, w in _tokens(_MATHS.sub(" ", text))]
    after: dict[int, str] = {}
    for _first, last, key in _groups(words):
        after[last - 1] = key
    out = []
    for n, word in enumerate(words):
        out.append(word)
        if n in after and after[n] != word:
            out.append(after[n])
    return " ".join(out)


def query_terms(text: str) -> list[str]:
    """The words a query searches for: spelling keys, groups replaced by their key, stop words dropped."""
    words = [w for _, _, w in _tokens(text)]
    spans = {first: (last, key) for first, last, key in _groups(words)}
    terms, i = [], 0
    while i < len(words):
        if i in spans:
            last, key = spans[i]
            terms.append(key)
            i = last
            continue
        if words[i] not in STOP_WORDS:
            terms.append(words[i])
        i += 1
    return list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]


# ---------------------------------------------------------------- the index


def vocabulary(*texts: str) -> set[str]:
    """The words of these texts that a typo can be corrected to."""
    texts = tuple(_MATHS.sub(" ", t) for t in texts)
    return {w.lower() for text in texts for w in _WORD.findall(text) if 3 <= len(w) <= 60 and w.isalpha()}


def key_point_text(key_points) -> str:
    return " ".join(f"{kp.text} {' '.join(map(str, kp.keywords or []))}" for kp in key_points)


def refresh(question_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these questions (deleted ones lose theirs) and extend the vocabulary."""
    ids = set(question_ids)
    if not ids:
        return
    questions = Question.objects.filter(pk__in=ids).prefetch_related("key_points")
    documents, words = [], set()
    for question in questions:
        points = key_point_text(question.key_points.all())
        documents.append(
            SearchDocument(
                question_id=question.pk,
                prompt=document_text(question.prompt),
                key_points=document_text(points),
                answer=document_text(question.answer),
            )
        )
        words |= vocabulary(question.prompt, points, question.answer)
    SearchDocument.objects.filter(question_id__in=ids - {d.question_id for d in documents}).delete()
    SearchDocument.objects.bulk_create(
        documents, update_conflicts=True, unique_fields=["question"], update_fields=["prompt", "key_points", "answer"]
    )
    SearchTerm.objects.bulk_create([SearchTerm(word=w) for w in sorted(words)], ignore_conflicts=True)


def rebuild() -> int:
    """The whole index and vocabulary anew (after a bulk change); returns the number of documents."""
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        SearchDocument.objects.all().delete()
        refresh(Question.objects.values_list("pk", flat=True))
    return SearchDocument.objects.count()


_local = threading.local()


def _refresh_pending() -> None:
    ids = getattr(_local, "pending", set())
    _local.pending = set()
    refresh(ids)


def schedule_refresh(question_id: int, *, now: bool) -> None:
    """Refresh one question's document, now or once when the transaction commits.

    Fixture records (loaddata, the admin's bank import) arrive raw and in model order, so a question's key
    points come after it; a key point's delete may be part of its question's: those wait for the commit and
    are then handled together.
    """
    if now:
        refresh([question_id])
        return
    if not hasattr(_local, "pending"):
        _local.pending = set()
    _local.pending.add(question_id)
    # One callback per call: the first to run refreshes them all, the others find nothing left. (One per
    # transaction would be lost with a rolled-back transaction, and the ids would wait for ever.)
    transaction.on_commit(_refresh_pending)


def connect_index() -> None:
    from django.db.models.signals import post_delete, post_save

    def question_saved(sender, instance, raw=False, **kwargs):
        schedule_refresh(instance.pk, now=not raw)

    def key_point_saved(sender, instance, raw=False, **kwargs):
        schedule_refresh(instance.question_id, now=not raw)

    def key_point_deleted(sender, instance, **kwargs):
        schedule_refresh(instance.question_id, now=False)

    post_save.connect(question_saved, sender=Question, dispatch_uid="search-question-saved", weak=False)
    post_save.connect(key_point_saved, sender=KeyPoint, dispatch_uid="search-keypoint-saved", weak=False)
    post_delete.connect(key_point_deleted, sender=KeyPoint, dispatch_uid="search-keypoint-deleted", weak=False)


# ---------------------------------------------------------------- searching


@dataclass
class SearchResults:
    questions: list  # Question instances, best first, each with `tag_ids` and `snippet`
    terms: list[str]
    corrected: str = ""  # the query actually searched, when close words replaced the typed ones
    any_words: bool = False  # no question had every word: these have some of them
    problems: list[str] = field(default_factory=list)


def _tag_ids_sql(alias: str) -> str:
    through = Question.tags.through._meta.db_table
    if connection.vendor == "postgresql":
        return f"array_to_string(ARRAY(SELECT t.tag_id FROM {through} t WHERE t.question_id = {alias}.id), ',')"  # noqa: S608
    return f"(SELECT group_concat(t.tag_id) FROM {through} t WHERE t.question_id = {alias}.id)"  # noqa: S608


def _run(candidates: QuerySet, terms: list[str], *, any_word: bool) -> list:
    """One query: the candidates matching the terms, best first, with what the result list shows.

    The SQL is built from the models' table names and the ORM's own SQL of the candidates; every value (the
    terms, the filters) is a parameter. The terms are words of letters and digits only (query_terms).
    """
    sub_sql, sub_params = candidates.values("pk").query.sql_with_params()
    table = Question._meta.db_table
    columns = f"q.id, q.prompt, q.difficulty, q.answer, {_tag_ids_sql('q')} AS tag_ids"
    if connection.vendor == "postgresql":
        operator = " | " if any_word else " & "
        sql = (
            f"SELECT {columns}, ts_rank(d.document, query) AS rank "  # noqa: S608
            f"FROM {SearchDocument._meta.db_table} d JOIN {table} q ON q.id = d.question_id, "
            f"to_tsquery('english', %s) query "
            f"WHERE d.document @@ query AND q.id IN ({sub_sql}) ORDER BY rank DESC, q.id"
        )
        params = [operator.join(terms), *sub_params]
    else:
        operator = " OR " if any_word else " AND "
        sql = (
            f"SELECT {columns}, bm25({FTS_TABLE}, 50.0, 5.0, 1.0) AS rank "  # noqa: S608
            f"FROM {FTS_TABLE} JOIN {table} q ON q.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND q.id IN ({sub_sql}) ORDER BY rank, q.id"
        )
        params = [operator.join(f'"{t}"' for t in terms), *sub_params]
    return list(Question.objects.raw(sql, params))


def _close_words(words: list[str]) -> dict[str, str]:
    """One query: for each word, the closest word of the indexed vocabulary (itself when it is there)."""
    if not words:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT q.w, c.word FROM unnest(%s::text[]) AS q(w) CROSS JOIN LATERAL ("  # noqa: S608
                f"SELECT word FROM {SearchTerm._meta.db_table} WHERE similarity(word, q.w) > 0.2 "
                f"ORDER BY similarity(word, q.w) DESC, word LIMIT 8) c",
                [words],
            )
            candidates: dict[str, list[str]] = {}
            for word, close in cursor.fetchall():
                candidates.setdefault(word, []).append(close)
    else:
        known = list(SearchTerm.objects.values_list("word", flat=True))
        candidates = {w: known for w in words}
    best = {}
    for word in words:
        match = process.extractOne(word, candidates.get(word, []), scorer=fuzz.ratio, score_cutoff=72)
        if match:
            best[word] = match[0]
    return best


def _corrected_query(text: str) -> str:
    """The query with each word that is not in the bank's vocabulary replaced by the closest one that is."""
    words = [m.group().lower() for m in _WORD.finditer(text)]
    unknown = [w for w in dict.fromkeys(words) if len(w) >= 4 and w.isalpha() and w not in STOP_WORDS]
    close = _close_words(unknown)
    return " ".join(close.get(w, w) for w in words)


def search(candidates: QuerySet, text: str, *, correct: bool = True) -> SearchResults:
    """Rank the candidate questions (already filtered) by the query; at most three queries."""
    terms = query_terms(text)
    if not terms:
        return SearchResults([], terms, problems=["Type a word to search for (very common words are ignored)."])
    found = _run(candidates, terms, any_word=False)
    result = SearchResults(found, terms)
    if not found and correct:
        corrected = _corrected_query(text)
        retry_terms = query_terms(corrected)
        if retry_terms and (retry_terms != terms or len(terms) > 1):
            found = _run(candidates, retry_terms, any_word=len(retry_terms) > 1)
            if found:
                result = SearchResults(
                    found,
                    retry_terms,
                    corrected=corrected if retry_terms != terms else "",
                    any_words=len(retry_terms) > 1,
                )
    return result


# ---------------------------------------------------------------- snippets

_SUFFIXES = ("izations", "ization", "izing", "ized", "izes", "ize", "ations", "ation", "ings", "ing", "ed", "es", "s")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _hits(tokens: list[tuple[int, int, str]], terms: list[str]) -> set[int]:
    """Indexes of the tokens that match a term, the words of a matched abbreviation group included."""
    stems = {_stem(t) for t in terms}
    hits = {n for n, (_, _, word) in enumerate(tokens) if word in terms or _stem(word) in stems}
    words = [w for _, _, w in tokens]
    for first, last, key in _groups(words):
        if key in terms:
            hits.update(range(first, last))
    return hits


def highlight(text: str, terms: list[str]) -> SafeString:
    """The text escaped, then the words that match the terms wrapped in <mark>."""
    tokens = _tokens(text)
    hits = _hits(tokens, terms)
    out, pos = [], 0
    for n in sorted(hits):
        start, end, _ = tokens[n]
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of the text above is escaped


def snippet(text: str, terms: list[str], *, words: int = SNIPPET_WORDS) -> SafeString:
    """The passage of the text (Markdown and maths left out) with the most matching words, highlighted."""
    plain = re.sub(r"[*_`#>|\\]+", "", _MATHS.sub(" … ", text))
    plain = re.sub(r"\s+", " ", plain).strip()
    tokens = _tokens(plain)
    if not tokens:
        return mark_safe("")
    hits = sorted(_hits(tokens, terms))
    start = 0
    if hits:
        best = max(range(len(hits)), key=lambda i: sum(1 for h in hits[i:] if h < hits[i] + words))
        start = max(0, hits[best] - 4)
    end = min(len(tokens), start + words)
    begin_char = tokens[start][0]
    end_char = tokens[end - 1][1] if end < len(tokens) else len(plain)
    passage = highlight(plain[begin_char:end_char], terms)
    return mark_safe(("… " if start else "") + passage + (" …" if end < len(tokens) else ""))  # noqa: S308
