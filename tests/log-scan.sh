#!/usr/bin/env bash
# The whole test run's log check (issue 7): every gateway host the tests started wrote its logs to
# $FHIRGW_TEST_LOG_DIR/gateway-*.txt (at the levels it is configured with), and every sandbox auth server listed
# what it issued or received there (issued-*.txt: codes, access/refresh/id tokens, PKCE verifiers, states, the
# client secret; secrets-*.txt: the hosts' master keys). Passes when the logs exist, the secrets exist, and no
# secret and no JWT appears in any gateway log. Prints counts, never a secret.
set -uo pipefail
dir=${1:-${FHIRGW_TEST_LOG_DIR:-}}
[[ -n "$dir" && -d "$dir" ]] || { echo "log-scan: usage: tests/log-scan.sh <log folder> (FHIRGW_TEST_LOG_DIR of the test run)"; exit 2; }

shopt -s nullglob
logs=("$dir"/gateway-*.txt)
sources=("$dir"/issued-*.txt "$dir"/secrets-*.txt)
(( ${#logs[@]} > 0 )) || { echo "log-scan: FAIL: no gateway log in $dir (was FHIRGW_TEST_LOG_DIR set for the test run?)"; exit 1; }

secrets=$(mktemp)
trap 'rm -f "$secrets"' EXIT
cat "${sources[@]}" /dev/null | awk 'length($0) >= 16' | sort -u > "$secrets"
count=$(wc -l < "$secrets")
lines=$(cat "${logs[@]}" | wc -l)
# A run with real logins issues hundreds; a handful means the recording broke and the check would prove nothing.
(( count >= 50 )) || { echo "log-scan: FAIL: only $count secrets recorded in $dir"; exit 1; }
(( lines >= 1000 )) || { echo "log-scan: FAIL: only $lines gateway log lines in $dir"; exit 1; }

status=0
if leaked=$(grep -F -c -f "$secrets" "${logs[@]}" | grep -v ':0$'); then
  echo "log-scan: FAIL: a secret issued during the run is in these gateway logs (file:lines):"
  echo "$leaked"
  status=1
fi
if jwts=$(grep -E -c 'eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}' "${logs[@]}" | grep -v ':0$'); then
  echo "log-scan: FAIL: a JWT is in these gateway logs (file:lines):"
  echo "$jwts"
  status=1
fi

if (( status == 0 )); then
  echo "log-scan: OK: $lines lines in ${#logs[@]} gateway logs hold none of the $count secrets issued or received during the run, and no JWT"
fi
exit "$status"
