# shellcheck shell=bash
# Real secrets for a platform reachable beyond this machine. The repository's development signing key and
# API key are public: the processes accept them only in Development on loopback addresses (they refuse to
# start otherwise). Binding the gateway elsewhere (EMSACHSE_BIND) needs a public HTTPS URL and a certificate;
# run.sh then generates a signing key and an integrator API key under <data>/secrets/ once and uses them
# from then on (also on loopback); delete that folder to go back to the development secrets.

SECRETS_DIR="$DATA_DIR/secrets"
# The integrator key of a loopback-only platform (the gateway's Development settings know its hash).
DEV_API_KEY=emsachse-dev-integrator-key

is_loopback() { case "$1" in 127.*|localhost|::1|'[::1]') return 0 ;; *) return 1 ;; esac; }

real_secrets() { [ -s "$SECRETS_DIR/signing-key" ] && [ -s "$SECRETS_DIR/api-key" ]; }

gateway_tls() { [ -n "${EMSACHSE_TLS_CERT:-}" ]; }

# Refuses a bind beyond loopback without HTTPS; generates the secrets for it (once, readable by the owner only).
prepare_secrets() {
  local bind
  bind=$(app_bind gateway)
  if ! is_loopback "$bind"; then
    case "${EMSACHSE_PUBLIC_URL:-}" in
      https://*) ;;
      *) die "EMSACHSE_BIND=$bind reaches beyond this machine: set EMSACHSE_PUBLIC_URL=https://<public name> and EMSACHSE_TLS_CERT / EMSACHSE_TLS_KEY (PEM files) as well (README: Running with real secrets)" ;;
    esac
    [ -r "${EMSACHSE_TLS_CERT:-}" ] && [ -r "${EMSACHSE_TLS_KEY:-}" ] \
      || die "EMSACHSE_TLS_CERT and EMSACHSE_TLS_KEY must name readable PEM files (certificate and private key for ${EMSACHSE_PUBLIC_URL})"
    if ! real_secrets; then
      command -v openssl >/dev/null 2>&1 || die "openssl is needed to generate the secrets (apt-get install openssl)"
      ( umask 077; mkdir -p "$SECRETS_DIR"
        openssl rand -base64 48 | tr -d '\n' >"$SECRETS_DIR/signing-key"
        openssl rand -hex 32 | tr -d '\n' >"$SECRETS_DIR/api-key" )
      log "generated a signing key and an integrator API key in $SECRETS_DIR (kept for later starts)"
    fi
  fi
}

# Environment lines that replace the development secrets with the generated ones.
secrets_env() {
  local name=$1
  real_secrets || return 0
  echo "Jwt__SigningKey=$(cat "$SECRETS_DIR/signing-key")"
  if [ "$name" = gateway ]; then
    echo "ApiKeys__Keys__dev-integrator__Revoked=true"
    echo "ApiKeys__Keys__integrator__Sha256=$(printf %s "$(cat "$SECRETS_DIR/api-key")" | sha256sum | cut -d' ' -f1)"
    echo "ApiKeys__Keys__integrator__Roles__0=integrator"
  fi
}

# The key integrators use against this installation.
current_api_key() { if real_secrets; then cat "$SECRETS_DIR/api-key"; else echo "$DEV_API_KEY"; fi; }

# The key `token` signs with.
current_signing_key() { if real_secrets; then cat "$SECRETS_DIR/signing-key"; else echo "$DEV_SIGNING_KEY"; fi; }
