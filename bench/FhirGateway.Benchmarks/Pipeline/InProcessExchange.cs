using System.Collections;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FhirGateway.Benchmarks.Pipeline;

/// <summary>
/// One connection's requests, the same GET each time, as Kestrel serves them: the request's features are this
/// object's fields (extra features set by middleware are dropped after each request), the response headers are
/// cleared and reused, the hosting context is reused (<see cref="IHostContextContainer{TContext}"/>), and the
/// response's <c>OnStarting</c> callbacks run before its first byte. The body is counted, not kept.
/// </summary>
internal abstract class InProcessExchange :
    IFeatureCollection, IHttpRequestFeature, IHttpResponseFeature, IHttpResponseBodyFeature, IHttpRequestLifetimeFeature,
    IHttpConnectionFeature, IHttpRequestBodyDetectionFeature, IHttpRequestIdentifierFeature, IDisposable
{
    private static readonly Type[] Own =
    [
        typeof(IHttpRequestFeature), typeof(IHttpResponseFeature), typeof(IHttpResponseBodyFeature), typeof(IHttpRequestLifetimeFeature),
        typeof(IHttpConnectionFeature), typeof(IHttpRequestBodyDetectionFeature), typeof(IHttpRequestIdentifierFeature),
    ];

    private readonly Dictionary<Type, object> _extra = [];
    private readonly CancellationTokenSource _aborted = new();
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private readonly CountingStream _body;
    private PipeWriter? _writer;
    private int _revision;

    protected InProcessExchange(string path, IHeaderDictionary requestHeaders)
    {
        _body = new CountingStream(this);
        var request = (IHttpRequestFeature)this;
        request.Path = path;
        request.RawTarget = path;
        request.Headers = requestHeaders;
        ((IHttpRequestLifetimeFeature)this).RequestAborted = _aborted.Token;
    }

    /// <summary>The last response's body length in bytes.</summary>
    public long BodyBytes => _body.Written;

    /// <summary>The last response's headers.</summary>
    public IHeaderDictionary ResponseHeaders => ((IHttpResponseFeature)this).Headers;

    /// <summary>Runs the request once through the application.</summary>
    public abstract Task SendAsync();

    public void Dispose()
    {
        _aborted.Dispose();
        _body.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Before each request: a response not yet started, no callbacks, no features but this exchange's own.</summary>
    protected void Reset()
    {
        if (_extra.Count > 0)
        {
            _extra.Clear();
            _revision++;
        }

        StatusCode = StatusCodes.Status200OK;
        ReasonPhrase = null;
        ((IHttpResponseFeature)this).Headers.Clear();
        HasStarted = false;
        _onStarting.Clear();
        _onCompleted.Clear();
        _body.Reset();
        _writer = null;
    }

    /// <summary>Starts the response if the application has not (as Kestrel does when it returns without writing).</summary>
    protected Task EndAsync() => HasStarted ? Task.CompletedTask : StartAsync();

    protected async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.CompleteAsync();
        }

        // Kestrel runs them in reverse order of registration.
        for (var i = _onCompleted.Count - 1; i >= 0; i--)
        {
            await _onCompleted[i].Callback(_onCompleted[i].State);
        }
    }

    // IFeatureCollection

    public bool IsReadOnly => false;

    public int Revision => _revision;

    public object? this[Type key]
    {
        get => _extra.Count > 0 && _extra.TryGetValue(key, out var feature) ? feature : Array.IndexOf(Own, key) >= 0 ? this : null;
        set
        {
            _revision++;
            if (value is null)
            {
                _extra.Remove(key);
            }
            else
            {
                _extra[key] = value;
            }
        }
    }

    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        foreach (var type in Own)
        {
            if (!_extra.ContainsKey(type))
            {
                yield return new(type, this);
            }
        }

        foreach (var pair in _extra)
        {
            yield return pair;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The request: always the same GET over HTTP/1.1 from 127.0.0.1.

    string IHttpRequestFeature.Protocol { get; set; } = "HTTP/1.1";

    string IHttpRequestFeature.Scheme { get; set; } = "http";

    string IHttpRequestFeature.Method { get; set; } = HttpMethods.Get;

    string IHttpRequestFeature.PathBase { get; set; } = "";

    string IHttpRequestFeature.Path { get; set; } = "/";

    string IHttpRequestFeature.QueryString { get; set; } = "";

    string IHttpRequestFeature.RawTarget { get; set; } = "/";

    IHeaderDictionary IHttpRequestFeature.Headers { get; set; } = new HeaderDictionary();

    Stream IHttpRequestFeature.Body { get; set; } = Stream.Null;

    bool IHttpRequestBodyDetectionFeature.CanHaveBody => false;

    string IHttpRequestIdentifierFeature.TraceIdentifier { get; set; } = "0HNBENCH:00000001";

    CancellationToken IHttpRequestLifetimeFeature.RequestAborted { get; set; }

    void IHttpRequestLifetimeFeature.Abort() => _aborted.Cancel();

    string IHttpConnectionFeature.ConnectionId { get; set; } = "0HNBENCH";

    IPAddress? IHttpConnectionFeature.RemoteIpAddress { get; set; } = IPAddress.Loopback;

    IPAddress? IHttpConnectionFeature.LocalIpAddress { get; set; } = IPAddress.Loopback;

    int IHttpConnectionFeature.RemotePort { get; set; } = 50000;

    int IHttpConnectionFeature.LocalPort { get; set; } = 8080;

    // The response.

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    IHeaderDictionary IHttpResponseFeature.Headers { get; set; } = new HeaderDictionary();

    [Obsolete("Use IHttpResponseBodyFeature.")]
    Stream IHttpResponseFeature.Body { get => _body; set => throw new NotSupportedException(); }

    public bool HasStarted { get; private set; }

    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    Stream IHttpResponseBodyFeature.Stream => _body;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer ??= PipeWriter.Create(_body, new StreamPipeWriterOptions(leaveOpen: true));

    void IHttpResponseBodyFeature.DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }

        // Kestrel runs them in reverse order of registration, then the headers are read-only.
        for (var i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Callback(_onStarting[i].State);
        }

        HasStarted = true;
    }

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    Task IHttpResponseBodyFeature.CompleteAsync() => StartAsync();

    /// <summary>The response body: counted, its first write starting the response.</summary>
    private sealed class CountingStream(InProcessExchange exchange) : Stream
    {
        public long Written { get; private set; }

        public void Reset() => Written = 0;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous writes are not allowed.");

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!exchange.HasStarted)
            {
                await exchange.StartAsync(cancellationToken);
            }

            Written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            exchange.HasStarted ? Task.CompletedTask : exchange.StartAsync(cancellationToken);

        public override void Flush() => throw new NotSupportedException("Synchronous flushes are not allowed.");

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>The exchange for an application of context <typeparamref name="TContext"/>.</summary>
internal sealed class InProcessExchange<TContext> : InProcessExchange, IHostContextContainer<TContext>
    where TContext : notnull
{
    private readonly IHttpApplication<TContext> _application;

    public InProcessExchange(IHttpApplication<TContext> application, string path, IHeaderDictionary requestHeaders)
        : base(path, requestHeaders)
    {
        _application = application;
    }

    public TContext? HostContext { get; set; }

    public override async Task SendAsync()
    {
        Reset();
        var context = _application.CreateContext(this);
        Exception? error = null;
        try
        {
            await _application.ProcessRequestAsync(context);
            await EndAsync();
        }
        catch (Exception e)
        {
            error = e;
        }

        await CompleteAsync();
        _application.DisposeContext(context, error);
        if (error is not null)
        {
            throw new InvalidOperationException("The application failed the request.", error);
        }
    }
}
