{{/*
Names, labels and the pieces of the stampede containers' command lines.
*/}}

{{/* The chart's name, or nameOverride. */}}
{{- define "stampede.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name: fullnameOverride, else <release>-<name> (just <release> when it already
contains the name). At most 44 characters, so that "<fullname>-coordinator" and the runners'
pod host names "<fullname>-runners-<index>" stay 63-character DNS labels.
*/}}
{{- define "stampede.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 44 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 44 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 44 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* chart-version, for the helm.sh/chart label. */}}
{{- define "stampede.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that select the release's pods. */}}
{{- define "stampede.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stampede.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "stampede.labels" -}}
helm.sh/chart: {{ include "stampede.chart" . }}
{{ include "stampede.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels of one component's objects; takes (dict "root" $ "component" "coordinator"). */}}
{{- define "stampede.componentLabels" -}}
{{ include "stampede.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Labels that select one component's pods. */}}
{{- define "stampede.componentSelectorLabels" -}}
{{ include "stampede.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Object names. */}}
{{- define "stampede.scriptConfigMapName" -}}{{ include "stampede.fullname" . }}-script{{- end }}
{{- define "stampede.tokenSecretName" -}}{{ include "stampede.fullname" . }}-token{{- end }}
{{- define "stampede.coordinatorName" -}}{{ include "stampede.fullname" . }}-coordinator{{- end }}
{{- define "stampede.runnersName" -}}{{ include "stampede.fullname" . }}-runners{{- end }}
{{- define "stampede.chaosName" -}}{{ include "stampede.fullname" . }}-chaos{{- end }}
{{- define "stampede.resultsClaimName" -}}{{ include "stampede.fullname" . }}-results{{- end }}
{{- define "stampede.testName" -}}{{ include "stampede.fullname" . }}-test{{- end }}

{{/* The image of the stampede containers (tag: the appVersion unless image.tag). */}}
{{- define "stampede.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/* The namespace the chaos plan acts in: chaos.namespace, else the release's. */}}
{{- define "stampede.chaosNamespace" -}}
{{- .Values.chaos.namespace | default .Release.Namespace }}
{{- end }}

{{/* Where the script and its files are mounted, and the script's path there. */}}
{{- define "stampede.scriptDir" -}}/etc/stampede/script{{- end }}
{{- define "stampede.scriptPath" -}}{{ include "stampede.scriptDir" . }}/{{ .Values.script.name }}{{- end }}
{{- define "stampede.tokenFile" -}}/etc/stampede/token/token{{- end }}

{{/*
The Role's rules: chaos.rbac.rules, or the rules of chaos.rbac.stampedeRbacOutput (what
`stampede rbac SCRIPT` printed, passed with --set-file). Returns YAML {rules: [...]}.
*/}}
{{- define "stampede.chaosRules" -}}
{{- if .Values.chaos.rbac.stampedeRbacOutput }}
{{- $role := fromYaml .Values.chaos.rbac.stampedeRbacOutput }}
{{- dict "rules" ($role.rules | default list) | toYaml }}
{{- else }}
{{- dict "rules" (.Values.chaos.rbac.rules | default list) | toYaml }}
{{- end }}
{{- end }}

{{/*
The flags every stampede run of this release gets, one YAML list item each (--out is the
caller's): live metrics, the
script's env, the Pushgateway (with `instance`, when not given, left to stampede: the runner
index or the host name) and the chaos platform. Takes (dict "root" $ "metrics" bool "chaos" bool).
*/}}
{{- define "stampede.runFlags" -}}
{{- $v := .root.Values }}
{{- if .metrics }}
- --metrics-addr
- {{ printf "0.0.0.0:%d" (int $v.metrics.port) | quote }}
{{- end }}
{{- range $key, $value := $v.script.env }}
- -e
- {{ printf "%s=%s" $key (toString $value) | quote }}
{{- end }}
{{- with $v.pushgateway.url }}
- --pushgateway
- {{ . | quote }}
- --pushgateway-job
- {{ $v.pushgateway.job | default (include "stampede.fullname" $.root) | quote }}
{{- range $key, $value := $v.pushgateway.labels }}
- --pushgateway-label
- {{ printf "%s=%s" $key (toString $value) | quote }}
{{- end }}
{{- end }}
{{- if .chaos }}
- --in-cluster
- --namespace
- {{ include "stampede.chaosNamespace" .root | quote }}
{{- with $v.chaos.namePrefix }}
- --name-prefix
- {{ . | quote }}
{{- end }}
{{- with $v.chaos.adminTokenSecret }}
- --admin-token-secret
- {{ . | quote }}
{{- end }}
{{- end }}
{{- range $v.runArgs }}
- {{ . | quote }}
{{- end }}
{{- end }}

{{/* requests/limits with every quantity as a string (Kubernetes' Quantity). Takes a resources map. */}}
{{- define "stampede.resources" -}}
{{- range $kind := list "requests" "limits" }}
{{- with (index ($ | default dict) $kind) }}
{{ $kind }}:
{{- range $resource, $quantity := . }}
  {{ $resource }}: {{ $quantity | toString | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
What the stampede pods share: the script volume, the results and work volumes, the token (fleet
mode). Takes (dict "root" $ "pvc" bool "token" bool).
*/}}
{{- define "stampede.volumes" -}}
- name: script
  configMap:
    name: {{ include "stampede.scriptConfigMapName" .root }}
- name: work
  emptyDir: {}
- name: results
{{- if .pvc }}
  persistentVolumeClaim:
    claimName: {{ include "stampede.resultsClaimName" .root }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- if .token }}
- name: token
  secret:
    secretName: {{ include "stampede.tokenSecretName" .root }}
    defaultMode: 0440
{{- end }}
{{- end }}

{{- define "stampede.volumeMounts" -}}
- name: script
  mountPath: {{ include "stampede.scriptDir" .root }}
  readOnly: true
- name: work
  mountPath: /work
- name: results
  mountPath: /results
{{- if .token }}
- name: token
  mountPath: /etc/stampede/token
  readOnly: true
{{- end }}
{{- end }}

{{/*
The podFailurePolicy of both Jobs: a stampede verdict (99 thresholds or validations failed, 104
bad config, 105 interrupted, 107 script error, 108 aborted by a threshold) fails the Job at once
instead of being retried; a pod lost to a disruption (preemption, node drain) does not count
against backoffLimit.
*/}}
{{- define "stampede.podFailurePolicy" -}}
rules:
  - action: FailJob
    onExitCodes:
      containerName: stampede
      operator: In
      values: [99, 104, 105, 107, 108]
  - action: Ignore
    onPodConditions:
      - type: DisruptionTarget
        status: "True"
{{- end }}

{{/* The pod-level fields both Jobs share. Takes (dict "root" $ "pod" <coordinator or runner values>). */}}
{{- define "stampede.podCommon" -}}
{{- $v := .root.Values }}
restartPolicy: Never
enableServiceLinks: false
{{- with $v.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.podSecurityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .pod.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .pod.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .pod.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
The ConfigMap's files as JSON {name: content} (JSON keeps every byte of the contents, trailing
newlines included): the chart's files/ folder, then script.files, then
script.content under script.name.
*/}}
{{- define "stampede.scriptFiles" -}}
{{- $files := dict }}
{{- range $path, $_ := .Files.Glob "files/*" }}
{{- $_ := set $files (base $path) ($.Files.Get $path) }}
{{- end }}
{{- range $name, $content := .Values.script.files }}
{{- $_ := set $files $name (toString $content) }}
{{- end }}
{{- with .Values.script.content }}
{{- $_ := set $files $.Values.script.name (toString .) }}
{{- end }}
{{- toJson $files }}
{{- end }}
