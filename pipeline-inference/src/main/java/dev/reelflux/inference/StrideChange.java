package dev.reelflux.inference;

/**
 * A decision of the budget planner (see {@link VideoAnalysis#optBudget}): from frame {@code fromFrame} on, model
 * {@code model} runs on every {@code stride}-th frame.
 *
 * @param model          the model's name
 * @param fromFrame      the first frame index the stride applies to
 * @param stride         every how many frames the model runs from there
 * @param atMillis       when the planner decided, in ms from the clip's start
 * @param expectedMillis when the planner then expected the clip to finish, in ms from its start
 */
public record StrideChange(String model, long fromFrame, int stride, double atMillis, double expectedMillis) {
}
