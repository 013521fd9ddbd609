using System.Text.RegularExpressions;

namespace FhirGateway.Testing;

/// <summary>
/// Finds JSON Web Tokens in text: a base64url header starting <c>eyJ</c> (<c>{"</c>) followed by two more
/// dot-separated segments. Looking for the bare <c>eyJ</c> prefix also matches random base64url (a state, a session
/// id, ciphertext) about once in 260,000 positions, which makes "no token here" checks flaky.
/// </summary>
public static partial class Jwt
{
    /// <summary>Whether <paramref name="text"/> holds something shaped like a JWT (JWS compact serialization).</summary>
    public static bool IsIn(string text) => Pattern().IsMatch(text);

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")]
    private static partial Regex Pattern();
}
