#!/usr/bin/env bash
# A third-party MCP client against FhirGateway.Mcp: the npm MCP Inspector CLI lists the tools and calls
# list_platforms over streamable HTTP; a malformed gateway key and a foreign Host are refused.
# Usage: tests/mcp-inspector-check.sh   (after `dotnet build FhirGateway.sln`; needs node/npm and curl)
# INSPECTOR_VERSION pins the inspector (default below); INSPECTOR_DIR reuses an existing install.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${INSPECTOR_VERSION:-2.12.0}"
check_name="mcp-inspector-check"
source tests/lib/mcp-client-check.sh

inspector="$(npm_tool "${INSPECTOR_DIR:-$work/inspector}" "@modelcontextprotocol/inspector@$version" mcp-inspector)"
start_built_mcp
url="http://127.0.0.1:$port/mcp"

fail() { echo "mcp-inspector-check: FAIL: $*"; exit 1; }

"$inspector" --cli "$url" --transport http --method tools/list >"$work/tools.json" 2>"$work/tools.err" \
  || { cat "$work/tools.err"; fail "tools/list"; }
for tool in list_platforms start_auth wait_for_auth get_auth_status revoke_auth search read check_prior_auth; do
  grep -q "\"name\": \"$tool\"" "$work/tools.json" || fail "tools/list lacks $tool"
done

"$inspector" --cli "$url" --transport http --method tools/call --tool-name list_platforms --tool-arg query=sandbox >"$work/call.json" 2>"$work/call.err" \
  || { cat "$work/call.err"; fail "tools/call list_platforms"; }
grep -q "local-sandbox | Local SMART Sandbox" "$work/call.json" || { cat "$work/call.json"; fail "list_platforms did not list local-sandbox"; }

if "$inspector" --cli "$url" --transport http --header "X-FHIR-Gateway-Key: fgk_not-a-key" --method tools/list >/dev/null 2>&1; then
  fail "a malformed X-FHIR-Gateway-Key was accepted"
fi

status="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Host: evil.example' -H 'Content-Type: application/json' --data '{}' "$url")"
[[ "$status" == "403" ]] || fail "a foreign Host got $status, not 403"

echo "mcp-inspector-check: OK (inspector $version: tools/list, tools/call list_platforms; malformed key and foreign Host refused)"
