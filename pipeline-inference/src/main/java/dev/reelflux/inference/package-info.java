/**
 * Batches to model results: batch slabs, DJL (PyTorch) model loading, the per-device inference worker, and YOLO
 * post-processing.
 *
 * <pre>
 * SlabPool -&gt; BatchSlab (filled by the frame scaler) -&gt; FrameBatch
 *     -&gt; InferenceStage (through a shared InferenceWorker running a DetectorModel) -&gt; BatchResult
 *     -&gt; YoloStage -&gt; FrameResult (Detection, Keypoint)
 * </pre>
 *
 * Ownership: a {@link dev.reelflux.inference.FrameBatch} owns its slab until the worker closes it after predict; every
 * NDArray lives inside one predict call; {@link dev.reelflux.inference.BatchResult} and everything after it are plain
 * values.
 */
package dev.reelflux.inference;
