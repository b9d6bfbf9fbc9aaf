// The umbrella module: `import Latent` brings in every public layer.
@_exported import LatentCore
@_exported import LatentIO
@_exported import LatentDecomposition
@_exported import LatentEval
@_exported import LatentNN
@_exported import LatentPlot
@_exported import LatentManifold
@_exported import LatentText
@_exported import LatentModels
