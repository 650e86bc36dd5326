# shellcheck shell=bash
# Development JWTs (HS256) with bash + openssl only, signed with the development key (valid only in the
# Development environment on loopback) or, once run.sh generated real secrets, with the generated key.

DEV_SIGNING_KEY=emsachse-development-signing-key-not-for-production-use-0123456789
DEV_ISSUER=emsachse-dev
DEV_AUDIENCE=emsachse
DEV_TOKEN_LIFETIME=$((8 * 3600))

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '=\n'; }

cmd_token() {
  local role=${1:-} network=${2:-}
  if [ $# -gt 2 ]; then usage_error "token takes ROLE and at most one NETWORK"; fi
  case "$role" in
    admin|integrator) ;;
    network-manager) [ -n "$network" ] || usage_error "token network-manager needs the network's slug, e.g. token network-manager it-achse" ;;
    '') usage_error "token needs a ROLE: admin, network-manager NETWORK or integrator" ;;
    *) usage_error "unknown role '$role' (admin, network-manager, integrator)" ;;
  esac
  if [ -n "$network" ] && ! [[ "$network" =~ ^[a-z0-9]+(-[a-z0-9]+)*$ ]]; then
    usage_error "'$network' is not a network slug (lower-case letters, digits and single hyphens, e.g. it-achse)"
  fi
  command -v openssl >/dev/null 2>&1 || die "openssl is needed for tokens (apt-get install openssl)"
  make_token "$(current_signing_key)" "$role" "$network"
}

# make_token KEY ROLE [NETWORK]: an HS256 JWT signed with KEY (the gateway benchmark signs with its own key).
make_token() {
  local key=$1 role=$2 network=${3:-} now header payload signing_input signature
  now=$(date +%s)
  header='{"alg":"HS256","typ":"JWT"}'
  payload="{\"sub\":\"dev-$role\",\"name\":\"Dev $role\",\"role\":\"$role\""
  [ -n "$network" ] && payload+=",\"network\":\"$network\""
  payload+=",\"iss\":\"$DEV_ISSUER\",\"aud\":\"$DEV_AUDIENCE\",\"iat\":$now,\"nbf\":$now,\"exp\":$((now + DEV_TOKEN_LIFETIME))}"
  signing_input="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
  signature=$(printf '%s' "$signing_input" | openssl dgst -sha256 -mac HMAC -macopt "key:$key" -binary | b64url)
  printf '%s.%s\n' "$signing_input" "$signature"
}
