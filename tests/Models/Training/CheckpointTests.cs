using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Tests.Data;
using KernelGen.Models.Training;
using Xunit;

namespace KernelGen.Models.Tests.Training;

/// <summary>
/// Checkpoints: a model and its optimizer round-trip bit for bit; the bytes are plain safetensors (parsed here by an
/// independent reader); broken or mismatched files are named errors; writes are atomic; and a run saved halfway and
/// resumed in fresh objects ends bit-identical to an uninterrupted one (CPU backend), for both trainers.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private static readonly Dictionary<string, string> Meta = new() { ["architecture"] = "mlp", ["note"] = "ünïcode ok" };
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kernelgen-ckpt-" + Guid.NewGuid().ToString("N"));
    private readonly ComputeDevice cpu = ComputeDevice.OpenCpu();

    public CheckpointTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        cpu.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private string File(string name) => Path.Combine(folder, name);

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private Mlp SmallMlp(int seed, int hidden = 32) => new(new Init(cpu, seed), ImageShape.Mnist, new MlpConfig([hidden]));

    /// <summary>A few steps on random images, so the parameters and the optimizer's state are far from their start.</summary>
    private static async Task TrainAFewSteps(Mlp model, Optimizer optimizer, int steps = 3)
    {
        using var trainer = new ClassifierTrainer(model, optimizer, new TrainingOptions { BatchSize = 8, ClipNorm = 1f });
        var random = new Random(4);
        var images = Enumerable.Range(0, 8 * 784).Select(_ => random.NextSingle()).ToArray();
        var labels = Enumerable.Range(0, 8).Select(i => i % 10).ToArray();
        for (int i = 0; i < steps; i++) await trainer.StepAsync(images, labels, 8);
    }

    private static void AssertSameState(Module expected, Optimizer expectedOptimizer, Module actual, Optimizer actualOptimizer)
    {
        foreach (var ((name, a), (otherName, b)) in expected.NamedParameters().Zip(actual.NamedParameters()))
        {
            Assert.Equal(name, otherName);
            Assert.Equal(Bits(a.ToArray()), Bits(b.ToArray()));
        }
        var state = actualOptimizer.State().ToDictionary(s => s.Name, s => s.Buffer);
        Assert.Equal(expectedOptimizer.State().Count(), state.Count);
        foreach (var (name, buffer) in expectedOptimizer.State()) Assert.Equal(Bits(buffer.Read()), Bits(state[name].Read()));
        Assert.Equal(expectedOptimizer.StepCount, actualOptimizer.StepCount);
        Assert.Equal(BitConverter.SingleToInt32Bits(expectedOptimizer.LearningRate), BitConverter.SingleToInt32Bits(actualOptimizer.LearningRate));
    }

    [Fact]
    public async Task A_model_and_its_AdamW_state_round_trip_bit_identically()
    {
        using var model = SmallMlp(1);
        using var optimizer = new AdamW(model.NamedParameters(), 1e-2f);
        await TrainAFewSteps(model, optimizer);
        optimizer.LearningRate = 0.1f + 1e-9f; // a rate with a long decimal form
        Checkpoint.Save(File("a.safetensors"), model, optimizer, Meta);

        using var fresh = SmallMlp(2);
        using var freshOptimizer = new AdamW(fresh.NamedParameters(), 5f);
        var metadata = Checkpoint.Load(File("a.safetensors"), fresh, freshOptimizer);
        AssertSameState(model, optimizer, fresh, freshOptimizer);
        Assert.Equal(8, freshOptimizer.State().Count()); // m and v of each of the 4 parameters
        Assert.Equal("ünïcode ok", metadata["note"]);
        Assert.Equal("3", metadata[Checkpoint.StepKey]);
        Assert.Equal("AdamW", metadata[Checkpoint.OptimizerKey]);
        Assert.Equal(Checkpoint.FormatVersion, metadata[Checkpoint.FormatKey]);
    }

    [Fact]
    public async Task Sgd_momentum_round_trips_and_a_model_loads_without_its_optimizer()
    {
        using var model = SmallMlp(1);
        using var optimizer = new Sgd(model.NamedParameters(), 0.05f, momentum: 0.9f);
        await TrainAFewSteps(model, optimizer);
        Checkpoint.Save(File("s.safetensors"), model, optimizer, Meta);
        var names = SafeTensors.ReadHeader(File("s.safetensors")).Tensors.Select(t => t.Name).ToList();
        Assert.Contains("optimizer/fc1.weight.momentum", names);

        using var fresh = SmallMlp(2);
        using var freshOptimizer = new Sgd(fresh.NamedParameters(), 1f, momentum: 0.9f);
        Checkpoint.Load(File("s.safetensors"), fresh, freshOptimizer);
        AssertSameState(model, optimizer, fresh, freshOptimizer);

        using var evalOnly = SmallMlp(3);
        Checkpoint.Load(File("s.safetensors"), evalOnly, optimizer: null); // the optimizer/ tensors are skipped
        Assert.Equal(Bits(model.Layers[0].Weight.ToArray()), Bits(evalOnly.Layers[0].Weight.ToArray()));
    }

    [Fact]
    public async Task The_file_is_plain_safetensors()
    {
        using var model = SmallMlp(1, hidden: 16);
        using var optimizer = new AdamW(model.NamedParameters(), 1e-3f);
        await TrainAFewSteps(model, optimizer, steps: 1);
        Checkpoint.Save(File("f.safetensors"), model, optimizer, Meta);

        // An independent reader: 8-byte little-endian length, JSON, data at offsets relative to the header's end.
        byte[] bytes = System.IO.File.ReadAllBytes(File("f.safetensors"));
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + n) % 8);
        string json = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.StartsWith("{", json);
        using var header = JsonDocument.Parse(json);
        var root = header.RootElement;
        Assert.Equal("mlp", root.GetProperty("__metadata__").GetProperty("architecture").GetString());
        var fc1 = root.GetProperty("fc1.weight");
        Assert.Equal("F32", fc1.GetProperty("dtype").GetString());
        Assert.Equal([16, 784], fc1.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        long begin = fc1.GetProperty("data_offsets")[0].GetInt64(), end = fc1.GetProperty("data_offsets")[1].GetInt64();
        Assert.Equal(16 * 784 * 4, end - begin);
        var values = new float[16 * 784];
        Buffer.BlockCopy(bytes, (int)(8 + n + begin), values, 0, values.Length * 4);
        Assert.Equal(Bits(model.Layers[0].Weight.ToArray()), Bits(values));
        Assert.Equal([16, 784], root.GetProperty("optimizer/fc1.weight.m").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));

        // Parameters first in NamedParameters order, then the optimizer's state; back to back, covering the data.
        var entries = root.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Select(p => (p.Name, Begin: p.Value.GetProperty("data_offsets")[0].GetInt64(), End: p.Value.GetProperty("data_offsets")[1].GetInt64()))
            .OrderBy(e => e.Begin).ToList();
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], entries.Take(4).Select(e => e.Name));
        for (int i = 1; i < entries.Count; i++) Assert.Equal(entries[i - 1].End, entries[i].Begin);
        Assert.Equal(bytes.Length - 8 - n, entries[^1].End);
    }

    private string SavedMlp(string name, int hidden = 32)
    {
        using var model = SmallMlp(1, hidden);
        Checkpoint.Save(File(name), model, null, Meta);
        return File(name);
    }

    private CheckpointException LoadFails(string path)
    {
        using var model = SmallMlp(5);
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, model, null));
        Assert.StartsWith(path + ": ", e.Message);
        return e;
    }

    /// <summary>A file with the given JSON header and data (for headers the writer would never produce).</summary>
    private string Raw(string name, string json, int dataBytes)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        System.IO.File.WriteAllBytes(File(name), bytes);
        return File(name);
    }

    [Fact]
    public void Truncated_and_corrupt_files_are_named_errors()
    {
        string path = SavedMlp("good.safetensors");
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);

        System.IO.File.WriteAllBytes(File("t4.safetensors"), bytes[..4]);
        Assert.Contains("truncated: 4 bytes", LoadFails(File("t4.safetensors")).Problem);
        System.IO.File.WriteAllBytes(File("th.safetensors"), bytes[..(int)(8 + n / 2)]);
        Assert.Contains("is beyond the file", LoadFails(File("th.safetensors")).Problem);
        System.IO.File.WriteAllBytes(File("td.safetensors"), bytes[..^100]);
        Assert.Contains("out of range", LoadFails(File("td.safetensors")).Problem);
        System.IO.File.WriteAllBytes(File("tail.safetensors"), [.. bytes, 1, 2, 3, 4]);
        Assert.Contains("trailing bytes", LoadFails(File("tail.safetensors")).Problem);
        Assert.Contains("no such file", LoadFails(File("absent.safetensors")).Problem);

        Assert.Contains("invalid JSON", LoadFails(Raw("json.safetensors", "{\"a\": {\"dtype\": ", 0)).Problem);
        Assert.Contains("dtype BF16", LoadFails(Raw("bf16.safetensors", "{\"fc1.bias\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)).Problem);
        Assert.Contains("overlaps", LoadFails(Raw("overlap.safetensors",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)).Problem);
        Assert.Contains("span 8 bytes, but shape [3] of F32 needs 12", LoadFails(Raw("size.safetensors",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)).Problem);
        Assert.Contains("out of range", LoadFails(Raw("range.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4)).Problem);
        Assert.Contains("not a safetensors file", LoadFails(Raw("text.safetensors", "hello world", 0)).Problem);
    }

    [Fact]
    public void A_checkpoint_of_another_model_names_the_tensor_and_both_shapes()
    {
        Assert.Equal("fc1.weight: checkpoint has [64, 784], the model expects [32, 784]", LoadFails(SavedMlp("wide.safetensors", hidden: 64)).Problem);

        var content = SafeTensors.Read(SavedMlp("full.safetensors"));
        SafeTensors.Write(File("missing.safetensors"), content.Tensors.Where(t => t.Name != "fc2.bias"), content.Metadata);
        Assert.Equal("missing tensor 'fc2.bias' (the model expects [10])", LoadFails(File("missing.safetensors")).Problem);
        SafeTensors.Write(File("extra.safetensors"), [.. content.Tensors, new NamedTensor("fc3.weight", [2, 2], new float[4])], content.Metadata);
        Assert.Contains("unexpected tensor 'fc3.weight' [2, 2]", LoadFails(File("extra.safetensors")).Problem);

        // Nothing is changed by a load that fails.
        using var model = SmallMlp(5);
        var before = Bits(model.Layers[0].Weight.ToArray());
        Assert.Throws<CheckpointException>(() => Checkpoint.Load(File("missing.safetensors"), model, null));
        Assert.Equal(before, Bits(model.Layers[0].Weight.ToArray()));

        // An AdamW checkpoint does not load into Sgd.
        using var adam = new AdamW(model.NamedParameters(), 1e-3f);
        Checkpoint.Save(File("adam.safetensors"), model, adam, Meta);
        using var sgd = new Sgd(model.NamedParameters(), 0.1f, momentum: 0.9f);
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(File("adam.safetensors"), model, sgd));
        Assert.Contains("AdamW", e.Message);
    }

    [Fact]
    public void Writes_are_atomic_and_replace_an_existing_file_only_when_complete()
    {
        string path = SavedMlp("atomic.safetensors", hidden: 16);
        byte[] old = System.IO.File.ReadAllBytes(path);
        System.IO.File.WriteAllText(path + ".tmp", "a stale temporary file of a killed run");
        using (var model = SmallMlp(9, hidden: 16)) Checkpoint.Save(path, model, null, Meta);
        Assert.False(System.IO.File.Exists(path + ".tmp"));
        Assert.NotEqual(old, System.IO.File.ReadAllBytes(path));
        Assert.Equal(["atomic.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName));

        // A write that fails (here: the temporary file cannot be created) leaves the previous checkpoint as it was.
        byte[] current = System.IO.File.ReadAllBytes(path);
        Directory.CreateDirectory(path + ".tmp");
        using (var model = SmallMlp(10, hidden: 16))
            Assert.ThrowsAny<Exception>(() => Checkpoint.Save(path, model, null, Meta));
        Assert.Equal(current, System.IO.File.ReadAllBytes(path));
        using (var model = SmallMlp(11, hidden: 16)) Checkpoint.Load(path, model, null);
    }

    [Fact]
    public async Task A_classifier_run_resumed_mid_epoch_ends_bit_identical()
    {
        var data = DataSets.Mnist(Split.Train).Take(256); // 8 batches of 32 per epoch; 2 epochs = 16 steps
        var options = new TrainingOptions { BatchSize = 32, Seed = 3, ClipNorm = 1f, Schedule = Schedule.WarmupCosine(2e-3f, 4, 16, 1e-4f) };
        Mlp Model() => SmallMlp(7);

        using var straight = Model();
        using var straightOptimizer = new AdamW(straight.NamedParameters(), 2e-3f);
        using (var trainer = new ClassifierTrainer(straight, straightOptimizer, options))
            for (int epoch = 0; epoch < 2; epoch++) await trainer.TrainEpochAsync(data, epoch);

        // Interrupted: epoch 0, then 4 batches of epoch 1 (step 12 of 16), then a checkpoint.
        using (var first = Model())
        using (var firstOptimizer = new AdamW(first.NamedParameters(), 2e-3f))
        using (var trainer = new ClassifierTrainer(first, firstOptimizer, options))
        {
            await trainer.TrainEpochAsync(data, 0);
            var batches = new ImageBatches(data, 32, options.Seed);
            var images = new float[32 * 784];
            var labels = new int[32];
            foreach (int count in batches.Epoch(1, images, labels).Take(4)) await trainer.StepAsync(images, labels, count);
            Checkpoint.Save(File("resume.safetensors"), first, firstOptimizer, Meta);
        }

        using var resumed = SmallMlp(8); // another initialisation: everything comes from the checkpoint
        using var resumedOptimizer = new AdamW(resumed.NamedParameters(), 1f);
        using (var trainer = new ClassifierTrainer(resumed, resumedOptimizer, options))
        {
            Checkpoint.Load(File("resume.safetensors"), resumed, resumedOptimizer);
            Assert.Equal(12, resumedOptimizer.StepCount);
            await trainer.TrainEpochAsync(data, 1, firstBatch: 12 % 8);
        }
        AssertSameState(straight, straightOptimizer, resumed, resumedOptimizer);
    }

    [Fact]
    public async Task A_language_model_run_resumed_ends_bit_identical()
    {
        var text = RealData.Shakespeare;
        var config = new GptConfig(text.VocabularySize, Context: 16, Layers: 1, Heads: 2, Width: 16, Dropout: 0.1f);
        var options = new TrainingOptions { BatchSize = 4, Seed = 5, ClipNorm = 1f, Schedule = Schedule.WarmupCosine(3e-3f, 2, 10, 3e-4f) };

        using var straight = new Gpt(new Init(cpu, 1), config);
        using var straightOptimizer = new AdamW(straight.NamedParameters(), 3e-3f, weightDecay: 0.1f);
        using (var trainer = new LanguageModelTrainer(straight, straightOptimizer, text, options))
            for (int i = 0; i < 10; i++) await trainer.StepAsync();

        using (var first = new Gpt(new Init(cpu, 1), config))
        using (var firstOptimizer = new AdamW(first.NamedParameters(), 3e-3f, weightDecay: 0.1f))
        using (var trainer = new LanguageModelTrainer(first, firstOptimizer, text, options))
        {
            for (int i = 0; i < 5; i++) await trainer.StepAsync();
            Checkpoint.Save(File("gpt.safetensors"), first, firstOptimizer, new Dictionary<string, string> { ["architecture"] = "gpt" });
        }

        using var resumed = new Gpt(new Init(cpu, 2), config);
        using var resumedOptimizer = new AdamW(resumed.NamedParameters(), 1f, weightDecay: 0.1f);
        using (var trainer = new LanguageModelTrainer(resumed, resumedOptimizer, text, options))
        {
            Checkpoint.Load(File("gpt.safetensors"), resumed, resumedOptimizer);
            for (int i = 0; i < 5; i++) await trainer.StepAsync();
        }
        AssertSameState(straight, straightOptimizer, resumed, resumedOptimizer);
    }

    [Fact]
    public void The_batch_stream_is_a_function_of_seed_and_step()
    {
        Assert.Equal(LanguageModelTrainer.BatchRandom(3, 17).Next(), LanguageModelTrainer.BatchRandom(3, 17).Next());
        var seeds = Enumerable.Range(0, 1000).Select(step => LanguageModelTrainer.MixSeed(1, step)).ToHashSet();
        Assert.Equal(1000, seeds.Count);
        Assert.All(seeds, s => Assert.True(s >= 0));
    }
}
