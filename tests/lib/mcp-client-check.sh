# Shared by the third-party MCP client checks (tests/mcp-*-check.sh): source it after `cd` to the repository root.
# Sets: work (a temp folder, removed on exit), port, server_pid; gives npm_tool (install a CLI into a temp
# folder, never into the repository) and start_built_mcp (start the Debug-built MCP server and wait for /health).

check_name="${check_name:?set check_name before sourcing}"
mcp_dll="FhirGateway.Mcp/bin/Debug/net10.0/FhirGateway.Mcp.dll"
[[ -f "$mcp_dll" ]] || { echo "$check_name: $mcp_dll not found; run 'dotnet build FhirGateway.sln' first"; exit 1; }

work="$(mktemp -d)"
server_pid=""
extra_cleanup() { :; }
cleanup() {
  extra_cleanup
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# npm_tool DIR PACKAGE@VERSION BIN: installs PACKAGE into DIR unless BIN is already there; prints the BIN path.
npm_tool() {
  local dir="$1" package="$2" bin="$3"
  if [[ ! -x "$dir/node_modules/.bin/$bin" ]]; then
    mkdir -p "$dir"
    (cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "$package" >/dev/null)
  fi
  echo "$dir/node_modules/.bin/$bin"
}

# start_built_mcp: starts the MCP server on a free loopback port and waits until it is healthy.
start_built_mcp() {
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet "$mcp_dll" >"$work/mcp.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "$check_name: the MCP server exited"; cat "$work/mcp.log"; exit 1; }
    sleep 0.5
  done
  echo "$check_name: the MCP server did not become healthy"; cat "$work/mcp.log"; exit 1
}
