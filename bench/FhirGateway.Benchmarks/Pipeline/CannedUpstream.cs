using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace FhirGateway.Benchmarks.Pipeline;

/// <summary>
/// The upstream as an <see cref="HttpMessageHandler"/> under the proxies' forwarder: every request is answered at once
/// with the same US Core Patient (~1.5 KB, as ProxyBench's canned upstream serves), so the in-process pipeline
/// benchmark measures the proxies and not a FHIR server or a socket.
/// </summary>
internal sealed class CannedUpstream : HttpMessageHandler
{
    public const string PatientId = "pat-1";

    public static readonly byte[] Patient = Encoding.UTF8.GetBytes($$$"""
        {"resourceType":"Patient","id":"{{{PatientId}}}","meta":{"versionId":"3","lastUpdated":"2025-11-02T09:14:27.118Z","profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
        "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Amy V. Shaw</div>"},
        "extension":[{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race","extension":[{"url":"ombCategory","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"2106-3","display":"White"}},{"url":"text","valueString":"White"}]},
        {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":"F"}],
        "identifier":[{"use":"usual","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR","display":"Medical Record Number"}]},"system":"http://hospital.example.org","value":"1032702"}],
        "active":true,"name":[{"use":"official","family":"Shaw","given":["Amy","V."],"period":{"start":"1987-02-20"}}],
        "telecom":[{"system":"phone","value":"555-555-5555","use":"home"},{"system":"email","value":"amy.shaw@example.com"}],
        "gender":"female","birthDate":"1987-02-20",
        "address":[{"use":"home","line":["49 Meadow St"],"city":"Mounds","state":"OK","postalCode":"74047","country":"US","period":{"start":"1987-02-20"}}],
        "communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"en-US","display":"English (United States)"}]},"preferred":true}]}
        """.ReplaceLineEndings(""));

    private static readonly MediaTypeHeaderValue FhirJson = new("application/fhir+json") { CharSet = "utf-8" };

    /// <summary>The last request, to check what a proxy sent; its headers are read only then (parsing one allocates).</summary>
    public HttpRequestMessage? LastRequest { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastRequest = request;
        var content = new ByteArrayContent(Patient);
        content.Headers.ContentType = FhirJson;
        content.Headers.ContentLength = Patient.Length;
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        response.Headers.ETag = new EntityTagHeaderValue("\"3\"", isWeak: true);
        return Task.FromResult(response);
    }
}
