{{- define "softphone.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "softphone.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "softphone.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "softphone.tlsSecret" -}}
{{- .Values.tls.secretName | default (printf "%s-tls" (include "softphone.fullname" .)) -}}
{{- end -}}

{{- define "softphone.keysSecret" -}}
{{- .Values.sessionKeys.existingSecret | default (printf "%s-session-keys" (include "softphone.fullname" .)) -}}
{{- end -}}

{{- define "softphone.htpasswdSecret" -}}
{{- .Values.basicAuth.existingSecret | default (printf "%s-htpasswd" (include "softphone.fullname" .)) -}}
{{- end -}}
