import LatentCore

/// The features of a tree ensemble's training set, stored as scikit-learn's trees see them:
/// column by column in `Float` (scikit-learn converts `X` to float32), with each column's sample
/// order sorted once so every tree level finds its splits in one pass per feature.
struct TreeFeatures: Sendable {
    /// `values[f][i]`: feature f of sample i.
    let values: [[Float]]
    /// `sorted[f]`: sample indices in ascending order of feature f.
    let sorted: [[Int]]
    var samples: Int { values.first?.count ?? 0 }

    /// - Complexity: O(d·n log n).
    init<S: BLASScalar>(_ x: Matrix<S>) {
        values = (0..<x.columns).map { f in (0..<x.rows).map { Float(Double(x[$0, f])) } }
        sorted = values.map { column in column.indices.sorted { column[$0] < column[$1] } }
    }
}

/// A regression tree grown as scikit-learn's `DecisionTreeRegressor(criterion="squared_error",
/// splitter="best", max_depth=maxDepth)` with unit sample weights: each node takes the split that
/// maximises `S_L²/n_L + S_R²/n_R` (the proxy of the squared-error decrease) over every feature and
/// every gap between runs of values (a value within 1e-7 of the one before it continues a run), at
/// the threshold halfway between the first value of the run on the left and the value on the right; a node is a leaf at `maxDepth`, below 2 samples, or with variance
/// ≤ 2.2e-16. Ties between features go to the lower feature index (scikit-learn visits features
/// in a random order, so exact ties are broken at random there).
///
/// The tree keeps what gradient boosting needs: the leaf of every training sample, and each
/// feature's summed impurity decrease `n·imp − n_L·imp_L − n_R·imp_R` (scikit-learn's
/// `compute_feature_importances(normalize=False)` before its division by the root's size).
struct RegressionTree: Sendable {
    /// One node; a leaf has `feature == -1`.
    struct Node: Sendable {
        var feature = -1
        var threshold = 0.0
        var left = -1, right = -1
        var value = 0.0
    }

    private(set) var nodes: [Node]
    /// Summed impurity decrease per feature (unnormalised).
    let impurityDecrease: [Double]
    /// The leaf of each training sample.
    let trainingLeaves: [Int]

    /// Whether the root was split.
    var isSplit: Bool { nodes.count > 1 }

    /// Grows a tree on `targets` (one per sample of `features`).
    /// - Complexity: O(maxDepth · d · n).
    init(features: TreeFeatures, targets: [Double], maxDepth: Int) {
        let n = features.samples
        precondition(targets.count == n, "RegressionTree: \(targets.count) targets for \(n) samples")
        struct Stats { var count = 0; var sum = 0.0; var squares = 0.0
            var impurity: Double { squares / Double(count) - (sum / Double(count)) * (sum / Double(count)) } }
        var nodes = [Node()], stats = [Stats()]
        var decrease = [Double](repeating: 0, count: features.values.count)
        var nodeOf = [Int](repeating: 0, count: n)
        for i in 0..<n { stats[0].count += 1; stats[0].sum += targets[i]; stats[0].squares += targets[i] * targets[i] }
        var frontier = [0]
        for _ in 0..<maxDepth {
            frontier = frontier.filter { stats[$0].count >= 2 && stats[$0].impurity > Double.ulpOfOne }
            if frontier.isEmpty { break }
            // slot of each frontier node; -1 for samples in nodes that are not split any more
            var slot = [Int](repeating: -1, count: nodes.count)
            for (s, m) in frontier.enumerated() { slot[m] = s }
            var best = [(proxy: Double, feature: Int, threshold: Double)](repeating: (-.infinity, -1, 0), count: frontier.count)
            for (f, order) in features.sorted.enumerated() {
                let column = features.values[f]
                var leftCount = [Int](repeating: 0, count: frontier.count), leftSum = [Double](repeating: 0, count: frontier.count)
                // the last value added to the left side, and the first value of its run
                var last = [Float](repeating: 0, count: frontier.count), runStart = last
                for i in order {
                    let s = slot[nodeOf[i]]
                    if s < 0 { continue }
                    let x = column[i]
                    if leftCount[s] == 0 {
                        runStart[s] = x
                    } else if x > last[s] + Float(1e-7) {
                        let total = stats[frontier[s]]
                        let (nl, nr) = (Double(leftCount[s]), Double(total.count - leftCount[s]))
                        let right = total.sum - leftSum[s]
                        let proxy = leftSum[s] * leftSum[s] / nl + right * right / nr
                        if proxy > best[s].proxy {
                            var threshold = Double(runStart[s]) / 2 + Double(x) / 2
                            if threshold == Double(x) || !threshold.isFinite { threshold = Double(runStart[s]) }
                            best[s] = (proxy, f, threshold)
                        }
                        runStart[s] = x
                    }
                    leftCount[s] += 1
                    leftSum[s] += targets[i]
                    last[s] = x
                }
            }
            var next: [Int] = []
            var children = [(left: Int, right: Int)](repeating: (-1, -1), count: frontier.count)
            for (s, m) in frontier.enumerated() where best[s].feature >= 0 {
                nodes[m].feature = best[s].feature
                nodes[m].threshold = best[s].threshold
                nodes[m].left = nodes.count
                nodes[m].right = nodes.count + 1
                children[s] = (nodes.count, nodes.count + 1)
                nodes += [Node(), Node()]
                stats += [Stats(), Stats()]
                next += [nodes.count - 2, nodes.count - 1]
            }
            for i in 0..<n {
                let m = nodeOf[i]
                guard m < slot.count, slot[m] >= 0, children[slot[m]].left >= 0 else { continue }
                let child = Double(features.values[nodes[m].feature][i]) <= nodes[m].threshold ? children[slot[m]].left : children[slot[m]].right
                nodeOf[i] = child
                stats[child].count += 1; stats[child].sum += targets[i]; stats[child].squares += targets[i] * targets[i]
            }
            for (s, m) in frontier.enumerated() where children[s].left >= 0 {
                let (l, r) = (stats[children[s].left], stats[children[s].right])
                decrease[nodes[m].feature] += Double(stats[m].count) * stats[m].impurity
                    - Double(l.count) * l.impurity - Double(r.count) * r.impurity
            }
            frontier = next
        }
        self.nodes = nodes
        impurityDecrease = decrease
        trainingLeaves = nodeOf
    }

    /// Sets the value of leaf `node`.
    mutating func setValue(_ value: Double, ofLeaf node: Int) { nodes[node].value = value }

    /// The leaves of the tree, in node order.
    var leaves: [Int] { nodes.indices.filter { nodes[$0].feature < 0 } }

    /// The value of the leaf that `row` (one sample's features, as `Float`) falls in.
    func value(_ row: [Float]) -> Double {
        var m = 0
        while nodes[m].feature >= 0 { m = Double(row[nodes[m].feature]) <= nodes[m].threshold ? nodes[m].left : nodes[m].right }
        return nodes[m].value
    }
}
