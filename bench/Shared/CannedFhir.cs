using System.Text;

namespace FhirGateway.Bench;

/// <summary>
/// The canned upstream's answers (ProxyBench's upstream and the in-process pipeline benchmark's), built once: a
/// realistic US Core Patient (~1.5 KB) and a 20-entry searchset Bundle of vital-sign Observations (~20 KB) whose
/// self/next links point at the upstream base, as a FHIR server's would, so the gateway has links to rewrite.
/// </summary>
internal static class CannedFhir
{
    public const string PatientId = "pat-1";
    public const string PatientETag = "W/\"3\"";
    public const int BundleEntries = 20;

    /// <summary>The search the benchmark sends (relative to a FHIR base).</summary>
    public const string SearchQuery = "Observation?patient=pat-1&category=vital-signs&_count=20";

    public static byte[] Patient() => Encoding.UTF8.GetBytes($$$"""
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

    public static byte[] SearchBundle(string fhirBase)
    {
        var self = $"{fhirBase}/{SearchQuery}";
        var json = new StringBuilder(24_000);
        json.Append(FormattableString.Invariant($$$"""
            {"resourceType":"Bundle","id":"b1c7e5d2-6f0e-4a39-9d51-2f6c0c1b7a44","meta":{"lastUpdated":"2025-11-02T09:20:00.000Z"},"type":"searchset","total":137,
            "link":[{"relation":"self","url":"{{{self}}}"},{"relation":"next","url":"{{{self}}}&_getpagesoffset=20"}],"entry":[
            """).ReplaceLineEndings(""));
        for (var i = 0; i < BundleEntries; i++)
        {
            var id = $"obs-{i:D4}";
            var heartRate = 60 + (i * 7 % 40);
            json.Append(FormattableString.Invariant($$$"""
                {{{(i == 0 ? "" : ",")}}}{"fullUrl":"{{{fhirBase}}}/Observation/{{{id}}}","resource":{"resourceType":"Observation","id":"{{{id}}}",
                "meta":{"versionId":"1","lastUpdated":"2025-10-{{{10 + (i % 18):D2}}}T08:30:00.000Z","profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-heart-rate"]},
                "status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs","display":"Vital Signs"}],"text":"Vital Signs"}],
                "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],"text":"Heart rate"},
                "subject":{"reference":"Patient/{{{PatientId}}}"},"effectiveDateTime":"2025-10-{{{10 + (i % 18):D2}}}T08:30:00Z",
                "valueQuantity":{"value":{{{heartRate}}},"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}},
                "search":{"mode":"match"}}
                """).ReplaceLineEndings(""));
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
