// latent-mpi-check: scenarios that LatentDistributedTests runs under `mpirun`. Every rank builds
// the same data from a seed and works on its share; rank 0 also runs the single-process
// computation and prints the largest differences, which the tests compare with their tolerances.
//
//   latent-mpi-check collectives          all-reduce, broadcast, gather, all-gather on known values
//   latent-mpi-check pca                  distributed (in memory and streamed) vs PCA<Float>
//   latent-mpi-check train CHECKPOINT     2 epochs data-parallel (1 + resume 1) vs Trainer, Float
//   latent-mpi-check resume CHECKPOINT    resume only (for the rank-count check)
//   latent-mpi-check disagree             ranks pass different feature counts to DistributedPCA
//   latent-mpi-check wait FOLDER          writes FOLDER/rank-N.pid, then all-reduces for 60 s
//   latent-mpi-check overlap [STEPS [REPEATS]]  what overlapping the all-reduce with backward could save (CNN)
import Foundation
import LatentCore
import LatentDecomposition
import LatentDistributed
import LatentNN

/// `n × d` rows with a well-separated spectrum: z·diag(scales)·R + offset, all seeded.
func syntheticRows(n: Int, d: Int, seed: UInt64) -> Matrix<Float> {
    var rng = Xoshiro256StarStar(seed: seed)
    let rotation = try! Matrix<Double>(rows: d, columns: d) { _, _ in rng.normal() }.qr().q
    var x = Matrix<Float>(rows: n, columns: d, repeating: 0)
    for i in 0..<n {
        let z = (0..<d).map { j in rng.normal() * 3 * Double.pow(0.75, Double(j)) }
        for j in 0..<d {
            var v = 5.0 + Double(j)
            for k in 0..<d { v += z[k] * rotation.storage[k * d + j] }
            x.storage[i * d + j] = Float(v)
        }
    }
    return x
}

/// The largest |a − b| over the largest |b|.
func relativeDifference(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "relativeDifference: \(a.count) vs \(b.count) values")
    let scale = b.map { Double(Swift.abs($0)) }.max() ?? 0
    let diff = zip(a, b).map { Double(Swift.abs($0 - $1)) }.max() ?? 0
    return diff / Swift.max(scale, .leastNormalMagnitude)
}

/// Rows `block(rank)` of `n` split into `ranks` contiguous blocks.
func block(_ n: Int, rank: Int, ranks: Int) -> Range<Int> { (rank * n / ranks)..<((rank + 1) * n / ranks) }

func pcaScenario(_ world: Communicator) throws {
    let (n, d, k) = (999, 20, 4)
    let x = syntheticRows(n: n, d: d, seed: 11)
    let mine = x.rows(block(n, rank: world.rank, ranks: world.size))
    let distributed = try DistributedPCA<Float>(components: .count(k)).fit(mine, over: world)
    // streamed: this rank's block in batches of 37 rows
    var statistics = CovarianceStatistics(features: d)
    for start in stride(from: 0, to: mine.rows, by: 37) { statistics.add(mine.rows(start..<Swift.min(start + 37, mine.rows))) }
    let streamed = try DistributedPCA<Float>(components: .count(k)).fit(statistics: statistics, over: world)
    let fraction = try DistributedPCA<Float>(components: .varianceFraction(0.9)).fit(mine, over: world)
    guard world.isRoot else { return }
    let single = try PCA<Float>(components: .count(k), solver: .covarianceEigen).fit(x)
    let singleFraction = try PCA<Float>(components: .varianceFraction(0.9), solver: .covarianceEigen).fit(x)
    for (name, model) in [("in memory", distributed), ("streamed", streamed)] {
        print("pca \(name) components: \(relativeDifference(model.components.storage, single.components.storage))")
        print("pca \(name) explained variance: \(relativeDifference(model.explainedVariance, single.explainedVariance))")
        print("pca \(name) mean: \(relativeDifference(model.mean, single.mean))")
        print("pca \(name) noise variance: \(relativeDifference([model.noiseVariance], [single.noiseVariance]))")
    }
    print("pca variance fraction components kept: \(fraction.outputFeatures) vs \(singleFraction.outputFeatures)")
}

/// A 10-16-16-3 MLP classifier on 120 seeded samples, batches of 24 (5 steps per epoch), Adam.
struct TrainingSetup {
    let loader: DataLoader<Float>
    let evaluation: DataLoader<Float>
    init() {
        var rng = Xoshiro256StarStar(seed: 5)
        let (n, d) = (120, 10)
        let x = Matrix<Float>(rows: n, columns: d) { _, _ in Float(rng.normal()) }
        let labels = (0..<n).map { i in (x.storage[i * d] + x.storage[i * d + 1] > 0 ? 1 : 0) + (x.storage[i * d + 2] > 0.5 ? 1 : 0) }
        loader = DataLoader(features: x, labels: labels, batchSize: 24, seed: 3)
        evaluation = DataLoader(features: x, labels: labels, batchSize: 40, shuffle: false)
    }
    func model() -> ImageClassifier<Float> { .mlp(inputSize: 10, hidden: [16, 16], classes: 3, seed: 9) }
}

