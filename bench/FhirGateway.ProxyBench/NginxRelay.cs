using System.Globalization;

namespace FhirGateway.ProxyBench;

/// <summary>
/// A reference hop with no .NET in it (<c>--nginx</c>): Debian's nginx as a plain reverse proxy in front of the same
/// upstream, one worker process (so its CPU is that process's), keep-alive connections both ways, the answer held in
/// memory, no access log. It answers whether a latency figure is the gateway's or any proxy's on this machine: what a
/// C event loop with no runtime adds over direct is the floor for a hop through a process of its own.
/// </summary>
internal static class NginxRelay
{
    public const string Name = "nginx";
    private const string Program = "/usr/sbin/nginx";
    private const string ReadyPath = "/ready";

    public static async Task<ProxyProcess> StartProcessAsync(string upstreamOrigin)
    {
        if (!File.Exists(Program))
        {
            throw new InvalidOperationException($"--nginx needs {Program}: apt-get install nginx-light (Debian).");
        }

        var port = ProxyProcess.FreeLoopbackPort();
        var prefix = Directory.CreateTempSubdirectory("fhirgw-proxybench-nginx-").FullName;
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(port, new Uri(upstreamOrigin), prefix));
        var process = await ProxyProcess.StartAsync(Name, port, Program, ["-p", prefix, "-c", config, "-e", "stderr"], new Dictionary<string, string>(), ReadyPath);
        return process.DeleteOnDispose(prefix);
    }

    /// <summary>
    /// One worker, no master (a single process to measure); upstream connections kept alive and reused for as many
    /// requests as the load sends (nginx closes a connection after 1,000 by default); the upstream's own Host, as
    /// YARP sends it; buffers large enough for the 20-entry Bundle, and a larger answer (<c>--large</c>) relayed through
    /// them as the client takes it rather than spooled to a temporary file.
    /// </summary>
    private static string Config(int port, Uri upstream, string prefix) => string.Create(CultureInfo.InvariantCulture, $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        error_log stderr warn;
        pid {{prefix}}/nginx.pid;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path {{prefix}}/body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;
            keepalive_requests 100000000;
            keepalive_timeout 300s;
            upstream fhir {
                server {{upstream.Host}}:{{upstream.Port}};
                keepalive 256;
                keepalive_requests 100000000;
            }
            server {
                listen 127.0.0.1:{{port}};
                location = {{ReadyPath}} { return 200 "ready"; }
                location / {
                    proxy_pass http://fhir;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host {{upstream.Host}}:{{upstream.Port}};
                    proxy_buffer_size 16k;
                    proxy_buffers 16 16k;
                    proxy_max_temp_file_size 0;
                }
            }
        }
        """);
}
