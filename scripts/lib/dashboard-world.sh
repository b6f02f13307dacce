# Shell helpers (sourced) shared by bench/dashboard/run.sh and the end-to-end checks: sign a curl
# cookie jar in as Alice through an app's in-process sandbox, and seed a connected team.

# sandbox_sign_in APP_URL JAR: signs the jar in as Alice (login page → POST /login/sandbox → the
# sandbox's picker → callback) and prints the session cookie's value.
sandbox_sign_in() {
  local app=$1 jar=$2 csrf picker request callback
  csrf=$(curl -s -c "$jar" -b "$jar" "$app/login" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' | head -1)
  picker=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" --data-urlencode "next=/" "$app/login/sandbox")
  request=$(curl -s "$picker" | sed -n 's/.*name="request" value="\([^"]*\)".*/\1/p' | head -1)
  callback=$(curl -s -o /dev/null -w '%{redirect_url}' --data-urlencode "request=$request" -d user=alice -d action=continue "$picker")
  curl -s -o /dev/null -c "$jar" -b "$jar" "$callback"
  awk '$6 == "adboard_session" { print $7 }' "$jar"
}

# app_sandbox_url LOG: the in-process sandbox's base URL, read from the app's log.
app_sandbox_url() {
  sed -n 's/.*sandbox[=:"]* *\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$1" | head -1
}

# seed_dashboard STORE_URL TOKEN_KEY SANDBOX_URL [ACCOUNT]: a connected team for alice; prints its id.
seed_dashboard() {
  STORE_URL=$1 TOKEN_ENCRYPTION_KEY=$2 "${TARGET:-target}/${SEED_PROFILE:-debug}/examples/seed_dashboard" \
    alice@sandbox.adboard.test "$3" "${4:-1234567890}"
}
