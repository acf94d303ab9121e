package dev.reelflux.decoders.internal;

/** What reads a source's bytes as read plans say: {@link ChunkStream}; planned by {@link SparseReads}. */
interface ReadPlanFollower {

    /** Reads only {@code plan}'s spans from here on. */
    void plan(ReadPlan plan);

    /** Follows {@code next} (null: no plan, everything) from the position on, in place of the plan so far. */
    void replan(ReadPlan next);
}
