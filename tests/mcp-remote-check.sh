#!/usr/bin/env bash
# The stdio bridge that Claude Desktop, Cursor, Windsurf and Cline use for remote MCP servers (npm mcp-remote)
# against FhirGateway.Mcp: initialize and tools/list as JSON-RPC lines on its stdin, answers read from its stdout,
# with a gateway key in X-FHIR-Gateway-Key as the README's client configurations send it.
# Usage: tests/mcp-remote-check.sh   (after `dotnet build FhirGateway.sln`; needs node/npm and curl)
# MCP_REMOTE_VERSION pins the bridge (default below); MCP_REMOTE_DIR reuses an existing install.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${MCP_REMOTE_VERSION:-0.15.1}"
check_name="mcp-remote-check"
source tests/lib/mcp-client-check.sh
extra_cleanup() {
  if [[ -n "${BRIDGE_PID:-}" ]]; then kill "$BRIDGE_PID" 2>/dev/null || true; wait "$BRIDGE_PID" 2>/dev/null || true; fi
}
fail() { echo "mcp-remote-check: FAIL: $*"; [[ -f "$work/bridge.err" ]] && tail -n 20 "$work/bridge.err"; exit 1; }

# The bridge goes into a temporary folder, never into the repository; its OAuth state folder too.
bridge="$(npm_tool "${MCP_REMOTE_DIR:-$work/bridge}" "mcp-remote@$version" mcp-remote)"
export MCP_REMOTE_CONFIG_DIR="$work/mcp-auth"

start_built_mcp
url="http://localhost:$port/mcp"

# A well-formed gateway key: fgk_ and 43 base64url characters from 32 random bytes.
key="fgk_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"

coproc BRIDGE { exec "$bridge" "$url" --transport http-only --header "X-FHIR-Gateway-Key:${key}" 2>"$work/bridge.err"; }

# Sends one JSON-RPC line; for a request, reads lines until the answer with that id (60 s at most).
ask() {
  local id="$1" line="$2" answer=""
  printf '%s\n' "$line" >&"${BRIDGE[1]}"
  [[ "$id" == "-" ]] && return 0
  while IFS= read -r -t 60 answer <&"${BRIDGE[0]}"; do
    if [[ "$answer" == *"\"id\":$id"* ]]; then printf '%s' "$answer"; return 0; fi
  done
  return 1
}

init="$(ask 1 '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"mcp-remote-check","version":"1.0"}}}')" \
  || fail "no answer to initialize"
[[ "$init" == *'"serverInfo"'* ]] || fail "initialize answered: $init"
ask - '{"jsonrpc":"2.0","method":"notifications/initialized"}'

tools="$(ask 2 '{"jsonrpc":"2.0","id":2,"method":"tools/list"}')" || fail "no answer to tools/list"
for tool in list_platforms start_auth wait_for_auth get_auth_status revoke_auth search read; do
  [[ "$tools" == *"\"name\":\"$tool\""* ]] || fail "tools/list through mcp-remote lacks $tool"
done

call="$(ask 3 '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_auth_status","arguments":{}}}')" || fail "no answer to tools/call get_auth_status"
[[ "$call" == *'"content"'* && "$call" != *'"isError":true'* ]] || fail "get_auth_status with the key answered: $call"

count="$(grep -o '"name":"[a-z_]*"' <<<"$tools" | sort -u | wc -l)"
echo "mcp-remote-check: OK (mcp-remote $version over stdio: initialize, tools/list with $count tools, tools/call get_auth_status with X-FHIR-Gateway-Key)"
