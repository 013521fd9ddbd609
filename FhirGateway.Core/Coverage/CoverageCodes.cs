using System.Text.RegularExpressions;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// The code systems coverage requests accept, by short name or URI, and the form of their codes. A code is
/// checked before any call to the payer, so a typo is a 400 naming the expected form rather than a payer error.
/// </summary>
public static partial class CoverageCodes
{
    /// <summary>CPT (AMA), as FHIR names it.</summary>
    public const string Cpt = "http://www.ama-assn.org/go/cpt";

    /// <summary>HCPCS Level II (CMS), as the Da Vinci guides name it.</summary>
    public const string Hcpcs = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";

    /// <summary>ICD-10-CM.</summary>
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";

    /// <summary>SNOMED CT.</summary>
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>LOINC.</summary>
    public const string Loinc = "http://loinc.org";

    /// <summary>RxNorm.</summary>
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    private sealed record Form(string Name, string Uri, Regex Pattern, string Expected, Func<string, bool>? Check = null);

    private static readonly Form[] Forms =
    [
        new("cpt", Cpt, CptPattern(), "CPT: 5 characters, 4 digits then a digit or a letter (e.g. 72148, 0042T)"),
        new("hcpcs", Hcpcs, HcpcsPattern(), "HCPCS Level II: a letter then 4 digits (e.g. E0601)"),
        new("icd10cm", Icd10Cm, Icd10Pattern(), "ICD-10-CM: a letter, a digit, a digit or letter, then optionally a dot and 1-4 digits or letters (e.g. M54.16)"),
        new("snomed", Snomed, SnomedPattern(), "SNOMED CT: 6 to 18 digits ending in a valid Verhoeff check digit (e.g. 279039007)", Verhoeff.IsValid),
        new("loinc", Loinc, LoincPattern(), "LOINC: 1 to 7 digits, a dash and the check digit (e.g. 4548-4)"),
        new("rxnorm", RxNorm, RxNormPattern(), "RxNorm: an RXCUI of 1 to 10 digits (e.g. 197361)"),
    ];

    /// <summary>Other spellings of the systems (short names with punctuation, http/https and OID forms).</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["icd-10-cm"] = "icd10cm", ["icd10"] = "icd10cm", ["icd-10"] = "icd10cm", ["snomed-ct"] = "snomed", ["snomedct"] = "snomed", ["sct"] = "snomed",
        ["http://www.ama-assn.org/go/cpt/"] = "cpt", ["urn:oid:2.16.840.1.113883.6.12"] = "cpt",
        ["http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"] = "hcpcs", ["urn:oid:2.16.840.1.113883.6.285"] = "hcpcs",
        ["urn:oid:2.16.840.1.113883.6.90"] = "icd10cm", ["urn:oid:2.16.840.1.113883.6.96"] = "snomed",
        ["urn:oid:2.16.840.1.113883.6.1"] = "loinc", ["urn:oid:2.16.840.1.113883.6.88"] = "rxnorm",
    };

    /// <summary>The accepted system names, for messages.</summary>
    public static string Names => string.Join(", ", Forms.Select(f => f.Name));

    /// <summary>
    /// Checks <paramref name="code"/> against <paramref name="system"/> (a short name or URI).
    /// </summary>
    /// <exception cref="InvalidCoverageCodeException">Unknown system, or a code not in the system's form.</exception>
    public static CoverageCode Parse(string? system, string? code)
    {
        var form = FormOf(system);
        var value = code?.Trim() ?? "";
        if (form.Name is "cpt" or "hcpcs" or "icd10cm")
        {
            value = value.ToUpperInvariant();
        }

        if (!form.Pattern.IsMatch(value) || form.Check?.Invoke(value) == false)
        {
            throw new InvalidCoverageCodeException($"'{Shown(value)}' is not a valid {form.Expected}.");
        }

        return new CoverageCode(form.Uri, value, form.Name);
    }

    private static Form FormOf(string? system)
    {
        var key = system?.Trim() ?? "";
        if (Aliases.TryGetValue(key, out var alias))
        {
            key = alias;
        }

        return Forms.FirstOrDefault(f => string.Equals(f.Name, key, StringComparison.OrdinalIgnoreCase) || string.Equals(f.Uri, key, StringComparison.Ordinal))
            ?? throw new InvalidCoverageCodeException(
                $"Unknown code system '{Shown(key)}': use one of {Names}, or its URI ({string.Join(", ", Forms.Select(f => f.Uri))}).");
    }

    /// <summary>At most 40 characters of what the caller sent, so a message never echoes a large input.</summary>
    private static string Shown(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex("^[0-9]{4}[0-9A-Z]$")]
    private static partial Regex CptPattern();

    [GeneratedRegex("^[A-Z][0-9]{4}$")]
    private static partial Regex HcpcsPattern();

    [GeneratedRegex(@"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")]
    private static partial Regex Icd10Pattern();

    [GeneratedRegex("^[1-9][0-9]{5,17}$")]
    private static partial Regex SnomedPattern();

    [GeneratedRegex("^[1-9][0-9]{0,6}-[0-9]$|^[0-9]-[0-9]$")]
    private static partial Regex LoincPattern();

    [GeneratedRegex("^[1-9][0-9]{0,9}$")]
    private static partial Regex RxNormPattern();
}
