using KernelGen.Models.Tensors;

namespace KernelGen.Models.Nn;

/// <summary>
/// A part of a model (PyTorch's <c>nn.Module</c>): it registers its parameters and sub-modules by name, so
/// <see cref="NamedParameters"/> yields stable dotted names (<c>blocks.0.attention.query.weight</c>) that are the
/// tensor names of checkpoints, and a shape error names the layer it happened in (<see cref="Path"/>).
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> parameters = [];
    private readonly List<(string Name, Module Module)> children = [];
    private readonly List<Tensor> constants = [];

    /// <summary>The dotted name of this module inside its model ("" for the model itself).</summary>
    public string Path { get; private set; } = "";

    /// <summary>True in training (dropout active), false after <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Registers a parameter of this module under <paramref name="name"/>.</summary>
    protected Tensor Register(string name, Tensor parameter)
    {
        parameters.Add((name, parameter));
        parameter.Name = Qualified(name);
        return parameter;
    }

    /// <summary>A tensor the module owns but does not learn (sinusoidal positions): disposed with it, not checkpointed.</summary>
    protected Tensor RegisterConstant(Tensor constant)
    {
        constants.Add(constant);
        return constant;
    }

    /// <summary>Registers a sub-module under <paramref name="name"/>; its parameters are named below it.</summary>
    protected T Register<T>(string name, T module) where T : Module
    {
        children.Add((name, module));
        module.Rename(Qualified(name));
        return module;
    }

    /// <summary>Every parameter with its dotted name, in registration order (the order of checkpoints).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters()
    {
        foreach (var (name, tensor) in parameters) yield return (Qualified(name), tensor);
        foreach (var (_, child) in children)
            foreach (var entry in child.NamedParameters()) yield return entry;
    }

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    /// <summary>The number of scalars in every parameter.</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Shape.Count);

    public IEnumerable<(string Name, Module Module)> Children() => children;

    public void Train() => SetMode(true);

    public void Eval() => SetMode(false);

    /// <summary>Forgets every parameter's gradient (the next backward overwrites them; no kernel runs).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    public void Dispose()
    {
        foreach (var (_, tensor) in parameters) tensor.DisposeParameter();
        foreach (var tensor in constants) tensor.DisposeParameter();
        foreach (var (_, child) in children) child.Dispose();
        GC.SuppressFinalize(this);
    }

    private void SetMode(bool training)
    {
        IsTraining = training;
        foreach (var (_, child) in children) child.SetMode(training);
    }

    private void Rename(string path)
    {
        Path = path;
        foreach (var (name, tensor) in parameters) tensor.Name = Qualified(name);
        foreach (var (name, child) in children) child.Rename(Qualified(name));
    }

    private string Qualified(string name) => Path.Length == 0 ? name : Path + "." + name;
}

/// <summary>A module with one tensor in and one out: what <see cref="Sequential"/> chains.</summary>
public abstract class Layer : Module
{
    public abstract Tensor Forward(Tensor x);
}
