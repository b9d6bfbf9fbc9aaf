import Foundation
import LatentCore
import LatentIO
import LatentModels
import Testing

/// `latent train simclr|rotation|context` on generated dSprites: training, exact resume, the
/// encoder file, and issue 15's rules for options and outputs.
@Suite("latent train simclr|rotation|context")
struct SelfSupervisedCommandTests {
    @Test func trainResumeAndWriteTheEncoder() throws {
        let s = try Scratch()
        let simclr = "train simclr --dataset dsprites --limit 32 --filters 4,4 --batch-size 16 --seed 2 --threads 2"
        let first = try s.run(simclr + " --epochs 1 --output a.safetensors")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("epoch 1/1  train loss ") && first.stdout.contains("images/s"))
        #expect(s.exists("a.safetensors") && s.exists("a.safetensors.checkpoint"))
        let resumed = try s.run(simclr + " --epochs 2 --resume --output a.safetensors")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.hasPrefix("epoch 2/2"))
        let straight = try s.run(simclr + " --epochs 2 --output b.safetensors")
        #expect(straight.status == 0)
        // the resumed encoder is the uninterrupted one, byte for byte
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.path("a.safetensors"))) == Data(contentsOf: URL(fileURLWithPath: s.path("b.safetensors"))))

        // a grid, both blocks read: the encoder file holds its (4 + 4)·2² features per image
        let gridded = try s.run(simclr + " --epochs 1 --feature-grid 2 --readout-blocks 2 --crop-scale 0.8 --output g.safetensors")
        #expect(gridded.status == 0 && gridded.stderr.contains("32 features per image"), "\(gridded.stderr)")
        // a dense last block of 4 units, all three blocks read and each normalised: 16 + 16 + 4 features
        let dense = try s.run(simclr + " --epochs 1 --feature-grid 2 --dense 4 --readout-blocks 3 --normalized-readout --output d.safetensors")
        #expect(dense.status == 0 && dense.stderr.contains("36 features per image"), "\(dense.stderr)")

        for command in ["train rotation --head 8", "train context --patch-size 8 --gap 2 --jitter 1 --head 8 --augmentation none"] {
            let r = try s.run(command + " --dataset dsprites --limit 16 --filters 4,4 --batch-size 8 --epochs 1 --output r.safetensors")
            #expect(r.status == 0, "\(command): \(r.stderr)")
            #expect(r.stdout.hasPrefix("epoch 1/1  train loss "), "\(command): \(r.stdout)")
        }
    }

    /// `latent embed` applies a trained encoder (and a VAE) file to image rows: the features are
    /// the library's `encode` of the same rows; wrong widths and training checkpoints are refused.
    @Test func embedAppliesTrainedNetworks() throws {
        let s = try Scratch()
        let train = try s.run("train simclr --dataset dsprites --limit 32 --filters 4,4 --batch-size 16 --seed 2 --threads 2 --epochs 1 "
                              + "--feature-grid 2 --readout-blocks 2 --output g.safetensors")
        #expect(train.status == 0, "\(train.stderr)")
        let images = Matrix<Float>(rows: 6, columns: 4096) { i, j in Float((i * 7 + j * 13) % 97) / 96 }
        try NPY.write(images, to: URL(fileURLWithPath: s.path("images.npy")))
        let r = try s.run("embed --model g.safetensors images.npy --output f.npy")
        #expect(r.status == 0, "\(r.stderr)")
        let features = try s.readNPY("f.npy")
        let expected = try FittedImageEncoder.load(from: URL(fileURLWithPath: s.path("g.safetensors"))).encode(images)
        #expect(features.rows == 6 && features.columns == 32)
        #expect(features.storage == expected.storage.map { Double($0) })
        let csv = try s.run("embed --model g.safetensors images.npy")
        #expect(csv.status == 0 && csv.stdout.hasPrefix("simclr1,simclr2,"), "\(csv.stdout.prefix(80))")

        try NPY.write(Matrix<Float>(rows: 2, columns: 10, repeating: 0.5), to: URL(fileURLWithPath: s.path("narrow.npy")))
        let narrow = try s.run("embed --model g.safetensors narrow.npy")
        #expect(narrow.status == 1 && narrow.stderr.contains("10 feature columns") && narrow.stderr.contains("4096"), "\(narrow.stderr)")
        let checkpoint = try s.run("embed --model g.safetensors.checkpoint images.npy")
        #expect(checkpoint.status == 1 && checkpoint.stderr.contains("training checkpoint"), "\(checkpoint.stderr)")

        let vae = try s.run("train vae --dataset dsprites --limit 32 --hidden 8 --code-size 3 --batch-size 16 --seed 1 --epochs 1 --output v.safetensors")
        #expect(vae.status == 0, "\(vae.stderr)")
        let code = try s.run("embed --model v.safetensors images.npy --output z.npy")
        #expect(code.status == 0, "\(code.stderr)")
        let means = try FittedVariationalAutoencoder<Float>.load(from: URL(fileURLWithPath: s.path("v.safetensors"))).encode(images)
        #expect(try s.readNPY("z.npy").storage == means.storage.map { Double($0) })
    }

    @Test func badOptionsAndOutputsAreUsageErrors() throws {
        let s = try Scratch()
        let base = "--dataset dsprites --limit 8 --filters 4,4 --epochs 1 --output x.safetensors"     // the bad option comes last and wins
        for (command, bad) in [("simclr", "--temperature -1"), ("simclr", "--temperature 0"), ("simclr", "--batch-size 1"),
                               ("simclr", "--epochs -3"), ("simclr", "--learning-rate nan"), ("simclr", "--filters 4,,4"),
                               ("rotation", "--head 0"), ("context", "--patch-size 30"), ("context", "--gap -1"),
                               ("simclr", "--augmentation strong"), ("simclr", "--threads 2147483648"), ("simclr", "--crop-scale 1.5"),
                               ("rotation", "--feature-grid 9"), ("simclr", "--readout-blocks 3"), ("context", "--readout-blocks 0"),
                               ("simclr", "--dense -1"), ("rotation", "--dense 4 --readout-blocks 4")] {
            let r = try s.run("train \(command) " + base + " " + bad)
            #expect(r.status == 2, "\(command) \(bad): exit \(r.status) \(r.stderr)")
        }
        #expect(try s.run("train simclr --resume " + base).status == 2)            // no checkpoint to resume
        #expect(try s.run("train simclr " + base + " --checkpoint x.safetensors").status == 2)   // the model and its checkpoint in one file
        #expect(!s.exists("x.safetensors"))
    }
}
