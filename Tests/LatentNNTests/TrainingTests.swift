import Foundation
import Testing
import LatentCore
import LatentIO
@testable import LatentNN

/// A temporary checkpoint path, removed by the caller.
private func temporaryURL() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("latent-ckpt-\(UUID().uuidString).safetensors")
}

/// Three Gaussian blobs in 6 dimensions (90 samples), labels 0…2: an easy classification problem.
private func blobs(seed: UInt64 = 5) -> (Matrix<Float>, [Int]) {
    var rng = Xoshiro256StarStar(seed: seed)
    let centres: [[Double]] = (0..<3).map { _ in (0..<6).map { _ in rng.normal(mean: 0, standardDeviation: 2) } }
    var values: [Float] = [], labels: [Int] = []
    for i in 0..<90 {
        let c = i % 3
        labels.append(c)
        values += centres[c].map { Float($0 + rng.normal(mean: 0, standardDeviation: 0.7)) }
    }
    return (Matrix(rows: 90, columns: 6, storage: values), labels)
}

private func tinyModel(seed: UInt64) -> ImageClassifier<Float> {
    ImageClassifier.mlp(inputSize: 6, hidden: [16, 16], classes: 3, dropout: 0.2, seed: seed)
}

@Suite struct DataLoaderTests {
    @Test func epochOrderDependsOnlyOnSeedAndEpoch() {
        let x = Matrix<Float>(rows: 10, columns: 4, storage: (0..<40).map(Float.init))
        let a = DataLoader(features: x, labels: Array(0..<10), batchSize: 3, seed: 7)
        let b = DataLoader(features: x, labels: Array(0..<10), batchSize: 3, seed: 7)
        let o3 = a.order(epoch: 3)
        _ = b.order(epoch: 0); _ = b.order(epoch: 1)
        #expect(b.order(epoch: 3) == o3)
        #expect(o3.sorted() == Array(0..<10))
        #expect(a.order(epoch: 2) != o3)
        #expect(DataLoader(features: x, batchSize: 3, seed: 8).order(epoch: 3) != o3)
        #expect(DataLoader(features: x, batchSize: 3, shuffle: false).order(epoch: 5) == Array(0..<10))
    }

    @Test func batchesCopyRowsAndLabelsInOrder() {
        let x = Matrix<Float>(rows: 10, columns: 4, storage: (0..<40).map(Float.init))
        let loader = DataLoader(features: x, labels: (0..<10).map { $0 * 10 }, batchSize: 4, seed: 1, sampleShape: [1, 2, 2])
        let batches = loader.batches(epoch: 2)
        #expect(batches.count == 3 && loader.batchCount == 3)
        #expect(batches.map { $0.indices.count } == [4, 4, 2])
        #expect(batches.flatMap(\.indices) == loader.order(epoch: 2))
        let last = batches[2]
        #expect(last.inputs.shape == [2, 1, 2, 2])
        #expect(last.labels == last.indices.map { $0 * 10 })
        #expect(last.inputs.storage == last.indices.flatMap { r in (0..<4).map { Float(4 * r + $0) } })
        let dropping = DataLoader(features: x, batchSize: 4, dropLast: true, seed: 1)
        #expect(dropping.batchCount == 2 && dropping.batches(epoch: 0).allSatisfy { $0.indices.count == 4 && $0.labels.isEmpty })
    }
}

