#!/usr/bin/env bash
# Creates the stamp's two Key Vault secrets when they do not exist yet, and never touches them
# when they do: a new password pepper would invalidate every stored password hash, and a new
# signing key would sign out every user. Values are generated here, written to a private
# temporary file, sent to Key Vault and deleted; they are never printed, logged or stored in a
# file of the repository or in deployment history.
#
#   password-pepper    48 random bytes, base64 (PASSWORD_PEPPER, at least 16 characters)
#   token-signing-key  P-256 private key, PKCS#8 PEM (TOKEN_SIGNING_KEY, ES256)
#
# Usage: infra/scripts/seed-secrets.sh [key-vault-name]
# Without an argument it uses KEY_VAULT_NAME (azd exports the deployment outputs).
# Needs: az (signed in, with Key Vault Secrets Officer on the vault) and openssl.
set -euo pipefail

vault="${1:-${KEY_VAULT_NAME:-}}"
if [[ -z "$vault" ]]; then
  echo "seed-secrets: pass the Key Vault name, or set KEY_VAULT_NAME (an output of infra/main.bicep)." >&2
  exit 2
fi

workdir="$(mktemp -d)"
chmod 700 "$workdir"
trap 'rm -rf "$workdir"' EXIT
umask 077

# Role assignments take a few minutes to reach Key Vault after a first deployment.
with_retry() {
  local attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if "$@"; then
      return 0
    fi
    echo "seed-secrets: attempt $attempt failed; retrying in 30 s (role assignments may still be propagating)." >&2
    sleep "${SEED_SECRETS_RETRY_SECONDS:-30}"
  done
  return 1
}

list_names() {
  az keyvault secret list --vault-name "$vault" --query '[].name' --output tsv > "$workdir/names"
}

list_deleted_names() {
  az keyvault secret list-deleted --vault-name "$vault" --query '[].name' --output tsv > "$workdir/deleted"
}

generate() {
  local name="$1" file="$2"
  case "$name" in
    password-pepper)
      openssl rand -base64 48 | tr -d '\n' > "$file"
      ;;
    token-signing-key)
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$file" 2> /dev/null
      ;;
    *)
      echo "seed-secrets: no generator for $name." >&2
      return 1
      ;;
  esac
}

with_retry list_names
with_retry list_deleted_names

for name in password-pepper token-signing-key; do
  if grep -qx "$name" "$workdir/names"; then
    echo "seed-secrets: $name exists in $vault; left unchanged."
    continue
  fi

  # A soft-deleted secret is recovered, not replaced: its value protects existing data.
  if grep -qx "$name" "$workdir/deleted"; then
    echo "seed-secrets: $name is soft-deleted in $vault; recovering it instead of creating a new value."
    az keyvault secret recover --vault-name "$vault" --name "$name" --output none
    continue
  fi

  file="$workdir/$name"
  generate "$name" "$file"
  content_type="text/plain"
  [[ "$name" == "token-signing-key" ]] && content_type="application/x-pem-file"
  with_retry az keyvault secret set --vault-name "$vault" --name "$name" --file "$file" \
    --encoding utf-8 --content-type "$content_type" --output none
  rm -f "$file"
  echo "seed-secrets: created $name in $vault."
done
