#!/usr/bin/env bash
# validate.sh checks the Helm chart charts/hirfa against every values file in
# deploy/values, the way a cluster would take it:
#
#   1. helm lint --strict and helm template (values.schema.json included);
#   2. the invalid values in tools/kube/testdata/invalid must be REFUSED, each
#      with the error its first line names (`# expect: …`);
#   3. kube-score on every rendered object: no CRITICAL, no WARNING, except
#      the checks listed with their reason in tools/kube/kube-score-ignores.txt;
#   4. a real etcd + kube-apiserver on loopback: each rendering is applied
#      (server-side, strict field validation) into its own namespace, every
#      object must be accepted, and the objects as stored must honour the
#      configuration contract (exactly the HIRFA_* variables of each role,
#      grace period longer than preStop + drain).
#
# A rendering of prod.yaml with tools/kube/testdata/five-services.yaml on top
# is checked the same way: all five deployables switched on by their blocks.
#
# Tools are built once into ${HIRFA_CACHE_DIR:-$HOME/.cache/hirfa}/kube by
# tools/kube/toolchain.sh (kube-apiserver first, in the background, since
# it takes minutes on a cold cache). Idempotent: every run starts its own
# etcd and API server in a temporary directory and removes them on exit.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
chart=$repo/charts/hirfa
values_dir=$repo/deploy/values
ignores_file=$here/kube-score-ignores.txt
kube_version=v1.32.13
kubectl=${KUBECTL:-kubectl}
start=$SECONDS

work=$(mktemp -d "${TMPDIR:-/tmp}/hirfa-kube.XXXXXX")
pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
summary=()
pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$*" >&2
}
note() { printf '==> %s\n' "$*"; }
elapsed() { printf '%ds' $((SECONDS - start)); }

command -v "$kubectl" >/dev/null || { echo "validate: kubectl not found (needs a 1.32 client)" >&2; exit 1; }

# --- Tools ----------------------------------------------------------------
# The API server and etcd build in the background while the chart is linted
# and scored; only step 4 waits for them.
"$here/toolchain.sh" kube-apiserver >"$work/kube-apiserver.path" 2>"$work/kube-apiserver.err" &
apiserver_build=$!
"$here/toolchain.sh" etcd >"$work/etcd.path" 2>"$work/etcd.err" &
etcd_build=$!
helm=$("$here/toolchain.sh" helm)
kube_score=$("$here/toolchain.sh" kube-score)
note "tools: $("$helm" version --short), kube-score $("$kube_score" version | sed -n 's/.*version: \([^,]*\),.*/\1/p') ($(elapsed))"

