{{/*
Shared helpers. Every per-service template ranges over `services` and calls
"hirfa.services" once; the objects of one service are built from a context
dict {root: $, svc: <effective service block>}.
*/}}

{{- define "hirfa.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The object name prefix; objects are "<prefix>-<service>". */}}
{{- define "hirfa.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
hirfa.coalesce: deep-merges dict "over" onto dict "base" and returns YAML.
Unlike sprig's merge/mergeOverwrite, a key present in "over" always wins,
even when its value is false, 0 or empty (`autoscaling: {enabled: false}`);
null removes the key.
*/}}
{{- define "hirfa.coalesce" -}}
{{- $out := deepCopy .base -}}
{{- range $k, $v := .over -}}
{{- $cur := get $out $k -}}
{{- if kindIs "invalid" $v -}}
{{- $_ := unset $out $k -}}
{{- else if and (kindIs "map" $v) (kindIs "map" $cur) -}}
{{- $_ := set $out $k (include "hirfa.coalesce" (dict "base" $cur "over" $v) | fromYaml) -}}
{{- else -}}
{{- $_ := set $out $k $v -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/*
hirfa.services: the effective blocks of the ENABLED services, as YAML
{name: block}, each block being serviceDefaults overlaid with its own
values and carrying its name. It also enforces the rules that span several
keys (the schema checks each key alone).
*/}}
{{- define "hirfa.services" -}}
{{- $root := . -}}
{{- $out := dict -}}
{{- range $name, $raw := .Values.services -}}
{{- $svc := include "hirfa.coalesce" (dict "base" $root.Values.serviceDefaults "over" $raw) | fromYaml -}}
{{- $_ := set $svc "name" $name -}}
{{- if $svc.enabled -}}
{{- $_ := set $out $name $svc -}}
{{- end -}}
{{- end -}}
{{- include "hirfa.check" (dict "root" $root "services" $out) -}}
{{- toYaml $out -}}
{{- end -}}

{{- define "hirfa.check" -}}
{{- $root := .root -}}
{{- $g := $root.Values.global -}}
{{- $all := .services -}}
{{- $edges := list -}}
{{- range $name, $svc := $all -}}
{{- if not $svc.port -}}
{{- fail (printf "services.%s.port is required" $name) -}}
{{- end -}}
{{- if eq $svc.role "edge" -}}
{{- $edges = append $edges $name -}}
{{- end -}}
{{- range $callee := $svc.calls -}}
{{- $c := get $all $callee -}}
{{- if not $c -}}
{{- fail (printf "services.%s.calls names %q, which is not an enabled service" $name $callee) -}}
{{- end -}}
{{- if ne $c.role "grpc" -}}
{{- fail (printf "services.%s.calls names %q, which is not a grpc service" $name $callee) -}}
{{- end -}}
{{- end -}}
{{- if and (eq $svc.role "grpc") (not (regexMatch "^[a-z][a-z0-9]*$" (toString $svc.api))) -}}
{{- fail (printf "services.%s.api is required for a grpc service: the <api> of its proto package hirfa.<api>.v1 (e.g. eventsfairs)" $name) -}}
{{- end -}}
{{- if and (eq $g.database.type "sqlite") (eq $svc.role "grpc") (or $svc.autoscaling.enabled (gt (int $svc.replicas) 1)) -}}
{{- fail (printf "services.%s: global.database.type=sqlite keeps one file per pod, so it needs replicas: 1 and autoscaling.enabled: false" $name) -}}
{{- end -}}
{{- if and $svc.autoscaling.enabled (gt (int $svc.autoscaling.minReplicas) (int $svc.autoscaling.maxReplicas)) -}}
{{- fail (printf "services.%s.autoscaling: minReplicas is above maxReplicas" $name) -}}
{{- end -}}
{{- $pdb := $svc.podDisruptionBudget -}}
{{- if and (eq (toString $pdb.minAvailable) "") (eq (toString $pdb.maxUnavailable) "") -}}
{{- fail (printf "services.%s.podDisruptionBudget: set one of minAvailable and maxUnavailable" $name) -}}
{{- end -}}
{{- if and (ne (toString $pdb.minAvailable) "") (ne (toString $pdb.maxUnavailable) "") -}}
{{- fail (printf "services.%s.podDisruptionBudget: set only one of minAvailable and maxUnavailable, leaving the other empty" $name) -}}
{{- end -}}
{{- if le (mul (int $svc.probes.liveness.periodSeconds) (int $svc.probes.liveness.failureThreshold)) (int $g.shutdownTimeoutSeconds) -}}
{{- fail (printf "services.%s.probes.liveness: periodSeconds x failureThreshold must exceed global.shutdownTimeoutSeconds, or a draining pod is killed" $name) -}}
{{- end -}}
{{- if and $g.networkPolicy.enabled (eq $svc.role "grpc") (eq $g.database.type "postgres") (empty $g.networkPolicy.postgres.cidrs) -}}
{{- fail "global.networkPolicy.postgres.cidrs is required with database.type=postgres (egress to the database)" -}}
{{- end -}}
{{- end -}}
{{- if and (not $g.auth.jwksURL) (not $g.auth.demo) -}}
{{- fail "global.auth.jwksURL is required (the OIDC issuer's JWKS); only a try-out cluster may set global.auth.demo: true instead (the binaries' dev issuer, SQLite only)" -}}
{{- end -}}
{{- if and $g.auth.jwksURL $g.auth.demo -}}
{{- fail "global.auth: set jwksURL or demo, not both" -}}
{{- end -}}
{{- if and $g.auth.demo (ne $g.database.type "sqlite") -}}
{{- fail "global.auth.demo needs global.database.type=sqlite: the dev issuer never guards a shared database" -}}
{{- end -}}
{{- if gt (len $edges) 1 -}}
{{- fail (printf "only one service may have role edge, found %v" $edges) -}}
{{- end -}}
{{- if and $g.networkPolicy.enabled $g.redis.existingSecret (empty $g.networkPolicy.redis.cidrs) -}}
{{- fail "global.networkPolicy.redis.cidrs is required when global.redis.existingSecret is set" -}}
{{- end -}}
{{- end -}}

{{/* hirfa.objname: "<prefix>-<service>" for the context {root, svc}. */}}
{{- define "hirfa.objname" -}}
{{- printf "%s-%s" (include "hirfa.fullname" .root) .svc.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* hirfa.addr: the in-namespace address "<prefix>-<service>:<port>". */}}
{{- define "hirfa.addr" -}}
{{- printf "%s:%d" (include "hirfa.objname" .) (int .svc.port) -}}
{{- end -}}

{{- define "hirfa.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hirfa.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .svc.name }}
{{- end -}}

{{- define "hirfa.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "hirfa.selectorLabels" . }}
app.kubernetes.io/version: {{ include "hirfa.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/part-of: hirfa
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{- define "hirfa.imageTag" -}}
{{- .svc.image.tag | default .root.Values.global.image.tag | default .root.Chart.AppVersion -}}
{{- end -}}

{{/* hirfa.image: <repository>:<tag>, pinned by @<digest> when one is set. */}}
{{- define "hirfa.image" -}}
{{- $repo := .svc.image.repository | default (printf "%s/%s" .root.Values.global.image.registry .svc.name) -}}
{{- $ref := printf "%s:%s" $repo (include "hirfa.imageTag" .) -}}
{{- if .svc.image.digest -}}
{{- $ref = printf "%s@%s" $ref .svc.image.digest -}}
{{- end -}}
{{- $ref -}}
{{- end -}}

{{- define "hirfa.portName" -}}
{{- if eq .svc.role "edge" }}http{{ else }}grpc{{ end -}}
{{- end -}}

{{/*
hirfa.grpcPaths: the gRPC entry's path prefixes of a service, as YAML list:
its grpcIngress.pathPrefixes, or its proto package "/hirfa.<api>.v1.".
*/}}
{{- define "hirfa.grpcPaths" -}}
{{- toYaml (.svc.grpcIngress.pathPrefixes | default (list (printf "/hirfa.%s.v1." .svc.api))) -}}
{{- end -}}

{{/* The TLS secret mounted for service-to-service mTLS. */}}
{{- define "hirfa.tlsSecret" -}}
{{- .svc.tls.existingSecret | default (printf "%s-tls" (include "hirfa.objname" .)) -}}
{{- end -}}

{{/*
hirfa.env: the non-secret HIRFA_* variables of a service (its ConfigMap).
The secret ones (HIRFA_DATABASE_URL with PostgreSQL, HIRFA_REDIS_URL with a
Redis secret) are secretKeyRefs in the Deployment. Together they are exactly
the variables of the configuration contract, plus HIRFA_<API>_ADDR of each
service called (the edge calls them all); tools/kube/validate.sh checks it.
*/}}
{{- define "hirfa.env" -}}
{{- $g := .root.Values.global -}}
{{- $tlsDir := $g.tls.mountPath -}}
{{- $root := .root }}
{{- $all := include "hirfa.services" .root | fromYaml }}
{{- if eq .svc.role "grpc" }}
HIRFA_GRPC_ADDR: {{ printf ":%d" (int .svc.port) | quote }}
HIRFA_MIGRATE: {{ .svc.migrate | default $g.migrate | quote }}
HIRFA_GRPC_REFLECTION: {{ ternary "true" "false" (ne (toString $g.introspection) "false") | quote }}
{{- if eq $g.database.type "sqlite" }}
HIRFA_DATABASE_URL: {{ printf "sqlite:///data/%s.db" .svc.name | quote }}
{{- end }}
{{- /* The address of each service it calls, named by the callee's API. */}}
{{- range $callee := .svc.calls }}
{{- $peer := get $all $callee }}
{{ printf "HIRFA_%s_ADDR" (upper $peer.api) }}: {{ include "hirfa.addr" (dict "root" $root "svc" $peer) | quote }}
{{- end }}
{{- if eq .svc.api "registry" }}
HIRFA_DUPLICATE_SCAN_INTERVAL: {{ .svc.duplicateScanInterval | quote }}
{{- end }}
{{- if eq .svc.api "registry" }}
{{- if and .svc.sampleNomenclature (ne $g.database.type "sqlite") }}
{{- fail "services.registry.sampleNomenclature needs global.database.type=sqlite: invented activity codes never enter a real register" }}
{{- end }}
HIRFA_SAMPLE_NOMENCLATURE: {{ ternary "true" "false" (eq (toString .svc.sampleNomenclature) "true") | quote }}
HIRFA_NAME_REQUEST_DEADLINE: {{ .svc.nameRequests.deadline | quote }}
HIRFA_NAME_CERTIFICATE_VALIDITY: {{ .svc.nameRequests.certificateValidity | quote }}
{{- end }}
{{- if eq .svc.api "desk" }}
{{- $s3 := .svc.archive.s3 }}
{{- if and $s3.endpoint (not $s3.existingSecret) }}
{{- fail "services.desk.archive.s3.existingSecret is required with an S3 endpoint" }}
{{- end }}
HIRFA_DESK_ARCHIVE_DIR: "/data/desk-archive"
HIRFA_DESK_S3_ENDPOINT: {{ $s3.endpoint | quote }}
HIRFA_DESK_S3_BUCKET: {{ $s3.bucket | quote }}
HIRFA_DESK_S3_REGION: {{ $s3.region | quote }}
HIRFA_DESK_VERIFY_BASE_URL: {{ .svc.archive.verifyBaseURL | default (printf "https://%s" $root.Values.ingress.rest.host) | quote }}
{{- end }}
{{- if eq .svc.api "reporting" }}
{{- $v := .svc.vitality }}
HIRFA_VITALITY_ASSEMBLY_MONTHS: {{ $v.assemblyMonths | toString | quote }}
HIRFA_VITALITY_BUREAU_MONTHS: {{ $v.bureauMonths | toString | quote }}
HIRFA_VITALITY_ACTIVITY_MONTHS: {{ $v.activityMonths | toString | quote }}
HIRFA_VITALITY_ASSEMBLY_REQUIRED: {{ $v.assemblyRequired | toString | quote }}
{{- end }}
{{- else }}
HIRFA_HTTP_ADDR: {{ printf ":%d" (int .svc.port) | quote }}
{{- /* The edge calls every gRPC service. */}}
{{- range $name, $peer := $all }}
{{- if eq $peer.role "grpc" }}
{{ printf "HIRFA_%s_ADDR" (upper $peer.api) }}: {{ include "hirfa.addr" (dict "root" $root "svc" $peer) | quote }}
{{- end }}
{{- end }}
HIRFA_CORS_ORIGINS: {{ join "," .svc.edge.corsOrigins | quote }}
HIRFA_TRUSTED_PROXIES: {{ join "," (.svc.edge.trustedProxies | default list) | quote }}
HIRFA_OPENAPI: {{ ternary "true" "false" (ne (toString $g.introspection) "false") | quote }}
HIRFA_MAX_BODY_BYTES: {{ int .svc.edge.maxBodyBytes | quote }}
HIRFA_RATE_LIMITS: {{ .svc.edge.rateLimits | quote }}
{{- end }}
{{- if not $g.redis.existingSecret }}
HIRFA_REDIS_URL: ""
{{- end }}
HIRFA_LOG_LEVEL: {{ $g.logLevel | quote }}
HIRFA_OTLP_ENDPOINT: {{ $g.otlpEndpoint | quote }}
HIRFA_METRICS_ADDR: {{ printf ":%d" (int $g.metricsPort) | quote }}
HIRFA_SHUTDOWN_TIMEOUT: {{ printf "%ds" (int $g.shutdownTimeoutSeconds) | quote }}
HIRFA_TLS_CERT_FILE: {{ ternary (printf "%s/tls.crt" $tlsDir) "" $g.tls.enabled | quote }}
HIRFA_TLS_KEY_FILE: {{ ternary (printf "%s/tls.key" $tlsDir) "" $g.tls.enabled | quote }}
HIRFA_TLS_CA_FILE: {{ ternary (printf "%s/ca.crt" $tlsDir) "" $g.tls.enabled | quote }}
HIRFA_AUTH_ISSUER: {{ $g.auth.issuer | quote }}
HIRFA_AUTH_AUDIENCE: {{ $g.auth.audience | quote }}
HIRFA_AUTH_JWKS_URL: {{ $g.auth.jwksURL | quote }}
HIRFA_AUTH_DEV: {{ ternary "demo" "false" (eq (toString $g.auth.demo) "true") | quote }}
{{- end -}}

{{/* terminationGracePeriodSeconds: preStop sleep + drain deadline + margin. */}}
{{- define "hirfa.gracePeriod" -}}
{{- $g := .root.Values.global -}}
{{- add (int $g.preStopSleepSeconds) (int $g.shutdownTimeoutSeconds) (int $g.terminationMarginSeconds) -}}
{{- end -}}
