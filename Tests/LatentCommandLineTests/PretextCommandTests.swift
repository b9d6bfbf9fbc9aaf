import Foundation
import LatentCore
import LatentIO
import LatentTestSupport
import Testing

/// `latent data patches|filters` on the image fixtures, `latent train inpainting|colorization|cpc`
/// on a few Fashion-MNIST images.
@Suite("latent pretext-task and photograph commands")
struct PretextCommandTests {
    /// A scratch folder with `photos/` holding the PNG and JPEG fixtures.
    func scratchWithPhotos() throws -> Scratch {
        let s = try Scratch()
        let photos = s.folder.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for name in ["rgb.png", "rgb.jpg", "grey.png"] {
            try FileManager.default.copyItem(at: Fixtures.folder.appendingPathComponent("images/\(name)"), to: photos.appendingPathComponent(name))
        }
        return s
    }

    @Test func patchesAreSeededAndBadPhotosNamed() throws {
        let s = try scratchWithPhotos()
        let first = try s.run("data patches --from photos --size 6 --count 50 --layout lab --seed 4 -o a.npy")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try s.run("data patches --from photos --size 6 --count 50 --layout lab --seed 4 -o b.npy").status == 0)
        let a = try s.readNPY("a.npy"), b = try s.readNPY("b.npy")
        #expect(a.rows == 50 && a.columns == 108 && a == b)
        #expect((0..<50).allSatisfy { i in (0..<36).allSatisfy { a[i, $0] >= 0 && a[i, $0] <= 1 } })   // L/100