# --- 1. lint and render ---------------------------------------------------
# profiles: name -> values files (the five-services overlay rides on prod).
declare -A profile_files=()
profiles=()
for f in "$values_dir"/*.yaml; do
	name=$(basename "$f" .yaml)
	profiles+=("$name")
	profile_files[$name]="-f $f"
done
[[ ${#profiles[@]} -gt 0 ]] || { echo "validate: no values files in $values_dir" >&2; exit 1; }
if [[ -n ${profile_files[prod]:-} ]]; then
	profiles+=("prod+five-services")
	profile_files[prod+five-services]="-f $values_dir/prod.yaml -f $here/testdata/five-services.yaml"
fi

helm_common=(--kube-version "$kube_version")
for p in "${profiles[@]}"; do
	# shellcheck disable=SC2086 # profile_files holds flag words on purpose
	if "$helm" lint --strict "$chart" ${profile_files[$p]} "${helm_common[@]}" --namespace "hirfa-$p" >"$work/lint-$p.log" 2>&1; then
		pass
	else
		fail "helm lint --strict ($p)"
		cat "$work/lint-$p.log" >&2
	fi
	# shellcheck disable=SC2086
	if "$helm" template hirfa "$chart" ${profile_files[$p]} "${helm_common[@]}" --namespace "hirfa-${p//+/-}" \
		>"$work/$p.yaml" 2>"$work/template-$p.log"; then
		pass
	else
		fail "helm template ($p)"
		cat "$work/template-$p.log" >&2
		rm -f "$work/$p.yaml"
	fi
done
note "helm lint --strict + helm template: ${#profiles[@]} values sets ($(elapsed))"

# --- 2. invalid values are refused ----------------------------------------
invalid=0
for f in "$here"/testdata/invalid/*.yaml; do
	expect=$(sed -n '1s/^# expect: //p' "$f")
	[[ -n $expect ]] || { fail "$f: first line must be '# expect: <error text>'"; continue; }
	if out=$("$helm" template hirfa "$chart" "${helm_common[@]}" -n invalid -f "$f" 2>&1 >/dev/null); then
		fail "$(basename "$f"): accepted, but must be refused with: $expect"
	elif grep -qF -- "$expect" <<<"$out"; then
		pass
		invalid=$((invalid + 1))
	else
		fail "$(basename "$f"): refused with another error than '$expect':"
		tail -n 5 <<<"$out" >&2
	fi
done
note "schema and template rules refuse $invalid invalid values files ($(elapsed))"

# --- 3. kube-score --------------------------------------------------------
# ignored_checks PROFILE: the --ignore-test flags for that profile.
ignored_checks() {
	local profile=${1%%+*} id files why
	while read -r id files why; do
		[[ -z $id || $id == \#* ]] && continue
		[[ -n $why ]] || { echo "validate: $ignores_file: '$id' has no justification" >&2; return 1; }
		if [[ $files == "*" || ",$files," == *",$profile,"* ]]; then
			printf -- '--ignore-test\n%s\n' "$id"
		fi
	done <"$ignores_file"
}
for p in "${profiles[@]}"; do
	[[ -f $work/$p.yaml ]] || continue
	mapfile -t ignore < <(ignored_checks "$p")
	# ci output: one line per check and object, graded [OK], [SKIPPED],
	# [WARNING] or [CRITICAL]. Optional checks the chart meets are enabled.
	"$kube_score" score --output-format ci --kubernetes-version "${kube_version%.*}" \
		--enable-optional-test container-seccomp-profile \
		--enable-optional-test container-ports-check \
		"${ignore[@]}" "$work/$p.yaml" >"$work/score-$p.log" 2>&1 || true
	bad=$(grep -E '^\[(WARNING|CRITICAL)\]' "$work/score-$p.log" || true)
	ok=$(grep -c '^\[OK\]' "$work/score-$p.log" || true)
	if [[ -z $bad && $ok -gt 0 ]]; then
		pass
		summary+=("$(printf '%-20s kube-score: %3d checks OK, %d ignored' "$p" "$ok" $((${#ignore[@]} / 2)))")
	else
		fail "kube-score ($p):"
		printf '%s\n' "${bad:-no check ran}" >&2
		summary+=("$(printf '%-20s kube-score: FAILED' "$p")")
	fi
done
note "kube-score ($(elapsed))"

# --- 4. a real API server -------------------------------------------------
# free_port: a loopback port nothing listens on now.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

if ! wait "$apiserver_build"; then
	cat "$work/kube-apiserver.err" >&2
	echo "validate: building kube-apiserver failed" >&2
	exit 1
fi
if ! wait "$etcd_build"; then
	cat "$work/etcd.err" >&2
	echo "validate: building etcd failed" >&2
	exit 1
fi
etcd=$(cat "$work/etcd.path")
apiserver=$(cat "$work/kube-apiserver.path")
note "etcd and kube-apiserver ready ($(elapsed))"

etcd_port=$(free_port)
etcd_peer=$(free_port)
api_port=$(free_port)
"$etcd" --name validate --data-dir "$work/etcd" \
	--listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
	--listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
	--initial-cluster "validate=http://127.0.0.1:$etcd_peer" \
	--unsafe-no-fsync --log-level error >"$work/etcd.log" 2>&1 &
pids+=($!)

token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s,validate,validate,system:masters\n' "$token" >"$work/tokens.csv"
openssl genrsa -out "$work/sa.key" 2048 2>/dev/null
openssl rsa -in "$work/sa.key" -pubout -out "$work/sa.pub" 2>/dev/null
mkdir -p "$work/certs"
"$apiserver" \
	--etcd-servers "http://127.0.0.1:$etcd_port" \
	--bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
	--cert-dir "$work/certs" \
	--token-auth-file "$work/tokens.csv" \
	--authorization-mode AlwaysAllow \
	--service-account-key-file "$work/sa.pub" \
	--service-account-signing-key-file "$work/sa.key" \
	--service-account-issuer https://kubernetes.default.svc \
	--service-cluster-ip-range 10.96.0.0/24 \
	--endpoint-reconciler-type none \
	--enable-priority-and-fairness=false \
	>"$work/kube-apiserver.log" 2>&1 &
pids+=($!)

export KUBECONFIG=$work/kubeconfig
"$kubectl" config set-cluster validate --server "https://127.0.0.1:$api_port" --insecure-skip-tls-verify=true >/dev/null
"$kubectl" config set-credentials validate --token "$token" >/dev/null
"$kubectl" config set-context validate --cluster validate --user validate >/dev/null
"$kubectl" config use-context validate >/dev/null

ready=
for _ in $(seq 1 120); do
	if [[ $("$kubectl" get --raw /readyz 2>/dev/null) == ok ]]; then
		ready=1
		break
	fi
	sleep 0.5
done
if [[ -z $ready ]]; then
	echo "validate: kube-apiserver did not become ready; its log ends with:" >&2
	tail -n 20 "$work/kube-apiserver.log" >&2
	tail -n 5 "$work/etcd.log" >&2
	exit 1
fi
note "kube-apiserver $("$kubectl" version -o json 2>/dev/null | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1) on 127.0.0.1:$api_port ($(elapsed))"

# The contract: the HIRFA_* variables each role gets, no more, no fewer.
grpc_env="HIRFA_AUTH_AUDIENCE HIRFA_AUTH_DEV HIRFA_AUTH_ISSUER HIRFA_AUTH_JWKS_URL HIRFA_DATABASE_URL HIRFA_GRPC_ADDR HIRFA_GRPC_REFLECTION
HIRFA_LOG_LEVEL HIRFA_METRICS_ADDR HIRFA_MIGRATE HIRFA_OTLP_ENDPOINT HIRFA_REDIS_URL HIRFA_SHUTDOWN_TIMEOUT
HIRFA_TLS_CA_FILE HIRFA_TLS_CERT_FILE HIRFA_TLS_KEY_FILE"
edge_env="HIRFA_AUTH_AUDIENCE HIRFA_AUTH_DEV HIRFA_AUTH_ISSUER HIRFA_AUTH_JWKS_URL HIRFA_CORS_ORIGINS HIRFA_HTTP_ADDR
HIRFA_LOG_LEVEL HIRFA_MAX_BODY_BYTES HIRFA_METRICS_ADDR HIRFA_OTLP_ENDPOINT HIRFA_RATE_LIMITS HIRFA_REDIS_URL
HIRFA_OPENAPI HIRFA_SHUTDOWN_TIMEOUT HIRFA_TLS_CA_FILE HIRFA_TLS_CERT_FILE HIRFA_TLS_KEY_FILE HIRFA_TRUSTED_PROXIES"
# The probes of each role, path@port for startup, readiness and liveness:
# every one an HTTP GET on a plaintext port, in every profile (mTLS on the
# gRPC port included): the gRPC services' /readyz reflects their health
# status and database, the gateway's its backends.
grpc_probes=/readyz@metrics,/readyz@metrics,/healthz@metrics
edge_probes=/healthz@http,/readyz@http,/healthz@http
# The address variable of each gRPC service, as its callers (the gateway,
# other services) read it, and the services each calls (they get the callees'
# address variables, like the gateway): from the suite's manifest
# (pkg/suite/manifest.txt), plus the chart's blocks for services not built
# yet (switched on by testdata/five-services.yaml). A service missing here is
# not in the contract yet.
declare -A gateway_addr_var=(
	[craft-bodies]=HIRFA_CRAFTBODIES_ADDR
	[reporting]=HIRFA_REPORTING_ADDR
)
declare -A grpc_callees=(
	[craft-bodies]=registry
)
# Variables of one service beyond the gRPC contract: the registry's sample
# nomenclature switch and its name request deadline and certificate
# validity; the desk's archive (a folder on the data volume or an
# S3-compatible bucket) and the public address its professional cards' QR
# codes point at; reporting's rules of association vitality. The S3 keys
# come from a Secret, only when services.desk.archive.s3.existingSecret is set.
declare -A grpc_extra=(
	[registry]="HIRFA_NAME_CERTIFICATE_VALIDITY HIRFA_NAME_REQUEST_DEADLINE HIRFA_SAMPLE_NOMENCLATURE"
	[desk]="HIRFA_DESK_ARCHIVE_DIR HIRFA_DESK_S3_BUCKET HIRFA_DESK_S3_ENDPOINT HIRFA_DESK_S3_REGION HIRFA_DESK_VERIFY_BASE_URL"
	[reporting]="HIRFA_VITALITY_ACTIVITY_MONTHS HIRFA_VITALITY_ASSEMBLY_MONTHS HIRFA_VITALITY_ASSEMBLY_REQUIRED HIRFA_VITALITY_BUREAU_MONTHS"
)
declare -A grpc_secret_extra=(
	[desk]="HIRFA_DESK_S3_ACCESS_KEY HIRFA_DESK_S3_SECRET_KEY"
)
# The registry's duplicate review queue scan interval (always set, from
# services.registry.duplicateScanInterval).
grpc_extra[registry]+=" HIRFA_DUPLICATE_SCAN_INTERVAL"
while read -r name role api _ _ _ calls; do
	[[ $role == grpc ]] || continue
	gateway_addr_var[$name]=HIRFA_${api^^}_ADDR
	[[ $calls == - ]] || grpc_callees[$name]=${calls//,/ }
done < <(awk '$1 ~ /^[a-z]/' "$repo/pkg/suite/manifest.txt")
words() { tr ' ' '\n' | grep . | sort -u; }

# check_contract NS: checks the Deployments and ConfigMaps of NS as the API
# server stored them (two requests, parsed here: the script needs no jq).
check_contract() {
	local ns=$1 line comp cm grace sleep probes want_probes ports envs key value want got svc port var drain callees
	local -A cm_keys=() cm_value=()
	local -a deploys=() grpc_services=()
	while read -r cm key value; do
		cm_keys[$cm]+="$key "
		cm_value[$cm/$key]=$value
	done < <("$kubectl" -n "$ns" get configmaps -l app.kubernetes.io/part-of=hirfa \
		-o go-template='{{range .items}}{{$n := .metadata.name}}{{range $k, $v := .data}}{{$n}} {{$k}} {{$v}}{{"\n"}}{{end}}{{end}}')
	mapfile -t deploys < <("$kubectl" -n "$ns" get deployments \
		-o go-template='{{define "p"}}{{with .}}{{with .httpGet}}{{.path}}@{{.port}}{{else}}not-httpGet{{end}}{{else}}none{{end}}{{end}}{{range .items}}{{$c := index .spec.template.spec.containers 0}}{{index .metadata.labels "app.kubernetes.io/component"}} {{range $c.envFrom}}{{.configMapRef.name}}{{end}} {{.spec.template.spec.terminationGracePeriodSeconds}} {{$c.lifecycle.preStop.sleep.seconds}} {{template "p" $c.startupProbe}},{{template "p" $c.readinessProbe}},{{template "p" $c.livenessProbe}} {{range $c.ports}}{{.name}},{{end}} {{range $c.env}}{{.name}},{{end}}{{"\n"}}{{end}}')
	# The gRPC Services (component and port) give the gateway's
	# HIRFA_<SERVICE>_ADDR variables.
	mapfile -t grpc_services < <("$kubectl" -n "$ns" get services \
		-o go-template='{{range .items}}{{$n := index .metadata.labels "app.kubernetes.io/component"}}{{range .spec.ports}}{{if eq .name "grpc"}}{{$n}} {{.port}}{{"\n"}}{{end}}{{end}}{{end}}')
	local -A grpc_port=()
	for svc in "${grpc_services[@]}"; do
		grpc_port[${svc%% *}]=${svc##* }
	done
	[[ ${#deploys[@]} -gt 0 ]] || { fail "$ns: no Deployment stored"; return; }
	for line in "${deploys[@]}"; do
		read -r comp cm grace sleep probes ports envs <<<"$line"
		got=$(words <<<"${cm_keys[$cm]:-} ${envs//,/ }")
		if [[ ,$ports, == *,grpc,* ]]; then
			want_probes=$grpc_probes
			want=$(words <<<"${grpc_env//$'\n'/ }")
			# PostgreSQL (the URL from the database Secret, not the
			# ConfigMap): migrations as the owner role, from the same Secret.
			if [[ ,$envs, == *,HIRFA_DATABASE_URL,* ]]; then
				want+=$'\n'HIRFA_MIGRATE_DATABASE_URL
			fi
			callees=${grpc_callees[$comp]:-}
			for var in ${grpc_extra[$comp]:-}; do
				want+=$'\n'$var
			done
			# The S3 keys: both from the Secret, or neither.
			if [[ ,$envs, == *,HIRFA_DESK_S3_ACCESS_KEY,* ]]; then
				for var in ${grpc_secret_extra[$comp]:-}; do
					want+=$'\n'$var
				done
			fi
		else
			want_probes=$edge_probes
			want=$(words <<<"${edge_env//$'\n'/ }")
			callees=
			for svc in "${grpc_services[@]}"; do
				callees+=" ${svc%% *}"
			done
		fi
		for svc in $callees; do
			var=${gateway_addr_var[$svc]:-}
			port=${grpc_port[$svc]:-}
			if [[ -z $var || -z $port ]]; then
				fail "$ns/$comp: calls $svc, which has no address variable in the contract (gateway_addr_var) or no gRPC Service"
				continue
			fi
			want+=$'\n'$var
			# Each address names the in-namespace Service and its port.
			value=${cm_value[$cm/$var]:-}
			if [[ $value == "hirfa-$svc:$port" ]]; then pass; else fail "$ns/$comp: $var=$value, want hirfa-$svc:$port"; fi
		done
		want=$(sort -u <<<"$want")
		if [[ $got == "$want" ]]; then
			pass
		else
			fail "$ns/$comp: environment differs from the contract (< missing, > extra):"
			diff <(echo "$want") <(echo "$got") | grep '^[<>]' >&2 || true
		fi
		if [[ $probes == "$want_probes" ]]; then
			pass
		else
			fail "$ns/$comp: probes (startup,readiness,liveness) are $probes, want $want_probes"
		fi
		drain=${cm_value[$cm/HIRFA_SHUTDOWN_TIMEOUT]:-0s}
		drain=${drain%s}
		if [[ $grace -gt $((sleep + drain)) ]]; then
			pass
		else
			fail "$ns/$comp: terminationGracePeriodSeconds $grace is not above preStop $sleep s + drain $drain s"
		fi
	done
}

for p in "${profiles[@]}"; do
	[[ -f $work/$p.yaml ]] || continue
	ns=hirfa-${p//+/-}
	# Objects the chart must never render.
	if grep -qE '^kind: (Secret|Namespace|ClusterRole|ClusterRoleBinding)$' "$work/$p.yaml"; then
		fail "$p: renders a Secret, Namespace or cluster-wide RBAC object"
	else
		pass
	fi
	rendered=$(grep -c '^kind: ' "$work/$p.yaml")
	"$kubectl" create namespace "$ns" >/dev/null
	"$kubectl" -n "$ns" create serviceaccount default >/dev/null
	if "$kubectl" apply --server-side --field-manager hirfa-validate -n "$ns" -f "$work/$p.yaml" >"$work/apply-$p.log" 2>&1; then
		accepted=$(grep -c 'serverside-applied$' "$work/apply-$p.log" || true)
		if [[ $accepted -eq $rendered ]]; then
			pass
		else
			fail "$p: $accepted of $rendered objects accepted"
			cat "$work/apply-$p.log" >&2
		fi
	else
		accepted=0
		fail "$p: the API server refused objects:"
		cat "$work/apply-$p.log" >&2
	fi
	before=$failed
	check_contract "$ns"
	contract=$([[ $failed -eq $before ]] && echo "contract OK" || echo "contract FAILED")
	kinds=$(grep '^kind: ' "$work/$p.yaml" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $3; sep=", "}')
	summary+=("$(printf '%-20s applied: %2d/%2d objects, %s (%s)' "$p" "$accepted" "$rendered" "$contract" "$kinds")")
done
note "server-side apply to kube-apiserver $kube_version ($(elapsed))"

echo
echo "Validated charts/hirfa (helm lint --strict, helm template, schema, kube-score, kube-apiserver $kube_version):"
printf '  %s\n' "${summary[@]}"
printf '  %-20s refused as expected: %d invalid values files\n' "testdata/invalid" "$invalid"
echo "  took $(elapsed)"
echo "validate: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
