import Foundation
import LatentCore
import LatentIO
import Testing

/// `latent train vae|autoencoder`, `latent sample|interpolate|traverse` on generated dSprites.
@Suite("latent autoencoder commands")
struct AutoencoderCommandTests {
    @Test func trainResumeAndDraw() throws {
        let s = try Scratch()
        let train = "train vae --dataset dsprites --limit 40 --hidden 16 --code-size 2 --batch-size 20 --beta 4 --seed 3 --output v.safetensors"
        let first = try s.run(train + " --epochs 1")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("epoch 1/1  train loss "))
        let resumed = try s.run(train + " --epochs 2 --resume --iwae-samples 3")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.hasPrefix("epoch 2/2") && resumed.stdout.contains("test log-likelihood (IWAE, 3 samples): -"))
        let straight = try s.run("train vae --dataset dsprites --limit 40 --hidden 16 --code-size 2 --batch-size 20 --beta 4 --seed 3 --output w.safetensors --epochs 2")
        #expect(straight.status == 0)
        // the resumed model is the uninterrupted one, byte for byte
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.path("v.safetensors"))) == Data(contentsOf: URL(fileURLWithPath: s.path("w.safetensors"))))

        for command in ["sample --count 6 --columns 3", "traverse --steps 4 --dsprites-index 1000",
                        "interpolate --dataset dsprites --pairs 0:600000 --steps 4 --path spherical"] {
            let r = try s.run(command + " --model v.safetensors --output p.png")
            #expect(r.status == 0, "\(command): \(r.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: s.path("p.png")))
            #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(command) wrote no PNG")
        }

        let scores = try s.run("disentanglement --model v.safetensors --samples 300 --votes 40 --batch-size 8 --seed 1")
        #expect(scores.status == 0, "\(scores.stderr)")
        let lines = scores.stdout.split(separator: "\n")
        #expect(lines.map { $0.prefix { $0 != ":" } } == ["MIG", "SAP", "DCI disentanglement", "DCI completeness", "DCI informativeness",
                                                           "FactorVAE score", "beta-VAE score"])
        #expect(lines.allSatisfy { line in Double(line.split(separator: " ").last!).map { $0 >= 0 && $0 <= 1 } ?? false }, "\(scores.stdout)")
    }

    @Test func errorsAndExitCodes() throws {
        let s = try Scratch()
        #expect(try s.run("train vae --dataset dsprites --architecture conv --filters 4,4,4,4,4,4,4 --output x.safetensors").status == 2)
        #expect(try s.run("train autoencoder --dataset dsprites --noise masking --noise-level 1.5 --output x.safetensors").status == 2)
        #expect(try s.run("train vae --dataset dsprites --resume --output missing.safetensors").status == 2)
        let ae = try s.run("train autoencoder --dataset dsprites --limit 20 --hidden 8 --code-size 2 --epochs 1 --output a.safetensors")
        #expect(ae.status == 0, "\(ae.stderr)")
        let wrongKind = try s.run("sample --model a.safetensors --output p.png")
        #expect(wrongKind.status == 1 && wrongKind.stderr.contains("expected \"vae\""))
        #expect(try s.run("sample --model a.safetensors --output a.safetensors").status == 2)
        #expect(!s.exists("p.png"))
    }

    @Test func trainsOnADataFileAndRefusesBadFiles() throws {
        let s = try Scratch()
        // 30 images of 4 × 4 pixels in [0, 1], one per CSV row, with a label column to leave out
        var rng = Xoshiro256StarStar(seed: 5)
        let rows = (0..<30).map { i in (["c\(i % 3)"] + (0..<16).map { _ in String(format: "%.3f", rng.uniform()) }).joined(separator: ",") }
        try s.write("pixels.csv", rows.joined(separator: "\n") + "\n")
        let ok = try s.run("train autoencoder --dataset pixels.csv --no-header --label-column 1 --hidden 8 --code-size 2 --epochs 1 --output a.safetensors")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("25 training and 5 test images"), "\(ok.stderr)")
        let vae = try s.run("train vae --dataset pixels.csv --no-header --label-column 1 --image-shape 4x4 --hidden 8 --code-size 2 --epochs 1 --output v.safetensors")
        #expect(vae.status == 0, "\(vae.stderr)")
        #expect(try s.run("sample --model v.safetensors --count 4 --output p.png").status == 0)
        // interpolation between rows of the same file (0-based row indices)
        let path = try s.run("interpolate --model v.safetensors --dataset pixels.csv --no-header --label-column 1 --pairs 0:1,2:29 --steps 3 --output i.png")
        #expect(path.status == 0, "\(path.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: s.path("i.png")))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let outside = try s.run("interpolate --model v.safetensors --dataset pixels.csv --no-header --label-column 1 --pairs 0:30 --output j.png")
        #expect(outside.status == 1 && outside.stderr.contains("image index 30 is outside its 30 rows"), "\(outside.stderr)")
        try s.write("small.csv", "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9\n0.9,0.8,0.7,0.6,0.5,0.4,0.3,0.2,0.1\n")
        let mismatch = try s.run("interpolate --model v.safetensors --dataset small.csv --no-header --output j.png")
        #expect(mismatch.status == 1 && mismatch.stderr.contains("images have 9 values, the model v.safetensors takes 16"), "\(mismatch.stderr)")
        #expect(try s.run("interpolate --model v.safetensors --dataset dsprites --no-header --output j.png").status == 2)
        #expect(try s.run("interpolate --model v.safetensors --dataset pixels.csv --no-header --label-column 1 --output pixels.csv").status == 2)
        #expect(!s.exists("j.png"))

        // data problems: exit 1, naming the file and the cell
        try s.write("bright.csv", "0.5,0.5,0.5,0.5\n0.5,1.5,0.5,0.5\n")
        let bright = try s.run("train vae --dataset bright.csv --no-header --output b.safetensors")
        #expect(bright.status == 1 && bright.stderr.contains("row 2, column 2") && bright.stderr.contains("outside [0, 1]"), "\(bright.stderr)")
        let notSquare = try s.run("train vae --dataset pixels.csv --no-header --label-column 1 --image-shape 3x5 --output b.safetensors")
        #expect(notSquare.status == 1 && notSquare.stderr.contains("--image-shape 3x5 needs 15"), "\(notSquare.stderr)")
        #expect(try s.run("train vae --dataset missing.csv --output b.safetensors").status == 1)
        // option problems: exit 2
        #expect(try s.run("train vae --dataset pixels.bin --output b.safetensors").status == 2)
        #expect(try s.run("train vae --dataset pixels.csv --scale --output b.safetensors").status == 2)
        #expect(try s.run("train vae --dataset dsprites --delimiter ; --output b.safetensors").status == 2)
        #expect(try s.run("train vae --dataset pixels.csv --image-shape 4by4 --output b.safetensors").status == 2)
        #expect(try s.run("train vae --dataset pixels.csv --output pixels.csv").status == 2)
        #expect(!s.exists("b.safetensors"))
    }
}
