using KernelGen.Reports.Runs;
using Xunit;

namespace KernelGen.Reports.Tests;

public sealed class RunFolderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // Lines as kernelgen train writes them (the first two copied from runs/resnet20-fashion-6k, shortened).
    private const string VisionMetrics =
        """
        {"epoch":1,"train_loss":1.2215396165847778,"test_loss":0.7616920776367188,"test_accuracy":0.7298,"seconds":218.465836,"ms_per_step":2324.1046382978725,"backend":"Cpu"}
        {"epoch":2,"train_loss":0.621390163898468,"test_loss":0.6102823913574219,"test_accuracy":0.7733,"seconds":216.4802508,"ms_per_step":2302.9813914893616,"backend":"Cpu"}

        {"epoch":3,"train_loss":0.5,"seconds":200}
        """;

    private const string GradientNorms =
        """
        {"step":1,"layers":["stem","stage1.0","classifier"],"norms":[0.1,0.7,0.3]}
        {"step":51,"layers":["stem","stage1.0","classifier"],"norms":[0.3,0.5,0.2]}
        {"step":101,"layers":["stem","stage1.0","classifier"],"norms":[0.2,null,0.4]}
        {"step":601,"layers":["stem","stage1.0","classifier"],"norms":[9,9,9]}
        """;

    [Fact]
    public void Vision_run_reads_epochs_into_loss_and_accuracy_curves()
    {
        _folder.Write(RunFolder.MetricsFile, VisionMetrics);
        var run = RunFolder.Read(_folder.Path, "resnet20");

        Assert.Equal("resnet20", run.Name);
        Assert.Equal("epoch", run.XAxis);
        Assert.Equal(3, run.Metrics.Count);
        Assert.Equal(0.7733, run.Metrics[1].TestAccuracy);
        Assert.Equal("Cpu", run.Metrics[0].Backend);
        Assert.Null(run.Metrics[2].TestLoss);      // optional fields may be missing
        Assert.Null(run.Metrics[2].Backend);
        Assert.Empty(run.Steps);                   // no steps.jsonl
        Assert.Empty(run.GradientNorms);

        var curves = run.LossCurves("resnet");
        Assert.Equal(["resnet train loss", "resnet test loss"], curves.Select(c => c.Name));
        Assert.Equal([1.0, 2.0, 3.0], curves[0].X);
        Assert.Equal([1.0, 2.0], curves[1].X);
        Assert.Equal([0.7298, 0.7733], run.AccuracyCurve().Y);
        Assert.Equal([218.465836, 216.4802508, 200], run.MetricCurve("seconds").Y);
    }

    [Fact]
    public void Gpt_run_reads_steps_and_validation_loss()
    {
        _folder.Write(RunFolder.MetricsFile,
            """
            {"step":50,"train_loss":2.5,"validation_loss":2.6,"seconds":10,"backend":"WebGpu"}
            {"step":100,"train_loss":2.1,"validation_loss":2.3,"seconds":20,"backend":"WebGpu"}
            """);
        var run = RunFolder.Read(_folder.Path);

        Assert.Equal(Path.GetFileName(_folder.Path), run.Name);
        Assert.Equal("step", run.XAxis);
        var curves = run.LossCurves();
        Assert.Equal(["train loss", "validation loss"], curves.Select(c => c.Name));
        Assert.Equal([50.0, 100.0], curves[1].X);
        Assert.Equal([2.6, 2.3], curves[1].Y);
        Assert.Equal(0, run.AccuracyCurve().Count);
    }

    [Fact]
    public void Steps_file_reads_with_and_without_its_optional_fields()
    {
        _folder.Write(RunFolder.StepsFile,
            """
            {"step":1,"loss":2.3,"accuracy":0.1,"lr":0.001,"seconds":0.5}
            {"step":2,"loss":"NaN","lr":0.002}
            {"step":3,"loss":1.9,"accuracy":null}
            """);
        var run = RunFolder.Read(_folder.Path);

        Assert.Equal(3, run.Steps.Count);
        Assert.Equal(new StepRecord(1, 2.3, 0.1, 0.001, 0.5), run.Steps[0]);
        Assert.True(double.IsNaN(run.Steps[1].Loss));
        Assert.Null(run.Steps[2].Accuracy);
        Assert.Equal([1.0, 2.0, 3.0], run.StepCurve().X);
        Assert.Equal([1.0], run.StepCurve("accuracy").X);
        Assert.Equal([0.001, 0.002], run.StepCurve("lr").Y);
        Assert.Throws<ArgumentException>(() => run.StepCurve("momentum"));
        Assert.Empty(run.Metrics);
    }

    [Fact]
    public void Gradient_norms_give_medians_over_the_first_steps_and_one_step()
    {
        _folder.Write(RunFolder.GradientNormsFile, GradientNorms);
        var run = RunFolder.Read(_folder.Path, "plain20");

        Assert.Equal(4, run.GradientNorms.Count);
        Assert.True(double.IsNaN(run.GradientNorms[2].Norms[1]));
        var medians = run.MedianGradientNorms(500);
        Assert.Equal("plain20", medians.Run);
        Assert.Equal(["stem", "stage1.0", "classifier"], medians.Layers);
        Assert.Equal([0.2, 0.7, 0.3], medians.Norms); // the NaN left out: the median of (0.5, 0.7) is the upper one
        var at = run.GradientNormsAt(60);
        Assert.Equal("plain20 (step 51)", at.Run);
        Assert.Equal([0.3, 0.5, 0.2], at.Norms);
        Assert.Throws<InvalidOperationException>(() => run.MedianGradientNorms(0));
    }

    [Fact]
    public void Malformed_json_names_the_file_and_the_line()
    {
        string path = _folder.Write(RunFolder.MetricsFile, "{\"epoch\":1,\"train_loss\":1.0}\n\n{\"epoch\":2,\"train_loss\":\n");
        var e = Assert.Throws<RunFormatException>(() => RunFolder.Read(_folder.Path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(3, e.Line);
        Assert.StartsWith($"{path}:3: malformed JSON", e.Message);
    }

    [Theory]
    [InlineData(RunFolder.MetricsFile, "{\"epoch\":1,\"train_loss\":\"low\"}", "field \"train_loss\" should be a number, got the string \"low\"")]
    [InlineData(RunFolder.MetricsFile, "{\"train_loss\":1}", "needs \"epoch\" or \"step\"")]
    [InlineData(RunFolder.MetricsFile, "[1, 2]", "expected a JSON object")]
    [InlineData(RunFolder.MetricsFile, "{\"epoch\":1.5}", "field \"epoch\" should be an integer")]
    [InlineData(RunFolder.StepsFile, "{\"step\":1}", "field \"loss\" is missing")]
    [InlineData(RunFolder.GradientNormsFile, "{\"step\":1,\"layers\":[\"a\",\"b\"],\"norms\":[1]}", "2 layers but 1 norms")]
    [InlineData(RunFolder.GradientNormsFile, "{\"step\":1,\"layers\":\"a\",\"norms\":[1]}", "field \"layers\" should be an array")]
    [InlineData(RunFolder.GradientNormsFile, "{\"step\":1,\"layers\":[\"a\"],\"norms\":[true]}", "element 0 of \"norms\" should be a number")]
    public void Wrong_fields_name_the_file_the_line_and_the_field(string file, string line, string problem)
    {
        string path = _folder.Write(file, line + "\n");
        var e = Assert.Throws<RunFormatException>(() => RunFolder.Read(_folder.Path));
        Assert.StartsWith($"{path}:1: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Missing_folder_is_a_clear_error()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => RunFolder.Read(_folder.File("nope")));
        Assert.Contains("nope", e.Message);
    }
}