func trainScenario(_ world: Communicator, checkpoint: URL) throws {
    let setup = TrainingSetup()
    func distributed() throws -> (DataParallelTraining<ClassificationTask<Float>, DataLoader<Float>>, ImageClassifier<Float>) {
        let net = setup.model()
        let training = try DataParallelTraining(task: ClassificationTask(net), optimizer: Adam(parameters: net.parameters, learningRate: 0.01),
                                                seed: 3, checkpoint: checkpoint, training: setup.loader,
                                                evaluation: setup.evaluation, communicator: world)
        return (training, net)
    }
    // epoch 1, checkpoint; then a fresh model resumed from it for epoch 2
    let (first, _) = try distributed()
    let firstReports = try first.fit(epochs: 1)
    let (second, net) = try distributed()
    try second.resume(from: checkpoint)
    let secondReports = try second.fit(epochs: 2)
    // every rank must hold bit-identical weights: compare a hash of their bit patterns
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for v in net.parameters.flatMap(\.storage) { hash = (hash ^ UInt64(v.bitPattern)) &* 0x0000_0100_0000_01B3 }
    let hashes = try world.allGather(Int64(bitPattern: hash))
    guard world.isRoot else { return }
    print("train ranks identical: \(Set(hashes).count == 1)")
    let reference = setup.model()
    let trainer = Trainer(model: reference, optimizer: Adam(parameters: reference.parameters, learningRate: 0.01), seed: 3)
    let single = try trainer.fit(setup.loader, evaluation: setup.evaluation, epochs: 2)
    let mine = net.parameters.flatMap(\.storage), theirs = reference.parameters.flatMap(\.storage)
    print("train steps: \(second.trainer.progress.step) vs \(trainer.progress.step)")
    print("train parameters: \(relativeDifference(mine, theirs))")
    let reports = firstReports + secondReports
    print("train loss: \(relativeDifference(reports.map { Float($0.trainingLoss) }, single.map { Float($0.trainingLoss) }))")
    print("train evaluation loss: \(relativeDifference(reports.map { Float($0.evaluationLoss!) }, single.map { Float($0.evaluationLoss!) }))")
    print("train evaluation accuracy: \(reports.map { $0.evaluationAccuracy! }) vs \(single.map { $0.evaluationAccuracy! })")
    print("train all-reduce seconds per step: \(second.reduction.communicationSeconds / Double(max(second.reduction.steps, 1)))")
}

func resumeScenario(_ world: Communicator, checkpoint: URL) throws {
    let setup = TrainingSetup()
    let net = setup.model()
    let training = try DataParallelTraining(task: ClassificationTask(net), optimizer: Adam(parameters: net.parameters, learningRate: 0.01),
                                            seed: 3, training: setup.loader, communicator: world)
    try training.resume(from: checkpoint)
}

/// The collectives on known values: rank r contributes r + 1 copies of r + 0.5 (Float and Double).
func collectivesScenario(_ world: Communicator) throws {
    let r = world.rank, p = world.size
    var sums: [Double] = [Double(r) + 0.5, 1]
    try world.allReduce(&sums)
    var high: [Float] = [Float(r)]
    try world.allReduce(&high, .maximum)
    var fromRoot: [Float] = world.isRoot ? [1.5, 2.5, 3.5] : [0, 0, 0]
    try world.broadcast(&fromRoot)
    let anyLength = try world.broadcast(any: world.isRoot ? [Double](repeating: 7, count: 5) : [], from: 0)
    let gathered = try world.gather([Double](repeating: Double(r) + 0.5, count: r + 1))
    let ranks = try world.allGather(Int64(r))
    let ok = sums == [Double(p * p) / 2, Double(p)] && high == [Float(p - 1)] && fromRoot == [1.5, 2.5, 3.5]
        && anyLength == [Double](repeating: 7, count: 5) && ranks == (0..<p).map(Int64.init)
    let oks = try world.allGather(Int64(ok ? 1 : 0))
    guard world.isRoot else { return }
    let expected = (0..<p).map { [Double](repeating: Double($0) + 0.5, count: $0 + 1) }
    print("collectives all ranks correct: \(oks.allSatisfy { $0 == 1 })")
    print("collectives gather correct: \(gathered == expected)")
}

