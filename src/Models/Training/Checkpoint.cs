using System.Globalization;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;

namespace KernelGen.Models.Training;

/// <summary>
/// Saves and restores a model, its optimizer and the metadata of a run as one safetensors file (<see cref="SafeTensors"/>).
/// </summary>
/// <remarks>
/// <para>Tensor names: each parameter under its <see cref="Module.NamedParameters"/> name (<c>fc1.weight</c>, a Linear's
/// weight as [out, in], PyTorch's layout), so <c>safetensors.torch.load_file</c> and TorchSharp read the model as is;
/// the optimizer's state buffers under <c>optimizer/&lt;name&gt;</c> (<c>optimizer/fc1.weight.momentum</c>,
/// <c>optimizer/fc1.weight.m</c>, <c>.v</c>), each with its parameter's shape.</para>
/// <para>Metadata (all strings): the caller's (architecture and configuration), plus <see cref="FormatKey"/>,
/// <see cref="StepKey"/> (the optimizer's step count), <see cref="LearningRateKey"/> and <see cref="OptimizerKey"/>.</para>
/// <para><see cref="Load"/> checks the whole file before it changes anything: a missing, unexpected or misshapen
/// tensor is a <see cref="CheckpointException"/> naming it (and both shapes).</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>The version of this layout (names and metadata keys), stored under <see cref="FormatKey"/>.</summary>
    public const string FormatVersion = "1";

    public const string FormatKey = "format_version", StepKey = "step", LearningRateKey = "learning_rate", OptimizerKey = "optimizer_class";

    /// <summary>The prefix of the optimizer's state tensors.</summary>
    public const string OptimizerPrefix = "optimizer/";

    private static readonly string[] Reserved = [FormatKey, StepKey, LearningRateKey, OptimizerKey];

    /// <summary>
    /// Writes the model's parameters, the optimizer's state (when given) and <paramref name="metadata"/> to
    /// <paramref name="path"/>, atomically. Reads the device buffers back (waits for the device).
    /// </summary>
    public static void Save(string path, Module model, Optimizer? optimizer, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        foreach (string key in Reserved)
            if (metadata.ContainsKey(key)) throw new ArgumentException($"Metadata key '{key}' is written by Checkpoint.Save.", nameof(metadata));
        var all = new Dictionary<string, string>(metadata, StringComparer.Ordinal) { [FormatKey] = FormatVersion };
        var tensors = model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Tensor.Shape.Dims.ToArray(), p.Tensor.ToArray())).ToList();
        if (optimizer is not null)
        {
            all[StepKey] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
            all[LearningRateKey] = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture);
            all[OptimizerKey] = optimizer.GetType().Name;
            optimizer.CreateState(); // zero buffers a step would create anyway: a checkpoint at step 0 has them too
            foreach (var (name, buffer) in optimizer.State())
                tensors.Add(new NamedTensor(OptimizerPrefix + name, StateShape(optimizer, name, buffer.Length), buffer.Read()));
        }
        SafeTensors.Write(path, tensors, all);
    }

    /// <summary>The metadata of a checkpoint, from its header alone (to rebuild the model before <see cref="Load"/>).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path) => SafeTensors.ReadHeader(path).Metadata;

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="model"/> (every parameter must be there with its shape, and
    /// nothing else) and, when given, into <paramref name="optimizer"/> (its state buffers, step count and learning
    /// rate); without an optimizer the <c>optimizer/</c> tensors are ignored. Returns the metadata.
    /// Nothing is changed unless the whole checkpoint fits.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Load(string path, Module model, Optimizer? optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        var content = SafeTensors.Read(path);
        var metadata = content.Metadata;
        if (metadata.TryGetValue(FormatKey, out var version) && version != FormatVersion)
            throw new CheckpointException(path, $"format version {version}; this build reads version {FormatVersion}");
        var byName = content.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var uploads = new List<Action>();
        var expected = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (name, tensor) in model.NamedParameters())
        {
            expected.Add(name);
            var stored = Find(path, byName, name, tensor.Shape.Dims);
            uploads.Add(() => tensor.Load(stored.Values));
        }
        int step = 0;
        float learningRate = 0;
        if (optimizer is not null)
        {
            if (!metadata.TryGetValue(StepKey, out var stepText) || !int.TryParse(stepText, NumberStyles.Integer, CultureInfo.InvariantCulture, out step) || step < 0)
                throw new CheckpointException(path, $"no optimizer state: the metadata has no valid '{StepKey}'");
            if (!metadata.TryGetValue(LearningRateKey, out var lrText) || !float.TryParse(lrText, NumberStyles.Float, CultureInfo.InvariantCulture, out learningRate))
                throw new CheckpointException(path, $"no optimizer state: the metadata has no valid '{LearningRateKey}'");
            if (metadata.TryGetValue(OptimizerKey, out var kind) && kind != optimizer.GetType().Name)
                throw new CheckpointException(path, $"the optimizer state is {kind}'s; this run uses {optimizer.GetType().Name}");
            optimizer.CreateState();
            foreach (var (name, buffer) in optimizer.State())
            {
                string key = OptimizerPrefix + name;
                expected.Add(key);
                var stored = Find(path, byName, key, StateShape(optimizer, name, buffer.Length));
                uploads.Add(() => buffer.Upload(stored.Values));
            }
        }
        foreach (var tensor in content.Tensors)
        {
            if (expected.Contains(tensor.Name)) continue;
            if (optimizer is null && tensor.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) continue;
            throw new CheckpointException(path, $"unexpected tensor '{tensor.Name}' {SafeTensors.Format(tensor.Shape)}: " +
                (tensor.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal) ? "the optimizer has no such state" : "the model has no such parameter"));
        }

        foreach (var upload in uploads) upload();
        if (optimizer is not null)
        {
            optimizer.StepCount = step;
            optimizer.LearningRate = learningRate;
        }
        return metadata;
    }

    private static NamedTensor Find(string path, Dictionary<string, NamedTensor> byName, string name, ReadOnlySpan<int> shape)
    {
        if (!byName.TryGetValue(name, out var stored))
            throw new CheckpointException(path, $"missing tensor '{name}' (the model expects {SafeTensors.Format(shape)})");
        if (!stored.Shape.AsSpan().SequenceEqual(shape))
            throw new CheckpointException(path, $"{name}: checkpoint has {SafeTensors.Format(stored.Shape)}, the model expects {SafeTensors.Format(shape)}");
        return stored;
    }

    /// <summary>A state buffer "fc1.weight.m" has its parameter's shape ("fc1.weight"); [length] if no parameter matches.</summary>
    private static int[] StateShape(Optimizer optimizer, string stateName, int length)
    {
        int dot = stateName.LastIndexOf('.');
        if (dot > 0)
        {
            string parameter = stateName[..dot];
            foreach (var (name, tensor) in optimizer.Parameters)
                if (name == parameter && tensor.Shape.Count == length) return tensor.Shape.Dims.ToArray();
        }
        return [length];
    }
}