        // options: exit 2
        for bad in ["--size 0", "--size -3", "--count 0", "--layout hsv", "-o a.csv", "--size 4096 --count 10000000"] {
            let r = try s.run("data patches --from photos --count 5 -o c.npy " + bad)
            #expect(r.status == 2, "\(bad): \(r.status) \(r.stderr)")
        }
        // an output that is an input: exit 2, the photograph untouched
        let before = try Data(contentsOf: URL(fileURLWithPath: s.path("photos/rgb.png")))
        #expect(try s.run("data patches --from photos --size 4 --count 5 -o photos/rgb.png").status == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.path("photos/rgb.png"))) == before)
        // a truncated photograph, a folder without photographs, patches larger than every photograph: exit 1
        try before.prefix(100).write(to: URL(fileURLWithPath: s.path("photos/cut.png")))
        let cut = try s.run("data patches --from photos --size 4 --count 5 -o d.npy")
        #expect(cut.status == 1 && cut.stderr.contains("photos/cut.png") && !cut.stderr.contains("USAGE"), "\(cut.stderr)")
        try FileManager.default.removeItem(atPath: s.path("photos/cut.png"))
        try FileManager.default.createDirectory(atPath: s.path("empty"), withIntermediateDirectories: true)
        #expect(try s.run("data patches --from empty --count 5 -o d.npy").status == 1)
        #expect(try s.run("data patches --from photos --size 40 --count 5 -o d.npy").status == 1)
        #expect(!s.exists("d.npy"))
    }

    @Test func filtersPicture() throws {
        let s = try scratchWithPhotos()
        for method in ["ica", "dictionary"] {
            let r = try s.run("data filters --from photos --method \(method) --size 4 --count 400 --components 6 --iterations 20 -o \(method).png")
            #expect(r.status == 0, "\(method): \(r.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: s.path("\(method).png")))
            #expect(bytes.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        }
        #expect(try s.run("data filters --from photos --size 4 --components 17 -o f.png").status == 2)
    }

    /// A Fashion-MNIST-shaped folder `mini/` of 64 training and 32 test images (uncompressed IDX
    /// under the .gz names, which the reader accepts): random pixels, labels 0…9 in turn.
    func writeMiniFashionMNIST(_ s: Scratch) throws {
        let folder = s.folder.appendingPathComponent("mini")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rng = Xoshiro256StarStar(seed: 1)
        for (split, count) in [("train", 64), ("t10k", 32)] {
            func sizes(_ values: [Int]) -> [UInt8] { values.flatMap { n in [UInt8(n >> 24 & 255), UInt8(n >> 16 & 255), UInt8(n >> 8 & 255), UInt8(n & 255)] } }
            let pixels = (0..<(count * 784)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            try Data([0, 0, 8, 3] + sizes([count, 28, 28]) + pixels).write(to: folder.appendingPathComponent("\(split)-images-idx3-ubyte.gz"))
            try Data([0, 0, 8, 1] + sizes([count]) + (0..<count).map { UInt8($0 % 10) }).write(to: folder.appendingPathComponent("\(split)-labels-idx1-ubyte.gz"))
        }
    }

    @Test func trainResumesAndWritesFeatures() throws {
        let s = try Scratch()
        try writeMiniFashionMNIST(s)
        try FileManager.default.createDirectory(atPath: s.path("features"), withIntermediateDirectories: true)
        let common = "--data-folder mini --limit 48 --filters 4,8 --batch-size 16 --seed 2 --features features --feature-train 30 --feature-test 20"
        for (kind, extra) in [("inpainting", "--mask blocks --mask-fraction 0.25 --code-size 8"),
                              ("cpc", "--patch-size 8 --patch-stride 4 --embedding-size 8 --offsets 2")] {
            let once = try s.run("train \(kind) \(common) \(extra) --epochs 1 --output a.safetensors")
            #expect(once.status == 0 && once.stdout.hasPrefix("epoch 1/1  train loss "), "\(kind): \(once.stderr)")
            #expect(try s.run("train \(kind) \(common) \(extra) --epochs 2 --resume --output a.safetensors").status == 0)
            #expect(try s.run("train \(kind) \(common) \(extra) --epochs 2 --output b.safetensors").status == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: s.path("a.safetensors"))) == Data(contentsOf: URL(fileURLWithPath: s.path("b.safetensors"))), "\(kind)")
            let train = try s.readNPY("features/train.npy"), labels = try s.readNPY("features/test-labels.npy")
            #expect(train.rows == 30 && labels.rows == 20, "\(kind)")
            // latent embed applies the model file to the same test images: the --features rows
            let embedded = try s.run("embed --model a.safetensors mini/t10k-images-idx3-ubyte.gz --scale --rows 20 --output e.npy")
            #expect(embedded.status == 0, "\(kind): \(embedded.stderr)")
            #expect(try s.readNPY("e.npy") == s.readNPY("features/test.npy"), "\(kind)")
            let control = try s.run("train \(kind) \(common) \(extra) --untrained --output c.safetensors")
            #expect(control.status == 0 && control.stdout.isEmpty, "\(kind): \(control.stderr)")
            #expect(try s.readNPY("features/train.npy") != train, "\(kind): untrained features equal trained ones")
        }
        // bad options exit 2; --resume without a checkpoint exits 2; features into the model file exit 2
        for bad in ["inpainting --mask-fraction 1.5", "inpainting --filters 4,4,4", "cpc --offsets 9", "cpc --temperature -1",
                    "cpc --patch-size 0", "inpainting --epochs -2", "inpainting --resume --output none.safetensors",
                    "cpc --features missing-folder", "inpainting --untrained --resume"] {
            let r = try s.run("train \(bad)" + (bad.contains("--output") ? "" : " --output x.safetensors"))
            #expect(r.status == 2, "\(bad): \(r.status) \(r.stderr)")
        }
    }

    @Test func colorizationOnLabPatches() throws {
        let s = try scratchWithPhotos()
        #expect(try s.run("data patches --from photos --size 8 --count 60 --layout lab -o lab.npy").status == 0)
        let r = try s.run("train colorization --patches lab.npy --filters 4,8 --code-size 8 --batch-size 16 --epochs 2 --output c.safetensors")
        #expect(r.status == 0 && r.stdout.contains("epoch 2/2") && r.stdout.contains("held-out loss"), "\(r.stderr)")
        // grey patches are not Lab: exit 1 naming the file; features need 28 × 28 patches: exit 1
        #expect(try s.run("data patches --from photos --size 8 --count 20 --layout grey -o grey.npy").status == 0)
        let grey = try s.run("train colorization --patches grey.npy --output d.safetensors")
        #expect(grey.status == 1 && grey.stderr.contains("grey.npy"), "\(grey.stderr)")
        try FileManager.default.createDirectory(atPath: s.path("f"), withIntermediateDirectories: true)
        #expect(try s.run("train colorization --patches lab.npy --features f --output d.safetensors").status == 1)
        #expect(try s.run("train colorization --patches lab.npy --output lab.npy").status == 2)
    }
}
