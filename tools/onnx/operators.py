#!/usr/bin/env python3
"""Writes the default-domain operators with the first opset ONNX Runtime runs each at (onnx-operators.txt).

The onnx package gives the operators it knows (Debian's onnx 1.12 stops at opset 17); operators of later opsets
that ONNX Runtime 1.23 implements are added from the ONNX changelog (docs/Changelog.md of onnx/onnx).
Usage: /usr/bin/python3 tools/onnx/operators.py > onnx-io/src/main/resources/dev/rba/onnx/io/onnx-operators.txt
"""
import onnx

LATER = {  # operator -> opset that introduced it, after onnx 1.12's opset 17
    "BitwiseAnd": 18, "BitwiseNot": 18, "BitwiseOr": 18, "BitwiseXor": 18, "CenterCropPad": 18, "Col2Im": 18,
    "GroupNormalization": 18, "Mish": 18, "DeformConv": 19, "AffineGrid": 20, "Gelu": 20, "ImageDecoder": 20,
    "RegexFullMatch": 20, "StringConcat": 20, "StringSplit": 20, "Attention": 23, "RMSNormalization": 23,
    "RotaryEmbedding": 23, "Swish": 24, "TensorScatter": 24,
}

ONNX_RUNTIME = {  # ONNX Runtime registers these in the default domain from opset 1 (its fused exports use them)
    "LayerNormalization": 1, "SimplifiedLayerNormalization": 1,
}

ops = {}
for s in onnx.defs.get_all_schemas_with_history():
    if s.domain in ("", "ai.onnx"):
        ops[s.name] = min(ops.get(s.name, 10**6), s.since_version)
for name, since in LATER.items():
    ops.setdefault(name, since)
ops.update(ONNX_RUNTIME)
print("# default-domain operators and the first opset ONNX Runtime runs each at; written by tools/onnx/operators.py")
for name in sorted(ops):
    print(name, ops[name])
