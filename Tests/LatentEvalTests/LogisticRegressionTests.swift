import Testing
import LatentCore
import LatentEval
import LatentTestSupport

@Suite struct LogisticRegressionTests {
    @Test func objectiveMatchesScikitLearn() throws {
        let x: Matrix<Double> = try evalMatrix("logistic_x")
        let y = try evalLabels("logistic_y")
        let model = try LogisticRegression(C: 0.5, tolerance: 1e-8, maxIterations: 1000).fit(x, labels: y)
        let reference = try evalScalar("logistic_objective")
        #expect(model.report.converged, "\(model.report)")
        #expect(Swift.abs(model.objective - reference) <= 1e-4 * reference, "objective \(model.objective) vs sklearn \(reference)")
        #expect(model.objective <= reference * (1 + 1e-9))
        // The objective formula itself, on scikit-learn's own weights.
        let sklearn = LogisticRegressionModel(classes: [0, 1, 2, 3], weights: try evalMatrix("logistic_coef"),
                                              intercept: try Fixtures.vector("eval/logistic_intercept"), C: 0.5)
        #expect(Swift.abs(try sklearn.objective(x, labels: y) - reference) <= 1e-10 * reference)
        // Same optimum: weights, probabilities and predictions on held-out rows.
        let test: Matrix<Double> = try evalMatrix("logistic_x_test")
        #expect(maxAbsDifference(model.weights, try evalMatrix("logistic_coef")) < 1e-4)
        #expect(maxAbsDifference(model.intercept, try Fixtures.vector("eval/logistic_intercept")) < 1e-4)
        #expect(maxAbsDifference(model.probabilities(test), try evalMatrix("logistic_proba")) < 1e-5)
        #expect(model.predict(test) == (try evalLabels("logistic_pred")))
    }

    @Test func withoutInterceptMatchesScikitLearn() throws {
        let x: Matrix<Double> = try evalMatrix("logistic_x")
        let y = try evalLabels("logistic_y")
        let model = try LogisticRegression(C: 0.5, fitIntercept: false, tolerance: 1e-8, maxIterations: 1000).fit(x, labels: y)
        let reference = try evalScalar("logistic_objective_no_intercept")
        #expect(model.intercept == [0, 0, 0, 0])
        #expect(Swift.abs(model.objective - reference) <= 1e-4 * reference, "objective \(model.objective) vs sklearn \(reference)")
        #expect(maxAbsDifference(model.weights, try evalMatrix("logistic_coef_no_intercept")) < 1e-4)
    }

    @Test func singlePrecisionReachesTheSameOptimum() throws {
        let x: Matrix<Float> = try evalMatrix("logistic_x", as: Float.self)
        let y = try evalLabels("logistic_y")
        let model = try LogisticRegression(C: 0.5, tolerance: 1e-6, maxIterations: 1000).fit(x, labels: y)
        let reference = try evalScalar("logistic_objective")
        #expect(Swift.abs(model.objective - reference) <= 1e-4 * reference, "\(model.objective) vs \(reference), \(model.report)")
        let test: Matrix<Float> = try evalMatrix("logistic_x_test", as: Float.self)
        let difference = maxAbsDifference(model.probabilities(test), try evalMatrix("logistic_proba", as: Float.self))
        #expect(difference < 1e-3, "\(difference), \(model.report)")
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        // The L-BFGS objective's gradient, through the public objective on perturbed weights.
        let x: Matrix<Double> = try evalMatrix("logistic_x")
        let y = try evalLabels("logistic_y")
        let fitted = try LogisticRegression(C: 0.5, maxIterations: 3).fit(x, labels: y)
        // At a non-optimal point, a finite-difference step along one weight changes J as predicted by ∂J.
        let base = LogisticRegressionModel(classes: fitted.classes, weights: fitted.weights, intercept: fitted.intercept, C: 0.5)
        let h = 1e-6
        for (row, column) in [(0, 0), (2, 7), (3, 19)] {
            var plus = fitted.weights, minus = fitted.weights
            plus[row, column] += h; minus[row, column] -= h
            let jPlus = try LogisticRegressionModel(classes: fitted.classes, weights: plus, intercept: fitted.intercept, C: 0.5).objective(x, labels: y)
            let jMinus = try LogisticRegressionModel(classes: fitted.classes, weights: minus, intercept: fitted.intercept, C: 0.5).objective(x, labels: y)
            // ∂J/∂W = C·(P − Y)ᵀX + W, computed directly.
            let p = base.probabilities(x)
            var analytic = fitted.weights[row, column]
            for i in 0..<x.rows { analytic += 0.5 * (p[i, row] - (y[i] == row ? 1 : 0)) * x[i, column] }
            #expect(Swift.abs((jPlus - jMinus) / (2 * h) - analytic) < 1e-5 * Swift.max(1, Swift.abs(analytic)))
        }
    }

    @Test func anyIntegerLabelsAndBadInput() throws {
        let (x, labels) = separatedBlobs(count: 90, classes: 3, dimension: 4, seed: 5, as: Double.self)
        let shifted = labels.map { [7, -2, 40][$0] }
        let model = try LogisticRegression().fit(x, labels: shifted)
        #expect(model.classes == [-2, 7, 40])
        #expect(model.accuracy(x, labels: shifted) == 1)
        #expect(throws: EstimatorError.self) { try LogisticRegression(C: 0).fit(x, labels: shifted) }
        #expect(throws: EstimatorError.self) { try LogisticRegression().fit(x, labels: [Int](repeating: 1, count: 90)) }
        var bad = x
        bad[3, 1] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "LogisticRegression", row: 3, column: 1)) { try LogisticRegression().fit(bad, labels: shifted) }
    }

    @Test func lbfgsMinimisesRosenbrock() {
        let (x, report) = LBFGS(gradientTolerance: 1e-10, maxIterations: 500).minimize(from: [-1.2, 1]) { v, g in
            let (a, b) = (v[0], v[1])
            g[0] = -2 * (1 - a) - 400 * a * (b - a * a)
            g[1] = 200 * (b - a * a)
            return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a)
        }
        #expect(report.converged, "\(report)")
        #expect(Swift.abs(x[0] - 1) < 1e-8 && Swift.abs(x[1] - 1) < 1e-8)
        #expect(zip(report.objective, report.objective.dropFirst()).allSatisfy { $1 <= $0 })
    }
}
