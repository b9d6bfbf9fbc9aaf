import LatentCore

/// The augmentation family of a self-supervised method as plain, `Codable` numbers (stored in
/// model files and compared on resume), turned into an `AugmentationPipeline` by `pipeline`.
/// Steps, in order: random resized crop (always), horizontal flip, brightness/contrast jitter
/// (colour jitter and colour drop for 3 channels), Gaussian blur, random erasing, Gaussian noise.
/// A probability of 0 leaves a step out.
public struct AugmentationSettings: Codable, Sendable, Equatable {
    /// Area range of the random resized crop (1...1: no crop).
    public var cropScale: ClosedRange<Double>
    public var flipProbability: Double
    /// Jitter strength `s` (brightness and contrast `1 ± s`) and its probability.
    public var jitterStrength: Double
    public var jitterProbability: Double
    /// Colour drop probability (3-channel images only).
    public var colourDropProbability: Double
    public var blurProbability: Double
    public var erasingProbability: Double
    /// Standard deviation of additive noise (0: none).
    public var noise: Double

    public init(cropScale: ClosedRange<Double> = 0.2...1, flipProbability: Double = 0.5, jitterStrength: Double = 0.4,
                jitterProbability: Double = 0.8, colourDropProbability: Double = 0.2, blurProbability: Double = 0.5,
                erasingProbability: Double = 0, noise: Double = 0) {
        self.cropScale = cropScale
        self.flipProbability = flipProbability
        self.jitterStrength = jitterStrength
        self.jitterProbability = jitterProbability
        self.colourDropProbability = colourDropProbability
        self.blurProbability = blurProbability
        self.erasingProbability = erasingProbability
        self.noise = noise
    }

    /// SimCLR's family for small images (see `AugmentationPipeline.simCLR`).
    public static let simCLR = AugmentationSettings()
    /// Light augmentation for the pretext tasks: crops of 60–100% of the area and flips only.
    public static let light = AugmentationSettings(cropScale: 0.6...1, jitterProbability: 0, colourDropProbability: 0, blurProbability: 0)
    /// None: views are the images.
    public static let none = AugmentationSettings(cropScale: 1...1, flipProbability: 0, jitterProbability: 0,
                                                  colourDropProbability: 0, blurProbability: 0)

    /// The family a command line or batch file names: `simclr`, `light` or `none` (`nil` for other names).
    public static func named(_ name: String) -> AugmentationSettings? {
        switch name {
        case "simclr": return .simCLR
        case "light": return .light
        case "none": return AugmentationSettings.none
        default: return nil
        }
    }

    /// These settings with random resized crops of `smallest…1` of the area (`smallest` 0: unchanged).
    public func withCropScale(_ smallest: Double) -> AugmentationSettings {
        var settings = self
        if smallest > 0 { settings.cropScale = smallest...1 }
        return settings
    }

    /// What is out of range, or `nil`.
    public var problem: String? {
        if !(cropScale.lowerBound > 0 && cropScale.upperBound <= 1) { return "crop scale \(cropScale) must lie in (0, 1]" }
        let p = [flipProbability, jitterProbability, colourDropProbability, blurProbability, erasingProbability]
        if !p.allSatisfy({ $0 >= 0 && $0 <= 1 }) { return "augmentation probabilities must lie in [0, 1]" }
        if !(jitterStrength >= 0 && jitterStrength <= 1) { return "jitter strength \(jitterStrength) must lie in [0, 1]" }
        if !(noise >= 0 && noise.isFinite) { return "noise \(noise) must be finite and ≥ 0" }
        return nil
    }

    /// The pipeline for `channels × height × width` images (crop output of the same size).
    public func pipeline(channels: Int, height: Int, width: Int) -> AugmentationPipeline {
        typealias Step = AugmentationPipeline.Step
        var steps: [Step] = []
        if cropScale != 1...1 { steps.append(Step(RandomResizedCrop(height: height, width: width, scale: cropScale))) }
        if flipProbability > 0 { steps.append(Step(HorizontalFlip(), probability: flipProbability)) }
        if jitterProbability > 0 {
            let jitter: any Augmentation = channels == 3
                ? ColourJitter(brightness: jitterStrength * 2, contrast: jitterStrength * 2, saturation: jitterStrength * 2, hue: jitterStrength / 2)
                : BrightnessContrastJitter(brightness: jitterStrength, contrast: jitterStrength)
            steps.append(Step(jitter, probability: jitterProbability))
        }
        if channels == 3 && colourDropProbability > 0 { steps.append(Step(ColourDrop(), probability: colourDropProbability)) }
        if blurProbability > 0 {
            steps.append(Step(GaussianBlur(kernelSize: Swift.max(3, (Swift.min(height, width) / 10) | 1)), probability: blurProbability))
        }
        if erasingProbability > 0 { steps.append(Step(RandomErasing(), probability: erasingProbability)) }
        if noise > 0 { steps.append(Step(GaussianNoise(standardDeviation: 0...noise))) }
        return AugmentationPipeline(steps)
    }
}
