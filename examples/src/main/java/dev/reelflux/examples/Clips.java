package dev.reelflux.examples;

import dev.reelflux.core.HttpSettings;
import dev.reelflux.inference.VideoAnalysis;

/**
 * A warm pipeline that answers clips by URL ({@link ClipOptions#load}): the analysis, the answers it makes of each
 * clip, the HTTP settings videos are fetched with, and the models, which closing closes.
 */
record Clips(VideoAnalysis analysis, ChallengeAnswers answers, HttpSettings http, Models models)
        implements AutoCloseable {

    @Override
    public void close() {
        models.close();
    }
}
