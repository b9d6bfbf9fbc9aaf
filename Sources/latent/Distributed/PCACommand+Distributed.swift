import ArgumentParser
import Foundation
import Latent
import LatentDistributed

extension PCACommand {
    /// `mpirun -np N latent pca INPUT --distributed`: every rank reads INPUT and keeps its block of
    /// rows (rank r: rows ⌊r·n/N⌋ ..< ⌊(r+1)·n/N⌋); the ranks reduce the mean and the centred
    /// scatter (`DistributedPCA`, covariance-eigen, exact), streamed in batches of `--batch-size`
    /// rows when given; rank 0 eigendecomposes, then writes the summary, `--output` and
    /// `--save-model` as `latent pca` does (`FitCommand.report`), with the ranks recorded.
    func runDistributed() throws {
        global.apply()
        try OutputSafety.check(inputs: input.namedFiles, outputs: output.namedFiles)
        try DistributedRun.run { world in
            let progress = Progress(quiet: output.quiet || !world.isRoot)
            progress.stage("loading \(input.input) on \(world.size) ranks")
            let data = try DistributedRun.local(world) { () -> LoadedData in
                let data = try input.load()
                try DataCheck.requireUsable(data.x, name: data.name)
                return data
            }
            try world.requireAgreement([Int64(data.x.rows), Int64(data.x.columns)], on: "the input's rows and columns")
            try world.requireAgreement([Int64(batchSize ?? 0), Int64(bitPattern: global.seed)], on: "--batch-size and --seed")
            let (n, d) = (data.x.rows, data.x.columns)
            if let components, components > Swift.min(n, d) {
                throw DistributedError.invalidData("--components \(components) exceeds min(rows, features) = \(Swift.min(n, d)) of \(data.name)")
            }
            let block = data.x.rows(world.block(of: n))
            progress.stage("\(n) rows × \(d) features; rank 0 holds \(block.rows) rows")

            let start = DispatchTime.now()
            let amount: PCAComponents = components.map(PCAComponents.count) ?? variance.map(PCAComponents.varianceFraction) ?? .all
            let pca = DistributedPCA<Double>(components: amount, whiten: whiten)
            let model = try progress.timed("fitting distributed pca (covariance-eigen over \(world.size) ranks)") { () -> PCAModel<Double> in
                guard let batchSize else { return try pca.fit(block, over: world) }
                var statistics = CovarianceStatistics(features: d)
                for s in stride(from: 0, to: block.rows, by: batchSize) { statistics.add(block.rows(s..<Swift.min(s + batchSize, block.rows))) }
                return try pca.fit(statistics: statistics, over: world)
            }.0
            let fitSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            guard world.isRoot else { return }
            // after the last collective: a failure here (whitening by zero, a file) ends MPI normally
            do {
                try Self.refuseWhiteningByZero(model)
                var options = recordedFlags
                options["solver"] = .string("distributed-covariance-eigen")
                options["ranks"] = .int(world.size)
                try report(model.fittedModel, data: data, fitSeconds: fitSeconds, options: options, progress: progress)
            } catch {
                throw DistributedRun.AfterLastCollective(error: error)
            }
        }
    }
}
