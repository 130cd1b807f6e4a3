package dev.rba.core.data;

/** Axis order of an image input: channels first [N,C,H,W] or channels last [N,H,W,C]. */
public enum TensorLayout {
    NCHW, NHWC
}
