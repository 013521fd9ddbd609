using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// Reads a PAS response Bundle: the ClaimResponse, its outcome, disposition, preAuthRef and period, and per item the
/// review action (PAS extension-reviewAction / extension-reviewActionCode, X12 306 codes) with its reasons.
/// </summary>
internal static class PasResponse
{
    public static PriorAuthDecision Read(string platformId, string identifier, JsonObject bundle)
    {
        var response = (Json.Text(bundle, "resourceType") == "ClaimResponse" ? bundle : null)
            ?? Json.Resources(bundle).FirstOrDefault(r => Json.Text(r, "resourceType") == "ClaimResponse")
            ?? throw new PayerException(HttpStatusCode.BadGateway, $"Platform '{platformId}' answered the prior authorization request without a ClaimResponse.");
        var items = Json.Objects(response, "item").Select(Item).ToList();
        var errors = Json.Objects(response, "error").Select(e => Json.ConceptText(Json.Object(e, "code"))).OfType<string>().ToList();
        var outcome = Json.Text(response, "outcome");
        var status = Status(outcome, items);
        var period = Json.Object(response, "preAuthPeriod");
        var decision = new PriorAuthDecision
        {
            PlatformId = platformId,
            ClaimIdentifier = identifier,
            Status = status,
            Summary = "",
            Outcome = outcome,
            Disposition = Json.Text(response, "disposition"),
            PreAuthRef = Json.Text(response, "preAuthRef"),
            PreAuthPeriod = period is null ? null : new PreAuthPeriod(Json.Text(period, "start"), Json.Text(period, "end")),
            Items = items,
            Notes = [.. Json.Objects(response, "processNote").Select(n => Json.Text(n, "text")).OfType<string>()],
            Errors = errors,
            ClaimResponseId = Json.Text(response, "id"),
            ClaimResponse = Json.Element(response),
        };
        return decision with { Summary = Summary(decision) };
    }

    private static PriorAuthItem Item(JsonObject item)
    {
        // PAS 2.x puts the review action on item.adjudication; PAS 1.x on the item itself.
        var holders = Json.Objects(item, "adjudication").Prepend(item).ToList();
        var action = holders.SelectMany(h => Json.Objects(h, "extension")).FirstOrDefault(e => Json.Text(e, "url")?.EndsWith("extension-reviewAction", StringComparison.Ordinal) == true);
        var parts = Json.Objects(action, "extension").ToList();
        var code = parts.FirstOrDefault(p => Json.Text(p, "url")?.EndsWith("reviewActionCode", StringComparison.Ordinal) == true);
        var concept = Json.Object(code, "valueCodeableConcept");
        var coding = Json.Objects(concept, "coding").FirstOrDefault();
        var number = parts.Where(p => Json.Text(p, "url") == "number").Select(p => Json.Text(p, "valueString")).FirstOrDefault();
        var reasons = Json.Objects(item, "adjudication").Select(a => Json.ConceptText(Json.Object(a, "reason"))).OfType<string>().ToList();
        var sequence = Json.Scalar(item["itemSequence"]) is { } s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        return new PriorAuthItem(sequence, Json.Text(coding, "code"), Json.Text(coding, "display") ?? Json.Text(concept, "text"), reasons, number);
    }

    private static string Status(string? outcome, IReadOnlyList<PriorAuthItem> items)
    {
        var codes = items.Select(i => i.ReviewActionCode).ToList();
        if (outcome == "error")
        {
            return "error";
        }

        if (codes.Contains("A4"))
        {
            return "pended";
        }

        if (codes.Count == 0 || codes.Any(c => c is null))
        {
            return outcome == "queued" ? "pended" : "unknown";
        }

        if (codes.All(c => c is "A1" or "A2" or "A6"))
        {
            return "approved";
        }

        return codes.All(c => c == "A3") ? "denied" : "partial";
    }

    private static string Summary(PriorAuthDecision d)
    {
        var head = d.Status switch
        {
            "approved" => $"Prior authorization approved{(d.PreAuthRef is null ? "" : $": preAuthRef {d.PreAuthRef}")}" +
                (d.PreAuthPeriod is { } p ? $", valid {p.Start} to {p.End}" : ""),
            "pended" => "Prior authorization pended: the payer is reviewing it; ask for the status later with the claim identifier",
            "denied" => "Prior authorization not certified (denied)",
            "partial" => "Prior authorization partly decided",
            "error" => "The payer could not process the prior authorization request",
            _ => "The payer's answer has no decision the gateway can read",
        };
        var text = $"{head} (outcome: {d.Outcome ?? "not given"}; review actions: {string.Join(", ", d.Items.Select(i => i.ReviewActionCode ?? "none"))}).";
        if (d.Disposition is { Length: > 0 } disposition)
        {
            text += $" Disposition: {disposition}";
        }

        return d.Errors.Count > 0 ? $"{text} Errors: {string.Join("; ", d.Errors)}" : text;
    }
}
