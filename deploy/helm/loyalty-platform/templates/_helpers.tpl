{{/*
Helpers. Most take a context made by "loyalty.ctx": (dict "root" $ "app" "<app>"), and read the
app's values as (index .root.Values.apps .app).
*/}}

{{/* The apps, in the order the migrations run (gateway owns no data and has none). */}}
{{- define "loyalty.appNames" -}}gateway auth loyalty promotion coupon-worker webhook-dispatcher{{- end }}
{{- define "loyalty.migratingApps" -}}auth loyalty promotion coupon-worker webhook-dispatcher{{- end }}

{{- define "loyalty.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "loyalty.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of an app's objects: <fullname>-<app>. */}}
{{- define "loyalty.appFullname" -}}
{{- printf "%s-%s" (include "loyalty.fullname" .root) .app | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "loyalty.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "loyalty.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: loyalty-platform
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "loyalty.selectorLabels" -}}
app.kubernetes.io/name: {{ include "loyalty.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The `helm test` Pod's own labels (on top of loyalty.labels). */}}
{{- define "loyalty.testSelectorLabels" -}}
{{ include "loyalty.selectorLabels" . }}
app.kubernetes.io/component: test
{{- end }}

{{/* Labels of an app's objects (ctx). */}}
{{- define "loyalty.appLabels" -}}
{{ include "loyalty.labels" .root }}
app.kubernetes.io/component: {{ .app }}
{{- end }}

{{- define "loyalty.appSelectorLabels" -}}
{{ include "loyalty.selectorLabels" .root }}
app.kubernetes.io/component: {{ .app }}
{{- end }}

{{/*
<registry>/<repository>-<app>:<tag>, or the app's own image.repository / tag / digest (ctx). A
parent chart's global.imageRegistry replaces image.registry.
*/}}
{{- define "loyalty.image" -}}
{{- $global := .root.Values.image }}
{{- $own := (index .root.Values.apps .app).image | default dict }}
{{- $repository := $own.repository }}
{{- if not $repository }}
{{- $repository = printf "%s-%s" $global.repository .app }}
{{- with (.root.Values.global | default dict).imageRegistry | default $global.registry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}
{{- end }}
{{- end }}
{{- if $own.digest }}
{{- printf "%s@%s" $repository $own.digest }}
{{- else }}
{{- printf "%s:%s" $repository (toString ($own.tag | default $global.tag | default .root.Chart.AppVersion)) }}
{{- end }}
{{- end }}

{{/*
imagePullSecrets of every pod (root): global.imagePullSecrets (names or { name }), then
imagePullSecrets, each name once. Empty when there is none.
*/}}
{{- define "loyalty.imagePullSecrets" -}}
{{- $names := list }}
{{- range concat ((.Values.global | default dict).imagePullSecrets | default list) (.Values.imagePullSecrets | default list) }}
{{- $name := . }}
{{- if kindIs "map" . }}{{ $name = .name }}{{ end }}
{{- if not (has $name $names) }}{{ $names = append $names $name }}{{ end }}
{{- end }}
{{- range $names }}
- name: {{ . }}
{{- end }}
{{- end }}

{{/* The first enabled app (the test Pod runs in its image), or nothing. */}}
{{- define "loyalty.firstApp" -}}
{{- $first := "" }}
{{- range $app := splitList " " (include "loyalty.appNames" .) }}
{{- if and (not $first) (index $.Values.apps $app).enabled }}{{ $first = $app }}{{ end }}
{{- end }}
{{- $first }}
{{- end }}

{{/*
NAME_PREFIX of an app (ctx): its own env's, else the global env's; empty or null: none. The queue
names the alerts, the dashboard and the KEDA trigger watch start with it.
*/}}
{{- define "loyalty.namePrefix" -}}
{{- $own := (index .root.Values.apps .app).env | default dict }}
{{- $value := hasKey $own "NAME_PREFIX" | ternary (get $own "NAME_PREFIX") (get (.root.Values.env | default dict) "NAME_PREFIX") }}
{{- if not (kindIs "invalid" $value) }}{{ toString $value }}{{ end }}
{{- end }}

{{/*
For PromQL regexes (root): the NAME_PREFIX of the enabled apps with each "." as "[.]" (the schema
allows letters, digits, ".", "_" and "-" only, so no other character needs escaping), and the
enabled apps that own queues, as an alternation: (auth|loyalty|…). A consumer queue is named
<app>.<consumer>, an RPC queue rpc.<service>: the service is the app but for the webhook
dispatcher, whose RPC queue is rpc.webhooks, so "webhooks" is in the alternation too.
*/}}
{{- define "loyalty.prefixRegex" -}}
{{- include "loyalty.namePrefix" (dict "root" . "app" (include "loyalty.firstApp" .)) | replace "." "[.]" }}
{{- end }}
{{- define "loyalty.queueAppsRegex" -}}
{{- $apps := list }}
{{- range $app := splitList " " (include "loyalty.migratingApps" .) }}
{{- if (index $.Values.apps $app).enabled }}{{ $apps = append $apps $app }}{{ end }}
{{- end }}
{{- if has "webhook-dispatcher" $apps }}{{ $apps = append $apps "webhooks" }}{{ end }}
{{- printf "(%s)" (join "|" $apps) }}
{{- end }}

{{/*
Affinity of an app's pods (ctx): apps.<app>.affinity, plus, unless it has a podAntiAffinity of its
own, the podAntiAffinityPreset: soft prefers (hard requires) nodes without a pod of this app.
*/}}
{{- define "loyalty.affinity" -}}
{{- $cfg := index .root.Values.apps .app }}
{{- $affinity := deepCopy ($cfg.affinity | default dict) }}
{{- if and $cfg.podAntiAffinityPreset (not (hasKey $affinity "podAntiAffinity")) }}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "loyalty.appSelectorLabels" . | fromYaml)) }}
{{- if eq $cfg.podAntiAffinityPreset "hard" }}
{{- $_ := set $affinity "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) }}
{{- else }}
{{- $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" $term))) }}
{{- end }}
{{- end }}
{{- with $affinity }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* Whether KEDA, not replicaCount or an HPA, scales the app (ctx): the coupon worker with keda.enabled. */}}
{{- define "loyalty.scaledByKeda" -}}
{{- if and .root.Values.keda.enabled (eq .app "coupon-worker") }}true{{ end }}
{{- end }}

{{/* Whether an HPA of the chart scales the app (ctx). */}}
{{- define "loyalty.scaledByHpa" -}}
{{- if and (index .root.Values.apps .app).autoscaling.enabled (not (include "loyalty.scaledByKeda" .)) }}true{{ end }}
{{- end }}

{{- define "loyalty.serviceAccountName" -}}
{{- $sa := (index .root.Values.apps .app).serviceAccount }}
{{- if $sa.create }}
{{- default (include "loyalty.appFullname" .) $sa.name }}
{{- else }}
{{- default "default" $sa.name }}
{{- end }}
{{- end }}

{{/*
What an app needs (ctx): MongoDB for every app but the gateway; the admin credentials, the JWT
key and the SMTP URL for auth's Deployment only (ctx with mode "runtime"): auth's `migrate` reads neither.
*/}}
{{- define "loyalty.usesMongo" -}}{{ if ne .app "gateway" }}true{{ end }}{{- end }}
{{- define "loyalty.usesAuthSecrets" -}}{{ if and (eq .app "auth") (eq .mode "runtime") }}true{{ end }}{{- end }}

{{- define "loyalty.anyMongoApp" -}}
{{- range $app := splitList " " (include "loyalty.migratingApps" .) }}
{{- if (index $.Values.apps $app).enabled }}true{{ end }}
{{- end }}
{{- end }}

{{- define "loyalty.anyApp" -}}
{{- range $app := splitList " " (include "loyalty.appNames" .) }}
{{- if (index $.Values.apps $app).enabled }}true{{ end }}
{{- end }}
{{- end }}

{{/*
Secrets. Each of connections, jwt and admin comes from its existingSecret or from a Secret the
chart makes from the values. "mode" is "runtime" (the release's Secrets) or "migrate" (the hook
Secret, which exists before the release's own on a first install and holds the connection URLs
only: the migration job reads no other secret).
*/}}
{{- define "loyalty.connectionsSecretName" -}}
{{- if .root.Values.connections.existingSecret }}{{ .root.Values.connections.existingSecret }}
{{- else if eq .mode "migrate" }}{{ include "loyalty.fullname" .root }}-migrate
{{- else }}{{ include "loyalty.fullname" .root }}-connections
{{- end }}
{{- end }}

{{- define "loyalty.jwtSecretName" -}}
{{- if .root.Values.jwt.existingSecret }}{{ .root.Values.jwt.existingSecret }}
{{- else }}{{ include "loyalty.fullname" .root }}-jwt
{{- end }}
{{- end }}

{{- define "loyalty.adminSecretName" -}}
{{- if .root.Values.admin.existingSecret }}{{ .root.Values.admin.existingSecret }}
{{- else }}{{ include "loyalty.fullname" .root }}-admin
{{- end }}
{{- end }}

{{- define "loyalty.mailSecretName" -}}
{{- if .Values.mail.existingSecret }}{{ .Values.mail.existingSecret }}
{{- else if .Values.mail.smtpUrl }}{{ include "loyalty.fullname" . }}-mail
{{- end }}
{{- end }}

{{- define "loyalty.hasPreviousPublicKeys" -}}
{{- if .Values.jwt.existingSecret }}{{ if .Values.jwt.existingSecretHasPreviousPublicKeys }}true{{ end }}
{{- else if .Values.jwt.previousPublicKeys }}true
{{- end }}
{{- end }}

{{- define "loyalty.jwtDir" -}}/var/run/secrets/loyalty/jwt{{- end }}

{{/*
Stops rendering, with what to set, when a secret has neither its values nor an existingSecret.
*/}}
{{- define "loyalty.validate" -}}
{{- $v := .Values }}
{{- if and (include "loyalty.anyApp" .) (not $v.connections.existingSecret) }}
{{- $hint := "or name a Secret you manage with connections.existingSecret (keys MONGODB_URI, REDIS_URL, RABBITMQ_URL)" }}
{{- if and (include "loyalty.anyMongoApp" .) (not $v.connections.mongodbUri) }}
{{- fail (printf "connections.mongodbUri is required: set it to your MongoDB replica set's URL (e.g. --set connections.mongodbUri='mongodb://host:27017/?replicaSet=rs0'), %s" $hint) }}
{{- end }}
{{- if not $v.connections.redisUrl }}
{{- fail (printf "connections.redisUrl is required: set it (e.g. --set connections.redisUrl='redis://host:6379'), %s" $hint) }}
{{- end }}
{{- if not $v.connections.rabbitmqUrl }}
{{- fail (printf "connections.rabbitmqUrl is required: set it (e.g. --set connections.rabbitmqUrl='amqp://user:password@host:5672'), %s" $hint) }}
{{- end }}
{{- end }}
{{- if $v.apps.auth.enabled }}
{{- if not (or $v.jwt.existingSecret $v.jwt.privateKey) }}
{{- fail "jwt.privateKey is required: auth signs tokens with an RS256 key. Set it from a PKCS#8 PEM file (--set-file jwt.privateKey=jwt-private.pem; make one with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt-private.pem`), or name a Secret you manage with jwt.existingSecret (key jwt-private.pem)" }}
{{- end }}
{{- if and $v.jwt.privateKey (not (contains "-----BEGIN PRIVATE KEY-----" $v.jwt.privateKey)) }}
{{- fail "jwt.privateKey must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----); convert a PKCS#1 key with `openssl pkcs8 -topk8 -nocrypt -in old.pem -out jwt-private.pem`" }}
{{- end }}
{{- if not (or $v.admin.existingSecret (and $v.admin.username $v.admin.password)) }}
{{- fail "admin.password is required: the bootstrap administrator's password (--set admin.password=...; admin.username defaults to admin), or name a Secret you manage with admin.existingSecret (keys ADMIN_USERNAME, ADMIN_PASSWORD)" }}
{{- end }}
{{- end }}
{{- if and $v.ingress.enabled (not $v.apps.gateway.enabled) }}
{{- fail "ingress.enabled needs apps.gateway.enabled: the ingress routes to the gateway" }}
{{- end }}
{{- $prefixes := dict }}
{{- range $app := splitList " " (include "loyalty.appNames" .) }}
{{- $cfg := index $v.apps $app }}
{{- if $cfg.enabled }}
{{- if eq (int $cfg.port) (int $v.metrics.port) }}
{{- fail (printf "apps.%s.port and metrics.port are both %d: /metrics gets a port of its own (METRICS_PORT), which the ingress never routes. Change one of them" $app (int $cfg.port)) }}
{{- end }}
{{- $sleep := $cfg.preStopSleepSeconds | default 0 | int }}
{{- $timeout := $cfg.shutdownTimeoutSeconds | int }}
{{- $grace := $cfg.terminationGracePeriodSeconds | int }}
{{- if ge (add $sleep $timeout) $grace }}
{{- fail (printf "apps.%s.shutdownTimeoutSeconds (%d) plus preStopSleepSeconds (%d) must be below terminationGracePeriodSeconds (%d): the kubelet sends SIGKILL when the grace period ends, which would cut the drain short. Lower shutdownTimeoutSeconds or raise terminationGracePeriodSeconds" $app $timeout $sleep $grace) }}
{{- end }}
{{- $_ := set $prefixes (include "loyalty.namePrefix" (dict "root" $ "app" $app)) $app }}
{{- end }}
{{- end }}
{{- if and $v.keda.enabled (gt (int $v.keda.minReplicaCount) (int $v.keda.maxReplicaCount)) }}
{{- fail (printf "keda.minReplicaCount (%d) must not be above keda.maxReplicaCount (%d)" (int $v.keda.minReplicaCount) (int $v.keda.maxReplicaCount)) }}
{{- end }}
{{- if gt (len $prefixes) 1 }}
{{- fail (printf "every app needs the same NAME_PREFIX (they share the broker's queues and exchanges), but the apps' env give %s" (keys $prefixes | sortAlpha | toJson)) }}
{{- end }}
{{- end }}

{{/*
The container environment of an app (ctx with mode): PORT, the global env overridden by the app's
own (variables whose value is empty are left out, so an app can unset a global one with ''), the
webhook dispatcher's target rules from `webhooks`, the secrets it needs, then the app's extraEnv.
The migration job's containers (mode "migrate") get the same as their app's Deployment, the
connection URLs from the hook Secret, but none of auth's secrets (admin credentials, JWT key
files), and nothing about serving (METRICS_PORT, the drain).
*/}}
{{- define "loyalty.env" -}}
{{- $cfg := index .root.Values.apps .app -}}
- name: PORT
  value: {{ $cfg.port | toString | quote }}
{{- if eq .mode "runtime" }}
- name: SHUTDOWN_TIMEOUT_MS
  value: {{ mul ($cfg.shutdownTimeoutSeconds | int) 1000 | toString | quote }}
- name: METRICS_PORT
  value: {{ .root.Values.metrics.port | toString | quote }}
{{- end }}
{{- $env := deepCopy (.root.Values.env | default dict) }}
{{- if and .root.Values.trustProxy (not (hasKey $env "TRUST_PROXY")) }}
{{- $_ := set $env "TRUST_PROXY" .root.Values.trustProxy }}
{{- end }}
{{- range $name, $value := $cfg.env | default dict }}
{{- $_ := set $env $name $value }}
{{- end }}
{{- if and (eq .app "gateway") (not .root.Values.ingress.docs.enabled) }}
{{- /* No /docs through the ingress, and none on the gateway's port either. */}}
{{- $_ := set $env "API_DOCS_ENABLED" "false" }}
{{- end }}
{{- if eq .app "webhook-dispatcher" }}
{{- /* From `webhooks`, which the dispatcher's NetworkPolicy follows too, so the two agree. */}}
{{- $_ := set $env "WEBHOOKS_ALLOW_HTTP" (toString .root.Values.webhooks.allowHttp) }}
{{- $_ := set $env "WEBHOOKS_ALLOWED_PRIVATE_CIDRS" (join "," .root.Values.webhooks.allowedPrivateCidrs) }}
{{- end }}
{{- if and (eq .mode "runtime") .root.Values.migrations.enabled (include "loyalty.usesMongo" .) }}
{{- /* The migration Job migrates before the new pods start: they don't (MIGRATE_ON_START). */}}
{{- $_ := set $env "MIGRATE_ON_START" "false" }}
{{- end }}
{{- range $name := keys $env | sortAlpha }}
{{- $value := get $env $name }}
{{- if or (kindIs "float64" $value) (kindIs "int64" $value) (kindIs "int" $value) }}
{{- $value = int64 $value | toString }}
{{- end }}
{{- if and (not (kindIs "invalid" $value)) (ne (toString $value) "") }}
- name: {{ $name }}
  value: {{ toString $value | quote }}
{{- end }}
{{- end }}
{{- $connections := include "loyalty.connectionsSecretName" . }}
{{- if include "loyalty.usesMongo" . }}
- name: MONGODB_URI
  valueFrom: { secretKeyRef: { name: {{ $connections }}, key: MONGODB_URI } }
{{- end }}
- name: REDIS_URL
  valueFrom: { secretKeyRef: { name: {{ $connections }}, key: REDIS_URL } }
- name: RABBITMQ_URL
  valueFrom: { secretKeyRef: { name: {{ $connections }}, key: RABBITMQ_URL } }
{{- if include "loyalty.usesAuthSecrets" . }}
{{- $admin := include "loyalty.adminSecretName" . }}
- name: ADMIN_USERNAME
  valueFrom: { secretKeyRef: { name: {{ $admin }}, key: ADMIN_USERNAME } }
- name: ADMIN_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ $admin }}, key: ADMIN_PASSWORD } }
- name: JWT_PRIVATE_KEY_FILE
  value: {{ include "loyalty.jwtDir" . }}/jwt-private.pem
{{- with include "loyalty.mailSecretName" .root }}
- name: SMTP_URL
  valueFrom: { secretKeyRef: { name: {{ . }}, key: SMTP_URL } }
{{- end }}

