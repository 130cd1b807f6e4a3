"""Writes the .npy/.npz test files beside this script with NumPy (run: /usr/bin/python3 make.py).

Values follow simple formulas so the Java tests recompute them without trusting rba's own writer.
"""
import numpy as np
import numpy.lib.format as fmt

a = np.arange(24, dtype=np.float64).reshape(2, 3, 4) * 0.25 - 2.0
np.savez_compressed("mixed-compressed.npz",
                    f16=a.astype(np.float16), f32=a.astype(np.float32), f64=a,
                    i32=np.arange(-6, 6, dtype=np.int32).reshape(3, 4), u8=np.arange(250, 256, dtype=np.uint8),
                    b1=np.array([True, False, True]), i64=np.array([-(2**40), 0, 2**40], dtype=np.int64),
                    be=np.arange(5, dtype='>f4') / 4)
for ver in [(1, 0), (2, 0), (3, 0)]:
    with open(f"v{ver[0]}.npy", "wb") as f:
        fmt.write_array(f, np.arange(6, dtype=np.int16).reshape(2, 3) - 3, version=ver)
with open("fortran.npy", "wb") as f:
    fmt.write_array(f, np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)), version=(1, 0))
np.save("scalar.npy", np.float64(3.5))
