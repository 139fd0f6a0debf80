{{/*
Checks that values.schema.json cannot express. Every failure is one line that starts with the
key path, e.g. "services.cart.autoscaling: minReplicas 5 > maxReplicas 2". Every service is
checked, enabled or not; deployment.yaml includes this once.
*/}}
{{- define "shop-reference.validate" -}}
{{- $services := .Values.services }}
{{- $addressOwners := dict }}
{{- range $name, $svc := $services }}
{{- $path := printf "services.%s" $name }}
{{- $ports := include "shop-reference.validatePorts" (dict "path" $path "svc" $svc) | fromYaml }}
{{- include "shop-reference.validateTargetPort" (dict "path" $path "svc" $svc "ports" $ports) }}
{{- range $probe := list "livenessProbe" "readinessProbe" "startupProbe" }}
{{- with (index $svc $probe) }}
{{- include "shop-reference.validateProbe" (dict "path" (printf "%s.%s" $path $probe) "probe" . "ports" $ports "portsPath" (printf "%s.ports" $path)) }}
{{- end }}
{{- end }}
{{- include "shop-reference.validateDependencies" (dict "path" $path "name" $name "svc" $svc "services" $services) }}
{{- include "shop-reference.validateAutoscaling" (dict "path" $path "svc" $svc) }}
{{- include "shop-reference.validateStrategy" (dict "path" $path "svc" $svc) }}
{{- include "shop-reference.validateEnv" (dict "path" $path "svc" $svc "services" $services "ports" $ports "adminToken" $.Values.adminToken) }}
{{- with $svc.addressEnv }}
{{- if hasKey $addressOwners . }}
{{- fail (printf "%s.addressEnv: %s is already services.%s.addressEnv" $path . (get $addressOwners .)) }}
{{- end }}
{{- $_ := set $addressOwners . $name }}
{{- end }}
{{- if and $svc.pdb $svc.pdb.enabled (not (hasKey $svc.pdb "minAvailable")) }}
{{- fail (printf "%s.pdb: enabled but minAvailable is not set" $path) }}
{{- end }}
{{- end }}
{{- if and .Values.adminToken.listenOnPodIP (not .Values.adminToken.enabled) }}
{{- fail "adminToken.listenOnPodIP: true, but adminToken.enabled is false: there is no admin endpoint to listen" }}
{{- end }}
{{- include "shop-reference.validateChaosRunner" . }}
{{- end }}

{{/*
The chaos runner needs its own ServiceAccount (not the shop's), and RoleBinding subjects the API
server accepts: a ServiceAccount has no apiGroup; a User or Group has apiGroup
rbac.authorization.k8s.io and no namespace.
*/}}
{{- define "shop-reference.validateChaosRunner" -}}
{{- if .Values.chaosRunner.rbac.create }}
{{- $name := include "shop-reference.chaosRunnerServiceAccountName" . }}
{{- if eq $name (include "shop-reference.serviceAccountName" .) }}
{{- fail (printf "chaosRunner.serviceAccount.name: %q is the shop's own ServiceAccount (serviceAccount); the chaos runner needs its own" $name) }}
{{- end }}
{{- range $i, $s := .Values.chaosRunner.rbac.extraSubjects }}
{{- $at := printf "chaosRunner.rbac.extraSubjects[%d]" $i }}
{{- if eq $s.kind "ServiceAccount" }}
{{- if $s.apiGroup }}
{{- fail (printf "%s.apiGroup: a ServiceAccount subject has no apiGroup (got %q)" $at $s.apiGroup) }}
{{- end }}
{{- else }}
{{- if and $s.apiGroup (ne $s.apiGroup "rbac.authorization.k8s.io") }}
{{- fail (printf "%s.apiGroup: a %s subject's apiGroup is rbac.authorization.k8s.io (got %q)" $at $s.kind $s.apiGroup) }}
{{- end }}
{{- if $s.namespace }}
{{- fail (printf "%s.namespace: only ServiceAccount subjects have a namespace (this is a %s)" $at $s.kind) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Unique port names, numbers and envs. Returns YAML {names, numbers (as strings), envs}. */}}
{{- define "shop-reference.validatePorts" -}}
{{- $names := list }}
{{- $numbers := list }}
{{- $envs := list }}
{{- range $i, $port := .svc.ports }}
{{- $at := printf "%s.ports[%d]" $.path $i }}
{{- if has $port.name $names }}
{{- fail (printf "%s.name: %q is used by another port" $at $port.name) }}
{{- end }}
{{- if has (toString (int $port.containerPort)) $numbers }}
{{- fail (printf "%s.containerPort: %d is used by another port" $at (int $port.containerPort)) }}
{{- end }}
{{- if and $port.env (has $port.env $envs) }}
{{- fail (printf "%s.env: %s is used by another port" $at $port.env) }}
{{- end }}
{{- $names = append $names $port.name }}
{{- $numbers = append $numbers (toString (int $port.containerPort)) }}
{{- if $port.env }}{{ $envs = append $envs $port.env }}{{ end }}
{{- end }}
{{- dict "names" $names "numbers" $numbers "envs" $envs | toYaml }}
{{- end }}

