{{/*
Names, labels and per-service helpers. Per-service helpers take a dict:
  root  the top-level context ($)
  name  the service's key under .Values.services (e.g. "cart")
  svc   that service's values
*/}}

{{/* The chart's name, or nameOverride. */}}
{{- define "shop-reference.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name: fullnameOverride, else <release>-<name> (just <release> when it already
contains the name). Truncated to 63 characters (a DNS label).
*/}}
{{- define "shop-reference.fullname" -}}
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

{{/* chart-version, for the helm.sh/chart label. */}}
{{- define "shop-reference.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "shop-reference.labels" -}}
helm.sh/chart: {{ include "shop-reference.chart" . }}
{{ include "shop-reference.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "shop-reference.name" . }}
{{- end }}

{{/* Labels that select the release's pods. */}}
{{- define "shop-reference.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shop-reference.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
A service's object name: <fullname>-<service>, the full name shortened so that the whole stays
a 63-character DNS label. Deployment, Service, HPA and PDB of a service share it, and it is the
host name other services reach it at.
*/}}
{{- define "shop-reference.componentName" -}}
{{- $base := include "shop-reference.fullname" .root | trunc (int (sub 62 (len .name))) | trimSuffix "-" }}
{{- printf "%s-%s" $base .name }}
{{- end }}

{{/* Labels on a service's objects and pods. */}}
{{- define "shop-reference.componentLabels" -}}
{{ include "shop-reference.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* Labels that select one service's pods. */}}
{{- define "shop-reference.componentSelectorLabels" -}}
{{ include "shop-reference.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* A service's image: its own `image` when set, else the chart's (tag: the appVersion). */}}
{{- define "shop-reference.image" -}}
{{- if .svc.image }}
{{- printf "%s:%s" .svc.image.repository (.svc.image.tag | default "latest" | toString) }}
{{- else }}
{{- $image := .root.Values.image }}
{{- printf "%s:%s" $image.repository ($image.tag | default .root.Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "shop-reference.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "shop-reference.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The ConfigMap with commonEnv. */}}
{{- define "shop-reference.configMapName" -}}
{{- printf "%s-env" (include "shop-reference.fullname" . | trunc 59 | trimSuffix "-") }}
{{- end }}

{{/* The Secret holding the admin token (key admin-token): existingSecret or the chart's own. */}}
{{- define "shop-reference.adminTokenSecretName" -}}
{{- if .Values.adminToken.existingSecret }}
{{- .Values.adminToken.existingSecret }}
{{- else }}
{{- printf "%s-admin-token" (include "shop-reference.fullname" . | trunc 51 | trimSuffix "-") }}
{{- end }}
{{- end }}

{{/* The chaos runner's Role and RoleBinding: <fullname>-chaos-runner. */}}
{{- define "shop-reference.chaosRunnerName" -}}
{{- printf "%s-chaos-runner" (include "shop-reference.fullname" . | trunc 50 | trimSuffix "-") }}
{{- end }}

{{/* The chaos runner's ServiceAccount: chaosRunner.serviceAccount.name, else <fullname>-chaos-runner. */}}
{{- define "shop-reference.chaosRunnerServiceAccountName" -}}
{{- default (include "shop-reference.chaosRunnerName" .) .Values.chaosRunner.serviceAccount.name }}
{{- end }}

{{/* Labels on the chaos runner's ServiceAccount, Role and RoleBinding. */}}
{{- define "shop-reference.chaosRunnerLabels" -}}
{{ include "shop-reference.labels" . }}
app.kubernetes.io/component: chaos-runner
{{- end }}

{{/* The PersistentVolumeClaim of the shared data volume. */}}
{{- define "shop-reference.dataClaimName" -}}
{{- printf "%s-data" (include "shop-reference.fullname" . | trunc 58 | trimSuffix "-") }}
{{- end }}

{{/* "true" when some enabled service mounts the data volume. */}}
{{- define "shop-reference.anyMountsData" -}}
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled $svc.mountData }}true{{ end }}
{{- end }}
{{- end }}

{{/*
"true" when the service gets ADMIN_TOKEN: the token is on and the service has an admin port (a
port whose env is ADMIN_PORT). Third-party images such as redis have none and never see it.
*/}}
{{- define "shop-reference.wantsAdminToken" -}}
{{- if .root.Values.adminToken.enabled }}
{{- range .svc.ports }}
{{- if eq (.env | default "") "ADMIN_PORT" }}true{{ end }}
{{- end }}
{{- end }}
{{- end }}

{{/* An int-or-string value (a count or a percentage) as YAML. */}}
{{- define "shop-reference.intOrString" -}}
{{- if kindIs "string" . }}{{ . | quote }}{{ else }}{{ int . }}{{ end }}
{{- end }}

{{/*
The environment the chart sets for a service, in this order: each port's `env` (its
containerPort), each enabled dependency's addressEnv (<its name>:<its service port>),
SHOP_DATA_DIR, ADMIN_TOKEN, ADMIN_LISTEN_ADDR (with adminToken.listenOnPodIP), then the
service's own `env`. commonEnv comes in via envFrom.
*/}}
{{- define "shop-reference.env" -}}
{{- $root := .root }}
{{- range .svc.ports }}
{{- if .env }}
- name: {{ .env }}
  value: {{ int .containerPort | toString | quote }}
{{- end }}
{{- end }}
{{- range (.svc.dependencies | default list) }}
{{- $dep := index $root.Values.services . }}
{{- if $dep.enabled }}
- name: {{ $dep.addressEnv }}
  value: {{ printf "%s:%d" (include "shop-reference.componentName" (dict "root" $root "name" . "svc" $dep)) (int $dep.service.port) | quote }}
{{- end }}
{{- end }}
{{- if .svc.mountData }}
- name: SHOP_DATA_DIR
  value: /data
{{- end }}
{{- if include "shop-reference.wantsAdminToken" . }}
- name: ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "shop-reference.adminTokenSecretName" $root }}
      key: admin-token
{{- if $root.Values.adminToken.listenOnPodIP }}
- name: ADMIN_LISTEN_ADDR
  value: "0.0.0.0"
{{- end }}
{{- end }}
{{- range $key, $value := .svc.env }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* requests/limits with every quantity as a string (Kubernetes' Quantity). */}}
{{- define "shop-reference.resources" -}}
{{- range $kind := list "requests" "limits" }}
{{- with (index ($.svc.resources | default dict) $kind) }}
{{ $kind }}:
{{- range $resource, $quantity := . }}
  {{ $resource }}: {{ $quantity | toString | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
