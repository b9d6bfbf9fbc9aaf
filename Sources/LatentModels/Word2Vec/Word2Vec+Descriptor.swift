import Foundation
import LatentCore
import LatentText

extension Word2Vec {
    /// The fewest occurrences a word needs to get a vector (gensim's `min_count`), the default of
    /// the `word2vec` batch method and `latent word2vec train --min-count`.
    public static let defaultMinCount = 5

    /// The configuration a `word2vec` parameter set describes, with `seed` (the run's).
    public init(parameters p: Parameters, seed: UInt64) {
        self.init(architecture: Architecture(rawValue: p.string("architecture"))!, dimension: p.int("dimension"),
                  window: p.int("window"), negative: p.int("negative"), hierarchicalSoftmax: p.bool("hierarchical-softmax"),
                  cbowMean: !p.bool("cbow-sum"), sample: p.double("sample"), alpha: p.double("alpha"),
                  minAlpha: p.double("min-alpha"), epochs: p.int("epochs"), threads: p.int("threads"), seed: seed)
    }
}

extension MethodDescriptor {
    /// `word2vec`: skip-gram or CBOW word vectors (`Word2Vec`) trained on a corpus dataset. The
    /// parameters are `latent word2vec train`'s flags with the same defaults (`Word2Vec()` and
    /// `Word2Vec.defaultMinCount`), except `threads`: 1 here, so a run is bit-reproducible for its
    /// seed (the command defaults to all cores); the seed is the batch's.
    ///
    /// The fitted model's `state` is the `Word2VecModel`; its `transform` maps an n × 1 column of
    /// word ids (0 = the most frequent word) to their n × dimension vectors; its artifact
    /// `vectors` is the vocabulary's V × dimension matrix, most frequent word first.
    /// Cost: O(kept tokens · window · (negative + 1) · dimension) per epoch.
    public static let word2vec: MethodDescriptor = {
        let d = Word2Vec()
        return MethodDescriptor(
            name: "word2vec", summary: "word vectors by skip-gram or CBOW with negative sampling (Mikolov et al. 2013) from a text corpus",
            parameters: [
                .choice("architecture", Word2Vec.Architecture.allCases.map(\.rawValue), default: d.architecture.rawValue,
                        help: "skipgram: each context word predicts the centre word; cbow: the mean of the context does"),
                .int("dimension", default: d.dimension, min: 1, max: 100_000, help: "vector length"),
                .int("window", default: d.window, min: 1, max: 10_000, help: "largest context distance; each position draws its window from 1…window"),
                .int("negative", default: d.negative, min: 0, max: 1000, help: "negative samples per prediction (0 needs hierarchical-softmax)"),
                .bool("hierarchical-softmax", default: d.hierarchicalSoftmax, help: "also (or with negative 0, only) train by hierarchical softmax"),
                .bool("cbow-sum", default: !d.cbowMean, help: "CBOW: sum the context vectors instead of averaging them"),
                .double("sample", default: d.sample, min: 0, help: "subsampling threshold (gensim's sample; 0 = off)"),
                .double("alpha", default: d.alpha, min: 0, help: "initial learning rate (> 0)"),
                .double("min-alpha", default: d.minAlpha, min: 0, help: "final learning rate (≤ alpha), reached linearly at the end of the last epoch"),
                .int("epochs", default: d.epochs, min: 1, max: 10_000, help: "passes over the corpus"),
                .int("min-count", default: Word2Vec.defaultMinCount, min: 1, help: "words occurring fewer times are dropped"),
                .int("threads", default: 1, min: 1, max: 1024,
                     help: "Hogwild worker threads (1: bit-reproducible for a seed; `latent word2vec train` defaults to all cores)"),
            ],
            columnPrefix: "w",
            checkParameters: { p in Word2Vec(parameters: p, seed: 0).invalidSetting }
        ) { source, p, seed in
            guard let splitting = Tokenization.Splitting(rawValue: source.tokens) else {
                throw EstimatorError.invalidData(method: "word2vec", reason: "unknown tokenisation '\(source.tokens)'")
            }
            let corpus = try Corpus.read(contentsOf: URL(fileURLWithPath: source.path),
                                         tokenization: Tokenization(splitting: splitting, lowercase: source.lowercase),
                                         minCount: p.int("min-count"))
            return try Word2Vec(parameters: p, seed: seed).train(corpus).fittedModel
        }
    }()
}

extension Word2VecModel {
    /// The model as a batch run's result: `state` is the model itself, `transform` looks up the
    /// vectors of an n × 1 column of word ids, the artifact `vectors` holds every word's vector,
    /// and the metrics are the vocabulary size and the tokens trained on.
    public var fittedModel: FittedModel {
        let vectors = self.vectors
        let table = Matrix<Double>(rows: vectors.count, columns: vectors.dimension, storage: vectors.vectors.storage.map(Double.init))
        var description = ModelDescription()
        description.field("architecture", "architecture", .text(configuration.architecture.rawValue))
        description.field("words", "words", .int(vectors.count))
        description.field("dimension", "dimension", .int(vectors.dimension))
        return FittedModel(
            inputFeatures: 1, outputFeatures: vectors.dimension,
            transform: FittedModel.rowLookup(table, method: "word2vec", what: "word id"),
            metrics: ["vocabulary-size": Double(vectors.count), "effective-words": Double(report.effectiveWords)],
            artifacts: ["vectors": table], description: description, state: self)
    }
}
