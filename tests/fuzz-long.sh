#!/usr/bin/env bash
# A longer fuzz run of the Api and the MCP server: tests/fuzz-long.sh [requests] [seed]
# Same checks as the CI run (zero 5xx, readable refusals, managed heap back within its bound), more requests.
# Without a seed it picks one and prints it: rerun with that seed to replay a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_REQUESTS="${1:-100000}"
export FUZZ_SEED="${2:-$RANDOM$RANDOM}"
echo "fuzz: $FUZZ_REQUESTS requests per suite, seed $FUZZ_SEED"
status=0
for project in tests/FhirGateway.Api.Tests tests/FhirGateway.Mcp.Tests; do
  dotnet test "$project" --filter "FullyQualifiedName~.Fuzz." --logger "console;verbosity=detailed" || status=1
done
echo "fuzz: seed $FUZZ_SEED, $( ((status)) && echo FAILED || echo passed)"
exit "$status"
