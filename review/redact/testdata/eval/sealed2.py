#!/usr/bin/env python3
"""Builds sealed2.jsonl from sealed2.src and checks it.

sealed2.src holds one document a line, "LANG|text" ("LANG*|" marks a
document mixing languages; its lang is the main one; a document in
Hangul and Hanzi is counted as mixed anyway). An identifying
mention is written {type:text} or {type#k:text}: mentions with the same
type and k in one document are one entity (every mention must be covered
for the entity to count as found). Lines starting with # are comments.
Offsets in the output are byte offsets into the UTF-8 text, as
review/redact/eval_test.go reads them.

Run from this directory: python3 sealed2.py  (writes sealed2.jsonl and
prints counts by language and type; exits non-zero on any problem).
"""
import collections, json, re, sys

TYPES = {"prc-id", "prc-id-15", "rok-rrn", "phone", "wechat", "handle", "qq",
         "email", "url", "ip", "gps", "dprk-card", "number", "name", "place",
         "org", "date"}
LANGS = {"ko", "zh", "en"}
MARK = re.compile(r"\{([a-z0-9-]+)(?:#(\w+))?:([^{}]+)\}")


def prc_ok(s):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    return "10X98765432"[sum(int(c) * x for c, x in zip(s, w)) % 11] == s[17]


def parse(line, n):
    lang, sep, body = line.partition("|")
    mixed = lang.endswith("*")
    lang = lang.rstrip("*")
    if not sep or lang not in LANGS:
        sys.exit(f"line {n}: no language prefix")
    out = bytearray()
    ents = collections.OrderedDict()
    pos = 0
    for m in MARK.finditer(body):
        out += body[pos:m.start()].encode()
        typ, key, text = m.group(1), m.group(2), m.group(3)
        if typ not in TYPES:
            sys.exit(f"line {n}: unknown type {typ}")
        if text != text.strip():
            sys.exit(f"line {n}: mention {text!r} has spaces at its ends")
        if typ == "prc-id" and not prc_ok(text):
            sys.exit(f"line {n}: {text} fails the PRC check digit")
        start = len(out)
        out += text.encode()
        k = (typ, key if key is not None else f"_{start}")
        ents.setdefault(k, []).append([start, len(out)])
        pos = m.end()
    out += body[pos:].encode()
    text = out.decode()
    if "{" in text or "}" in text:
        sys.exit(f"line {n}: stray brace: {text}")
    return mixed, {"lang": lang, "text": text,
                   "entities": [{"type": t, "mentions": ms} for (t, _), ms in ents.items()]}


def check(doc, n):
    b = doc["text"].encode()
    for e in doc["entities"]:
        assert e["type"] in TYPES, (n, e)
        for s, t in e["mentions"]:
            assert 0 <= s < t <= len(b), (n, s, t)
            b[s:t].decode()  # whole characters
    spans = sorted((s, t) for e in doc["entities"] for s, t in e["mentions"])
    for (s1, t1), (s2, t2) in zip(spans, spans[1:]):
        assert t1 <= s2, f"line {n}: overlapping mentions {doc['text'][:40]}"


def main():
    docs, mixed = [], 0
    with open("sealed2.src", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            mx, d = parse(line, n)
            check(d, n)
            han = re.search(r"[\u4e00-\u9fff]", d["text"]) is not None
            hangul = re.search(r"[\uac00-\ud7a3]", d["text"]) is not None
            mx = mx or {"ko": han, "zh": hangul, "en": han or hangul}[d["lang"]]
            docs.append(d)
            mixed += mx
    texts = [d["text"] for d in docs]
    if len(set(texts)) != len(texts):
        sys.exit("duplicate documents")
    with open("sealed2.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
    # Read back what was written and check every span against the text.
    with open("sealed2.jsonl", encoding="utf-8") as f:
        back = [json.loads(l) for l in f]
    assert back == docs
    langs = collections.Counter(d["lang"] for d in docs)
    types = collections.Counter()
    mentions = collections.Counter()
    bylang = collections.defaultdict(collections.Counter)
    for d in docs:
        for e in d["entities"]:
            types[e["type"]] += 1
            mentions[e["type"]] += len(e["mentions"])
            bylang[d["lang"]][e["type"]] += 1
    empty = sum(1 for d in docs if not d["entities"])
    print(f"{len(docs)} documents: " + ", ".join(f"{l} {langs[l]} ({100*langs[l]/len(docs):.0f}%)" for l in ("ko", "zh", "en"))
          + f"; {mixed} mixed; {empty} with nothing to remove")
    print(f"{'type':10} {'entities':>8} {'mentions':>8} {'ko':>4} {'zh':>4} {'en':>4}")
    for t, c in types.most_common():
        print(f"{t:10} {c:8} {mentions[t]:8} {bylang['ko'][t]:4} {bylang['zh'][t]:4} {bylang['en'][t]:4}")
    print(f"{'all':10} {sum(types.values()):8} {sum(mentions.values()):8}")


main()
