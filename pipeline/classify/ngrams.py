"""Term counting for the fitted TF-IDF vectorizers, batched with numpy: the same matrices as sklearn's
`transform`, value for value (tests/test_classifier.py), a few times faster (benchmarks/classify_speed.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class _Counts:
    """A fitted TfidfVectorizer's transform with the term counting done here: each document's vocabulary
    indices (`_indices`), counted for the whole batch at once with numpy, then the vectorizer's own TF-IDF step.
    Same matrix as `vectorizer.transform`, value for value (tests/test_classifier.py), a few times faster:
    sklearn counts term by term in a Python dict per document."""

    MAX_WORDS = 200_000  # words remembered; beyond that the cache starts afresh

    def __init__(self, vectorizer):
        assert vectorizer.input == "content" and not vectorizer.binary and vectorizer.stop_words is None
        self.vectorizer = vectorizer
        self.vocabulary = vectorizer.vocabulary_
        self.preprocess = vectorizer.build_preprocessor()
        self.min_n, self.max_n = vectorizer.ngram_range
        self.words: dict[str, object] = {}

    def _indices(self, doc: str, out: list[int]) -> None:
        raise NotImplementedError

    def transform(self, docs: Sequence[str]):
        import scipy.sparse as sp
        from sklearn.feature_extraction.text import _align_api_if_sparse

        if len(self.words) > self.MAX_WORDS:
            self.words.clear()
        cols: list[int] = []
        lengths = []
        for doc in docs:
            before = len(cols)
            self._indices(doc, cols)
            lengths.append(len(cols) - before)
        size = len(self.vocabulary)
        rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        keys, counts = np.unique(rows * size + np.asarray(cols, dtype=np.int64), return_counts=True)
        if len(keys) > np.iinfo(np.int32).max:
            raise ValueError("too many features for one batch")
        indptr = np.searchsorted(keys // size, np.arange(len(docs) + 1), side="left")
        X = sp.csr_array((counts.astype(np.intc), (keys % size).astype(np.int32), indptr.astype(np.int32)),
                         shape=(len(docs), size), dtype=self.vectorizer.dtype)
        X.sort_indices()
        return self.vectorizer._tfidf.transform(_align_api_if_sparse(X), copy=False)


class CharGrams(_Counts):
    """`char_wb` n-grams never cross a word boundary: a document's counts are the sum of its words', and a
    word's vocabulary indices are kept once found (most words recur in every document)."""

    def __init__(self, vectorizer):
        assert vectorizer.analyzer == "char_wb"
        super().__init__(vectorizer)

    def _grams(self, word: str) -> list[int]:
        """As sklearn's _char_wb_ngrams for one word, kept as vocabulary indices."""
        vocabulary, found = self.vocabulary, []
        w = " " + word + " "
        w_len = len(w)
        for n in range(self.min_n, self.max_n + 1):
            for gram in [w[0:n]] + [w[k:k + n] for k in range(1, max(1, w_len - n + 1))]:
                index = vocabulary.get(gram)
                if index is not None:
                    found.append(index)
            if w_len - n <= 0:  # a short word (w_len < n) is counted once
                break
        return found

    def _indices(self, doc: str, out: list[int]) -> None:
        words = self.words
        for word in self.preprocess(doc).split():
            grams = words.get(word)
            if grams is None:
                grams = words[word] = self._grams(word)
            out.extend(grams)


class WordGrams(_Counts):
    """Word 1- and 2-grams as sklearn's `_word_ngrams` makes them, from the vectorizer's own tokenizer."""

    def __init__(self, vectorizer):
        assert vectorizer.analyzer == "word" and vectorizer.ngram_range == (1, 2)
        super().__init__(vectorizer)
        self.tokenize = vectorizer.build_tokenizer()

    def _indices(self, doc: str, out: list[int]) -> None:
        tokens = self.tokenize(self.preprocess(doc))
        get = self.vocabulary.get
        found = [get(t) for t in tokens]
        found += [get(a + " " + b) for a, b in zip(tokens, tokens[1:])]
        out.extend(i for i in found if i is not None)
