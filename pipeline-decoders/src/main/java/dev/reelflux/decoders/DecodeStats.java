package dev.reelflux.decoders;

/**
 * What one decode did, reported once to {@link DecodeListener#closed} after every native resource was freed.
 *
 * @param outcome how the decode ended
 * @param framesDecoded frames the decoder output (frames skipped before decoding are not counted)
 * @param framesSelected decoded frames the selection kept
 * @param framesEmitted frames handed downstream
 * @param corruptPackets packets the demuxer flagged corrupt or the decoder rejected; flagged ones are skipped, but
 *                       in MPEG-TS, where a broken continuity counter flags whole packets at segment joins, decoded
 * @param bytesFetched bytes received from the source, including bytes skipped or dropped on a jump
 * @param bytesRead bytes of the source handed to FFmpeg's demuxer (not the zeros that stand in for samples a read plan
 *                  leaves out)
 * @param seeks moves of the read position that FFmpeg's seeks came to (served in flight or by a new read; forward
 *              seeks with no read in between count once)
 * @param rangeReads reads issued at an offset after the first read (one per long jump)
 * @param openNanos from subscription until the stream was open and its parameters known, or -1
 * @param firstFrameNanos from subscription until the first frame was emitted, or -1
 * @param elapsedNanos from subscription until everything was closed
 */
public record DecodeStats(Outcome outcome, long framesDecoded, long framesSelected, long framesEmitted,
                          long corruptPackets, long bytesFetched, long bytesRead, long seeks, long rangeReads,
                          long openNanos, long firstFrameNanos, long elapsedNanos) {

    /** How a decode ended. */
    public enum Outcome {
        /** Every selected frame was emitted (or the frame limit was reached). */
        COMPLETED,
        /** An error was signalled downstream. */
        FAILED,
        /** Downstream cancelled. */
        CANCELLED
    }
}
