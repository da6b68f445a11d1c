#!/usr/bin/env bash
# Publishes one deployment package (a zip of the built function app) to both function apps of
# a stamp. Flex Consumption apps take it through `az functionapp deployment source config-zip`;
# Elastic Premium apps run straight from the package blob (WEBSITE_RUN_FROM_PACKAGE), so the
# zip is uploaded there with Entra ID and the app restarted.
#
# Usage: infra/scripts/publish-package.sh <package.zip>
# Reads the deployment outputs from the environment (azd exports them; after a plain
# `az deployment sub create`, export them from `az deployment sub show`):
#   AZURE_RESOURCE_GROUP, STANDBY_RESOURCE_GROUP, STORAGE_ACCOUNT_NAME,
#   PRIMARY_FUNCTION_APP_NAME, STANDBY_FUNCTION_APP_NAME, PRIMARY_HOSTING_PLAN, STANDBY_HOSTING_PLAN
set -euo pipefail

package="${1:-}"
if [[ -z "$package" || ! -f "$package" ]]; then
  echo "publish-package: pass the path of the package zip." >&2
  exit 2
fi

for variable in AZURE_RESOURCE_GROUP STANDBY_RESOURCE_GROUP STORAGE_ACCOUNT_NAME \
  PRIMARY_FUNCTION_APP_NAME STANDBY_FUNCTION_APP_NAME PRIMARY_HOSTING_PLAN STANDBY_HOSTING_PLAN; do
  if [[ -z "${!variable:-}" ]]; then
    echo "publish-package: $variable is not set; export the deployment outputs first." >&2
    exit 2
  fi
done

publish() {
  local role="$1" group="$2" app="$3" plan="$4"
  if [[ "$plan" == "FlexConsumption" ]]; then
    az functionapp deployment source config-zip --resource-group "$group" --name "$app" \
      --src "$package" --output none
  else
    az storage blob upload --auth-mode login --account-name "$STORAGE_ACCOUNT_NAME" \
      --container-name "app-package-$role" --name slotwise.zip --file "$package" --overwrite \
      --output none
    az functionapp restart --resource-group "$group" --name "$app" --output none
  fi
  echo "publish-package: $role app $app updated ($plan)."
}

publish primary "$AZURE_RESOURCE_GROUP" "$PRIMARY_FUNCTION_APP_NAME" "$PRIMARY_HOSTING_PLAN"
publish standby "$STANDBY_RESOURCE_GROUP" "$STANDBY_FUNCTION_APP_NAME" "$STANDBY_HOSTING_PLAN"
