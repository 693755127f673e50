{{/* Release-scoped name, at most 63 characters. */}}
{{- define "ctracker.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ctracker.headless" -}}
{{- printf "%s-headless" (include "ctracker.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ctracker.internal" -}}
{{- printf "%s-internal" (include "ctracker.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ctracker.secretName" -}}
{{- .Values.clusterSecret.existingSecret | default (printf "%s-cluster-secret" (include "ctracker.fullname" .)) -}}
{{- end -}}

{{- define "ctracker.adminSecretName" -}}
{{- .Values.adminCredential.existingSecret | default (printf "%s-admin" (include "ctracker.fullname" .)) -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "ctracker.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
ctracker.net/region: {{ .Values.region | quote }}
{{- end -}}

{{/* What selects this release's pods. */}}
{{- define "ctracker.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The internal base URL of pod i through the headless Service. */}}
{{- define "ctracker.podUrl" -}}
{{- $root := index . 0 -}}
{{- printf "http://%s-%d.%s.%s.svc.%s:%d" (include "ctracker.fullname" $root) (index . 1) (include "ctracker.headless" $root) $root.Release.Namespace $root.Values.clusterDomain (int $root.Values.ports.internal) -}}
{{- end -}}

{{/* Every pod's internal base URL, comma-separated: the pods bootstrap through each other. */}}
{{- define "ctracker.siblingUrls" -}}
{{- $root := . -}}
{{- $urls := list -}}
{{- range $i := until (int .Values.replicaCount) -}}
{{- if $root.Values.advertisedUrl -}}
{{- $urls = append $urls ($root.Values.advertisedUrl | replace "$(POD_NAME)" (printf "%s-%d" (include "ctracker.fullname" $root) $i)) -}}
{{- else -}}
{{- $urls = append $urls (include "ctracker.podUrl" (list $root $i)) -}}
{{- end -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}
