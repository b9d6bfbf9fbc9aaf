import Foundation
import Testing
@testable import LatentExperiments

@Suite("Comparison (mean ± std over seeds) and tables")
struct ComparisonTests {
    func details(_ id: Int64, method: String, parameters: String, seed: Int64, status: RunStatus = .done,
                 metrics: [String: Double], dataset: String = "d") -> RunDetails {
        RunDetails(run: RunRecord(id: id, experimentID: 1, dataset: dataset, method: method, parameters: parameters, seed: seed,
                                  status: status, createdAt: Date(), startedAt: nil, endedAt: nil, duration: 1, error: nil, codeVersion: "t"),
                   experiment: "e", metrics: metrics, artifacts: [])
    }

    @Test("groups by dataset, method and parameters; sample std over seeds; only done runs")
    func aggregate() {
        let runs = [
            details(1, method: "a", parameters: "{}", seed: 0, metrics: ["m": 1, "n": 10]),
            details(2, method: "a", parameters: "{}", seed: 1, metrics: ["m": 2, "n": 10]),
            details(3, method: "a", parameters: "{}", seed: 2, metrics: ["m": 3]),
            details(4, method: "b", parameters: "{}", seed: 0, metrics: ["m": 5]),
            details(5, method: "a", parameters: #"{"k":2}"#, seed: 0, metrics: ["m": 7]),
            details(6, method: "a", parameters: "{}", seed: 3, status: .failed, metrics: ["m": 100]),
            details(7, method: "a", parameters: "{}", seed: 0, metrics: ["m": 9], dataset: "other"),
        ]
        let rows = Comparison.aggregate(runs)
        #expect(rows.map { "\($0.dataset)/\($0.method)/\($0.parameters)" } == ["d/a/{}", "d/b/{}", #"d/a/{"k":2}"#, "other/a/{}"])
        #expect(rows[0].seeds == [0, 1, 2])
        #expect(rows[0].metrics["m"] == MetricSummary([1, 2, 3]))
        #expect(rows[0].metrics["m"]!.mean == 2 && rows[0].metrics["m"]!.standardDeviation == 1)
        #expect(rows[0].metrics["n"]!.count == 2 && rows[0].metrics["n"]!.standardDeviation == 0)
        #expect(rows[1].metrics["m"]!.standardDeviation == nil && rows[1].metrics["n"] == nil)
        #expect(Comparison.aggregate(runs, metrics: ["n"]).map { $0.metrics.keys.sorted() } == [["n"], [], [], []])
        #expect(Comparison.metricNames(runs) == ["m", "n"])
        let s = MetricSummary([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(s.mean == 5 && abs(s.standardDeviation! - 2.138089935299395) < 1e-15)
        #expect(MetricFormat.summary(s) == "5 ± 2.1")
        #expect(MetricFormat.summary(MetricSummary([0.123456])) == "0.1235")
    }

    @Test("text tables align columns, CSV quotes, JSON nests")
    func rendering() {
        var t = TextTable(headers: ["name", "value"])
        t.append(["a", "1.5"])
        t.append(["long, name", "10"])
        #expect(t.renderText() == "name        value\n----------  -----\na             1.5\nlong, name     10\n")
        #expect(t.renderCSV() == "name,value\na,1.5\n\"long, name\",10\n")
        var q = TextTable(headers: ["x"])
        q.append(["say \"hi\""])
        #expect(q.renderCSV() == "x\n\"say \"\"hi\"\"\"\n")
        let row = ComparisonRow(experiment: "e", dataset: "d", method: "a", parameters: #"{"k":2}"#, seeds: [0, 1],
                                metrics: ["m": MetricSummary([1, 3])])
        let json = RunJSON.render([row])
        #expect(json.contains(#""parameters" : {"#) && json.contains(#""k" : 2"#))
        #expect(json.contains(#""mean" : 2"#) && json.contains(#""n" : 2"#))
    }
}
