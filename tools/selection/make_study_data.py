"""Data the selection study needs beyond the committed Fashion-MNIST files (written under models/zoo/data/).

- cls5-{train,test}.npz, cls59-{train,test}.npz: Fashion-MNIST images of classes 0-4 (5-9) only, normalised as the
  models expect, with labels (class - 5 for 5-9), for the zoo members trained on that subset (their 5-way heads cannot
  be scored on the other classes): 1,200 training images for calibration, every test image of those classes.
- bert-tiny-{cal,test}.npz: token sequences for the BERT-style fixture (vocabulary 1,000, no labels): ids drawn
  with a Zipf-like skew (frequent ids are common, as in text), lengths 6-32, padded to 32, mask marks real tokens.
- e5-{cal,test}.npz: real English sentences for intfloat/e5-small-v2, tokenised with the model's own WordPiece
  vocabulary (vocab.txt from the jar, lower-cased greedy longest-match, [CLS] ... [SEP], "query: " prefix as e5
  expects), padded to 48 tokens; the vocabulary is read from the jar's e5-small-v2-tokenizer.json (model.vocab). The sentences are the lines of the Debian copyright and README files found under
  /usr/share/doc (licences, changelogs, package descriptions: varied English), de-duplicated, 6-40 words.

Run from the repository root: /usr/bin/python3 tools/selection/make_study_data.py [TOKENIZER.json]
"""
import glob
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from fmnist import load_split, normalise  # noqa: E402

OUT = "models/zoo/data"


def class_subset(lo, hi, stem):
    """The first 1,200 training images of classes lo-hi (calibration) and every test image of them (about 5,000;
    the fourth round's test set: before it, the first 2,000), labels shifted to the model's 5-way head (class - lo)."""
    mean, std = 0.2860, 0.3530
    for split, name, n in (("train", f"{stem}-train", 1200), ("t10k", f"{stem}-test", None)):
        img, lab = load_split(split)
        keep = np.nonzero((lab >= lo) & (lab <= hi))[0][:n]
        np.savez(f"{OUT}/{name}.npz", pixel_values=normalise(img[keep], mean, std),
                 labels=lab[keep].astype(np.int64) - lo)


def bert_tiny():
    rng = np.random.default_rng(11)
    for name, n in (("bert-tiny-cal", 1000), ("bert-tiny-test", 2000)):
        ids = np.zeros((n, 32), np.int64)
        mask = np.zeros((n, 32), np.int64)
        for s in range(n):
            length = rng.integers(6, 33)
            ids[s, :length] = np.minimum(999, 1 + rng.zipf(1.3, size=length))
            mask[s, :length] = 1
        np.savez(f"{OUT}/{name}.npz", input_ids=ids, attention_mask=mask)


def wordpiece(vocab, word):
    out, start = [], 0
    while start < len(word):
        end, piece = len(word), None
        while start < end:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in vocab:
                piece = sub
                break
            end -= 1
        if piece is None:
            return ["[UNK]"]
        out.append(piece)
        start = end
    return out


def e5(tokenizer_json):
    import json
    vocab = json.load(open(tokenizer_json, encoding="utf-8"))["model"]["vocab"]
    seen, sentences = set(), []
    for f in sorted(glob.glob("/usr/share/doc/*/copyright") + glob.glob("/usr/share/doc/*/README*")):
        if f.endswith(".gz"):
            continue
        try:
            text = open(f, encoding="utf-8", errors="ignore").read()
        except OSError:
            continue
        for line in text.split("\n"):
            words = line.strip().split()
            if 6 <= len(words) <= 40 and line not in seen and re.search(r"[a-z]{3}", line):
                seen.add(line)
                sentences.append(line.strip())
    rng = np.random.default_rng(5)
    rng.shuffle(sentences)
    length = 48
    for name, part in (("e5-cal", sentences[:1000]), ("e5-test", sentences[1000:1400])):
        ids = np.zeros((len(part), length), np.int64)
        mask = np.zeros((len(part), length), np.int64)
        for s, sentence in enumerate(part):
            toks = ["[CLS]"]
            for w in re.findall(r"\w+|[^\w\s]", "query: " + sentence.lower()):
                toks += wordpiece(vocab, w)
            toks = toks[:length - 1] + ["[SEP]"]
            ids[s, :len(toks)] = [vocab.get(t, vocab["[UNK]"]) for t in toks]
            mask[s, :len(toks)] = 1
        np.savez(f"{OUT}/{name}.npz", input_ids=ids, attention_mask=mask, token_type_ids=np.zeros_like(ids))
    print(f"e5: {len(sentences)} sentences available, 1000 calibration + {min(400, len(sentences) - 1000)} test")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    class_subset(0, 4, "cls5")
    class_subset(5, 9, "cls59")
    bert_tiny()
    if len(sys.argv) > 1:
        e5(sys.argv[1])