@Suite struct CheckpointTests {
    @Test func saveAndLoadRestoreParametersBuffersOptimizerAndMetadata() throws {
        var rng = Xoshiro256StarStar(seed: 1)
        func makeModel(_ rng: inout Xoshiro256StarStar) -> Sequential<Double> {
            Sequential { Linear(3, 4, using: &rng); BatchNorm(channels: 4); ReLU(); Dropout(probability: 0.5, seed: 9); Linear(4, 2, using: &rng) }
        }
        let model = makeModel(&rng)
        let optimizer = Adam(parameters: model.parameters)
        let x = Tensor<Double>.randomNormal([5, 3], using: &rng)
        for _ in 0..<3 {           // move weights, running statistics, moments and the dropout generator
            model.zeroGrad()
            model(x).squared().mean().backward()
            optimizer.step()
        }
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.save(model: model, optimizer: optimizer, progress: TrainingProgress(epoch: 2, step: 3, seed: 42),
                            metadata: ["model": "test"], to: url)

        let st = try SafeTensors.read(url)
        #expect(Set(st.names) == Set(["model.layers.0.weight", "model.layers.0.bias", "model.layers.1.weight", "model.layers.1.bias",
                                      "model.layers.1.runningMean", "model.layers.1.runningVariance",
                                      "model.layers.4.weight", "model.layers.4.bias", "optimizer.step"]
                                     + (0..<6).flatMap { ["optimizer.\($0).exp_avg", "optimizer.\($0).exp_avg_sq"] }))
        #expect(st.tensors["optimizer.0.exp_avg"]?.shape == [4, 3] && st.tensors["optimizer.step"]?.shape == [])
        #expect(st.metadata["generator.model.layers.3"] != nil && st.metadata["model"] == "test")

        var other = Xoshiro256StarStar(seed: 2)
        let fresh = makeModel(&other)
        let freshOptimizer = Adam(parameters: fresh.parameters)
        let contents = try Checkpoint.load(from: url, into: fresh, optimizer: freshOptimizer)
        #expect(contents.progress == TrainingProgress(epoch: 2, step: 3, seed: 42))
        #expect(contents.metadata["model"] == "test")
        for (a, b) in zip(model.namedTensors(), fresh.namedTensors()) { #expect(a.name == b.name && a.tensor.storage == b.tensor.storage) }
        #expect(freshOptimizer.stepCount == 3)
        #expect(freshOptimizer.stateTensors().map(\.values) == optimizer.stateTensors().map(\.values))
        let dropA = model.layers[3] as! Dropout<Double>, dropB = fresh.layers[3] as! Dropout<Double>
        #expect(dropA.generator == dropB.generator)
    }

    @Test func mismatchedModelsAreRejectedWithoutChangingTheModel() throws {
        var rng = Xoshiro256StarStar(seed: 1)
        let model = Sequential<Float> { Linear(3, 4, using: &rng); Linear(4, 2, using: &rng) }
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.save(model: model, progress: TrainingProgress(seed: 1), to: url)
        let path = url.path

        let wider = Sequential<Float> { Linear(3, 5, using: &rng); Linear(5, 2, using: &rng) }
        let before = wider.namedTensors().map(\.tensor.storage)
        #expect(throws: CheckpointError.shapeMismatch(path: path, name: "model.layers.0.weight", expected: [5, 3], found: [4, 3])) {
            try Checkpoint.load(from: url, into: wider)
        }
        #expect(wider.namedTensors().map(\.tensor.storage) == before)
        let deeper = Sequential<Float> { Linear(3, 4, using: &rng); Linear(4, 2, using: &rng); Linear(2, 2, using: &rng) }
        #expect(throws: CheckpointError.missingTensor(path: path, name: "model.layers.2.weight")) { try Checkpoint.load(from: url, into: deeper) }
        let shallower = Sequential<Float> { Linear(3, 4, using: &rng) }
        #expect(throws: CheckpointError.unexpectedTensor(path: path, name: "model.layers.1.bias")) { try Checkpoint.load(from: url, into: shallower) }
        let double = Sequential<Double> { Linear(3, 4, using: &rng); Linear(4, 2, using: &rng) }
        #expect(throws: CheckpointError.dtypeMismatch(path: path, name: "model.layers.0.weight", expected: "F64", found: "F32")) {
            try Checkpoint.load(from: url, into: double)
        }
        let same = Sequential<Float> { Linear(3, 4, using: &rng); Linear(4, 2, using: &rng) }
        #expect(throws: CheckpointError.optimizerState(path: path, reason: "missing step")) {
            try Checkpoint.load(from: url, into: same, optimizer: Adam(parameters: same.parameters))
        }
        #expect(throws: CheckpointError.badMetadata(path: path, key: "format", reason: "missing")) {
            try Checkpoint.load(SafeTensors(bytes: SafeTensors.encode([]), path: path), into: same)
        }
    }
}

