using System.Text;
using FhirGateway.Core.Audit;
using FhirGateway.Core.Fhir;
using FhirGateway.Core.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FhirGateway.Core.Tests.Audit;

/// <summary>The audit trail on standard output: every event one line, in order, and nothing else.</summary>
public sealed class AuditLogTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryAuditEvent_IsOneLine_InOrder_AndOtherCategoriesAreNotWritten()
    {
        var output = new MemoryStream();
        var provider = new AuditLogProvider(output, new FakeTimeProvider(Now));
        using (var loggers = LoggerFactory.Create(logging => logging.AddProvider(provider).SetMinimumLevel(LogLevel.Trace)))
        {
            var audit = new GatewayAudit(loggers);
            var owner = OwnerKey.ForSession("session-id-that-must-not-appear");
            for (var i = 0; i < 2_500; i++)
            {
                audit.FhirCall(owner, "epic-sandbox", Read($"p{i}"), 200, TimeSpan.FromMilliseconds(12.34));
            }

            audit.Authorization("auth.refresh", "success", owner, "epic-sandbox", "-", TimeSpan.FromMilliseconds(5));
            loggers.CreateLogger("FhirGateway.Core.Fhir.FhirClient").Log(LogLevel.Warning, new EventId(1), "A diagnostic, not an audit event.", null, static (text, _) => text);

            // Disposing the provider writes what is still queued.
            provider.Dispose();
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2_501, lines.Length);
        for (var i = 0; i < 2_500; i++)
        {
            Assert.StartsWith("2026-11-28T12:00:00.000Z FhirGateway.Audit[7002] Audit action=fhir.read outcome=success owner=", lines[i], StringComparison.Ordinal);
            Assert.Contains($" platform=epic-sandbox type=Patient id=p{i} operation=- status=200 duration_ms=12.3 ", lines[i], StringComparison.Ordinal);
        }

        Assert.StartsWith("2026-11-28T12:00:00.000Z FhirGateway.Audit[7001] Audit action=auth.refresh outcome=success", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.Contains("session-id-that-must-not-appear", StringComparison.Ordinal) || line.Contains("diagnostic", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(12.34, 200, "Patient", "p1")]
    [InlineData(0.04, 404, "Observation", null)]
    [InlineData(1234567.891, 502, null, "id-with.dots_and$")]
    [InlineData(5, 499, "Bündel", "ünïcode")]
    [InlineData(0.1, 200, "Patient", "a\nforged line")]
    [InlineData(0, 200, "Patient", "p0")]
    [InlineData(0.96, 200, "Patient", "p2")]
    [InlineData(99.95, 200, "Patient", "p3")]
    [InlineData(0.55, 200, "Patient", "p4")]
    [InlineData(300_000_000.05, 504, "Patient", "p5")]
    public void Line_RenderedFromTheValues_IsWhatTheFormatterWrites(double milliseconds, int status, string? type, string? id)
    {
        var formatted = new FormattedMessages();
        var output = new MemoryStream();
        var provider = new AuditLogProvider(output, new FakeTimeProvider(Now));
        using (var loggers = LoggerFactory.Create(logging => logging.AddProvider(provider).AddProvider(formatted)))
        {
            var audit = new GatewayAudit(loggers);
            var request = new FhirRequest { PlatformId = "epic-sandbox", Interaction = FhirInteraction.Read, Method = HttpMethod.Get, ResourceType = type, Id = id };
            audit.FhirCall(OwnerKey.ForSession("s"), "epic-sandbox", request, status, TimeSpan.FromMilliseconds(milliseconds));
            audit.Authorization("auth.callback", "failure", null, "epic-sandbox", "invalid_grant", TimeSpan.FromMilliseconds(milliseconds));
            provider.Dispose();
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, formatted.Messages.Count);
        Assert.Equal([true, true], formatted.Rendered);
        Assert.Equal($"2026-11-28T12:00:00.000Z FhirGateway.Audit[7002] {formatted.Messages[0]}", lines[0]);
        Assert.Equal($"2026-11-28T12:00:00.000Z FhirGateway.Audit[7001] {formatted.Messages[1]}", lines[1]);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public void LineTime_IsTheCustomFormatsText()
    {
        var random = new Random(20261129);
        DateTime[] times =
        [
            DateTime.MinValue, DateTime.MaxValue, new(2028, 2, 29, 23, 59, 59, 999, DateTimeKind.Utc), new(2026, 1, 1, 0, 0, 0, 7, DateTimeKind.Utc),
            .. Enumerable.Range(0, 1_000).Select(_ => new DateTime(random.NextInt64(DateTime.MaxValue.Ticks), DateTimeKind.Utc)),
        ];
        Span<byte> written = stackalloc byte[AuditLogProvider.TimeBytes];
        foreach (var time in times)
        {
            Assert.Equal(AuditLogProvider.TimeBytes, AuditLogProvider.WriteTime(time, written));
            Assert.Equal(time.ToString(AuditLogProvider.TimeFormat, System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(written));
        }
    }

    [Fact]
    public void Line_TemplateOrValueNotRenderedHere_WrittenAsTheFormatterWritesIt()
    {
        var output = new MemoryStream();
        var provider = new AuditLogProvider(output, new FakeTimeProvider(Now));
        using (var loggers = LoggerFactory.Create(logging => logging.AddProvider(provider)))
        {
            var logger = loggers.CreateLogger(GatewayAudit.Category);
#pragma warning disable CA1848, CA1873, CA2254 // the point: templates that are not [LoggerMessage]'s plain holes
            logger.LogInformation(7100, "Rounded {Value:F2} and {{braces}}", 1.0 / 3);
            logger.LogInformation(7101, "Value {Value} of another type", TimeSpan.FromSeconds(90));
            logger.LogInformation(7102, "Missing {Value}", (object?)null);
#pragma warning restore CA1848, CA1873, CA2254
            logger.Log(LogLevel.Information, new EventId(7103), "a plain state", null, static (text, _) => "formatted " + text);
            provider.Dispose();
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "2026-11-28T12:00:00.000Z FhirGateway.Audit[7100] Rounded 0.33 and {braces}",
                "2026-11-28T12:00:00.000Z FhirGateway.Audit[7101] Value 00:01:30 of another type",
                "2026-11-28T12:00:00.000Z FhirGateway.Audit[7102] Missing (null)",
                "2026-11-28T12:00:00.000Z FhirGateway.Audit[7103] formatted a plain state",
            ],
            lines);
    }

    [Fact]
    public async Task Capacity_OutputBlocked_LoggingWaitsAndNothingIsLost()
    {
        var output = new BlockedStream();
        var provider = new AuditLogProvider(output, new FakeTimeProvider(Now));
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(provider));
        var audit = new GatewayAudit(loggers);
        var owner = OwnerKey.ForSession("s");
        var events = AuditLogProvider.Capacity * 2 + 10;

        var logging = Task.Run(() =>
        {
            for (var i = 0; i < events; i++)
            {
                audit.FhirCall(owner, "epic-sandbox", Read($"p{i}"), 200, TimeSpan.FromMilliseconds(1));
            }
        });

        await Task.Delay(500);
        Assert.False(logging.IsCompleted, "logging went on with the output blocked and the pending events at capacity");
        output.Open();
        await logging.WaitAsync(TimeSpan.FromSeconds(10));
        provider.Dispose();

        var lines = Encoding.UTF8.GetString(output.Written.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(events, lines.Length);
        Assert.All(lines.Select((line, i) => (line, i)), pair => Assert.Contains($" id=p{pair.i} ", pair.line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Line_WrittenWithinTheFlushInterval_ByAThreadOutsideThePool()
    {
        var output = new RecordingStream();
        var provider = new AuditLogProvider(output, new FakeTimeProvider(Now));
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(provider));
        var audit = new GatewayAudit(loggers);

        audit.FhirCall(OwnerKey.ForSession("s"), "epic-sandbox", Read("p1"), 200, TimeSpan.FromMilliseconds(1));

        // Out while the gateway runs, not only at shutdown; written by the provider's own thread, so an audited
        // request gives the thread pool no work (its idle workers would spin for more: see AuditLogProvider).
        var written = await output.FirstWrite.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(" id=p1 ", written.Text, StringComparison.Ordinal);
        Assert.False(written.OnPoolThread, "the audit line was written on a thread-pool thread");
        provider.Dispose();
    }

    [Fact]
    public void Stdout_IsOnByDefault_AndOffWithFalse()
    {
        using var byDefault = Host(null);
        using var off = Host("false");

        Assert.Single(byDefault.Services.GetServices<ILoggerProvider>().OfType<AuditLogProvider>());
        Assert.Empty(off.Services.GetServices<ILoggerProvider>().OfType<AuditLogProvider>());
    }

    [Fact]
    public void Stdout_NeitherTrueNorFalse_FailsNamingTheSetting()
    {
        using var host = Host("yes");

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<AuditEventOptions>>().Value);

        Assert.Contains(AuditEventOptions.StdoutKey, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>What [LoggerMessage]'s own formatter makes of each audit event.</summary>
    private sealed class FormattedMessages : ILoggerProvider, ILogger
    {
        public List<string> Messages { get; } = [];

        /// <summary>Whether each event's template is one the audit log renders from the values itself.</summary>
        public List<bool> Rendered { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Messages.Add(formatter(state, exception));
            Rendered.Add(state is IReadOnlyList<KeyValuePair<string, object?>> values && AuditMessageTemplate.Parse(values) is { } template && template.MaxBytes(values) > 0);
        }
    }

    /// <summary>An output that reports its first write: the text and whether a pool thread made it.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        private readonly TaskCompletionSource<(string Text, bool OnPoolThread)> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<(string Text, bool OnPoolThread)> FirstWrite => _first.Task;

        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            _first.TrySetResult((Encoding.UTF8.GetString(buffer, offset, count), Thread.CurrentThread.IsThreadPoolThread));
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>An output whose writes wait until it is opened, as a stdout nobody reads.</summary>
    private sealed class BlockedStream : Stream
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public MemoryStream Written { get; } = new();

        public void Open() => _open.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _open.Task;
            lock (Written)
            {
                Written.Write(buffer.Span);
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static FhirRequest Read(string id) => new()
    {
        PlatformId = "epic-sandbox",
        Interaction = FhirInteraction.Read,
        Method = HttpMethod.Get,
        ResourceType = "Patient",
        Id = id,
    };

    private static IHost Host(string? stdout)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        if (stdout is not null)
        {
            builder.Configuration.AddInMemoryCollection([new(AuditEventOptions.StdoutKey, stdout)]);
        }

        builder.AddAuditEventOutput();
        return builder.Build();
    }
}