{{- if include "loyalty.hasPreviousPublicKeys" .root }}
- name: JWT_PREVIOUS_PUBLIC_KEYS_FILE
  value: {{ include "loyalty.jwtDir" . }}/jwt-previous-public-keys.pem
{{- end }}
{{- end }}
{{- if and (eq .app "auth") .root.Values.mail.from }}
- name: MAIL_FROM
  value: {{ .root.Values.mail.from | quote }}
{{- end }}
{{- $own := $cfg.extraEnv | default list }}
{{- $ownNames := list }}
{{- range $own }}{{ $ownNames = append $ownNames .name }}{{ end }}
{{- $extra := list }}
{{- range .root.Values.extraEnv | default list }}
{{- if not (has .name $ownNames) }}{{ $extra = append $extra . }}{{ end }}
{{- end }}
{{- with concat $extra $own }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Volumes of a pod (ctx with mode, and "apps": the apps whose containers run in it): /tmp, the JWT
key files in auth's Deployment, then the global extraVolumes and each app's own, each name once
(two different volumes of one name stop rendering).
*/}}
{{- define "loyalty.volumes" -}}
- name: tmp
  {{- /* Never `emptyDir:` alone: that is null, a volume without a source. */}}
  {{- with .root.Values.tmpVolume.sizeLimit }}
  emptyDir:
    sizeLimit: {{ . }}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- if include "loyalty.usesAuthSecrets" . }}