@Suite struct TrainerTests {
    @Test func resumingFromACheckpointIsBitwiseExact() throws {
        let (x, y) = blobs()
        let loader = DataLoader(features: x, labels: y, batchSize: 16, seed: 11)
        func trainer(_ model: ImageClassifier<Float>, checkpoint: URL?) -> Trainer<ClassificationTask<Float>> {
            Trainer(model: model, optimizer: Adam(parameters: model.parameters, learningRate: 0.01), seed: 11,
                    schedule: .cosine(base: 0.01, totalSteps: 24, warmupSteps: 3), checkpoint: checkpoint)
        }
        let straight = tinyModel(seed: 11)
        try trainer(straight, checkpoint: nil).fit(loader, epochs: 4)

        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let first = tinyModel(seed: 11)
        let firstReports = try trainer(first, checkpoint: url).fit(loader, epochs: 2)
        #expect(firstReports.map(\.epoch) == [1, 2] && firstReports.last?.step == 12)
        let resumed = tinyModel(seed: 999)          // different initial weights and dropout streams
        let t = trainer(resumed, checkpoint: url)
        try t.resume()
        #expect(t.progress == TrainingProgress(epoch: 2, step: 12, seed: 11))
        let reports = try t.fit(loader, epochs: 4)
        #expect(reports.map(\.epoch) == [3, 4])
        for (a, b) in zip(straight.namedTensors(), resumed.namedTensors()) {
            #expect(a.name == b.name)
            #expect(a.tensor.storage.map(\.bitPattern) == b.tensor.storage.map(\.bitPattern), "\(a.name) differs after resuming")
        }
    }

    @Test func nonFiniteLossStopsAndKeepsTheLastGoodCheckpoint() throws {
        let (x, y) = blobs()
        let loader = DataLoader(features: x, labels: y, batchSize: 32, seed: 3)
        let model = tinyModel(seed: 3)
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let trainer = Trainer(model: model, optimizer: Adam(parameters: model.parameters), seed: 3, checkpoint: url)
        try trainer.fit(loader, epochs: 1)
        let saved = try Data(contentsOf: url)

        // a NaN that reaches the logits: the loss of the next step (4, epoch 2) is NaN
        let lastBias = model.body.namedParameters.last!.tensor
        lastBias.storage[0] = .nan
        let error = #expect(throws: TrainingError.self) { try trainer.fit(loader, epochs: 3) }
        guard case let .nonFiniteLoss(epoch, step, value) = error else { Issue.record("expected a non-finite loss, got \(String(describing: error))"); return }
        #expect(epoch == 2 && step == 4 && value.isNaN)
        #expect("\(error!)".contains("step 4 (epoch 2)"))
        #expect(try Data(contentsOf: url) == saved)

        // back to the checkpoint; then a NaN that no loss has seen yet (it appears in the epoch's
        // last update) is caught before the checkpoint is written
        try trainer.resume()
        #expect(trainer.progress == TrainingProgress(epoch: 1, step: 3, seed: 3) && lastBias.storage[0].isFinite)
        let firstWeight = model.body.namedParameters[0].tensor
        #expect(throws: TrainingError.nonFiniteParameter(epoch: 2, step: 6, name: "body.layers.0.weight")) {
            try trainer.fit(loader, epochs: 3) { event in
                if case .step(_, _, _, 6, _) = event { firstWeight.storage[0] = .nan }
            }
        }
        #expect(try Data(contentsOf: url) == saved)

        // and training goes on from the last good state
        try trainer.resume()
        #expect(try trainer.fit(loader, epochs: 3).map(\.epoch) == [2, 3])
    }

    @Test func trainingReducesTheLossOnSyntheticData() throws {
        let (x, y) = blobs()
        let loader = DataLoader(features: x, labels: y, batchSize: 16, seed: 4)
        let model = ImageClassifier<Float>.mlp(inputSize: 6, hidden: [16], classes: 3, seed: 4)
        let trainer = Trainer(model: model, optimizer: Adam(parameters: model.parameters, learningRate: 0.02), seed: 4)
        var steps = 0
        let reports = try trainer.fit(loader, evaluation: DataLoader(features: x, labels: y, batchSize: 64, shuffle: false), epochs: 8) {
            if case .step = $0 { steps += 1 }
        }
        #expect(steps == 8 * 6)
        #expect(reports.last!.trainingLoss < 0.3 * reports.first!.trainingLoss)
        #expect(reports.last!.evaluationAccuracy! > 0.9)
    }
}
