using System.Text.Json.Nodes;
using FhirGateway.Core.Auth;
using FhirGateway.Core.Platforms;
using FhirGateway.Core.Tokens;

namespace FhirGateway.Core.Coverage;

/// <summary>
/// CRD: asks the payer's CDS Hooks service about one draft order, with Patient and Coverage in prefetch (read
/// through the user's connection) or fetched by the service itself with the user's token (<c>fhirAuthorization</c>).
/// </summary>
internal sealed class CoverageRequirements(IPlatformRegistry platforms, CdsHooksClient cds, PatientContext patients, ISmartAuthorization authorization)
{
    private static readonly string[] Hooks = ["order-sign", "order-select"];

    public async Task<PriorAuthCheck> CheckAsync(OwnerKey? owner, PriorAuthCheckRequest request, CancellationToken cancellationToken)
    {
        var code = CoverageCodes.Parse(request.System, request.Code);
        var orderType = DraftOrder.TypeFor(code, request.OrderType);
        var diagnoses = DraftOrder.Diagnoses(request.DiagnosisCodes);
        var hook = string.IsNullOrWhiteSpace(request.Hook) ? "order-sign" : request.Hook.Trim().ToLowerInvariant();
        if (!Hooks.Contains(hook))
        {
            throw new CoverageRequestException($"hook must be one of {string.Join(", ", Hooks)}.");
        }

        var (platform, discovery) = PayerEndpoints.Crd(platforms, request.PlatformId);
        var patientId = await patients.PatientIdAsync(owner, platform.Id, request.PatientId, cancellationToken);
        var service = await cds.ServiceAsync(platform.Id, discovery, hook, cancellationToken);

        JsonObject? prefetch = null;
        PlatformConnection? connection = null;
        bool? coverageFound = null;
        var coverageId = request.CoverageId?.Trim();
        string userId;
        if (request.Mode == PrefetchMode.Prefetch)
        {
            var patient = await patients.PatientAsync(owner, platform.Id, patientId, cancellationToken);
            var (bundle, coverages) = await patients.CoveragesAsync(owner, platform.Id, patientId, request.CoverageId, cancellationToken);
            coverageFound = coverages.Any(c => Json.Text(c, "status") == "active");
            coverageId ??= coverages.Select(c => Json.Text(c, "id")).FirstOrDefault(id => id is not null);
            prefetch = HookRequest.Prefetch(service, patient, bundle);
            userId = await UserIdAsync(owner, platform.Id, patientId, cancellationToken);
        }
        else
        {
            if (owner is not { } key)
            {
                throw new CoverageRequestException("mode fhir_authorization sends the user's access token to the payer: it needs a connected user.");
            }

            connection = await authorization.GetConnectionAsync(key, platform.Id, cancellationToken: cancellationToken);
            userId = UserIdOf(connection, patientId);
        }

        var order = DraftOrder.Build(orderType, $"gw-{Guid.NewGuid():N}", code, patientId, string.IsNullOrEmpty(coverageId) ? null : coverageId, diagnoses);
        var hookRequest = HookRequest.Build(service, userId, patientId, order, prefetch, platform.Definition.FhirBaseUrl, connection);
        var answer = await cds.CallAsync(platform.Id, service, hookRequest, cancellationToken);

        var cards = CrdAnswer.Cards(answer);
        var infos = CrdAnswer.CoverageInformation(answer);
        var payer = cards.Select(c => c.Source).FirstOrDefault(s => !string.IsNullOrEmpty(s)) ?? platform.Definition.DisplayName;
        var decision = infos.Count == 0 ? "unknown" : CrdAnswer.Decision(infos[0]);
        return new PriorAuthCheck
        {
            PlatformId = platform.Id,
            Payer = payer,
            Code = code,
            Decision = decision,
            Summary = CrdAnswer.Summary(payer, code, decision, infos, cards, coverageFound),
            CoverageFound = coverageFound,
            PatientId = patientId,
            OrderType = orderType,
            Service = service.Id,
            Hook = service.Hook,
            CoverageInformation = infos,
            Cards = cards,
            Questionnaires = [.. infos.SelectMany(i => i.Questionnaires).Distinct(StringComparer.Ordinal)],
            Links = [.. cards.SelectMany(c => c.Links)],
        };
    }

    /// <summary>CDS Hooks <c>context.userId</c>: the user's FHIR resource (fhirUser), else the patient acting for themselves.</summary>
    private async Task<string> UserIdAsync(OwnerKey? owner, string platformId, string patientId, CancellationToken cancellationToken)
    {
        if (owner is not { } key)
        {
            return $"Patient/{patientId}";
        }

        return UserIdOf(await authorization.GetConnectionAsync(key, platformId, cancellationToken: cancellationToken), patientId);
    }

    private static string UserIdOf(PlatformConnection connection, string patientId) =>
        connection.FhirUser?.Split('/') is [.., var type, var id] && type.Length > 0 && id.Length > 0 ? $"{type}/{id}" : $"Patient/{patientId}";
}
