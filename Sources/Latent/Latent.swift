// The umbrella module: `import Latent` brings in every public layer.
@_exported import LatentCore
@_exported import LatentIO
@_exported import LatentDecomposition
@_exported import LatentManifold
