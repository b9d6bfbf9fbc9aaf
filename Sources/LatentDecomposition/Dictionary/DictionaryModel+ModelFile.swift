import LatentCore

extension DictionaryModel where Scalar == Double {
    /// This model as a method's result: the fit report as metrics and description (with the
    /// sparse coder's settings), and the model itself as the state model files save.
    public var fittedModel: FittedModel {
        var d = ModelDescription()
        d.field("alpha", "alpha", .number(alpha))
        d.field("transformAlgorithm", "transform algorithm", .text(coder.algorithm.description))
        d.field("positiveCode", "positive code", .bool(coder.positive))
        d.report(report, objective: "objective ½‖X − ZD‖² + α‖Z‖₁ (last; online: mean per row of the last batch)")
        return FittedModel(self, report: report, description: d)
    }

    /// Dictionary, Gram matrix, Lipschitz constant, α and the coding algorithm's settings.
    func validateAsModelFile() throws {
        try ModelCheck.matrix("model.coder.dictionary", coder.dictionary)
        let k = coder.dictionary.rows
        try ModelCheck.matrix("model.coder.gram", coder.gram, rows: k, columns: k, because: "one row per atom of model.coder.dictionary")
        try ModelCheck.number("model.coder.lipschitz", coder.lipschitz)
        try ModelCheck.number("model.alpha", alpha)
        if alpha < 0 { throw ModelFileError("model.alpha is \(alpha); it must not be negative") }
        let field = "model.coder.algorithm"
        switch coder.algorithm {
        case let .omp(n), let .lars(n): try ModelCheck.count("\(field).nonzeros", n, 1...Swift.max(k, 1))
        case let .ompTolerance(r): try ModelCheck.nonNegative("\(field).squaredResidual", r)
        case let .lassoLARS(a, iterations):
            try ModelCheck.nonNegative("\(field).alpha", a)
            try ModelCheck.count("\(field).maxIterations", iterations, 1...Int(Int32.max))
        case let .lassoCD(a, iterations, tolerance), let .ista(a, iterations, tolerance), let .fista(a, iterations, tolerance):
            try ModelCheck.nonNegative("\(field).alpha", a)
            try ModelCheck.nonNegative("\(field).tolerance", tolerance)
            try ModelCheck.count("\(field).maxIterations", iterations, 1...Int(Int32.max))
        case let .threshold(a): try ModelCheck.nonNegative("\(field).alpha", a)
        }
    }
}

extension ModelFormat {
    /// `DictionaryModel<Double>` in model files (`dict`).
    public static let dictionary = ModelFormat.codable(DictionaryModel<Double>.self, validate: { try $0.validateAsModelFile() }, wrap: \.fittedModel)
}
