namespace FhirGateway.Core.Tokens.Protection;

/// <summary>Why a stored value could or could not be read.</summary>
internal enum OpenResult
{
    Opened,

    /// <summary>Too short, or a format version this code does not write.</summary>
    Malformed,

    /// <summary>Written under a master key that is neither current nor in FHIR_GATEWAY_MASTER_KEYS.</summary>
    UnknownKey,

    /// <summary>The tag did not verify: altered, or moved to another owner's or state's slot.</summary>
    Tampered,
}
