/// What an iterative fit reports while it runs, the classic learners' counterpart of LatentNN's
/// `TrainingEvent`. Learners that fit in steps (`BernoulliRBM`, `MiniBatchDictionaryLearning`,
/// `IncrementalPCA`) or iterations (`DictionaryLearning`, `NMF`; there a step is an iteration over
/// all rows, and `epoch` equals `step`) take an `onEvent` callback, called on the fitting thread
/// between steps; it changes nothing in the fit (same numbers with and without it), and the CLI
/// draws progress from it.
public enum FitEvent: Sendable, Equatable {
    /// Update `step` (counting from 1) of at most `steps` is done; `epoch` counts from 1; `cost` is
    /// the step's objective where the learner computes one anyway (`nil` otherwise).
    case step(step: Int, steps: Int, epoch: Int, cost: Double?)
    /// Pass `epoch` (counting from 1) of `epochs` over the data ended; `score` is the learner's
    /// monitored quantity for the epoch (the RBM's mean pseudo-likelihood), `nil` where it has none.
    case epochFinished(epoch: Int, epochs: Int, score: Double?)
}
