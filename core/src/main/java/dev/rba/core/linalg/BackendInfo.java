package dev.rba.core.linalg;

/**
 * What {@code rba doctor} shows for one backend.
 *
 * @param name           cuda, openblas or java
 * @param available      whether it can be opened here
 * @param detail         library path and version (or thread count for java) when available, else why it is not
 * @param gpuName        GPU name (cuda only, else null)
 * @param gpuMemoryBytes total GPU memory in bytes (cuda only, else 0)
 */
public record BackendInfo(String name, boolean available, String detail, String gpuName, long gpuMemoryBytes) {
}
