using FhirGateway.Core.Coverage;

namespace FhirGateway.Core.Tests.Coverage;

public sealed class CoverageCodesTests
{
    [Theory]
    [InlineData("cpt", "72148", CoverageCodes.Cpt)]
    [InlineData("CPT", "0042t", CoverageCodes.Cpt)]
    [InlineData("http://www.ama-assn.org/go/cpt", "99213", CoverageCodes.Cpt)]
    [InlineData("hcpcs", "E0601", CoverageCodes.Hcpcs)]
    [InlineData("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "e0601", CoverageCodes.Hcpcs)]
    [InlineData("icd-10-cm", "M54.16", CoverageCodes.Icd10Cm)]
    [InlineData("snomed", "279039007", CoverageCodes.Snomed)]
    [InlineData("http://snomed.info/sct", "22298006", CoverageCodes.Snomed)]
    [InlineData("loinc", "4548-4", CoverageCodes.Loinc)]
    [InlineData("rxnorm", "197361", CoverageCodes.RxNorm)]
    public void Parse_WellFormedCode_ReturnsSystemUriAndNormalizedCode(string system, string code, string uri)
    {
        var parsed = CoverageCodes.Parse(system, code);

        Assert.Equal(uri, parsed.System);
        Assert.Equal(code.ToUpperInvariant(), parsed.Code);
    }

    [Theory]
    [InlineData("cpt", "7214", "CPT: 5 characters")]
    [InlineData("cpt", "E0601", "CPT: 5 characters")]
    [InlineData("hcpcs", "72148", "HCPCS Level II: a letter then 4 digits")]
    [InlineData("icd10cm", "54.16", "ICD-10-CM")]
    [InlineData("snomed", "279039008", "Verhoeff")]
    [InlineData("snomed", "12345", "SNOMED CT: 6 to 18 digits")]
    [InlineData("loinc", "45484", "LOINC: 1 to 7 digits, a dash and the check digit")]
    [InlineData("rxnorm", "RX1", "RxNorm")]
    [InlineData("ndc", "1234", "Unknown code system 'ndc': use one of cpt, hcpcs, icd10cm, snomed, loinc, rxnorm")]
    public void Parse_MalformedCode_Throws400StatingTheExpectedForm(string system, string code, string expected)
    {
        var error = Assert.Throws<InvalidCoverageCodeException>(() => CoverageCodes.Parse(system, code));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
