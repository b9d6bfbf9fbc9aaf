/// Latent's version, printed by `latent --version` and recorded with experiment results.
public enum LatentVersion {
    public static let string = "0.1.0"
}
