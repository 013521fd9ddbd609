using System.Globalization;
using System.Text;

namespace FhirGateway.Benchmarks;

/// <summary>
/// A searchset Bundle shaped like a real one: <c>self</c> and <c>next</c> links at the upstream base and 20 (or more)
/// US Core heart-rate Observations, ~1 KB each, compact as servers send them.
/// </summary>
internal static class SampleBundles
{
    public const string FhirBase = "http://fhir.example/fhir";
    public const string GatewayPrefix = "https://gw.example/api/fhir/p";

    public static byte[] Search(int entries)
    {
        var self = $"{FhirBase}/Observation?patient=pat-1&category=vital-signs&_count={entries}";
        var json = new StringBuilder(entries * 1100);
        json.Append(CultureInfo.InvariantCulture, $$"""{"resourceType":"Bundle","id":"b1","meta":{"lastUpdated":"2025-11-02T09:20:00.000Z"},"type":"searchset","total":137,""")
            .Append(CultureInfo.InvariantCulture, $$"""
                "link":[{"relation":"self","url":"{{self}}"},{"relation":"next","url":"{{self}}&_getpagesoffset={{entries}}"}],"entry":[
                """);
        for (var i = 0; i < entries; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$$$"""
                {"fullUrl":"{{{{FhirBase}}}}/Observation/obs-{{{{i}}}}","resource":{"resourceType":"Observation","id":"obs-{{{{i}}}}","meta":{"versionId":"1","lastUpdated":"2025-10-10T08:30:00.000Z","profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-heart-rate"]},"status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs","display":"Vital Signs"}],"text":"Vital Signs"}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],"text":"Heart rate"},"subject":{"reference":"Patient/pat-1"},"effectiveDateTime":"2025-10-10T08:30:00Z","valueQuantity":{"value":{{{{60 + (i * 7 % 40)}}}},"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}},"search":{"mode":"match"}}
                """);
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }
}
