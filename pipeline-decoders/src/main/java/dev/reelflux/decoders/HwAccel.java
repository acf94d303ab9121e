package dev.reelflux.decoders;

/** Whether frames are decoded on a GPU. */
public enum HwAccel {
    /**
     * NVDEC through CUDA when a CUDA device can be opened and the decoder supports it, software otherwise. A machine
     * without CUDA is told once per process in a warning; after that first failure AUTO goes straight to software.
     */
    AUTO,
    /** NVDEC through CUDA; when no CUDA device can be opened a warning is logged and decoding runs in software. */
    CUDA,
    /** Software decoding only. */
    NONE
}
