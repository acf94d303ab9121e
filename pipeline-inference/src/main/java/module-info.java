/**
 * Inference with DJL: frames batched into slabs, models run on them, results decoded, tracked and filled. Its
 * internal package is reelflux's own.
 */
module dev.reelflux.inference {
    requires transitive dev.reelflux.decoders;
    requires transitive ai.djl.api;
    requires org.slf4j;

    exports dev.reelflux.inference;
}
