{{/*
Checks that values.schema.json cannot express. Every failure is one line that starts with the
key path. runners-job.yaml (rendered in every mode) includes this once.
*/}}
{{- define "stampede.validate" -}}
{{- $v := .Values }}
{{- $files := include "stampede.scriptFiles" . | fromJson }}
{{- if not (hasKey $files $v.script.name) }}
{{- fail (printf "script.name: %q is not in the script's ConfigMap (it has: %s); pass the script with --set-file script.content=PATH, or put it in the chart's files/ folder" $v.script.name (keys $files | sortAlpha | join ", " | default "no files")) }}
{{- end }}
{{- if $v.chaos.enabled }}
{{- if ne $v.mode "fleet" }}
{{- fail "chaos.enabled: chaos needs mode fleet (the coordinator runs the chaos plan); in mode segments every runner would run it" }}
{{- end }}
{{- if and $v.chaos.rbac.rules $v.chaos.rbac.stampedeRbacOutput }}
{{- fail "chaos.rbac: set rules or stampedeRbacOutput, not both" }}
{{- end }}
{{- with $v.chaos.rbac.stampedeRbacOutput }}
{{- $role := fromYaml . }}
{{- if hasKey $role "Error" }}
{{- fail (printf "chaos.rbac.stampedeRbacOutput: not YAML: %s" $role.Error) }}
{{- end }}
{{- if ne ($role.kind | default "") "Role" }}
{{- fail (printf "chaos.rbac.stampedeRbacOutput: expected the Role `stampede rbac SCRIPT` prints, got kind %q" ($role.kind | default "")) }}
{{- end }}
{{- $ns := dig "metadata" "namespace" "" $role }}
{{- if ne $ns (include "stampede.chaosNamespace" $) }}
{{- fail (printf "chaos.rbac.stampedeRbacOutput: the Role is for namespace %q but the chaos plan acts in %q (chaos.namespace); run stampede rbac with -n %s" $ns (include "stampede.chaosNamespace" $) (include "stampede.chaosNamespace" $)) }}
{{- end }}
{{- end }}
{{- $rules := (include "stampede.chaosRules" . | fromYaml).rules }}
{{- if not $rules }}
{{- fail "chaos.rbac: chaos.enabled but no rules: pass what `stampede rbac SCRIPT -n NAMESPACE` prints with --set-file chaos.rbac.stampedeRbacOutput=FILE, or paste its rules into chaos.rbac.rules" }}
{{- end }}
{{- range $i, $r := $rules }}
{{- range $key := list "apiGroups" "resources" "verbs" "resourceNames" }}
{{- if has "*" (index $r $key | default list) }}
{{- fail (printf "chaos.rbac.rules[%d].%s: \"*\" is not least privilege; list what `stampede rbac` prints" $i $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
