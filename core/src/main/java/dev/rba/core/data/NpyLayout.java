package dev.rba.core.data;

/**
 * Where an .npy array's data lies: its header and the byte offset of the data from the start of the .npy stream
 * (the magic, version, length and padded dict come first). Axis 0 is the sample axis: one sample is one C-order row.
 */
record NpyLayout(NpyHeader header, long dataOffset) {

    ElementType type() {
        return header.type();
    }

    long[] shape() {
        return header.shape().clone();
    }

    int rank() {
        return header.shape().length;
    }

    long dim(int axis) {
        return header.shape()[axis];
    }

    /** Elements of one sample: the product of every dimension after axis 0 (1 for a rank-1 array). */
    long perSample() {
        long n = 1;
        for (int a = 1; a < rank(); a++) n = Math.multiplyExact(n, dim(a));
        return n;
    }

    long rowBytes() {
        return perSample() * type().byteSize();
    }

    long dataBytes() {
        return NdArray.elementCount(header.shape()) * type().byteSize();
    }
}
