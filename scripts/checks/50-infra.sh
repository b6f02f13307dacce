#!/usr/bin/env bash
# The SAM template lints clean with cfn-lint (pinned 1.53.3: later versions skip the SAM
# transform and pass broken templates) and `sam validate --lint`; both work offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
export SAM_CLI_TELEMETRY=0
.venv-sam/bin/cfn-lint infra/template.yaml
.venv-sam/bin/sam validate --lint -t infra/template.yaml
# The check must be able to fail: a template with a wrong AuthType is rejected.
broken=$(mktemp --suffix=.yaml)
trap 'rm -f "$broken"' EXIT
sed 's/AuthType: AWS_IAM/AuthType: WRONG/' infra/template.yaml >"$broken"
if .venv-sam/bin/cfn-lint "$broken" >/dev/null; then
  echo "cfn-lint accepted a broken template: the infra check is not checking anything" >&2
  exit 1
fi
echo "infra: template valid"
