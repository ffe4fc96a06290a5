using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>The native objects behind one open WebGPU device.</summary>
internal sealed record OpenedDevice(nint Instance, nint Adapter, nint Device, nint Queue, DeviceErrorSink Sink,
    WebGpuAdapterInfo Info, Limits Limits)
{
    /// <summary>Releases the device, adapter and instance; the caller has released every object made on the device.</summary>
    public void Release() => DeviceOpener.Release(Instance, Adapter, Device, Queue, Sink);
}

/// <summary>
/// Finds an adapter and opens a device on it: each backend of <see cref="WebGpuOptions.Backends"/> is requested
/// explicitly, in order, because with backendType Undefined and no real driver Dawn answers "Success" with its Null
/// backend, which accepts every call and computes nothing. A Null adapter is rejected whatever was asked for.
/// </summary>
internal static unsafe class DeviceOpener
{
    public static OpenedDevice Open(WebGpuOptions options)
    {
        if (options.Backends.Count == 0)
            throw new ArgumentException("WebGpuOptions.Backends is empty; name at least one backend to try.", nameof(options));
        if (WebGpuLibrary.TryLoad() is { } loadFailure)
            throw new WebGpuUnavailableException("No WebGPU adapter: " + loadFailure);

        // Mesa's EGL reads EGL_PLATFORM when Dawn first opens a display; without it, a machine with no X or
        // Wayland display finds no EGL platform at all. Must be set natively, before the instance exists.
        if (options.Backends.Contains(WebGpuBackend.OpenGles))
            LibC.SetDefaultNativeEnvironmentVariable("EGL_PLATFORM", "surfaceless");

        var instance = CreateInstance();
        var failures = new List<string>();
        foreach (var backend in options.Backends)
        {
            var (adapter, adapterFailure) = RequestAdapter(instance, ToNative(backend));
            if (adapter == 0)
            {
                failures.Add(adapterFailure!);
                continue;
            }
            var sink = new DeviceErrorSink();
            var (device, deviceFailure, limits) = RequestDevice(instance, adapter, backend, sink);
            if (device == 0)
            {
                failures.Add(deviceFailure!);
                WebGpuNative.AdapterRelease(adapter);
                // Dawn may still report the failed device as lost (FailedCreation) while the instance lives, so the
                // sink's handle stays allocated (a few bytes, on a path that ends in an exception anyway).
                sink.Closing = true;
                continue;
            }
            var queue = WebGpuNative.DeviceGetQueue(device);
            try
            {
                var info = AdapterDescription.Read(adapter, backend, limits);
                return new OpenedDevice(instance, adapter, device, queue, sink, info, limits);
            }
            catch
            {
                Release(instance, adapter, device, queue, sink);
                throw;
            }
        }
        WebGpuNative.InstanceRelease(instance);
        throw new WebGpuUnavailableException(UnavailableMessage(options.Backends, failures));
    }

    internal static void Release(nint instance, nint adapter, nint device, nint queue, DeviceErrorSink sink)
    {
        sink.Closing = true; // the loss Dawn reports for a destroyed device is our own doing
        WebGpuNative.QueueRelease(queue);
        WebGpuNative.DeviceDestroy(device);
        WebGpuNative.DeviceRelease(device);
        WebGpuNative.AdapterRelease(adapter);
        WebGpuNative.InstanceRelease(instance);
        // Dawn may call the device-lost callback until the instance is gone; only now can its target go.
        sink.Dispose();
    }

    internal static string UnavailableMessage(IReadOnlyList<WebGpuBackend> backends, IEnumerable<string> failures)
    {
        var names = string.Join(" or ", backends.Distinct().Select(WebGpuAdapterInfo.BackendName));
        return $"No WebGPU adapter: Dawn found no {names} driver. On a machine without a GPU install Mesa 25's " +
            "lavapipe: run scripts/install-webgpu-prereqs.sh as root (mesa-vulkan-drivers and libvulkan1 from " +
            "bookworm-backports); on a GPU machine install its Vulkan driver. Dawn said: " + string.Join("; ", failures);
    }

    internal static nint CreateInstance()
    {
        // timedWaitAnyEnable lets WaitAny block with a timeout; without it every wait would have to spin.
        var descriptor = new InstanceDescriptor { Capabilities = { TimedWaitAnyEnable = 1 } };
        var instance = WebGpuNative.CreateInstance(&descriptor);
        if (instance == 0)
            throw new WebGpuUnavailableException("No WebGPU adapter: Dawn could not create a WebGPU instance (wgpuCreateInstance returned null).");
        return instance;
    }

