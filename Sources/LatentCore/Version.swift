/// Latent's version, printed by `latent --version` and recorded with experiment results.
public enum LatentVersion {
    /// The semantic version, e.g. `"0.1.0"`.
    public static let string = "0.1.0"
}
