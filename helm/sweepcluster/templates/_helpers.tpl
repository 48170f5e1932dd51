{{- define "sweepcluster.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "sweepcluster.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "sweepcluster.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sweepcluster.image" -}}
{{ printf "%s:%s" .Values.image.repository .Values.image.tag | quote }}
{{- end -}}

{{- define "sweepcluster.tokenSecret" -}}
{{- default (printf "%s-tokens" (include "sweepcluster.fullname" .)) .Values.tokens.existingSecret -}}
{{- end -}}

{{- /* The Secret and key holding the store URL. */ -}}
{{- define "sweepcluster.storeSecret" -}}
{{- if .Values.postgresql.bundled -}}
{{- printf "%s-postgresql" (include "sweepcluster.fullname" .) -}}
{{- else -}}
{{- default (printf "%s-store" (include "sweepcluster.fullname" .)) .Values.postgresql.externalUrlSecret -}}
{{- end -}}
{{- end -}}

{{- /* A value kept from the live Secret on upgrade, else the given one, else random. */ -}}
{{- define "sweepcluster.keep" -}}
{{- $existing := lookup "v1" "Secret" .namespace .secret -}}
{{- if and $existing (index $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else if .value -}}
{{- .value -}}
{{- else -}}
{{- randAlphaNum 40 -}}
{{- end -}}
{{- end -}}

{{- define "sweepcluster.otlpEnv" -}}
{{- if .Values.otlp.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.otlp.endpoint | quote }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ .Values.otlp.protocol | quote }}
{{- end }}
{{- end -}}