    /// <summary>An adapter of exactly <paramref name="backend"/>, or 0 and why not. Never Dawn's Null adapter.</summary>
    internal static (nint Adapter, string? Failure) RequestAdapter(nint instance, BackendType backend)
    {
        var name = BackendName(backend);
        var options = new RequestAdapterOptions
        {
            // Dawn's OpenGL ES backend only offers Compatibility adapters.
            FeatureLevel = backend == BackendType.OpenGles ? FeatureLevel.Compatibility : FeatureLevel.Core,
            BackendType = backend,
        };
        using var request = new NativeRequest();
        var future = WebGpuNative.InstanceRequestAdapter(instance, &options, request.CallbackInfo(NativeCallbacks.RequestAdapter));
        new FutureWaiter(instance, null).Wait(future, request, $"Requesting a {name} adapter");
        if ((RequestAdapterStatus)request.Status != RequestAdapterStatus.Success || request.Handle == 0)
            return (0, $"{name}: {Message((RequestAdapterStatus)request.Status, request.Message)}");

        var adapter = request.Handle;
        AdapterInfo info;
        var status = WebGpuNative.AdapterGetInfo(adapter, &info);
        var actual = status == Status.Success ? info.BackendType : BackendType.Undefined;
        var device = status == Status.Success ? info.Device.ToString() : "?";
        if (status == Status.Success) WebGpuNative.AdapterInfoFreeMembers(info);
        if (actual == BackendType.Null)
        {
            WebGpuNative.AdapterRelease(adapter);
            return (0, $"{name}: Dawn offered its Null backend (\"{device}\"), which computes nothing; rejected");
        }
        if (backend != BackendType.Undefined && actual != backend)
        {
            WebGpuNative.AdapterRelease(adapter);
            return (0, $"{name}: Dawn offered a {BackendName(actual)} adapter (\"{device}\") instead; rejected");
        }
        return (adapter, null);
    }

    private static (nint Device, string? Failure, Limits Limits) RequestDevice(nint instance, nint adapter,
        WebGpuBackend backend, DeviceErrorSink sink)
    {
        var name = WebGpuAdapterInfo.BackendName(backend);
        // Ask for the adapter's own limits: WebGPU's defaults cap a storage buffer at 128 MiB and a workgroup at 256
        // invocations (128 in Compatibility mode, the OpenGL ES case), far below what the hardware, or lavapipe, does.
        Limits limits;
        if (WebGpuNative.AdapterGetLimits(adapter, &limits) != Status.Success)
            return (0, $"{name}: wgpuAdapterGetLimits failed", default);
        limits.NextInChain = null;
        // Timestamp queries (per-dispatch GPU times for benchmarks) when the adapter has them; lavapipe does.
        var timestamps = FeatureName.TimestampQuery;
        bool wantTimestamps = WebGpuNative.AdapterHasFeature(adapter, FeatureName.TimestampQuery) != 0;

        using var request = new NativeRequest();
        fixed (byte* label = "KernelGen"u8)
        fixed (byte* quantization = "timestamp_quantization\0"u8)
        {
            // Dawn rounds timestamps to 65.5 µs by default (a browser's defence against timing attacks), which would
            // make every small dispatch read 0 or 65.5 µs; a native runtime has no such threat.
            var disabled = stackalloc byte*[] { quantization };
            var toggles = new DawnTogglesDescriptor
            {
                Chain = { SType = SType.DawnTogglesDescriptor },
                DisabledToggleCount = 1,
                DisabledToggles = disabled,
            };
            var descriptor = new DeviceDescriptor
            {
                NextInChain = &toggles.Chain,
                Label = StringView.Of(label, "KernelGen"u8.Length),
                RequiredFeatureCount = wantTimestamps ? 1u : 0u,
                RequiredFeatures = wantTimestamps ? &timestamps : null,
                RequiredLimits = &limits,
                DefaultQueue = { Label = StringView.Null },
                DeviceLostCallbackInfo = new CallbackInfo
                {
                    Mode = CallbackMode.AllowSpontaneous,
                    Callback = NativeCallbacks.DeviceLost,
                    Userdata1 = (void*)sink.Userdata,
                },
                UncapturedErrorCallbackInfo = new UncapturedErrorCallbackInfo
                {
                    Callback = NativeCallbacks.UncapturedError,
                    Userdata1 = (void*)sink.Userdata,
                },
            };
            var future = WebGpuNative.AdapterRequestDevice(adapter, &descriptor, request.CallbackInfo(NativeCallbacks.RequestDevice));
            new FutureWaiter(instance, null).Wait(future, request, $"Opening a {name} device");
        }
        if ((RequestStatus)request.Status != RequestStatus.Success || request.Handle == 0)
            return (0, $"{name}: the adapter refused to open a device ({(RequestStatus)request.Status}): {request.Message}", default);

        Limits granted;
        if (WebGpuNative.DeviceGetLimits(request.Handle, &granted) != Status.Success) granted = limits;
        return (request.Handle, null, granted);
    }

    internal static BackendType ToNative(WebGpuBackend backend) => backend switch
    {
        WebGpuBackend.Vulkan => BackendType.Vulkan,
        WebGpuBackend.OpenGles => BackendType.OpenGles,
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "Not a WebGPU backend KernelGen can use."),
    };

    private static string BackendName(BackendType backend) => backend switch
    {
        BackendType.Vulkan => "Vulkan",
        BackendType.OpenGles => "OpenGL ES",
        BackendType.OpenGL => "OpenGL",
        BackendType.Null => "Null",
        BackendType.Undefined => "any backend",
        _ => backend.ToString(),
    };

    private static string Message(RequestAdapterStatus status, string message) => status switch
    {
        RequestAdapterStatus.Unavailable => $"unavailable ({message})",
        RequestAdapterStatus.Error => $"error ({message})",
        _ => $"{status} ({message})",
    };
}