- name: jwt
  secret:
    secretName: {{ include "loyalty.jwtSecretName" . }}
    defaultMode: 288 # 0440: readable by the fsGroup (the node user's group)
    items:
      - key: jwt-private.pem
        path: jwt-private.pem
      {{- if include "loyalty.hasPreviousPublicKeys" .root }}
      - key: jwt-previous-public-keys.pem
        path: jwt-previous-public-keys.pem
      {{- end }}
{{- end }}
{{- $volumes := list }}
{{- $byName := dict }}
{{- $sources := list (dict "from" "extraVolumes" "list" .root.Values.extraVolumes) }}
{{- range $app := .apps | default (list .app) }}
{{- $sources = append $sources (dict "from" (printf "apps.%s.extraVolumes" $app) "list" (index $.root.Values.apps $app).extraVolumes) }}
{{- end }}
{{- range $source := $sources }}
{{- range $source.list | default list }}
{{- if hasKey $byName .name }}
{{- if ne (toJson (get $byName .name)) (toJson .) }}
{{- fail (printf "%s: a volume named %s is already defined differently (in extraVolumes or another app's extraVolumes); give it another name" $source.from .name) }}
{{- end }}
{{- else }}
{{- $_ := set $byName .name . }}
{{- $volumes = append $volumes . }}
{{- end }}
{{- end }}
{{- end }}
{{- with $volumes }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Volume mounts of an app's container (ctx with mode): /tmp, the JWT key, the extra mounts. */}}
{{- define "loyalty.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if include "loyalty.usesAuthSecrets" . }}
- name: jwt
  mountPath: {{ include "loyalty.jwtDir" . }}
  readOnly: true
{{- end }}
{{- with concat (.root.Values.extraVolumeMounts | default list) ((index .root.Values.apps .app).extraVolumeMounts | default list) }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Checksum of the chart-made secret values an app uses (ctx), as a pod annotation: changing a
secret (e.g. a key rotation) rolls the app's pods. Secrets named by existingSecret are not seen:
restart the apps yourself after changing one (kubectl rollout restart).
*/}}
{{- define "loyalty.secretsChecksum" -}}
{{- $v := .root.Values }}
{{- $parts := list }}
{{- if not $v.connections.existingSecret }}
{{- $parts = append $parts (list $v.connections.redisUrl $v.connections.rabbitmqUrl) }}
{{- if include "loyalty.usesMongo" . }}{{ $parts = append $parts $v.connections.mongodbUri }}{{ end }}
{{- end }}
{{- if include "loyalty.usesAuthSecrets" . }}
{{- if not $v.jwt.existingSecret }}{{ $parts = append $parts (list $v.jwt.privateKey $v.jwt.previousPublicKeys) }}{{ end }}
{{- if not $v.admin.existingSecret }}{{ $parts = append $parts (list $v.admin.username $v.admin.password) }}{{ end }}
{{- if not $v.mail.existingSecret }}{{ $parts = append $parts $v.mail.smtpUrl }}{{ end }}
{{- end }}
{{- toJson $parts | sha256sum }}
{{- end }}

{{- define "loyalty.podSecurityContext" -}}
{{ toYaml .Values.podSecurityContext }}
{{- end }}

{{- define "loyalty.securityContext" -}}
{{ toYaml .Values.securityContext }}
{{- end }}