{{/* A port reference (a name or a number) must be one of the service's ports. */}}
{{- define "shop-reference.validatePortRef" -}}
{{- if kindIs "string" .port }}
{{- if not (has .port .ports.names) }}
{{- fail (printf "%s: no port named %q in %s" .path .port .portsPath) }}
{{- end }}
{{- else if not (has (toString (int .port)) .ports.numbers) }}
{{- fail (printf "%s: %d is not a containerPort in %s" .path (int .port) .portsPath) }}
{{- end }}
{{- end }}

{{- define "shop-reference.validateTargetPort" -}}
{{- include "shop-reference.validatePortRef" (dict "path" (printf "%s.service.targetPort" .path) "port" .svc.service.targetPort "ports" .ports "portsPath" (printf "%s.ports" .path)) }}
{{- end }}

{{/* The probe's handler port must be one of the service's ports (the local runtime maps it). */}}
{{- define "shop-reference.validateProbe" -}}
{{- range $handler := list "httpGet" "tcpSocket" "grpc" }}
{{- with (index $.probe $handler) }}
{{- include "shop-reference.validatePortRef" (dict "path" (printf "%s.%s.port" $.path $handler) "port" .port "ports" $.ports "portsPath" $.portsPath) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Dependencies name other services that have an addressEnv. */}}
{{- define "shop-reference.validateDependencies" -}}
{{- range $i, $dep := (.svc.dependencies | default list) }}
{{- $at := printf "%s.dependencies[%d]" $.path $i }}
{{- if eq $dep $.name }}
{{- fail (printf "%s: %s cannot depend on itself" $at $dep) }}
{{- end }}
{{- if not (hasKey $.services $dep) }}
{{- fail (printf "%s: unknown service %q (services are %s)" $at $dep (keys $.services | sortAlpha | join ", ")) }}
{{- end }}
{{- if not (index $.services $dep).addressEnv }}
{{- fail (printf "%s: services.%s has no addressEnv to give its address in" $at $dep) }}
{{- end }}
{{- end }}
{{- end }}

{{- define "shop-reference.validateAutoscaling" -}}
{{- with .svc.autoscaling }}
{{- if gt (int .minReplicas) (int .maxReplicas) }}
{{- fail (printf "%s.autoscaling: minReplicas %d > maxReplicas %d" $.path (int .minReplicas) (int .maxReplicas)) }}
{{- end }}
{{- if and .enabled (not (dig "resources" "requests" "cpu" "" $.svc)) }}
{{- fail (printf "%s.autoscaling: enabled but %s.resources.requests.cpu is not set (the HPA's CPU utilisation is against it)" $.path $.path) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Kubernetes refuses a rolling update with maxSurge and maxUnavailable both 0. */}}
{{- define "shop-reference.validateStrategy" -}}
{{- with .svc.strategy }}
{{- $surge := toString (.maxSurge | default 0) | trimSuffix "%" }}
{{- $unavailable := toString (.maxUnavailable | default 0) | trimSuffix "%" }}
{{- if and (eq $surge "0") (eq $unavailable "0") }}
{{- fail (printf "%s.strategy: maxSurge and maxUnavailable cannot both be 0" $.path) }}
{{- end }}
{{- end }}
{{- end }}

{{/* A service's own env must not set what the chart sets from other keys. */}}
{{- define "shop-reference.validateEnv" -}}
{{- $owned := dict }}
{{- range .ports.envs }}{{ $_ := set $owned . "its ports" }}{{ end }}
{{- range (.svc.dependencies | default list) }}
{{- with (index $.services .) }}{{ with .addressEnv }}{{ $_ := set $owned . "its dependencies" }}{{ end }}{{ end }}
{{- end }}
{{- if .svc.mountData }}{{ $_ := set $owned "SHOP_DATA_DIR" "mountData" }}{{ end }}
{{- if and .adminToken.enabled (has "ADMIN_PORT" .ports.envs) }}
{{- $_ := set $owned "ADMIN_TOKEN" "adminToken" }}
{{- if .adminToken.listenOnPodIP }}{{ $_ := set $owned "ADMIN_LISTEN_ADDR" "adminToken.listenOnPodIP" }}{{ end }}
{{- end }}
{{- range $key, $_ := .svc.env }}
{{- if hasKey $owned $key }}
{{- fail (printf "%s.env.%s: set by the chart from %s; change that instead" $.path $key (get $owned $key)) }}
{{- end }}
{{- end }}
{{- end }}
