namespace KernelGen.Reports.Runs;

/// <summary>
/// One line of <c>metrics.jsonl</c>. A vision run writes one per epoch (epoch, train_loss, test_loss, test_accuracy,
/// seconds, ms_per_step, backend); the GPT writes one per evaluation (step, train_loss, validation_loss, seconds,
/// backend). Fields a line does not have are null; <see cref="Values"/> holds every numeric field by its JSON name.
/// </summary>
public sealed record MetricsRecord(
    int? Epoch, int? Step, double? TrainLoss, double? TestLoss, double? TestAccuracy, double? ValidationLoss,
    double? Seconds, double? MsPerStep, string? Backend, IReadOnlyDictionary<string, double> Values);

/// <summary>One line of <c>steps.jsonl</c>: a training step's loss and, where written, accuracy, learning rate and time.</summary>
public sealed record StepRecord(int Step, double Loss, double? Accuracy, double? LearningRate, double? Seconds);

/// <summary>One line of <c>gradient-norms.jsonl</c>: every layer's gradient norm at a step, layers from input to output.</summary>
public sealed record GradientNormRecord(int Step, IReadOnlyList<string> Layers, IReadOnlyList<double> Norms);
