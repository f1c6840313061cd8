{{/* The release's full name, at most 63 characters. */}}
{{- define "pipeserve.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "pipeserve.selectorLabels" -}}
app.kubernetes.io/name: pipeserve-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pipeserve.labels" -}}
{{ include "pipeserve.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pipeserve
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "pipeserve.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "pipeserve.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The namespaces the runtime pods run in, for the network policies. */}}
{{- define "pipeserve.podNamespaces" -}}
{{- $namespaces := .Values.networkPolicy.namespaces | default .Values.watchNamespaces | default (list .Release.Namespace) -}}
{{- toJson $namespaces -}}
{{- end -}}
