"""Build real-size ViTs with random weights (timm layout, opset 17) and random calibration images for the
scale harness (tools/scale/run.sh). Not fixtures: the files are hundreds of MB to GBs and never committed.

Run from the repository root:
    /usr/bin/python3 tools/scale/make_models.py OUT_DIR [--models b,l,h] [--samples N[,N...]]
Writes OUT_DIR/vit_{b16,l16,h14}.onnx (ViT-H, about 2.5 GB, with all its weights in ONE external-data file
vit_h14.onnx.data beside it, because a protobuf cannot hold more than 2 GB) and OUT_DIR/images_224_N.npz
for each N (float32 pixel_values [N,3,224,224], already normalised, plus integer labels), unless they exist.
The model is tools/fixtures/vit_model.py's ViT (timm's parameter names: patch_embed.proj, cls_token,
pos_embed, blocks.N.{norm1,attn.qkv,attn.proj,norm2,mlp.fc1,mlp.fc2}, norm, head) at the sizes below.
"""
import argparse
import datetime
import json
import os
import sys
import time

import numpy as np
import onnx
import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "fixtures"))
from vit_model import ViT  # noqa: E402

OPSET = 17
SEED = 17
IMG = 224
# name: (file stem, patch, dim, depth, heads); mlp ratio 4, 1000 classes, as in timm's vit_*_patch*_224.
SIZES = {
    "b": ("vit_b16", 16, 768, 12, 12),
    "l": ("vit_l16", 16, 1024, 24, 16),
    "h": ("vit_h14", 14, 1280, 32, 16),
}
TWO_GB = 2 ** 31


def build(patch, dim, depth, heads):
    torch.manual_seed(SEED)
    model = ViT(img_size=IMG, patch=patch, in_chans=3, dim=dim, depth=depth, num_heads=heads,
                mlp_ratio=4, num_classes=1000)
    # Random biases, LayerNorm parameters and class token: torch.onnx merges bit-identical initializers
    # (such as all-zero biases) into one tensor plus Identity nodes, which a trained model would not have.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight") or name == "norm.weight":
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            elif name.endswith("bias") or name == "cls_token":
                p.copy_(0.02 * torch.randn_like(p))
    return model.eval()


def export(key, out_dir):
    stem, patch, dim, depth, heads = SIZES[key]
    path = os.path.join(out_dir, stem + ".onnx")
    if os.path.exists(path):
        print(f"{path} exists; kept")
        return
    t0 = time.time()
    model = build(patch, dim, depth, heads)
    params = sum(p.numel() for p in model.parameters())
    big = params * 4 >= TWO_GB - 64 * 2 ** 20
    # torch 1.13 writes a model past 2 GB as one file per tensor beside the .onnx; it is exported into a scratch
    # folder and re-saved below with every tensor in one external-data file, as Hugging Face exports ship them.
    scratch = os.path.join(out_dir, f".{stem}.export") if big else out_dir
    os.makedirs(scratch, exist_ok=True)
    raw = os.path.join(scratch, stem + (".onnx" if big else ".tmp.onnx"))
    with torch.no_grad():
        torch.onnx.export(model, torch.zeros(1, 3, IMG, IMG), raw, opset_version=OPSET,
                          input_names=["pixel_values"], output_names=["logits"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
                          do_constant_folding=True)
    del model
    m = onnx.load(raw)  # loads external data too
    props = {
        "rba.input.mean": "0.5,0.5,0.5", "rba.input.std": "0.5,0.5,0.5", "rba.input.layout": "NCHW",
        "rba.provenance": (f"script=tools/scale/make_models.py; timm-layout ViT patch={patch} dim={dim} "
                           f"depth={depth} heads={heads} img={IMG}; random weights, seed={SEED}; opset={OPSET}; "
                           f"date={datetime.date.today().isoformat()}"),
    }
    for k in sorted(props):
        m.metadata_props.add(key=k, value=props[k])
    tmp = path + ".tmp"
    if big:
        onnx.save_model(m, tmp, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=stem + ".onnx.data", size_threshold=1024)
        onnx.checker.check_model(tmp)  # by path: the checker cannot take a > 2 GB proto in memory
    else:
        onnx.checker.check_model(m)
        onnx.save_model(m, tmp)
    del m
    os.replace(tmp, path)
    if big:
        for f in os.listdir(scratch):
            os.remove(os.path.join(scratch, f))
        os.rmdir(scratch)
    else:
        os.remove(raw)
    size = os.path.getsize(path)
    data = path + ".data"
    if os.path.exists(data):
        size += os.path.getsize(data)
    print(f"wrote {path}: {params / 1e6:.1f} M parameters, {size / 2 ** 20:.0f} MiB, {time.time() - t0:.0f} s")


def images(out_dir, n):
    path = os.path.join(out_dir, f"images_{IMG}_{n}.npz")
    if os.path.exists(path):
        print(f"{path} exists; kept")
        return
    rng = np.random.default_rng(SEED)
    # Uniform pixels in [0, 1] normalised with mean 0.5 / std 0.5, as the models' metadata records.
    x = ((rng.random((n, 3, IMG, IMG), dtype=np.float32) - 0.5) / 0.5).astype(np.float32)
    labels = rng.integers(0, 1000, size=n).astype(np.int64)
    tmp = path + ".tmp.npz"
    np.savez(tmp, pixel_values=x, labels=labels)
    os.replace(tmp, path)
    print(f"wrote {path}")


def describe(out_dir, keys):
    """models.json beside the models: architecture, parameter count (from the initializers' dims, without loading
    external data) and bytes on disk of each model present."""
    info = {}
    for key in keys:
        stem, patch, dim, depth, heads = SIZES[key]
        path = os.path.join(out_dir, stem + ".onnx")
        if not os.path.exists(path):
            continue
        m = onnx.load(path, load_external_data=False)
        params = sum(int(np.prod(t.dims)) for t in m.graph.initializer)
        data = path + ".data"
        info[stem] = {"patch": patch, "d": dim, "blocks": depth, "heads": heads,
                      "tokens": (IMG // patch) ** 2 + 1, "parameters": params, "onnx_bytes": os.path.getsize(path),
                      "external_data_bytes": os.path.getsize(data) if os.path.exists(data) else 0, "opset": OPSET}
    with open(os.path.join(out_dir, "models.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--models", default="b,l,h")
    ap.add_argument("--samples", default="500", help="image counts, comma-separated: one file per count")
    a = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(a.out_dir, exist_ok=True)
    for n in sorted({int(x) for x in a.samples.split(",")}):
        images(a.out_dir, n)
    for key in a.models.split(","):
        if key not in SIZES:
            sys.exit(f"make_models: unknown model '{key}'; use b, l or h")
        export(key, a.out_dir)
    describe(a.out_dir, a.models.split(","))


if __name__ == "__main__":
    main()