func waitScenario(_ world: Communicator, folder: URL) throws {
    try "\(getpid())".write(to: folder.appendingPathComponent("rank-\(world.rank).pid"), atomically: true, encoding: .utf8)
    var buffer = [Double](repeating: 1, count: 1000)
    let end = Date().addingTimeInterval(60)
    while Date() < end {
        try world.allReduce(&buffer)
        for i in buffer.indices { buffer[i] = 1 }
        usleep(10_000)
    }
}

/// What overlapping the gradient all-reduce with the backward pass could save: the CNN of
/// `latent train classifier --model cnn` (421,642 parameters) on 64 random images per rank (the
/// step of `scripts/bench/mpi.py` at 2 ranks). Per step: this rank's forward + backward, then the
/// wait for the slowest rank (a barrier). Then, `repeats` times after a barrier, the gradient
/// reduction of training (`GradientAllReduce.reduce`: packing, the bucketed non-blocking
/// all-reduce, unpacking) and a blocking `MPI_Allreduce` of the same number of floats: the
/// transfer, the only part overlap can hide. Rank 0 prints the medians (and the minima, the least
/// disturbed by other processes), with the compute and wait of every rank.
func overlapScenario(_ world: Communicator, steps: Int, repeats: Int) throws {
    let net = ImageClassifier<Float>.cnn(seed: 1)
    var rng = Xoshiro256StarStar(seed: UInt64(10 + world.rank))
    let x = Matrix<Float>(rows: 64, columns: 784) { _, _ in Float(rng.normal()) }
    let labels = (0..<64).map { _ in rng.integer(below: 10) }
    let loader = DataLoader(features: x, labels: labels, batchSize: 64, shuffle: false, sampleShape: net.sampleShape)
    let task = ClassificationTask(net)
    var buffer = [Float](repeating: 1, count: net.parameterCount)
    let reduction = GradientAllReduce(communicator: world, parameters: net.parameters, buffers: [])
    var compute: [Double] = [], waiting: [Double] = [], transfer: [Double] = [], reduce: [Double] = []
    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start) / .seconds(1)
    }
    for _ in 0..<steps {
        try world.barrier()
        compute.append(try seconds { try loader.forEachBatch(epoch: 0) { batch in net.zeroGrad(); task.loss(batch).backward() } })
        waiting.append(try seconds { try world.barrier() })
    }
    for _ in 0..<repeats {
        try world.barrier()
        reduce.append(try seconds { _ = try reduction.reduce(localLoss: 1, samples: 64) })
        try world.barrier()
        transfer.append(try seconds { try world.allReduce(&buffer) })
    }
    func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] * 1000 }
    let computes = try world.allGather(median(compute))
    let waits = try world.allGather(median(waiting))
    guard world.isRoot else { return }
    print("overlap parameters: \(net.parameterCount)")
    print("overlap compute ms per rank: \(computes.map { String(format: "%.1f", $0) }.joined(separator: ", "))")
    print("overlap wait ms per rank: \(waits.map { String(format: "%.2f", $0) }.joined(separator: ", "))")
    print("overlap gradient reduction ms: median \(String(format: "%.2f", median(reduce))), minimum \(String(format: "%.2f", reduce.min()! * 1000))")
    print("overlap MPI_Allreduce ms: median \(String(format: "%.2f", median(transfer))), minimum \(String(format: "%.2f", transfer.min()! * 1000))")
}

let arguments = CommandLine.arguments.dropFirst()
let world: Communicator
do { world = try Communicator.world() } catch { FileHandle.standardError.write(Data("latent-mpi-check: \(error)\n".utf8)); exit(1) }
do {
    switch arguments.first {
    case "pca": try pcaScenario(world)
    case "collectives": try collectivesScenario(world)
    case "train": try trainScenario(world, checkpoint: URL(fileURLWithPath: arguments.dropFirst().first!))
    case "resume": try resumeScenario(world, checkpoint: URL(fileURLWithPath: arguments.dropFirst().first!))
    case "disagree":
        _ = try DistributedPCA<Float>().fit(syntheticRows(n: 10, d: 3 + world.rank, seed: 1), over: world)
    case "overlap":
        let counts = arguments.dropFirst().compactMap { Int($0) }
        try overlapScenario(world, steps: counts.first ?? 20, repeats: counts.dropFirst().first ?? 200)
    case "wait": try waitScenario(world, folder: URL(fileURLWithPath: arguments.dropFirst().first!))
    default:
        FileHandle.standardError.write(Data("usage: latent-mpi-check collectives|pca|train FILE|resume FILE|disagree|wait FOLDER|overlap [STEPS [REPEATS]]\n".utf8))
        world.abort(code: 2)
    }
    try world.finalize()
} catch {
    // every rank reaches the same error in the collectives above; rank 0 reports it
    if world.isRoot { print("error: \(error)") }
    try? world.finalize()
    exit(1)
}
