"""The synthetic collection and the stand-in embedder of scripts/scale_bench.py.

The collection: documents laid out like the bundled report, whose paragraphs are two
or more of the report's sentences recombined, with its place names replaced by
generated ones (12k distinct, some also appended to sentences) and its figures by
random ones; 200 questions to search it with.

The stand-in embedder. Real MiniLM embeds about 300 texts/s on two cores: a
million chunks and their sentences would take hours. The stand-in gives each word
its real MiniLM vector (the collection's ~6k distinct words plus generated names,
embedded once with MiniLM and cached in var/scale/), and a text the normalised sum
of its words' vectors (stopwords weighted 0.3; figures and unknown words share
hashed vectors). Vectors are 384-d, dense, in MiniLM's space and clustered the way
the texts share words, and cost microseconds. It is not MiniLM: retrieval *quality*
is not measured here, only speed, memory and ANN recall on realistic vectors.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.chunking import chunk_document  # noqa: E402
from index.loaders import default_corpus, load_paths, parse_text  # noqa: E402
from index.text import sentence_spans, stop_words  # noqa: E402

VAR = ROOT / "var" / "scale"
_SYLL = ("an bai bei bin chang chen cheng chun da dan de dong du feng fu gang gao guan gui hai "
         "han hao he heng hong hua huai huang hui jia jian jiang jiao jin jing jiu kai kang lan "
         "lang le li lian liang lin ling liu long lu luo mei meng ming mu nan ning pan peng ping "
         "pu qi qian qiao qing qiu quan rong rui sha shan shang shao shen sheng shi shou shu shui "
         "song tai tang tao tian tong wan wei wen wu xi xia xian xiang xin xing xu xuan yan yang "
         "yi yin ying yong yu yuan yue yun ze zhang zhao zhen zheng zhong zhou zhu").split()
_KINDS = ("County", "City", "District", "Prefecture", "New Area", "Province")
_TOKEN = re.compile(r"[a-z0-9]+")


# -- the synthetic collection -------------------------------------------------------------

def _names(rng: random.Random, n: int) -> list[str]:
    pool = sorted({a.capitalize() + b for a in _SYLL for b in _SYLL if a != b})
    rng.shuffle(pool)
    return [f"{p} {rng.choice(_KINDS)}" if rng.random() < 0.4 else p for p in pool[:n]]


def _article_parts():
    from index.vocabulary import read_pack

    PLACE_NAMES = set(read_pack([default_corpus()]).get("places", {}).values())
    doc = load_paths([default_corpus()])[0]
    paras = []  # (section, [sentence, ...]) of the body
    for p in doc.paragraphs:
        if p.section == "About this document":
            continue
        paras.append((p.section, [doc.text[s:e] for s, e in sentence_spans(doc.text, p.start, p.end)]))
    sections = sorted({s for s, _ in paras if s})
    places = re.compile(r"\b(" + "|".join(sorted((re.escape(p) for p in PLACE_NAMES
                                                   if p != "China"), key=len, reverse=True)) + r")\b")
    return doc, paras, sections, places


def _vary(text: str, rng: random.Random, home: str, names: list[str], places) -> str:
    text = places.sub(lambda m: home if rng.random() < 0.6 else rng.choice(names), text)

    def number(m):
        s = m.group(0)
        if re.fullmatch(r"(19|20)\d\d", s):
            return str(rng.randint(2015, 2025))
        return "".join(str(rng.randint(1 if i == 0 else 0, 9)) if ch.isdigit() else ch
                       for i, ch in enumerate(s))

    return re.sub(r"\d+(?:[.,]\d+)*", number, text)


def generate(n_chunks: int, out: Path, seed: int = 0) -> dict:
    rng = random.Random(seed)
    names = _names(rng, 12000)
    article, paras, sections, places = _article_parts()
    out.mkdir(parents=True, exist_ok=True)
    chunks = docs = sentences = chars = sampled = 0
    seen: set[str] = set()
    t0 = time.perf_counter()
    while chunks < n_chunks:
        home = rng.choice(names)
        lines = [_vary(article.title, rng, home, names, places).replace(
                     "local two sessions", f"the {home} two sessions"),
                 "Release Date:", f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-"
                 f"{rng.randint(1, 28):02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
                 "Source:", rng.choice(["Ministry of Emergency Management of the People's Republic "
                                        "of China", f"{home} Emergency Management Bureau",
                                        f"{home} Daily", "China Emergency Management News"])]
        for sec in rng.sample(sections, k=len(sections)):
            lines.append(_vary(sec, rng, home, names, places))
            for _ in range(rng.randint(6, 12)):
                _, sents = rng.choice(paras)
                sents = list(sents)
                if len(sents) > 2 and rng.random() < 0.5:
                    sents.pop(rng.randrange(len(sents)))
                while len(sents) < 2 or rng.random() < 0.4:
                    sents.insert(rng.randrange(len(sents) + 1), rng.choice(rng.choice(paras)[1]))
                sents = [f"{x[:-1]} in {rng.choice((home, rng.choice(names)))}."
                         if x.endswith(".") and rng.random() < 0.3 else x for x in sents]
                lines.append(" ".join(_vary(x, rng, home, names, places) for x in sents))
        text = "\n".join(lines) + "\n"
        name = f"report-{docs:06d}.txt"
        d = parse_text(text, name)
        cs = chunk_document(d)
        chunks += len(cs)
        if len(seen) < 20000:
            seen.update(c.text for c in cs)
            sampled += len(cs)
        sentences += sum(len(sentence_spans(d.text, c.start, c.end)) for c in cs)
        chars += len(text)
        sub = out / f"{docs // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / name).write_text(text, encoding="utf-8")
        docs += 1
    queries = _queries(rng, names)
    (out / "queries.json").write_text(json.dumps(queries, ensure_ascii=False, indent=1))
    info = {"documents": docs, "chunks": chunks, "sentences": sentences, "chars": chars,
            "names": len(names), "queries": len(queries), "seed": seed,
            "distinct_chunk_texts": f"{len(seen)} of the first {sampled}",
            "seconds": round(time.perf_counter() - t0, 1)}
    (out / "collection.json").write_text(json.dumps(info, indent=1))
    return info


_TEMPLATES = [
    "What did {p} plan for flood season?", "How much was {p}'s regional GDP?",
    "How many water damage repair projects will {p} complete?",
    "What did {p} propose against typhoons?", "How many affected people did {p} resettle?",
    "What is {p} doing about sponge city construction?", "Which earthquake struck {p}?",
    "How will {p} strengthen grassroots emergency capabilities?",
    "What did the governor of {p} say about high-quality development?",
    "How is {p} rebuilding damaged houses after the disaster?",
    "What growth rate did {p} report?", "What did {p} say about urban waterlogging?",
]


def _queries(rng: random.Random, names: list[str], n: int = 200) -> list[str]:
    rows = [json.loads(line) for line in
            (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    qs = [r["question"] for r in rows if r.get("lang", "en") == "en" and not r["history"]]
    while len(qs) < n:
        qs.append(rng.choice(_TEMPLATES).format(p=rng.choice(names)))
    return qs[:n]


# -- the stand-in embedder ----------------------------------------------------------------

class WordSumEmbedder:
    """Normalised sum of the real MiniLM vectors of a text's words (see the module doc)."""

    N_NUMBER = 1024
    N_UNKNOWN = 4096

    def __init__(self, table: Path):
        z = np.load(table)
        words = [str(w) for w in z["words"]]
        self.dim = int(z["vectors"].shape[1])
        rng = np.random.default_rng(1)
        number = z["vectors"][words.index("number")]
        extra = rng.normal(size=(self.N_NUMBER + self.N_UNKNOWN, self.dim)).astype(np.float32)
        extra /= np.linalg.norm(extra, axis=1, keepdims=True)
        extra[: self.N_NUMBER] = 0.5 * number + 0.5 * extra[: self.N_NUMBER]
        self.table = np.ascontiguousarray(np.concatenate([z["vectors"], extra]), dtype=np.float32)
        self.ids = {w: i for i, w in enumerate(words)}
        self.weight = np.ones(len(self.table), dtype=np.float32)
        for w in stop_words():
            if w in self.ids:
                self.weight[self.ids[w]] = 0.3
        self.base = len(words)
        digest = hashlib.sha256(self.table.tobytes()).hexdigest()[:8]
        self.name = f"standin-minilm-wordsum-{self.dim}-{digest}"

    def _id(self, w: str) -> int:
        i = self.ids.get(w)
        if i is not None:
            return i
        h = zlib.crc32(w.encode())
        if any(ch.isdigit() for ch in w):
            return self.base + h % self.N_NUMBER
        return self.base + self.N_NUMBER + h % self.N_UNKNOWN

    def embed_documents(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        from scipy.sparse import csr_matrix

        cols: list[int] = []
        indptr = [0]
        for t in texts:
            cols += [self._id(w) for w in _TOKEN.findall(t.lower())]
            indptr.append(len(cols))
        c = np.asarray(cols, dtype=np.int64)
        m = csr_matrix((self.weight[c], c, np.asarray(indptr)), shape=(len(texts), len(self.table)))
        v = np.asarray(m @ self.table, dtype=np.float32)
        v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
        return v

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def word_table(corpus: Path) -> Path:
    """Real MiniLM vectors of the article's and the generated collection's words (cached)."""
    path = VAR / "wordvecs.npz"
    if path.exists():
        return path
    from index.embedding import SentenceTransformerEmbedder

    rng = random.Random(0)
    words = set(_TOKEN.findall(load_paths([default_corpus()])[0].text.lower()))
    words |= set(_TOKEN.findall(" ".join(_names(rng, 12000) + list(_KINDS)).lower()))
    words |= set(_TOKEN.findall(" ".join(_TEMPLATES).lower()))
    for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            words |= set(_TOKEN.findall(json.loads(line)["question"].lower()))
    words = sorted(w for w in words if not any(ch.isdigit() for ch in w)) + ["number"]
    m = SentenceTransformerEmbedder(batch_size=256)
    t = time.perf_counter()
    vecs = m.embed_documents(words)
    print(f"embedded {len(words)} words with MiniLM in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    VAR.mkdir(parents=True, exist_ok=True)
    np.savez(path, words=np.array(words), vectors=vecs)
    return path
