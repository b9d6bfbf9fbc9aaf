/// A learning rate as a pure function of the step number (0-based), to set
/// `optimizer.learningRate` before each step.
public enum LearningRateSchedule: Sendable, Codable, Equatable {
    /// The same rate throughout.
    case constant(Double)
    /// `base · gamma^⌊step / every⌋` (`torch.optim.lr_scheduler.StepLR`).
    case stepDecay(base: Double, every: Int, gamma: Double)
    /// Cosine annealing from `base` to `minimum` over `totalSteps` (Loshchilov & Hutter 2017),
    /// after `warmupSteps` of linear warm-up from 0.
    case cosine(base: Double, minimum: Double = 0, totalSteps: Int, warmupSteps: Int = 0)
    /// Linear warm-up from 0 to `base` over `warmupSteps`, then constant.
    case linearWarmup(base: Double, warmupSteps: Int)

    /// The learning rate at `step`.
    public func rate(at step: Int) -> Double {
        switch self {
        case let .constant(r):
            return r
        case let .stepDecay(base, every, gamma):
            return base * Double.pow(gamma, Double(step / max(1, every)))
        case let .cosine(base, minimum, total, warmup):
            if step < warmup { return base * Double(step + 1) / Double(warmup) }
            let progress = min(1, Double(step - warmup) / Double(max(1, total - warmup)))
            return minimum + (base - minimum) * 0.5 * (1 + Double.cos(Double.pi * progress))
        case let .linearWarmup(base, warmup):
            return step < warmup ? base * Double(step + 1) / Double(warmup) : base
        }
    }
}

import RealModule
