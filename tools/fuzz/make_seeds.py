#!/usr/bin/env python3
"""Writes the fuzz seed corpus (fixtures/fuzz/seeds/): the fixtures' own architectures, shrunk so that one fuzz
execution takes milliseconds: the timm-named pre-norm ViT (tools/fixtures/vit_model.py) at opsets 17 (fused
LayerNorm) and 14 (decomposed), and the Hugging Face-named post-norm BERT (tools/fixtures/bert_model.py, shared
attention mask, dynamic axes), each with 2 blocks of width 8 and seeded random weights.

Usage: /usr/bin/python3 tools/fuzz/make_seeds.py   (a few seconds; torch 1.13 and onnx 1.12 from Debian)
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import bert_model  # noqa: E402
import vit_model  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "fixtures", "fuzz", "seeds")


def vit(opset):
    torch.manual_seed(5)
    m = vit_model.ViT(img_size=8, patch=4, in_chans=1, dim=8, depth=2, num_heads=2, mlp_ratio=2, num_classes=3).eval()
    path = os.path.join(OUT, f"vit_b2_opset{opset}.onnx")
    torch.onnx.export(m, torch.zeros(1, 1, 8, 8), path, opset_version=opset, input_names=["pixel_values"],
                      output_names=["logits"], dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}})
    return path


def bert():
    torch.manual_seed(6)
    config = dict(bert_model.CONFIG, vocab_size=16, max_position=8, hidden=8, layers=2, heads=2, intermediate=16)
    m = bert_model.BertTiny(config).eval()
    ids = torch.zeros(1, 4, dtype=torch.long)
    mask = torch.ones(1, 4, dtype=torch.long)
    path = os.path.join(OUT, "bert_b2_opset14.onnx")
    torch.onnx.export(m, (ids, mask), path, opset_version=14, input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                                             "attention_mask": {0: "batch", 1: "sequence"},
                                                             "logits": {0: "batch"}})
    return path


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    for p in (vit(17), vit(14), bert()):
        print(p, os.path.getsize(p), "bytes")
